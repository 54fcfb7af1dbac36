// The one rounding routine every exact path ends in: an exact nonzero value
// sig * 2^exp to a format's bits, with the mode, the architecture's tininess
// rule, Arm's flush-to-zero and alternative half precision, and the flags.

import { FLAG_INEXACT, FLAG_INVALID, FLAG_OVERFLOW, FLAG_UNDERFLOW, RDN, RMM, RNE, ROD, RUP, type FloatEnv, type RoundingMode } from './env';
import { infOf, maxNormalOf, zeroOf, type Format } from './format';

export function bitLength(v: bigint): number {
  return v.toString(2).length;
}

/** Whether the discarded part `rem` (out of 2^shift) rounds the kept part `m` up. */
function roundsUp(rm: RoundingMode, sign: boolean, m: bigint, rem: bigint, shift: number): boolean {
  if (rem === 0n) return false;
  const half = 1n << BigInt(shift - 1);
  switch (rm) {
    case RNE: return rem > half || (rem === half && (m & 1n) === 1n);
    case RMM: return rem >= half;
    case RUP: return !sign;
    case RDN: return sign;
    default: return false;
  }
}

/** sig split at bit `shift`: the kept part and the discarded remainder (shift <= 0 scales up). */
function cut(sig: bigint, shift: number): [bigint, bigint] {
  if (shift <= 0) return [sig << BigInt(-shift), 0n];
  const s = BigInt(shift);
  return [sig >> s, sig & ((1n << s) - 1n)];
}

export interface RoundOptions {
  /** Arm FZ/FZ16 for this result: a result tiny before rounding becomes zero and raises underflow only. */
  readonly flush: boolean;
  /** Arm's alternative half precision: exponent 31 is finite, overflow saturates and is invalid. */
  readonly ahp?: boolean;
}

const NO_FLUSH: RoundOptions = { flush: false };

/** Round (-1)^sign * sig * 2^exp (sig > 0) to format `f`. */
export function roundPack(f: Format, sign: boolean, sig: bigint, exp: number, rm: RoundingMode, env: FloatEnv, opts: RoundOptions = NO_FLUSH): bigint {
  const n = bitLength(sig);
  const e = exp + n - 1; // value in [2^e, 2^(e+1))
  const emin = 1 - f.bias;
  if (opts.flush && e < emin) {
    env.flags |= FLAG_UNDERFLOW;
    return zeroOf(f, sign);
  }
  const lsb = Math.max(e, emin) - f.fbits;
  const shift = lsb - exp;
  let [m, rem] = cut(sig, shift);
  const inexact = rem !== 0n;
  if (inexact && e < emin) {
    let tiny = true;
    if (!env.policy.tininessBeforeRounding && e === emin - 1) {
      // Tiny after rounding: rounded to full precision with an unbounded exponent, still below 2^emin.
      const s2 = shift - 1;
      const [m2, rem2] = cut(sig, s2);
      const up = rm === ROD ? false : roundsUp(rm, sign, m2, rem2, s2);
      tiny = !(up && m2 + 1n === 1n << BigInt(f.fbits + 1));
    }
    if (tiny) env.flags |= FLAG_UNDERFLOW;
  }
  if (roundsUp(rm, sign, m, rem, shift)) m += 1n;
  if (rm === ROD && inexact) m |= 1n;
  let biased: number;
  const hidden = 1n << BigInt(f.fbits);
  if (m >= hidden << 1n) {
    m >>= 1n;
    biased = lsb + 1 + f.fbits + f.bias;
  } else if (m >= hidden) {
    biased = lsb + f.fbits + f.bias;
  } else {
    biased = 0;
  }
  if (opts.ahp) {
    if (biased > f.expMax) {
      env.flags |= FLAG_INVALID;
      return zeroOf(f, sign) | ((1n << BigInt(f.width - 1)) - 1n);
    }
  } else if (biased >= f.expMax) {
    env.flags |= FLAG_OVERFLOW | FLAG_INEXACT;
    const toInf = rm === RNE || rm === RMM || (rm === RUP && !sign) || (rm === RDN && sign);
    return toInf ? infOf(f, sign) : maxNormalOf(f, sign);
  }
  if (inexact) env.flags |= FLAG_INEXACT;
  return zeroOf(f, sign) | (BigInt(biased) << BigInt(f.fbits)) | (m & f.fracMask);
}

/** The sign of an exact zero sum of operands of opposite signs: negative only when rounding down. */
export const exactZeroSign = (rm: RoundingMode): boolean => rm === RDN;

/** Exact integer square root (floor). */
export function isqrt(v: bigint): bigint {
  if (v < 2n) return v;
  let x = 1n << BigInt((bitLength(v) >> 1) + 1);
  for (;;) {
    const y = (x + v / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

