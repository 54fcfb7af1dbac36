// F and D semantics, as fragments over the f registers (see semantics.ts for
// the conventions). Every instruction first checks that FP is on (with V=1,
// neither vsstatus.FS nor the HS-level sstatus.FS Off) and, where it rounds,
// that its rounding mode is valid (rm 5 and 6 are reserved, and so are frm
// 5..7 for the dynamic mode); otherwise it is an illegal instruction. An
// instruction that may change the FP state (an f register or fflags) marks
// both FS fields Dirty.
//
// A single in a 64-bit f register is valid only NaN-boxed (high word all
// ones); otherwise it reads as the canonical NaN. Single results are written
// boxed. The IEEE arithmetic is h.fp (engine/isa/float) on raw bits: singles
// as one word, doubles as two halves with the high half of a result left in
// c.fenv.hi; its flags accrue in c.fenv.flags, which is fflags.

import type { Fragment, Operands } from './semantics';

const CANONICAL_NAN_32 = 0x7fc00000;
const ILLEGAL = 2;
const RM_DYNAMIC = 7;
const SIGN = -2147483648;

type Precision = 's' | 'd';
type Source = 'rs1' | 'rs2' | 'rs3';

/** Raises an illegal instruction unless FP is on. */
const guard = (o: Operands): string => `if(c.vsFs===0||c.sFs===0){c.raise(${ILLEGAL},${o.raw});${o.fault}}`;

/** The same, and `m` is the effective rounding mode, which must be valid. */
const roundingGuard = (o: Operands): string =>
  `const m=${o.rm}===${RM_DYNAMIC}?c.frm:${o.rm};if(c.vsFs===0||c.sFs===0||m>4){c.raise(${ILLEGAL},${o.raw});${o.fault}}`;

const dirty = 'c.vsFs=3;c.sFs=3;';

/** A single operand, unboxed. */
const single = (o: Operands, r: Source): string => `(${o.freg(r, 1)}===-1?${o.freg(r, 0)}:${CANONICAL_NAN_32})`;

const setSingle = (o: Operands, v: string): string => `${o.freg('rd', 0)}=${v};${o.freg('rd', 1)}=-1;`;
const setDouble = (o: Operands, l: string, h: string): string => `${o.freg('rd', 0)}=${l};${o.freg('rd', 1)}=${h};`;
const setX = (o: Operands, l: string, h: string): string => `${o.reg('rd', 0)}=${l};${o.reg('rd', 1)}=${h};`;

const address = (o: Operands): string => `(${o.reg('rs1', 1)}*4294967296+(${o.reg('rs1', 0)}>>>0)+${o.imm})`;

/** flw boxes the word it loads; fld loads all 64 bits. */
const load = (p: Precision): Fragment => (o) => {
  const write = p === 's' ? setSingle(o, 'v') : setDouble(o, 'v', 'c.hi32');
  return `{${guard(o)}const v=c.${p === 's' ? 'lw' : 'ld'}(${address(o)});if(c.fault){${o.fault}}${write}${dirty}}`;
};

/** Stores move the bits as they are: fsw does not look at the upper half. */
const store = (p: Precision): Fragment => (o) => {
  const call = p === 's' ? `c.sw(${address(o)},${o.freg('rs2', 0)})` : `c.sd(${address(o)},${o.freg('rs2', 0)},${o.freg('rs2', 1)})`;
  return `{${guard(o)}${call};if(c.fault){${o.fault}}}`;
};

/** Sign injection from rs2's sign bit into rs1's magnitude: as it is (j), inverted (n) or xored with rs1's (x). */
const signInject = (p: Precision, how: 'j' | 'n' | 'x'): Fragment => (o) => {
  const a = p === 's' ? single(o, 'rs1') : o.freg('rs1', 1);
  const b = p === 's' ? single(o, 'rs2') : o.freg('rs2', 1);
  const sign = how === 'j' ? `b&${SIGN}` : how === 'n' ? `~b&${SIGN}` : `(a^b)&${SIGN}`;
  const write = p === 's' ? setSingle(o, 'r') : setDouble(o, 'l', 'r');
  // The low word is read before rd is written: rd may be rs1.
  return `{${guard(o)}const a=${a},b=${b},l=${o.freg('rs1', 0)},r=(a&2147483647)|(${sign});${write}${dirty}}`;
};

