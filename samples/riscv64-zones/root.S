# The root zone of the riscv64-zones sample. hvisor creates it from its
# qemu-plic board constants ("root-linux": CPUs 0-1, RAM 0x83000000 up to
# 4 GiB mapped 1:1, the UART passed through) and enters it on CPU 0 at
# 0x90000000 with a0 = hartid and a1 = the DTB. CPU 1 stays parked until
# we start it.
#
# This program plays the part root Linux and hvisor-tool play on a real board:
#   1. it starts CPU 1 with SBI HSM, and both CPUs count under a spinlock;
#   2. it starts zone 1 (zone1.json, zone1.S) with the ZoneStart hypercall;
#      the launcher has already put zone1.S at 0x8a000000, as the tool would;
#   3. it waits for zone 1 to finish, lists the zones, shuts zone 1 down,
#      lists them again and powers off.
# Every SBI call and hypercall result is printed, so a misbehaving
# hypervisor shows up in the output.
#
# Run it:  node dist/cli.js run samples/riscv64-zones/launch.json

        .equ UART, 0x10000000           # 16550 transmit register (both zones map it)
        .equ SBI_HSM, 0x48534d          # fid 0 = hart_start(hartid, entry, opaque)
        .equ SBI_SRST, 0x53525354       # fid 0, type 0 = shutdown
        .equ STACK_SIZE, 4096
        .equ ROUNDS, 1000               # increments per CPU (s_counter_end says 1000 too)

# hvisor's hypercalls: ecall with a7 = EID_HVISOR, a0 = code, a1/a2 = args.
# They return a0 = 0 and a1 = the value, or a0 = -1 and a1 = -errno.
        .equ EID_HVISOR, 0x114514
        .equ HC_ZONE_START, 2           # (config address, config size)
        .equ HC_ZONE_SHUTDOWN, 3        # (zone id)
        .equ HC_ZONE_LIST, 4            # (ZoneInfo array, entries) -> entries written

# struct HvZoneConfig as hvisor's riscv64 build lays it out (#[repr(C)],
# 3080 bytes). Field offsets:
        .equ ZC_ZONE_ID, 0              # u32
        .equ ZC_CPUS, 8                 # u64, bit n = CPU n
        .equ ZC_NUM_MEMORY_REGIONS, 16  # u32
        .equ ZC_MEMORY_REGIONS, 24      # HvConfigMemoryRegion[64]
        .equ ZC_INTERRUPTS_BITMAP, 2072 # u32[32], bit n % 32 of word n / 32 = IRQ n
        .equ ZC_NUM_IVC_CONFIGS, 2200   # u32
        .equ ZC_IVC_CONFIGS, 2208       # HvIvcConfig[2], 40 bytes each
        .equ ZC_ENTRY_POINT, 2288       # u64, guest physical
        .equ ZC_KERNEL_LOAD_PADDR, 2296 # u64
        .equ ZC_KERNEL_SIZE, 2304       # u64
        .equ ZC_DTB_LOAD_PADDR, 2312    # u64
        .equ ZC_DTB_SIZE, 2320          # u64
        .equ ZC_NAME, 2328              # char[32]
        .equ ZC_ARCH_CONFIG, 2360       # HvArchZoneConfig: 4 x u64 below
        .equ ZC_NUM_PCI_BUS, 2392       # u64
        .equ ZC_PCI_CONFIG, 2400        # HvPciConfig[4], 104 bytes each
        .equ ZC_NUM_PCI_DEVS, 2816      # u64
        .equ ZC_ALLOC_PCI_DEVS, 2824    # HvPciDevConfig[32], 8 bytes each
        .equ ZC_SIZEOF, 3080
# struct HvConfigMemoryRegion (32 bytes); mem_type 0 = RAM, 1 = IO, 2 = virtio
        .equ MR_MEM_TYPE, 0             # u32
        .equ MR_PHYSICAL_START, 8       # u64
        .equ MR_VIRTUAL_START, 16       # u64
        .equ MR_SIZE, 24                # u64
        .equ MR_SIZEOF, 32
