/* Integer loops that gcc vectorizes with Advanced SIMD at -O2 and -O3 on a
 * plain armv8-a target: sums and widening sums, min/max, byte searches,
 * popcount and clz, copies, table lookups, saturation, absolute differences,
 * multiply-accumulate, shifts, narrowing and widening, interleaved
 * structures and reversals. Each prints a checksum of its results; the
 * arrays are filled from the LCG, with the extremes of every type mixed in.
 * Vector code does unaligned accesses, which need Normal memory: the MMU is
 * on (identity map). */
#include "lib.h"
#include "stage1.h"

#define N 1000

static int8_t s8[N + 16];
static uint8_t u8[N + 16], v8[N + 16];
static int16_t s16[N + 16], t16[N + 16];
static uint16_t u16[N + 16];
static int32_t s32[N + 16], t32[N + 16];
static uint32_t u32[N + 16];
static int64_t s64[N + 16];
static uint64_t u64[N + 16];
static uint64_t hash = 0xcbf29ce484222325UL;

static void mix(const char *what, uint64_t v) {
  hash ^= v;
  hash *= 0x100000001b3UL;
  kprintf("%s %016lx\n", what, v);
}

static void fill(uint32_t seed) {
  uint32_t st = seed;
  for (int i = 0; i < N + 16; i++) {
    uint32_t r = lcg_next(&st);
    uint32_t x = lcg_next(&st);
    /* Every 13th element an extreme: 0, all ones, the signed minimum or maximum. */
    if (i % 13 == 5) x = (r >> 8) & 1 ? 0x80808080u : 0x7f7f7f7fu;
    if (i % 17 == 3) x = (r >> 8) & 1 ? 0u : 0xffffffffu;
    s8[i] = (int8_t)x;
    u8[i] = (uint8_t)(x >> 8);
    v8[i] = (uint8_t)(x >> 16);
    s16[i] = (int16_t)x;
    t16[i] = (int16_t)(x >> 12);
    u16[i] = (uint16_t)(x >> 16);
    s32[i] = (int32_t)(x ^ r);
    t32[i] = (int32_t)r;
    u32[i] = x;
    s64[i] = (int64_t)(((uint64_t)x << 32) | r);
    u64[i] = ((uint64_t)r << 32) | x;
  }
}

/* __attribute__((noinline)) keeps each loop a loop of its own, vectorized on its own. */
#define KERNEL __attribute__((noinline)) static

