// The library under RISC-V's policy against the host's C (x86-64 SSE, which
// like RISC-V detects tininess after rounding; GCC's _Float16 for binary16):
// arithmetic, fused multiply-add, square root, compares and conversions in the
// four rounding modes C has, comparing flags always, and result bits when the
// result is a number. x86 has its own NaN payload rules, and its integer
// conversions give 0x80...0 when invalid: only NaN-ness and the flags are
// compared there (payloads are compared against QEMU in the other tests).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CMP_EQUAL, CMP_LESS, FloatEnv, FLAG_INVALID, RDN, RISCV_POLICY, RNE, RTZ, RUP } from '../../../engine/isa/float';
import { hex } from '../../oracle/corner-values';
import { runOracle, type OracleCase } from './float-oracle';
import * as lib from './lib-adapters';
import { FloatOperands, SHAPES, type Width } from './operands';

interface HostOp {
  readonly name: string;
  readonly width: Width;
  readonly arity: 1 | 2 | 3;
  readonly intIn?: boolean;
  /** The result's format, for telling NaNs; 'int' when it is an integer. */
  readonly out: Width | 'int';
  readonly body: string;
  readonly lib: lib.LibOp;
  /** For fused multiply-add operands: a rough product so the addend can cancel it. */
  readonly product?: (a: bigint, b: bigint) => bigint;
}

const T: Record<Width, { type: string; get: string; put: string }> = {
  16: { type: '_Float16', get: 'H', put: 'BH' },
  32: { type: 'float', get: 'F', put: 'BF' },
  64: { type: 'double', get: 'D', put: 'BD' },
};

function opsFor(w: Width): HostOp[] {
  const { type, get, put } = T[w];
  const vars = `volatile ${type} x = ${get}(a), y = ${get}(b), z = ${get}(c); (void)y; (void)z;`;
  const arith = (name: string, arity: 1 | 2 | 3, expr: string, f: lib.LibOp): HostOp => ({
    name, width: w, arity, out: w, body: `${vars} volatile ${type} q = ${expr}; r = ${put}(q);`, lib: f,
  });
  const sqrtExpr = w === 16 ? '(_Float16)sqrtf((float)x)' : w === 32 ? 'sqrtf(x)' : 'sqrt(x)';
  const cmp = lib.compare(w, false), cmpS = lib.compare(w, true);
  const ops: HostOp[] = [
    arith('add', 2, 'x + y', lib.binary(w, 'Add')),
    arith('sub', 2, 'x - y', lib.binary(w, 'Sub')),
    arith('mul', 2, 'x * y', lib.binary(w, 'Mul')),
    arith('div', 2, 'x / y', lib.binary(w, 'Div')),
    arith('sqrt', 1, sqrtExpr, lib.sqrt(w)),
    { name: 'eq', width: w, arity: 2, out: 'int', body: `${vars} r = x == y;`, lib: (env, a, b) => (cmp(env, a, b) === CMP_EQUAL ? 1n : 0n) },
    { name: 'lt', width: w, arity: 2, out: 'int', body: `${vars} r = x < y;`, lib: (env, a, b) => (cmpS(env, a, b) === CMP_LESS ? 1n : 0n) },
  ];
  if (w !== 16) {
    const fma = w === 32 ? 'fmaf' : 'fma';
    ops.push({ ...arith('fma', 3, `${fma}(x, y, z)`, lib.mulAdd(w, false, false)), product: lib.productOf(w) });
    const s = w === 32 ? 'ss' : 'sd';
    const set = w === 32 ? '_mm_set_ss' : '_mm_set_sd';
    ops.push(
      { name: 'to i32', width: w, arity: 1, out: 'int', body: `${vars} r = (uint32_t)_mm_cvt${s}_si32(${set}(x));`, lib: lib.toInt(w, 32, true) },
      { name: 'to i64', width: w, arity: 1, out: 'int', body: `${vars} r = (uint64_t)_mm_cvt${s}_si64(${set}(x));`, lib: lib.toInt(w, 64, true) },
      { name: 'trunc i32', width: w, arity: 1, out: 'int', body: `${vars} r = (uint32_t)(int32_t)x;`, lib: (env, a, b, c) => lib.toInt(w, 32, true)(env, a, b, c, RTZ) },
      { name: 'trunc i64', width: w, arity: 1, out: 'int', body: `${vars} r = (uint64_t)(int64_t)x;`, lib: (env, a, b, c) => lib.toInt(w, 64, true)(env, a, b, c, RTZ) },
    );
  }
  const fromI = (name: string, ctype: string, iw: 32 | 64, signed: boolean): HostOp => ({
    name, width: w, arity: 1, intIn: true, out: w, body: `volatile ${ctype} v = (${ctype})a; volatile ${type} q = (${type})v; r = ${put}(q);`, lib: lib.fromInt(w, iw, signed),
  });
  ops.push(fromI('from i32', 'int32_t', 32, true), fromI('from u32', 'uint32_t', 32, false), fromI('from i64', 'int64_t', 64, true), fromI('from u64', 'uint64_t', 64, false));
  return ops;
}

