// Rounding on host doubles for the fast paths: a double to an integral value
// in any mode, a double to the binary32 its mode picks, and the round-to-odd
// step of the binary64 fused multiply-add. Callers keep to the ranges where
// these are exact (no NaNs, no subnormal or overflowing binary32 results).

import { FLAG_INEXACT, RDN, RMM, RTZ, RUP, type FloatEnv, type RoundingMode } from './env';
import { f32View, f64View, i32View, pow2, u32View } from './fast-bits';

/** x (finite) rounded to an integral value by `rm` (RNE, RTZ, RDN, RUP or RMM); a zero keeps x's sign. */
export function roundIntegral(x: number, rm: RoundingMode): number {
  switch (rm) {
    case RTZ: return Math.trunc(x);
    case RDN: return Math.floor(x);
    case RUP: return Math.ceil(x);
    case RMM: {
      // x - t is exact: below 2^52 it is x's fraction, above it x is integral.
      const t = Math.trunc(x);
      return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
    }
    default: {
      // Math.round breaks ties upward; a tie that went to an odd integer goes back down.
      const r = Math.round(x);
      return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
    }
  }
}

/** Whether d lies exactly halfway between two binary32 values (d in binary32's normal range). */
export function halfway32(d: number): boolean {
  f64View[0] = d;
  return (i32View[0]! & 0x1fffffff) === 0x10000000;
}

/** The binary32 neighbour of r (nonzero, normal) one step further from (up) or nearer to zero. */
export function step32(r: number, up: boolean): number {
  f32View[0] = r;
  u32View[0] = up ? u32View[0]! + 1 : u32View[0]! - 1;
  return f32View[0]!;
}

/** The binary64 neighbour of r (nonzero, finite) one step further from (up) or nearer to zero. */
export function step64(r: number, up: boolean): number {
  f64View[0] = r;
  const lo = i32View[0]!;
  i32View[0] = up ? lo + 1 : lo - 1;
  if (up ? lo === -1 : lo === 0) i32View[1] = i32View[1]! + (up ? 1 : -1);
  return f64View[0]!;
}

/**
 * V rounded by `rm` (RTZ, RDN, RUP or RMM), from r = RN(V) (nonzero, with normal
 * neighbours), `dir` the sign of V - r and `tie` whether V is halfway between r
 * and a neighbour; `step` moves to a neighbour in r's format.
 */
export function directed(r: number, dir: number, tie: boolean, rm: RoundingMode, step: (r: number, up: boolean) => number): number {
  if (dir === 0) return r;
  switch (rm) {
    case RTZ: return dir > 0 !== r > 0 ? step(r, false) : r;
    case RDN: return dir < 0 ? step(r, r < 0) : r;
    case RUP: return dir > 0 ? step(r, r > 0) : r;
    case RMM: return tie && dir > 0 === r > 0 ? step(r, true) : r;
    default: return r;
  }
}

/** Whether V = r + e (r a nonzero binary64, e its exact error) lies halfway between r and its neighbour away from zero. */
export function halfwayAbove64(r: number, e: number): boolean {
  if (e === 0 || e > 0 !== r > 0) return false;
  const ar = Math.abs(r);
  return Math.abs(e) * 2 === step64(ar, true) - ar;
}

/** d (finite, in binary32's normal range) rounded to binary32 by `rm` (not ROD). */
export function roundToF32(d: number, rm: RoundingMode): number {
  const r = Math.fround(d);
  if (r === d) return r;
  switch (rm) {
    case RTZ: return Math.abs(r) > Math.abs(d) ? step32(r, false) : r;
    case RDN: return r > d ? step32(r, r < 0) : r;
    case RUP: return r < d ? step32(r, r > 0) : r;
    case RMM: return Math.abs(r) < Math.abs(d) && halfway32(d) ? step32(r, true) : r;
    default: return r;
  }
}

/**
 * t = RN(u) where u - t = e is nonzero: the value u rounded to odd, the one of
 * t and its neighbour toward e whose last significand bit is set.
 */
export function toOdd(t: number, e: number): number {
  f64View[0] = t;
  const lo = i32View[0]!;
  if ((lo & 1) !== 0) return t;
  if (t > 0 === e > 0) i32View[0] = lo + 1;
  else if (lo !== 0) i32View[0] = lo - 1;
  else {
    i32View[0] = -1;
    i32View[1] = i32View[1]! - 1;
  }
  return f64View[0]!;
}

/** x * 2^fbits (x finite) rounded by `rm` to an integer in [min, limit): the integer as a double, else undefined. */
export function integerIn(env: FloatEnv, x: number, rm: RoundingMode, fbits: number, min: number, limit: number): number | undefined {
  const s = fbits === 0 ? x : x * pow2(fbits);
  const r = roundIntegral(s, rm);
  if (!(r >= min && r < limit)) return undefined;
  if (r !== s) env.flags |= FLAG_INEXACT;
  return r;
}

/** A 64-bit integer held exactly in a double: the low word, the high word in env.hi. */
export function splitInteger(env: FloatEnv, r: number): number {
  const hi = Math.floor(r / 4294967296);
  env.hi = hi | 0;
  return (r - hi * 4294967296) | 0;
}

/** A 64-bit integer given as halves, as a double when it is exact (|v| < 2^53), else undefined. */
export function exactInteger(lo: number, hi: number, signed: boolean): number | undefined {
  if (signed ? hi >= -0x200000 && hi < 0x200000 : hi >>> 0 < 0x200000) return (signed ? hi : hi >>> 0) * 4294967296 + (lo >>> 0);
  return undefined;
}
