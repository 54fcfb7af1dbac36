// The A extension against qemu-riscv64: every AMO (.w and .d) on corner
// values, checking rd and the memory dword around the word; LR/SC success
// and the failures the ISA requires; misaligned AMO/LR trapping (SIGBUS under
// qemu-user, a would-panic stop under the hvisor model, where cause 4/6 is not
// delegated). Then engine-only: reservations across two harts, driven one
// instruction (or one block) at a time with stepCpu.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../../../engine/api';
import { Lcg, MODES, Program, buildSource, hex, launch, readDwords, runEngine, runGroup, runQemu, type Built } from './oracle';

const AMOS = ['amoswap', 'amoadd', 'amoxor', 'amoand', 'amoor', 'amomin', 'amomax', 'amominu', 'amomaxu'] as const;

function amoGroup(): Program {
  const p = new Program('amo', false);
  const rng = new Lcg(0x5eed_0005n);
  p.data('amobuf:', '  .dword 0, 0, 0, 0');
  p.text('lla s8, amobuf', 'addi s9, s8, 4', 'addi s10, s8, 8');

  // An SC before any LR has no reservation to use.
  p.li('a4', 0x1234n);
  p.text('sc.d a3, a4, (s8)');
  p.save('a3', 'sc.d with no LR ever executed: rd (nonzero = failed)');
  p.text('ld a2, 0(s8)');
  p.save('a2', 'sc.d with no LR ever executed: memory unchanged');

  const values = [0n, 1n, -1n, -(1n << 63n), (1n << 63n) - 1n, 0x80000000n, 0x7fffffffn, 0xffffffffn, 0x100000000n, 0x123456789abcdef0n, -2n, rng.next(), rng.shaped()];
  let k = 0;
  for (const mem of values) {
    for (const src of values) {
      p.li('a0', mem);
      p.li('a1', src);
      for (const width of ['w', 'd'] as const) {
        // .w alternates between the low and the high word of the dword.
        const high = width === 'w' && k++ % 2 === 1;
        const at = high ? 's9' : 's8';
        const where = width === 'd' ? 'dword' : high ? 'high word' : 'low word';
        for (const op of AMOS) {
          p.text('sd a0, 0(s8)', `${op}.${width} a2, a1, (${at})`, 'ld a3, 0(s8)');
          const what = `${op}.${width} on the ${where} of ${hex(mem)}, rs2=${hex(src)}`;
          p.save('a2', `${what}: rd`);
          p.save('a3', `${what}: memory dword after`);
        }
      }
    }
  }
  // Register aliasing and x0, with ordering bits.
  p.li('a0', 0x8000000000000005n);
  p.li('a1', -7n);
  for (const op of ['amoadd.d', 'amoswap.w.aq', 'amomin.d.rl', 'amomaxu.w.aqrl', 'amoxor.d.aqrl']) {
    p.text('sd a0, 0(s8)', 'mv a2, a1', `${op} a2, a2, (s8)`, 'ld a3, 0(s8)');
    p.save('a2', `${op} rd=rs2: rd`);
    p.save('a3', `${op} rd=rs2: memory`);
    p.text('sd a0, 0(s8)', `${op} zero, a1, (s8)`, 'ld a3, 0(s8)');
    p.save('zero', `${op} rd=x0: x0 stays 0`);
    p.save('a3', `${op} rd=x0: memory`);
    p.text('sd a0, 0(s8)', 'mv t0, s8', `${op} t0, a1, (t0)`, 'ld a3, 0(s8)');
    p.save('t0', `${op} rd=rs1: rd`);
    p.save('a3', `${op} rd=rs1: memory`);
  }

  // LR/SC.
  const mem = 0x0123456789abcdefn;
  const reset = (): void => {
    p.li('a0', mem);
    p.text('sd a0, 0(s8)', 'sd a0, 8(s8)');
  };
  const memAfter = (what: string): void => {
    p.text('ld a2, 0(s8)');
    p.save('a2', `${what}: dword 0 after`);
    p.text('ld a2, 8(s8)');
    p.save('a2', `${what}: dword 8 after`);
  };
  for (const w of ['d', 'w'] as const) {
    reset();
    p.li('a4', 0xfeedface12345678n);
    p.li('a5', 0x0badc0de87654321n);
    p.text(`lr.${w} a2, (s8)`, `sc.${w} a3, a4, (s8)`);
    p.save('a2', `lr.${w} value`);
    p.save('a3', `lr.${w}; sc.${w} same address: rd (0 = success)`);
    memAfter(`lr.${w}; sc.${w} success`);
    p.text(`sc.${w} a3, a5, (s8)`);
    p.save('a3', `second sc.${w} after a successful one: rd`);
    memAfter(`second sc.${w}`);

    reset();
    p.text(`lr.${w} a2, (s8)`, `sc.${w} a3, a4, (s10)`);
    p.save('a3', `lr.${w} (s8); sc.${w} (s8+8): rd`);
    memAfter(`sc.${w} to another address than the LR`);
    p.text(`sc.${w} a3, a4, (s8)`);
    p.save('a3', `sc.${w} to the LR address after an SC that failed: rd`);
    memAfter(`sc.${w} after a failed SC`);

    reset();
    p.text(`lr.${w} a2, (s8)`, `lr.${w} a2, (s10)`, `sc.${w} a3, a4, (s8)`);
    p.save('a3', `lr.${w} A; lr.${w} B; sc.${w} A: rd`);
    p.text(`sc.${w} a3, a4, (s10)`);
    p.save('a3', `... then sc.${w} B: rd`);
    memAfter(`lr.${w} A; lr.${w} B; sc.${w} A; sc.${w} B`);

    reset();
    p.text(`lr.${w}.aq a2, (s8)`, `lr.${w}.aqrl a2, (s8)`, `sc.${w}.rl zero, a5, (s8)`);
    p.save('zero', `lr.${w}.aq; lr.${w}.aqrl; sc.${w}.rl x0: x0 stays 0`);
    memAfter(`lr.${w}.aq; lr.${w}.aqrl; sc.${w}.rl x0`);
  }
  // SC with rd = rs2 and rd = rs1; LR with rd = rs1.
  reset();
  p.text('lr.d a2, (s8)', 'mv a3, a4', 'sc.d a3, a3, (s8)');
  p.save('a3', 'lr.d; sc.d rd=rs2: rd');
  memAfter('lr.d; sc.d rd=rs2');
  p.text('mv t0, s8', 'lr.d t0, (t0)');
  p.save('t0', 'lr.d rd=rs1: rd');
  p.text('mv t0, s8', 'lr.d a2, (t0)', 'sc.d t0, a5, (t0)');
  p.save('t0', 'lr.d; sc.d rd=rs1: rd');
  memAfter('lr.d; sc.d rd=rs1');
  // lr.w sign-extends; sc.w stores the low word only; the high word takes its own LR/SC.
  for (const v of [0x80000000n, 0x7fffffffn, 0xffffffff00000001n]) {
    p.li('a0', v);
    p.text('sd a0, 0(s8)', 'lr.w a2, (s8)', 'lr.w a3, (s9)');
    p.save('a2', `lr.w low word of ${hex(v)}`);
    p.save('a3', `lr.w high word of ${hex(v)}`);
    p.text('sc.w a3, a5, (s9)');
    p.save('a3', 'sc.w high word: rd');
    memAfter(`sc.w ${hex(0x0badc0de87654321n)} to the high word of ${hex(v)}`);
  }
  return p;
}

