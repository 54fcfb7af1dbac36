// The binary32/binary64 fast paths (host doubles, error-free transformations)
// agree bit for bit and flag for flag with the exact BigInt paths, on many
// more operands than the oracles run, concentrated at the fast paths' edges:
// the ends of the normal range, where a product or quotient nears overflow or
// underflow, where Dekker's split nears its limits.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { add, div, mul, mulAdd, sqrt, sub } from '../../../engine/isa/float/arith';
import { F32, F64, bits64 } from '../../../engine/isa/float/format';
import { ARM_POLICY, FloatEnv, RNE, RTZ, f32Add, f32Div, f32Mul, f32MulAdd, f32Sqrt, f32Sub, f32ToI32, f64Add, f64Div, f64Mul, f64MulAdd, f64Sqrt, f64Sub, f64ToF32, f64ToI32 } from '../../../engine/isa/float';
import { toInt, convert } from '../../../engine/isa/float/convert';
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

test('binary64 fast paths agree with the exact paths', () => {
  const rng = new Lcg(64n), gen = new FloatOperands(SHAPES[64], 65n);
  const bad: string[] = [];
  for (let i = 0; i < CASES; i++) {
    const a = edge64(rng, gen), b = i % 4 === 0 ? gen.near(a) : edge64(rng, gen), c = edge64(rng, gen);
    const checks: [string, (e: FloatEnv) => bigint, (e: FloatEnv) => bigint][] = [
      ['add', (e) => bits64(f64Add(e, lo(a), hi(a), lo(b), hi(b), RNE), e.hi), (e) => add(F64, a, b, RNE, e)],
      ['sub', (e) => bits64(f64Sub(e, lo(a), hi(a), lo(b), hi(b), RNE), e.hi), (e) => sub(F64, a, b, RNE, e)],
      ['mul', (e) => bits64(f64Mul(e, lo(a), hi(a), lo(b), hi(b), RNE), e.hi), (e) => mul(F64, a, b, RNE, e)],
      ['div', (e) => bits64(f64Div(e, lo(a), hi(a), lo(b), hi(b), RNE), e.hi), (e) => div(F64, a, b, RNE, e)],
      ['sqrt', (e) => bits64(f64Sqrt(e, lo(a), hi(a), RNE), e.hi), (e) => sqrt(F64, a, RNE, e)],
      ['fma', (e) => bits64(f64MulAdd(e, lo(a), hi(a), lo(b), hi(b), lo(c), hi(c), RNE), e.hi), (e) => mulAdd(F64, a, b, c, RNE, e)],
      ['to f32', (e) => BigInt(f64ToF32(e, lo(a), hi(a), RNE) >>> 0), (e) => convert(F64, F32, a, RNE, e)],
      ['to i32', (e) => BigInt(f64ToI32(e, lo(a), hi(a), RTZ) >>> 0), (e) => toInt(F64, a, 32, true, RTZ, 0, e)],
    ];
    for (const [name, fast, exact] of checks) {
      const e1 = new FloatEnv(ARM_POLICY), e2 = new FloatEnv(ARM_POLICY);
      const r1 = fast(e1), r2 = exact(e2);
      if (r1 !== r2 || e1.flags !== e2.flags) bad.push(`${name} ${hex(a)} ${hex(b)} ${hex(c)}: fast ${hex(r1)}/${e1.flags}, exact ${hex(r2)}/${e2.flags}`);
    }
  }
  assert.equal(bad.length, 0, bad.slice(0, 30).join('\n'));
});

test('binary32 fast paths agree with the exact paths', () => {
  const rng = new Lcg(32n), gen = new FloatOperands(SHAPES[32], 33n);
  const bad: string[] = [];
  for (let i = 0; i < CASES; i++) {
    const a = edge32(rng, gen), b = i % 4 === 0 ? gen.near(a) : edge32(rng, gen), c = edge32(rng, gen);
    const [x, y, z] = [a, b, c].map(Number) as [number, number, number];
    const checks: [string, (e: FloatEnv) => number, (e: FloatEnv) => bigint][] = [
      ['add', (e) => f32Add(e, x, y, RNE), (e) => add(F32, a, b, RNE, e)],
      ['sub', (e) => f32Sub(e, x, y, RNE), (e) => sub(F32, a, b, RNE, e)],
      ['mul', (e) => f32Mul(e, x, y, RNE), (e) => mul(F32, a, b, RNE, e)],
      ['div', (e) => f32Div(e, x, y, RNE), (e) => div(F32, a, b, RNE, e)],
      ['sqrt', (e) => f32Sqrt(e, x, RNE), (e) => sqrt(F32, a, RNE, e)],
      ['fma', (e) => f32MulAdd(e, x, y, z, RNE), (e) => mulAdd(F32, a, b, c, RNE, e)],
      ['to i32', (e) => f32ToI32(e, x, RTZ), (e) => BigInt.asIntN(32, toInt(F32, a, 32, true, RTZ, 0, e))],
    ];
    for (const [name, fast, exact] of checks) {
      const e1 = new FloatEnv(ARM_POLICY), e2 = new FloatEnv(ARM_POLICY);
      const r1 = BigInt(fast(e1)), r2 = exact(e2);
      if (r1 !== r2 || e1.flags !== e2.flags) bad.push(`${name} ${hex(a)} ${hex(b)} ${hex(c)}: fast ${hex(r1)}/${e1.flags}, exact ${hex(r2)}/${e2.flags}`);
    }
  }
  assert.equal(bad.length, 0, bad.slice(0, 30).join('\n'));
});
