// The root zone of the aarch64-zones sample. hvisor creates it from its
// qemu-gicv3 board constants ("root-linux": CPUs 0-1, RAM 0x50000000 up to
// 0xc0000000 mapped 1:1, the PL011 UART passed through) and enters it on
// CPU 0 at 0xa0400000 in EL1h, MMU off, with x0 = the DTB. CPU 1 stays
// parked until we start it.
//
// This program plays the part root Linux and hvisor-tool play on a real board:
//   1. it starts CPU 1 with PSCI CPU_ON, and both CPUs count under a spinlock;
//   2. it starts zone 1 (zone1.json, zone1.S) with the ZoneStart hypercall;
//      the launcher has already put zone1.S at 0x60000000, as the tool would;
//   3. it waits for zone 1 to finish, lists the zones, shuts zone 1 down,
//      lists them again and powers off.
// Every PSCI call and hypercall result is printed, so a misbehaving
// hypervisor shows up in the output.
//
// Run it:  node dist/cli.js run samples/aarch64-zones/launch.json

        .equ UART, 0x09000000           // PL011 data register (both zones map it)
        .equ PSCI_CPU_ON, 0xc4000003    // (target MPIDR, entry, context id), SMC64
        .equ PSCI_SYSTEM_OFF, 0x84000008
        .equ STACK_SIZE, 4096
        .equ ROUNDS, 1000               // increments per CPU (s_counter_end says 1000 too)

// hvisor's hypercalls: hvc with x0 = code, x1/x2 = args. They return the
// value in x0, or a negative errno.
        .equ HC_ZONE_START, 2           // (config address, config size)
        .equ HC_ZONE_SHUTDOWN, 3        // (zone id)
        .equ HC_ZONE_LIST, 4            // (ZoneInfo array, entries) -> entries written

// struct HvZoneConfig as hvisor's aarch64 build lays it out (#[repr(C)],
// 3136 bytes). Field offsets:
        .equ ZC_ZONE_ID, 0              // u32
        .equ ZC_CPUS, 8                 // u64, bit n = CPU n
        .equ ZC_NUM_MEMORY_REGIONS, 16  // u32
        .equ ZC_MEMORY_REGIONS, 24      // HvConfigMemoryRegion[64]
        .equ ZC_INTERRUPTS_BITMAP, 2072 // u32[32], bit n % 32 of word n / 32 = IRQ n
        .equ ZC_NUM_IVC_CONFIGS, 2200   // u32
        .equ ZC_IVC_CONFIGS, 2208       // HvIvcConfig[2], 40 bytes each
        .equ ZC_ENTRY_POINT, 2288       // u64, guest physical
        .equ ZC_KERNEL_LOAD_PADDR, 2296 // u64
        .equ ZC_KERNEL_SIZE, 2304       // u64
        .equ ZC_DTB_LOAD_PADDR, 2312    // u64
        .equ ZC_DTB_SIZE, 2320          // u64
        .equ ZC_NAME, 2328              // char[32]
        .equ ZC_ARCH_CONFIG, 2360       // HvArchZoneConfig: 88 bytes, below
        .equ ZC_NUM_PCI_BUS, 2448       // u64
        .equ ZC_PCI_CONFIG, 2456        // HvPciConfig[4], 104 bytes each
        .equ ZC_NUM_PCI_DEVS, 2872      // u64
        .equ ZC_ALLOC_PCI_DEVS, 2880    // HvPciDevConfig[32], 8 bytes each
        .equ ZC_SIZEOF, 3136
// struct HvConfigMemoryRegion (32 bytes); mem_type 0 = RAM, 1 = IO, 2 = virtio
        .equ MR_MEM_TYPE, 0             // u32
        .equ MR_PHYSICAL_START, 8       // u64
        .equ MR_VIRTUAL_START, 16       // u64
        .equ MR_SIZE, 24                // u64
        .equ MR_SIZEOF, 32
// struct HvArchZoneConfig, aarch64: is_aarch32, then GicConfig, a tagged
// union (u64 tag: 0 = GICv2, 1 = GICv3) as large as its GICv2 payload
        .equ AC_IS_AARCH32, 0           // u8
        .equ AC_GIC_TAG, 8              // u64
        .equ AC_GIC, 16                 // GICv3: gicd, gicr, gits base and size, 6 x u64
        .equ AC_SIZEOF, 88              // 16 + the GICv2 payload's 9 x u64
        .equ GIC_V3, 1