# struct HvArchZoneConfig, riscv64
        .equ AC_PLIC_BASE, 0
        .equ AC_PLIC_SIZE, 8
        .equ AC_APLIC_BASE, 16
        .equ AC_APLIC_SIZE, 24

# struct ZoneInfo (56 bytes), what ZoneList writes per zone
        .equ ZI_ZONE_ID, 0              # u32
        .equ ZI_CPUS, 8                 # u64 bitmap
        .equ ZI_NAME, 16                # char[32]
        .equ ZI_IS_ERR, 48              # u8
        .equ ZI_SIZEOF, 56
        .equ ZONE_INFOS, 4              # room for hvisor's maximum of 4 zones

# Zone 1's mailbox, in zone 1's RAM (see zone1.S). hvisor does not make RAM
# exclusive: the root's RAM region covers zone 1's, so we can read it too.
        .equ MAILBOX, 0x8a800000
        .equ MB_GO, 0                   # root -> zone 1: you may print now
        .equ MB_DONE, 4                 # zone 1 -> root: both CPUs have printed

        .text
        .globl _start
_start:                                 # CPU 0: a0 = hartid, a1 = DTB
        la      sp, stack0 + STACK_SIZE
        mv      s0, a0
        mv      s1, a1
        la      a0, s_hello
        call    puts
        mv      a0, s0
        call    putdec
        la      a0, s_dtb
        call    puts
        mv      a0, s1
        call    puthex
        la      a0, s_close
        call    puts

# 1. Two CPUs, one counter.
        li      a0, 1                   # hartid
        la      a1, cpu1_entry
        li      a2, 0                   # opaque: arrives in CPU 1's a1
        li      a7, SBI_HSM
        li      a6, 0
        ecall
        mv      s2, a0
        mv      s3, a1
        la      a0, s_hart_start
        call    puts
        mv      a0, s2
        mv      a1, s3
        call    print_ret
        call    count
        la      t0, cpu1_done
1:      lw      t1, 0(t0)               # wait for CPU 1's increments
        beqz    t1, 1b
        fence   r, rw
        la      a0, s_counter
        call    puts
        ld      a0, counter
        call    putdec
        la      a0, s_counter_end
        call    puts

# 2. Zone 1. Clear its mailbox first: zone 1 waits for MB_GO.
        li      t0, MAILBOX
        sw      zero, MB_GO(t0)
        sw      zero, MB_DONE(t0)
        li      a0, HC_ZONE_START
        la      a1, zone1_config        # a physical address: our memory is mapped 1:1
        li      a2, ZC_SIZEOF
        li      a7, EID_HVISOR
        ecall
        mv      s2, a0
        mv      s3, a1
        la      a0, s_zone_start
        call    puts
        mv      a0, s2
        mv      a1, s3
        call    print_ret
        bnez    s2, 3f                  # zone 1 is not running: do not wait for it
        li      t0, MAILBOX
        li      t1, 1
        fence   rw, w
        sw      t1, MB_GO(t0)           # zone 1 prints only after our line above
2:      lw      t1, MB_DONE(t0)
        beqz    t1, 2b
        la      a0, s_zone1_done
        call    puts

# 3. List, shut down, list again, power off.
3:      call    list_zones
        li      a0, HC_ZONE_SHUTDOWN
        li      a1, 1                   # zone id
        li      a2, 0                   # unused
        li      a7, EID_HVISOR
        ecall
        mv      s2, a0
        mv      s3, a1
        la      a0, s_zone_shutdown
        call    puts
        mv      a0, s2
        mv      a1, s3
        call    print_ret
        call    list_zones
        la      a0, s_power_off
        call    puts
        li      a0, 0                   # shutdown
        li      a1, 0                   # no reason
        li      a7, SBI_SRST
        li      a6, 0
        ecall
        mv      s2, a0                  # still here: say why
        mv      s3, a1
        la      a0, s_srst
        call    puts
        mv      a0, s2
        mv      a1, s3
        call    print_ret
        j       park

cpu1_entry:                             # CPU 1: a0 = hartid, a1 = opaque
        la      sp, stack1 + STACK_SIZE
        call    count
        la      t0, cpu1_done
        li      t1, 1
        fence   rw, w                   # our increments before the flag
        sw      t1, 0(t0)
