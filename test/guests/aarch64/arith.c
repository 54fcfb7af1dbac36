/* Integer arithmetic on corner values, printed in hex. The register forms
 * use inline assembly so every instruction is exercised regardless of what
 * the compiler folds (division by zero and INT_MIN / -1 included: aarch64
 * gives 0 and INT_MIN, no trap); the C section checks the code gcc itself
 * emits (division by constants, extensions, comparisons). */
#include "lib.h"

static const uint64_t vals[] = {
    0,
    1,
    0xffffffffffffffffUL, /* -1 */
    2,
    0x8000000000000000UL, /* INT64_MIN */
    0x7fffffffffffffffUL, /* INT64_MAX */
    0xffffffff80000000UL, /* INT32_MIN, sign-extended */
    0x000000007fffffffUL, /* INT32_MAX */
    0x00000000ffffffffUL,
    0x00000000000000ffUL, /* 255 */
    0x123456789abcdef0UL,
    0xfedcba9876543211UL,
};
#define NVALS (sizeof vals / sizeof vals[0])

/* Two-operand instructions; the W forms take and give W registers. */
#define RR(name, text)                                                \
  static uint64_t name(uint64_t a, uint64_t b) {                      \
    uint64_t r;                                                       \
    __asm__(text : "=&r"(r) : "r"(a), "r"(b) : "cc");                 \
    return r;                                                         \
  }
RR(add, "add %0, %1, %2") RR(sub, "sub %0, %1, %2") RR(mul, "mul %0, %1, %2")
RR(smulh, "smulh %0, %1, %2") RR(umulh, "umulh %0, %1, %2")
RR(sdiv, "sdiv %0, %1, %2") RR(udiv, "udiv %0, %1, %2")
RR(lsl, "lsl %0, %1, %2") RR(lsr, "lsr %0, %1, %2") RR(asr, "asr %0, %1, %2") RR(ror, "ror %0, %1, %2")
RR(and, "and %0, %1, %2") RR(orr, "orr %0, %1, %2") RR(eor, "eor %0, %1, %2")
RR(bic, "bic %0, %1, %2") RR(orn, "orn %0, %1, %2") RR(eon, "eon %0, %1, %2")
RR(add_lsl3, "add %0, %1, %2, lsl #3") RR(sub_asr60, "sub %0, %1, %2, asr #60")
RR(and_ror9, "and %0, %1, %2, ror #9") RR(add_sxtw, "add %0, %1, %w2, sxtw #2")
RR(sub_uxtb, "sub %0, %1, %w2, uxtb") RR(add_sxth, "add %0, %1, %w2, sxth #1")
RR(madd, "madd %0, %1, %2, %1") RR(msub, "msub %0, %1, %2, %2")
RR(smull, "smull %0, %w1, %w2") RR(umull, "umull %0, %w1, %w2")
RR(smsubl, "smsubl %0, %w1, %w2, %1") RR(umaddl, "umaddl %0, %w1, %w2, %2")
RR(extr13, "extr %0, %1, %2, #13") RR(extr_w7, "extr %w0, %w1, %w2, #7")
RR(subs_nzcv, "subs %0, %1, %2\n\tmrs %0, nzcv\n\tlsr %0, %0, #28")
RR(adds_nzcv, "adds %0, %1, %2\n\tmrs %0, nzcv\n\tlsr %0, %0, #28")
RR(adds_w_nzcv, "adds %w0, %w1, %w2\n\tmrs %0, nzcv\n\tlsr %0, %0, #28")
RR(adc_after_cmp, "cmp %1, %2\n\tadc %0, %1, %2") RR(sbc_after_cmp, "cmp %2, %1\n\tsbc %0, %1, %2")
RR(adcs_w_nzcv, "cmp %1, %2\n\tadcs %w0, %w1, %w2\n\tmrs %0, nzcv\n\tlsr %0, %0, #28")
RR(ccmp_nzcv, "cmp %1, #2\n\tccmp %1, %2, #0xa, ne\n\tmrs %0, nzcv\n\tlsr %0, %0, #28")
RR(ccmn_w_nzcv, "tst %1, #1\n\tccmn %w1, %w2, #5, eq\n\tmrs %0, nzcv\n\tlsr %0, %0, #28")
RR(csel_lt, "cmp %1, %2\n\tcsel %0, %1, %2, lt") RR(csinc_hi, "cmp %1, %2\n\tcsinc %0, %1, %2, hi")
RR(csinv_ge, "cmp %1, %2\n\tcsinv %0, %1, %2, ge") RR(csneg_vs, "cmn %1, %2\n\tcsneg %0, %1, %2, vs")
RR(add_w, "add %w0, %w1, %w2") RR(sub_w, "sub %w0, %w1, %w2") RR(mul_w, "mul %w0, %w1, %w2")
RR(sdiv_w, "sdiv %w0, %w1, %w2") RR(udiv_w, "udiv %w0, %w1, %w2")
RR(lsl_w, "lsl %w0, %w1, %w2") RR(lsr_w, "lsr %w0, %w1, %w2") RR(asr_w, "asr %w0, %w1, %w2")
RR(ror_w, "ror %w0, %w1, %w2") RR(bic_w, "bic %w0, %w1, %w2") RR(madd_w, "madd %w0, %w1, %w2, %w2")

