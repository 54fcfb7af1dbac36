// Every binary16 value through the one-operand instructions on halves, against
// qemu-aarch64 (two FPCR settings: the default, and round down with FZ16, DN
// and AHP) and qemu-riscv64 (round to nearest and round up): square root,
// estimates, round to integral, widening and conversion to integers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ARM_POLICY, FloatEnv, RISCV_POLICY, RMM, RNE, RTZ, RUP, fpsrFromFlags, setArmFpcr, type RoundingMode } from '../../../engine/isa/float';
import { hex } from '../../oracle/corner-values';
import { runOracle, type OracleCase, type Target } from './float-oracle';
import * as lib from './lib-adapters';

interface UnaryOp {
  readonly name: string;
  readonly body: string;
  readonly mask: bigint;
  readonly rm?: RoundingMode;
  readonly lib: lib.LibOp;
}

const ALL = (1n << 64n) - 1n;
const sext32 = (v: bigint): bigint => BigInt.asUintN(64, BigInt.asIntN(32, v));

const ARM: UnaryOp[] = [
  { name: 'fsqrt', body: 'fsqrt h0, h0\nfmov %x[r], d0', mask: 0xffffn, lib: lib.sqrt(16) },
  { name: 'frecpe', body: 'frecpe h0, h0\nfmov %x[r], d0', mask: 0xffffn, lib: lib.estimate(16, 'RecipEstimate') },
  { name: 'frsqrte', body: 'frsqrte h0, h0\nfmov %x[r], d0', mask: 0xffffn, lib: lib.estimate(16, 'RSqrtEstimate') },
  { name: 'frecpx', body: 'frecpx h0, h0\nfmov %x[r], d0', mask: 0xffffn, lib: lib.estimate(16, 'RecipExponent') },
  { name: 'frintx', body: 'frintx h0, h0\nfmov %x[r], d0', mask: 0xffffn, lib: lib.roundInt(16, true) },
  { name: 'frinta', body: 'frinta h0, h0\nfmov %x[r], d0', mask: 0xffffn, rm: RMM, lib: lib.roundInt(16, false) },
  { name: 'fcvt s, h', body: 'fcvt s0, h0\nfmov %x[r], d0', mask: 0xffffffffn, lib: lib.convert(16, 32) },
  { name: 'fcvt d, h', body: 'fcvt d0, h0\nfmov %x[r], d0', mask: ALL, lib: lib.convert(16, 64) },
  { name: 'fcvtzs w, h', body: 'fcvtzs %w[r], h0', mask: 0xffffffffn, rm: RTZ, lib: lib.toInt(16, 32, true) },
  { name: 'fcvtau x, h', body: 'fcvtau %x[r], h0', mask: ALL, rm: RMM, lib: lib.toInt(16, 64, false) },
  { name: 'fcvtzs h, h', body: 'fcvtzs h0, h0, #4\nfmov %x[r], d0', mask: 0xffffn, rm: RTZ, lib: lib.f16ToInt16(true, 4) },
];

const RISCV: UnaryOp[] = [
  { name: 'fsqrt.h', body: 'fsqrt.h f0, f0, dyn\nfmv.x.d %[r], f0', mask: 0xffffn, lib: lib.sqrt(16) },
  { name: 'fcvt.s.h', body: 'fcvt.s.h f0, f0\nfmv.x.d %[r], f0', mask: 0xffffffffn, lib: lib.convert(16, 32) },
  { name: 'fcvt.d.h', body: 'fcvt.d.h f0, f0\nfmv.x.d %[r], f0', mask: ALL, lib: lib.convert(16, 64) },
  { name: 'fcvt.w.h', body: 'fcvt.w.h %[r], f0, dyn', mask: ALL, lib: (env, a, b, c, rm) => sext32(lib.toInt(16, 32, true)(env, a, b, c, rm)) },
  { name: 'fcvt.lu.h', body: 'fcvt.lu.h %[r], f0, dyn', mask: ALL, lib: lib.toInt(16, 64, false) },
  { name: 'fclass.h', body: 'fclass.h %[r], f0', mask: ALL, lib: (_e, a) => BigInt(lib.classify(16)(a)) },
];

function sweep(target: Target, ops: readonly UnaryOp[], modes: readonly number[]): void {
  const cases: OracleCase[] = [];
  ops.forEach((_, op) => {
    for (const mode of modes) {
      // A RISC-V register holding a half is NaN-boxed.
      for (let v = 0; v < 0x10000; v++) cases.push({ op, mode, a: target === 'riscv64' ? BigInt(v) | (ALL ^ 0xffffn) : BigInt(v), b: 0n, c: 0n });
    }
  });
  const want = runOracle(target, ops.map((o) => o.body), cases);
  const bad: string[] = [];
  cases.forEach((k, i) => {
    const op = ops[k.op]!;
    const arm = target === 'aarch64';
    const env = new FloatEnv(arm ? ARM_POLICY : RISCV_POLICY);
    if (arm) setArmFpcr(env, k.mode);
    const rm = op.rm ?? (arm ? env.rm : k.mode);
    const r = op.lib(env, k.a & 0xffffn, 0n, 0n, rm) & op.mask;
    const q = want[i]!;
    const [flags, qflags] = arm ? [fpsrFromFlags(env.flags), q.flags & 0x9f] : [env.flags, q.flags];
    if (r !== (q.r & op.mask) || flags !== qflags) bad.push(`${op.name} mode=${hex(BigInt(k.mode))} ${hex(k.a & 0xffffn)}: ours ${hex(r)}/${flags}, qemu ${hex(q.r & op.mask)}/${qflags}`);
  });
  assert.equal(bad.length, 0, `${bad.length} of ${cases.length} differ:\n${bad.slice(0, 40).join('\n')}`);
}

const FZ16 = 1 << 19, DN = 1 << 25, AHP = 1 << 26, RMODE_RDN = 2 << 22;

test('every binary16 value through the A64 one-operand half instructions matches qemu-aarch64', () => sweep('aarch64', ARM, [0, RMODE_RDN | FZ16 | DN | AHP]));
test('every binary16 value through the RISC-V Zfh one-operand instructions matches qemu-riscv64', () => sweep('riscv64', RISCV, [RNE, RUP]));
