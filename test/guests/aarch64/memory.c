/* Loads and stores of every width with sign/zero extension and every
 * addressing mode, unaligned accesses (also across a page boundary), 16-byte
 * q-register loads and stores, the mem* functions on overlapping ranges,
 * struct copies and a checksum over a few hundred KiB. Built without
 * -mgeneral-regs-only, so gcc copies structs and blocks through q registers.
 * Unaligned accesses need Normal memory, so the MMU is on (identity map). */
#include "lib.h"
#include "stage1.h"

static uint8_t pattern[64] __attribute__((aligned(16)));
static uint8_t scratch[64] __attribute__((aligned(16)));
static uint8_t pages[2 * 4096] __attribute__((aligned(4096)));
#define BIG_SIZE (384 * 1024)
static uint8_t big[BIG_SIZE] __attribute__((aligned(16)));
static uint64_t hash = 0xcbf29ce484222325UL;

static void mix(uint64_t v) {
  hash ^= v;
  hash *= 0x100000001b3UL;
}

#define LOAD(insn, reg, p)                                                      \
  ({                                                                            \
    uint64_t r_;                                                                \
    __asm__ volatile(insn " %" reg "0, [%1]" : "=r"(r_) : "r"(p) : "memory");   \
    r_;                                                                         \
  })
#define STORE(insn, reg, p, v) __asm__ volatile(insn " %" reg "0, [%1]" ::"r"(v), "r"(p) : "memory")

static void dump(const char *tag, const uint8_t *p, unsigned n) {
  kprintf("%s:", tag);
  for (unsigned i = 0; i < n; i++) {
    kprintf(" %02x", p[i]);
    mix(p[i]);
  }
  kputc('\n');
}

/* Every load instruction at every byte offset 0..7 (unaligned ones too). */
static void loads(const uint8_t *base, const char *where) {
  for (unsigned off = 0; off < 8; off++) {
    const uint8_t *p = base + off;
    uint64_t r[9] = {LOAD("ldrb", "w", p),  LOAD("ldrsb", "w", p), LOAD("ldrsb", "x", p),
                     LOAD("ldrh", "w", p),  LOAD("ldrsh", "w", p), LOAD("ldrsh", "x", p),
                     LOAD("ldr", "w", p),   LOAD("ldrsw", "x", p), LOAD("ldr", "x", p)};
    kprintf("%s+%u: ldrb %lx ldrsb w %lx ldrsb x %lx ldrh %lx ldrsh w %lx ldrsh x %lx ldr w %lx ldrsw %lx ldr x %lx\n",
            where, off, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]);
    for (unsigned i = 0; i < 9; i++) mix(r[i]);
  }
}

static void stores(uint8_t *base, const char *where) {
  for (unsigned off = 0; off < 8; off++) {
    memset(base - 8, 0, 40);
    uint8_t *p = base + off;
    STORE("str", "x", p, 0x1122334455667788UL);
    STORE("str", "w", p + 8, 0x99aabbccUL);
    STORE("strh", "w", p + 12, 0xddeeUL);
    STORE("strb", "w", p + 14, 0xffUL);
    __asm__ volatile("stp %w0, %w1, [%2, #16]" ::"r"(0x01020304u), "r"(0x05060708u), "r"(p) : "memory");
    char tag[16] = "st ";
    unsigned n = 3;
    while (where[n - 3]) {
      tag[n] = where[n - 3];
      n++;
    }
    tag[n++] = '+';
    tag[n++] = (char)('0' + off);
    tag[n] = 0;
    dump(tag, base - 8, 40);
  }
}

