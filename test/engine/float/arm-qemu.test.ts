// The library under Arm's policy against qemu-aarch64 (-cpu max): the scalar
// FP instructions of each precision on corner-biased operands under every
// FPCR rounding mode with FZ, DN, FZ16 and AHP each on and off, comparing
// result bits and the FPSR cumulative flags.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ARM_POLICY, FloatEnv, RDN, RMM, RNE, ROD, RTZ, RUP, armNzcv, fpsrFromFlags, setArmFpcr, unsignedRecipEstimate, unsignedRsqrtEstimate, type RoundingMode,
} from '../../../engine/isa/float';
import { hex } from '../../oracle/corner-values';
import { runOracle, type OracleCase, type OracleOp } from './float-oracle';
import * as lib from './lib-adapters';
import { FloatOperands, SHAPES, type Width } from './operands';

interface ArmOp extends OracleOp {
  /** The rounding mode the instruction names; otherwise FPCR's. */
  readonly rm?: RoundingMode;
}

const REG: Record<Width, string> = { 16: 'h', 32: 's', 64: 'd' };
const MASK: Record<Width, bigint> = { 16: 0xffffn, 32: 0xffffffffn, 64: (1n << 64n) - 1n };
const ALL = MASK[64];

function opsFor(w: Width): ArmOp[] {
  const r = REG[w], m = MASK[w];
  const fp = (name: string, arity: 1 | 2 | 3, f: lib.LibOp, rm?: RoundingMode): ArmOp => {
    const regs = [`${r}0`, `${r}0`, `${r}1`, `${r}2`].slice(0, arity + 1).join(', ');
    return { name, width: w, arity, mask: m, body: `${name} ${regs}\nfmov %x[r], d0`, lib: f, ...(rm === undefined ? {} : { rm }) };
  };
  const cmp = (name: string, signalling: boolean): ArmOp => {
    const c = lib.compare(w, signalling);
    return { name, width: w, arity: 2, mask: ALL, body: `${name} ${r}0, ${r}1\nmrs %x[r], nzcv`, lib: (env, a, b) => BigInt(armNzcv(c(env, a, b))) << 28n };
  };
  const toI = (name: string, rm: RoundingMode | undefined, iw: 32 | 64, signed: boolean, fbits = 0): ArmOp => ({
    name: `${name} ${iw === 32 ? 'w' : 'x'}${fbits ? ` #${fbits}` : ''}`, width: w, arity: 1, mask: iw === 32 ? 0xffffffffn : ALL,
    body: `${name} %${iw === 32 ? 'w' : 'x'}[r], ${r}0${fbits ? `, #${fbits}` : ''}`, lib: lib.toInt(w, iw, signed, fbits), ...(rm === undefined ? {} : { rm }),
  });
  const fromI = (name: string, iw: 32 | 64, signed: boolean, fbits = 0): ArmOp => ({
    name: `${name} ${r} ${iw === 32 ? 'w' : 'x'}${fbits ? ` #${fbits}` : ''}`, width: w, arity: 1, intIn: true, mask: m,
    body: `${name} ${r}0, %${iw === 32 ? 'w' : 'x'}[a]${fbits ? `, #${fbits}` : ''}\nfmov %x[r], d0`, lib: lib.fromInt(w, iw, signed, fbits),
  });
  const neg = (f: lib.LibOp): lib.LibOp => (env, a, b, c, rm) => f(env, a, b, c, rm) ^ lib.SIGN[w];
  return [
    fp('fadd', 2, lib.binary(w, 'Add')), fp('fsub', 2, lib.binary(w, 'Sub')), fp('fmul', 2, lib.binary(w, 'Mul')), fp('fdiv', 2, lib.binary(w, 'Div')),
    fp('fnmul', 2, neg(lib.binary(w, 'Mul'))), fp('fsqrt', 1, lib.sqrt(w)),
    // FMADD d = a + n*m with the addend last: operands (n, m, a) are (a, b, c) here.
    fp('fmadd', 3, lib.mulAdd(w, false, false)), fp('fmsub', 3, lib.mulAdd(w, true, false)),
    fp('fnmadd', 3, lib.mulAdd(w, true, true)), fp('fnmsub', 3, lib.mulAdd(w, false, true)),
    fp('fmin', 2, lib.binary(w, 'Min')), fp('fmax', 2, lib.binary(w, 'Max')),
    fp('fminnm', 2, lib.binary(w, 'MinNum')), fp('fmaxnm', 2, lib.binary(w, 'MaxNum')),
    fp('fmulx', 2, lib.binary(w, 'MulX')), fp('frecps', 2, lib.binary(w, 'RecipStep')), fp('frsqrts', 2, lib.binary(w, 'RSqrtStep')),
    fp('frecpe', 1, lib.estimate(w, 'RecipEstimate')), fp('frsqrte', 1, lib.estimate(w, 'RSqrtEstimate')), fp('frecpx', 1, lib.estimate(w, 'RecipExponent')),
    cmp('fcmp', false), cmp('fcmpe', true),
    fp('frintn', 1, lib.roundInt(w, false), RNE), fp('frinta', 1, lib.roundInt(w, false), RMM), fp('frintp', 1, lib.roundInt(w, false), RUP),
    fp('frintm', 1, lib.roundInt(w, false), RDN), fp('frintz', 1, lib.roundInt(w, false), RTZ),
    fp('frinti', 1, lib.roundInt(w, false)), fp('frintx', 1, lib.roundInt(w, true)),
    toI('fcvtzs', RTZ, 32, true), toI('fcvtzs', RTZ, 64, true), toI('fcvtzu', RTZ, 32, false), toI('fcvtzu', RTZ, 64, false),
    toI('fcvtns', RNE, 32, true), toI('fcvtnu', RNE, 64, false), toI('fcvtas', RMM, 64, true), toI('fcvtau', RMM, 32, false),
    toI('fcvtps', RUP, 32, true), toI('fcvtpu', RUP, 64, false), toI('fcvtms', RDN, 64, true), toI('fcvtmu', RDN, 32, false),
    toI('fcvtzs', RTZ, 32, true, 1), toI('fcvtzs', RTZ, 32, true, 32), toI('fcvtzu', RTZ, 64, false, 33), toI('fcvtzs', RTZ, 64, true, 64),
    fromI('scvtf', 32, true), fromI('ucvtf', 32, false), fromI('scvtf', 64, true), fromI('ucvtf', 64, false),
    fromI('scvtf', 32, true, 7), fromI('ucvtf', 32, false, 32), fromI('scvtf', 64, true, 64), fromI('ucvtf', 64, false, 40),
  ];
}

