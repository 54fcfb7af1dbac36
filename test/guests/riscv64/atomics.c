/* NHARTS harts hammer shared counters with AMOs and an LR/SC spinlock. The
 * boot hart (whatever its id) starts the others with SBI HSM hart_start,
 * works too, waits for a done counter and prints totals that do not depend on
 * interleaving. */
#include "lib.h"

#ifndef NHARTS
#define NHARTS 2
#endif
#define ITERS 3000

static volatile uint32_t counter_w;
static volatile uint64_t counter_d;
static volatile uint32_t lock_word;
static volatile uint64_t plain_counter; /* guarded by lock_word */
static volatile uint64_t cas_counter;   /* lr.d/sc.d read-modify-write loop */
static volatile int64_t max_val = -1000000;
static volatile int64_t min_val = 1000000;
static volatile uint64_t maxu_val;
static volatile uint32_t minu_w = 0xffffffffu;
static volatile uint64_t xor_val, or_val;
static volatile uint64_t and_val = ~0UL;
static volatile uint64_t swap_slot = 7;
static volatile uint64_t swap_returned; /* sum of values swapped out */
static volatile uint32_t done;
static volatile uint32_t go;

static inline uint32_t amoadd_w(volatile uint32_t *p, uint32_t v) {
  uint32_t old;
  __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
  return old;
}
static inline uint64_t amoadd_d(volatile uint64_t *p, uint64_t v) {
  uint64_t old;
  __asm__ volatile("amoadd.d.aqrl %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
  return old;
}
#define AMO_D(name, insn)                                                               \
  static inline uint64_t name(volatile void *p, uint64_t v) {                           \
    uint64_t old;                                                                       \
    __asm__ volatile(insn " %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");     \
    return old;                                                                         \
  }
AMO_D(amomax_d, "amomax.d")
AMO_D(amomin_d, "amomin.d")
AMO_D(amomaxu_d, "amomaxu.d")
AMO_D(amoxor_d, "amoxor.d")
AMO_D(amoor_d, "amoor.d")
AMO_D(amoand_d, "amoand.d")
AMO_D(amoswap_d, "amoswap.d")
AMO_D(amominu_w, "amominu.w")

static void spin_lock(volatile uint32_t *l) {
  uint32_t tmp;
  __asm__ volatile(
      "1: lr.w.aq %0, (%1)\n"
      "   bnez %0, 1b\n"
      "   sc.w %0, %2, (%1)\n"
      "   bnez %0, 1b\n"
      : "=&r"(tmp)
      : "r"(l), "r"(1u)
      : "memory");
}
static void spin_unlock(volatile uint32_t *l) { __asm__ volatile("amoswap.w.rl zero, zero, (%0)" ::"r"(l) : "memory"); }

static void cas_add(volatile uint64_t *p, uint64_t v) {
  uint64_t old, tmp;
  __asm__ volatile(
      "1: lr.d %0, (%2)\n"
      "   add %1, %0, %3\n"
      "   sc.d %1, %1, (%2)\n"
      "   bnez %1, 1b\n"
      : "=&r"(old), "=&r"(tmp)
      : "r"(p), "r"(v)
      : "memory");
}

static void work(unsigned long hartid) {
  uint64_t swapped = 0;
  /* Wait until every hart is running so the work really overlaps. */
  while (go == 0) {
  }
  for (unsigned i = 0; i < ITERS; i++) {
    amoadd_w(&counter_w, 1);
    amoadd_d(&counter_d, hartid + 1);
    spin_lock(&lock_word);
    plain_counter = plain_counter + 1;
    spin_unlock(&lock_word);
    cas_add(&cas_counter, 2);
    int64_t v = (int64_t)(hartid * 100000 + i) - 150000;
    amomax_d(&max_val, (uint64_t)v);
    amomin_d(&min_val, (uint64_t)v);
    amomaxu_d(&maxu_val, (uint64_t)v);
    amominu_w(&minu_w, (uint32_t)(hartid * 7 + i + 5));
    amoxor_d(&xor_val, (hartid + 1) * (i + 1) * 0x9e3779b97f4a7c15UL);
    amoor_d(&or_val, 1UL << (hartid * 5 + i % 5));
    if ((i & 255) == 0) amoand_d(&and_val, ~(1UL << ((hartid + i / 256) & 63)));
    swapped += amoswap_d(&swap_slot, hartid * 1000000 + i);
  }
  amoadd_d(&swap_returned, swapped);
  __asm__ volatile("fence rw, rw" ::: "memory");
  amoadd_w(&done, 1);
}

void secondary_main(unsigned long hartid, unsigned long opaque) {
  (void)opaque;
  amoadd_w(&go, 0); /* touch shared data before spinning on it */
  work(hartid);
}

/* Word-sized AMOs and LR return sign-extended values; SC without a
 * reservation fails. */
static void sign_extension_checks(void) {
  static volatile uint32_t w = 0xfffffffeu;
  uint64_t a, b, c, d;
  __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(a) : "r"(&w), "r"(1) : "memory");
  __asm__ volatile("amoswap.w %0, %2, (%1)" : "=r"(b) : "r"(&w), "r"(0x7fffffff) : "memory");
  __asm__ volatile("lr.w %0, (%1)" : "=r"(c) : "r"(&w) : "memory");
  __asm__ volatile("sc.w %0, %2, (%1)" : "=r"(d) : "r"(&w), "r"(0x80000000u) : "memory");
  kprintf("amoadd.w old %lx amoswap.w old %lx lr.w %lx sc.w rc %lu w %x\n", a, b, c, d, w);
  uint64_t e, f;
  __asm__ volatile("amomin.w %0, %2, (%1)" : "=r"(e) : "r"(&w), "r"(5) : "memory");
  /* Nothing reserved now: the SC must fail and leave memory alone. */
  __asm__ volatile("sc.w %0, %2, (%1)" : "=r"(f) : "r"(&w), "r"(1) : "memory");
  kprintf("amomin.w old %lx w %x sc.w without lr failed %u w %x\n", e, w, f != 0, w);
}