park:   wfi
        j       park

# count: add 1 to counter ROUNDS times. The load-add-store is not atomic;
# the lock is what keeps the two CPUs' increments from overwriting each other.
count:
        addi    sp, sp, -16
        sd      ra, 8(sp)
        sd      s0, 0(sp)
        li      s0, ROUNDS
1:      la      a0, counter_lock
        call    lock
        ld      t0, counter
        addi    t0, t0, 1
        sd      t0, counter, t1
        la      a0, counter_lock
        call    unlock
        addi    s0, s0, -1
        bnez    s0, 1b
        ld      s0, 0(sp)
        ld      ra, 8(sp)
        addi    sp, sp, 16
        ret

# lock(a0 = lock word): spin until we swap 0 for 1. Reading first keeps the
# waiting CPU off the bus; .aq orders the critical section after the swap.
lock:   li      t0, 1
1:      lw      t1, 0(a0)
        bnez    t1, 1b
        amoswap.w.aq t1, t0, (a0)
        bnez    t1, 1b
        ret

# unlock(a0 = lock word): .rl publishes the critical section's stores first.
unlock: amoswap.w.rl zero, zero, (a0)
        ret

# list_zones: ZoneList into zone_infos, then one line per zone.
list_zones:
        addi    sp, sp, -32
        sd      ra, 24(sp)
        sd      s0, 16(sp)
        sd      s1, 8(sp)
        sd      s2, 0(sp)
        li      a0, HC_ZONE_LIST
        la      a1, zone_infos
        li      a2, ZONE_INFOS
        li      a7, EID_HVISOR
        ecall
        mv      s0, a0
        mv      s1, a1
        la      a0, s_zone_list
        call    puts
        mv      a0, s0
        mv      a1, s1
        call    print_ret
        bnez    s0, 2f                  # failed: s1 is -errno, not a count
        la      s2, zone_infos
1:      beqz    s1, 2f
        la      a0, s_zone
        call    puts
        lwu     a0, ZI_ZONE_ID(s2)
        call    putdec
        la      a0, s_quote
        call    puts
        addi    a0, s2, ZI_NAME         # NUL-padded: fine for names shorter than 32
        call    puts
        la      a0, s_cpus
        call    puts
        ld      a0, ZI_CPUS(s2)
        call    puthex
        lbu     t0, ZI_IS_ERR(s2)
        la      a0, s_running
        beqz    t0, 3f
        la      a0, s_error
3:      call    puts
        addi    s2, s2, ZI_SIZEOF
        addi    s1, s1, -1
        j       1b
2:      ld      s2, 0(sp)
        ld      s1, 8(sp)
        ld      s0, 16(sp)
        ld      ra, 24(sp)
        addi    sp, sp, 32
        ret

# print_ret(a0 = SBI error, a1 = value): finish a line with " -> value", or
# with both registers when the call failed.
print_ret:
        addi    sp, sp, -32
        sd      ra, 24(sp)
        sd      s0, 16(sp)
        sd      s1, 8(sp)
        mv      s0, a0
        mv      s1, a1
        la      a0, s_arrow
        call    puts
        bnez    s0, 1f
        mv      a0, s1
        call    putdec
        j       2f
1:      la      a0, s_sbi_error
        call    puts
        mv      a0, s0
        call    putdec
        la      a0, s_a1
        call    puts
        mv      a0, s1
        call    putdec
2:      la      a0, s_newline
        call    puts
        ld      s1, 8(sp)
        ld      s0, 16(sp)
        ld      ra, 24(sp)
        addi    sp, sp, 32
        ret

# The printing helpers below are leaves: they use only a0 and t0-t3.

# puts(a0 = NUL-terminated string)
puts:   li      t0, UART
1:      lbu     t1, 0(a0)
        beqz    t1, 2f
        sb      t1, 0(t0)
        addi    a0, a0, 1
        j       1b
2:      ret