// struct ZoneInfo (56 bytes), what ZoneList writes per zone
        .equ ZI_ZONE_ID, 0              // u32
        .equ ZI_CPUS, 8                 // u64 bitmap
        .equ ZI_NAME, 16                // char[32]
        .equ ZI_IS_ERR, 48              // u8
        .equ ZI_SIZEOF, 56
        .equ ZONE_INFOS, 4              // room for hvisor's maximum of 4 zones

// Zone 1's mailbox, in zone 1's RAM (see zone1.S). hvisor does not make RAM
// exclusive: the root's RAM region covers zone 1's, so we can read it too.
        .equ MAILBOX, 0x60800000
        .equ MB_GO, 0                   // root -> zone 1: you may print now
        .equ MB_DONE, 4                 // zone 1 -> root: both CPUs have printed

        .text
        .globl _start
_start:                                 // CPU 0: x0 = DTB
        adr     x9, stack0 + STACK_SIZE
        mov     sp, x9
        bl      hello

// 1. Two CPUs, one counter.
        ldr     x0, =PSCI_CPU_ON
        mov     x1, #1                  // target MPIDR: Aff0 = CPU 1
        adr     x2, cpu1_entry
        mov     x3, #0                  // context id (hvisor hands CPU 1 the DTB in x0 instead)
        smc     #0
        mov     x19, x0
        adr     x0, s_cpu_on
        bl      puts
        mov     x0, x19
        bl      print_ret
        bl      count
        cbnz    x19, 2f                 // CPU 1 never came: do not wait for it
        adr     x9, cpu1_done
1:      ldar    w10, [x9]               // wait for CPU 1's increments
        cbz     w10, 1b
2:      adr     x0, s_counter
        bl      puts
        adr     x9, counter
        ldr     x0, [x9]
        bl      putdec
        adr     x0, s_counter_end
        bl      puts