/** The operands of a p-precision operation as h.fp arguments, each negated if asked (fused forms). */
const args = (o: Operands, p: Precision, regs: readonly Source[], negate: readonly boolean[] = []): string =>
  regs
    .map((r, i) => {
      const flip = negate[i] ? `^${SIGN}` : '';
      return p === 's' ? `${single(o, r)}${flip}` : `${o.freg(r, 0)},${o.freg(r, 1)}${flip}`;
    })
    .join(',');

const F = (p: Precision): string => (p === 's' ? 'f32' : 'f64');

/** An f result from h.fp.<call>: a boxed single, or a double whose high half is in c.fenv.hi. */
const fResult = (o: Operands, p: Precision, call: string): string =>
  `{const r=h.fp.${call};${p === 's' ? setSingle(o, 'r') : setDouble(o, 'r', 'c.fenv.hi')}${dirty}}`;

/** An x result: a 32-bit value sign-extended, or a 64-bit one whose high half is in c.fenv.hi. */
const xResult = (o: Operands, call: string, wide = false): string =>
  `{const r=h.fp.${call};${setX(o, 'r', wide ? 'c.fenv.hi' : 'r>>31')}${dirty}}`;

const rounded = (body: (o: Operands) => string): Fragment => (o) => `{${roundingGuard(o)}${body(o)}}`;
const plain = (body: (o: Operands) => string): Fragment => (o) => `{${guard(o)}${body(o)}}`;

/** Comparison results: CMP_LESS -1, CMP_EQUAL 0, CMP_GREATER 1, CMP_UNORDERED 2. */
const comparisons: readonly [string, boolean, string][] = [['feq', false, 'r===0'], ['flt', true, 'r===-1'], ['fle', true, '(r===-1||r===0)']];

