// Operands and FPCR settings for the A64 floating-point tests: the corner
// values of each precision (signed zeros, infinities, quiet and signalling
// NaNs with payloads, denormals, the extreme normals, values that round
// differently per mode, integer conversion limits), seeded random values
// biased toward interesting exponents, and the emitters that run one
// instruction under an FPCR setting and save its result and FPSR.

import { Lcg, type Program } from './oracle';

export type Prec = 's' | 'd' | 'h';

export const F32_CORNERS: readonly bigint[] = [
  0x00000000n, 0x80000000n, 0x7f800000n, 0xff800000n, 0x7fc00000n, 0xffc12345n, 0x7fa00001n, 0xff812345n,
  0x00000001n, 0x807fffffn, 0x00800000n, 0x80800001n, 0x7f7fffffn, 0xff7fffffn, 0x3f800000n, 0xbfc00000n,
  0x3f800001n, 0x3f000000n, 0x3effffffn, 0x40200000n, 0xc0600000n, 0x4b000001n, 0x4effffffn, 0x4f000000n,
  0xcf000000n, 0xcf000001n, 0x4f800000n, 0x5effffffn, 0x5f000000n, 0xdf000000n, 0x5f800000n, 0x34000000n,
  0x0c000000n, 0x00400000n,
];

export const F64_CORNERS: readonly bigint[] = [
  0x0000000000000000n, 0x8000000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n,
  0xfff8000000012345n, 0x7ff4000000000001n, 0xfff0000000012345n, 0x0000000000000001n, 0x800fffffffffffffn,
  0x0010000000000000n, 0x8010000000000001n, 0x7fefffffffffffffn, 0xffefffffffffffffn, 0x3ff0000000000000n,
  0xbff8000000000000n, 0x3ff0000000000001n, 0x3fe0000000000000n, 0x3fdfffffffffffffn, 0x4004000000000000n,
  0xc00c000000000000n, 0x4330000000000001n, 0x41dfffffffc00000n, 0x41e0000000000000n, 0xc1e0000000000000n,
  0xc1e0000000200000n, 0x41f0000000000000n, 0x43dfffffffffffffn, 0x43e0000000000000n, 0xc3e0000000000000n,
  0x43f0000000000000n, 0x3ca0000000000000n, 0x36a0000000000000n, 0x3810000000000000n, 0x47efffffe0000000n,
  0x380fffffffffffffn, 0x3e70000000000000n, 0x40f0000000000000n, 0x0008000000000000n,
];

export const F16_CORNERS: readonly bigint[] = [
  0x0000n, 0x8000n, 0x7c00n, 0xfc00n, 0x7e00n, 0xfe12n, 0x7d01n, 0xfd23n, 0x0001n, 0x83ffn, 0x0400n, 0x7bffn,
  0xfbffn, 0x3c00n, 0xbe00n, 0x3c01n, 0x3800n, 0x7bfen,
];

const WIDTH: Readonly<Record<Prec, number>> = { s: 32, d: 64, h: 16 };
const EXP_BITS: Readonly<Record<Prec, number>> = { s: 8, d: 11, h: 5 };
export const CORNERS_OF: Readonly<Record<Prec, readonly bigint[]>> = { s: F32_CORNERS, d: F64_CORNERS, h: F16_CORNERS };

/** A random value of the precision: mostly normals near 1, some huge, tiny, denormal, NaN or integer-like. */
export function randomFloat(rng: Lcg, p: Prec): bigint {
  const w = WIDTH[p], e = EXP_BITS[p], f = w - 1 - e;
  const bits = rng.next();
  const sign = (bits >> 63n) & 1n;
  const frac = bits & ((1n << BigInt(f)) - 1n);
  const bias = (1 << (e - 1)) - 1;
  const pick = Number((bits >> 56n) & 15n);
  let exp: number;
  if (pick < 8) exp = bias + (Number((bits >> 48n) & 15n) - 6);
  else if (pick < 10) exp = bias + f + Number((bits >> 48n) & 7n) - 3; // integers near the precision's limit
  else if (pick === 10) exp = 0;
  else if (pick === 11) exp = 1 + Number((bits >> 48n) & 3n);
  else if (pick === 12) exp = (1 << e) - 2 - Number((bits >> 48n) & 3n);
  else if (pick === 13) exp = (1 << e) - 1;
  else exp = Number((bits >> 40n) % BigInt((1 << e) - 1));
  return (sign << BigInt(w - 1)) | (BigInt(exp) << BigInt(f)) | frac;
}

/** Corners then `n` random values. */
export function floats(p: Prec, seed: bigint, n: number): bigint[] {
  const rng = new Lcg(seed);
  return [...CORNERS_OF[p], ...Array.from({ length: n }, () => randomFloat(rng, p))];
}

/** `n` pairs drawn from `values` (and every corner against 1.0-like values once). */
export function pairsOf(values: readonly bigint[], seed: bigint, n: number): [bigint, bigint][] {
  const rng = new Lcg(seed);
  const at = (): bigint => values[Number(rng.next() % BigInt(values.length))]!;
  return Array.from({ length: n }, () => [at(), at()]);
}

export interface Setting {
  readonly rmode: number;
  readonly fz: number;
  readonly dn: number;
  readonly ahp?: number;
}

export const fpcrOf = (s: Setting): bigint => BigInt((s.rmode << 22) | (s.fz << 24) | (s.dn << 25) | ((s.ahp ?? 0) << 26));
export const settingName = (s: Setting): string => `rmode=${s.rmode} fz=${s.fz} dn=${s.dn}${s.ahp ? ' ahp' : ''}`;

/** Every rounding mode with FZ and DN off and on. */
export const SETTINGS: readonly Setting[] = [0, 1, 2, 3].flatMap((rmode) => [0, 1].flatMap((fz) => [0, 1].map((dn) => ({ rmode, fz, dn }))));

/** FPCR = the setting; FPSR cleared. */
export function setFpcr(p: Program, s: Setting): void {
  p.li('x9', fpcrOf(s));
  p.text('msr fpcr, x9');
}

/** Loads a value of precision `p` into FP register n (from x10). */
export function loadFp(p: Program, prec: Prec, n: number, v: bigint): void {
  p.li('x10', v);
  if (prec === 'd') p.text(`fmov d${n}, x10`);
  else if (prec === 's') p.text(`fmov s${n}, w10`);
  else p.text(`fmov s${n}, w10`); // a half in the low 16 bits
}

/** Saves V[n]'s low 64 bits, then FPSR (and clears it). */
export function saveFp(p: Program, n: number, what: string): void {
  p.text(`fmov x11, d${n}`);
  p.save('x11', what);
  saveFpsr(p, what);
}

export function saveFpsr(p: Program, what: string): void {
  p.text('mrs x12, fpsr', 'msr fpsr, xzr');
  p.save('x12', `${what} fpsr`);
}
