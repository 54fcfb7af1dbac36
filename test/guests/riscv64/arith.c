/* Integer arithmetic on corner values, printed in hex. The register-register
 * and immediate forms use inline assembly so every instruction is exercised
 * regardless of what the compiler folds; the C section checks the code gcc
 * itself emits (division by constants, extensions, comparisons). */
#include "lib.h"

static const uint64_t vals[] = {
    0,
    1,
    0xffffffffffffffffUL, /* -1 */
    2,
    0x8000000000000000UL, /* INT64_MIN */
    0x7fffffffffffffffUL, /* INT64_MAX */
    0xffffffff80000000UL, /* INT32_MIN */
    0x000000007fffffffUL, /* INT32_MAX */
    0x00000000ffffffffUL,
    0x00000000000000ffUL, /* 255 */
    0x123456789abcdef0UL,
    0xfedcba9876543211UL,
};
#define NVALS (sizeof vals / sizeof vals[0])

#define RR(op)                                                        \
  static uint64_t op_##op(uint64_t a, uint64_t b) {                   \
    uint64_t r;                                                       \
    __asm__(#op " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));            \
    return r;                                                         \
  }
RR(add) RR(sub) RR(sll) RR(srl) RR(sra) RR(slt) RR(sltu) RR(and) RR(or) RR(xor)
RR(mul) RR(mulh) RR(mulhsu) RR(mulhu) RR(div) RR(divu) RR(rem) RR(remu)
RR(addw) RR(subw) RR(sllw) RR(srlw) RR(sraw) RR(mulw) RR(divw) RR(divuw) RR(remw) RR(remuw)

struct rr_op {
  const char *name;
  uint64_t (*fn)(uint64_t, uint64_t);
};

#define OP(op) {#op, op_##op}
static const struct rr_op rr_ops[] = {
    OP(add), OP(sub), OP(sll), OP(srl), OP(sra), OP(slt), OP(sltu), OP(and), OP(or), OP(xor),
    OP(mul), OP(mulh), OP(mulhsu), OP(mulhu), OP(div), OP(divu), OP(rem), OP(remu),
    OP(addw), OP(subw), OP(sllw), OP(srlw), OP(sraw), OP(mulw), OP(divw), OP(divuw), OP(remw), OP(remuw),
};