function precision(p: Precision): Record<string, Fragment> {
  const f = F(p);
  const to = `To${f.toUpperCase()}`;
  const two = (o: Operands): string => args(o, p, ['rs1', 'rs2']);
  const out: Record<string, Fragment> = {
    [`fsgnj.${p}`]: signInject(p, 'j'),
    [`fsgnjn.${p}`]: signInject(p, 'n'),
    [`fsgnjx.${p}`]: signInject(p, 'x'),
    [`fadd.${p}`]: rounded((o) => fResult(o, p, `${f}Add(c.fenv,${two(o)},m)`)),
    [`fsub.${p}`]: rounded((o) => fResult(o, p, `${f}Sub(c.fenv,${two(o)},m)`)),
    [`fmul.${p}`]: rounded((o) => fResult(o, p, `${f}Mul(c.fenv,${two(o)},m)`)),
    [`fdiv.${p}`]: rounded((o) => fResult(o, p, `${f}Div(c.fenv,${two(o)},m)`)),
    [`fsqrt.${p}`]: rounded((o) => fResult(o, p, `${f}Sqrt(c.fenv,${args(o, p, ['rs1'])},m)`)),
    // fmadd a*b+c, fmsub a*b-c, fnmsub -(a*b)+c, fnmadd -(a*b)-c: the negations are exact, so they go to the operands.
    [`fmadd.${p}`]: rounded((o) => fResult(o, p, `${f}MulAdd(c.fenv,${args(o, p, ['rs1', 'rs2', 'rs3'])},m)`)),
    [`fmsub.${p}`]: rounded((o) => fResult(o, p, `${f}MulAdd(c.fenv,${args(o, p, ['rs1', 'rs2', 'rs3'], [false, false, true])},m)`)),
    [`fnmsub.${p}`]: rounded((o) => fResult(o, p, `${f}MulAdd(c.fenv,${args(o, p, ['rs1', 'rs2', 'rs3'], [true, false, false])},m)`)),
    [`fnmadd.${p}`]: rounded((o) => fResult(o, p, `${f}MulAdd(c.fenv,${args(o, p, ['rs1', 'rs2', 'rs3'], [true, false, true])},m)`)),
    [`fmin.${p}`]: plain((o) => fResult(o, p, `${f}MinimumNumber(c.fenv,${two(o)})`)),
    [`fmax.${p}`]: plain((o) => fResult(o, p, `${f}MaximumNumber(c.fenv,${two(o)})`)),
    // fclass only reads FP state.
    [`fclass.${p}`]: plain((o) => `{const r=h.fp.${f}Class(${args(o, p, ['rs1'])});${setX(o, 'r', '0')}}`),
    // Float to integer: 32-bit results are sign-extended (wu's too).
    [`fcvt.w.${p}`]: rounded((o) => xResult(o, `${f}ToI32(c.fenv,${args(o, p, ['rs1'])},m)`)),
    [`fcvt.wu.${p}`]: rounded((o) => xResult(o, `${f}ToU32(c.fenv,${args(o, p, ['rs1'])},m)`)),
    [`fcvt.l.${p}`]: rounded((o) => xResult(o, `${f}ToI64(c.fenv,${args(o, p, ['rs1'])},m)`, true)),
    [`fcvt.lu.${p}`]: rounded((o) => xResult(o, `${f}ToU64(c.fenv,${args(o, p, ['rs1'])},m)`, true)),
    // Integer to float: rs1's low word (w, wu) or both words (l, lu).
    [`fcvt.${p}.w`]: rounded((o) => fResult(o, p, `i32${to}(c.fenv,${o.reg('rs1', 0)},m)`)),
    [`fcvt.${p}.wu`]: rounded((o) => fResult(o, p, `u32${to}(c.fenv,${o.reg('rs1', 0)},m)`)),
    [`fcvt.${p}.l`]: rounded((o) => fResult(o, p, `i64${to}(c.fenv,${o.reg('rs1', 0)},${o.reg('rs1', 1)},m)`)),
    [`fcvt.${p}.lu`]: rounded((o) => fResult(o, p, `u64${to}(c.fenv,${o.reg('rs1', 0)},${o.reg('rs1', 1)},m)`)),
  };
  for (const [name, signalling, test] of comparisons) {
    out[`${name}.${p}`] = plain((o) => `{const r=h.fp.${f}Compare(c.fenv,${two(o)},${signalling}),v=${test}?1:0;${setX(o, 'v', '0')}${dirty}}`);
  }
  return out;
}

/** Moves between x and f registers, bits unchanged: fmv.x.w sign-extends, fmv.w.x boxes. */
const moves: Record<string, Fragment> = {
  'fmv.x.w': plain((o) => `const r=${o.freg('rs1', 0)};${setX(o, 'r', 'r>>31')}`),
  'fmv.x.d': plain((o) => `const l=${o.freg('rs1', 0)},u=${o.freg('rs1', 1)};${setX(o, 'l', 'u')}`),
  'fmv.w.x': plain((o) => `const r=${o.reg('rs1', 0)};${setSingle(o, 'r')}${dirty}`),
  'fmv.d.x': plain((o) => `const l=${o.reg('rs1', 0)},u=${o.reg('rs1', 1)};${setDouble(o, 'l', 'u')}${dirty}`),
};

/** Between precisions: a double narrowed with rounding, a single widened exactly (rm still checked). */
const between: Record<string, Fragment> = {
  'fcvt.s.d': rounded((o) => fResult(o, 's', `f64ToF32(c.fenv,${args(o, 'd', ['rs1'])},m)`)),
  'fcvt.d.s': rounded((o) => fResult(o, 'd', `f32ToF64(c.fenv,${args(o, 's', ['rs1'])})`)),
};

/** Loads and stores, which may fault or reach a device. */
export const floatMemory: Readonly<Record<string, Fragment>> = { flw: load('s'), fld: load('d'), fsw: store('s'), fsd: store('d') };

/** Everything else: straight-line, raising only an illegal instruction. */
export const floatOps: Readonly<Record<string, Fragment>> = { ...precision('s'), ...precision('d'), ...moves, ...between };
