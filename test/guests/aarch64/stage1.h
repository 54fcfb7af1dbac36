/* EL1 stage-1 translation for the guests that need it: 4 KiB granule,
 * 39-bit virtual addresses on both halves (tables start at level 1), MAIR
 * index 0 = Normal write-back, 1 = Device-nGnRE. With the MMU off every data
 * access is Device memory, where unaligned accesses and atomics are not
 * allowed; guests that use them turn on an identity map first. */
#ifndef GUEST_STAGE1_H
#define GUEST_STAGE1_H

#include <stdint.h>

#define PAGE_SIZE 4096UL
#define RAM_BASE 0x40000000UL
#define VA_HIGH_BASE 0xffffff8000000000UL /* TTBR1's lowest address with T1SZ = 25 */
#define LEVEL1_SHIFT 30
#define LEVEL2_SHIFT 21
#define LEVEL3_SHIFT 12
#define TABLE_INDEX(va, shift) (((va) >> (shift)) & 511)

#define PTE_VALID (1UL << 0)
#define PTE_TABLE (1UL << 1) /* at levels 1-2: next-level table; at level 3: page */
#define PTE_PAGE (1UL << 1)
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_RO (1UL << 7) /* AP[2] */
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF (1UL << 10)
#define PTE_PXN (1UL << 53)
#define PTE_UXN (1UL << 54)
#define MT_NORMAL 0
#define MT_DEVICE 1

/* Leaf descriptors (blocks at levels 1-2, pages at level 3 add PTE_PAGE). */
#define PTE_NORMAL (PTE_VALID | PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_AF)
#define PTE_DEVICE (PTE_VALID | PTE_ATTR(MT_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN)

typedef uint64_t page_table[512] __attribute__((aligned(4096)));

static inline uint64_t table_descriptor(const page_table *next) { return (uint64_t)(uintptr_t)next | PTE_VALID | PTE_TABLE; }

/* Fills l1/l2 with the identity map: RAM's 1 GiB as a Normal block, and the
 * PL011's 2 MiB as a Device block in l2 (which covers the first GiB). */
void stage1_identity(page_table *l1, page_table *l2_low);
/* MAIR/TCR/TTBR0/TTBR1, then SCTLR_EL1.M, C and I. */
void stage1_enable(const page_table *ttbr0, const page_table *ttbr1);
/* The shared identity map: built once by the boot CPU, then turned on by
 * every CPU that uses it (TTBR1 maps nothing). */
void stage1_identity_build(void);
void stage1_identity_enable(void);
/* After a descriptor for va changed: make the walker and the TLBs see it. */
void stage1_invalidate(uint64_t va);

#endif
