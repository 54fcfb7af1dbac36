/* Stage-1 translation at EL1: an identity map of RAM (2 MiB blocks) and of
 * the PL011 (a 4 KiB Device page at level 3) through TTBR0, and through
 * TTBR1 a high-half alias of RAM plus a window of 4 KiB pages with different
 * permissions. Reads and writes through every mapping, runs code through the
 * alias, translates with AT, remaps a page with TLB maintenance, and takes
 * deliberate faults (translation at levels 1-3, permission, access flag, an
 * instruction fetch from a PXN page), printing ESR_EL1's EC/FSC/WnR and
 * FAR_EL1 before carrying on. */
#include "lib.h"
#include "stage1.h"

#define MiB (1UL << 20)
#define RAM_MAPPED (256 * MiB)
#define HIGH(p) ((uint64_t)(uintptr_t)(p) + VA_HIGH_BASE) /* the TTBR1 alias of a RAM address */
#define WINDOW (VA_HIGH_BASE + 3 * (1UL << LEVEL1_SHIFT))
#define WINDOW_RW (WINDOW + 0 * PAGE_SIZE)
#define WINDOW_RO (WINDOW + 1 * PAGE_SIZE)
#define WINDOW_PXN (WINDOW + 2 * PAGE_SIZE)
#define WINDOW_HOLE (WINDOW + 3 * PAGE_SIZE)
#define WINDOW_NO_AF (WINDOW + 4 * PAGE_SIZE)
#define WINDOW_REMAP (WINDOW + 5 * PAGE_SIZE)
#define UNMAPPED_L1 0x80000000UL
#define UNMAPPED_L2 0x00200000UL

static page_table l1_low, l2_low, l3_uart, l2_ram, l1_high, l2_window, l3_window;
static uint64_t window_page[512] __attribute__((aligned(4096)));
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));
static uint64_t alias_target;

/* What the exception handler does with the next abort. */
enum fault_action { FAULT_UNEXPECTED, FAULT_SKIP, FAULT_SET_AF, FAULT_RETURN };
static volatile enum fault_action action;
static volatile uint64_t fault_esr, fault_far, fault_elr;
static volatile unsigned faults;

void exception_handler(struct exception_frame *f) {
  uint64_t ec = ESR_EC(f->esr);
  int abort = ec == ESR_EC_DABT_CUR || ec == ESR_EC_IABT_CUR;
  if (!abort || action == FAULT_UNEXPECTED) {
    kprintf("unexpected exception: vector %lu esr %lx elr %lx far %lx\n", f->vector, f->esr, f->elr, f->far);
    poweroff();
  }
  faults++;
  fault_esr = f->esr;
  fault_far = f->far;
  fault_elr = f->elr;
  switch (action) {
    case FAULT_SKIP:
      f->elr += 4;
      break;
    case FAULT_SET_AF:
      /* Fix the descriptor and return to the same instruction. */
      l3_window[TABLE_INDEX(f->far, LEVEL3_SHIFT)] |= PTE_AF;
      stage1_invalidate(f->far);
      break;
    case FAULT_RETURN:
      /* A call into a page that cannot be executed: return to the caller. */
      f->elr = f->x[30];
      f->x[0] = 0xfa17;
      break;
    case FAULT_UNEXPECTED:
      break;
  }
  action = FAULT_UNEXPECTED;
}

static void print_fault(const char *what) {
  kprintf("%s: faults %u EC %02lx FSC %02lx WnR %lu FAR %lx\n", what, faults, ESR_EC(fault_esr), fault_esr & 0x3f,
          (fault_esr >> 6) & 1, fault_far);
}

/* A load that may fault: a skipped load leaves the register as it was. */
static uint64_t load_or_keep(uint64_t va, uint64_t keep) {
  uint64_t v = keep;
  __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
  return v;
}

static void store(uint64_t va, uint64_t v) { __asm__ volatile("str %0, [%1]" ::"r"(v), "r"(va) : "memory"); }

static uint64_t at_s1e1r(uint64_t va) {
  __asm__ volatile("at s1e1r, %0\n\tisb" ::"r"(va) : "memory");
  return sysreg_read(par_el1);
}

static void build_tables(void) {
  uint64_t uart_l2 = TABLE_INDEX(UART_BASE, LEVEL2_SHIFT);
  l1_low[0] = table_descriptor(&l2_low);
  l2_low[uart_l2] = table_descriptor(&l3_uart);
  l3_uart[TABLE_INDEX(UART_BASE, LEVEL3_SHIFT)] = UART_BASE | PTE_DEVICE | PTE_PAGE;
  l1_low[TABLE_INDEX(RAM_BASE, LEVEL1_SHIFT)] = table_descriptor(&l2_ram);
  for (uint64_t off = 0; off < RAM_MAPPED; off += 2 * MiB)
    l2_ram[TABLE_INDEX(RAM_BASE + off, LEVEL2_SHIFT)] = (RAM_BASE + off) | PTE_NORMAL;
  /* TTBR1: the same level-2 table gives the high alias of RAM. */
  l1_high[TABLE_INDEX(HIGH(RAM_BASE), LEVEL1_SHIFT)] = table_descriptor(&l2_ram);
  l1_high[TABLE_INDEX(WINDOW, LEVEL1_SHIFT)] = table_descriptor(&l2_window);
  l2_window[TABLE_INDEX(WINDOW, LEVEL2_SHIFT)] = table_descriptor(&l3_window);
  uint64_t code_page = (uintptr_t)load_or_keep & ~(PAGE_SIZE - 1);
  l3_window[TABLE_INDEX(WINDOW_RW, LEVEL3_SHIFT)] = (uintptr_t)window_page | PTE_NORMAL | PTE_PAGE;
  l3_window[TABLE_INDEX(WINDOW_RO, LEVEL3_SHIFT)] = (uintptr_t)window_page | PTE_NORMAL | PTE_PAGE | PTE_RO;
  l3_window[TABLE_INDEX(WINDOW_PXN, LEVEL3_SHIFT)] = code_page | PTE_NORMAL | PTE_PAGE | PTE_PXN;
  l3_window[TABLE_INDEX(WINDOW_NO_AF, LEVEL3_SHIFT)] = ((uintptr_t)window_page | PTE_NORMAL | PTE_PAGE) & ~PTE_AF;
  l3_window[TABLE_INDEX(WINDOW_REMAP, LEVEL3_SHIFT)] = (uintptr_t)page_a | PTE_NORMAL | PTE_PAGE;
}

