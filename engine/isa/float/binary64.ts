// binary64 operations. A value is two int32 halves (lo, hi); a binary64 or
// 64-bit integer result returns the low word and leaves the high word in
// env.hi. Round-to-nearest on zero or normal operands with a normal result
// takes a host-double fast path whose exactness (the inexact flag) comes from
// TwoSum and Dekker's product; everything else takes the exact path.

import { add, div, mul, mulAdd, mulx, recipStep, rsqrtStep, sqrt, sub } from './arith';
import { classify, compare, minMax, minMaxNum, minMaxNumber, type CompareResult } from './compare';
import { convert, fromInt, roundInt, toInt } from './convert';
import { FLAG_INEXACT, RMM, RNE, type FloatEnv, type RoundingMode } from './env';
import { recipEstimateFloat, recipExponent, rsqrtEstimateFloat } from './estimate';
import { MAX_FINITE32, MIN_NORMAL32, MIN_NORMAL64, PRODUCT_FLOOR, SPLIT_LIMIT, SUM_LIMIT, bitsOf32, bitsOf64, f64View, i32View, plain64, pow2, productError } from './fast-bits';
import { roundToF16 } from './half-host';
import { directed, exactInteger, halfwayAbove64, integerIn, roundIntegral, roundToF32, splitInteger, step64, toOdd } from './host-round';
import { F16, F32, F64, bits64, split64 } from './format';

const num = (v: bigint): number => Number(v);

function toHost(lo: number, hi: number): number {
  i32View[0] = lo;
  i32View[1] = hi;
  return f64View[0]!;
}

/** In the range where the fast path's result is final: normal and finite, or an exact zero. */
const normalResult = (r: number): boolean => {
  const ar = Math.abs(r);
  return ar > MIN_NORMAL64 && ar !== Infinity;
};

/**
 * The bits of V = r + e rounded by `rm` (not ROD), where r = RN(V) and e is V - r,
 * exact when `mayTie` (else only its sign counts: V cannot be halfway). Undefined
 * unless r is far enough inside the normal range that nothing overflows or underflows.
 */
function finish(env: FloatEnv, r: number, e: number, rm: RoundingMode, mayTie: boolean): number | undefined {
  const ar = Math.abs(r);
  if (rm === RNE ? !normalResult(r) : !(ar > MIN_NORMAL64 && ar < Number.MAX_VALUE)) return undefined;
  if (e !== 0) {
    env.flags |= FLAG_INEXACT;
    if (rm !== RNE) r = directed(r, Math.sign(e), mayTie && rm === RMM && halfwayAbove64(r, e), rm, step64);
  }
  return bitsOf64(env, r);
}

export function f64Add(env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number, rm: RoundingMode): number {
  if (rm <= RMM && plain64(alo, ahi) && plain64(blo, bhi)) {
    const x = toHost(alo, ahi), y = toHost(blo, bhi);
    if (Math.abs(x) < SUM_LIMIT && Math.abs(y) < SUM_LIMIT) {
      const s = x + y, bb = s - x, err = x - (s - bb) + (y - bb);
      // An exact zero takes its sign from the mode, which the host's sum knows only for RNE.
      const out = s === 0 ? (rm === RNE ? bitsOf64(env, s) : undefined) : finish(env, s, err, rm, true);
      if (out !== undefined) return out;
    }
  }
  return split64(env, add(F64, bits64(alo, ahi), bits64(blo, bhi), rm, env));
}

export function f64Sub(env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number, rm: RoundingMode): number {
  if (rm <= RMM && plain64(alo, ahi) && plain64(blo, bhi)) return f64Add(env, alo, ahi, blo, bhi ^ 0x80000000, rm);
  return split64(env, sub(F64, bits64(alo, ahi), bits64(blo, bhi), rm, env));
}

export function f64Mul(env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number, rm: RoundingMode): number {
  if (rm <= RMM && plain64(alo, ahi) && plain64(blo, bhi)) {
    const x = toHost(alo, ahi), y = toHost(blo, bhi);
    const p = x * y;
    if (p === 0 && (x === 0 || y === 0)) return bitsOf64(env, p);
    const ap = Math.abs(p);
    if (ap > PRODUCT_FLOOR && ap < SPLIT_LIMIT && Math.abs(x) < SPLIT_LIMIT && Math.abs(y) < SPLIT_LIMIT) {
      const out = finish(env, p, productError(x, y, p), rm, true);
      if (out !== undefined) return out;
    }
  }
  return split64(env, mul(F64, bits64(alo, ahi), bits64(blo, bhi), rm, env));
}