# putdec(a0 = signed value): digits are produced last-first into a buffer on
# the stack, then sent in order.
putdec: li      t0, UART
        bgez    a0, 1f
        li      t1, '-'
        sb      t1, 0(t0)
        neg     a0, a0
1:      addi    sp, sp, -32
        addi    t2, sp, 32              # t2 walks down from the buffer's end
        li      t3, 10
2:      remu    t1, a0, t3
        addi    t1, t1, '0'
        addi    t2, t2, -1
        sb      t1, 0(t2)
        divu    a0, a0, t3
        bnez    a0, 2b
        addi    t3, sp, 32
3:      lbu     t1, 0(t2)
        sb      t1, 0(t0)
        addi    t2, t2, 1
        bne     t2, t3, 3b
        addi    sp, sp, 32
        ret

# puthex(a0): "0x" and the value's hex digits, without leading zeros.
puthex: li      t0, UART
        li      t1, '0'
        sb      t1, 0(t0)
        li      t1, 'x'
        sb      t1, 0(t0)
        li      t2, 60                  # shift of the highest nibble
1:      srl     t1, a0, t2
        bnez    t1, 2f
        beqz    t2, 2f                  # zero still prints one digit
        addi    t2, t2, -4
        j       1b
2:      srl     t1, a0, t2
        andi    t1, t1, 15
        li      t3, 10
        blt     t1, t3, 3f
        addi    t1, t1, 'a' - '0' - 10
3:      addi    t1, t1, '0'
        sb      t1, 0(t0)
        addi    t2, t2, -4
        bgez    t2, 2b
        ret

        .data
s_hello:        .asciz "[root] hello from hart "
s_dtb:          .asciz " (dtb "
s_close:        .asciz ")\n"
s_hart_start:   .asciz "[root] hart_start(hart 1)"
s_counter:      .asciz "[root] counter = "
s_counter_end:  .asciz " (harts 0 and 1, 1000 locked increments each)\n"
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
s_srst:         .asciz "[root] SRST"
s_arrow:        .asciz " -> "
s_sbi_error:    .asciz "SBI error "
s_a1:           .asciz ", a1 = "
s_newline:      .asciz "\n"

        .balign 8
counter:        .dword 0
counter_lock:   .word 0
cpu1_done:      .word 0

# Zone 1, exactly as zone1.json describes it: the test compares these bytes
# with hvisor-debug's encoding of that file. Each `.skip` pads up to the
# field named in it; the fields between follow one another without gaps.
        .balign 8
zone1_config:
        .word   1                                       # zone_id
        .skip   zone1_config + ZC_CPUS - .
        .dword  (1 << 2) | (1 << 3)                     # cpus: 2 and 3
        .word   2                                       # num_memory_regions
        .skip   zone1_config + ZC_MEMORY_REGIONS - .
        .word   0                                       # [0].mem_type: RAM
        .skip   MR_PHYSICAL_START - 4
        .dword  0x8a000000, 0x8a000000, 0x1000000       # physical_start, virtual_start, size
        .word   1                                       # [1].mem_type: IO, the UART (the root has it too)
        .skip   MR_PHYSICAL_START - 4
        .dword  0x10000000, 0x10000000, 0x1000
        .skip   zone1_config + ZC_ENTRY_POINT - .       # no more regions, no interrupts, no IVC
        .dword  0x8a000000                              # entry_point
        .dword  0x8a000000                              # kernel_load_paddr
        .dword  0                                       # kernel_size: the launcher loaded it
        .dword  0x8af00000                              # dtb_load_paddr
        .dword  0                                       # dtb_size
        .asciz  "zone1"                                 # name, NUL-padded
        .skip   zone1_config + ZC_ARCH_CONFIG - .
        .dword  0xc000000, 0x4000000                    # plic_base, plic_size
        .dword  0xd000000, 0x8000                       # aplic_base, aplic_size
        .skip   zone1_config + ZC_SIZEOF - .            # no PCI buses or devices
        .size   zone1_config, . - zone1_config

        .bss
        .balign 16
zone_infos:     .zero ZI_SIZEOF * ZONE_INFOS
stack0:         .zero STACK_SIZE
stack1:         .zero STACK_SIZE
