// The exact paths of the arithmetic operations, one per operation for every
// format: unpack, handle NaNs, infinities and zeros as the Arm ARM and IEEE 754
// say, compute the exact value in BigInt and round it once.

import { FLAG_DIVZERO, type FloatEnv, type RoundingMode } from './env';
import { INF, QNAN, ZERO, flushes, infOf, unpackOperand, zeroOf, type Format, type Unpacked } from './format';
import { invalidNan, processNaNs } from './nan';
import { exactZeroSign, isqrt, roundPack, bitLength } from './round';

const opts = (f: Format, env: FloatEnv) => ({ flush: flushes(f, env) });

/** Round the exact signed value s * 2^exp; an exact zero gets the sign of the rounding mode. */
function roundSigned(f: Format, s: bigint, exp: number, rm: RoundingMode, env: FloatEnv): bigint {
  if (s === 0n) return zeroOf(f, exactZeroSign(rm));
  return roundPack(f, s < 0n, s < 0n ? -s : s, exp, rm, env, opts(f, env));
}

const signed = (u: Unpacked): bigint => (u.sign ? -u.sig : u.sig);

/** The exact sum of two finite signed values, as (sum, exponent). */
function exactSum(s1: bigint, e1: number, s2: bigint, e2: number): [bigint, number] {
  if (s1 === 0n) return [s2, e2];
  if (s2 === 0n) return [s1, e1];
  const e = Math.min(e1, e2);
  return [(s1 << BigInt(e1 - e)) + (s2 << BigInt(e2 - e)), e];
}

export function add(f: Format, a: bigint, b: bigint, rm: RoundingMode, env: FloatEnv): bigint {
  const ua = unpackOperand(f, a, env), ub = unpackOperand(f, b, env);
  const nan = processNaNs(f, env, ua, ub);
  if (nan !== undefined) return nan;
  if (ua.cls === INF || ub.cls === INF) {
    if (ua.cls === INF && ub.cls === INF && ua.sign !== ub.sign) return invalidNan(f, env);
    return infOf(f, ua.cls === INF ? ua.sign : ub.sign);
  }
  if (ua.cls === ZERO && ub.cls === ZERO && ua.sign === ub.sign) return zeroOf(f, ua.sign);
  const [s, e] = exactSum(signed(ua), ua.exp, signed(ub), ub.exp);
  return roundSigned(f, s, e, rm, env);
}

export function mul(f: Format, a: bigint, b: bigint, rm: RoundingMode, env: FloatEnv): bigint {
  const ua = unpackOperand(f, a, env), ub = unpackOperand(f, b, env);
  const nan = processNaNs(f, env, ua, ub);
  if (nan !== undefined) return nan;
  return product(f, ua, ub, rm, env, false);
}

/** Arm FMULX: as mul, but infinity times zero is 2 with the product's sign. */
export function mulx(f: Format, a: bigint, b: bigint, rm: RoundingMode, env: FloatEnv): bigint {
  const ua = unpackOperand(f, a, env), ub = unpackOperand(f, b, env);
  const nan = processNaNs(f, env, ua, ub);
  if (nan !== undefined) return nan;
  return product(f, ua, ub, rm, env, true);
}

function product(f: Format, ua: Unpacked, ub: Unpacked, rm: RoundingMode, env: FloatEnv, infZeroIsTwo: boolean): bigint {
  const sign = ua.sign !== ub.sign;
  if ((ua.cls === INF && ub.cls === ZERO) || (ua.cls === ZERO && ub.cls === INF)) {
    return infZeroIsTwo ? zeroOf(f, sign) | (BigInt(f.bias + 1) << BigInt(f.fbits)) : invalidNan(f, env);
  }
  if (ua.cls === INF || ub.cls === INF) return infOf(f, sign);
  if (ua.cls === ZERO || ub.cls === ZERO) return zeroOf(f, sign);
  return roundPack(f, sign, ua.sig * ub.sig, ua.exp + ub.exp, rm, env, opts(f, env));
}

export function div(f: Format, a: bigint, b: bigint, rm: RoundingMode, env: FloatEnv): bigint {
  const ua = unpackOperand(f, a, env), ub = unpackOperand(f, b, env);
  const nan = processNaNs(f, env, ua, ub);
  if (nan !== undefined) return nan;
  const sign = ua.sign !== ub.sign;
  if ((ua.cls === INF && ub.cls === INF) || (ua.cls === ZERO && ub.cls === ZERO)) return invalidNan(f, env);
  if (ua.cls === INF) return infOf(f, sign);
  if (ub.cls === ZERO) {
    env.flags |= FLAG_DIVZERO;
    return infOf(f, sign);
  }
  if (ua.cls === ZERO || ub.cls === INF) return zeroOf(f, sign);
  // A quotient of at least fbits + 3 bits, with a sticky bit below it when the division is inexact.
  const shift = Math.max(0, f.fbits + 3 + bitLength(ub.sig) - bitLength(ua.sig));
  const num = ua.sig << BigInt(shift);
  const q = num / ub.sig;
  const exp = ua.exp - ub.exp - shift;
  if (q * ub.sig === num) return roundPack(f, sign, q, exp, rm, env, opts(f, env));
  return roundPack(f, sign, (q << 1n) | 1n, exp - 1, rm, env, opts(f, env));
}

