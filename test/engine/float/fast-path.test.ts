// The binary32/binary64 fast paths (host doubles, error-free transformations)
// agree bit for bit and flag for flag with the exact BigInt paths, on many
// more operands than the oracles run, concentrated at the fast paths' edges:
// the ends of the normal range, where a product or quotient nears overflow or
// underflow, where Dekker's split nears its limits.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as fl from '../../../engine/isa/float';
import { add, div, mul, mulAdd, sqrt, sub } from '../../../engine/isa/float/arith';
import { compare, minMax, minMaxNum, minMaxNumber } from '../../../engine/isa/float/compare';
import { convert, fromInt, roundInt, toInt } from '../../../engine/isa/float/convert';
import { F16, F32, F64, bits64, type Format } from '../../../engine/isa/float/format';
import {
  ARM_POLICY, FloatEnv, RDN, RMM, RNE, RTZ, RUP, f32Add, f32Div, f32Mul, f32MulAdd, f32Sqrt, f32Sub, f64Add, f64Div, f64Mul, f64MulAdd, f64Sqrt, f64Sub, type RoundingMode,
} from '../../../engine/isa/float';
import { Lcg, hex } from '../../oracle/corner-values';
import { FloatOperands, SHAPES } from './operands';

const CASES = 40000;

/** A binary64 whose exponent is near one of the fast paths' thresholds. */
function edge64(rng: Lcg, gen: FloatOperands): bigint {
  const r = rng.next();
  if (r % 3n !== 0n) return gen.value();
  const exps = [1, 2, 63, 64, 65, 1023 - 995, 1023 - 960, 1023 - 500, 1023 + 500, 1023 + 960, 1023 + 995, 2044, 2045, 2046];
  const e = exps[Number((r >> 8n) % BigInt(exps.length))]! + Number((r >> 16n) % 5n) - 2;
  const frac = (r >> 3n) & ((1n << 52n) - 1n);
  const sign = (r >> 62n) & 1n;
  return (sign << 63n) | (BigInt(Math.max(1, Math.min(2046, e))) << 52n) | (r & 1n ? frac : frac & ~((1n << BigInt(Number(r >> 40n) % 52)) - 1n));
}

function edge32(rng: Lcg, gen: FloatOperands): bigint {
  const r = rng.next();
  if (r % 3n !== 0n) return gen.value();
  const exps = [1, 2, 3, 64, 127, 190, 252, 253, 254];
  const e = exps[Number((r >> 8n) % BigInt(exps.length))]! + Number((r >> 16n) % 3n) - 1;
  const frac = (r >> 3n) & 0x7fffffn;
  return (((r >> 62n) & 1n) << 31n) | (BigInt(Math.max(1, Math.min(254, e))) << 23n) | frac;
}

const lo = (v: bigint): number => Number(BigInt.asIntN(32, v));
const hi = (v: bigint): number => Number(BigInt.asIntN(32, v >> 32n));

const MODES: RoundingMode[] = [RNE, RTZ, RDN, RUP, RMM];

test('binary64 fast paths agree with the exact paths in every mode', () => {
  const rng = new Lcg(64n), gen = new FloatOperands(SHAPES[64], 65n);
  const bad: string[] = [];
  for (let i = 0; i < CASES; i++) {
    const rm = i % 2 === 0 ? RNE : MODES[1 + ((i >> 1) % 4)]!;
    let a = edge64(rng, gen), b = i % 4 === 0 ? gen.near(a) : edge64(rng, gen), c = edge64(rng, gen);
    // Every third case an addend that cancels most of the product.
    if (i % 3 === 0) [a, b, c] = gen.triple((p, q) => mul(F64, p, q, RNE, new FloatEnv(ARM_POLICY)));
    const checks: [string, (e: FloatEnv) => bigint, (e: FloatEnv) => bigint][] = [
      ['add', (e) => bits64(f64Add(e, lo(a), hi(a), lo(b), hi(b), rm), e.hi), (e) => add(F64, a, b, rm, e)],
      ['sub', (e) => bits64(f64Sub(e, lo(a), hi(a), lo(b), hi(b), rm), e.hi), (e) => sub(F64, a, b, rm, e)],
      ['mul', (e) => bits64(f64Mul(e, lo(a), hi(a), lo(b), hi(b), rm), e.hi), (e) => mul(F64, a, b, rm, e)],
      ['div', (e) => bits64(f64Div(e, lo(a), hi(a), lo(b), hi(b), rm), e.hi), (e) => div(F64, a, b, rm, e)],
      ['sqrt', (e) => bits64(f64Sqrt(e, lo(a), hi(a), rm), e.hi), (e) => sqrt(F64, a, rm, e)],
      ['fma', (e) => bits64(f64MulAdd(e, lo(a), hi(a), lo(b), hi(b), lo(c), hi(c), rm), e.hi), (e) => mulAdd(F64, a, b, c, rm, e)],
    ];
    for (const [name, fast, exact] of checks) {
      const e1 = new FloatEnv(ARM_POLICY), e2 = new FloatEnv(ARM_POLICY);
      const r1 = fast(e1), r2 = exact(e2);
      if (r1 !== r2 || e1.flags !== e2.flags) bad.push(`${name} rm=${rm} ${hex(a)} ${hex(b)} ${hex(c)}: fast ${hex(r1)}/${e1.flags}, exact ${hex(r2)}/${e2.flags}`);
    }
  }
  assert.equal(bad.length, 0, bad.slice(0, 30).join('\n'));
});