// ---- misaligned atomics --------------------------------------------------------------

interface TrapCase {
  readonly setup: string[];
  readonly insn: string;
  /** The misaligned address, as an offset from tbuf (the trap's stval). */
  readonly offset: number;
  /** scause the hvisor model reports. */
  readonly cause: 4 | 6;
  /** qemu-user checks SC alignment only with a matching reservation: no oracle then. */
  readonly qemuTraps: boolean;
}

const TRAP_CASES: readonly TrapCase[] = [
  { setup: ['addi t0, s8, 2'], offset: 2, insn: 'amoadd.w a2, a1, (t0)', cause: 6, qemuTraps: true },
  { setup: ['addi t0, s8, 4'], offset: 4, insn: 'amoswap.d a2, a1, (t0)', cause: 6, qemuTraps: true },
  { setup: ['addi t0, s8, 1'], offset: 1, insn: 'amomaxu.d a2, a1, (t0)', cause: 6, qemuTraps: true },
  { setup: ['addi t0, s8, 3'], offset: 3, insn: 'amoor.w zero, a1, (t0)', cause: 6, qemuTraps: true },
  { setup: ['addi t0, s8, 2'], offset: 2, insn: 'lr.w a2, (t0)', cause: 4, qemuTraps: true },
  { setup: ['addi t0, s8, 4'], offset: 4, insn: 'lr.d a2, (t0)', cause: 4, qemuTraps: true },
  { setup: ['lr.d a2, (s8)', 'addi t0, s8, 4'], offset: 4, insn: 'sc.d a3, a1, (t0)', cause: 6, qemuTraps: false },
];
const TRAP_MEMORY = [0x0123456789abcdefn, 0xfedcba9876543210n];

