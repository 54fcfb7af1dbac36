/* Two CPUs of one zone with different stage-1 mappings of the same virtual
   address, linked and loaded as paged.c is (paged.ld). Each CPU has its own
   page table: both map the loaded memory where it is and at a high-half
   address, and each maps the per-CPU window (WINDOW_VA) onto its own 2 MiB of
   the zone's memory (0x400000 and 0x600000 above the image's start). The
   boot CPU starts the second one (riscv64 SBI HSM hart_start of hart 3,
   aarch64 PSCI CPU_ON of MPIDR 3), and each calls cpu_main with its id,
   which stores the id in its window and counts there for ever. */

struct percpu {
  long id;
  long count;
};

#if defined(__riscv)
#define WINDOW_VA 0xffffffc0c0000000UL /* root index 259 */
#elif defined(__aarch64__)
#define WINDOW_VA 0xffffff8080000000UL /* TTBR1 level 1 index 2 */
#endif

volatile struct percpu *const window = (volatile struct percpu *)WINDOW_VA;
unsigned long cpu_stacks[2][1024] __attribute__((aligned(16)));

__attribute__((noinline)) void tick(volatile struct percpu *mine) {
  mine->count++;
}

void cpu_main(long id) {
  window->id = id;
  for (;;) tick(window);
}

/* Each CPU's table maps the image's gigabyte at its own address and at the
   high half; the boot code points the window's entry at the CPU's own
   next-level table, whose first entry is the CPU's 2 MiB. */
#if defined(__riscv)
#define GIGAPAGE_RAM 0x200000cfUL /* 0x80000000: V R W X A D */
#define BOOT_TABLE __attribute__((section(".boot.data"), aligned(4096))) unsigned long
BOOT_TABLE root_a[512] = {[2] = GIGAPAGE_RAM, [258] = GIGAPAGE_RAM};
BOOT_TABLE root_b[512] = {[2] = GIGAPAGE_RAM, [258] = GIGAPAGE_RAM};
BOOT_TABLE window_a[512] = {[0] = 0x229000cfUL}; /* 0x8a400000 */
BOOT_TABLE window_b[512] = {[0] = 0x229800cfUL}; /* 0x8a600000 */
__asm__(".pushsection .boot.text, \"ax\"\n"
        ".macro paging root, window\n"
        "  li t0, 0x2000\n  csrs sstatus, t0\n"
        "  lla t0, \\root\n  lla t1, \\window\n  srli t1, t1, 12\n  slli t1, t1, 10\n  ori t1, t1, 1\n"
        "  li t2, 259 * 8\n  add t2, t0, t2\n  sd t1, 0(t2)\n"
        "  srli t0, t0, 12\n  li t1, 8\n  slli t1, t1, 60\n  or t0, t0, t1\n"
        "  sfence.vma\n  csrw satp, t0\n  sfence.vma\n"
        ".endm\n"
        ".globl _start\n.type _start, %function\n_start:\n"
        "  paging root_a, window_a\n"
        "  li a0, 3\n  lla a1, secondary\n  li a2, 0\n  li a7, 0x48534d\n  li a6, 0\n  ecall\n"
        "  ld sp, 2f\n  li a0, 2\n  ld t0, 4f\n  jalr t0\n1: j 1b\n"
        "secondary:\n"
        "  paging root_b, window_b\n"
        "  ld sp, 3f\n  li a0, 3\n  ld t0, 4f\n  jalr t0\n5: j 5b\n"
        ".balign 8\n2: .dword cpu_stacks + 8192\n3: .dword cpu_stacks + 16384\n4: .dword cpu_main\n.popsection\n");
#elif defined(__aarch64__)
#define BLOCK_RAM 0x40000701UL /* 0x40000000: valid block, MAIR attr 0, inner shareable, AF */
#define BOOT_TABLE __attribute__((section(".boot.data"), aligned(4096))) unsigned long
BOOT_TABLE root_a[512] = {[1] = BLOCK_RAM};
BOOT_TABLE root_b[512] = {[1] = BLOCK_RAM};
BOOT_TABLE window_a[512] = {[0] = 0x60400701UL};
BOOT_TABLE window_b[512] = {[0] = 0x60600701UL};
/* MAIR attr 0 Normal write-back; TCR T0SZ = T1SZ = 25, 4 KiB granules, write-back walks, IPS 40 bits. */
__asm__(".pushsection .boot.text, \"ax\"\n"
        ".macro paging root, window\n"
        "  mov x9, #(3 << 20)\n  msr cpacr_el1, x9\n  isb\n"
        "  ldr x9, =0x04ff\n  msr mair_el1, x9\n  ldr x9, =0x2b5193519\n  msr tcr_el1, x9\n"
        "  adr x9, \\root\n  adr x10, \\window\n  orr x10, x10, #3\n  str x10, [x9, #16]\n"
        "  msr ttbr0_el1, x9\n  msr ttbr1_el1, x9\n"
        "  dsb ish\n  tlbi vmalle1\n  dsb ish\n  isb\n"
        "  mrs x9, sctlr_el1\n  orr x9, x9, #1\n  orr x9, x9, #4\n  orr x9, x9, #0x1000\n  msr sctlr_el1, x9\n  isb\n"
        ".endm\n"
        ".globl _start\n.type _start, %function\n_start:\n"
        "  paging root_a, window_a\n"
        "  ldr x0, =0xc4000003\n  mov x1, #3\n  adr x2, secondary\n  mov x3, #0\n  smc #0\n"
        "  ldr x9, =cpu_stacks + 8192\n  mov sp, x9\n  mov x0, #2\n  ldr x9, =cpu_main\n  blr x9\n1: b 1b\n"
        "secondary:\n"
        "  paging root_b, window_b\n"
        "  ldr x9, =cpu_stacks + 16384\n  mov sp, x9\n  mov x0, #3\n  ldr x9, =cpu_main\n  blr x9\n2: b 2b\n"
        ".ltorg\n.popsection\n");
#endif