test('binary32 fast paths agree with the exact paths in every mode', () => {
  const rng = new Lcg(32n), gen = new FloatOperands(SHAPES[32], 33n);
  const bad: string[] = [];
  for (let i = 0; i < CASES; i++) {
    const rm = i % 2 === 0 ? RNE : MODES[1 + ((i >> 1) % 4)]!;
    let a = edge32(rng, gen), b = i % 4 === 0 ? gen.near(a) : edge32(rng, gen), c = edge32(rng, gen);
    if (i % 3 === 0) [a, b, c] = gen.triple((p, q) => mul(F32, p, q, RNE, new FloatEnv(ARM_POLICY)));
    const [x, y, z] = [a, b, c].map(Number) as [number, number, number];
    const checks: [string, (e: FloatEnv) => number, (e: FloatEnv) => bigint][] = [
      ['add', (e) => f32Add(e, x, y, rm), (e) => add(F32, a, b, rm, e)],
      ['sub', (e) => f32Sub(e, x, y, rm), (e) => sub(F32, a, b, rm, e)],
      ['mul', (e) => f32Mul(e, x, y, rm), (e) => mul(F32, a, b, rm, e)],
      ['div', (e) => f32Div(e, x, y, rm), (e) => div(F32, a, b, rm, e)],
      ['sqrt', (e) => f32Sqrt(e, x, rm), (e) => sqrt(F32, a, rm, e)],
      ['fma', (e) => f32MulAdd(e, x, y, z, rm), (e) => mulAdd(F32, a, b, c, rm, e)],
    ];
    for (const [name, fast, exact] of checks) {
      const e1 = new FloatEnv(ARM_POLICY), e2 = new FloatEnv(ARM_POLICY);
      const r1 = BigInt(fast(e1)), r2 = exact(e2);
      if (r1 !== r2 || e1.flags !== e2.flags) bad.push(`${name} rm=${rm} ${hex(a)} ${hex(b)} ${hex(c)}: fast ${hex(r1)}/${e1.flags}, exact ${hex(r2)}/${e2.flags}`);
    }
  }
  assert.equal(bad.length, 0, bad.slice(0, 30).join('\n'));
});

const FBITS = [0, 0, 0, 1, 5, 31, 32, 33, 64];

