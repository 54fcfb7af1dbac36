/* Sv39: identity-maps the UART and RAM with gigapages, then maps pages on
 * demand from the trap handler: load, store and instruction page faults,
 * hardware-set A/D bits, remapping after sfence.vma, a megapage alias,
 * reserved and U-bit PTEs, and a non-canonical address. Under the hvisor
 * model the same code runs in VS-mode, where satp is vsatp. */
#include "lib.h"

#define PTE_V 0x01UL
#define PTE_R 0x02UL
#define PTE_W 0x04UL
#define PTE_X 0x08UL
#define PTE_U 0x10UL
#define PTE_A 0x40UL
#define PTE_D 0x80UL
#define SSTATUS_SUM (1UL << 18)
#define VBASE 0x40000000UL /* root[1]: populated on demand */

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l0[512] __attribute__((aligned(4096)));
static uint32_t page_a[1024] __attribute__((aligned(4096)));
static uint32_t page_b[1024] __attribute__((aligned(4096)));

static uint64_t pte(const void *pa, uint64_t flags) { return (((uintptr_t)pa >> 12) << 10) | flags; }

/* What the trap handler does about the next fault: write fix_val to
 * *fix_ptr, or, with fix_ptr null, skip the faulting instruction. */
static volatile uint64_t *volatile fix_ptr;
static volatile uint64_t fix_val;
static volatile unsigned faults;
static volatile uint64_t last_cause, last_tval;

void trap_handler(struct trap_frame *f) {
  uint64_t cause = f->scause;
  if (cause != 12 && cause != 13 && cause != 15) {
    kprintf("unexpected trap: scause=%lx stval=%lx\n", cause, f->stval);
    poweroff();
  }
  faults++;
  last_cause = cause;
  last_tval = f->stval;
  if (fix_ptr) {
    *fix_ptr = fix_val;
    fix_ptr = 0;
    __asm__ volatile("sfence.vma %0, zero" ::"r"(f->stval) : "memory");
  } else {
    uint16_t low = *(volatile uint16_t *)f->sepc;
    f->sepc += (low & 3) == 3 ? 4 : 2;
    f->x[10] = 0xbad; /* a0: what the skipped load "returned" */
  }
}

static void expect_fault(volatile uint64_t *where, uint64_t val) {
  fix_val = val;
  fix_ptr = where;
}

/* stval is printed relative to base, for addresses that vary with the build. */
static void report_rel(const char *what, uint64_t value, unsigned before, uint64_t base) {
  kprintf("%s: value %lx faults %u scause %lu stval %lx\n", what, value, faults - before, last_cause,
          last_tval ? last_tval - base : 0);
  last_cause = last_tval = 0;
}

static void report(const char *what, uint64_t value, unsigned before) { report_rel(what, value, before, 0); }

static uint64_t load32(uintptr_t va) {
  register uint64_t a0 __asm__("a0") = va;
  __asm__ volatile("lwu a0, 0(a0)" : "+r"(a0) : : "memory");
  return a0;
}

/* Lives alone in its own page (link.ld .alias_page), so it can run from a
 * second virtual address; it touches nothing but registers and the stack. */
__attribute__((section(".alias_page"), noinline)) uint64_t alias_fn(uint64_t x) { return x * 3 + 1; }

