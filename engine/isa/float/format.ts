// The three interchange formats as parameters, and the unpacked form the exact
// (slow) paths work on: a class, a sign and a value sig * 2^exp, all in BigInt.

import { FLAG_INPUT_DENORMAL, type FloatEnv } from './env';

export interface Format {
  readonly width: number;
  /** Exponent field width. */
  readonly ebits: number;
  /** Fraction field width (significand bits without the hidden one). */
  readonly fbits: number;
  readonly bias: number;
  readonly signBit: bigint;
  readonly fracMask: bigint;
  readonly expMax: number;
  readonly quietBit: bigint;
  /** The default (canonical) NaN. */
  readonly defaultNan: bigint;
  readonly isHalf: boolean;
}

function format(width: number, ebits: number): Format {
  const fbits = width - 1 - ebits;
  const expMax = (1 << ebits) - 1;
  return {
    width, ebits, fbits, bias: (1 << (ebits - 1)) - 1,
    signBit: 1n << BigInt(width - 1),
    fracMask: (1n << BigInt(fbits)) - 1n,
    expMax,
    quietBit: 1n << BigInt(fbits - 1),
    defaultNan: (BigInt(expMax) << BigInt(fbits)) | (1n << BigInt(fbits - 1)),
    isHalf: width === 16,
  };
}

export const F16 = format(16, 5);
export const F32 = format(32, 8);
export const F64 = format(64, 11);

export const ZERO = 0, FINITE = 1, INF = 2, QNAN = 3, SNAN = 4;
export type FloatClass = typeof ZERO | typeof FINITE | typeof INF | typeof QNAN | typeof SNAN;

/** An unpacked operand: for FINITE, the value is (-1)^sign * sig * 2^exp with sig > 0. */
export interface Unpacked {
  readonly cls: FloatClass;
  readonly sign: boolean;
  readonly sig: bigint;
  readonly exp: number;
  /** The operand's bits (after any flush to zero). */
  readonly bits: bigint;
}

/**
 * Unpack `bits`. With `flush`, a denormal becomes a zero of its sign and raises
 * input-denormal when `flagFlush` (Arm's FZ does, FZ16 does not). With `ahp`,
 * a half-precision exponent of all ones is an ordinary exponent.
 */
export function unpack(f: Format, bits: bigint, env: FloatEnv, flush: boolean, flagFlush = true, ahp = false): Unpacked {
  const sign = (bits & f.signBit) !== 0n;
  const e = Number((bits >> BigInt(f.fbits)) & BigInt(f.expMax));
  const frac = bits & f.fracMask;
  if (e === f.expMax && !ahp) {
    if (frac === 0n) return { cls: INF, sign, sig: 0n, exp: 0, bits };
    return { cls: (frac & f.quietBit) !== 0n ? QNAN : SNAN, sign, sig: 0n, exp: 0, bits };
  }
  if (e === 0) {
    if (frac === 0n) return { cls: ZERO, sign, sig: 0n, exp: 0, bits };
    if (flush) {
      if (flagFlush) env.flags |= FLAG_INPUT_DENORMAL;
      return { cls: ZERO, sign, sig: 0n, exp: 0, bits: bits & f.signBit };
    }
    return { cls: FINITE, sign, sig: frac, exp: 1 - f.bias - f.fbits, bits };
  }
  return { cls: FINITE, sign, sig: frac | (1n << BigInt(f.fbits)), exp: e - f.bias - f.fbits, bits };
}

export const isNan = (u: Unpacked): boolean => u.cls >= QNAN;

export const zeroOf = (f: Format, sign: boolean): bigint => (sign ? f.signBit : 0n);
export const infOf = (f: Format, sign: boolean): bigint => zeroOf(f, sign) | (BigInt(f.expMax) << BigInt(f.fbits));
export const maxNormalOf = (f: Format, sign: boolean): bigint => infOf(f, sign) - 1n;

/** Whether Arm's FZ (or FZ16 for half) flushes this format's denormals. */
export const flushes = (f: Format, env: FloatEnv): boolean => (f.isHalf ? env.fz16 : env.fz);

/** Bits of a binary64 held as int32 halves. */
export const bits64 = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

/** Return the low word of a binary64 (or 64-bit integer) and leave the high word in env.hi. */
export function split64(env: FloatEnv, v: bigint): number {
  env.hi = Number((v >> 32n) & 0xffffffffn) | 0;
  return Number(v & 0xffffffffn) | 0;
}

/** Unpack an arithmetic operand: Arm's FZ (raising input-denormal) or FZ16 (silently) applies. */
export const unpackOperand = (f: Format, bits: bigint, env: FloatEnv): Unpacked => unpack(f, bits, env, flushes(f, env), !f.isHalf);