/** The operations with fast paths in every rounding mode, at format `f`, as functions of 64-bit bits. */
function everyMode(f: Format, a: bigint, b: bigint, k: number): [string, (e: FloatEnv) => bigint, (e: FloatEnv) => bigint][] {
  const rm = MODES[k % MODES.length]!, fbits = FBITS[k % FBITS.length]!;
  const w = f === F32 ? 32 : 64;
  const x = Number(a & 0xffffffffn), alo = Number(BigInt.asIntN(32, a)), ahi = Number(BigInt.asIntN(32, a >> 32n));
  const blo = Number(BigInt.asIntN(32, b)), bhi = Number(BigInt.asIntN(32, b >> 32n));
  const u = (v: number): bigint => BigInt(v >>> 0);
  const w64 = (e: FloatEnv, low: number): bigint => bits64(low, e.hi);
  const one = (name: string, f32: (e: FloatEnv) => number, f64: (e: FloatEnv) => number, exact: (e: FloatEnv) => bigint, wide: boolean): [string, (e: FloatEnv) => bigint, (e: FloatEnv) => bigint] =>
    [`${name} rm=${rm} fbits=${fbits}`, w === 32 ? (e) => (wide ? w64(e, f32(e)) : u(f32(e))) : (e) => (wide ? w64(e, f64(e)) : u(f64(e))), exact];
  const y = Number(b & 0xffffffffn);
  const mm = (name: string, exact: typeof minMax, max: boolean, f32: (e: FloatEnv, a: number, b: number) => number, f64: (e: FloatEnv, alo: number, ahi: number, blo: number, bhi: number) => number) =>
    one(name, (e) => f32(e, x, y), (e) => f64(e, alo, ahi, blo, bhi), (e) => exact(f, a, w === 32 ? b & 0xffffffffn : b, max, e), w === 64);
  const i32 = Number(BigInt.asIntN(32, b)), ilo = blo, ihi = bhi;
  return [
    one('round', (e) => fl.f32RoundInt(e, x, rm, k % 2 === 0), (e) => fl.f64RoundInt(e, alo, ahi, rm, k % 2 === 0), (e) => roundInt(f, a, rm, k % 2 === 0, e), w === 64),
    one('to i32', (e) => fl.f32ToI32(e, x, rm, fbits), (e) => fl.f64ToI32(e, alo, ahi, rm, fbits), (e) => toInt(f, a, 32, true, rm, fbits, e), false),
    one('to u32', (e) => fl.f32ToU32(e, x, rm, fbits), (e) => fl.f64ToU32(e, alo, ahi, rm, fbits), (e) => toInt(f, a, 32, false, rm, fbits, e), false),
    one('to i64', (e) => fl.f32ToI64(e, x, rm, fbits), (e) => fl.f64ToI64(e, alo, ahi, rm, fbits), (e) => toInt(f, a, 64, true, rm, fbits, e), true),
    one('to u64', (e) => fl.f32ToU64(e, x, rm, fbits), (e) => fl.f64ToU64(e, alo, ahi, rm, fbits), (e) => toInt(f, a, 64, false, rm, fbits, e), true),
    one('from i32', (e) => fl.i32ToF32(e, i32, rm, fbits), (e) => fl.i32ToF64(e, i32, rm, fbits), (e) => fromInt(f, BigInt(i32), fbits, rm, e), w === 64),
    one('from u32', (e) => fl.u32ToF32(e, i32, rm, fbits), (e) => fl.u32ToF64(e, i32, rm, fbits), (e) => fromInt(f, BigInt(i32 >>> 0), fbits, rm, e), w === 64),
    one('from i64', (e) => fl.i64ToF32(e, ilo, ihi, rm, fbits), (e) => fl.i64ToF64(e, ilo, ihi, rm, fbits), (e) => fromInt(f, BigInt.asIntN(64, b), fbits, rm, e), w === 64),
    one('from u64', (e) => fl.u64ToF32(e, ilo, ihi, rm, fbits), (e) => fl.u64ToF64(e, ilo, ihi, rm, fbits), (e) => fromInt(f, BigInt.asUintN(64, b), fbits, rm, e), w === 64),
    one('narrow/widen', (e) => fl.f32ToF64(e, x), (e) => fl.f64ToF32(e, alo, ahi, rm), (e) => (w === 32 ? convert(F32, F64, a, RNE, e) : convert(F64, F32, a, rm, e)), w === 32),
    mm('fmin', minMax, false, fl.f32Min, fl.f64Min), mm('fmax', minMax, true, fl.f32Max, fl.f64Max),
    mm('fminnm', minMaxNum, false, fl.f32MinNum, fl.f64MinNum), mm('fmaxnm', minMaxNum, true, fl.f32MaxNum, fl.f64MaxNum),
    mm('fmin.rv', minMaxNumber, false, fl.f32MinimumNumber, fl.f64MinimumNumber), mm('fmax.rv', minMaxNumber, true, fl.f32MaximumNumber, fl.f64MaximumNumber),
  ];
}

for (const f of [F32, F64]) {
  const w = f === F32 ? 32 : 64;
  test(`binary${w} conversion, round-to-integral and min/max fast paths agree with the exact paths in every mode`, () => {
    const gen = new FloatOperands(SHAPES[w], BigInt(w) + 7n), ints = new FloatOperands(SHAPES[64], BigInt(w) + 8n);
    const bad: string[] = [];
    for (let k = 0; k < CASES / 2; k++) {
      const [a, b0] = gen.pair();
      const b = k % 2 === 0 ? ints.integer() : b0;
      for (const [name, fast, exact] of everyMode(f, a, b, k)) {
        const e1 = new FloatEnv(ARM_POLICY), e2 = new FloatEnv(ARM_POLICY);
        const r1 = fast(e1), r2 = exact(e2);
        if (r1 !== r2 || e1.flags !== e2.flags) bad.push(`${name} ${hex(a)} ${hex(b)}: fast ${hex(r1)}/${e1.flags}, exact ${hex(r2)}/${e2.flags}`);
      }
    }
    assert.equal(bad.length, 0, bad.slice(0, 30).join('\n'));
  });
}

const lib16Product = (p: bigint, q: bigint): bigint => mul(F16, p, q, RNE, new FloatEnv(ARM_POLICY));

