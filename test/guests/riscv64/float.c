/* Scalar float and double code as gcc emits it for rv64gc/lp64d: sums,
 * products, divisions, square roots, fused multiply-adds, conversions among
 * integers, floats and doubles, comparisons, min/max, under each dynamic
 * rounding mode; every result printed as its bits in hex, with fflags where
 * they do not depend on what the optimiser keeps (the per-instruction tests
 * check every instruction's flags). */
#include "lib.h"

#define SSTATUS_FS_INITIAL 0x2000UL

static uint64_t dbits(double d) {
  union { double d; uint64_t u; } v = {.d = d};
  return v.u;
}

static uint32_t fbits(float f) {
  union { float f; uint32_t u; } v = {.f = f};
  return v.u;
}

static double dfrom(uint64_t u) {
  union { uint64_t u; double d; } v = {.u = u};
  return v.d;
}

static unsigned read_fflags(void) {
  unsigned long r;
  __asm__ volatile("frflags %0" : "=r"(r));
  return (unsigned)r;
}

static void clear_fflags(void) {
  __asm__ volatile("fsflags zero");
}

static void set_frm(unsigned long rm) {
  __asm__ volatile("fsrm %0" : : "r"(rm));
}

/* The compiler may not fold what goes through here. */
static volatile double vd[] = {
    1.0, -1.5, 0.1, 3.0, 1e308, -1e-308, 4.9e-324, 123456789.125, -0.0, 2.5, 1.0 / 3.0, 6.02214076e23,
};
static volatile float vf[] = {1.0f, -1.5f, 0.1f, 3.0f, 3.4e38f, -1.2e-38f, 1.4e-45f, 16777217.0f, -0.0f, 2.5f, 0.33333334f, 6.0221e23f};
#define N (sizeof vd / sizeof vd[0])

static void sums(void) {
  double s = 0, p = 1;
  float sf = 0, pf = 1;
  for (unsigned i = 0; i < N; i++) {
    s += vd[i] * 0.5;
    p *= vd[i] + 1.25;
    sf += vf[i] / 3.0f;
    pf *= vf[i] - 0.75f;
  }
  kprintf("sums %lx %lx %x %x flags %x\n", dbits(s), dbits(p), fbits(sf), fbits(pf), read_fflags());
}

static void divisions_and_roots(void) {
  for (unsigned i = 0; i < N; i++) {
    double q = vd[i] / vd[(i + 3) % N];
    double r = __builtin_sqrt(vd[i] < 0 ? -vd[i] : vd[i]);
    float qf = vf[i] / vf[(i + 5) % N];
    float rf = __builtin_sqrtf(vf[i]);
    double f = __builtin_fma(vd[i], vd[(i + 1) % N], vd[(i + 2) % N]);
    kprintf("div %u %lx %lx %x %x %lx\n", i, dbits(q), dbits(r), fbits(qf), fbits(rf), dbits(f));
  }
}

static void conversions(void) {
  for (unsigned i = 0; i < N; i++) {
    double d = vd[i] * 1e9;
    long l = (long)d;
    unsigned long ul = (unsigned long)(d < 0 ? -d : d);
    int w = (int)vf[i];
    float narrowed = (float)vd[i];
    double widened = (double)vf[i];
    double back = (double)(l + (long)i * 1234567891011L);
    float fromu = (float)(ul | 1);
    kprintf("cvt %u %lx %lx %x %x %lx %lx %x\n", i, (unsigned long)l, ul, (unsigned)w, fbits(narrowed), dbits(widened), dbits(back), fbits(fromu));
  }
}

/* gcc calls libm for fmin/fmax at -O0: the instructions themselves. */
static double fmin_d(double a, double b) {
  double r;
  __asm__("fmin.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));
  return r;
}

static double fmax_d(double a, double b) {
  double r;
  __asm__("fmax.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));
  return r;
}

static void comparisons(void) {
  const double nan = dfrom(0x7ff8000000000001UL);
  for (unsigned i = 0; i < N; i++) {
    double a = vd[i], b = vd[(i + 7) % N];
    clear_fflags();
    int lt = a < b, le = a <= b, eq = a == b, un = __builtin_isnan(a + nan);
    double mn = fmin_d(a, b), mx = fmax_d(a, nan);
    kprintf("cmp %u %d%d%d%d %lx %lx %lx flags %x\n", i, lt, le, eq, un, dbits(mn), dbits(mx), dbits(__builtin_copysign(a, b)), read_fflags());
  }
}

static void rounding_modes(void) {
  for (unsigned long rm = 0; rm < 5; rm++) {
    set_frm(rm);
    clear_fflags();
    double s = 0;
    float sf = 0;
    for (unsigned i = 0; i < N; i++) {
      s += vd[i] / 7.0;
      sf += vf[i] * 1.1f;
    }
    long nearest = __builtin_lrint(vd[3] / 7.0 * 1e6);
    kprintf("rm %lu %lx %x %lx flags %x\n", rm, dbits(s), fbits(sf), (unsigned long)nearest, read_fflags());
  }
  set_frm(0);
}

static __attribute__((noinline)) void run(void) {
  kputs("float: start\n");
  sums();
  divisions_and_roots();
  conversions();
  comparisons();
  rounding_modes();
  kputs("float: done\n");
}

int main(unsigned long hartid, unsigned long dtb) {
  (void)hartid;
  (void)dtb;
  /* FP is off until the supervisor turns it on; run() is where gcc may use it. */
  __asm__ volatile("csrs sstatus, %0" : : "r"(SSTATUS_FS_INITIAL));
  run();
  return 0;
}
