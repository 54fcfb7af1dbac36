// The floating-point forms of Advanced SIMD, lane by lane: single lanes are
// one word of c.v, double lanes two (low word first). Each operation has a
// single and a double form over the float library, run in the CPU's FloatEnv
// (FPCR's rounding mode, FZ and DN; FPSR's cumulative flags). The drivers
// (lanewise, pairwise, across lanes, widening, narrowing) build the result in
// the scratch register and write it back whole, so a destination that is also
// a source reads correctly and the bits above the result are cleared.

import * as F from '../float';
import type { FloatEnv } from '../float';
import type { CpuState } from './cpu';
import { clearScratch, commit, scratchWords } from './simd-lanes';

/**
 * A lane operation on operands a, b and the old destination lane d (the
 * accumulating forms), with the fraction bits k of the fixed-point
 * conversions. A double returns its low word and leaves the high one in e.hi.
 */
export interface FpOp {
  readonly s: (e: FloatEnv, a: number, b: number, d: number, k: number) => number;
  readonly d: (e: FloatEnv, al: number, ah: number, bl: number, bh: number, dl: number, dh: number, k: number) => number;
}

/** A compare's lane: all ones when it holds. */
const maskS = (t: boolean): number => (t ? -1 : 0);
const maskD = (e: FloatEnv, t: boolean): number => (e.hi = t ? -1 : 0);
const holds = (r: number, want: 'eq' | 'ge' | 'gt'): boolean =>
  want === 'eq' ? r === F.CMP_EQUAL : want === 'ge' ? r === F.CMP_EQUAL || r === F.CMP_GREATER : r === F.CMP_GREATER;

/** A compare of a against b (or against +0.0 with `zero`; `abs` compares magnitudes). */
function compare(want: 'eq' | 'ge' | 'gt', opts: { swap?: boolean; zero?: boolean; abs?: boolean } = {}): FpOp {
  const signalling = want !== 'eq';
  return {
    s: (e, a, b) => {
      let x = a, y = opts.zero ? 0 : b;
      if (opts.abs) { x &= 0x7fffffff; y &= 0x7fffffff; }
      return maskS(holds(opts.swap ? F.f32Compare(e, y, x, signalling) : F.f32Compare(e, x, y, signalling), want));
    },
    d: (e, al, ah, bl, bh) => {
      let xh = ah, yl = opts.zero ? 0 : bl, yh = opts.zero ? 0 : bh;
      if (opts.abs) { xh &= 0x7fffffff; yh &= 0x7fffffff; }
      const r = opts.swap ? F.f64Compare(e, yl, yh, al, xh, signalling) : F.f64Compare(e, al, xh, yl, yh, signalling);
      return maskD(e, holds(r, want));
    },
  };
}

/** A two-operand arithmetic operation of the dynamic rounding mode. */
const arith = (s: (e: FloatEnv, a: number, b: number, rm: number) => number, d: (e: FloatEnv, al: number, ah: number, bl: number, bh: number, rm: number) => number): FpOp => ({
  s: (e, a, b) => s(e, a, b, e.rm),
  d: (e, al, ah, bl, bh) => d(e, al, ah, bl, bh, e.rm),
});
/** Min/max: no rounding. */
const minMax = (s: (e: FloatEnv, a: number, b: number) => number, d: (e: FloatEnv, al: number, ah: number, bl: number, bh: number) => number): FpOp => ({
  s: (e, a, b) => s(e, a, b),
  d: (e, al, ah, bl, bh) => d(e, al, ah, bl, bh),
});
/** Round to integral in mode rm (undefined: FPCR's), raising Inexact when `exact`. */
const roundInt = (rm: number | undefined, exact: boolean): FpOp => ({
  s: (e, a) => F.f32RoundInt(e, a, rm ?? e.rm, exact),
  d: (e, al, ah) => F.f64RoundInt(e, al, ah, rm ?? e.rm, exact),
});
/** Conversion to a same-size integer in mode rm (undefined: FPCR's), with k fraction bits. */
const toInt = (signed: boolean, rm: number | undefined): FpOp => ({
  s: (e, a, _b, _d, k) => (signed ? F.f32ToI32 : F.f32ToU32)(e, a, rm ?? e.rm, k),
  d: (e, al, ah, _bl, _bh, _dl, _dh, k) => (signed ? F.f64ToI64 : F.f64ToU64)(e, al, ah, rm ?? e.rm, k),
});
const fromInt = (signed: boolean): FpOp => ({
  s: (e, a, _b, _d, k) => (signed ? F.i32ToF32 : F.u32ToF32)(e, a, e.rm, k),
  d: (e, al, ah, _bl, _bh, _dl, _dh, k) => (signed ? F.i64ToF64 : F.u64ToF64)(e, al, ah, e.rm, k),
});