function trapSource(): string {
  const p = new Program('amotrap', false);
  p.data('tbuf:', ...TRAP_MEMORY.map((v) => `  .dword ${hex(v)}`));
  p.text('lla s8, tbuf', 'li a1, 0x1111');
  TRAP_CASES.forEach((_, i) => p.text(`li t1, ${i}`, `beq s0, t1, case_${i}`));
  p.text('j done');
  TRAP_CASES.forEach((c, i) => p.text(`case_${i}:`, ...c.setup, `fault_${i}:`, c.insn, 'j done'));
  return p.source();
}

// ---- two harts -------------------------------------------------------------------------

/**
 * Hart 0 takes a reservation, stops at h0_<x>, hart 1 does something, hart 0
 * runs its SC to h0_<x>_done. `j` before each stop label ends a block there,
 * so stepping by whole counts can run translated blocks.
 */
interface Scenario {
  readonly id: string;
  readonly hart1: readonly string[];
  readonly w: 'w' | 'd';
  readonly value: number;
  /** Whether hart 0's SC must fail. */
  readonly breaks: boolean;
  /** Hart 1 stores, but leaves the bytes as they were. */
  readonly same?: boolean;
  readonly what: string;
}

const SCENARIOS: readonly Scenario[] = [
  { id: 'a', hart1: ['sd t0, 0(s8)'], w: 'd', value: 111, breaks: true, what: "hart 1's sd to the reserved dword" },
  { id: 'b', hart1: ['sd t0, 0(s9)'], w: 'd', value: 222, breaks: false, what: "hart 1's sd to another page" },
  { id: 'c', hart1: ['li t1, 0x5a', 'sb t1, 3(s8)'], w: 'd', value: 333, breaks: true, what: "hart 1's sb into the reserved dword" },
  { id: 'd', hart1: ['li t1, 1000', 'amoadd.d zero, t1, (s8)'], w: 'd', value: 444, breaks: true, what: "hart 1's amoadd.d on the reserved dword" },
  { id: 'e', hart1: ['lr.d t2, (s8)', 'addi t2, t2, 1', 'sc.d t3, t2, (s8)'], w: 'd', value: 555, breaks: true, what: "hart 1's own successful lr.d/sc.d" },
  { id: 'f', hart1: ['ld t4, 0(s8)', 'lr.d t5, (s8)'], w: 'w', value: 666, breaks: false, what: "hart 1's ld and lr.d (loads only)" },
  { id: 'g', hart1: ['ld t1, 0(s8)', 'sd t1, 0(s8)'], w: 'd', value: 777, breaks: true, same: true, what: "hart 1's sd of the value already there" },
  { id: 'h', hart1: ['sc.d t3, t0, (s8)'], w: 'd', value: 888, breaks: false, what: "hart 1's sc.d without a reservation (fails, stores nothing)" },
  { id: 'i', hart1: ['li t1, -1', 'sd t1, -4(s8)'], w: 'd', value: 999, breaks: true, what: "hart 1's misaligned sd that crosses into the reserved dword from the page before" },
  { id: 'k', hart1: ['amoswap.d zero, t0, (s9)'], w: 'w', value: 1111, breaks: false, what: "hart 1's amoswap.d on another page" },
];

