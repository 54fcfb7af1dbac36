// Moving bits between integers and host doubles for the fast paths. Only
// non-NaN values ever pass through: V8 may not keep NaN payloads.

import type { FloatEnv } from './env';

const buf = new ArrayBuffer(8);
export const f64View = new Float64Array(buf);
export const f32View = new Float32Array(buf);
export const i32View = new Int32Array(buf);
export const u32View = new Uint32Array(buf);

/** Smallest normal and largest finite binary32, and the fast paths' safe bounds for binary64. */
export const MIN_NORMAL32 = 2 ** -126;
export const MAX_FINITE32 = (2 - 2 ** -23) * 2 ** 127;
export const MIN_NORMAL64 = 2 ** -1022;
/** Above this, Veltkamp's split (x * (2^27 + 1)) or the partial products of Dekker's product could overflow. */
export const SPLIT_LIMIT = 2 ** 995;
/** Above this, TwoSum's intermediate differences could overflow. */
export const SUM_LIMIT = 2 ** 1022;
/** Below this, the error term of a product could fall under the subnormal range and be rounded. */
export const PRODUCT_FLOOR = 2 ** -960;
const SPLITTER = 134217729;

/** Zero or normal (not denormal, infinite or NaN) binary32 bits. */
export const plain32 = (a: number): boolean => {
  const t = a & 0x7fffffff;
  return t === 0 || (t >= 0x00800000 && t < 0x7f800000);
};

/** Zero or normal binary64 given as halves. */
export const plain64 = (lo: number, hi: number): boolean => {
  const t = hi & 0x7fffffff;
  return (t === 0 && lo === 0) || (t >= 0x00100000 && t < 0x7ff00000);
};

/** The rounding error of the product x * y = p, exactly (Dekker), when the bounds above hold. */
export function productError(x: number, y: number, p: number): number {
  let t = SPLITTER * x;
  const xh = t - (t - x), xl = x - xh;
  t = SPLITTER * y;
  const yh = t - (t - y), yl = y - yh;
  return xh * yh - p + xh * yl + xl * yh + xl * yl;
}

/** The bits of a binary32 value (not a NaN). */
export function bitsOf32(r: number): number {
  f32View[0] = r;
  return u32View[0]!;
}

/** The bits of a binary64 value (not a NaN): the low word, the high word in env.hi. */
export function bitsOf64(env: FloatEnv, r: number): number {
  f64View[0] = r;
  env.hi = i32View[1]!;
  return i32View[0]!;
}

/** 2^k for an integer k in [-1022, 1023], built from its bits (a variable power is a slow call). */
export function pow2(k: number): number {
  i32View[0] = 0;
  i32View[1] = (k + 1023) << 20;
  return f64View[0]!;
}
