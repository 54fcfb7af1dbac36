// binary32 operations. Values are raw bits in an unsigned 32-bit number; 32-bit
// integer results are int32 numbers; 64-bit results return the low word and
// leave the high word in env.hi. Round-to-nearest on zero or normal operands
// with a normal result takes a host-double fast path whose exactness is proved
// by error-free transformations; everything else takes the exact path.

import { add, div, mul, mulAdd, mulx, recipStep, rsqrtStep, sqrt, sub } from './arith';
import { classify, compare, minMax, minMaxNum, minMaxNumber, type CompareResult } from './compare';
import { convert, fromInt, roundInt, toInt } from './convert';
import { FLAG_INEXACT, RMM, RNE, type FloatEnv, type RoundingMode } from './env';
import { recipEstimateFloat, recipExponent, rsqrtEstimateFloat } from './estimate';
import { MAX_FINITE32, MIN_NORMAL32, bitsOf32, bitsOf64, f32View, plain32, pow2, u32View } from './fast-bits';
import { roundToF16 } from './half-host';
import { directed, exactInteger, halfway32, integerIn, roundIntegral, roundToF32, splitInteger, step32 } from './host-round';
import { F16, F32, F64, bits64, split64 } from './format';

const big = (a: number): bigint => BigInt(a >>> 0);
const num = (v: bigint): number => Number(v);

/** The bits of a fast-path result r that rounds s; undefined when s is outside the normal range. */
function finish(env: FloatEnv, s: number, r: number, inexact: boolean): number | undefined {
  const as = Math.abs(s);
  if ((as > MIN_NORMAL32 && Math.abs(r) <= MAX_FINITE32) || s === 0) {
    if (inexact) env.flags |= FLAG_INEXACT;
    f32View[0] = r;
    return u32View[0]!;
  }
  return undefined;
}

/**
 * The bits of V rounded by a mode other than RNE (and not ROD), from r = RN(V),
 * `dir` the sign of V - r and `tie` whether V is halfway; undefined unless r is
 * far enough inside the normal range that neither overflow nor underflow can occur.
 */
function finishDirected(env: FloatEnv, r: number, dir: number, tie: boolean, rm: RoundingMode): number | undefined {
  const ar = Math.abs(r);
  if (!(ar > MIN_NORMAL32 && ar < MAX_FINITE32)) return undefined;
  if (dir !== 0) env.flags |= FLAG_INEXACT;
  return bitsOf32(directed(r, dir, tie, rm, step32));
}

/** A sum s = RN(V) with V = s + err exactly, rounded to binary32 by `rm`; undefined for the exact path. */
function roundSum(env: FloatEnv, s: number, err: number, rm: RoundingMode): number | undefined {
  const r = Math.fround(s);
  if (rm === RNE) {
    // Rounding s rounds V the same way unless s fell on a halfway point with V off it.
    return err === 0 || r === s || !halfway32(s) ? finish(env, s, r, r !== s || err !== 0) : undefined;
  }
  // An exact zero takes its sign from the mode, which the host's sum does not know.
  if (s === 0 || (err !== 0 && halfway32(s))) return undefined;
  const dir = r !== s ? Math.sign(s - r) : Math.sign(err);
  return finishDirected(env, r, dir, err === 0 && r !== s && halfway32(s), rm);
}

function toHost(a: number): number {
  u32View[0] = a;
  return f32View[0]!;
}

export function f32Add(env: FloatEnv, a: number, b: number, rm: RoundingMode): number {
  if (rm <= RMM && plain32(a) && plain32(b)) {
    const x = toHost(a), y = toHost(b);
    const s = x + y, bb = s - x, err = x - (s - bb) + (y - bb);
    const out = roundSum(env, s, err, rm);
    if (out !== undefined) return out;
  }
  return num(add(F32, big(a), big(b), rm, env));
}

