// Conversions: float to integer (with fixed-point fraction bits, saturating),
// integer to float, float to float (NaN quieting, Arm DN and AHP), and
// rounding to an integral value.

import { FLAG_INEXACT, FLAG_INVALID, RDN, RMM, RNE, RUP, type FloatEnv, type RoundingMode } from './env';
import { INF, SNAN, ZERO, flushes, infOf, isNan, unpack, unpackOperand, zeroOf, type Format } from './format';
import { processNaNs } from './nan';
import { roundPack } from './round';

/** The integer part of |value| rounded by `rm`, and whether anything was discarded. */
function roundToInteger(sign: boolean, sig: bigint, exp: number, rm: RoundingMode): [bigint, boolean] {
  if (exp >= 0) return [sig << BigInt(exp), false];
  if (-exp > sig.toString(2).length + 1) {
    // Far below one half: only the directed modes can make it 1.
    const up = (rm === RUP && !sign) || (rm === RDN && sign);
    return [up ? 1n : 0n, true];
  }
  const s = BigInt(-exp);
  const n = sig >> s;
  const rem = sig & ((1n << s) - 1n);
  if (rem === 0n) return [n, false];
  const half = 1n << (s - 1n);
  let up: boolean;
  switch (rm) {
    case RNE: up = rem > half || (rem === half && (n & 1n) === 1n); break;
    case RMM: up = rem >= half; break;
    case RUP: up = !sign; break;
    case RDN: up = sign; break;
    default: up = false;
  }
  return [up ? n + 1n : n, true];
}

/**
 * Float to a `width`-bit integer (two's complement bits in a bigint), of
 * value * 2^fbits rounded by `rm`. Out of range saturates and raises invalid;
 * a NaN gives 0 (Arm) or the largest positive integer (RISC-V), invalid.
 */
export function toInt(f: Format, a: bigint, width: number, isSigned: boolean, rm: RoundingMode, fbits: number, env: FloatEnv): bigint {
  const u = unpackOperand(f, a, env);
  const max = isSigned ? (1n << BigInt(width - 1)) - 1n : (1n << BigInt(width)) - 1n;
  const min = isSigned ? -(1n << BigInt(width - 1)) : 0n;
  const bits = (v: bigint): bigint => BigInt.asUintN(width, v);
  if (isNan(u)) {
    env.flags |= FLAG_INVALID;
    return env.policy.nanToMaxInteger ? bits(max) : 0n;
  }
  if (u.cls === INF) {
    env.flags |= FLAG_INVALID;
    return bits(u.sign ? min : max);
  }
  if (u.cls === ZERO) return 0n;
  const e = u.exp + fbits;
  if (e > width + 1) {
    env.flags |= FLAG_INVALID;
    return bits(u.sign ? min : max);
  }
  const [n, inexact] = roundToInteger(u.sign, u.sig, e, rm);
  const v = u.sign ? -n : n;
  if (v > max || v < min) {
    env.flags |= FLAG_INVALID;
    return bits(v > max ? max : min);
  }
  if (inexact) env.flags |= FLAG_INEXACT;
  return bits(v);
}

/** A signed integer value (a bigint) divided by 2^fbits, rounded to format `f`; zero is +0. */
export function fromInt(f: Format, v: bigint, fbits: number, rm: RoundingMode, env: FloatEnv): bigint {
  if (v === 0n) return 0n;
  return roundPack(f, v < 0n, v < 0n ? -v : v, -fbits, rm, env, { flush: flushes(f, env) });
}

/**
 * Convert between formats. Arm's FZ applies to single and double on either
 * side, never FZ16; AHP selects the alternative half format on the half side.
 */
export function convert(from: Format, to: Format, a: bigint, rm: RoundingMode, env: FloatEnv): bigint {
  const arm = env.policy.name === 'arm';
  const ahpIn = arm && from.isHalf && env.ahp;
  const ahpOut = arm && to.isHalf && env.ahp;
  const u = unpack(from, a, env, !from.isHalf && env.fz, true, ahpIn);
  if (isNan(u)) {
    if (u.cls === SNAN || ahpOut) env.flags |= FLAG_INVALID;
    if (ahpOut) return zeroOf(to, u.sign);
    if (env.policy.canonicalNan || env.dn) return to.defaultNan;
    // Keep the top of the payload, quieted.
    const shift = to.fbits - from.fbits;
    const payload = shift >= 0 ? (a & from.fracMask) << BigInt(shift) : (a & from.fracMask) >> BigInt(-shift);
    return infOf(to, u.sign) | to.quietBit | payload;
  }
  if (u.cls === INF) {
    if (ahpOut) {
      env.flags |= FLAG_INVALID;
      return zeroOf(to, u.sign) | ((1n << BigInt(to.width - 1)) - 1n);
    }
    return infOf(to, u.sign);
  }
  if (u.cls === ZERO) return zeroOf(to, u.sign);
  return roundPack(to, u.sign, u.sig, u.exp, rm, env, { flush: !to.isHalf && env.fz, ahp: ahpOut });
}

/**
 * Round to an integral value in the same format; `exact` raises inexact when
 * the value changes (Arm FRINTX, and FRINTI with the dynamic mode) or not (the other FRINTs).
 */
export function roundInt(f: Format, a: bigint, rm: RoundingMode, exact: boolean, env: FloatEnv): bigint {
  const u = unpackOperand(f, a, env);
  const nan = processNaNs(f, env, u);
  if (nan !== undefined) return nan;
  if (u.cls === INF || u.cls === ZERO) return u.bits;
  if (u.exp >= 0) return u.bits;
  const [n, inexact] = roundToInteger(u.sign, u.sig, u.exp, rm);
  if (inexact && exact) env.flags |= FLAG_INEXACT;
  if (n === 0n) return zeroOf(f, u.sign);
  return roundPack(f, u.sign, n, 0, RNE, env);
}