/* Runs through the alias when called there: its pc and the globals it
 * addresses (pc-relative) are high too. */
static __attribute__((noinline)) uint64_t where_am_i(uint64_t *pc) {
  __asm__ volatile("adr %0, ." : "=r"(*pc));
  alias_target += 1;
  return (uint64_t)(uintptr_t)&alias_target;
}

int main(unsigned long cpu, unsigned long dtb) {
  (void)cpu;
  (void)dtb;
  kputs("mmu: start\n");
  build_tables();
  stage1_enable(&l1_low, &l1_high);
  kprintf("MMU on: SCTLR_EL1 M %lu C %lu I %lu\n", sysreg_read(sctlr_el1) & 1, (sysreg_read(sctlr_el1) >> 2) & 1,
          (sysreg_read(sctlr_el1) >> 12) & 1);

  /* RAM through both halves. */
  static uint64_t cell;
  cell = 0x1111;
  store(HIGH(&cell), 0x2222 + load_or_keep(HIGH(&cell), 0));
  kprintf("identity sees %lx after a write through the alias\n", cell);
  cell = 0x4444;
  kprintf("alias sees %lx after a write through the identity map\n", load_or_keep(HIGH(&cell), 0));

  /* Code through the alias (an indirect call to the high address). */
  uint64_t (*high_fn)(uint64_t *) = (uint64_t (*)(uint64_t *))HIGH(where_am_i);
  uint64_t pc = 0;
  uint64_t target = high_fn(&pc);
  kprintf("ran at alias: pc in the alias of where_am_i %u, global - identity global = %lx, counter %lu\n",
          pc - HIGH(where_am_i) < 256, target - (uint64_t)(uintptr_t)&alias_target, alias_target);

  /* The window's pages. */
  store(WINDOW_RW, 0xabcdef);
  kprintf("window rw -> page[0] %lx; ro reads %lx\n", window_page[0], load_or_keep(WINDOW_RO, 0));

  uint64_t par = at_s1e1r(WINDOW_RO);
  kprintf("AT S1E1R window ro: F %lu PA - window_page %lx\n", par & 1,
          (par & 0xfffffffff000UL) - (uint64_t)(uintptr_t)window_page);
  par = at_s1e1r(WINDOW_HOLE);
  kprintf("AT S1E1R window hole: F %lu FST %02lx\n", par & 1, (par >> 1) & 0x3f);
  par = at_s1e1r(UART_BASE);
  kprintf("AT S1E1R uart: F %lu PA %lx\n", par & 1, par & 0xfffffffff000UL);

  /* Deliberate faults. */
  action = FAULT_SKIP;
  kprintf("load from unmapped level 1 kept %lx\n", load_or_keep(UNMAPPED_L1, 0x5a5a));
  print_fault("level 1 translation");
  action = FAULT_SKIP;
  kprintf("load from unmapped level 2 kept %lx\n", load_or_keep(UNMAPPED_L2 + 8, 0x6b6b));
  print_fault("level 2 translation");
  action = FAULT_SKIP;
  kprintf("load beside the uart kept %lx\n", load_or_keep(UART_BASE + PAGE_SIZE, 0x7c7c));
  print_fault("level 3 translation");
  action = FAULT_SKIP;
  store(WINDOW_RO + 16, 0xbad);
  print_fault("write to read-only");
  kprintf("page[2] after the refused write %lx\n", window_page[2]);
  action = FAULT_SET_AF;
  kprintf("load with the access flag clear: %lx\n", load_or_keep(WINDOW_NO_AF, 0));
  print_fault("access flag");
  kprintf("second load (flag now set): %lx, faults %u\n", load_or_keep(WINDOW_NO_AF, 0), faults);
  action = FAULT_RETURN;
  uint64_t pxn_call = WINDOW_PXN + ((uintptr_t)load_or_keep & (PAGE_SIZE - 1));
  uint64_t r = ((uint64_t (*)(uint64_t, uint64_t))pxn_call)(0, 0);
  kprintf("call into a PXN page returned %lx\n", r);
  kprintf("instruction abort: faults %u EC %02lx FSC %02lx FAR is the target %u ELR is the target %u\n", faults,
          ESR_EC(fault_esr), fault_esr & 0x3f, fault_far == pxn_call, fault_elr == pxn_call);

  /* Remap a page: the old translation must not survive the TLBI. */
  page_a[0] = 0xaaaa;
  page_b[0] = 0xbbbb;
  kprintf("remap before: %lx\n", load_or_keep(WINDOW_REMAP, 0));
  l3_window[TABLE_INDEX(WINDOW_REMAP, LEVEL3_SHIFT)] = (uintptr_t)page_b | PTE_NORMAL | PTE_PAGE;
  stage1_invalidate(WINDOW_REMAP);
  kprintf("remap after: %lx\n", load_or_keep(WINDOW_REMAP, 0));
  kprintf("mmu: done, %u faults\n", faults);
  return 0;
}