export function f32Sub(env: FloatEnv, a: number, b: number, rm: RoundingMode): number {
  if (rm <= RMM && plain32(a) && plain32(b)) return f32Add(env, a, (b ^ 0x80000000) >>> 0, rm);
  return num(sub(F32, big(a), big(b), rm, env));
}

export function f32Mul(env: FloatEnv, a: number, b: number, rm: RoundingMode): number {
  if (rm <= RMM && plain32(a) && plain32(b)) {
    // The product is exact in a double.
    const s = toHost(a) * toHost(b);
    if (s === 0) return bitsOf32(s);
    const out = roundSum(env, s, 0, rm);
    if (out !== undefined) return out;
  }
  return num(mul(F32, big(a), big(b), rm, env));
}

export function f32Div(env: FloatEnv, a: number, b: number, rm: RoundingMode): number {
  if (rm <= RMM && plain32(a) && plain32(b) && (b & 0x7fffffff) !== 0) {
    const x = toHost(a), y = toHost(b);
    // Double rounding through binary64 is harmless for a quotient (53 >= 2 * 24 + 2);
    // r * y is exact, so x - r * y has the sign of the error. A quotient is never halfway.
    const s = x / y;
    const r = Math.fround(s);
    const out = rm === RNE ? finish(env, s, r, r * y !== x) : x === 0 ? bitsOf32(s) : finishDirected(env, r, Math.sign(x - r * y) * Math.sign(y), false, rm);
    if (out !== undefined) return out;
  }
  return num(div(F32, big(a), big(b), rm, env));
}

export function f32Sqrt(env: FloatEnv, a: number, rm: RoundingMode): number {
  if (rm <= RMM && plain32(a) && (a >>> 31) === 0) {
    // As for the quotient: r * r is exact, and a root is never halfway.
    const x = toHost(a);
    const r = Math.fround(Math.sqrt(x));
    const out = rm === RNE || x === 0 ? finish(env, x === 0 ? 0 : r, r, r * r !== x) : finishDirected(env, r, Math.sign(x - r * r), false, rm);
    if (out !== undefined) return out;
  }
  return num(sqrt(F32, big(a), rm, env));
}

/** a * b + c with one rounding; NaNs are chosen in the order c, a, b (Arm's addend first). */
export function f32MulAdd(env: FloatEnv, a: number, b: number, c: number, rm: RoundingMode): number {
  if (rm <= RMM && plain32(a) && plain32(b) && plain32(c)) {
    // The product is exact in a double, and the sum is s + err exactly.
    const p = toHost(a) * toHost(b), z = toHost(c);
    const s = p + z, bb = s - p, err = p - (s - bb) + (z - bb);
    const out = roundSum(env, s, err, rm);
    if (out !== undefined) return out;
  }
  return num(mulAdd(F32, big(a), big(b), big(c), rm, env));
}

