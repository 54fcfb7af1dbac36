// binary16 operations. Values are raw bits in an unsigned 32-bit number (the
// low 16 bits); 64-bit results return the low word and leave the high word in
// env.hi. Arm's FZ16 applies to arithmetic, never to conversions between
// formats; AHP selects the alternative format in those conversions.

import { add, div, mul, mulAdd, mulx, recipStep, rsqrtStep, sqrt, sub } from './arith';
import { classify, compare, minMax, minMaxNum, minMaxNumber, type CompareResult } from './compare';
import { convert, fromInt, roundInt, toInt } from './convert';
import { FLAG_INEXACT, RMM, RNE, type FloatEnv, type RoundingMode } from './env';
import { recipEstimateFloat, recipExponent, rsqrtEstimateFloat } from './estimate';
import { bitsOf32, bitsOf64, pow2 } from './fast-bits';
import { F16, F32, F64, bits64, split64 } from './format';
import { bitsOf16, finish16, halfway16, plain16, roundTo11, roundToF16, valueOf16 } from './half-host';
import { exactInteger, integerIn, roundIntegral, splitInteger } from './host-round';

const big = (a: number): bigint => BigInt(a & 0xffff);
const num = (v: bigint): number => Number(v);

/** a + b: the sum of two halves is exact in a double. */
function sum16(env: FloatEnv, a: number, b: number, rm: RoundingMode): number | undefined {
  const s = valueOf16(a) + valueOf16(b);
  // An exact zero takes its sign from the mode, which the host's sum knows only for RNE.
  if (s === 0) return rm === RNE ? bitsOf16(s) : undefined;
  return roundToF16(env, s, rm);
}

export function f16Add(env: FloatEnv, a: number, b: number, rm: RoundingMode): number {
  return (rm <= RMM && plain16(a) && plain16(b) ? sum16(env, a, b, rm) : undefined) ?? num(add(F16, big(a), big(b), rm, env));
}

/** a - b (a NaN b propagates with its own sign, as Arm's FPSub has it). */
export function f16Sub(env: FloatEnv, a: number, b: number, rm: RoundingMode): number {
  return (rm <= RMM && plain16(a) && plain16(b) ? sum16(env, a, b ^ 0x8000, rm) : undefined) ?? num(sub(F16, big(a), big(b), rm, env));
}

export function f16Mul(env: FloatEnv, a: number, b: number, rm: RoundingMode): number {
  if (rm <= RMM && plain16(a) && plain16(b)) {
    // The product of two halves is exact in a double.
    const p = valueOf16(a) * valueOf16(b);
    const out = p === 0 ? bitsOf16(p) : roundToF16(env, p, rm);
    if (out !== undefined) return out;
  }
  return num(mul(F16, big(a), big(b), rm, env));
}

export function f16Div(env: FloatEnv, a: number, b: number, rm: RoundingMode): number {
  if (rm <= RMM && plain16(a) && plain16(b) && (b & 0x7fff) !== 0) {
    // Rounding the double quotient again is harmless (53 >= 2 * 11 + 2); r * y is
    // exact, so x - r * y has the sign of the error. A quotient is never halfway.
    const x = valueOf16(a), y = valueOf16(b), q = x / y;
    const r = x === 0 ? 0 : roundTo11(q);
    const out = x === 0 ? bitsOf16(q) : finish16(env, q, r, Math.sign(x - r * y) * Math.sign(y), false, rm);
    if (out !== undefined) return out;
  }
  return num(div(F16, big(a), big(b), rm, env));
}

export function f16Sqrt(env: FloatEnv, a: number, rm: RoundingMode): number {
  if (rm <= RMM && plain16(a) && (a & 0x8000) === 0) {
    // As for the quotient: r * r is exact, and a root is never halfway.
    const x = valueOf16(a);
    if (x === 0) return a & 0xffff;
    const s = Math.sqrt(x), r = roundTo11(s);
    const out = finish16(env, s, r, Math.sign(x - r * r), false, rm);
    if (out !== undefined) return out;
  }
  return num(sqrt(F16, big(a), rm, env));
}

/** a * b + c with one rounding; NaNs are chosen in the order c, a, b (Arm's addend first). */
export function f16MulAdd(env: FloatEnv, a: number, b: number, c: number, rm: RoundingMode): number {
  if (rm <= RMM && plain16(a) && plain16(b) && plain16(c)) {
    // The product is exact in a double, and the sum is s + err exactly. Rounding s
    // rounds the exact sum the same way unless s fell on a halfway point with err nonzero.
    const p = valueOf16(a) * valueOf16(b), z = valueOf16(c);
    const s = p + z, bb = s - p, err = p - (s - bb) + (z - bb);
    if (s === 0) {
      // An exact zero takes its sign from the mode, which the host's sum knows only for RNE.
      if (rm === RNE) return bitsOf16(s);
    } else {
      const r = roundTo11(s), half = halfway16(s, r);
      const out = err === 0 || !half ? finish16(env, s, r, r !== s ? Math.sign(s - r) : Math.sign(err), err === 0 && half, rm) : undefined;
      if (out !== undefined) return out;
    }
  }
  return num(mulAdd(F16, big(a), big(b), big(c), rm, env));
}

