// binary16 on host doubles for the fast paths: a half's value, the half
// nearest a double in every mode, and a half's neighbours. No infinities or NaNs pass
// through, and only zeros and normal values come out.

import { FLAG_INEXACT, RMM, RNE, type FloatEnv, type RoundingMode } from './env';
import { f64View, i32View, pow2 } from './fast-bits';
import { directed } from './host-round';

/** Smallest normal and largest finite binary16. */
const MIN_NORMAL16 = 2 ** -14;
const MAX_FINITE16 = 65504;

/** Zero or normal binary16 bits. */
export const plain16 = (a: number): boolean => {
  const t = a & 0x7fff;
  return t === 0 || (t >= 0x0400 && t < 0x7c00);
};

/** The value of finite binary16 bits. */
export function valueOf16(a: number): number {
  const e = (a >>> 10) & 0x1f;
  const v = e === 0 ? (a & 0x3ff) * 2 ** -24 : (1024 + (a & 0x3ff)) * pow2(e - 25);
  return a & 0x8000 ? -v : v;
}

/** The bits of a zero or a normal binary16 value. */
export function bitsOf16(r: number): number {
  if (r === 0) return 1 / r < 0 ? 0x8000 : 0;
  f64View[0] = r;
  const hi = i32View[1]!;
  const e = ((hi >>> 20) & 0x7ff) - 1023 + 15;
  return ((hi >>> 16) & 0x8000) | (e << 10) | ((hi >>> 10) & 0x3ff);
}

/** The exponent of a nonzero finite double: d in [2^e, 2^(e+1)) in magnitude (d normal). */
function exponentOf(d: number): number {
  f64View[0] = d;
  return ((i32View[1]! >>> 20) & 0x7ff) - 1023;
}

/** d (nonzero, |d| < 2^900) rounded to nearest-even at binary16's precision (11 bits), the exponent unbounded. */
export function roundTo11(d: number): number {
  // In [2^(e+42), 2^(e+43)) the doubles are 2^(e-10) apart, binary16's spacing in d's binade.
  const c = 1.5 * pow2(exponentOf(d) + 42);
  return d + c - c;
}

/** Whether d is exactly halfway between two binary16 values of its binade. */
export function halfway16(d: number, r: number): boolean {
  return Math.abs(d - r) === pow2(exponentOf(d) - 11);
}

/** The binary16 neighbour of r (nonzero, normal) one step further from (up) or nearer to zero. */
function step16(r: number, up: boolean): number {
  const b = bitsOf16(r);
  return valueOf16(up ? b + 1 : b - 1);
}

/**
 * The bits of V rounded by `rm` (not ROD) from r = RN(V) at binary16's precision, `d`
 * a double no further from V than r's rounding can tell, `dir` the sign of V - r and
 * `tie` whether V is halfway; undefined unless nothing can overflow or underflow.
 */
export function finish16(env: FloatEnv, d: number, r: number, dir: number, tie: boolean, rm: RoundingMode): number | undefined {
  const ar = Math.abs(r);
  if (rm === RNE ? !(Math.abs(d) > MIN_NORMAL16 && ar <= MAX_FINITE16) : !(ar > MIN_NORMAL16 && ar < MAX_FINITE16)) return undefined;
  if (dir !== 0) env.flags |= FLAG_INEXACT;
  return bitsOf16(rm === RNE ? r : directed(r, dir, tie, rm, step16));
}

/** V (a nonzero double, exactly) rounded to binary16; undefined for the exact path. */
export function roundToF16(env: FloatEnv, v: number, rm: RoundingMode): number | undefined {
  const av = Math.abs(v);
  if (!(av > MIN_NORMAL16 && av < 2 * MAX_FINITE16)) return undefined;
  const r = roundTo11(v);
  return finish16(env, v, r, Math.sign(v - r), rm === RMM && halfway16(v, r), rm);
}