test('binary16 fast paths agree with the exact paths in every mode', () => {
  const gen = new FloatOperands(SHAPES[16], 16n), ints = new FloatOperands(SHAPES[64], 17n);
  const g32 = new FloatOperands(SHAPES[32], 18n), g64 = new FloatOperands(SHAPES[64], 19n);
  const bad: string[] = [];
  const u = (v: number): bigint => BigInt(v >>> 0);
  for (let k = 0; k < 0x10000 + CASES; k++) {
    const rm = MODES[k % MODES.length]!, fbits = FBITS[k % FBITS.length]!;
    // Every half once, then pairs.
    const [a, b] = k < 0x10000 ? [BigInt(k), gen.value()] : gen.pair();
    const c = k % 2 === 0 ? gen.value() : gen.triple(lib16Product)[2];
    const x = Number(a), y = Number(b);
    const i = ints.integer(), ilo = Number(BigInt.asIntN(32, i)), ihi = Number(BigInt.asIntN(32, i >> 32n));
    const s = g32.value(), d = g64.value(), dlo = Number(BigInt.asIntN(32, d)), dhi = Number(BigInt.asIntN(32, d >> 32n));
    const checks: [string, (e: FloatEnv) => bigint, (e: FloatEnv) => bigint][] = [
      ['add', (e) => u(fl.f16Add(e, x, y, rm)), (e) => add(F16, a, b, rm, e)],
      ['sub', (e) => u(fl.f16Sub(e, x, y, rm)), (e) => sub(F16, a, b, rm, e)],
      ['mul', (e) => u(fl.f16Mul(e, x, y, rm)), (e) => mul(F16, a, b, rm, e)],
      ['div', (e) => u(fl.f16Div(e, x, y, rm)), (e) => div(F16, a, b, rm, e)],
      ['sqrt', (e) => u(fl.f16Sqrt(e, x, rm)), (e) => sqrt(F16, a, rm, e)],
      ['fma', (e) => u(fl.f16MulAdd(e, x, y, Number(c), rm)), (e) => mulAdd(F16, a, b, c, rm, e)],
      ['compare', (e) => BigInt(fl.f16Compare(e, x, y, k % 2 === 0)), (e) => BigInt(compare(F16, a, b, k % 2 === 0, e))],
      ['fmin', (e) => u(fl.f16Min(e, x, y)), (e) => minMax(F16, a, b, false, e)],
      ['fmaxnm', (e) => u(fl.f16MaxNum(e, x, y)), (e) => minMaxNum(F16, a, b, true, e)],
      ['fmin.rv', (e) => u(fl.f16MinimumNumber(e, x, y)), (e) => minMaxNumber(F16, a, b, false, e)],
      ['round', (e) => u(fl.f16RoundInt(e, x, rm, k % 2 === 0)), (e) => roundInt(F16, a, rm, k % 2 === 0, e)],
      ['to f32', (e) => u(fl.f16ToF32(e, x)), (e) => convert(F16, F32, a, RNE, e)],
      ['to f64', (e) => bits64(fl.f16ToF64(e, x), e.hi), (e) => convert(F16, F64, a, RNE, e)],
      ['to i32', (e) => u(fl.f16ToI32(e, x, rm, fbits)), (e) => toInt(F16, a, 32, true, rm, fbits, e)],
      ['to u64', (e) => bits64(fl.f16ToU64(e, x, rm, fbits), e.hi), (e) => toInt(F16, a, 64, false, rm, fbits, e)],
      ['from i32', (e) => u(fl.i32ToF16(e, ilo, rm, fbits)), (e) => fromInt(F16, BigInt(ilo), fbits, rm, e)],
      ['from u64', (e) => u(fl.u64ToF16(e, ilo, ihi, rm, fbits)), (e) => fromInt(F16, i, fbits, rm, e)],
      ['f32 to f16', (e) => u(fl.f32ToF16(e, Number(s), rm)), (e) => convert(F32, F16, s, rm, e)],
      ['f64 to f16', (e) => u(fl.f64ToF16(e, dlo, dhi, rm)), (e) => convert(F64, F16, d, rm, e)],
    ];
    for (const [name, fast, exact] of checks) {
      const e1 = new FloatEnv(ARM_POLICY), e2 = new FloatEnv(ARM_POLICY);
      const r1 = fast(e1), r2 = exact(e2);
      if (r1 !== r2 || e1.flags !== e2.flags) bad.push(`${name} rm=${rm} fbits=${fbits} ${hex(a)} ${hex(b)} ${hex(c)} ${hex(i)} ${hex(s)} ${hex(d)}: fast ${hex(r1)}/${e1.flags}, exact ${hex(r2)}/${e2.flags}`);
    }
  }
  assert.equal(bad.length, 0, bad.slice(0, 30).join('\n'));
});
