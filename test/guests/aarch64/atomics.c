/* NCPUS CPUs, started with PSCI CPU_ON, hammer shared counters with atomics
 * and two spinlocks (a ticket lock and an exclusive-monitor lock). The
 * __atomic builtins become LSE instructions (ldadd, cas, swp, ldset, ...)
 * under -march=armv8.1-a and ldxr/stxr loops under -march=armv8-a; max/min
 * use ldsmax/ldumin when LSE is there. The totals printed do not depend on
 * interleaving. Atomics need Normal memory, so every CPU turns on the
 * identity map first. */
#include "lib.h"
#include "stage1.h"

#ifndef NCPUS
#define NCPUS 2
#endif
#define ITERS 3000

static volatile uint32_t counter_w;
static volatile uint64_t counter_d;
static volatile uint16_t counter_h;
static volatile uint8_t counter_b;
static volatile uint32_t ticket_next, ticket_serving;
static volatile uint64_t ticket_counter; /* guarded by the ticket lock */
static volatile uint32_t excl_lock;
static volatile uint64_t excl_counter; /* guarded by excl_lock */
static volatile uint64_t cas_counter;  /* compare-and-swap loop */
static volatile int64_t max_val = -1000000;
static volatile uint32_t minu_w = 0xffffffffu;
static volatile uint64_t xor_val, or_val;
static volatile uint64_t and_val = ~0UL;
static volatile uint64_t swap_slot = 7;
static volatile uint64_t swap_returned; /* sum of values swapped out */
static volatile uint32_t done;
static volatile uint32_t go;

static void ticket_lock(void) {
  uint32_t me = __atomic_fetch_add(&ticket_next, 1, __ATOMIC_RELAXED);
  while (__atomic_load_n(&ticket_serving, __ATOMIC_ACQUIRE) != me) {
  }
}
static void ticket_unlock(void) { __atomic_store_n(&ticket_serving, ticket_serving + 1, __ATOMIC_RELEASE); }

/* Load-acquire exclusive until the lock reads free and the store succeeds. */
static void excl_spin_lock(volatile uint32_t *l) {
  uint32_t tmp;
  __asm__ volatile(
      "1: ldaxr %w0, [%1]\n"
      "   cbnz %w0, 1b\n"
      "   stxr %w0, %w2, [%1]\n"
      "   cbnz %w0, 1b\n"
      : "=&r"(tmp)
      : "r"(l), "r"(1u)
      : "memory");
}
static void excl_spin_unlock(volatile uint32_t *l) { __asm__ volatile("stlr wzr, [%0]" ::"r"(l) : "memory"); }