#define RI(name, insn, imm)                                           \
  static uint64_t name(uint64_t a) {                                  \
    uint64_t r;                                                       \
    __asm__(insn " %0, %1, " #imm : "=r"(r) : "r"(a));                \
    return r;                                                         \
  }
RI(addi_m1, "addi", -1) RI(addi_max, "addi", 2047) RI(addi_min, "addi", -2048)
RI(slti_0, "slti", 0) RI(slti_m1, "slti", -1) RI(sltiu_m1, "sltiu", -1) RI(sltiu_1, "sltiu", 1)
RI(andi_m2048, "andi", -2048) RI(ori_0x555, "ori", 0x555) RI(xori_m1, "xori", -1)
RI(slli_0, "slli", 0) RI(slli_1, "slli", 1) RI(slli_63, "slli", 63) RI(srli_63, "srli", 63)
RI(srli_32, "srli", 32) RI(srai_63, "srai", 63) RI(srai_31, "srai", 31)
RI(addiw_0, "addiw", 0) RI(addiw_1, "addiw", 1) RI(addiw_m2048, "addiw", -2048)
RI(slliw_31, "slliw", 31) RI(slliw_0, "slliw", 0) RI(srliw_31, "srliw", 31) RI(srliw_0, "srliw", 0)
RI(sraiw_31, "sraiw", 31) RI(sraiw_1, "sraiw", 1)

struct ri_op {
  const char *name;
  uint64_t (*fn)(uint64_t);
};
#define IOP(n) {#n, n}
static const struct ri_op ri_ops[] = {
    IOP(addi_m1), IOP(addi_max), IOP(addi_min), IOP(slti_0), IOP(slti_m1), IOP(sltiu_m1),
    IOP(sltiu_1), IOP(andi_m2048), IOP(ori_0x555), IOP(xori_m1), IOP(slli_0), IOP(slli_1),
    IOP(slli_63), IOP(srli_63), IOP(srli_32), IOP(srai_63), IOP(srai_31), IOP(addiw_0),
    IOP(addiw_1), IOP(addiw_m2048), IOP(slliw_31), IOP(slliw_0), IOP(srliw_31), IOP(srliw_0),
    IOP(sraiw_31), IOP(sraiw_1),
};

/* One bit per conditional branch: beq bne blt bge bltu bgeu. */
static unsigned branches(uint64_t a, uint64_t b) {
  unsigned m = 0, t;
#define BR(insn, bit)                                                          \
  __asm__(insn " %1, %2, 1f\n\tli %0, 0\n\tj 2f\n1:\tli %0, 1\n2:"             \
          : "=&r"(t)                                                           \
          : "r"(a), "r"(b));                                                   \
  m |= t << bit;
  BR("beq", 0) BR("bne", 1) BR("blt", 2) BR("bge", 3) BR("bltu", 4) BR("bgeu", 5)
#undef BR
  return m;
}

static uint64_t lui_auipc_checks(void) {
  uint64_t a, b, c, d;
  __asm__("lui %0, 0x80000" : "=r"(a));
  __asm__("lui %0, 0xfffff" : "=r"(b));
  __asm__("lui %0, 0x7ffff" : "=r"(c));
  /* auipc's result depends on the pc; the difference of two is fixed. */
  __asm__("auipc %0, 0\n\tauipc t0, 1\n\tsub %0, t0, %0" : "=r"(d) : : "t0");
  kprintf("lui 0x80000=%016lx lui 0xfffff=%016lx lui 0x7ffff=%016lx auipc delta=%lx\n", a, b, c, d);
  return a ^ b ^ c ^ d;
}

/* Code gcc generates for C: magic-number division, extensions, min/max. */
static uint64_t c_level(uint64_t v) {
  int64_t s = (int64_t)v;
  int32_t w = (int32_t)v;
  uint32_t uw = (uint32_t)v;
  uint64_t h = 0;
  uint64_t r[12];
  r[0] = v / 7;
  r[1] = v % 10;
  r[2] = (uint64_t)(s / 7);         /* v != INT64_MIN checked below */
  r[3] = (uint64_t)(s % 1000);
  r[4] = (uint64_t)(int64_t)(w / 3);
  r[5] = (uint64_t)(uw / 10u);
  r[6] = (uint64_t)(int64_t)w;      /* sign extension */
  r[7] = (uint64_t)uw;              /* zero extension */
  r[8] = (uint64_t)(int64_t)(int16_t)v;
  r[9] = (uint64_t)(uint8_t)v;
  r[10] = (uint64_t)((s < 0 ? 0 - (uint64_t)s : (uint64_t)s) >> 3);
  r[11] = (uint64_t)((uw * 2654435761u) >> 7) ^ (uint64_t)(s > 1000 ? 1 : 0) ^ ((v < 1000) ? 2 : 0);
  kprintf("c %016lx:", v);
  for (unsigned i = 0; i < 12; i++) {
    kprintf(" %lx", r[i]);
    h = h * 31 + r[i];
  }
  kputc('\n');
  return h;
}

int main(unsigned long hartid, unsigned long dtb) {
  (void)hartid;
  (void)dtb;
  uint64_t hash = 0;
  kputs("arith: start\n");
  kputs("values:");
  for (unsigned j = 0; j < NVALS; j++) kprintf(" %lx", vals[j]);
  kputc('\n');
  for (unsigned k = 0; k < sizeof rr_ops / sizeof rr_ops[0]; k++) {
    for (unsigned i = 0; i < NVALS; i++) {
      kprintf("%s[%u]:", rr_ops[k].name, i);
      for (unsigned j = 0; j < NVALS; j++) {
        uint64_t r = rr_ops[k].fn(vals[i], vals[j]);
        hash = (hash ^ r) * 0x100000001b3UL;
        kprintf(" %016lx", r);
      }
      kputc('\n');
    }
  }
  for (unsigned k = 0; k < sizeof ri_ops / sizeof ri_ops[0]; k++) {
    kprintf("%s:", ri_ops[k].name);
    for (unsigned i = 0; i < NVALS; i++) {
      uint64_t r = ri_ops[k].fn(vals[i]);
      hash = (hash ^ r) * 0x100000001b3UL;
      kprintf(" %lx", r);
    }
    kputc('\n');
  }
  for (unsigned i = 0; i < NVALS; i++) {
    kprintf("branch[%u]:", i);
    for (unsigned j = 0; j < NVALS; j++) {
      unsigned m = branches(vals[i], vals[j]);
      hash = (hash ^ m) * 0x100000001b3UL;
      kprintf(" %02x", m);
    }
    kputc('\n');
  }
  hash ^= lui_auipc_checks();
  for (unsigned i = 0; i < NVALS; i++)
    if (vals[i] != 0x8000000000000000UL) hash ^= c_level(vals[i]);
  kprintf("arith: hash %016lx\n", hash);
  return 0;
}
