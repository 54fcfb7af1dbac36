// Every F and D instruction against qemu-riscv64: the corners (±0, ±inf,
// quiet and signalling NaNs with payloads, improperly NaN-boxed singles,
// denormals, the largest and smallest normals, integer conversion limits) and
// random operands, under every static rounding mode and every valid dynamic
// frm, comparing the destination register's 64 bits and fflags after each
// instruction, on the translated, single-step and chunked paths.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lcg, MODES, Program, buildSource, hex, runEngine, runGroup, runQemu, type Built } from './oracle';

type Precision = 's' | 'd';

/** Where a case runs: a static rm in the instruction, or the dynamic one with frm set first. */
interface Rounding {
  readonly rm?: string;
  readonly frm?: number;
}
const STATIC: readonly Rounding[] = ['rne', 'rtz', 'rdn', 'rup', 'rmm'].map((rm) => ({ rm }));
const DYNAMIC: readonly Rounding[] = [0, 1, 2, 3, 4].map((frm) => ({ frm }));
const EVERY_MODE: readonly Rounding[] = [...STATIC, ...DYNAMIC];

const BOX = 0xffff_ffff_0000_0000n;
const boxed = (v: number): bigint => BOX | BigInt(v >>> 0);

/** Singles, as the 64 bits of an f register: boxed corners, then two improperly boxed values (canonical NaN inputs). */
const SINGLE_CORNERS: readonly bigint[] = [
  0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fc12345, 0xffc00001, 0x7f800001, 0x7fa00000, 0xff812345,
  0x00000001, 0x007fffff, 0x80000100, 0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, 0x3f800000, 0xbfc00000, 0x3dcccccd,
  0x40400000, 0x3f800001, 0x4b800001, 0x34000000, 0x33800000,
].map(boxed).concat([0x0000_0000_3f80_0000n, 0xffff_fffe_4040_0000n]);

const DOUBLE_CORNERS: readonly bigint[] = [
  0x0n, 0x8000000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0x7ff8000000012345n, 0xfff8000000000001n,
  0x7ff0000000000001n, 0x7ff4000000000000n, 0xfff0000000012345n, 0x1n, 0x000fffffffffffffn, 0x8000000000000100n, 0x0010000000000000n,
  0x8010000000000000n, 0x7fefffffffffffffn, 0xffefffffffffffffn, 0x3ff0000000000000n, 0xbff8000000000000n, 0x3fb999999999999an,
  0x4008000000000000n, 0x3ff0000000000001n, 0x4340000000000001n, 0x3cb0000000000000n, 0x3ca0000000000000n,
];
const CORNERS: Readonly<Record<Precision, readonly bigint[]>> = { s: SINGLE_CORNERS, d: DOUBLE_CORNERS };

/** Operand pairs whose results round differently per mode: halfway cases, overflow, underflow. */
const ROUNDING_PAIRS: Readonly<Record<Precision, readonly (readonly [bigint, bigint])[]>> = {
  s: ([
    [0x3f800000, 0x33800000], [0x3f800001, 0x33800000], [0xbf800000, 0xb3800000], [0x3dcccccd, 0x40400000],
    [0x7f7fffff, 0x7f7fffff], [0x00800000, 0x80000001], [0x00800001, 0x3f000000], [0x3f800000, 0x40400000],
    // Just below the smallest normal before rounding: tininess is detected after rounding.
    [0x00ffffff, 0x3f000000], [0x3f7fffff, 0x00800001],
  ] as const).map(([a, b]) => [boxed(a), boxed(b)] as const),
  d: [
    [0x3ff0000000000000n, 0x3ca0000000000000n], [0x3ff0000000000001n, 0x3ca0000000000000n], [0xbff0000000000000n, 0xbca0000000000000n],
    [0x3fb999999999999an, 0x4008000000000000n], [0x7fefffffffffffffn, 0x7fefffffffffffffn], [0x0010000000000000n, 0x8000000000000001n],
    [0x0010000000000001n, 0x3fe0000000000000n], [0x3ff0000000000000n, 0x4008000000000000n],
    [0x001fffffffffffffn, 0x3fe0000000000000n], [0x3fefffffffffffffn, 0x0010000000000001n],
  ],
};