KERNEL int32_t sum_s8(const int8_t *a, int n) { int32_t s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
KERNEL uint32_t sum_u8(const uint8_t *a, int n) { uint32_t s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
KERNEL int64_t sum_s16(const int16_t *a, int n) { int64_t s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
KERNEL uint32_t sum_u32(const uint32_t *a, int n) { uint32_t s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
KERNEL int64_t sum_s32_wide(const int32_t *a, int n) { int64_t s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
KERNEL uint64_t sum_u64(const uint64_t *a, int n) { uint64_t s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }

KERNEL int8_t max_s8(const int8_t *a, int n) { int8_t m = -128; for (int i = 0; i < n; i++) m = a[i] > m ? a[i] : m; return m; }
KERNEL uint8_t min_u8(const uint8_t *a, int n) { uint8_t m = 255; for (int i = 0; i < n; i++) m = a[i] < m ? a[i] : m; return m; }
KERNEL int16_t min_s16(const int16_t *a, int n) { int16_t m = 32767; for (int i = 0; i < n; i++) m = a[i] < m ? a[i] : m; return m; }
KERNEL uint32_t max_u32(const uint32_t *a, int n) { uint32_t m = 0; for (int i = 0; i < n; i++) m = a[i] > m ? a[i] : m; return m; }
KERNEL void max_pair_s32(int32_t *d, const int32_t *a, const int32_t *b, int n) { for (int i = 0; i < n; i++) d[i] = a[i] > b[i] ? a[i] : b[i]; }

KERNEL int count_byte(const uint8_t *a, int n, uint8_t c) { int k = 0; for (int i = 0; i < n; i++) k += a[i] == c; return k; }
KERNEL int count_less(const int16_t *a, int n, int16_t c) { int k = 0; for (int i = 0; i < n; i++) k += a[i] < c; return k; }
KERNEL int popcount_all(const uint32_t *a, int n) { int k = 0; for (int i = 0; i < n; i++) k += __builtin_popcount(a[i]); return k; }
KERNEL int popcount_all64(const uint64_t *a, int n) { int k = 0; for (int i = 0; i < n; i++) k += __builtin_popcountll(a[i]); return k; }
KERNEL void clz_all(uint32_t *d, const uint32_t *a, int n) { for (int i = 0; i < n; i++) d[i] = a[i] ? (uint32_t)__builtin_clz(a[i]) : 32; }

KERNEL void copy_bytes(uint8_t *restrict d, const uint8_t *restrict a, int n) { for (int i = 0; i < n; i++) d[i] = a[i]; }
KERNEL void lookup(uint8_t *restrict d, const uint8_t *restrict a, const uint8_t *restrict table, int n) { for (int i = 0; i < n; i++) d[i] = table[a[i]]; }
KERNEL void nibble_lookup(uint8_t *restrict d, const uint8_t *restrict a, int n) {
  static const uint8_t hexdigits[16] = "0123456789abcdef";
  for (int i = 0; i < n; i++) d[i] = hexdigits[a[i] & 15];
}

KERNEL void add_sat_u8(uint8_t *restrict d, const uint8_t *a, const uint8_t *b, int n) {
  for (int i = 0; i < n; i++) { unsigned s = a[i] + b[i]; d[i] = s > 255 ? 255 : (uint8_t)s; }
}
KERNEL void sub_sat_s16(int16_t *restrict d, const int16_t *a, const int16_t *b, int n) {
  for (int i = 0; i < n; i++) { int s = a[i] - b[i]; d[i] = (int16_t)(s > 32767 ? 32767 : s < -32768 ? -32768 : s); }
}
KERNEL uint32_t sad_u8(const uint8_t *a, const uint8_t *b, int n) {
  uint32_t s = 0;
  for (int i = 0; i < n; i++) s += (uint32_t)(a[i] > b[i] ? a[i] - b[i] : b[i] - a[i]);
  return s;
}
KERNEL int64_t dot_s16(const int16_t *a, const int16_t *b, int n) { int64_t s = 0; for (int i = 0; i < n; i++) s += (int32_t)a[i] * b[i]; return s; }
KERNEL int32_t dot_s32(const int32_t *a, const int32_t *b, int n) { int32_t s = 0; for (int i = 0; i < n; i++) s += a[i] * b[i]; return s; }
KERNEL void mul_u16(uint16_t *restrict d, const uint16_t *a, const uint16_t *b, int n) { for (int i = 0; i < n; i++) d[i] = (uint16_t)(a[i] * b[i] + 3); }
KERNEL void shifts(int32_t *restrict d, const int32_t *a, const uint32_t *b, int n) {
  for (int i = 0; i < n; i++) d[i] = (a[i] >> 3) + (int32_t)(b[i] >> 7) + (a[i] << 5);
}
KERNEL void avg_u8(uint8_t *restrict d, const uint8_t *a, const uint8_t *b, int n) { for (int i = 0; i < n; i++) d[i] = (uint8_t)((a[i] + b[i] + 1) >> 1); }
KERNEL void narrow(int8_t *restrict d, const int32_t *a, int n) { for (int i = 0; i < n; i++) d[i] = (int8_t)(a[i] >> 9); }
KERNEL void widen(int32_t *restrict d, const int8_t *a, const uint8_t *b, int n) { for (int i = 0; i < n; i++) d[i] = a[i] * 3 + b[i]; }
KERNEL void select_abs(int32_t *restrict d, const int32_t *a, const int32_t *b, int n) {
  for (int i = 0; i < n; i++) d[i] = a[i] < 0 ? -a[i] : (a[i] & b[i]) ^ (a[i] | ~b[i]);
}

struct point { int16_t x, y; };
static struct point pts[N];
KERNEL int32_t deinterleave(const struct point *p, int n) { int32_t s = 0; for (int i = 0; i < n; i++) s += p[i].x * 3 - p[i].y; return s; }
KERNEL void interleave(struct point *restrict p, const int16_t *x, const int16_t *y, int n) { for (int i = 0; i < n; i++) { p[i].x = x[i]; p[i].y = (int16_t)(y[i] + 1); } }
KERNEL void reverse(uint32_t *restrict d, const uint32_t *a, int n) { for (int i = 0; i < n; i++) d[i] = a[n - 1 - i]; }
KERNEL void bswap_all(uint32_t *restrict d, const uint32_t *a, int n) { for (int i = 0; i < n; i++) d[i] = __builtin_bswap32(a[i]); }
KERNEL void add64(int64_t *restrict d, const int64_t *a, const int64_t *b, int n) { for (int i = 0; i < n; i++) d[i] = a[i] + b[i] - (b[i] >> 1); }

static uint64_t checksum(const void *p, int bytes) {
  const uint8_t *b = p;
  uint64_t h = 0x9e3779b97f4a7c15UL;
  for (int i = 0; i < bytes; i++) h = (h ^ b[i]) * 0x100000001b3UL;
  return h;
}

static void run(int n) {
  static uint8_t table[256];
  static uint8_t out8[N + 16];
  static int8_t outs8[N + 16];
  static int16_t out16[N + 16];
  static uint16_t outu16[N + 16];
  static int32_t out32[N + 16];
  static uint32_t outu32[N + 16];
  static int64_t out64[N + 16];
  for (int i = 0; i < 256; i++) table[i] = (uint8_t)(i * 37 + 11);
  kprintf("n = %d\n", n);
  mix("sum_s8", (uint64_t)sum_s8(s8, n));
  mix("sum_u8", sum_u8(u8, n));
  mix("sum_s16", (uint64_t)sum_s16(s16, n));
  mix("sum_u32", sum_u32(u32, n));
  mix("sum_s32_wide", (uint64_t)sum_s32_wide(s32, n));
  mix("sum_u64", sum_u64(u64, n));
  mix("max_s8", (uint64_t)max_s8(s8, n));
  mix("min_u8", min_u8(u8, n));
  mix("min_s16", (uint64_t)min_s16(s16, n));
  mix("max_u32", max_u32(u32, n));
  max_pair_s32(out32, s32, t32, n);
  mix("max_pair_s32", checksum(out32, n * 4));
  mix("count_byte", (uint64_t)count_byte(u8, n, 0x7f));
  mix("count_less", (uint64_t)count_less(s16, n, -100));
  mix("popcount", (uint64_t)popcount_all(u32, n));
  mix("popcount64", (uint64_t)popcount_all64(u64, n));
  clz_all(outu32, u32, n);
  mix("clz", checksum(outu32, n * 4));
  copy_bytes(out8, u8 + 1, n);
  mix("copy", checksum(out8, n));
  lookup(out8, v8, table, n);
  mix("lookup", checksum(out8, n));
  nibble_lookup(out8, u8, n);
  mix("nibble_lookup", checksum(out8, n));
  add_sat_u8(out8, u8, v8, n);
  mix("add_sat_u8", checksum(out8, n));
  sub_sat_s16(out16, s16, t16, n);
  mix("sub_sat_s16", checksum(out16, n * 2));
  mix("sad_u8", sad_u8(u8, v8, n));
  mix("dot_s16", (uint64_t)dot_s16(s16, t16, n));
  mix("dot_s32", (uint64_t)dot_s32(s32, t32, n));
  mul_u16(outu16, u16, (const uint16_t *)t16, n);
  mix("mul_u16", checksum(outu16, n * 2));
  shifts(out32, s32, u32, n);
  mix("shifts", checksum(out32, n * 4));
  avg_u8(out8, u8, v8, n);
  mix("avg_u8", checksum(out8, n));
  narrow(outs8, s32, n);
  mix("narrow", checksum(outs8, n));
  widen(out32, s8, u8, n);
  mix("widen", checksum(out32, n * 4));
  select_abs(out32, s32, t32, n);
  mix("select_abs", checksum(out32, n * 4));
  interleave(pts, s16, t16, n);
  mix("interleave", checksum(pts, n * 4));
  mix("deinterleave", (uint64_t)deinterleave(pts, n));
  reverse(outu32, u32, n);
  mix("reverse", checksum(outu32, n * 4));
  bswap_all(outu32, u32, n);
  mix("bswap", checksum(outu32, n * 4));
  add64(out64, s64, (const int64_t *)u64, n);
  mix("add64", checksum(out64, n * 8));
}

int main(unsigned long cpu, unsigned long dtb) {
  (void)cpu;
  (void)dtb;
  stage1_identity_build();
  stage1_identity_enable();
  kputs("vector: start\n");
  fill(12345);
  /* Lengths that leave every possible tail after the vector loop. */
  run(N);
  run(7);
  run(33);
  fill(777);
  run(N - 3);
  kprintf("vector: hash %016lx\n", hash);
  return 0;
}
