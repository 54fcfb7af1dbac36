// The root zone of the linux-aarch64 zone 1 launch (launch-zone1.json).
// hvisor creates it from its qemu-gicv3 board constants ("root-linux": CPUs
// 0-1, RAM 0x50000000 up to 0xc0000000 mapped 1:1, the PL011 UART passed
// through) and enters it on CPU 0 at 0xa0400000 in EL1h, MMU off. The
// launcher has already put Debian's kernel at 0x60200000, the initramfs
// 128 MiB past it and zone 1's device tree at 0x60000000, as hvisor-tool
// would.
//
// This program plays root Linux's part: it announces itself, starts zone 1
// (zone1.json) on CPU 2 with the ZoneStart hypercall, and idles. From then
// on the UART belongs to zone 1's Linux: the root prints nothing more unless
// the hypercall fails.
//
// Run it:  node dist/cli.js run samples/linux-aarch64/launch-zone1.json

        .equ UART, 0x09000000           // PL011 data register

// hvisor's hypercalls: hvc with x0 = code, x1/x2 = args. They return the
// value in x0, or a negative errno.
        .equ HC_ZONE_START, 2           // (config address, config size)

// struct HvZoneConfig as hvisor's aarch64 build lays it out (#[repr(C)],
// 3136 bytes). Field offsets:
        .equ ZC_ZONE_ID, 0              // u32
        .equ ZC_CPUS, 8                 // u64, bit n = CPU n
        .equ ZC_NUM_MEMORY_REGIONS, 16  // u32
        .equ ZC_MEMORY_REGIONS, 24      // HvConfigMemoryRegion[64]
        .equ ZC_INTERRUPTS_BITMAP, 2072 // u32[32], bit n % 32 of word n / 32 = IRQ n
        .equ ZC_NUM_IVC_CONFIGS, 2200   // u32
        .equ ZC_ENTRY_POINT, 2288       // u64, guest physical
        .equ ZC_KERNEL_LOAD_PADDR, 2296 // u64
        .equ ZC_KERNEL_SIZE, 2304       // u64
        .equ ZC_DTB_LOAD_PADDR, 2312    // u64
        .equ ZC_DTB_SIZE, 2320          // u64
        .equ ZC_NAME, 2328              // char[32]
        .equ ZC_ARCH_CONFIG, 2360       // HvArchZoneConfig: 88 bytes, below
        .equ ZC_SIZEOF, 3136
// struct HvConfigMemoryRegion (32 bytes); mem_type 0 = RAM, 1 = IO
        .equ MR_PHYSICAL_START, 8       // u64
// struct HvArchZoneConfig, aarch64
        .equ AC_IS_AARCH32, 0           // u8
        .equ AC_GIC_TAG, 8              // u64
        .equ GIC_V3, 1

        .text
        .globl _start
_start:                                 // CPU 0: x0 = DTB
        adr     x0, s_starting
        bl      puts
        mov     x0, #HC_ZONE_START
        adr     x1, zone1_config        // a physical address: our memory is mapped 1:1
        mov     x2, #ZC_SIZEOF
        hvc     #0
        cbz     x0, park                // zone 1's Linux owns the console now
        adr     x0, s_failed            // x0 was -errno
        bl      puts
park:   wfi
        b       park

// puts(x0 = NUL-terminated string)
puts:   mov     x9, #UART
1:      ldrb    w10, [x0], #1
        cbz     w10, 2f
        strb    w10, [x9]
        b       1b
2:      ret

        .data
s_starting:     .asciz "[root] starting zone 1 (Linux on CPU 2)\n"
s_failed:       .asciz "[root] ZoneStart(zone 1) failed\n"

// Zone 1, exactly as zone1.json describes it: the test compares these bytes
// with hvisor-debug's encoding of that file. Each `.skip` pads up to the
// field named in it; the fields between follow one another without gaps.
        .balign 8
zone1_config:
        .word   1                                       // zone_id
        .skip   zone1_config + ZC_CPUS - .
        .dword  1 << 2                                  // cpus: 2
        .word   2                                       // num_memory_regions
        .skip   zone1_config + ZC_MEMORY_REGIONS - .
        .word   0                                       // [0].mem_type: RAM, 256 MiB
        .skip   MR_PHYSICAL_START - 4
        .dword  0x60000000, 0x60000000, 0x10000000      // physical_start, virtual_start, size
        .word   1                                       // [1].mem_type: IO, the UART
        .skip   MR_PHYSICAL_START - 4
        .dword  0x09000000, 0x09000000, 0x1000
        .skip   zone1_config + ZC_INTERRUPTS_BITMAP - .
        .word   0, 1 << (33 - 32)                       // IRQ 33 (SPI 1): the UART
        .skip   zone1_config + ZC_ENTRY_POINT - .       // no IVC
        .dword  0x60200000                              // entry_point
        .dword  0x60200000                              // kernel_load_paddr
        .dword  0                                       // kernel_size: the launcher loaded it
        .dword  0x60000000                              // dtb_load_paddr
        .dword  0                                       // dtb_size
        .asciz  "linux1"                                // name, NUL-padded
        .skip   zone1_config + ZC_ARCH_CONFIG - .
        .byte   0                                       // is_aarch32: no, AArch64
        .skip   zone1_config + ZC_ARCH_CONFIG + AC_GIC_TAG - .
        .dword  GIC_V3                                  // gic_config: Gicv3
        .dword  0x8000000, 0x10000                      // gicd_base, gicd_size
        .dword  0x80a0000, 0xf60000                     // gicr_base, gicr_size
        .dword  0x8080000, 0x20000                      // gits_base, gits_size
        .skip   zone1_config + ZC_SIZEOF - .            // the rest of the union; no PCI buses or devices
        .size   zone1_config, . - zone1_config