function twoHartSource(): string {
  const lines = [
    '  .option norelax', '  .option norvc', '  .text', '  .globl _start', '_start:',
    '  lla s8, resv', '  lla s9, far',
    '  li a7, 0x48534d', '  li a6, 0', '  li a0, 1', '  lla a1, hart1', '  li a2, 0', '  ecall',
    '  mv s7, a0',
  ];
  for (const s of SCENARIOS) {
    lines.push(`  li t1, ${s.value}`, `  lr.${s.w} t0, (s8)`, `  j h0_${s.id}`, `h0_${s.id}:`, `  sc.${s.w} a3, t1, (s8)`, `  j h0_${s.id}_done`, `h0_${s.id}_done:`);
  }
  lines.push('  li a7, 0x53525354', '  li a6, 0', '  li a0, 0', '  li a1, 0', '  ecall', '1: j 1b');
  lines.push('hart1:', '  lla s8, resv', '  lla s9, far', '  li t0, 0x77', '  j h1_start', 'h1_start:');
  for (const s of SCENARIOS) lines.push(...s.hart1.map((l) => `  ${l}`), `  j h1_${s.id}`, `h1_${s.id}:`);
  lines.push('2: j 2b', '  .data', '  .balign 4096', 'before_resv: .space 4096', 'resv: .dword 0, 0', '  .balign 4096', 'far: .dword 0', '');
  return lines.join('\n');
}

function reg(engine: Engine, cpu: number, name: string): bigint {
  const r = engine.registers(cpu).find((x) => x.name === name);
  assert.ok(r, `no register ${name}`);
  return r.value;
}

/** Step `cpu` one instruction at a time until its pc is `target`; returns the instructions taken. */
function stepTo(engine: Engine, cpu: number, target: bigint, limit = 10_000): number {
  const start = engine.instructionCount(cpu);
  for (let i = 0; i < limit && engine.cpu(cpu).pc !== target; i++) {
    const stop = engine.stepCpu(cpu, 1);
    assert.equal(stop.kind, 'step', `CPU ${cpu}: stepping stopped: ${JSON.stringify(stop)}`);
  }
  assert.equal(engine.cpu(cpu).pc, target, `CPU ${cpu} did not reach ${hex(target)} in ${limit} steps (pc ${hex(engine.cpu(cpu).pc)})`);
  return engine.instructionCount(cpu) - start;
}

/** Step `cpu` by whole counts (translated blocks where they fit) until `count` more instructions are retired. */
function stepCount(engine: Engine, cpu: number, count: number, target: bigint): void {
  const end = engine.instructionCount(cpu) + count;
  for (let i = 0; i < 100 && engine.instructionCount(cpu) < end; i++) {
    const stop = engine.stepCpu(cpu, end - engine.instructionCount(cpu));
    assert.equal(stop.kind, 'step', `CPU ${cpu}: stepping stopped: ${JSON.stringify(stop)}`);
  }
  assert.equal(engine.cpu(cpu).pc, target, `CPU ${cpu}: after ${count} instructions pc is ${hex(engine.cpu(cpu).pc)}, expected ${hex(target)}`);
}

describe('riscv64 atomics against qemu-riscv64', () => {
  it('every AMO (.w and .d) on corner values; LR/SC success and failures', () => {
    runGroup(amoGroup());
  });

  describe('misaligned AMO and LR/SC trap (SIGBUS under qemu-user, would-panic under hvisor)', () => {
    let built: Built | undefined;
    const image = (): Built => (built ??= buildSource('amotrap', trapSource()));
    TRAP_CASES.forEach((c, i) => {
      it(`${c.insn} at a misaligned address (${c.setup.join('; ')})`, () => {
        const b = image();
        if (c.qemuTraps) {
          const q = runQemu(b.user, i);
          assert.equal(q.signal ?? `exit ${q.status}`, 'SIGBUS', `qemu-riscv64 should raise SIGBUS for ${c.insn}`);
        }
        const fault = b.bareSyms.get(`fault_${i}`);
        const buf = b.bareSyms.get('tbuf');
        assert.ok(fault !== undefined && buf !== undefined);
        for (const mode of MODES) {
          let r: ReturnType<typeof runEngine> | undefined;
          assert.doesNotThrow(() => (r = runEngine(b.bare, mode, { caseIndex: i, maxInstructions: 10_000 })), `${mode}: run threw`);
          const { stop, engine } = r!;
          assert.equal(stop.kind, 'panic', `${mode}: expected a would-panic stop, got ${JSON.stringify(stop)}`);
          const reason = stop.kind === 'panic' ? stop.reason : '';
          assert.match(reason, new RegExp(`scause ${c.cause} \\(${c.cause === 4 ? 'load' : 'store/AMO'} address misaligned\\)`), `${mode}: ${reason}`);
          assert.match(reason, new RegExp(`sepc 0x${fault.toString(16)}\\b`), `${mode}: sepc should be the faulting instruction: ${reason}`);
          assert.match(reason, new RegExp(`stval 0x${(buf + BigInt(c.offset)).toString(16)}\\b`), `${mode}: stval should be the misaligned address: ${reason}`);
          assert.deepEqual(readDwords(engine, buf, 2), TRAP_MEMORY, `${mode}: memory must be untouched by the trapping access`);
        }
      });
    });
    after(() => built?.dispose());
  });
});