/** Float-to-integer limits: around ±2^31, 2^32, ±2^63, 2^64, and the halfway values. */
const TO_INT: Readonly<Record<Precision, readonly bigint[]>> = {
  s: [
    0x4f000000, 0xcf000000, 0x4effffff, 0xcf000001, 0x4f800000, 0x4f7fffff, 0x5f000000, 0xdf000000, 0x5effffff, 0x5f800000,
    0x5f7fffff, 0xbf800000, 0xbf000000, 0x3f000000, 0x3fc00000, 0x40200000, 0xc0200000, 0x3f7fffff, 0xbf7fffff, 0x4b7fffff,
  ].map(boxed),
  d: [
    0x41e0000000000000n, 0x41dfffffffe00000n, 0xc1e0000000100000n, 0xc1e0000000200000n, 0x41f0000000000000n, 0x41efffffffe00000n,
    0x43e0000000000000n, 0xc3e0000000000000n, 0x43dfffffffffffffn, 0x43f0000000000000n, 0x43efffffffffffffn, 0xbff0000000000000n,
    0xbfe0000000000000n, 0x3fe0000000000000n, 0x3ff8000000000000n, 0x4004000000000000n, 0xc004000000000000n, 0xbff8000000000000n,
    0x41dfffffffffffffn, 0xc1dfffffffc00000n,
  ],
};

/** Integer-to-float sources (the .w forms use the low word: the upper one is junk on purpose). */
const FROM_INT: readonly bigint[] = [
  0n, 1n, -1n, 0x7fffffffn, -0x80000000n, 0x80000000n, 0xffffffffn, 0x1000001n, 0x1000003n, 0x20000000000001n, -0x20000000000001n,
  0x7fffffffffffffffn, -0x8000000000000000n, 0x123456789abcdefn, 0xdead_beef_0100_0001n, 0x8000_0000_0000_0401n,
];

/** Random operands near 1 (so that two of them interact) or anywhere. */
function randomValue(rng: Lcg, p: Precision): bigint {
  const v = rng.next();
  if (p === 's') {
    const bits = Number(v & 0xffffffffn);
    return boxed((v >> 40n) & 1n ? bits : (bits & 0x80ffffff) | 0x3f000000);
  }
  return (v >> 62n) & 1n ? v : (v & 0x800fffffffffffffn) | 0x3fe0000000000000n;
}

class FloatProgram {
  readonly p: Program;
  private frm = 0;
  constructor(name: string) {
    this.p = new Program(name, false, 4, true);
  }

  /** f register `reg` = 64 bits `v`. */
  f(reg: string, v: bigint): void {
    this.p.li('t0', v);
    this.p.text(`fmv.d.x ${reg}, t0`);
  }

  /** Run `insn` (rm appended when static) with fflags clear; save rd (f or x) and fflags. */
  run(insn: string, rounding: Rounding, rd: { f?: string; x?: string }, what: string): void {
    const frm = rounding.frm ?? 0;
    if (frm !== this.frm) {
      this.p.text(`fsrmi ${frm}`);
      this.frm = frm;
    }
    this.p.text('fsflags zero', rounding.rm ? `${insn}, ${rounding.rm}` : insn);
    const label = `${what} ${rounding.rm ?? `frm=${frm}`}`;
    if (rd.f) {
      this.p.text(`fmv.x.d t2, ${rd.f}`);
      this.p.save('t2', label);
    } else {
      this.p.save(rd.x!, label);
    }
    this.p.text('frflags t2');
    this.p.save('t2', `fflags of ${label}`);
  }
}

const args = (vs: readonly bigint[]): string => vs.map(hex).join(', ');

function arithmeticGroup(p: Precision): Program {
  const g = new FloatProgram(`farith-${p}`);
  const rng = new Lcg(p === 's' ? 0xf1_0001n : 0xf1_0002n);
  const corners = CORNERS[p];
  const binary = ['fadd', 'fsub', 'fmul', 'fdiv'];
  for (const m of binary) {
    let turn = 0;
    for (const a of corners) {
      for (const b of corners) {
        g.f('fa0', a);
        g.f('fa1', b);
        g.run(`${m}.${p} fa2, fa0, fa1`, EVERY_MODE[turn++ % EVERY_MODE.length]!, { f: 'fa2' }, `${m}.${p} ${args([a, b])}`);
      }
    }
    const pairs = [...ROUNDING_PAIRS[p], ...Array.from({ length: 10 }, () => [randomValue(rng, p), randomValue(rng, p)] as const)];
    for (const [a, b] of pairs) {
      g.f('fa0', a);
      g.f('fa1', b);
      for (const r of EVERY_MODE) g.run(`${m}.${p} fa2, fa0, fa1`, r, { f: 'fa2' }, `${m}.${p} ${args([a, b])}`);
    }
  }
  // The same register as source and destination.
  g.f('fa0', corners[17]!);
  g.run(`fadd.${p} fa0, fa0, fa0`, {}, { f: 'fa0' }, `fadd.${p} fa0, fa0, fa0`);
  let turn = 0;
  for (const a of [...corners, ...Array.from({ length: 12 }, () => randomValue(rng, p))]) {
    g.f('fa0', a);
    for (const r of a === corners[0] ? EVERY_MODE : [EVERY_MODE[turn++ % EVERY_MODE.length]!]) g.run(`fsqrt.${p} fa2, fa0`, r, { f: 'fa2' }, `fsqrt.${p} ${hex(a)}`);
  }
  for (const a of Array.from({ length: 6 }, () => randomValue(rng, p))) {
    g.f('fa0', a);
    for (const r of EVERY_MODE) g.run(`fsqrt.${p} fa2, fa0`, r, { f: 'fa2' }, `fsqrt.${p} ${hex(a)}`);
  }
  return g.p;
}