const conversions: ArmOp[] = [
  ...([[32, 64], [64, 32], [16, 32], [32, 16], [16, 64], [64, 16]] as [Width, Width][]).map(([from, to]): ArmOp => ({
    name: `fcvt ${REG[to]} ${REG[from]}`, width: from, arity: 1, mask: MASK[to], body: `fcvt ${REG[to]}0, ${REG[from]}0\nfmov %x[r], d0`, lib: lib.convert(from, to),
  })),
  { name: 'fcvtxn', width: 64, arity: 1, mask: MASK[32], body: 'fcvtxn s0, d0\nfmov %x[r], d0', rm: ROD, lib: lib.convert(64, 32) },
  { name: 'urecpe', width: 32, arity: 1, mask: MASK[32], body: 'urecpe v0.2s, v0.2s\nfmov %w[r], s0', lib: (_e, a) => BigInt(unsignedRecipEstimate(Number(a & 0xffffffffn)) >>> 0) },
  { name: 'ursqrte', width: 32, arity: 1, mask: MASK[32], body: 'ursqrte v0.2s, v0.2s\nfmov %w[r], s0', lib: (_e, a) => BigInt(unsignedRsqrtEstimate(Number(a & 0xffffffffn)) >>> 0) },
];

/** The Advanced SIMD scalar forms on halves, whose integers are 16 bits wide. */
const halfIntegers: ArmOp[] = [
  ...([['fcvtzs', RTZ, true], ['fcvtzu', RTZ, false], ['fcvtns', RNE, true], ['fcvtau', RMM, false], ['fcvtps', RUP, true], ['fcvtmu', RDN, false]] as const)
    .map(([name, rm, signed]): ArmOp => ({ name: `${name} h`, width: 16, arity: 1, mask: 0xffffn, body: `${name} h0, h0\nfmov %x[r], d0`, rm, lib: lib.f16ToInt16(signed) })),
  { name: 'fcvtzs h #3', width: 16, arity: 1, mask: 0xffffn, body: 'fcvtzs h0, h0, #3\nfmov %x[r], d0', rm: RTZ, lib: lib.f16ToInt16(true, 3) },
  { name: 'fcvtzu h #16', width: 16, arity: 1, mask: 0xffffn, body: 'fcvtzu h0, h0, #16\nfmov %x[r], d0', rm: RTZ, lib: lib.f16ToInt16(false, 16) },
  { name: 'scvtf h', width: 16, arity: 1, intIn: true, mask: 0xffffn, body: 'scvtf h0, h0\nfmov %x[r], d0', lib: lib.int16ToF16(true) },
  { name: 'ucvtf h #9', width: 16, arity: 1, intIn: true, mask: 0xffffn, body: 'ucvtf h0, h0, #9\nfmov %x[r], d0', lib: lib.int16ToF16(false, 9) },
];