struct rr_op {
  const char *name;
  uint64_t (*fn)(uint64_t, uint64_t);
};
#define OP(op) {#op, op}
static const struct rr_op rr_ops[] = {
    OP(add), OP(sub), OP(mul), OP(smulh), OP(umulh), OP(sdiv), OP(udiv), OP(lsl), OP(lsr), OP(asr),
    OP(ror), OP(and), OP(orr), OP(eor), OP(bic), OP(orn), OP(eon), OP(add_lsl3), OP(sub_asr60),
    OP(and_ror9), OP(add_sxtw), OP(sub_uxtb), OP(add_sxth), OP(madd), OP(msub), OP(smull), OP(umull),
    OP(smsubl), OP(umaddl), OP(extr13), OP(extr_w7), OP(subs_nzcv), OP(adds_nzcv), OP(adds_w_nzcv),
    OP(adc_after_cmp), OP(sbc_after_cmp), OP(adcs_w_nzcv), OP(ccmp_nzcv), OP(ccmn_w_nzcv), OP(csel_lt),
    OP(csinc_hi), OP(csinv_ge), OP(csneg_vs), OP(add_w), OP(sub_w), OP(mul_w), OP(sdiv_w), OP(udiv_w),
    OP(lsl_w), OP(lsr_w), OP(asr_w), OP(ror_w), OP(bic_w), OP(madd_w),
};

/* One-operand instructions and immediate forms. */
#define RI(name, text)                                                \
  static uint64_t name(uint64_t a) {                                  \
    uint64_t r;                                                       \
    __asm__(text : "=&r"(r) : "r"(a) : "cc");                         \
    return r;                                                         \
  }