describe('riscv64 reservations across two harts (engine only)', () => {
  let built: Built | undefined;
  const image = (): Built => (built ??= buildSource('twohart', twoHartSource()));
  const sym = (name: string): bigint => {
    const v = image().bareSyms.get(name);
    assert.ok(v !== undefined, `no symbol ${name}`);
    return v;
  };

  /** Run every scenario; `go` moves a CPU from where it is to a label. */
  function scenarios(go: (engine: Engine, cpu: number, label: string) => void): void {
    const { engine } = launch(image().bare, { cpus: 2 });
    const resv = sym('resv');
    go(engine, 0, 'h0_a');
    assert.equal(reg(engine, 0, 's7'), 0n, 'HSM hart_start of hart 1 should succeed');
    go(engine, 1, 'h1_start');
    for (const s of SCENARIOS) {
      if (s.id !== 'a') go(engine, 0, `h0_${s.id}`);
      const before = readDwords(engine, resv, 2);
      go(engine, 1, `h1_${s.id}`);
      const afterHart1 = readDwords(engine, resv, 2);
      go(engine, 0, `h0_${s.id}_done`);
      const rd = reg(engine, 0, 'a3');
      const mem = readDwords(engine, resv, 2);
      const ctx = `${s.what} between hart 0's lr.${s.w} and sc.${s.w}`;
      if (s.breaks) {
        assert.notEqual(rd, 0n, `${ctx}: hart 0's sc.${s.w} should fail`);
        assert.deepEqual(mem, afterHart1, `${ctx}: the failed sc.${s.w} must not write`);
        if (s.same) assert.deepEqual(afterHart1, before, `${ctx}: hart 1 should have left the bytes as they were`);
        else assert.notDeepEqual(afterHart1, before, `${ctx}: hart 1 should have changed the dword`);
      } else {
        assert.equal(rd, 0n, `${ctx}: hart 0's sc.${s.w} should succeed`);
        const low = s.w === 'd' ? BigInt(s.value) : (afterHart1[0]! & 0xffffffff00000000n) | BigInt(s.value);
        assert.deepEqual(mem, [low, afterHart1[1]], `${ctx}: the sc.${s.w} should store ${s.value}`);
      }
      if (s.id === 'e') assert.equal(reg(engine, 1, 't3'), 0n, "hart 1's own lr.d/sc.d should succeed");
      if (s.id === 'h') assert.notEqual(reg(engine, 1, 't3'), 0n, "hart 1's sc.d without a reservation should fail");
    }
    const end = engine.run({ maxInstructions: engine.totalInstructions() + 100, cpus: new Set([0]) });
    assert.equal(end.kind, 'poweroff', `hart 0 should power off: ${JSON.stringify(end)}`);
  }

  const counts = new Map<string, number>();
  it('single steps (interpreter)', () => {
    scenarios((engine, cpu, label) => counts.set(`${cpu}:${label}`, stepTo(engine, cpu, sym(label))));
  });
  it('whole-count steps (translated blocks), same outcome', () => {
    assert.ok(counts.size > 0, 'the single-step test must run first');
    scenarios((engine, cpu, label) => stepCount(engine, cpu, counts.get(`${cpu}:${label}`)!, sym(label)));
  });
  after(() => built?.dispose());
});
