// binary16 operations. Values are raw bits in an unsigned 32-bit number (the
// low 16 bits); 64-bit results return the low word and leave the high word in
// env.hi. Arm's FZ16 applies to arithmetic, never to conversions between
// formats; AHP selects the alternative format in those conversions.

import { add, div, mul, mulAdd, mulx, recipStep, rsqrtStep, sqrt, sub } from './arith';
import { classify, compare, minMax, minMaxNum, minMaxNumber, type CompareResult } from './compare';
import { convert, fromInt, roundInt, toInt } from './convert';
import { RNE, type FloatEnv, type RoundingMode } from './env';
import { recipEstimateFloat, recipExponent, rsqrtEstimateFloat } from './estimate';
import { F16, F32, F64, bits64, split64 } from './format';

const big = (a: number): bigint => BigInt(a & 0xffff);
const num = (v: bigint): number => Number(v);

export const f16Add = (env: FloatEnv, a: number, b: number, rm: RoundingMode): number => num(add(F16, big(a), big(b), rm, env));
/** a - b (a NaN b propagates with its own sign, as Arm's FPSub has it). */
export const f16Sub = (env: FloatEnv, a: number, b: number, rm: RoundingMode): number => num(sub(F16, big(a), big(b), rm, env));
export const f16Mul = (env: FloatEnv, a: number, b: number, rm: RoundingMode): number => num(mul(F16, big(a), big(b), rm, env));
export const f16Div = (env: FloatEnv, a: number, b: number, rm: RoundingMode): number => num(div(F16, big(a), big(b), rm, env));
export const f16Sqrt = (env: FloatEnv, a: number, rm: RoundingMode): number => num(sqrt(F16, big(a), rm, env));
/** a * b + c with one rounding; NaNs are chosen in the order c, a, b (Arm's addend first). */
export const f16MulAdd = (env: FloatEnv, a: number, b: number, c: number, rm: RoundingMode): number =>
  num(mulAdd(F16, big(a), big(b), big(c), rm, env));

/** Compare; `signalling` raises invalid for quiet NaNs too. */
export const f16Compare = (env: FloatEnv, a: number, b: number, signalling: boolean): CompareResult => compare(F16, big(a), big(b), signalling, env);

/** Arm FMIN. */
export const f16Min = (env: FloatEnv, a: number, b: number): number => num(minMax(F16, big(a), big(b), false, env));
/** Arm FMAX. */
export const f16Max = (env: FloatEnv, a: number, b: number): number => num(minMax(F16, big(a), big(b), true, env));
/** Arm FMINNM (IEEE 754-2008 minNum). */
export const f16MinNum = (env: FloatEnv, a: number, b: number): number => num(minMaxNum(F16, big(a), big(b), false, env));
/** Arm FMAXNM (IEEE 754-2008 maxNum). */
export const f16MaxNum = (env: FloatEnv, a: number, b: number): number => num(minMaxNum(F16, big(a), big(b), true, env));
/** RISC-V fmin.h (IEEE 754-2019 minimumNumber). */
export const f16MinimumNumber = (env: FloatEnv, a: number, b: number): number => num(minMaxNumber(F16, big(a), big(b), false, env));
/** RISC-V fmax.h (IEEE 754-2019 maximumNumber). */
export const f16MaximumNumber = (env: FloatEnv, a: number, b: number): number => num(minMaxNumber(F16, big(a), big(b), true, env));

/** Round to an integral value; `exact` raises inexact when the value changes (Arm FRINTX). */
export const f16RoundInt = (env: FloatEnv, a: number, rm: RoundingMode, exact: boolean): number => num(roundInt(F16, big(a), rm, exact, env));

/** RISC-V fclass.h mask. */
export const f16Class = (a: number): number => classify(F16, big(a));
export const f16Neg = (a: number): number => (a ^ 0x8000) & 0xffff;
export const f16Abs = (a: number): number => a & 0x7fff;

/** To int32 of a * 2^fbits, saturating (NaN gives 0 on Arm, INT32_MAX on RISC-V). */
export const f16ToI32 = (env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number =>
  Number(BigInt.asIntN(32, toInt(F16, big(a), 32, true, rm, fbits, env)));
/** To uint32 (as an int32 number of the same bits). */
export const f16ToU32 = (env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number =>
  Number(BigInt.asIntN(32, toInt(F16, big(a), 32, false, rm, fbits, env)));
/** To int64: low word, high word in env.hi. */
export const f16ToI64 = (env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number => split64(env, toInt(F16, big(a), 64, true, rm, fbits, env));
/** To uint64: low word, high word in env.hi. */
export const f16ToU64 = (env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number => split64(env, toInt(F16, big(a), 64, false, rm, fbits, env));

/** To int16 of a * 2^fbits, saturating (Arm's vector FCVT*S on halves): the integer, -32768 to 32767. */
export const f16ToI16 = (env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number =>
  Number(BigInt.asIntN(16, toInt(F16, big(a), 16, true, rm, fbits, env)));
/** To uint16 of a * 2^fbits, saturating (Arm's vector FCVT*U on halves): the integer, 0 to 65535. */
export const f16ToU16 = (env: FloatEnv, a: number, rm: RoundingMode, fbits = 0): number => Number(toInt(F16, big(a), 16, false, rm, fbits, env));

/** From int32 divided by 2^fbits. */
export const i32ToF16 = (env: FloatEnv, v: number, rm: RoundingMode, fbits = 0): number => num(fromInt(F16, BigInt(v | 0), fbits, rm, env));
export const u32ToF16 = (env: FloatEnv, v: number, rm: RoundingMode, fbits = 0): number => num(fromInt(F16, BigInt(v >>> 0), fbits, rm, env));
/** From int64 given as halves. */
export const i64ToF16 = (env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits = 0): number =>
  num(fromInt(F16, BigInt.asIntN(64, bits64(lo, hi)), fbits, rm, env));
export const u64ToF16 = (env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits = 0): number => num(fromInt(F16, bits64(lo, hi), fbits, rm, env));

/** Widen to binary32 (exact; NaNs quieted, or the default NaN under RISC-V or Arm DN; AHP reads the alternative format). */
export const f16ToF32 = (env: FloatEnv, a: number): number => num(convert(F16, F32, big(a), RNE, env));
/** Widen to binary64: low word, high word in env.hi. */
export const f16ToF64 = (env: FloatEnv, a: number): number => split64(env, convert(F16, F64, big(a), RNE, env));

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
