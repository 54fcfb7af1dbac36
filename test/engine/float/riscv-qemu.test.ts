// The library under RISC-V's policy against qemu-riscv64 (rv64gc with Zfh):
// every F, D and Zfh arithmetic, compare, min/max, class and conversion
// instruction on corner-biased operands in each of the five rounding modes,
// comparing result bits and fflags.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FloatEnv, RISCV_POLICY, RMM, RNE, RDN, RTZ, RUP, CMP_EQUAL, CMP_LESS } from '../../../engine/isa/float';
import { hex } from '../../oracle/corner-values';
import { runOracle, type OracleCase, type OracleOp } from './float-oracle';
import * as lib from './lib-adapters';
import { FloatOperands, SHAPES, type Width } from './operands';

type RvOp = OracleOp;

const SUFFIX: Record<Width, string> = { 16: 'h', 32: 's', 64: 'd' };
const MASK: Record<Width, bigint> = { 16: 0xffffn, 32: 0xffffffffn, 64: (1n << 64n) - 1n };
const ALL = MASK[64];
const sext32 = (v: bigint): bigint => BigInt.asUintN(64, BigInt.asIntN(32, v));

function opsFor(w: Width): RvOp[] {
  const x = SUFFIX[w], m = MASK[w];
  const fp = (name: string, arity: 1 | 2 | 3, asm: string, f: lib.LibOp): RvOp => ({ name: `${name}.${x}`, width: w, arity, mask: m, body: `${asm}\nfmv.x.d %[r], f0`, lib: f });
  const cmp = (name: string, signalling: boolean, holds: (r: number) => boolean): RvOp => {
    const c = lib.compare(w, signalling);
    return { name: `${name}.${x}`, width: w, arity: 2, mask: ALL, body: `${name}.${x} %[r], f0, f1`, lib: (env, a, b) => (holds(c(env, a, b)) ? 1n : 0n) };
  };
  const toI = (name: string, iw: 32 | 64, signed: boolean): RvOp => {
    const f = lib.toInt(w, iw, signed);
    // RV64 sign-extends a 32-bit result, unsigned ones included.
    return { name: `${name}.${x}`, width: w, arity: 1, mask: ALL, body: `${name}.${x} %[r], f0, dyn`, lib: (env, a, b, c, rm) => (iw === 32 ? sext32(f(env, a, b, c, rm)) : f(env, a, b, c, rm)) };
  };
  // A 32-bit integer converts to binary64 exactly: the instruction has no rounding mode.
  const fromI = (name: string, iw: 32 | 64, signed: boolean): RvOp => ({
    name: `fcvt.${x}.${name}`, width: w, arity: 1, intIn: true, mask: m, body: `fcvt.${x}.${name} f0, %[a]${w === 64 && iw === 32 ? '' : ', dyn'}\nfmv.x.d %[r], f0`, lib: lib.fromInt(w, iw, signed),
  });
  const class_ = lib.classify(w);
  return [
    fp('fadd', 2, `fadd.${x} f0, f0, f1, dyn`, lib.binary(w, 'Add')),
    fp('fsub', 2, `fsub.${x} f0, f0, f1, dyn`, lib.binary(w, 'Sub')),
    fp('fmul', 2, `fmul.${x} f0, f0, f1, dyn`, lib.binary(w, 'Mul')),
    fp('fdiv', 2, `fdiv.${x} f0, f0, f1, dyn`, lib.binary(w, 'Div')),
    fp('fsqrt', 1, `fsqrt.${x} f0, f0, dyn`, lib.sqrt(w)),
    fp('fmadd', 3, `fmadd.${x} f0, f0, f1, f2, dyn`, lib.mulAdd(w, false, false)),
    fp('fmsub', 3, `fmsub.${x} f0, f0, f1, f2, dyn`, lib.mulAdd(w, false, true)),
    fp('fnmsub', 3, `fnmsub.${x} f0, f0, f1, f2, dyn`, lib.mulAdd(w, true, false)),
    fp('fnmadd', 3, `fnmadd.${x} f0, f0, f1, f2, dyn`, lib.mulAdd(w, true, true)),
    fp('fmin', 2, `fmin.${x} f0, f0, f1`, lib.binary(w, 'MinimumNumber')),
    fp('fmax', 2, `fmax.${x} f0, f0, f1`, lib.binary(w, 'MaximumNumber')),
    cmp('feq', false, (r) => r === CMP_EQUAL),
    cmp('flt', true, (r) => r === CMP_LESS),
    cmp('fle', true, (r) => r === CMP_LESS || r === CMP_EQUAL),
    { name: `fclass.${x}`, width: w, arity: 1, mask: ALL, body: `fclass.${x} %[r], f0`, lib: (_e: FloatEnv, a: bigint) => BigInt(class_(a)) },
    toI('fcvt.w', 32, true), toI('fcvt.wu', 32, false), toI('fcvt.l', 64, true), toI('fcvt.lu', 64, false),
    fromI('w', 32, true), fromI('wu', 32, false), fromI('l', 64, true), fromI('lu', 64, false),
  ];
}

