/* Floating point as gcc compiles it with its default flags: scalar float and
 * double arithmetic, fused multiply-add, square roots, min/max, comparisons
 * and conversions between the precisions and the integers; loops over arrays
 * that gcc vectorizes at -O2 and -O3 (lanewise arithmetic, selects, int and
 * float conversions); each rounding mode set through FPCR; the cumulative
 * flags read from FPSR. Every result is printed as its bits in hex. */
#include "lib.h"

#define N 67

static uint32_t seed = 12345;

/* Mostly ordinary values, some special ones. */
static double next_double(void) {
  static const double specials[] = {0.0, -0.0, 1.0, -1.5, 1e308, -1e-310, 3.0e-320, 0.1, 2.5, -7.0};
  uint32_t r = lcg_next(&seed);
  if ((r & 7) == 0) return specials[(r >> 8) % (sizeof specials / sizeof specials[0])];
  int32_t m = (int32_t)lcg_next(&seed);
  return (double)m / (double)(int32_t)((r >> 12) | 1);
}

static uint64_t bits64(double x) {
  uint64_t b;
  __builtin_memcpy(&b, &x, sizeof b);
  return b;
}

static uint32_t bits32(float x) {
  uint32_t b;
  __builtin_memcpy(&b, &x, sizeof b);
  return b;
}

static uint64_t read_fpsr(void) {
  uint64_t v;
  __asm__ volatile("mrs %0, fpsr" : "=r"(v));
  return v;
}

static void write_fpsr(uint64_t v) { __asm__ volatile("msr fpsr, %0" : : "r"(v)); }
static void write_fpcr(uint64_t v) { __asm__ volatile("msr fpcr, %0" : : "r"(v)); }

/* Checksums fold every bit of every result. */
static uint64_t sum;
static void mix(uint64_t v) { sum = (sum ^ v) * 0x100000001b3UL + (sum >> 29); }

static double da[N], db[N], dc[N], dr[N];
static float fa[N], fb[N], fc[N], fr[N];
static int32_t ia[N], ir[N];
static int64_t la[N];

/* noinline keeps each loop a loop gcc may vectorize, not folded into main. */
__attribute__((noinline)) static void vec_float(void) {
  for (int i = 0; i < N; i++) fr[i] = fa[i] * fb[i] + fc[i];
  for (int i = 0; i < N; i++) mix(bits32(fr[i]));
  for (int i = 0; i < N; i++) fr[i] = fa[i] > fb[i] ? fa[i] - fb[i] : fb[i] / (fc[i] + 2.0f);
  for (int i = 0; i < N; i++) mix(bits32(fr[i]));
  for (int i = 0; i < N; i++) fr[i] = __builtin_fabsf(fa[i]) + -fb[i] * 0.5f;
  for (int i = 0; i < N; i++) mix(bits32(fr[i]));
  for (int i = 0; i < N; i++) fr[i] = (float)ia[i] * 0.25f;
  for (int i = 0; i < N; i++) mix(bits32(fr[i]));
  for (int i = 0; i < N; i++) ir[i] = (int32_t)(fa[i] * 3.0f);
  for (int i = 0; i < N; i++) mix((uint32_t)ir[i]);
  for (int i = 0; i < N; i++) fr[i] = __builtin_sqrtf(__builtin_fabsf(fa[i]));
  for (int i = 0; i < N; i++) mix(bits32(fr[i]));
  for (int i = 0; i < N; i++) fr[i] = __builtin_fminf(fa[i], fb[i]) + __builtin_fmaxf(fb[i], fc[i]);
  for (int i = 0; i < N; i++) mix(bits32(fr[i]));
}