export const fpOps = {
  fadd: arith(F.f32Add, F.f64Add),
  fsub: arith(F.f32Sub, F.f64Sub),
  fmul: arith(F.f32Mul, F.f64Mul),
  fdiv: arith(F.f32Div, F.f64Div),
  fmulx: arith(F.f32MulX, F.f64MulX),
  frecps: arith(F.f32RecipStep, F.f64RecipStep),
  frsqrts: arith(F.f32RSqrtStep, F.f64RSqrtStep),
  fmax: minMax(F.f32Max, F.f64Max),
  fmin: minMax(F.f32Min, F.f64Min),
  fmaxnm: minMax(F.f32MaxNum, F.f64MaxNum),
  fminnm: minMax(F.f32MinNum, F.f64MinNum),
  // |a - b|: the sign of the difference cleared, NaNs included.
  fabd: {
    s: (e, a, b) => F.f32Sub(e, a, b, e.rm) & 0x7fffffff,
    d: (e, al, ah, bl, bh) => {
      const lo = F.f64Sub(e, al, ah, bl, bh, e.rm);
      e.hi &= 0x7fffffff;
      return lo;
    },
  },
  // d + a * b, and d - a * b with a negated first (its NaN too), in one rounding.
  fmla: {
    s: (e, a, b, d) => F.f32MulAdd(e, a, b, d, e.rm),
    d: (e, al, ah, bl, bh, dl, dh) => F.f64MulAdd(e, al, ah, bl, bh, dl, dh, e.rm),
  },
  fmls: {
    s: (e, a, b, d) => F.f32MulAdd(e, a ^ 0x80000000, b, d, e.rm),
    d: (e, al, ah, bl, bh, dl, dh) => F.f64MulAdd(e, al, ah ^ 0x80000000, bl, bh, dl, dh, e.rm),
  },
  fcmeq: compare('eq'), fcmge: compare('ge'), fcmgt: compare('gt'),
  facge: compare('ge', { abs: true }), facgt: compare('gt', { abs: true }),
  fcmeq0: compare('eq', { zero: true }), fcmge0: compare('ge', { zero: true }), fcmgt0: compare('gt', { zero: true }),
  // a <= 0 and a < 0 are 0 >= a and 0 > a.
  fcmle0: compare('ge', { zero: true, swap: true }), fcmlt0: compare('gt', { zero: true, swap: true }),
  fabs: { s: (_e, a) => a & 0x7fffffff, d: (e, al, ah) => ((e.hi = ah & 0x7fffffff), al) },
  fneg: { s: (_e, a) => a ^ 0x80000000, d: (e, al, ah) => ((e.hi = ah ^ 0x80000000), al) },
  fsqrt: { s: (e, a) => F.f32Sqrt(e, a, e.rm), d: (e, al, ah) => F.f64Sqrt(e, al, ah, e.rm) },
  frintn: roundInt(F.RNE, false), frintp: roundInt(F.RUP, false), frintm: roundInt(F.RDN, false), frintz: roundInt(F.RTZ, false),
  frinta: roundInt(F.RMM, false), frintx: roundInt(undefined, true), frinti: roundInt(undefined, false),
  fcvtns: toInt(true, F.RNE), fcvtnu: toInt(false, F.RNE), fcvtps: toInt(true, F.RUP), fcvtpu: toInt(false, F.RUP),
  fcvtms: toInt(true, F.RDN), fcvtmu: toInt(false, F.RDN), fcvtzs: toInt(true, F.RTZ), fcvtzu: toInt(false, F.RTZ),
  fcvtas: toInt(true, F.RMM), fcvtau: toInt(false, F.RMM),
  scvtf: fromInt(true), ucvtf: fromInt(false),
  frecpe: { s: (e, a) => F.f32RecipEstimate(e, a, e.rm), d: (e, al, ah) => F.f64RecipEstimate(e, al, ah, e.rm) },
  frsqrte: { s: (e, a) => F.f32RSqrtEstimate(e, a), d: (e, al, ah) => F.f64RSqrtEstimate(e, al, ah) },
  frecpx: { s: (e, a) => F.f32RecipExponent(e, a), d: (e, al, ah) => F.f64RecipExponent(e, al, ah) },
  // Unsigned fixed-point estimates: single lanes only.
} satisfies Record<string, FpOp>;

export type FpOpName = keyof typeof fpOps;

/**
 * r[i] = op(n[i], m[i], d[i]) over `lanes` lanes of singles or doubles; unary
 * operations pass m = n. The by-element forms pass the lane of m every lane
 * uses as `mLane`.
 */
