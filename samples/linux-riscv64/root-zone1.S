# The root zone of the linux-riscv64 zone 1 launch (launch-zone1.json).
# hvisor creates it from its qemu-plic board constants ("root-linux": CPUs
# 0-1, RAM 0x83000000 up to 4 GiB mapped 1:1, the UART passed through) and
# enters it on CPU 0 at 0x90000000. The launcher has already put Debian's
# kernel at 0xa0200000, the initramfs 128 MiB past it and zone 1's device
# tree at 0xa0000000, as hvisor-tool would.
#
# This program plays root Linux's part: it announces itself, starts zone 1
# (zone1.json) on CPU 2 with the ZoneStart hypercall, and idles. From then
# on the UART belongs to zone 1's Linux: the root prints nothing more unless
# the hypercall fails.
#
# Run it:  node dist/cli.js run samples/linux-riscv64/launch-zone1.json

        .equ UART, 0x10000000           # 16550 transmit register

# hvisor's hypercalls: ecall with a7 = EID_HVISOR, a0 = code, a1/a2 = args.
# They return a0 = 0 and a1 = the value, or a0 = -1 and a1 = -errno.
        .equ EID_HVISOR, 0x114514
        .equ HC_ZONE_START, 2           # (config address, config size)

# struct HvZoneConfig as hvisor's riscv64 build lays it out (#[repr(C)],
# 3080 bytes). Field offsets:
        .equ ZC_ZONE_ID, 0              # u32
        .equ ZC_CPUS, 8                 # u64, bit n = CPU n
        .equ ZC_NUM_MEMORY_REGIONS, 16  # u32
        .equ ZC_MEMORY_REGIONS, 24      # HvConfigMemoryRegion[64]
        .equ ZC_INTERRUPTS_BITMAP, 2072 # u32[32], bit n % 32 of word n / 32 = IRQ n
        .equ ZC_NUM_IVC_CONFIGS, 2200   # u32
        .equ ZC_ENTRY_POINT, 2288       # u64, guest physical
        .equ ZC_KERNEL_LOAD_PADDR, 2296 # u64
        .equ ZC_KERNEL_SIZE, 2304       # u64
        .equ ZC_DTB_LOAD_PADDR, 2312    # u64
        .equ ZC_DTB_SIZE, 2320          # u64
        .equ ZC_NAME, 2328              # char[32]
        .equ ZC_ARCH_CONFIG, 2360       # HvArchZoneConfig: 4 x u64 below
        .equ ZC_SIZEOF, 3080
# struct HvConfigMemoryRegion (32 bytes); mem_type 0 = RAM, 1 = IO
        .equ MR_PHYSICAL_START, 8       # u64

        .text
        .globl _start
_start:                                 # CPU 0: a0 = hartid, a1 = DTB
        la      a0, s_starting
        call    puts
        li      a0, HC_ZONE_START
        la      a1, zone1_config        # a physical address: our memory is mapped 1:1
        li      a2, ZC_SIZEOF
        li      a7, EID_HVISOR
        ecall
        beqz    a0, park                # zone 1's Linux owns the console now
        la      a0, s_failed            # a1 = -errno
        call    puts
park:   wfi
        j       park

# puts(a0 = NUL-terminated string)
puts:   li      t0, UART
1:      lbu     t1, 0(a0)
        beqz    t1, 2f
        sb      t1, 0(t0)
        addi    a0, a0, 1
        j       1b
2:      ret

        .data
s_starting:     .asciz "[root] starting zone 1 (Linux on CPU 2)\n"
s_failed:       .asciz "[root] ZoneStart(zone 1) failed\n"

# Zone 1, exactly as zone1.json describes it: the test compares these bytes
# with hvisor-debug's encoding of that file. Each `.skip` pads up to the
# field named in it; the fields between follow one another without gaps.
        .balign 8
zone1_config:
        .word   1                                       # zone_id
        .skip   zone1_config + ZC_CPUS - .
        .dword  1 << 2                                  # cpus: 2
        .word   2                                       # num_memory_regions
        .skip   zone1_config + ZC_MEMORY_REGIONS - .
        .word   0                                       # [0].mem_type: RAM, 256 MiB
        .skip   MR_PHYSICAL_START - 4
        .dword  0xa0000000, 0xa0000000, 0x10000000      # physical_start, virtual_start, size
        .word   1                                       # [1].mem_type: IO, the UART
        .skip   MR_PHYSICAL_START - 4
        .dword  0x10000000, 0x10000000, 0x1000
        .skip   zone1_config + ZC_INTERRUPTS_BITMAP - .
        .word   1 << 10                                 # IRQ 10: the UART
        .skip   zone1_config + ZC_ENTRY_POINT - .       # no IVC
        .dword  0xa0200000                              # entry_point
        .dword  0xa0200000                              # kernel_load_paddr
        .dword  0                                       # kernel_size: the launcher loaded it
        .dword  0xa0000000                              # dtb_load_paddr
        .dword  0                                       # dtb_size
        .asciz  "linux1"                                # name, NUL-padded
        .skip   zone1_config + ZC_ARCH_CONFIG - .
        .dword  0xc000000, 0x4000000                    # plic_base, plic_size
        .dword  0xd000000, 0x8000                       # aplic_base, aplic_size
        .skip   zone1_config + ZC_SIZEOF - .            # no PCI buses or devices
        .size   zone1_config, . - zone1_config