__attribute__((noinline)) static void vec_double(void) {
  for (int i = 0; i < N; i++) dr[i] = da[i] * db[i] - dc[i];
  for (int i = 0; i < N; i++) mix(bits64(dr[i]));
  for (int i = 0; i < N; i++) dr[i] = da[i] < dc[i] ? da[i] : db[i] / (da[i] + 1.0);
  for (int i = 0; i < N; i++) mix(bits64(dr[i]));
  for (int i = 0; i < N; i++) dr[i] = (double)la[i] + (double)fa[i];
  for (int i = 0; i < N; i++) mix(bits64(dr[i]));
  for (int i = 0; i < N; i++) la[i] = (int64_t)(db[i] * 1024.0);
  for (int i = 0; i < N; i++) mix((uint64_t)la[i]);
  for (int i = 0; i < N; i++) fr[i] = (float)da[i];
  for (int i = 0; i < N; i++) mix(bits32(fr[i]));
  for (int i = 0; i < N; i++) dr[i] = __builtin_sqrt(__builtin_fabs(db[i])) + __builtin_fma(da[i], db[i], dc[i]);
  for (int i = 0; i < N; i++) mix(bits64(dr[i]));
}

__attribute__((noinline)) static void scalar(double x, double y, float f, float g) {
  kprintf("add %llx sub %llx mul %llx div %llx\n", bits64(x + y), bits64(x - y), bits64(x * y), bits64(x / y));
  kprintf("fadd %x fmul %x fdiv %x sqrt %x\n", bits32(f + g), bits32(f * g), bits32(f / g), bits32(__builtin_sqrtf(f * f)));
  kprintf("fma %llx fmaf %x\n", bits64(__builtin_fma(x, y, -x)), bits32(__builtin_fmaf(f, g, 1.0f)));
  kprintf("cvt %llx %x %lld %d %llu %u\n", bits64((double)f), bits32((float)x), (long long)x, (int)f, (unsigned long long)y, (unsigned)g);
  kprintf("cmp %d %d %d %d\n", x < y, x <= y, f == g, f != g);
  kprintf("minmax %llx %x\n", bits64(__builtin_fmax(x, y)), bits32(__builtin_fminf(f, g)));
}

/* One exception each: the cumulative flag it raises, read back from FPSR. */
static volatile double vzero = 0.0, vone = 1.0, vbig = 1e308, vtiny = 1e-310, vneg = -1.0;
__attribute__((noinline)) static void flags(const char *what) {
  static const char *const names[] = {"div by zero", "invalid", "overflow", "underflow", "inexact", "denormal in"};
  for (int k = 0; k < 6; k++) {
    write_fpsr(0);
    double r = k == 0 ? vone / vzero : k == 1 ? __builtin_sqrt(vneg) : k == 2 ? vbig * 10.0 : k == 3 ? vtiny * 1e-10 : k == 4 ? vone / 3.0 : vtiny + vone;
    kprintf("%s %s %llx fpsr %llx\n", what, names[k], bits64(r), read_fpsr());
  }
}

int main(unsigned long cpu, unsigned long dtb) {
  (void)cpu;
  (void)dtb;
  for (int i = 0; i < N; i++) {
    da[i] = next_double();
    db[i] = next_double();
    dc[i] = next_double();
    fa[i] = (float)next_double();
    fb[i] = (float)next_double();
    fc[i] = (float)next_double();
    ia[i] = (int32_t)lcg_next(&seed);
    la[i] = (int64_t)lcg_next(&seed) << (i & 31);
  }
  static const char *const modes[] = {"RN", "RP", "RM", "RZ"};
  for (uint64_t rmode = 0; rmode < 4; rmode++) {
    write_fpcr(rmode << 22);
    write_fpsr(0);
    sum = 0;
    vec_float();
    kprintf("%s float vectors %llx fpsr %llx\n", modes[rmode], sum, read_fpsr());
    write_fpsr(0);
    sum = 0;
    vec_double();
    kprintf("%s double vectors %llx fpsr %llx\n", modes[rmode], sum, read_fpsr());
    for (int i = 0; i < 3; i++) scalar(da[i * 7], db[i * 5], fa[i * 3], fb[i * 11]);
    flags(modes[rmode]);
  }
  /* Flush-to-zero and default NaN. */
  write_fpcr((1UL << 24) | (1UL << 25));
  write_fpsr(0);
  sum = 0;
  vec_float();
  vec_double();
  kprintf("FZ DN vectors %llx fpsr %llx\n", sum, read_fpsr());
  flags("FZ DN");
  write_fpcr(0);
  kputs("done\n");
  return 0;
}
