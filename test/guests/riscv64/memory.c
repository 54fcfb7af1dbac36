/* Loads and stores of every width with sign/zero extension, misaligned
 * accesses (also across a page boundary), the mem* functions on overlapping
 * ranges, struct copies and a checksum over a few hundred KiB. */
#include "lib.h"

static uint8_t pattern[64] __attribute__((aligned(8)));
static uint8_t scratch[64] __attribute__((aligned(8)));
static uint8_t pages[2 * 4096] __attribute__((aligned(4096)));
#define BIG_SIZE (384 * 1024)
static uint8_t big[BIG_SIZE] __attribute__((aligned(8)));
static uint64_t hash = 0xcbf29ce484222325UL;

static void mix(uint64_t v) {
  hash ^= v;
  hash *= 0x100000001b3UL;
}

#define LOAD(insn, p)                                         \
  ({                                                          \
    uint64_t r_;                                              \
    __asm__ volatile(insn " %0, 0(%1)" : "=r"(r_) : "r"(p) : "memory"); \
    r_;                                                       \
  })
#define STORE(insn, p, v) __asm__ volatile(insn " %0, 0(%1)" ::"r"(v), "r"(p) : "memory")

static void dump(const char *tag, const uint8_t *p, unsigned n) {
  kprintf("%s:", tag);
  for (unsigned i = 0; i < n; i++) {
    kprintf(" %02x", p[i]);
    mix(p[i]);
  }
  kputc('\n');
}

/* Every load instruction at every byte offset 0..7 (misaligned ones too). */
static void loads(const uint8_t *base, const char *where) {
  for (unsigned off = 0; off < 8; off++) {
    const uint8_t *p = base + off;
    uint64_t r[7] = {LOAD("lb", p), LOAD("lbu", p), LOAD("lh", p), LOAD("lhu", p),
                     LOAD("lw", p), LOAD("lwu", p), LOAD("ld", p)};
    kprintf("%s+%u: lb %lx lbu %lx lh %lx lhu %lx lw %lx lwu %lx ld %lx\n", where, off, r[0], r[1], r[2], r[3],
            r[4], r[5], r[6]);
    for (unsigned i = 0; i < 7; i++) mix(r[i]);
  }
}

static void stores(uint8_t *base, const char *where) {
  for (unsigned off = 0; off < 8; off++) {
    memset(base - 8, 0, 32);
    uint8_t *p = base + off;
    STORE("sd", p, 0x1122334455667788UL);
    STORE("sw", p + 8, 0x99aabbccUL);
    STORE("sh", p + 12, 0xddeeUL);
    STORE("sb", p + 14, 0xffUL);
    char tag[16] = "st ";
    unsigned n = 3;
    while (where[n - 3]) {
      tag[n] = where[n - 3];
      n++;
    }
    tag[n++] = '+';
    tag[n++] = (char)('0' + off);
    tag[n] = 0;
    dump(tag, base - 8, 32);
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
  char name[13];
  int32_t delta;
};

static struct record make_record(unsigned i) {
  struct record r;
  memset(&r, 0, sizeof r);
  r.tag = (uint8_t)(0xa0 + i);
  r.kind = (uint16_t)(0x8000 | i);
  r.id = 0xdead0000u + i;
  r.value = 0x0123456789abcdefUL * (i + 1);
  for (unsigned k = 0; k < 12; k++) r.name[k] = (char)('a' + (i + k) % 26);
  r.name[12] = 0;
  r.delta = -(int32_t)(i * 1000);
  return r;
}

static void structs(void) {
  static struct record table[8];
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
  for (unsigned i = 0; i < 8; i++) {
    kprintf("rec[%u]: tag %x kind %x id %x value %lx name %s delta %d\n", i, table[i].tag, table[i].kind,
            table[i].id, table[i].value, table[i].name, table[i].delta);
    mix(table[i].value + table[i].id + (uint64_t)table[i].delta);
  }
  kprintf("sizeof(struct record) = %u, memcmp(table[0], b) = %d\n", (unsigned)sizeof(struct record),
          memcmp(&table[0], &b, sizeof b));
}

static void memfuncs(void) {
  uint8_t buf[48];
  for (unsigned i = 0; i < 48; i++) buf[i] = (uint8_t)i;
  memmove(buf + 5, buf, 20); /* forward overlap: copies backwards */
  dump("memmove fwd", buf, 32);
  for (unsigned i = 0; i < 48; i++) buf[i] = (uint8_t)i;
  memmove(buf, buf + 7, 20); /* backward overlap */
  dump("memmove back", buf, 32);
  memset(buf + 3, 0xab, 9);
  memset(buf + 20, 0, 0);
  dump("memset", buf, 24);
  uint64_t words[6] = {1, 2, 3, 4, 5, 6};
  memcpy(words + 1, words + 3, 3 * sizeof words[0]);
  kprintf("memcpy words: %lu %lu %lu %lu %lu %lu\n", words[0], words[1], words[2], words[3], words[4], words[5]);
  memcpy(buf + 1, "unaligned copy!", 15);
  dump("memcpy", buf, 20);
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
  /* Copy the second half over the first with overlap, then re-check. */
  memmove(big + 1000, big, BIG_SIZE / 2);
  a = 1;
  b = 0;
  for (unsigned i = 0; i < BIG_SIZE; i++) {
    a = (a + big[i]) % 65521;
    b = (b + a) % 65521;
  }
  kprintf("after memmove: adler32 %08x\n", (b << 16) | a);
  mix(a);
}

int main(unsigned long hartid, unsigned long dtb) {
  (void)hartid;
  (void)dtb;
  kputs("memory: start\n");
  for (unsigned i = 0; i < sizeof pattern; i++) pattern[i] = (uint8_t)(0x81 + i * 0x1d);
  dump("pattern", pattern, 24);
  loads(pattern, "pat");
  typed_loads();
  stores(scratch + 8, "mid");
  /* Misaligned accesses that straddle a 4 KiB page boundary. */
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
