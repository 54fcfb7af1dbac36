/* EL1 stage-1 translation helpers (see stage1.h). */
#include "stage1.h"
#include "lib.h"

#define MAIR_VALUE (0xffUL | 0x04UL << 8) /* attr0 Normal WB RW-allocate, attr1 Device-nGnRE */
/* T0SZ = T1SZ = 25, both walks inner-shareable write-back, TG0 = 4 KiB,
 * TG1 = 4 KiB (encoded 2), IPS = 40 bits. */
#define TCR_VALUE                                                                                   \
  (25UL | 1UL << 8 | 1UL << 10 | 3UL << 12 | 0UL << 14 | 25UL << 16 | 1UL << 24 | 1UL << 26 |       \
   3UL << 28 | 2UL << 30 | 2UL << 32)
#define SCTLR_M (1UL << 0)
#define SCTLR_C (1UL << 2)
#define SCTLR_I (1UL << 12)

void stage1_identity(page_table *l1, page_table *l2_low) {
  for (unsigned i = 0; i < 512; i++) (*l1)[i] = (*l2_low)[i] = 0;
  (*l1)[0] = table_descriptor(l2_low);
  (*l1)[TABLE_INDEX(RAM_BASE, LEVEL1_SHIFT)] = RAM_BASE | PTE_NORMAL;
  uint64_t uart_block = UART_BASE & ~((1UL << LEVEL2_SHIFT) - 1);
  (*l2_low)[TABLE_INDEX(uart_block, LEVEL2_SHIFT)] = uart_block | PTE_DEVICE;
}

void stage1_enable(const page_table *ttbr0, const page_table *ttbr1) {
  sysreg_write(mair_el1, MAIR_VALUE);
  sysreg_write(tcr_el1, TCR_VALUE);
  sysreg_write(ttbr0_el1, (uintptr_t)ttbr0);
  sysreg_write(ttbr1_el1, (uintptr_t)ttbr1);
  __asm__ volatile("dsb ish\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
  sysreg_write(sctlr_el1, sysreg_read(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I);
  isb();
}

static page_table identity_l1, identity_l2_low, empty_table;

void stage1_identity_build(void) { stage1_identity(&identity_l1, &identity_l2_low); }

void stage1_identity_enable(void) { stage1_enable(&identity_l1, &empty_table); }

/* TLBI VAAE1IS takes VA[55:12] in bits [43:0], for any ASID. */
void stage1_invalidate(uint64_t va) {
  uint64_t operand = (va >> 12) & ((1UL << 44) - 1);
  __asm__ volatile("dsb ishst\n\ttlbi vaae1is, %0\n\tdsb ish\n\tisb" ::"r"(operand) : "memory");
}