/* Pre/post-index writeback, register offsets with extension, pairs, ldur. */
static void addressing(void) {
  const uint8_t *p = pattern + 8;
  uint64_t a, b, c, d, e, f;
  const uint8_t *q = p;
  __asm__ volatile("ldr %0, [%1, #8]!" : "=r"(a), "+r"(q) : : "memory");
  kprintf("pre-index: %lx base +%lu\n", a, (unsigned long)(q - p));
  __asm__ volatile("ldrh %w0, [%1], #-6" : "=r"(a), "+r"(q) : : "memory");
  kprintf("post-index: %lx base +%lu\n", a, (unsigned long)(q - p));
  long idx = -2;
  __asm__ volatile("ldr %0, [%1, %2, lsl #3]" : "=r"(a) : "r"(p + 16), "r"(idx) : "memory");
  __asm__ volatile("ldrsh %0, [%1, %w2, sxtw #1]" : "=r"(b) : "r"(p), "r"((int32_t)-3) : "memory");
  __asm__ volatile("ldrb %w0, [%1, %w2, uxtw]" : "=r"(c) : "r"(p), "r"(5u) : "memory");
  __asm__ volatile("ldur %0, [%1, #-3]" : "=r"(d) : "r"(p) : "memory");
  __asm__ volatile("ldp %0, %1, [%2, #-8]" : "=&r"(e), "=r"(f) : "r"(p) : "memory");
  kprintf("reg offsets: %lx %lx %lx ldur %lx ldp %lx %lx\n", a, b, c, d, e, f);
  __asm__ volatile("ldpsw %0, %1, [%2, #4]" : "=&r"(e), "=r"(f) : "r"(p) : "memory");
  kprintf("ldpsw: %lx %lx\n", e, f);
  mix(a + b + c + d + e + f);
  uint8_t *s = scratch + 32;
  memset(scratch, 0, sizeof scratch);
  __asm__ volatile("stp %1, %2, [%0, #-16]!\n\tstr %w2, [%0], #12\n\tstrb %w1, [%0, #-1]"
                   : "+r"(s)
                   : "r"(0x8877665544332211UL), "r"(0xa0b0c0d0e0f00010UL)
                   : "memory");
  kprintf("writeback stores: base %ld\n", (long)(s - (scratch + 32)));
  dump("stored", scratch + 8, 32);
}

/* 16-byte loads and stores through q registers, at unaligned offsets too. */
static void qregs(void) {
  for (unsigned off = 0; off < 16; off += 5) {
    memset(scratch, 0xee, sizeof scratch);
    __asm__ volatile("ldr q0, [%0]\n\tstr q0, [%1]" ::"r"(pattern + off), "r"(scratch + 3 + off) : "v0", "memory");
    __asm__ volatile("ldp q1, q2, [%0]\n\tstp q2, q1, [%1, #32]" ::"r"(pattern + 32 - off), "r"(scratch - 8 + off)
                     : "v1", "v2", "memory");
    char tag[] = "q+00";
    tag[2] = (char)('0' + off / 10);
    tag[3] = (char)('0' + off % 10);
    dump(tag, scratch, 64);
  }
}

/* Loads through C types: the compiler picks the instruction. */
static void typed_loads(void) {
  volatile int8_t *s8 = (volatile int8_t *)pattern;
  volatile uint8_t *u8 = (volatile uint8_t *)pattern;
  volatile int16_t *s16 = (volatile int16_t *)pattern;
  volatile uint16_t *u16 = (volatile uint16_t *)pattern;
  volatile int32_t *s32 = (volatile int32_t *)pattern;
  volatile uint32_t *u32 = (volatile uint32_t *)pattern;
  volatile int64_t *s64 = (volatile int64_t *)pattern;
  for (unsigned i = 0; i < 4; i++) {
    int64_t a = s8[i * 9], b = u8[i * 9], c = s16[i * 3], d = u16[i * 3], e = s32[i + 1], f = u32[i + 1],
            g = s64[i];
    kprintf("typed[%u]: %lx %lx %lx %lx %lx %lx %lx\n", i, a, b, c, d, e, f, g);
    mix((uint64_t)(a + b + c + d + e + f + g));
  }
}

struct record {
  uint8_t tag;
  uint16_t kind;
  uint32_t id;
  uint64_t value;
  char name[29];
  int32_t delta;
};

static struct record make_record(unsigned i) {
  struct record r;
  memset(&r, 0, sizeof r);
  r.tag = (uint8_t)(0xa0 + i);
  r.kind = (uint16_t)(0x8000 | i);
  r.id = 0xdead0000u + i;
  r.value = 0x0123456789abcdefUL * (i + 1);
  for (unsigned k = 0; k < 28; k++) r.name[k] = (char)('a' + (i + k) % 26);
  r.name[28] = 0;
  r.delta = -(int32_t)(i * 1000);
  return r;
}

/* A packed struct lives at odd addresses: its copies are unaligned. */
struct __attribute__((packed)) packed_pair {
  uint8_t pad;
  struct record rec;
};