function fusedGroup(p: Precision): Program {
  const g = new FloatProgram(`ffused-${p}`);
  const rng = new Lcg(p === 's' ? 0xf2_0001n : 0xf2_0002n);
  const corners = CORNERS[p];
  const pick = (): bigint => corners[Number(rng.next() % BigInt(corners.length))]!;
  for (const m of ['fmadd', 'fmsub', 'fnmsub', 'fnmadd']) {
    let turn = 0;
    // Corner triples, and a corner among random operands.
    for (let i = 0; i < 120; i++) {
      const ops = i < 80 ? [pick(), pick(), pick()] : [randomValue(rng, p), randomValue(rng, p), pick()];
      ops.forEach((v, k) => g.f(`fa${k}`, v));
      g.run(`${m}.${p} fa3, fa0, fa1, fa2`, EVERY_MODE[turn++ % EVERY_MODE.length]!, { f: 'fa3' }, `${m}.${p} ${args(ops)}`);
    }
    // Exact zero results (the sign depends on the mode) and random ones under every mode.
    const one = p === 's' ? boxed(0x3f800000) : 0x3ff0000000000000n;
    const minusOne = p === 's' ? boxed(0xbf800000) : 0xbff0000000000000n;
    const triples = [[one, one, minusOne], [one, minusOne, one], ...Array.from({ length: 8 }, () => [randomValue(rng, p), randomValue(rng, p), randomValue(rng, p)])];
    for (const ops of triples) {
      ops.forEach((v, k) => g.f(`fa${k}`, v));
      for (const r of EVERY_MODE) g.run(`${m}.${p} fa3, fa0, fa1, fa2`, r, { f: 'fa3' }, `${m}.${p} ${args(ops)}`);
    }
  }
  return g.p;
}

function nonRoundingGroup(p: Precision): Program {
  const g = new FloatProgram(`fcompare-${p}`);
  const corners = CORNERS[p];
  for (const a of corners) {
    for (const b of corners) {
      g.f('fa0', a);
      g.f('fa1', b);
      for (const m of ['fmin', 'fmax', 'fsgnj', 'fsgnjn', 'fsgnjx']) g.run(`${m}.${p} fa2, fa0, fa1`, {}, { f: 'fa2' }, `${m}.${p} ${args([a, b])}`);
      for (const m of ['feq', 'flt', 'fle']) g.run(`${m}.${p} a0, fa0, fa1`, {}, { x: 'a0' }, `${m}.${p} ${args([a, b])}`);
    }
    g.f('fa0', a);
    g.run(`fclass.${p} a0, fa0`, {}, { x: 'a0' }, `fclass.${p} ${hex(a)}`);
    // fmv.x.w / fmv.x.d move the bits as they are (a single unboxed or not); fsgnj.s rd,rs,rs canonicalizes a bad box.
    g.run(p === 's' ? 'fmv.x.w a0, fa0' : 'fmv.x.d a0, fa0', {}, { x: 'a0' }, `fmv.x.${p === 's' ? 'w' : 'd'} ${hex(a)}`);
    g.run(`fmv.${p} fa2, fa0`, {}, { f: 'fa2' }, `fmv.${p} ${hex(a)}`);
  }
  for (const v of [0n, -1n, 0x7fc00000n, 0x1234_5678_8000_0001n]) {
    g.p.li('a1', v);
    g.run(p === 's' ? 'fmv.w.x fa2, a1' : 'fmv.d.x fa2, a1', {}, { f: 'fa2' }, `fmv.${p === 's' ? 'w' : 'd'}.x ${hex(v)}`);
  }
  return g.p;
}

