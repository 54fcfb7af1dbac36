// Arm's estimate instructions (FRECPE, FRSQRTE, FRECPX, URECPE, URSQRTE): the
// 8-bit estimate functions and the exponent arithmetic around them, as the
// Arm ARM defines them bit for bit.

import { FLAG_DIVZERO, FLAG_INEXACT, FLAG_OVERFLOW, FLAG_UNDERFLOW, RDN, RNE, RUP, type FloatEnv, type RoundingMode } from './env';
import { INF, ZERO, flushes, infOf, maxNormalOf, unpackOperand, zeroOf, type Format } from './format';
import { invalidNan, processNaNs } from './nan';

/** 1/x for x = a/512 in [0.5, 1): the result r/256 in [1, 2). */
function recipEstimate(a: number): number {
  const b = Math.floor((1 << 19) / (a * 2 + 1));
  return (b + 1) >> 1;
}

/** 1/sqrt(x) for x = a/512 in [0.25, 1): the result r/256 in [1, 2). */
function rsqrtEstimate(a: number): number {
  const a2 = a < 256 ? a * 2 + 1 : ((a >> 1) << 1) * 2 + 2;
  let b = 512;
  while (a2 * (b + 1) * (b + 1) < 1 << 28) b++;
  return (b + 1) >> 1;
}

/** The 52-bit fraction of a double-shaped value with the operand's fraction at its top. */
function fraction52(f: Format, a: bigint): bigint {
  return (a & f.fracMask) << BigInt(52 - f.fbits);
}

export function recipEstimateFloat(f: Format, a: bigint, rm: RoundingMode, env: FloatEnv): bigint {
  const u = unpackOperand(f, a, env);
  const nan = processNaNs(f, env, u);
  if (nan !== undefined) return nan;
  if (u.cls === INF) return zeroOf(f, u.sign);
  if (u.cls === ZERO) {
    env.flags |= FLAG_DIVZERO;
    return infOf(f, u.sign);
  }
  const biased = Number((a >> BigInt(f.fbits)) & BigInt(f.expMax));
  // Below 2^-(bias+2) the reciprocal overflows.
  if (biased === 0 && ((a & f.fracMask) >> BigInt(f.fbits - 2)) === 0n) {
    env.flags |= FLAG_OVERFLOW | FLAG_INEXACT;
    const toInf = rm === RNE || (rm === RUP && !u.sign) || (rm === RDN && u.sign);
    return toInf ? infOf(f, u.sign) : maxNormalOf(f, u.sign);
  }
  // At or above 2^(bias-1) the reciprocal is tiny: Arm flushes it under FZ.
  if (flushes(f, env) && biased >= 2 * f.bias - 1) {
    env.flags |= FLAG_UNDERFLOW;
    return zeroOf(f, u.sign);
  }
  let frac = fraction52(f, a);
  let exp = biased;
  if (exp === 0) {
    if ((frac >> 51n) === 0n) {
      exp = -1;
      frac = (frac << 2n) & ((1n << 52n) - 1n);
    } else {
      frac = (frac << 1n) & ((1n << 52n) - 1n);
    }
  }
  const scaled = 256 + Number(frac >> 44n);
  let resultExp = 2 * f.bias - 1 - exp;
  let out = BigInt(recipEstimate(scaled) & 0xff) << 44n;
  if (resultExp === 0) {
    out = (1n << 51n) | (out >> 1n);
  } else if (resultExp === -1) {
    out = (1n << 50n) | (out >> 2n);
    resultExp = 0;
  }
  return zeroOf(f, u.sign) | (BigInt(resultExp) << BigInt(f.fbits)) | (out >> BigInt(52 - f.fbits));
}

export function rsqrtEstimateFloat(f: Format, a: bigint, env: FloatEnv): bigint {
  const u = unpackOperand(f, a, env);
  const nan = processNaNs(f, env, u);
  if (nan !== undefined) return nan;
  if (u.cls === ZERO) {
    env.flags |= FLAG_DIVZERO;
    return infOf(f, u.sign);
  }
  if (u.sign) return invalidNan(f, env);
  if (u.cls === INF) return 0n;
  let frac = fraction52(f, a);
  let exp = Number((a >> BigInt(f.fbits)) & BigInt(f.expMax));
  if (exp === 0) {
    while ((frac >> 51n) === 0n) {
      frac <<= 1n;
      exp--;
    }
    frac = (frac << 1n) & ((1n << 52n) - 1n);
  }
  const scaled = (exp & 1) === 0 ? 256 + Number(frac >> 44n) : 128 + Number(frac >> 45n);
  const resultExp = Math.floor((3 * f.bias - 1 - exp) / 2);
  const est = BigInt(rsqrtEstimate(scaled) & 0xff);
  return (BigInt(resultExp) << BigInt(f.fbits)) | (est << BigInt(f.fbits - 8));
}

/** Arm FRECPX: the sign, the exponent inverted (zero and denormal give the largest finite exponent), no fraction. */
export function recipExponent(f: Format, a: bigint, env: FloatEnv): bigint {
  const u = unpackOperand(f, a, env);
  const nan = processNaNs(f, env, u);
  if (nan !== undefined) return nan;
  const exp = Number((a >> BigInt(f.fbits)) & BigInt(f.expMax));
  const out = exp === 0 ? f.expMax - 1 : ~exp & f.expMax;
  return zeroOf(f, u.sign) | (BigInt(out) << BigInt(f.fbits));
}

/** Arm URECPE on a 32-bit element. */
export function unsignedRecipEstimate(a: number): number {
  if ((a >>> 31) === 0) return -1;
  return (recipEstimate((a >>> 23) & 0x1ff) << 23) | 0;
}

/** Arm URSQRTE on a 32-bit element. */
export function unsignedRsqrtEstimate(a: number): number {
  if ((a >>> 30) === 0) return -1;
  return (rsqrtEstimate((a >>> 23) & 0x1ff) << 23) | 0;
}