static void structs(void) {
  static struct record table[8];
  static struct packed_pair packed[3];
  for (unsigned i = 0; i < 8; i++) table[i] = make_record(i);
  struct record a = table[3];
  struct record b;
  b = a;
  b.delta -= 5;
  table[7] = b;
  /* Reverse the table by struct swaps. */
  for (unsigned i = 0; i < 4; i++) {
    struct record t = table[i];
    table[i] = table[7 - i];
    table[7 - i] = t;
  }
  for (unsigned i = 0; i < 3; i++) packed[i].rec = table[i * 2];
  table[1] = packed[2].rec;
  for (unsigned i = 0; i < 8; i++) {
    kprintf("rec[%u]: tag %x kind %x id %x value %lx name %s delta %d\n", i, table[i].tag, table[i].kind,
            table[i].id, table[i].value, table[i].name, table[i].delta);
    mix(table[i].value + table[i].id + (uint64_t)table[i].delta);
  }
  kprintf("sizeof(struct record) = %u, memcmp(table[0], b) = %d, packed[1].rec.id = %x\n",
          (unsigned)sizeof(struct record), memcmp(&table[0], &b, sizeof b), packed[1].rec.id);
}

static void memfuncs(void) {
  uint8_t buf[96];
  for (unsigned i = 0; i < 96; i++) buf[i] = (uint8_t)i;
  memmove(buf + 5, buf, 40); /* forward overlap: copies backwards */
  dump("memmove fwd", buf, 48);
  for (unsigned i = 0; i < 96; i++) buf[i] = (uint8_t)i;
  memmove(buf, buf + 7, 40); /* backward overlap */
  dump("memmove back", buf, 48);
  memset(buf + 3, 0xab, 37);
  memset(buf + 20, 0, 0);
  dump("memset", buf, 48);
  uint64_t words[6] = {1, 2, 3, 4, 5, 6};
  memcpy(words + 1, words + 3, 3 * sizeof words[0]);
  kprintf("memcpy words: %lu %lu %lu %lu %lu %lu\n", words[0], words[1], words[2], words[3], words[4], words[5]);
  memcpy(buf + 1, "an unaligned copy of forty bytes or so", 39);
  dump("memcpy", buf, 44);
  kprintf("memcmp: %d %d %d %d\n", memcmp("abc", "abd", 3), memcmp("abd", "abc", 3), memcmp("abc", "abc", 3),
          memcmp("\x80", "\x7f", 1));
}

static void checksum(void) {
  uint32_t seed = 12345;
  uint32_t *w = (uint32_t *)big;
  for (unsigned i = 0; i < BIG_SIZE / 4; i++) w[i] = lcg_next(&seed);
  /* Adler-32 over bytes, a 64-bit sum over doublewords, and a strided xor. */
  uint32_t a = 1, b = 0;
  for (unsigned i = 0; i < BIG_SIZE; i++) {
    a = (a + big[i]) % 65521;
    b = (b + a) % 65521;
  }
  uint64_t sum = 0;
  const uint64_t *d = (const uint64_t *)big;
  for (unsigned i = 0; i < BIG_SIZE / 8; i++) sum += d[i] ^ (sum >> 7);
  uint16_t x = 0;
  const uint16_t *h = (const uint16_t *)big;
  for (unsigned i = 0; i < BIG_SIZE / 2; i += 3) x ^= (uint16_t)(h[i] + i);
  kprintf("checksum %u KiB: adler32 %08x sum64 %016lx xor16 %04x\n", BIG_SIZE / 1024, (b << 16) | a, sum, x);
  mix(sum);
  /* Copy the first half up by an odd amount, with overlap, then re-check. */
  memmove(big + 1001, big, BIG_SIZE / 2);
  memcpy(big + 3, big + BIG_SIZE / 2 + 5, 4096);
  a = 1;
  b = 0;
  for (unsigned i = 0; i < BIG_SIZE; i++) {
    a = (a + big[i]) % 65521;
    b = (b + a) % 65521;
  }
  kprintf("after memmove: adler32 %08x\n", (b << 16) | a);
  mix(a);
}

int main(unsigned long cpu, unsigned long dtb) {
  (void)cpu;
  (void)dtb;
  stage1_identity_build();
  stage1_identity_enable();
  kputs("memory: start\n");
  for (unsigned i = 0; i < sizeof pattern; i++) pattern[i] = (uint8_t)(0x81 + i * 0x1d);
  dump("pattern", pattern, 24);
  loads(pattern, "pat");
  typed_loads();
  stores(scratch + 8, "mid");
  addressing();
  qregs();
  /* Unaligned accesses that straddle a 4 KiB page boundary. */
  for (unsigned i = 0; i < sizeof pages; i++) pages[i] = (uint8_t)(i * 7 + (i >> 8));
  loads(pages + 4096 - 5, "page");
  stores(pages + 4096 - 6, "page");
  typed_loads();
  structs();
  memfuncs();
  checksum();
  kprintf("memory: hash %016lx\n", hash);
  return 0;
}