function conversionGroup(p: Precision): Program {
  const g = new FloatProgram(`fconvert-${p}`);
  const rng = new Lcg(p === 's' ? 0xf3_0001n : 0xf3_0002n);
  let turn = 0;
  const values = [...TO_INT[p], ...CORNERS[p]];
  for (const [i, a] of values.entries()) {
    g.f('fa0', a);
    const modes = i < TO_INT[p].length ? EVERY_MODE : [EVERY_MODE[turn++ % EVERY_MODE.length]!];
    for (const t of ['w', 'wu', 'l', 'lu']) for (const r of modes) g.run(`fcvt.${t}.${p} a0, fa0`, r, { x: 'a0' }, `fcvt.${t}.${p} ${hex(a)}`);
    // Between precisions: narrowing rounds, widening is exact.
    if (p === 's') g.run('fcvt.d.s fa2, fa0', {}, { f: 'fa2' }, `fcvt.d.s ${hex(a)}`);
    else for (const r of modes) g.run('fcvt.s.d fa2, fa0', r, { f: 'fa2' }, `fcvt.s.d ${hex(a)}`);
  }
  for (const v of [...FROM_INT, ...Array.from({ length: 6 }, () => rng.shaped())]) {
    g.p.li('a1', v);
    for (const t of ['w', 'wu', 'l', 'lu']) {
      // int32 to double is exact: no rounding-mode operand.
      const modes = p === 'd' && (t === 'w' || t === 'wu') ? [{}] : EVERY_MODE;
      for (const r of modes) g.run(`fcvt.${p}.${t} fa2, a1`, r, { f: 'fa2' }, `fcvt.${p}.${t} ${hex(v)}`);
    }
  }
  return g.p;
}

/** Loads and stores (compressed too), fcsr/frm/fflags as CSRs. */
function stateGroup(): Program {
  const g = new FloatProgram('fstate');
  const p = g.p;
  p.data('fbuf:', '  .dword 0x3ff0000000000000, 0x7ff4000000000001, 0x00000000bf800000, 0xffffffff7fa00001', '  .space 512');
  p.text('lla s2, fbuf');
  for (const [m, off] of [['flw', 0], ['flw', 4], ['flw', 16], ['flw', 24], ['flw', 3], ['fld', 0], ['fld', 8], ['fld', 20], ['fld', 1]] as const) {
    p.text(`${m} fa0, ${off}(s2)`, 'fmv.x.d t2, fa0');
    p.save('t2', `${m} ${off}(fbuf)`);
  }
  // Stores: fsw writes the low word whatever the box; fsd all 64 bits.
  p.li('t0', 0x0123_4567_89ab_cdefn);
  p.text('fmv.d.x ft0, t0', 'fsw ft0, 40(s2)', 'fsd ft0, 48(s2)', 'fsw ft0, 61(s2)', 'ld t2, 40(s2)');
  p.save('t2', 'fsw of an unboxed value');
  p.text('ld t2, 48(s2)');
  p.save('t2', 'fsd');
  p.text('ld t2, 56(s2)');
  p.save('t2', 'fsw misaligned');
  p.text('ld t2, 64(s2)');
  p.save('t2', 'fsw misaligned (high part)');
  // Compressed: c.fld/c.fsd on x8..x15 bases, c.fldsp/c.fsdsp on sp.
  p.text('mv s3, sp', 'mv s1, s2', '.option push', '.option rvc');
  p.text('c.fld fs0, 0(s1)', 'c.fld fa5, 8(s1)', 'c.fsd fs0, 248(s1)', 'c.fsd fa5, 240(s1)');
  p.text('addi sp, s2, 256', 'c.fldsp ft11, 0(sp)', 'c.fldsp fs11, 248(sp)', 'c.fsdsp ft11, 16(sp)', 'c.fsdsp fa5, 24(sp)', 'c.fldsp f0, 16(sp)', '.option pop', 'mv sp, s3');
  for (const r of ['fs0', 'fa5', 'ft11', 'fs11', 'f0']) {
    p.text(`fmv.x.d t2, ${r}`);
    p.save('t2', `compressed FP load into ${r}`);
  }
  for (const off of [248, 240, 272, 280]) {
    p.text(`ld t2, ${off}(s2)`);
    p.save('t2', `compressed FP store at fbuf+${off}`);
  }
  // The FP CSRs: masking, the old value returned, the fields of fcsr.
  const csr = (insn: string, what: string): void => {
    p.text(insn, 'frcsr t2');
    p.save('t2', `fcsr after ${what}`);
  };
  p.li('a1', -1n);
  p.text('fscsr t3, a1');
  p.save('t3', 'fscsr returns the old fcsr');
  p.text('frcsr t2');
  p.save('t2', 'fcsr after fscsr -1');
  csr('fsrmi 2', 'fsrmi 2');
  csr('fsflagsi 5', 'fsflagsi 5');
  p.li('a1', 0x1234n);
  csr('fsflags a1', 'fsflags 0x1234');
  csr('fsrm a1', 'fsrm 0x1234');
  csr('csrrsi zero, fflags, 8', 'csrsi fflags 8');
  csr('csrrci zero, frm, 1', 'csrci frm 1');
  p.text('frrm t2');
  p.save('t2', 'frrm');
  p.text('frflags t2');
  p.save('t2', 'frflags');
  return p;
}