const conversions: RvOp[] = ([[32, 64], [64, 32], [16, 32], [32, 16], [16, 64], [64, 16]] as [Width, Width][]).map(([from, to]) => ({
  name: `fcvt.${SUFFIX[to]}.${SUFFIX[from]}`, width: from, arity: 1, mask: MASK[to],
  // Widening is exact: the instruction has no rounding mode.
  body: `fcvt.${SUFFIX[to]}.${SUFFIX[from]} f0, f0${to > from ? '' : ', dyn'}\nfmv.x.d %[r], f0`, lib: lib.convert(from, to),
}));

/** A register holding a narrower float is NaN-boxed: all ones above it. */
const box = (w: Width, v: bigint): bigint => (w === 64 ? v : v | (ALL ^ MASK[w]));

const PER_MODE = 1500;
const MODES = [RNE, RTZ, RDN, RUP, RMM];

function check(ops: readonly RvOp[], seed: bigint): void {
  const cases: OracleCase[] = [];
  ops.forEach((op, i) => {
    const gen = new FloatOperands(SHAPES[op.width], seed + BigInt(i) * 1000n);
    for (const mode of MODES) {
      for (let k = 0; k < PER_MODE; k++) {
        if (op.intIn) {
          cases.push({ op: i, mode, a: gen.integer(), b: 0n, c: 0n });
          continue;
        }
        const [a, b, c] = gen.triple(op.arity === 3 ? lib.productOf(op.width) : undefined);
        cases.push({ op: i, mode, a: box(op.width, a), b: box(op.width, b), c: box(op.width, c) });
      }
    }
  });
  const want = runOracle('riscv64', ops.map((op) => op.body), cases);
  const bad: string[] = [];
  cases.forEach((k, i) => {
    const op = ops[k.op]!;
    const env = new FloatEnv(RISCV_POLICY);
    const m = MASK[op.width];
    const r = op.lib(env, k.a & (op.intIn ? ALL : m), k.b & m, k.c & m, k.mode) & op.mask;
    const q = want[i]!;
    if (r !== (q.r & op.mask) || env.flags !== q.flags) {
      bad.push(`${op.name} rm=${k.mode} ${[k.a, k.b, k.c].slice(0, op.arity).map((v) => hex(op.intIn ? v : v & m)).join(' ')}: ours ${hex(r)} flags ${env.flags}, qemu ${hex(q.r & op.mask)} flags ${q.flags}`);
    }
  });
  assert.equal(bad.length, 0, `${bad.length} of ${cases.length} cases differ:\n${bad.slice(0, 40).join('\n')}`);
}

for (const w of [32, 64, 16] as Width[]) {
  test(`riscv64 ${SUFFIX[w].toUpperCase()} instructions match qemu-riscv64 in every rounding mode`, () => check(opsFor(w), BigInt(w) * 7919n));
}
test('riscv64 conversions between formats match qemu-riscv64', () => check(conversions, 31n));