int main(unsigned long hartid, unsigned long dtb) {
  (void)hartid;
  (void)dtb;
  kputs("paging: start\n");
  for (unsigned i = 0; i < 1024; i++) {
    page_a[i] = 0xa0000000u + i;
    page_b[i] = 0xb0000000u + i;
  }
  root[0] = pte((void *)0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);                    /* devices */
  root[2] = pte((void *)0x80000000UL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D); /* RAM */
  root[1] = pte(l1, PTE_V);
  l1[0] = pte(l0, PTE_V);
  csr_write(stvec, (uintptr_t)trap_entry);
  uint64_t satp = (8UL << 60) | ((uintptr_t)root >> 12);
  __asm__ volatile("sfence.vma zero, zero" ::: "memory");
  csr_write(satp, satp);
  __asm__ volatile("sfence.vma zero, zero" ::: "memory");
  kprintf("satp mode %lu, root matches %u\n", csr_read(satp) >> 60, (csr_read(satp) << 20 >> 20) == ((uintptr_t)root >> 12));

  console_out = uart_putc;
  kputs("uart through the identity gigapage\n");
  console_out = sbi_console_putchar;

  unsigned before = faults;
  expect_fault(&l0[0], pte(page_a, PTE_V | PTE_R));
  report("load VBASE+0x124", load32(VBASE + 0x124), before);
  kprintf("pte after load: flags %lx\n", l0[0] & 0xff);

  before = faults;
  expect_fault(&l0[0], pte(page_a, PTE_V | PTE_R | PTE_W));
  *(volatile uint32_t *)(VBASE + 0x200) = 0x5a5a1234;
  report("store VBASE+0x200", ((volatile uint32_t *)page_a)[0x80], before);
  kprintf("pte after store: flags %lx, load back %lx\n", l0[0] & 0xff, load32(VBASE + 0x200));

  before = faults;
  uintptr_t off = (uintptr_t)alias_fn & 0xfff;
  expect_fault(&l0[2], pte((void *)((uintptr_t)alias_fn & ~0xfffUL), PTE_V | PTE_R | PTE_X));
  uint64_t (*fn)(uint64_t) = (uint64_t(*)(uint64_t))(VBASE + 0x2000 + off);
  report("call VBASE+0x2000", fn(41), before);
  kprintf("pte after fetch: flags %lx\n", l0[2] & 0xff);

  /* Unmap, flush, and let the next fault map a different page there. */
  l0[0] = 0;
  __asm__ volatile("sfence.vma %0, zero" ::"r"(VBASE) : "memory");
  before = faults;
  expect_fault(&l0[0], pte(page_b, PTE_V | PTE_R | PTE_A));
  report("reload after remap", load32(VBASE + 0x124), before);

  /* Change a valid mapping in place; sfence.vma makes the change visible. */
  l0[0] = pte(page_a, PTE_V | PTE_R | PTE_A);
  __asm__ volatile("sfence.vma zero, zero" ::: "memory");
  before = faults;
  report("load after in-place change", load32(VBASE + 0x124), before);

  /* A 2 MiB megapage aliasing the image start at 0x80200000. */
  l1[1] = pte((void *)0x80200000UL, PTE_V | PTE_R | PTE_A);
  __asm__ volatile("sfence.vma zero, zero" ::: "memory");
  before = faults;
  uint64_t via_alias = load32(VBASE + 0x200000 + ((uintptr_t)page_a - 0x80200000UL) + 8);
  report("megapage alias of page_a[2]", via_alias, before);

  /* A megapage whose physical page number is not 2 MiB aligned is a fault. */
  before = faults;
  l1[2] = pte((void *)0x80201000UL, PTE_V | PTE_R | PTE_A);
  __asm__ volatile("sfence.vma zero, zero" ::: "memory");
  expect_fault(&l1[2], pte((void *)0x80200000UL, PTE_V | PTE_R | PTE_A));
  uintptr_t va = VBASE + 0x400000 + ((uintptr_t)page_b - 0x80200000UL);
  report_rel("misaligned megapage (stval relative)", load32(va), before, va);

  /* W without R is reserved: a fault. */
  before = faults;
  l0[3] = pte(page_b, PTE_V | PTE_W | PTE_A | PTE_D);
  __asm__ volatile("sfence.vma zero, zero" ::: "memory");
  expect_fault(&l0[3], pte(page_b, PTE_V | PTE_R | PTE_A));
  report("W-only pte", load32(VBASE + 0x3010), before);

  /* A user page: S-mode loads fault unless sstatus.SUM is set. */
  l0[4] = pte(page_b, PTE_V | PTE_R | PTE_U | PTE_A);
  __asm__ volatile("sfence.vma zero, zero" ::: "memory");
  before = faults;
  fix_ptr = 0;
  report("U page, SUM=0 (skipped)", load32(VBASE + 0x4020), before);
  csr_set(sstatus, SSTATUS_SUM);
  before = faults;
  report("U page, SUM=1", load32(VBASE + 0x4020), before);
  csr_clear(sstatus, SSTATUS_SUM);

  /* Bits 63..39 must all equal bit 38 in Sv39. */
  before = faults;
  fix_ptr = 0;
  report("non-canonical address (skipped)", load32(0x0000008000000000UL), before);

  /* An unmapped page in an unpopulated gigabyte. */
  before = faults;
  fix_ptr = 0;
  report("unmapped gigapage (skipped)", load32(0xc0001000UL), before);

  csr_write(satp, 0);
  __asm__ volatile("sfence.vma zero, zero" ::: "memory");
  kprintf("paging off, satp %lx, total faults %u, page_a[0x80] %x\n", csr_read(satp), faults,
          ((volatile uint32_t *)page_a)[0x80]);
  return 0;
}