// 2. Zone 1. Clear its mailbox first: zone 1 waits for MB_GO.
        mov     x20, #MAILBOX
        str     wzr, [x20, #MB_GO]
        str     wzr, [x20, #MB_DONE]
        mov     x0, #HC_ZONE_START
        adr     x1, zone1_config        // a physical address: our memory is mapped 1:1
        mov     x2, #ZC_SIZEOF
        hvc     #0
        mov     x19, x0
        adr     x0, s_zone_start
        bl      puts
        mov     x0, x19
        bl      print_ret
        cbnz    x19, 3f                 // zone 1 is not running: do not wait for it
        mov     w9, #1
        add     x10, x20, #MB_GO
        stlr    w9, [x10]               // zone 1 prints only after our line above
        add     x10, x20, #MB_DONE
2:      ldar    w9, [x10]
        cbz     w9, 2b
        adr     x0, s_zone1_done
        bl      puts

// 3. List, shut down, list again, power off.
3:      bl      list_zones
        mov     x0, #HC_ZONE_SHUTDOWN
        mov     x1, #1                  // zone id
        mov     x2, #0                  // unused
        hvc     #0
        mov     x19, x0
        adr     x0, s_zone_shutdown
        bl      puts
        mov     x0, x19
        bl      print_ret
        bl      list_zones
        adr     x0, s_power_off
        bl      puts
        ldr     x0, =PSCI_SYSTEM_OFF
        smc     #0
        mov     x19, x0                 // still here: say why
        adr     x0, s_system_off
        bl      puts
        mov     x0, x19
        bl      print_ret
        b       park

cpu1_entry:                             // CPU 1: x0 = DTB, everything else zero
        adr     x9, stack1 + STACK_SIZE
        mov     sp, x9
        bl      count
        adr     x9, cpu1_done
        mov     w10, #1
        stlr    w10, [x9]               // our increments before the flag
park:   wfi
        b       park

// hello(x0 = DTB): "[root] hello from CPU N (dtb 0x...)", N from MPIDR_EL1.Aff0
hello:
        stp     x29, x30, [sp, #-32]!
        stp     x19, x20, [sp, #16]
        mov     x20, x0
        mrs     x19, mpidr_el1
        and     x19, x19, #0xff         // Aff0: the CPU's number on this board
        adr     x0, s_hello
        bl      puts
        mov     x0, x19
        bl      putdec
        adr     x0, s_dtb
        bl      puts
        mov     x0, x20
        bl      puthex
        adr     x0, s_close
        bl      puts
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// count: add 1 to counter ROUNDS times. The load-add-store is not atomic;
// the lock is what keeps the two CPUs' increments from overwriting each other.
count:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, #ROUNDS
1:      adr     x0, counter_lock
        bl      lock
        adr     x9, counter
        ldr     x10, [x9]
        add     x10, x10, #1
        str     x10, [x9]
        adr     x0, counter_lock
        bl      unlock
        subs    x19, x19, #1
        b.ne    1b
        ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// lock(x0 = lock word): spin until our exclusive store turns 0 into 1.
// Reading first keeps the waiting CPU from claiming the line; ldaxr orders
// the critical section after the load that saw the lock free.
lock:   mov     w9, #1
1:      ldr     w10, [x0]
        cbnz    w10, 1b
        ldaxr   w10, [x0]
        cbnz    w10, 1b
        stxr    w11, w9, [x0]
        cbnz    w11, 1b                 // another CPU wrote it in between: again
        ret

// unlock(x0 = lock word): stlr publishes the critical section's stores first.
unlock: stlr    wzr, [x0]
        ret

// list_zones: ZoneList into zone_infos, then one line per zone.
list_zones:
        stp     x29, x30, [sp, #-32]!
        stp     x19, x20, [sp, #16]
        mov     x0, #HC_ZONE_LIST
        adr     x1, zone_infos
        mov     x2, #ZONE_INFOS
        hvc     #0
        mov     x19, x0
        adr     x0, s_zone_list
        bl      puts
        mov     x0, x19
        bl      print_ret
        cmp     x19, #ZONE_INFOS
        b.hi    2f                      // failed (-errno is huge unsigned), or more than fit
        adr     x20, zone_infos
1:      cbz     x19, 2f
        adr     x0, s_zone
        bl      puts
        ldr     w0, [x20, #ZI_ZONE_ID]
        bl      putdec
        adr     x0, s_quote
        bl      puts
        add     x0, x20, #ZI_NAME       // NUL-padded: fine for names shorter than 32
        bl      puts
        adr     x0, s_cpus
        bl      puts
        ldr     x0, [x20, #ZI_CPUS]
        bl      puthex
        ldrb    w9, [x20, #ZI_IS_ERR]
        adr     x0, s_running
        cbz     w9, 3f
        adr     x0, s_error
3:      bl      puts
        add     x20, x20, #ZI_SIZEOF
        sub     x19, x19, #1
        b       1b
2:      ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// print_ret(x0 = result): finish a line with " -> result", signed, so that
// an error shows as -errno (or a PSCI error code).
print_ret:
        stp     x29, x30, [sp, #-32]!
        str     x19, [sp, #16]
        mov     x19, x0
        adr     x0, s_arrow
        bl      puts
        mov     x0, x19
        bl      putdec
        adr     x0, s_newline
        bl      puts
        ldr     x19, [sp, #16]
        ldp     x29, x30, [sp], #32
        ret

// The printing helpers below are leaves: they use only x0 and x9-x13.

// puts(x0 = NUL-terminated string)
puts:   mov     x9, #UART
1:      ldrb    w10, [x0], #1
        cbz     w10, 2f
        strb    w10, [x9]
        b       1b
2:      ret

// putdec(x0 = signed value): digits are produced last-first into a buffer on
// the stack, then sent in order.
putdec: mov     x9, #UART
        tbz     x0, #63, 1f
        mov     w10, #'-'
        strb    w10, [x9]
        neg     x0, x0
1:      sub     sp, sp, #32
        add     x11, sp, #32            // x11 walks down from the buffer's end
        mov     x12, #10
2:      udiv    x13, x0, x12
        msub    x10, x13, x12, x0       // x10 = x0 % 10
        add     w10, w10, #'0'
        strb    w10, [x11, #-1]!
        mov     x0, x13
        cbnz    x0, 2b
        add     x12, sp, #32
3:      ldrb    w10, [x11], #1
        strb    w10, [x9]
        cmp     x11, x12
        b.ne    3b
        add     sp, sp, #32
        ret

// puthex(x0): "0x" and the value's hex digits, without leading zeros.
puthex: mov     x9, #UART
        mov     w10, #'0'
        strb    w10, [x9]
        mov     w10, #'x'
        strb    w10, [x9]
        mov     x11, #60                // shift of the highest nibble
1:      lsr     x10, x0, x11
        cbnz    x10, 2f
        cbz     x11, 2f                 // zero still prints one digit
        sub     x11, x11, #4
        b       1b
2:      lsr     x10, x0, x11
        and     x10, x10, #15
        cmp     x10, #10
        b.lo    3f
        add     x10, x10, #'a' - '0' - 10
3:      add     x10, x10, #'0'
        strb    w10, [x9]
        subs    x11, x11, #4
        b.ge    2b
        ret

        .data
s_hello:        .asciz "[root] hello from CPU "
s_dtb:          .asciz " (dtb "
s_close:        .asciz ")\n"
s_cpu_on:       .asciz "[root] CPU_ON(CPU 1)"
s_counter:      .asciz "[root] counter = "
s_counter_end:  .asciz " (CPUs 0 and 1, 1000 locked increments each)\n"
s_zone_start:   .asciz "[root] ZoneStart(zone 1)"
s_zone1_done:   .asciz "[root] zone 1 is done\n"
s_zone_list:    .asciz "[root] ZoneList"
s_zone:         .asciz "[root]   zone "
s_quote:        .asciz " \""
s_cpus:         .asciz "\" cpus "
s_running:      .asciz " running\n"
s_error:        .asciz " error\n"
s_zone_shutdown: .asciz "[root] ZoneShutdown(zone 1)"
s_power_off:    .asciz "[root] powering off\n"
s_system_off:   .asciz "[root] SYSTEM_OFF"
s_arrow:        .asciz " -> "
s_newline:      .asciz "\n"

        .balign 8
counter:        .dword 0
counter_lock:   .word 0
cpu1_done:      .word 0

// Zone 1, exactly as zone1.json describes it: the test compares these bytes
// with hvisor-debug's encoding of that file. Each `.skip` pads up to the
// field named in it; the fields between follow one another without gaps.
        .balign 8
zone1_config:
        .word   1                                       // zone_id
        .skip   zone1_config + ZC_CPUS - .
        .dword  (1 << 2) | (1 << 3)                     // cpus: 2 and 3
        .word   2                                       // num_memory_regions
        .skip   zone1_config + ZC_MEMORY_REGIONS - .
        .word   0                                       // [0].mem_type: RAM
        .skip   MR_PHYSICAL_START - 4
        .dword  0x60000000, 0x60000000, 0x1000000       // physical_start, virtual_start, size
        .word   1                                       // [1].mem_type: IO, the UART (the root has it too)
        .skip   MR_PHYSICAL_START - 4
        .dword  0x09000000, 0x09000000, 0x1000
        .skip   zone1_config + ZC_ENTRY_POINT - .       // no more regions, no interrupts, no IVC
        .dword  0x60000000                              // entry_point
        .dword  0x60000000                              // kernel_load_paddr
        .dword  0                                       // kernel_size: the launcher loaded it
        .dword  0x60f00000                              // dtb_load_paddr
        .dword  0                                       // dtb_size
        .asciz  "zone1"                                 // name, NUL-padded
        .skip   zone1_config + ZC_ARCH_CONFIG - .
        .byte   0                                       // is_aarch32: no, AArch64
        .skip   zone1_config + ZC_ARCH_CONFIG + AC_GIC_TAG - .
        .dword  GIC_V3                                  // gic_config: Gicv3
        .dword  0x8000000, 0x10000                      // gicd_base, gicd_size
        .dword  0x80a0000, 0xf60000                     // gicr_base, gicr_size
        .dword  0x8080000, 0x20000                      // gits_base, gits_size
        .skip   zone1_config + ZC_SIZEOF - .            // the rest of the union; no PCI buses or devices
        .size   zone1_config, . - zone1_config

        .bss
        .balign 16
zone_infos:     .zero ZI_SIZEOF * ZONE_INFOS
stack0:         .zero STACK_SIZE
stack1:         .zero STACK_SIZE