describe('riscv64 F and D against qemu-riscv64', () => {
  for (const p of ['s', 'd'] as const) {
    it(`fadd, fsub, fmul, fdiv, fsqrt.${p}: corners and random operands, every static and dynamic rounding mode, results and fflags`, () => runGroup(arithmeticGroup(p)));
    it(`fmadd, fmsub, fnmsub, fnmadd.${p}: corner triples and random ones under every mode`, () => runGroup(fusedGroup(p)));
    it(`fmin, fmax, fsgnj*, feq, flt, fle, fclass, fmv.${p}: every pair of corners, NaN-boxing`, () => runGroup(nonRoundingGroup(p)));
    it(`fcvt to and from w, wu, l, lu and between precisions (.${p}): integer limits under every mode`, () => runGroup(conversionGroup(p)));
  }
  it('flw, fld, fsw, fsd (compressed too), and fcsr, frm, fflags as CSRs', () => runGroup(stateGroup()));
});

// ---- reserved rounding modes --------------------------------------------------------

/** Each case runs one instruction with a reserved static rm or a reserved frm: SIGILL under qemu-user, an illegal instruction here. */
const ILLEGAL_CASES = [
  // In the middle of a block whose earlier instructions wrote registers: they must reach the hart.
  { what: 'fadd.s with rm 5', setup: ['li a1, 41', 'addi a1, a1, 1', 'fadd.s fa3, fa0, fa1'], insn: '.insn r 0x53, 5, 0, fa2, fa0, fa1' },
  { what: 'fmul.d with rm 6', setup: [], insn: '.insn r 0x53, 6, 9, fa2, fa0, fa1' },
  { what: 'fsqrt.d with frm 5', setup: ['fsrmi 5'], insn: 'fsqrt.d fa2, fa0' },
  { what: 'fcvt.w.s with frm 6', setup: ['fsrmi 6'], insn: 'fcvt.w.s a0, fa0' },
  { what: 'fmadd.s with frm 7', setup: ['fsrmi 7'], insn: 'fmadd.s fa3, fa0, fa1, fa2' },
] as const;

function illegalSource(): string {
  const p = new Program('frm-illegal', false, 0, true);
  ILLEGAL_CASES.forEach((_, i) => p.text(`li t0, ${i}`, `beq s0, t0, case_${i}`));
  p.text('j done');
  ILLEGAL_CASES.forEach((c, i) => p.text(`case_${i}:`, ...c.setup, `fault_${i}:`, c.insn, 'j done'));
  return p.source();
}

describe('riscv64 reserved rounding modes are illegal instructions (SIGILL under qemu-user, would-panic under hvisor)', () => {
  let built: Built | undefined;
  const image = (): Built => (built ??= buildSource('frmillegal', illegalSource()));
  after(() => built?.dispose());
  ILLEGAL_CASES.forEach((c, i) => {
    it(c.what, () => {
      const b = image();
      const q = runQemu(b.user, i);
      assert.equal(q.signal ?? `exit ${q.status}`, 'SIGILL', `qemu-riscv64 should raise SIGILL for ${c.what}`);
      const at = b.bareSyms.get(`fault_${i}`)!;
      for (const mode of MODES) {
        const { stop, engine } = runEngine(b.bare, mode, { caseIndex: i, maxInstructions: 10_000 });
        if (i === 0) assert.equal(engine.readRegister(0, 'a1'), 42n, `${mode}: the instructions before the illegal one completed`);
        assert.equal(stop.kind, 'panic', `${mode}: expected a would-panic stop, got ${JSON.stringify(stop)}`);
        const reason = stop.kind === 'panic' ? stop.reason : '';
        assert.match(reason, /scause 2 \(illegal instruction\)/, `${mode}: ${reason}`);
        assert.match(reason, new RegExp(`sepc 0x${at.toString(16)}\\b`), `${mode}: ${reason}`);
      }
    });
  });
});