const conversions: HostOp[] = ([[32, 64], [64, 32], [16, 32], [32, 16], [16, 64], [64, 16]] as [Width, Width][]).map(([from, to]) => ({
  name: `${from} to ${to}`, width: from, arity: 1, out: to,
  body: `volatile ${T[from].type} x = ${T[from].get}(a); volatile ${T[to].type} q = (${T[to].type})x; r = ${T[to].put}(q);`, lib: lib.convert(from, to),
}));

const isNan = (w: Width, v: bigint): boolean => {
  const s = SHAPES[w];
  const mag = v & ((1n << BigInt(w - 1)) - 1n);
  return mag > (BigInt((1 << s.ebits) - 1) << BigInt(s.fbits));
};

/** Infinity times zero plus a quiet NaN: IEEE 754 leaves the invalid flag to the implementation; x86 does not raise it, RISC-V does. */
function infTimesZeroPlusQuietNan(op: HostOp, k: OracleCase): boolean {
  if (op.arity !== 3) return false;
  const w = op.width, s = SHAPES[w];
  const mag = (v: bigint): bigint => v & ((1n << BigInt(w - 1)) - 1n);
  const inf = BigInt((1 << s.ebits) - 1) << BigInt(s.fbits);
  const infZero = (mag(k.a) === inf && mag(k.b) === 0n) || (mag(k.a) === 0n && mag(k.b) === inf);
  return infZero && isNan(w, k.c) && (mag(k.c) & (1n << BigInt(s.fbits - 1))) !== 0n;
}

const PER_MODE = 4000;
const MODES = [RNE, RTZ, RDN, RUP];

function check(ops: readonly HostOp[], seed: bigint): void {
  const cases: OracleCase[] = [];
  ops.forEach((op, i) => {
    const gen = new FloatOperands(SHAPES[op.width], seed + BigInt(i) * 1000n);
    for (const mode of MODES) {
      for (let k = 0; k < PER_MODE; k++) {
        if (op.intIn) cases.push({ op: i, mode, a: gen.integer(), b: 0n, c: 0n });
        else {
          const [a, b, c] = gen.triple(op.product);
          cases.push({ op: i, mode, a, b, c });
        }
      }
    }
  });
  const want = runOracle('host', ops.map((op) => op.body), cases);
  const bad: string[] = [];
  cases.forEach((k, i) => {
    const op = ops[k.op]!;
    const env = new FloatEnv(RISCV_POLICY);
    const ours = op.lib(env, k.a, k.b, k.c, k.mode);
    const q = want[i]!;
    const w = op.out;
    const mask = w === 'int' ? (1n << 64n) - 1n : (1n << BigInt(w)) - 1n;
    const theirs = q.r & mask;
    let same: boolean;
    if (w === 'int') same = (q.flags & FLAG_INVALID) !== 0 || ours === theirs;
    else same = isNan(w, theirs) ? isNan(w, ours) : ours === theirs;
    const flagsDiffer = env.flags !== q.flags && !(infTimesZeroPlusQuietNan(op, k) && (env.flags ^ q.flags) === FLAG_INVALID);
    if (!same || flagsDiffer) {
      const ops3 = [k.a, k.b, k.c].slice(0, op.arity).map(hex).join(' ');
      bad.push(`${op.name} f${op.width} mode=${k.mode} ${ops3}: ours ${hex(ours)} flags ${env.flags}, host ${hex(theirs)} flags ${q.flags}`);
    }
  });
  assert.equal(bad.length, 0, `${bad.length} of ${cases.length} cases differ:\n${bad.slice(0, 40).join('\n')}`);
}

for (const w of [32, 64, 16] as Width[]) {
  test(`binary${w} operations match the host's C in every rounding mode`, () => check(opsFor(w), BigInt(w) * 15485863n));
}
test('conversions between formats match the host\'s C in every rounding mode', () => check(conversions, 3n));