export function sqrt(f: Format, a: bigint, rm: RoundingMode, env: FloatEnv): bigint {
  const ua = unpackOperand(f, a, env);
  const nan = processNaNs(f, env, ua);
  if (nan !== undefined) return nan;
  if (ua.cls === ZERO) return zeroOf(f, ua.sign);
  if (ua.sign) return invalidNan(f, env);
  if (ua.cls === INF) return infOf(f, false);
  // sig * 2^exp with exp even and sig wide enough for a root of fbits + 3 bits.
  let k = Math.max(0, 2 * (f.fbits + 3) - bitLength(ua.sig));
  if ((ua.exp - k) & 1) k++;
  const v = ua.sig << BigInt(k);
  const r = isqrt(v);
  const exp = (ua.exp - k) / 2;
  if (r * r === v) return roundPack(f, false, r, exp, rm, env, opts(f, env));
  return roundPack(f, false, (r << 1n) | 1n, exp - 1, rm, env, opts(f, env));
}

/**
 * a * b + c with one rounding. NaNs are chosen in the order c, a, b (Arm's
 * FPMulAdd takes the addend first); infinity times zero is invalid, giving the
 * default NaN, even when c is a quiet NaN.
 */
export function mulAdd(f: Format, a: bigint, b: bigint, c: bigint, rm: RoundingMode, env: FloatEnv): bigint {
  const ua = unpackOperand(f, a, env), ub = unpackOperand(f, b, env), uc = unpackOperand(f, c, env);
  const infZero = (ua.cls === INF && ub.cls === ZERO) || (ua.cls === ZERO && ub.cls === INF);
  const nan = processNaNs(f, env, uc, ua, ub);
  // A quiet NaN addend does not hide an invalid product; a signalling one propagates as usual.
  if (nan !== undefined) return infZero && uc.cls === QNAN ? invalidNan(f, env) : nan;
  const signP = ua.sign !== ub.sign;
  const infP = ua.cls === INF || ub.cls === INF;
  if (infZero || (uc.cls === INF && infP && uc.sign !== signP)) return invalidNan(f, env);
  if (uc.cls === INF) return infOf(f, uc.sign);
  if (infP) return infOf(f, signP);
  const zeroP = ua.cls === ZERO || ub.cls === ZERO;
  if (uc.cls === ZERO && zeroP && uc.sign === signP) return zeroOf(f, signP);
  const p = zeroP ? 0n : ua.sig * ub.sig;
  const [s, e] = exactSum(signP ? -p : p, ua.exp + ub.exp, signed(uc), uc.exp);
  return roundSigned(f, s, e, rm, env);
}

/**
 * Arm FRECPS (constant 2, divisor 1) and FRSQRTS (constant 3, divisor 2):
 * (k - a * b) / d fused, with infinity times zero giving k / d exactly.
 */
function stepFused(f: Format, a: bigint, b: bigint, k: bigint, halve: boolean, rm: RoundingMode, env: FloatEnv): bigint {
  const ua = unpackOperand(f, a ^ f.signBit, env), ub = unpackOperand(f, b, env);
  const nan = processNaNs(f, env, ua, ub);
  if (nan !== undefined) return nan;
  if ((ua.cls === INF && ub.cls === ZERO) || (ua.cls === ZERO && ub.cls === INF)) {
    return roundPack(f, false, k, halve ? -1 : 0, rm, env, opts(f, env));
  }
  if (ua.cls === INF || ub.cls === INF) return infOf(f, ua.sign !== ub.sign);
  const p = ua.cls === ZERO || ub.cls === ZERO ? 0n : ua.sig * ub.sig;
  const [s, e] = exactSum(ua.sign !== ub.sign ? -p : p, ua.exp + ub.exp, k, 0);
  return roundSigned(f, s, halve ? e - 1 : e, rm, env);
}

export const recipStep = (f: Format, a: bigint, b: bigint, rm: RoundingMode, env: FloatEnv): bigint => stepFused(f, a, b, 2n, false, rm, env);
export const rsqrtStep = (f: Format, a: bigint, b: bigint, rm: RoundingMode, env: FloatEnv): bigint => stepFused(f, a, b, 3n, true, rm, env);


/** a - b: b's sign flips, except that a NaN b propagates as it is (Arm's FPSub). */
export function sub(f: Format, a: bigint, b: bigint, rm: RoundingMode, env: FloatEnv): bigint {
  const nanB = (b & ~f.signBit) > (BigInt(f.expMax) << BigInt(f.fbits));
  return add(f, a, nanB ? b : b ^ f.signBit, rm, env);
}