export function f64Div(env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number, rm: RoundingMode): number {
  if (rm <= RMM && plain64(alo, ahi) && plain64(blo, bhi) && ((bhi & 0x7fffffff) | blo) !== 0) {
    const x = toHost(alo, ahi), y = toHost(blo, bhi);
    const q = x / y;
    if (x === 0) return bitsOf64(env, q);
    const aq = Math.abs(q), ax = Math.abs(x);
    if (aq > PRODUCT_FLOOR && aq < SPLIT_LIMIT && ax > PRODUCT_FLOOR && ax < SPLIT_LIMIT && Math.abs(y) < SPLIT_LIMIT) {
      // x - q * y = (x - ph) - pl, the first difference exact (ph is within a factor
      // of two of x), gives the error's sign; a quotient is never halfway.
      const ph = q * y, pl = productError(q, y, ph);
      const out = finish(env, q, (x - ph - pl) * Math.sign(y), rm, false);
      if (out !== undefined) return out;
    }
  }
  return split64(env, div(F64, bits64(alo, ahi), bits64(blo, bhi), rm, env));
}

export function f64Sqrt(env: FloatEnv, lo: number, hi: number, rm: RoundingMode): number {
  if (rm <= RMM && plain64(lo, hi) && hi >= 0) {
    const x = toHost(lo, hi);
    if (x === 0) return bitsOf64(env, x);
    if (x > PRODUCT_FLOOR && x < SPLIT_LIMIT) {
      // As for the quotient: x - s * s gives the error's sign; a root is never halfway.
      const s = Math.sqrt(x);
      const ph = s * s, pl = productError(s, s, ph);
      const out = finish(env, s, x - ph - pl, rm, false);
      if (out !== undefined) return out;
    }
  }
  return split64(env, sqrt(F64, bits64(lo, hi), rm, env));
}

/**
 * a * b + c with one rounding; NaNs are chosen in the order c, a, b (Arm's addend first).
 * The fast path: x * y = p + pl exactly (Dekker), p + z = s1 + e1 (TwoSum), and the
 * answer is s1 + (e1 + pl) with the inner sum rounded to odd, rounded once to nearest.
 */
export function f64MulAdd(env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number, clo: number, chi: number, rm: RoundingMode): number {
  if (rm <= RMM && plain64(alo, ahi) && plain64(blo, bhi) && plain64(clo, chi)) {
    const x = toHost(alo, ahi), y = toHost(blo, bhi), z = toHost(clo, chi);
    const p = x * y, ap = Math.abs(p);
    if (z !== 0 && ap > PRODUCT_FLOOR && ap < SPLIT_LIMIT && Math.abs(x) < SPLIT_LIMIT && Math.abs(y) < SPLIT_LIMIT) {
      const pl = productError(x, y, p);
      const s1 = p + z, b1 = s1 - p, e1 = p - (s1 - b1) + (z - b1);
      const t = e1 + pl, b2 = t - e1, e2 = e1 - (t - b2) + (pl - b2);
      const odd = e2 === 0 ? t : toOdd(t, e2);
      const r = s1 + odd, b3 = r - s1, e3 = s1 - (r - b3) + (odd - b3);
      // The exact error is e3 plus what rounding to odd dropped, which is smaller than
      // any nonzero e3: its sign is e3's, else e2's (or the opposite when the odd
      // neighbour lies beyond the exact inner sum). Only an exact inner sum can tie.
      const e = e2 === 0 ? e3 : e3 !== 0 ? Math.sign(e3) : odd === t ? Math.sign(e2) : -Math.sign(e2);
      const out = finish(env, r, e, rm, e2 === 0);
      if (out !== undefined) return out;
    }
  }
  return split64(env, mulAdd(F64, bits64(alo, ahi), bits64(blo, bhi), bits64(clo, chi), rm, env));
}

