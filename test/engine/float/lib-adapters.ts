// The library's operations as functions of 64-bit operand bits, so one table
// of cases can drive every format: binary16/32 values and 32-bit integers in
// the low bits, binary64 values and 64-bit integers whole.

import * as fl from '../../../engine/isa/float';
import type { FloatEnv, RoundingMode } from '../../../engine/isa/float';
import type { Width } from './operands';

export type LibOp = (env: FloatEnv, a: bigint, b: bigint, c: bigint, rm: RoundingMode) => bigint;

const n = (x: bigint): number => Number(x & 0xffffffffn);
const lo = (x: bigint): number => Number(BigInt.asIntN(32, x));
const hi = (x: bigint): number => Number(BigInt.asIntN(32, x >> 32n));
const u32 = (x: number): bigint => BigInt(x >>> 0);
/** A 64-bit result: the returned low word and env.hi. */
const w64 = (env: FloatEnv, low: number): bigint => (BigInt(env.hi >>> 0) << 32n) | BigInt(low >>> 0);

export const SIGN: Record<Width, bigint> = { 16: 0x8000n, 32: 0x80000000n, 64: 1n << 63n };

type Binary = 'Add' | 'Sub' | 'Mul' | 'Div' | 'Min' | 'Max' | 'MinNum' | 'MaxNum' | 'MinimumNumber' | 'MaximumNumber' | 'MulX' | 'RecipStep' | 'RSqrtStep';

/** a * b rounded to nearest: for shaping addends that cancel a product. */
export function productOf(w: Width): (a: bigint, b: bigint) => bigint {
  const f = binary(w, 'Mul');
  return (a, b) => f(new fl.FloatEnv(fl.ARM_POLICY), a, b, 0n, fl.RNE);
}

/** a op b in a format. */
export function binary(w: Width, name: Binary): LibOp {
  if (w === 64) {
    const f = fl[`f64${name}`] as (env: FloatEnv, alo: number, ahi: number, blo: number, bhi: number, rm: RoundingMode) => number;
    return (env, a, b, _c, rm) => w64(env, f(env, lo(a), hi(a), lo(b), hi(b), rm));
  }
  const f = fl[`f${w}${name}`] as (env: FloatEnv, a: number, b: number, rm: RoundingMode) => number;
  return (env, a, b, _c, rm) => u32(f(env, n(a), n(b), rm));
}

/** a * b + c with the signs of the product and the addend flipped as the instruction says. */
export function mulAdd(w: Width, negProduct: boolean, negAddend: boolean): LibOp {
  const s = SIGN[w];
  return (env, a, b, c, rm) => {
    const a2 = negProduct ? a ^ s : a, c2 = negAddend ? c ^ s : c;
    if (w === 64) return w64(env, fl.f64MulAdd(env, lo(a2), hi(a2), lo(b), hi(b), lo(c2), hi(c2), rm));
    return u32((w === 32 ? fl.f32MulAdd : fl.f16MulAdd)(env, n(a2), n(b), n(c2), rm));
  };
}

export function sqrt(w: Width): LibOp {
  if (w === 64) return (env, a, _b, _c, rm) => w64(env, fl.f64Sqrt(env, lo(a), hi(a), rm));
  const f = w === 32 ? fl.f32Sqrt : fl.f16Sqrt;
  return (env, a, _b, _c, rm) => u32(f(env, n(a), rm));
}

export function compare(w: Width, signalling: boolean): (env: FloatEnv, a: bigint, b: bigint) => fl.CompareResult {
  if (w === 64) return (env, a, b) => fl.f64Compare(env, lo(a), hi(a), lo(b), hi(b), signalling);
  const f = w === 32 ? fl.f32Compare : fl.f16Compare;
  return (env, a, b) => f(env, n(a), n(b), signalling);
}

export function classify(w: Width): (a: bigint) => number {
  if (w === 64) return (a) => fl.f64Class(lo(a), hi(a));
  return (a) => (w === 32 ? fl.f32Class : fl.f16Class)(n(a));
}