RI(clz, "clz %0, %1") RI(cls, "cls %0, %1") RI(rbit, "rbit %0, %1") RI(rev, "rev %0, %1")
RI(rev16, "rev16 %0, %1") RI(rev32, "rev32 %0, %1") RI(clz_w, "clz %w0, %w1") RI(cls_w, "cls %w0, %w1")
RI(rbit_w, "rbit %w0, %w1") RI(rev_w, "rev %w0, %w1") RI(rev16_w, "rev16 %w0, %w1")
RI(neg, "neg %0, %1") RI(negs_nzcv, "negs %0, %1\n\tmrs %0, nzcv\n\tlsr %0, %0, #28") RI(mvn, "mvn %0, %1")
RI(sxtb, "sxtb %0, %w1") RI(sxth, "sxth %0, %w1") RI(sxtw, "sxtw %0, %w1") RI(uxtb, "uxtb %w0, %w1")
RI(uxth, "uxth %w0, %w1") RI(lsl_1, "lsl %0, %1, #1") RI(lsl_63, "lsl %0, %1, #63") RI(lsr_63, "lsr %0, %1, #63")
RI(asr_63, "asr %0, %1, #63") RI(asr_w31, "asr %w0, %w1, #31") RI(lsr_w1, "lsr %w0, %w1, #1")
RI(ror_7, "ror %0, %1, #7") RI(ubfx_8_12, "ubfx %0, %1, #8, #12") RI(sbfx_4_20, "sbfx %0, %1, #4, #20")
RI(sbfiz_w, "sbfiz %w0, %w1, #3, #5") RI(ubfiz_60, "ubfiz %0, %1, #60, #4")
RI(bfi_16_8, "mov %0, #0x5555\n\tbfi %0, %1, #16, #8") RI(bfxil_3_9, "mov %0, #-1\n\tbfxil %0, %1, #3, #9")
RI(add_4095, "add %0, %1, #4095") RI(add_4095_lsl12, "add %0, %1, #4095, lsl #12")
RI(subs_1_nzcv, "subs %0, %1, #1\n\tmrs %0, nzcv\n\tlsr %0, %0, #28")
RI(cmn_w_1_nzcv, "cmn %w1, #1\n\tmrs %0, nzcv\n\tlsr %0, %0, #28")
RI(and_mask, "and %0, %1, #0xff00ff00ff00ff00") RI(orr_mask, "orr %0, %1, #0x5555555555555555")
RI(eor_mask, "eor %0, %1, #0x8000000000000001") RI(and_w_mask, "and %w0, %w1, #0x7ffffffe")
RI(tst_nzcv, "tst %1, #0xf0\n\tmrs %0, nzcv\n\tlsr %0, %0, #28")
RI(movk_16, "mov %0, %1\n\tmovk %0, #0xbeef, lsl #16") RI(movk_w, "mov %0, %1\n\tmovk %w0, #0xcafe")
RI(cset_lt0, "cmp %1, #0\n\tcset %0, lt") RI(csetm_w_eq, "cmp %w1, #0\n\tcsetm %w0, eq")
RI(cinc_ne, "cmp %1, #255\n\tcinc %0, %1, ne") RI(cneg_mi, "cmp %1, #0\n\tcneg %0, %1, mi")

struct ri_op {
  const char *name;
  uint64_t (*fn)(uint64_t);
};
static const struct ri_op ri_ops[] = {
    OP(clz), OP(cls), OP(rbit), OP(rev), OP(rev16), OP(rev32), OP(clz_w), OP(cls_w), OP(rbit_w), OP(rev_w),
    OP(rev16_w), OP(neg), OP(negs_nzcv), OP(mvn), OP(sxtb), OP(sxth), OP(sxtw), OP(uxtb), OP(uxth),
    OP(lsl_1), OP(lsl_63), OP(lsr_63), OP(asr_63), OP(asr_w31), OP(lsr_w1), OP(ror_7), OP(ubfx_8_12),
    OP(sbfx_4_20), OP(sbfiz_w), OP(ubfiz_60), OP(bfi_16_8), OP(bfxil_3_9), OP(add_4095), OP(add_4095_lsl12),
    OP(subs_1_nzcv), OP(cmn_w_1_nzcv), OP(and_mask), OP(orr_mask), OP(eor_mask), OP(and_w_mask), OP(tst_nzcv),
    OP(movk_16), OP(movk_w), OP(cset_lt0), OP(csetm_w_eq), OP(cinc_ne), OP(cneg_mi),
};

/* One bit per b.cond after cmp a, b (eq ne cs cc mi pl vs vc hi ls ge lt gt le). */
static unsigned conditions(uint64_t a, uint64_t b) {
  unsigned m = 0, t;
#define BC(cond, bit)                                                                        \
  __asm__("cmp %1, %2\n\tb." cond " 1f\n\tmov %w0, #0\n\tb 2f\n1:\tmov %w0, #1\n2:"           \
          : "=&r"(t)                                                                         \
          : "r"(a), "r"(b)                                                                   \
          : "cc");                                                                           \
  m |= t << bit;
  BC("eq", 0) BC("ne", 1) BC("cs", 2) BC("cc", 3) BC("mi", 4) BC("pl", 5) BC("vs", 6)
  BC("vc", 7) BC("hi", 8) BC("ls", 9) BC("ge", 10) BC("lt", 11) BC("gt", 12) BC("le", 13)
#undef BC
  return m;
}

