/* A guest that runs with paging on, linked as a kernel is (paged.ld): _start
   runs at the load address with translation off, points the page table at
   one table that maps the loaded memory both where it is (for the boot code)
   and at a high-half virtual address (riscv64 Sv39 through satp, aarch64
   TTBR0/TTBR1 at EL1), turns translation on and calls paged_main at its
   high address, on a stack at a high address. paged_main calls outer and
   inner again and again: locals, a struct, an array and a pointer into a
   global, every address of them high. */

struct point {
  int x;
  int y;
  long tag;
};

struct point origin = {3, -4, 0x1234};
int table[6] = {1, 1, 2, 3, 5, 8};
int *cursor = &table[2];
volatile long sink;
unsigned long paged_stack[1024] __attribute__((aligned(16)));

__attribute__((noinline)) long inner(struct point *p, int scale) {
  int local[3] = {p->x * scale, p->y * scale, *cursor};
  long sum = local[0] + local[1] + local[2];
  sink = sum;
  return sum + p->tag;
}

__attribute__((noinline)) long outer(int round) {
  struct point here = origin;
  here.x += round;
  return inner(&here, 2);
}

void paged_main(void) {
  for (int round = 0;; round++) sink += outer(round);
}

/* One table for both halves: entry 2 (riscv64) or 1 (aarch64) maps the
   gigabyte holding the image at its own address, and the high entry maps
   the same gigabyte at VIRT_OFFSET above it. */
#if defined(__riscv)
#define GIGAPAGE_RAM 0x200000cfUL /* 0x80000000: V R W X A D */
__attribute__((section(".boot.data"), aligned(4096))) unsigned long boot_table[512] = {[2] = GIGAPAGE_RAM, [258] = GIGAPAGE_RAM};
__asm__(".pushsection .boot.text, \"ax\"\n.globl _start\n.type _start, %function\n_start:\n"
        "  li t0, 0x2000\n  csrs sstatus, t0\n"
        "  lla t0, boot_table\n  srli t0, t0, 12\n  li t1, 8\n  slli t1, t1, 60\n  or t0, t0, t1\n"
        "  sfence.vma\n  csrw satp, t0\n  sfence.vma\n"
        "  ld sp, 2f\n  ld t0, 3f\n  jalr t0\n1: j 1b\n"
        ".balign 8\n2: .dword paged_stack + 8192\n3: .dword paged_main\n.popsection\n");
#elif defined(__aarch64__)
#define BLOCK_RAM 0x40000701UL /* 0x40000000: valid block, MAIR attr 0, inner shareable, AF */
__attribute__((section(".boot.data"), aligned(4096))) unsigned long boot_table[512] = {[1] = BLOCK_RAM};
/* MAIR attr 0 Normal write-back; TCR T0SZ = T1SZ = 25, 4 KiB granules, write-back walks, IPS 40 bits. */
__asm__(".pushsection .boot.text, \"ax\"\n.globl _start\n.type _start, %function\n_start:\n"
        "  mov x9, #(3 << 20)\n  msr cpacr_el1, x9\n  isb\n"
        "  ldr x9, =0x04ff\n  msr mair_el1, x9\n  ldr x9, =0x2b5193519\n  msr tcr_el1, x9\n"
        "  adr x9, boot_table\n  msr ttbr0_el1, x9\n  msr ttbr1_el1, x9\n"
        "  dsb ish\n  tlbi vmalle1\n  dsb ish\n  isb\n"
        "  mrs x9, sctlr_el1\n  orr x9, x9, #1\n  orr x9, x9, #4\n  orr x9, x9, #0x1000\n  msr sctlr_el1, x9\n  isb\n"
        "  ldr x9, =paged_stack + 8192\n  mov sp, x9\n  ldr x9, =paged_main\n  blr x9\n1: b 1b\n.ltorg\n.popsection\n");
#endif
