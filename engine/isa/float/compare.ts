// Comparisons, the three families of minimum and maximum, and RISC-V's class mask.

import { FLAG_INVALID, type FloatEnv } from './env';
import { INF, QNAN, SNAN, ZERO, infOf, isNan, unpackOperand, zeroOf, type Format, type Unpacked } from './format';
import { processNaNs } from './nan';

/** Comparison results, as softfloat numbers them. */
export const CMP_LESS = -1;
export const CMP_EQUAL = 0;
export const CMP_GREATER = 1;
export const CMP_UNORDERED = 2;
export type CompareResult = typeof CMP_LESS | typeof CMP_EQUAL | typeof CMP_GREATER | typeof CMP_UNORDERED;

/** Arm's NZCV (bits 3:0) for a comparison result, as FCMP sets it. */
export function armNzcv(r: CompareResult): number {
  return r === CMP_LESS ? 0b1000 : r === CMP_EQUAL ? 0b0110 : r === CMP_GREATER ? 0b0010 : 0b0011;
}

/** A number ordered as the value: zeros are 0, the rest sign-magnitude. Not for NaNs. */
function key(f: Format, u: Unpacked): bigint {
  if (u.cls === ZERO) return 0n;
  const mag = u.bits & ~f.signBit;
  return u.sign ? -mag : mag;
}

function order(f: Format, ua: Unpacked, ub: Unpacked): CompareResult {
  const ka = key(f, ua), kb = key(f, ub);
  return ka < kb ? CMP_LESS : ka > kb ? CMP_GREATER : CMP_EQUAL;
}

/** Compare; `signalling` raises invalid for quiet NaNs too (Arm FCMPE, RISC-V flt/fle). */
export function compare(f: Format, a: bigint, b: bigint, signalling: boolean, env: FloatEnv): CompareResult {
  const ua = unpackOperand(f, a, env), ub = unpackOperand(f, b, env);
  if (isNan(ua) || isNan(ub)) {
    if (signalling || ua.cls === SNAN || ub.cls === SNAN) env.flags |= FLAG_INVALID;
    return CMP_UNORDERED;
  }
  return order(f, ua, ub);
}

/** Arm FPMin/FPMax on unpacked operands: NaNs propagate, -0 < +0. */
function armMinMax(f: Format, ua: Unpacked, ub: Unpacked, max: boolean, env: FloatEnv): bigint {
  const nan = processNaNs(f, env, ua, ub);
  if (nan !== undefined) return nan;
  if (ua.cls === ZERO && ub.cls === ZERO) return zeroOf(f, max ? ua.sign && ub.sign : ua.sign || ub.sign);
  const c = order(f, ua, ub);
  return (max ? c === CMP_GREATER : c === CMP_LESS) ? ua.bits : ub.bits;
}

/** Arm FMIN/FMAX. */
export function minMax(f: Format, a: bigint, b: bigint, max: boolean, env: FloatEnv): bigint {
  return armMinMax(f, unpackOperand(f, a, env), unpackOperand(f, b, env), max, env);
}

/** Arm FMINNM/FMAXNM (IEEE 754-2008 minNum/maxNum): a lone quiet NaN loses to a number. */
export function minMaxNum(f: Format, a: bigint, b: bigint, max: boolean, env: FloatEnv): bigint {
  let ua = unpackOperand(f, a, env), ub = unpackOperand(f, b, env);
  const loser = (): Unpacked => ({ cls: INF, sign: max, sig: 0n, exp: 0, bits: infOf(f, max) });
  if (ua.cls === QNAN && ub.cls !== QNAN) ua = loser();
  else if (ub.cls === QNAN && ua.cls !== QNAN) ub = loser();
  return armMinMax(f, ua, ub, max, env);
}

/** RISC-V fmin/fmax (IEEE 754-2019 minimumNumber/maximumNumber): the canonical NaN only when both are NaN. */
export function minMaxNumber(f: Format, a: bigint, b: bigint, max: boolean, env: FloatEnv): bigint {
  const ua = unpackOperand(f, a, env), ub = unpackOperand(f, b, env);
  if (ua.cls === SNAN || ub.cls === SNAN) env.flags |= FLAG_INVALID;
  if (isNan(ua)) return isNan(ub) ? f.defaultNan : ub.bits;
  if (isNan(ub)) return ua.bits;
  if (ua.cls === ZERO && ub.cls === ZERO) return zeroOf(f, max ? ua.sign && ub.sign : ua.sign || ub.sign);
  const c = order(f, ua, ub);
  return (max ? c === CMP_GREATER : c === CMP_LESS) ? ua.bits : ub.bits;
}

/** RISC-V fclass: one bit of ten (-inf, -normal, -subnormal, -0, +0, +subnormal, +normal, +inf, sNaN, qNaN). */
export function classify(f: Format, a: bigint): number {
  const sign = (a & f.signBit) !== 0n;
  const e = Number((a >> BigInt(f.fbits)) & BigInt(f.expMax));
  const frac = a & f.fracMask;
  if (e === f.expMax) {
    if (frac === 0n) return sign ? 1 << 0 : 1 << 7;
    return (frac & f.quietBit) !== 0n ? 1 << 9 : 1 << 8;
  }
  if (e === 0) return frac === 0n ? (sign ? 1 << 3 : 1 << 4) : sign ? 1 << 2 : 1 << 5;
  return sign ? 1 << 1 : 1 << 6;
}