const FZ = 1 << 24, DN = 1 << 25, AHP = 1 << 26, FZ16 = 1 << 19;
/** Every rounding mode with every combination of FZ, DN, FZ16 and AHP. */
const FPCRS: number[] = [];
for (let rmode = 0; rmode < 4; rmode++) {
  for (let s = 0; s < 16; s++) FPCRS.push((rmode << 22) | (s & 1 ? FZ : 0) | (s & 2 ? DN : 0) | (s & 4 ? FZ16 : 0) | (s & 8 ? AHP : 0));
}
const PER_FPCR = 80;

function check(ops: readonly ArmOp[], seed: bigint): void {
  const cases: OracleCase[] = [];
  ops.forEach((op, i) => {
    const gen = new FloatOperands(SHAPES[op.width], seed + BigInt(i) * 1000n);
    for (const mode of FPCRS) {
      for (let k = 0; k < PER_FPCR; k++) {
        if (op.intIn) cases.push({ op: i, mode, a: gen.integer(), b: 0n, c: 0n });
        else {
          const [a, b, c] = gen.triple(op.arity === 3 ? lib.productOf(op.width) : undefined);
          cases.push({ op: i, mode, a, b, c });
        }
      }
    }
  });
  const want = runOracle('aarch64', ops.map((op) => op.body), cases);
  const bad: string[] = [];
  cases.forEach((k, i) => {
    const op = ops[k.op]!;
    const env = new FloatEnv(ARM_POLICY);
    setArmFpcr(env, k.mode);
    const r = op.lib(env, k.a, k.b, k.c, op.rm ?? env.rm) & op.mask;
    const q = want[i]!;
    const flags = fpsrFromFlags(env.flags), qflags = q.flags & 0x9f;
    if (r !== (q.r & op.mask) || flags !== qflags) {
      bad.push(`${op.name} fpcr=${hex(BigInt(k.mode))} ${[k.a, k.b, k.c].slice(0, op.arity).map(hex).join(' ')}: ours ${hex(r)} fpsr ${hex(BigInt(flags))}, qemu ${hex(q.r & op.mask)} fpsr ${hex(BigInt(qflags))}`);
    }
  });
  assert.equal(bad.length, 0, `${bad.length} of ${cases.length} cases differ:\n${bad.slice(0, 40).join('\n')}`);
}

for (const w of [32, 64, 16] as Width[]) {
  test(`aarch64 ${REG[w].toUpperCase()}-register FP instructions match qemu-aarch64 under every FPCR`, () => check(opsFor(w), BigInt(w) * 104729n));
}
test('aarch64 conversions between halves and 16-bit integers match qemu-aarch64 under every FPCR', () => check(halfIntegers, 99n));
test('aarch64 precision conversions, FCVTXN, URECPE and URSQRTE match qemu-aarch64 under every FPCR', () => check(conversions, 77n));