/** Compare; `signalling` raises invalid for quiet NaNs too. */
export function f16Compare(env: FloatEnv, a: number, b: number, signalling: boolean): CompareResult {
  if (plain16(a) && plain16(b)) {
    const x = valueOf16(a), y = valueOf16(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compare(F16, big(a), big(b), signalling, env);
}

/** min or max of zero or normal operands, where all three families agree; undefined otherwise. */
function plainMinMax(a: number, b: number, max: boolean): number | undefined {
  if (!plain16(a) || !plain16(b)) return undefined;
  const x = valueOf16(a), y = valueOf16(b);
  // Equal values have equal bits but for the zeros' signs: max(-0, +0) = +0, min = -0.
  if (x === y) return (max ? a & b : a | b) & 0xffff;
  return ((x < y) !== max ? a : b) & 0xffff;
}

/** Arm FMIN. */
export const f16Min = (env: FloatEnv, a: number, b: number): number => plainMinMax(a, b, false) ?? num(minMax(F16, big(a), big(b), false, env));
/** Arm FMAX. */
export const f16Max = (env: FloatEnv, a: number, b: number): number => plainMinMax(a, b, true) ?? num(minMax(F16, big(a), big(b), true, env));
/** Arm FMINNM (IEEE 754-2008 minNum). */
export const f16MinNum = (env: FloatEnv, a: number, b: number): number => plainMinMax(a, b, false) ?? num(minMaxNum(F16, big(a), big(b), false, env));
/** Arm FMAXNM (IEEE 754-2008 maxNum). */
export const f16MaxNum = (env: FloatEnv, a: number, b: number): number => plainMinMax(a, b, true) ?? num(minMaxNum(F16, big(a), big(b), true, env));
/** RISC-V fmin.h (IEEE 754-2019 minimumNumber). */
export const f16MinimumNumber = (env: FloatEnv, a: number, b: number): number =>
  plainMinMax(a, b, false) ?? num(minMaxNumber(F16, big(a), big(b), false, env));
/** RISC-V fmax.h (IEEE 754-2019 maximumNumber). */
export const f16MaximumNumber = (env: FloatEnv, a: number, b: number): number =>
  plainMinMax(a, b, true) ?? num(minMaxNumber(F16, big(a), big(b), true, env));

/** Round to an integral value; `exact` raises inexact when the value changes (Arm FRINTX). */
export function f16RoundInt(env: FloatEnv, a: number, rm: RoundingMode, exact: boolean): number {
  if (rm <= RMM && plain16(a)) {
    const x = valueOf16(a);
    // From 2^10 up every half is an integer.
    if (Math.abs(x) >= 1024) return a & 0xffff;
    const r = roundIntegral(x, rm);
    if (exact && r !== x) env.flags |= FLAG_INEXACT;
    return bitsOf16(r);
  }
  return num(roundInt(F16, big(a), rm, exact, env));
}

/** RISC-V fclass.h mask. */
export const f16Class = (a: number): number => classify(F16, big(a));
export const f16Neg = (a: number): number => (a ^ 0x8000) & 0xffff;
export const f16Abs = (a: number): number => a & 0x7fff;

/** To int32 of a * 2^fbits, saturating (NaN gives 0 on Arm, INT32_MAX on RISC-V). */
export function f16ToI32(env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number {
  const r = integer16(env, a, rm, fbits, -0x80000000, 0x80000000);
  return r !== undefined ? r | 0 : Number(BigInt.asIntN(32, toInt(F16, big(a), 32, true, rm, fbits, env)));
}

/** To uint32 (as an int32 number of the same bits). */
export function f16ToU32(env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number {
  const r = integer16(env, a, rm, fbits, 0, 0x100000000);
  return r !== undefined ? r | 0 : Number(BigInt.asIntN(32, toInt(F16, big(a), 32, false, rm, fbits, env)));
}

/** To int64: low word, high word in env.hi. */
export function f16ToI64(env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number {
  const r = integer16(env, a, rm, fbits, -(2 ** 63), 2 ** 63);
  return r !== undefined ? splitInteger(env, r) : split64(env, toInt(F16, big(a), 64, true, rm, fbits, env));
}

/** To uint64: low word, high word in env.hi. */
export function f16ToU64(env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number {
  const r = integer16(env, a, rm, fbits, 0, 2 ** 64);
  return r !== undefined ? splitInteger(env, r) : split64(env, toInt(F16, big(a), 64, false, rm, fbits, env));
}

/** a * 2^fbits as an integer in [min, limit) when the fast path can tell; undefined for the exact path. */
function integer16(env: FloatEnv, a: number, rm: RoundingMode, fbits: number, min: number, limit: number): number | undefined {
  return rm <= RMM && plain16(a) ? integerIn(env, valueOf16(a), rm, fbits, min, limit) : undefined;
}

/** To int16 of a * 2^fbits, saturating (Arm's vector FCVT*S on halves): the integer, -32768 to 32767. */
export const f16ToI16 = (env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number =>
  Number(BigInt.asIntN(16, toInt(F16, big(a), 16, true, rm, fbits, env)));
/** To uint16 of a * 2^fbits, saturating (Arm's vector FCVT*U on halves): the integer, 0 to 65535. */
export const f16ToU16 = (env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number => Number(toInt(F16, big(a), 16, false, rm, fbits, env));

/** An exact integer d (|d| < 2^53) divided by 2^fbits, rounded to binary16; undefined for the exact path. */
function fromExact(env: FloatEnv, d: number | undefined, rm: RoundingMode, fbits: number): number | undefined {
  if (d === undefined || rm > RMM) return undefined;
  return d === 0 ? 0 : roundToF16(env, d / pow2(fbits), rm);
}

/** From int32 divided by 2^fbits. */
export const i32ToF16 = (env: FloatEnv, v: number, rm: RoundingMode, fbits = 0): number =>
  fromExact(env, v | 0, rm, fbits) ?? num(fromInt(F16, BigInt(v | 0), fbits, rm, env));
export const u32ToF16 = (env: FloatEnv, v: number, rm: RoundingMode, fbits = 0): number =>
  fromExact(env, v >>> 0, rm, fbits) ?? num(fromInt(F16, BigInt(v >>> 0), fbits, rm, env));
/** From int64 given as halves. */
export const i64ToF16 = (env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits = 0): number =>
  fromExact(env, exactInteger(lo, hi, true), rm, fbits) ?? num(fromInt(F16, BigInt.asIntN(64, bits64(lo, hi)), fbits, rm, env));
export const u64ToF16 = (env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits = 0): number =>
  fromExact(env, exactInteger(lo, hi, false), rm, fbits) ?? num(fromInt(F16, bits64(lo, hi), fbits, rm, env));

/** Widen to binary32 (exact; NaNs quieted, or the default NaN under RISC-V or Arm DN; AHP reads the alternative format). */
export function f16ToF32(env: FloatEnv, a: number): number {
  // Every finite half (denormals too: conversions ignore FZ16) is a normal single.
  if ((a & 0x7c00) !== 0x7c00) return bitsOf32(valueOf16(a));
  return num(convert(F16, F32, big(a), RNE, env));
}

/** Widen to binary64: low word, high word in env.hi. */
export function f16ToF64(env: FloatEnv, a: number): number {
  if ((a & 0x7c00) !== 0x7c00) return bitsOf64(env, valueOf16(a));
  return split64(env, convert(F16, F64, big(a), RNE, env));
}

/** Arm FMULX: infinity times zero is 2 with the product's sign. */
export const f16MulX = (env: FloatEnv, a: number, b: number, rm: RoundingMode): number => num(mulx(F16, big(a), big(b), rm, env));
/** Arm FRECPS: 2 - a * b fused. */
export const f16RecipStep = (env: FloatEnv, a: number, b: number, rm: RoundingMode): number => num(recipStep(F16, big(a), big(b), rm, env));
/** Arm FRSQRTS: (3 - a * b) / 2 fused. */
export const f16RSqrtStep = (env: FloatEnv, a: number, b: number, rm: RoundingMode): number => num(rsqrtStep(F16, big(a), big(b), rm, env));
/** Arm FRECPE; `rm` decides whether a reciprocal too large overflows to infinity. */
export const f16RecipEstimate = (env: FloatEnv, a: number, rm: RoundingMode): number => num(recipEstimateFloat(F16, big(a), rm, env));
/** Arm FRSQRTE. */
export const f16RSqrtEstimate = (env: FloatEnv, a: number): number => num(rsqrtEstimateFloat(F16, big(a), env));
/** Arm FRECPX. */
export const f16RecipExponent = (env: FloatEnv, a: number): number => num(recipExponent(F16, big(a), env));