export function roundInt(w: Width, exact: boolean): LibOp {
  if (w === 64) return (env, a, _b, _c, rm) => w64(env, fl.f64RoundInt(env, lo(a), hi(a), rm, exact));
  const f = w === 32 ? fl.f32RoundInt : fl.f16RoundInt;
  return (env, a, _b, _c, rm) => u32(f(env, n(a), rm, exact));
}

/** Float to an integer of `iw` bits, as unsigned bits. */
export function toInt(w: Width, iw: 32 | 64, signed: boolean, fbits = 0): LibOp {
  const name = `${signed ? 'I' : 'U'}${iw}` as const;
  if (w === 64) {
    const f = fl[`f64To${name}`];
    return (env, a, _b, _c, rm) => {
      const r = f(env, lo(a), hi(a), rm, fbits);
      return iw === 64 ? w64(env, r) : BigInt(r >>> 0);
    };
  }
  const f = fl[`f${w}To${name}`];
  return (env, a, _b, _c, rm) => {
    const r = f(env, n(a), rm, fbits);
    return iw === 64 ? w64(env, r) : BigInt(r >>> 0);
  };
}

/** binary16 to a 16-bit integer, as unsigned bits. */
export function f16ToInt16(signed: boolean, fbits = 0): LibOp {
  const f = signed ? fl.f16ToI16 : fl.f16ToU16;
  return (env, a, _b, _c, rm) => BigInt(f(env, n(a), rm, fbits) & 0xffff);
}

/** A 16-bit integer (a's low bits) to binary16, divided by 2^fbits. */
export function int16ToF16(signed: boolean, fbits = 0): LibOp {
  return (env, a, _b, _c, rm) => {
    const v = Number(a & 0xffffn);
    return u32(signed ? fl.i32ToF16(env, (v << 16) >> 16, rm, fbits) : fl.u32ToF16(env, v, rm, fbits));
  };
}

/** Integer of `iw` bits (in a's low bits) to a float, divided by 2^fbits. */
export function fromInt(w: Width, iw: 32 | 64, signed: boolean, fbits = 0): LibOp {
  const name = `${signed ? 'i' : 'u'}${iw}ToF${w}` as const;
  const f = fl[name] as ((env: FloatEnv, v: number, rm: RoundingMode, fbits?: number) => number) & ((env: FloatEnv, lo: number, hi: number, rm: RoundingMode, fbits?: number) => number);
  return (env, a, _b, _c, rm) => {
    const r = iw === 64 ? f(env, lo(a), hi(a), rm, fbits) : f(env, lo(a), rm, fbits);
    return w === 64 ? w64(env, r) : u32(r);
  };
}

/** Between formats. */
export function convert(from: Width, to: Width): LibOp {
  return (env, a, _b, _c, rm) => {
    switch (`${from}>${to}`) {
      case '16>32': return u32(fl.f16ToF32(env, n(a)));
      case '16>64': return w64(env, fl.f16ToF64(env, n(a)));
      case '32>16': return u32(fl.f32ToF16(env, n(a), rm));
      case '32>64': return w64(env, fl.f32ToF64(env, n(a)));
      case '64>16': return u32(fl.f64ToF16(env, lo(a), hi(a), rm));
      case '64>32': return u32(fl.f64ToF32(env, lo(a), hi(a), rm));
      default: throw new Error(`no conversion ${from} to ${to}`);
    }
  };
}

type Unary = 'RecipEstimate' | 'RSqrtEstimate' | 'RecipExponent';

/** Arm's estimate operations. */
export function estimate(w: Width, name: Unary): LibOp {
  if (w === 64) {
    const f = fl[`f64${name}`] as (env: FloatEnv, lo: number, hi: number, rm: RoundingMode) => number;
    return (env, a, _b, _c, rm) => w64(env, f(env, lo(a), hi(a), rm));
  }
  const f = fl[`f${w}${name}`] as (env: FloatEnv, a: number, rm: RoundingMode) => number;
  return (env, a, _b, _c, rm) => u32(f(env, n(a), rm));
}