/* cbz/cbnz on X and W, tbz/tbnz on bits 0, 31, 32 and 63. */
static unsigned compare_branches(uint64_t a) {
  unsigned m = 0, t;
#define CB(insn, bit)                                                                        \
  __asm__(insn " 1f\n\tmov %w0, #0\n\tb 2f\n1:\tmov %w0, #1\n2:" : "=&r"(t) : "r"(a));          \
  m |= t << bit;
  CB("cbz %1,", 0) CB("cbnz %1,", 1) CB("cbz %w1,", 2) CB("cbnz %w1,", 3) CB("tbz %1, #0,", 4)
  CB("tbnz %1, #0,", 5) CB("tbz %w1, #31,", 6) CB("tbnz %1, #32,", 7) CB("tbnz %1, #63,", 8)
#undef CB
  return m;
}

static uint64_t wide_moves(void) {
  uint64_t a, b, c, d, e;
  __asm__("movz %0, #0x8000, lsl #48" : "=r"(a));
  __asm__("movn %0, #0x1234, lsl #16" : "=r"(b));
  __asm__("movn %w0, #0" : "=r"(c));
  __asm__("mov %0, #0x1234\n\tmovk %0, #0x5678, lsl #32\n\tmovk %0, #0x9abc, lsl #48" : "=r"(d));
  /* adr's result depends on the pc; the difference of two is fixed. */
  __asm__("adr %0, .\n\tadr x9, . + 0x1000\n\tsub %0, x9, %0" : "=r"(e) : : "x9");
  kprintf("movz=%016lx movn=%016lx movn w=%016lx movk=%016lx adr delta=%lx\n", a, b, c, d, e);
  return a ^ b ^ c ^ d ^ e;
}

/* Code gcc generates for C: magic-number division, extensions, min/max. */
static uint64_t c_level(uint64_t v) {
  int64_t s = (int64_t)v;
  int32_t w = (int32_t)v;
  uint32_t uw = (uint32_t)v;
  uint64_t h = 0;
  uint64_t r[14];
  r[0] = v / 7;
  r[1] = v % 10;
  r[2] = (uint64_t)(s / 7); /* v != INT64_MIN checked below */
  r[3] = (uint64_t)(s % 1000);
  r[4] = (uint64_t)(int64_t)(w / 3);
  r[5] = (uint64_t)(uw / 10u);
  r[6] = (uint64_t)(int64_t)w; /* sign extension */
  r[7] = (uint64_t)uw;         /* zero extension */
  r[8] = (uint64_t)(int64_t)(int16_t)v;
  r[9] = (uint64_t)(uint8_t)v;
  r[10] = (uint64_t)((s < 0 ? 0 - (uint64_t)s : (uint64_t)s) >> 3);
  r[11] = (uint64_t)((uw * 2654435761u) >> 7) ^ (uint64_t)(s > 1000 ? 1 : 0) ^ ((v < 1000) ? 2 : 0);
  r[12] = (uint64_t)__builtin_clzll(v | 1) + (uint64_t)__builtin_ctzll(v | (1UL << 63)) * 100;
  r[13] = __builtin_bswap64(v) ^ (uint64_t)__builtin_bswap32(uw) ^ (uint64_t)__builtin_bswap16((uint16_t)v);
  kprintf("c %016lx:", v);
  for (unsigned i = 0; i < sizeof r / sizeof r[0]; i++) {
    kprintf(" %lx", r[i]);
    h = h * 31 + r[i];
  }
  kputc('\n');
  return h;
}

int main(unsigned long cpu, unsigned long dtb) {
  (void)cpu;
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
        kprintf(" %lx", r);
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
    kprintf("b.cond[%u]:", i);
    for (unsigned j = 0; j < NVALS; j++) {
      unsigned m = conditions(vals[i], vals[j]);
      hash = (hash ^ m) * 0x100000001b3UL;
      kprintf(" %04x", m);
    }
    kputc('\n');
  }
  kputs("cb/tb:");
  for (unsigned i = 0; i < NVALS; i++) {
    unsigned m = compare_branches(vals[i]);
    hash = (hash ^ m) * 0x100000001b3UL;
    kprintf(" %03x", m);
  }
  kputc('\n');
  hash ^= wide_moves();
  for (unsigned i = 0; i < NVALS; i++)
    if (vals[i] != 0x8000000000000000UL) hash ^= c_level(vals[i]);
  kprintf("arith: hash %016lx\n", hash);
  return 0;
}