/** Compare; `signalling` raises invalid for quiet NaNs too (Arm FCMPE, FCMGE/FCMGT; RISC-V flt, fle). */
export function f32Compare(env: FloatEnv, a: number, b: number, signalling: boolean): CompareResult {
  if (plain32(a) && plain32(b)) {
    const x = toHost(a), y = toHost(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compare(F32, big(a), big(b), signalling, env);
}

/** min or max of zero or normal operands, where all three families agree; undefined otherwise. */
function plainMinMax(a: number, b: number, max: boolean): number | undefined {
  if (!plain32(a) || !plain32(b)) return undefined;
  const x = toHost(a), y = toHost(b);
  // Equal values have equal bits but for the zeros' signs: max(-0, +0) = +0, min = -0.
  if (x === y) return (max ? a & b : a | b) >>> 0;
  return (x < y) !== max ? a : b;
}

/** Arm FMIN: NaNs propagate, -0 < +0. */
export const f32Min = (env: FloatEnv, a: number, b: number): number => plainMinMax(a, b, false) ?? num(minMax(F32, big(a), big(b), false, env));
/** Arm FMAX. */
export const f32Max = (env: FloatEnv, a: number, b: number): number => plainMinMax(a, b, true) ?? num(minMax(F32, big(a), big(b), true, env));
/** Arm FMINNM (IEEE 754-2008 minNum): a lone quiet NaN gives the other operand. */
export const f32MinNum = (env: FloatEnv, a: number, b: number): number => plainMinMax(a, b, false) ?? num(minMaxNum(F32, big(a), big(b), false, env));
/** Arm FMAXNM (IEEE 754-2008 maxNum). */
export const f32MaxNum = (env: FloatEnv, a: number, b: number): number => plainMinMax(a, b, true) ?? num(minMaxNum(F32, big(a), big(b), true, env));
/** RISC-V fmin.s (IEEE 754-2019 minimumNumber): the canonical NaN only when both are NaN. */
export const f32MinimumNumber = (env: FloatEnv, a: number, b: number): number => plainMinMax(a, b, false) ?? num(minMaxNumber(F32, big(a), big(b), false, env));
/** RISC-V fmax.s (IEEE 754-2019 maximumNumber). */
export const f32MaximumNumber = (env: FloatEnv, a: number, b: number): number => plainMinMax(a, b, true) ?? num(minMaxNumber(F32, big(a), big(b), true, env));

/** Round to an integral value; `exact` raises inexact when the value changes (Arm FRINTX). */
export function f32RoundInt(env: FloatEnv, a: number, rm: RoundingMode, exact: boolean): number {
  if (rm <= RMM && plain32(a)) {
    const x = toHost(a);
    if (Math.abs(x) >= 2 ** 23) return a >>> 0;
    const r = roundIntegral(x, rm);
    if (exact && r !== x) env.flags |= FLAG_INEXACT;
    return bitsOf32(r);
  }
  return num(roundInt(F32, big(a), rm, exact, env));
}

/** RISC-V fclass.s mask. */
export const f32Class = (a: number): number => classify(F32, big(a));

export const f32Neg = (a: number): number => (a ^ 0x80000000) >>> 0;
export const f32Abs = (a: number): number => (a & 0x7fffffff) >>> 0;

/** a * 2^fbits as an integer in [min, limit) when the fast path can tell; undefined for the exact path. */
function integer32(env: FloatEnv, a: number, rm: RoundingMode, fbits: number, min: number, limit: number): number | undefined {
  return rm <= RMM && plain32(a) ? integerIn(env, toHost(a), rm, fbits, min, limit) : undefined;
}

/** To int32 of a * 2^fbits: saturating, invalid when out of range or NaN (NaN gives 0 on Arm, INT32_MAX on RISC-V). */
export function f32ToI32(env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number {
  const r = integer32(env, a, rm, fbits, -0x80000000, 0x80000000);
  if (r !== undefined) return r | 0;
  return Number(BigInt.asIntN(32, toInt(F32, big(a), 32, true, rm, fbits, env)));
}

/** To uint32 (returned as an int32 number of the same bits); NaN gives 0 on Arm, all ones on RISC-V. */
export function f32ToU32(env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number {
  const r = integer32(env, a, rm, fbits, 0, 0x100000000);
  if (r !== undefined) return r | 0;
  return Number(BigInt.asIntN(32, toInt(F32, big(a), 32, false, rm, fbits, env)));
}

/** To int64: returns the low word, the high word in env.hi. */
export function f32ToI64(env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number {
  const r = integer32(env, a, rm, fbits, -(2 ** 63), 2 ** 63);
  if (r !== undefined) return splitInteger(env, r);
  return split64(env, toInt(F32, big(a), 64, true, rm, fbits, env));
}

/** To uint64: returns the low word, the high word in env.hi. */
export function f32ToU64(env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number {
  const r = integer32(env, a, rm, fbits, 0, 2 ** 64);
  if (r !== undefined) return splitInteger(env, r);
  return split64(env, toInt(F32, big(a), 64, false, rm, fbits, env));
}

/** An exact integer d divided by 2^fbits (in binary32's normal range: |d| < 2^53, fbits <= 64), rounded to binary32. */
function fromExact(env: FloatEnv, d: number, rm: RoundingMode, fbits: number): number {
  const v = fbits === 0 ? d : d / pow2(fbits);
  const r = roundToF32(v, rm);
  if (r !== v) env.flags |= FLAG_INEXACT;
  return bitsOf32(r);
}

/** From int32 (any int32 or uint32 number of those bits) divided by 2^fbits. */
export function i32ToF32(env: FloatEnv, v: number, rm: RoundingMode, fbits = 0): number {
  if (rm <= RMM) return fromExact(env, v | 0, rm, fbits);
  return num(fromInt(F32, BigInt(v | 0), fbits, rm, env));
}

export function u32ToF32(env: FloatEnv, v: number, rm: RoundingMode, fbits = 0): number {
  if (rm <= RMM) return fromExact(env, v >>> 0, rm, fbits);
  return num(fromInt(F32, BigInt(v >>> 0), fbits, rm, env));
}

/** From int64 given as halves. */
export function i64ToF32(env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits = 0): number {
  const d = rm <= RMM ? exactInteger(lo, hi, true) : undefined;
  if (d !== undefined) return fromExact(env, d, rm, fbits);
  return num(fromInt(F32, BigInt.asIntN(64, bits64(lo, hi)), fbits, rm, env));
}

export function u64ToF32(env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits = 0): number {
  const d = rm <= RMM ? exactInteger(lo, hi, false) : undefined;
  if (d !== undefined) return fromExact(env, d, rm, fbits);
  return num(fromInt(F32, bits64(lo, hi), fbits, rm, env));
}

/** Widen to binary64 (exact; NaNs quieted, or the default NaN under RISC-V or Arm DN): low word, high in env.hi. */
export function f32ToF64(env: FloatEnv, a: number): number {
  if (plain32(a)) return bitsOf64(env, toHost(a));
  return split64(env, convert(F32, F64, big(a), RNE, env));
}

/** Narrow to binary16 (Arm AHP selects the alternative format). */
export function f32ToF16(env: FloatEnv, a: number, rm: RoundingMode): number {
  if (rm <= RMM && plain32(a)) {
    const x = toHost(a);
    const out = x === 0 ? (a >>> 16) & 0x8000 : roundToF16(env, x, rm);
    if (out !== undefined) return out;
  }
  return num(convert(F32, F16, big(a), rm, env));
}

/** Arm FMULX: infinity times zero is 2 with the product's sign. */
export const f32MulX = (env: FloatEnv, a: number, b: number, rm: RoundingMode): number => num(mulx(F32, big(a), big(b), rm, env));
/** Arm FRECPS: 2 - a * b fused. */
export const f32RecipStep = (env: FloatEnv, a: number, b: number, rm: RoundingMode): number => num(recipStep(F32, big(a), big(b), rm, env));
/** Arm FRSQRTS: (3 - a * b) / 2 fused. */
export const f32RSqrtStep = (env: FloatEnv, a: number, b: number, rm: RoundingMode): number => num(rsqrtStep(F32, big(a), big(b), rm, env));
/** Arm FRECPE; `rm` decides whether a reciprocal too large overflows to infinity. */
export const f32RecipEstimate = (env: FloatEnv, a: number, rm: RoundingMode): number => num(recipEstimateFloat(F32, big(a), rm, env));
/** Arm FRSQRTE. */
export const f32RSqrtEstimate = (env: FloatEnv, a: number): number => num(rsqrtEstimateFloat(F32, big(a), env));
/** Arm FRECPX. */
export const f32RecipExponent = (env: FloatEnv, a: number): number => num(recipExponent(F32, big(a), env));