/** Compare; `signalling` raises invalid for quiet NaNs too. */
export function f64Compare(env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number, signalling: boolean): CompareResult {
  if (plain64(alo, ahi) && plain64(blo, bhi)) {
    const x = toHost(alo, ahi), y = toHost(blo, bhi);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compare(F64, bits64(alo, ahi), bits64(blo, bhi), signalling, env);
}

/** min or max of zero or normal operands, where all three families agree: the low word (high in env.hi); undefined otherwise. */
function plainMinMax(env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number, max: boolean): number | undefined {
  if (!plain64(alo, ahi) || !plain64(blo, bhi)) return undefined;
  const x = toHost(alo, ahi), y = toHost(blo, bhi);
  if (x === y) {
    // Equal values have equal bits but for the zeros' signs: max(-0, +0) = +0, min = -0.
    env.hi = max ? ahi & bhi : ahi | bhi;
    return alo;
  }
  const first = (x < y) !== max;
  env.hi = first ? ahi : bhi;
  return first ? alo : blo;
}

/** Arm FMIN. */
export const f64Min = (env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number): number =>
  plainMinMax(env, alo, ahi, blo, bhi, false) ?? split64(env, minMax(F64, bits64(alo, ahi), bits64(blo, bhi), false, env));
/** Arm FMAX. */
export const f64Max = (env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number): number =>
  plainMinMax(env, alo, ahi, blo, bhi, true) ?? split64(env, minMax(F64, bits64(alo, ahi), bits64(blo, bhi), true, env));
/** Arm FMINNM (IEEE 754-2008 minNum). */
export const f64MinNum = (env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number): number =>
  plainMinMax(env, alo, ahi, blo, bhi, false) ?? split64(env, minMaxNum(F64, bits64(alo, ahi), bits64(blo, bhi), false, env));
/** Arm FMAXNM (IEEE 754-2008 maxNum). */
export const f64MaxNum = (env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number): number =>
  plainMinMax(env, alo, ahi, blo, bhi, true) ?? split64(env, minMaxNum(F64, bits64(alo, ahi), bits64(blo, bhi), true, env));
/** RISC-V fmin.d (IEEE 754-2019 minimumNumber). */
export const f64MinimumNumber = (env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number): number =>
  plainMinMax(env, alo, ahi, blo, bhi, false) ?? split64(env, minMaxNumber(F64, bits64(alo, ahi), bits64(blo, bhi), false, env));
/** RISC-V fmax.d (IEEE 754-2019 maximumNumber). */
export const f64MaximumNumber = (env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number): number =>
  plainMinMax(env, alo, ahi, blo, bhi, true) ?? split64(env, minMaxNumber(F64, bits64(alo, ahi), bits64(blo, bhi), true, env));

/** Round to an integral value; `exact` raises inexact when the value changes (Arm FRINTX). */
export function f64RoundInt(env: FloatEnv, lo: number, hi: number, rm: RoundingMode, exact: boolean): number {
  if (rm <= RMM && plain64(lo, hi)) {
    const x = toHost(lo, hi);
    if (Math.abs(x) >= 2 ** 52) {
      env.hi = hi;
      return lo;
    }
    const r = roundIntegral(x, rm);
    if (exact && r !== x) env.flags |= FLAG_INEXACT;
    return bitsOf64(env, r);
  }
  return split64(env, roundInt(F64, bits64(lo, hi), rm, exact, env));
}

/** RISC-V fclass.d mask. */
export const f64Class = (lo: number, hi: number): number => classify(F64, bits64(lo, hi));

/** a * 2^fbits as an integer in [min, limit) when the fast path can tell; undefined for the exact path. */
function integer64(env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits: number, min: number, limit: number): number | undefined {
  return rm <= RMM && plain64(lo, hi) ? integerIn(env, toHost(lo, hi), rm, fbits, min, limit) : undefined;
}

/** To int32 of a * 2^fbits, saturating (NaN gives 0 on Arm, INT32_MAX on RISC-V). */
export function f64ToI32(env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits = 0): number {
  const r = integer64(env, lo, hi, rm, fbits, -0x80000000, 0x80000000);
  if (r !== undefined) return r | 0;
  return Number(BigInt.asIntN(32, toInt(F64, bits64(lo, hi), 32, true, rm, fbits, env)));
}

/** To uint32 (as an int32 number of the same bits). */
export function f64ToU32(env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits = 0): number {
  const r = integer64(env, lo, hi, rm, fbits, 0, 0x100000000);
  if (r !== undefined) return r | 0;
  return Number(BigInt.asIntN(32, toInt(F64, bits64(lo, hi), 32, false, rm, fbits, env)));
}

/** To int64: low word, high word in env.hi. */
export function f64ToI64(env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits = 0): number {
  const r = integer64(env, lo, hi, rm, fbits, -(2 ** 63), 2 ** 63);
  if (r !== undefined) return splitInteger(env, r);
  return split64(env, toInt(F64, bits64(lo, hi), 64, true, rm, fbits, env));
}

/** To uint64: low word, high word in env.hi. */
export function f64ToU64(env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits = 0): number {
  const r = integer64(env, lo, hi, rm, fbits, 0, 2 ** 64);
  if (r !== undefined) return splitInteger(env, r);
  return split64(env, toInt(F64, bits64(lo, hi), 64, false, rm, fbits, env));
}

/** From int32 divided by 2^fbits (exact in binary64). */
export function i32ToF64(env: FloatEnv, v: number, _rm: RoundingMode, fbits = 0): number {
  return bitsOf64(env, fbits === 0 ? v | 0 : (v | 0) / pow2(fbits));
}

export function u32ToF64(env: FloatEnv, v: number, _rm: RoundingMode, fbits = 0): number {
  return bitsOf64(env, fbits === 0 ? v >>> 0 : (v >>> 0) / pow2(fbits));
}

/** From int64 given as halves. */
export function i64ToF64(env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits = 0): number {
  const d = exactInteger(lo, hi, true);
  if (d !== undefined) return bitsOf64(env, fbits === 0 ? d : d / pow2(fbits));
  return split64(env, fromInt(F64, BigInt.asIntN(64, bits64(lo, hi)), fbits, rm, env));
}

export function u64ToF64(env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits = 0): number {
  const d = exactInteger(lo, hi, false);
  if (d !== undefined) return bitsOf64(env, fbits === 0 ? d : d / pow2(fbits));
  return split64(env, fromInt(F64, bits64(lo, hi), fbits, rm, env));
}

/** Narrow to binary32; ROD gives Arm FCVTXN's round to odd. */
export function f64ToF32(env: FloatEnv, lo: number, hi: number, rm: RoundingMode): number {
  if (rm <= RMM && plain64(lo, hi)) {
    const x = toHost(lo, hi), ax = Math.abs(x);
    if ((ax > MIN_NORMAL32 && ax <= MAX_FINITE32) || x === 0) {
      const r = roundToF32(x, rm);
      if (r !== x) env.flags |= FLAG_INEXACT;
      return bitsOf32(r);
    }
  }
  return num(convert(F64, F32, bits64(lo, hi), rm, env));
}

/** Narrow to binary16 (Arm AHP selects the alternative format). */
export function f64ToF16(env: FloatEnv, lo: number, hi: number, rm: RoundingMode): number {
  if (rm <= RMM && plain64(lo, hi)) {
    const x = toHost(lo, hi);
    const out = x === 0 ? (hi >>> 16) & 0x8000 : roundToF16(env, x, rm);
    if (out !== undefined) return out;
  }
  return num(convert(F64, F16, bits64(lo, hi), rm, env));
}

/** Arm FMULX. */
export const f64MulX = (env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number, rm: RoundingMode): number => split64(env, mulx(F64, bits64(alo, ahi), bits64(blo, bhi), rm, env));
/** Arm FRECPS: 2 - a * b fused. */
export const f64RecipStep = (env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number, rm: RoundingMode): number => split64(env, recipStep(F64, bits64(alo, ahi), bits64(blo, bhi), rm, env));
/** Arm FRSQRTS: (3 - a * b) / 2 fused. */
export const f64RSqrtStep = (env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number, rm: RoundingMode): number => split64(env, rsqrtStep(F64, bits64(alo, ahi), bits64(blo, bhi), rm, env));
/** Arm FRECPE. */
export const f64RecipEstimate = (env: FloatEnv, lo: number, hi: number, rm: RoundingMode): number => split64(env, recipEstimateFloat(F64, bits64(lo, hi), rm, env));
/** Arm FRSQRTE. */
export const f64RSqrtEstimate = (env: FloatEnv, lo: number, hi: number): number => split64(env, rsqrtEstimateFloat(F64, bits64(lo, hi), env));
/** Arm FRECPX. */
export const f64RecipExponent = (env: FloatEnv, lo: number, hi: number): number => split64(env, recipExponent(F64, bits64(lo, hi), env));