export function same(c: CpuState, op: FpOp, d: number, n: number, m: number, dbl: number, lanes: number, k = 0, mLane = -1): void {
  const v = c.v, e = c.fpe, out = scratchWords;
  clearScratch();
  if (dbl) {
    for (let i = 0; i < lanes; i++) {
      const ni = n * 4 + 2 * i, mi = m * 4 + 2 * (mLane < 0 ? i : mLane), di = d * 4 + 2 * i;
      out[2 * i] = op.d(e, v[ni]!, v[ni + 1]!, v[mi]!, v[mi + 1]!, v[di]!, v[di + 1]!, k);
      out[2 * i + 1] = e.hi;
    }
  } else {
    for (let i = 0; i < lanes; i++) out[i] = op.s(e, v[n * 4 + i]!, v[m * 4 + (mLane < 0 ? i : mLane)]!, v[d * 4 + i]!, k);
  }
  commit(c, d);
}

/** Lane i of the concatenation m:n (n's lanes first), as word offsets into c.v. */
const pairLane = (n: number, m: number, lanes: number, dbl: number, i: number): number =>
  (i < lanes ? n * 4 : m * 4 - lanes * (dbl + 1)) + i * (dbl + 1);

/** Pairwise: result lane i is op of lanes 2i and 2i + 1 of the concatenation m:n. */
export function pairwise(c: CpuState, op: FpOp, d: number, n: number, m: number, dbl: number, lanes: number): void {
  const v = c.v, e = c.fpe, out = scratchWords;
  clearScratch();
  for (let i = 0; i < lanes; i++) {
    const a = pairLane(n, m, lanes, dbl, 2 * i), b = pairLane(n, m, lanes, dbl, 2 * i + 1);
    if (dbl) {
      out[2 * i] = op.d(e, v[a]!, v[a + 1]!, v[b]!, v[b + 1]!, 0, 0, 0);
      out[2 * i + 1] = e.hi;
    } else {
      out[i] = op.s(e, v[a]!, v[b]!, 0, 0);
    }
  }
  commit(c, d);
}

/** Across lanes (and the scalar pairwise forms): `lanes` lanes of n reduced by halves, as the architecture orders it. */
export function across(c: CpuState, op: FpOp, d: number, n: number, dbl: number, lanes: number): void {
  const v = c.v, e = c.fpe;
  const reduce = (first: number, count: number): [number, number] => {
    const w = n * 4 + first * (dbl + 1);
    if (count === 1) return [v[w]!, dbl ? v[w + 1]! : 0];
    const half = count >> 1;
    const [ll, lh] = reduce(first, half);
    const [hl, hh] = reduce(first + half, half);
    if (dbl) {
      const lo = op.d(e, ll, lh, hl, hh, 0, 0, 0);
      return [lo, e.hi];
    }
    return [op.s(e, ll, hl, 0, 0), 0];
  };
  const [lo, hi] = reduce(0, lanes);
  clearScratch();
  scratchWords[0] = lo;
  scratchWords[1] = hi;
  commit(c, d);
}

/** FCVTL/FCVTL2: the lower (part 0) or upper half of n widened, halves to singles or singles to doubles. */
export function widen(c: CpuState, d: number, n: number, dbl: number, part: number): void {
  const v = c.v, e = c.fpe, out = scratchWords;
  clearScratch();
  if (dbl) {
    for (let i = 0; i < 2; i++) {
      out[2 * i] = F.f32ToF64(e, v[n * 4 + 2 * part + i]!);
      out[2 * i + 1] = e.hi;
    }
  } else {
    for (let i = 0; i < 4; i++) {
      const word = v[n * 4 + 2 * part + (i >> 1)]!;
      out[i] = F.f16ToF32(e, (i & 1 ? word >>> 16 : word) & 0xffff);
    }
  }
  commit(c, d);
}

/**
 * FCVTN/FCVTN2/FCVTXN: n's doubles to singles (or singles to halves) into the
 * lower half of d (part 0, upper half cleared) or its upper half (part 1,
 * lower half kept); `odd` rounds to odd (FCVTXN). `lanes` is 1 for the scalar form.
 */
export function narrow(c: CpuState, d: number, n: number, dbl: number, part: number, odd: number, lanes: number): void {
  const v = c.v, e = c.fpe, out = scratchWords;
  const keep0 = part ? v[d * 4]! : 0, keep1 = part ? v[d * 4 + 1]! : 0;
  const r: number[] = [];
  if (dbl) {
    for (let i = 0; i < lanes; i++) r.push(F.f64ToF32(e, v[n * 4 + 2 * i]!, v[n * 4 + 2 * i + 1]!, odd ? F.ROD : e.rm));
  } else {
    for (let i = 0; i < 4; i++) r.push(F.f32ToF16(e, v[n * 4 + i]!, e.rm));
  }
  clearScratch();
  out[0] = keep0;
  out[1] = keep1;
  if (dbl) r.forEach((x, i) => (out[2 * part + i] = x));
  else for (let i = 0; i < 2; i++) out[2 * part + i] = (r[2 * i]! & 0xffff) | (r[2 * i + 1]! << 16);
  commit(c, d);
}

export const fpLanes = { ops: fpOps, same, pairwise, across, widen, narrow } as const;