static void cas_add(volatile uint64_t *p, uint64_t v) {
  uint64_t old = *p;
  while (!__atomic_compare_exchange_n(p, &old, old + v, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
  }
}

static void atomic_max_s64(volatile int64_t *p, int64_t v) {
#ifdef __ARM_FEATURE_ATOMICS
  __asm__ volatile("stsmax %1, [%0]" ::"r"(p), "r"(v) : "memory");
#else
  int64_t old = *p;
  while (old < v && !__atomic_compare_exchange_n(p, &old, v, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
  }
#endif
}

static void atomic_min_u32(volatile uint32_t *p, uint32_t v) {
#ifdef __ARM_FEATURE_ATOMICS
  uint32_t old;
  __asm__ volatile("lduminal %w2, %w0, [%1]" : "=r"(old) : "r"(p), "r"(v) : "memory");
  (void)old;
#else
  uint32_t old = *p;
  while (old > v && !__atomic_compare_exchange_n(p, &old, v, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
  }
#endif
}

static void work(unsigned long cpu) {
  uint64_t swapped = 0;
  /* Wait until every CPU is running so the work really overlaps. */
  while (__atomic_load_n(&go, __ATOMIC_ACQUIRE) == 0) {
  }
  for (unsigned i = 0; i < ITERS; i++) {
    __atomic_fetch_add(&counter_w, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&counter_d, cpu + 1, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&counter_h, 3, __ATOMIC_RELAXED);
    __atomic_fetch_add(&counter_b, 1, __ATOMIC_RELAXED);
    ticket_lock();
    ticket_counter = ticket_counter + 1;
    ticket_unlock();
    excl_spin_lock(&excl_lock);
    excl_counter = excl_counter + 2;
    excl_spin_unlock(&excl_lock);
    cas_add(&cas_counter, 3);
    atomic_max_s64(&max_val, (int64_t)(cpu * 100000 + i) - 150000);
    atomic_min_u32(&minu_w, (uint32_t)(cpu * 7 + i + 5));
    __atomic_fetch_xor(&xor_val, (cpu + 1) * (i + 1) * 0x9e3779b97f4a7c15UL, __ATOMIC_RELAXED);
    __atomic_fetch_or(&or_val, 1UL << (cpu * 5 + i % 5), __ATOMIC_RELAXED);
    if ((i & 255) == 0) __atomic_fetch_and(&and_val, ~(1UL << ((cpu + i / 256) & 63)), __ATOMIC_RELAXED);
    swapped += __atomic_exchange_n(&swap_slot, cpu * 1000000 + i, __ATOMIC_ACQ_REL);
  }
  __atomic_fetch_add(&swap_returned, swapped, __ATOMIC_RELAXED);
  __atomic_fetch_add(&done, 1, __ATOMIC_RELEASE);
}

void secondary_main(unsigned long cpu) {
  stage1_identity_enable();
  work(cpu);
}

/* Single-CPU corners: widths, failed compare-and-swap, an exclusive store
 * with no reservation, zero extension of W results. */
static void corner_checks(void) {
  static volatile uint32_t w = 0xfffffffeu;
  static volatile uint8_t b = 0xff;
  uint64_t a = __atomic_fetch_add(&w, 1, __ATOMIC_RELAXED);
  uint64_t x = __atomic_exchange_n(&w, 0x7fffffffu, __ATOMIC_RELAXED);
  uint8_t bold = __atomic_fetch_add(&b, 2, __ATOMIC_RELAXED);
  kprintf("fetch_add w old %lx exchange w old %lx w %x byte old %x byte %x\n", a, x, w, bold, b);
  uint32_t expected = 5;
  int ok = __atomic_compare_exchange_n(&w, &expected, 9, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  kprintf("cas with wrong expected: ok %d saw %x w %x\n", ok, expected, w);
  ok = __atomic_compare_exchange_n(&w, &expected, 0x80000000u, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  kprintf("cas with right expected: ok %d w %x\n", ok, w);
  uint32_t ldxr_val, fail, pass;
  __asm__ volatile(
      "clrex\n"
      "stxr %w1, %w4, [%3]\n"
      "ldxr %w0, [%3]\n"
      "stxr %w2, %w4, [%3]\n"
      : "=&r"(ldxr_val), "=&r"(fail), "=&r"(pass)
      : "r"(&w), "r"(0x12345678u)
      : "memory");
  kprintf("stxr without ldxr: status %u; ldxr %x; stxr after ldxr: status %u; w %x\n", fail, ldxr_val, pass, w);
}

int main(unsigned long cpu, unsigned long dtb) {
  (void)dtb;
  stage1_identity_build();
  stage1_identity_enable();
  kprintf("atomics: %u CPUs, %u iterations each, %s\n", NCPUS, ITERS,
#ifdef __ARM_FEATURE_ATOMICS
          "LSE"
#else
          "exclusives"
#endif
  );
  unsigned started = 0;
  for (unsigned long c = 0; c < NCPUS; c++) {
    if (c == cpu) continue;
    long err = psci_cpu_on(c, secondary_entry, c);
    if (err == PSCI_SUCCESS)
      started++;
    else
      kprintf("CPU_ON(%lu) failed: %ld\n", c, err);
  }
  kprintf("started %u secondary CPUs\n", started);
  __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
  work(cpu);
  while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) != started + 1) {
  }
  /* Expected values follow from the CPU indexes 0..NCPUS-1 all taking part. */
  uint64_t n = NCPUS;
  uint64_t sum_ids1 = n * (n + 1) / 2;
  uint64_t swapped_in = 0;
  for (uint64_t c = 0; c < n; c++) swapped_in += c * 1000000 * ITERS + (uint64_t)ITERS * (ITERS - 1) / 2;
  kprintf("fetch_add w %u (expect %u)\n", counter_w, NCPUS * ITERS);
  kprintf("fetch_add d %lu (expect %lu)\n", counter_d, sum_ids1 * ITERS);
  kprintf("fetch_add h %u (expect %u)\n", counter_h, (unsigned)(uint16_t)(3 * NCPUS * ITERS));
  kprintf("fetch_add b %u (expect %u)\n", counter_b, (unsigned)(uint8_t)(NCPUS * ITERS));
  kprintf("ticket lock counter %lu (expect %lu), tickets %u\n", ticket_counter, n * ITERS, ticket_next);
  kprintf("exclusive lock counter %lu (expect %lu)\n", excl_counter, 2 * n * ITERS);
  kprintf("cas counter %lu (expect %lu)\n", cas_counter, 3 * n * ITERS);
  kprintf("max %ld minu %u\n", max_val, minu_w);
  kprintf("xor %lx or %lx and %lx\n", xor_val, or_val, and_val);
  kprintf("exchange conservation %s (total %lu)\n", swap_returned + swap_slot == 7 + swapped_in ? "ok" : "BROKEN",
          swap_returned + swap_slot);
  corner_checks();
  return 0;
}