int main(unsigned long hartid, unsigned long dtb) {
  (void)dtb;
  kprintf("atomics: %u harts, %u iterations each\n", NHARTS, ITERS);
  unsigned started = 0;
  for (unsigned long h = 0; h < NHARTS; h++) {
    if (h == hartid) continue;
    long err = sbi_hart_start(h, (unsigned long)secondary_entry, 0);
    if (err == 0)
      started++;
    else
      kprintf("hart_start failed: %ld\n", err);
  }
  kprintf("started %u secondary harts\n", started);
  kprintf("hart_start(self) = %ld\n", sbi_hart_start(hartid, (unsigned long)secondary_entry, 0));
  go = 1;
  work(hartid);
  while (done != started + 1) {
  }
  __asm__ volatile("fence rw, rw" ::: "memory");
  /* Expected values follow from the hart ids 0..NHARTS-1 all taking part. */
  uint64_t n = NHARTS;
  uint64_t sum_ids1 = n * (n + 1) / 2;
  uint64_t swapped_in = 0;
  for (uint64_t h = 0; h < n; h++) swapped_in += h * 1000000 * ITERS + (uint64_t)ITERS * (ITERS - 1) / 2;
  kprintf("amoadd.w counter %u (expect %u)\n", counter_w, NHARTS * ITERS);
  kprintf("amoadd.d counter %lu (expect %lu)\n", counter_d, sum_ids1 * ITERS);
  kprintf("lr/sc lock counter %lu (expect %lu)\n", plain_counter, n * ITERS);
  kprintf("lr/sc cas counter %lu (expect %lu)\n", cas_counter, 2 * n * ITERS);
  kprintf("amomax.d %ld amomin.d %ld amomaxu.d %lx amominu.w %u\n", max_val, min_val, maxu_val, minu_w);
  kprintf("amoxor.d %lx amoor.d %lx amoand.d %lx\n", xor_val, or_val, and_val);
  kprintf("amoswap.d conservation %s (total %lu)\n",
          swap_returned + swap_slot == 7 + swapped_in ? "ok" : "BROKEN", swap_returned + swap_slot);
  sign_extension_checks();
  return 0;
}
