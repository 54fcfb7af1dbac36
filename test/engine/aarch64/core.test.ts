// The aarch64 core's exception model and interrupts on a QemuGicv3Board:
// exceptions taken to EL1 (SVC, BRK, UDF, FP trap, alignment and SP
// alignment faults, illegal exception return) with ESR/FAR/ELR/SPSR, ERET to
// EL0 and back, exits to EL2 (HVC, SMC with TSC, ICC_SGI1R with IMO,
// stage-2 data aborts with their instruction syndrome), a virtual IRQ taken
// through VBAR_EL1, the virtual timer firing at its exact instruction, and
// instruction counts that agree between blocks and single steps.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Aarch64Core } from '../../../engine/isa/aarch64/core';
import { cyclesForTicks } from '../../../engine/isa/aarch64/timebase';
import { bareMachine, buildSource, hex, type BareMachine } from './insn/oracle';

/**
 * A bare program: `body` runs at EL1h after the prologue sets VBAR_EL1 to a
 * vector table whose every entry leaves to EL2 with `hvc #(0x100 + slot)`,
 * slot = entry offset / 0x80; after the test returns to the guest the
 * handler skips the faulting instruction (`skip`) or not, and ERETs.
 */
function program(body: string[], handlerSkips = true): string {
  const entries: string[] = [];
  for (let slot = 0; slot < 16; slot++) {
    entries.push(`  .org ${slot * 0x80}`, `  hvc #${0x100 + slot}`);
    if (handlerSkips) entries.push('  mrs x29, elr_el1', '  add x29, x29, #4', '  msr elr_el1, x29');
    entries.push('  eret');
  }
  return [
    '  .text', '  .globl _start', '_start:',
    '  adr x0, vectors', '  msr vbar_el1, x0',
    '  mov x0, #(3 << 20)', '  msr cpacr_el1, x0',
    '  adr x0, stack_top', '  mov sp, x0',
    ...body.map((l) => (l.endsWith(':') ? l : `  ${l}`)),
    'done:', '  hvc #0xdead', '1: b 1b',
    '  .section .text.vectors, "ax"', '  .balign 2048', 'vectors:', ...entries,
    '  .data', '  .balign 64', 'cell:', '  .quad 0, 0, 0, 0',
    '  .bss', '  .balign 16', '  .space 4096', 'stack_top:', '',
  ].join('\n');
}

interface Built {
  readonly m: BareMachine;
  readonly sym: (name: string) => bigint;
  dispose(): void;
}

function build(name: string, source: string, setup?: (core: Aarch64Core) => void): Built {
  const b = buildSource(name, source);
  const m = bareMachine(b.bare);
  setup?.(m.core);
  return {
    m,
    sym: (n) => {
      const v = b.bareSyms.get(n);
      assert.ok(v !== undefined, `no symbol ${n}`);
      return v;
    },
    dispose: () => b.dispose(),
  };
}

/** Run until the next exit to EL2; returns its kind, ESR_EL2's EC/ISS and ELR_EL2. */
function nextExit(core: Aarch64Core, mode: 'run' | 'step' = 'run', max = 1_000_000) {
  const start = core.state.instret;
  while (!core.inHypervisor) {
    if (core.state.instret - start > max) assert.fail(`no exit to EL2 within ${max} instructions (pc ${hex(core.getPc())})`);
    if (mode === 'run') core.run(core.state.instret + max);
    else core.step();
  }
  const esr = core.readSysreg('esr_el2')!;
  return { esr, ec: Number(esr >> 26n), iss: Number(esr & 0x1ffffffn), elr: core.readSysreg('elr_el2')! };
}

const el1 = (core: Aarch64Core) => ({
  esr: core.readSysreg('esr_el1')!, elr: core.readSysreg('elr_el1')!, spsr: core.readSysreg('spsr_el1')!, far: core.readSysreg('far_el1')!,
});

/** Expect the vector entry `slot` (0x200 / 0x80 = 4: current EL with SP_ELx, synchronous). */
function expectVector(core: Aarch64Core, slot: number): void {
  const e = nextExit(core);
  assert.equal(e.ec, 0x16, `expected the vector's HVC, got EC 0x${e.ec.toString(16)}`);
  assert.equal(e.iss, 0x100 + slot, `vector slot: expected ${slot}, got ${e.iss - 0x100}`);
}

test('synchronous exceptions to EL1: SVC, BRK, UDF, FP trap, alignment, SP alignment', () => {
  const t = build('sync', program([
    'cmp x0, x0', 'svc_at:', 'svc #0x123',
    'brk_at:', 'brk #7',
    'udf_at:', 'udf #1',
    'msr cpacr_el1, xzr', 'isb', 'fp_at:', 'movi v0.2d, #0',
    'adr x9, cell', 'add x9, x9, #1', 'ldxr_at:', 'ldxr x1, [x9]',
    'stxr_at:', 'stxr w2, x1, [x9]',
    'mrs x0, sctlr_el1', 'orr x0, x0, #8', 'msr sctlr_el1, x0', 'sub sp, sp, #8', 'sp_at:', 'ldr x1, [sp]',
  ]));
  try {
    const core = t.m.core;
    // SVC: ELR is the next instruction; SPSR keeps NZCV (Z, C from cmp) and EL1h with DAIF masked.
    expectVector(core, 4);
    let r = el1(core);
    assert.equal(hex(r.esr), hex(0x56000123n));
    assert.equal(r.elr, t.sym('svc_at') + 4n);
    assert.equal(hex(r.spsr), hex(0x600003c5n));
    assert.equal(hex(core.getPstate()), hex(0x600003c5n), 'PSTATE at the vector: DAIF masked, EL1h');
    // The handler skips one more instruction than SVC needs: put ELR back.
    core.returnToGuest();
    core.run(core.state.instret + 3);
    core.writeSysreg('elr_el1', t.sym('brk_at'));
    expectVector(core, 4);
    r = el1(core);
    assert.equal(hex(r.esr), hex(0xf2000007n), 'BRK: EC 0x3c, IL, imm16');
    assert.equal(r.elr, t.sym('brk_at'));
    core.returnToGuest();
    expectVector(core, 4);
    r = el1(core);
    assert.equal(hex(r.esr), hex(0x02000000n), 'UDF: EC 0 with IL');
    assert.equal(r.elr, t.sym('udf_at'));
    core.returnToGuest();
    expectVector(core, 4);
    r = el1(core);
    assert.equal(hex(r.esr), hex(0x1fe00000n), 'FP access trap: EC 0x07, CV/COND');
    assert.equal(r.elr, t.sym('fp_at'));
    core.writeSysreg('cpacr_el1', 3n << 20n);
    core.returnToGuest();
    expectVector(core, 4);
    r = el1(core);
    const cell = t.sym('cell');
    assert.equal(hex(r.esr), hex(0x96000021n), 'unaligned LDXR: data abort, same EL, alignment fault, ISV = 0');
    assert.equal(r.far, cell + 1n);
    assert.equal(r.elr, t.sym('ldxr_at'));
    core.returnToGuest();
    expectVector(core, 4);
    r = el1(core);
    assert.equal(hex(r.esr), hex(0x96000061n), 'unaligned STXR: WnR');
    assert.equal(r.elr, t.sym('stxr_at'));
    core.returnToGuest();
    expectVector(core, 4);
    r = el1(core);
    assert.equal(hex(r.esr), hex(0x9a000000n), 'SP alignment fault (SCTLR_EL1.SA)');
    assert.equal(r.elr, t.sym('sp_at'));
    core.returnToGuest();
    assert.equal(nextExit(core).iss, 0xdead);
  } finally {
    t.dispose();
  }
});

test('ERET to EL0 and back through the lower-EL vector; illegal exception return', () => {
  const t = build('eret', program([
    'adr x0, el0_code', 'msr elr_el1, x0', 'msr spsr_el1, xzr', 'adr x0, stack_top', 'msr sp_el0, x0', 'eret',
    'el0_code:', 'mov x5, #42', 'el0_svc:', 'svc #5', 'el0_after:', 'mrs x6, tpidr_el0', 'el0_bad:', 'mrs x6, sctlr_el1', 'nop', 'b .',
  ], false));
  try {
    const core = t.m.core;
    // SVC from EL0: vector 0x400 (slot 8), SPSR = EL0t.
    expectVector(core, 8);
    let r = el1(core);
    assert.equal(hex(r.esr), hex(0x56000005n));
    assert.equal(r.elr, t.sym('el0_after'));
    assert.equal(hex(r.spsr & 0x3ffn), '0x0', 'SPSR: EL0t');
    assert.equal(core.getX(5), 42n);
    core.returnToGuest();
    // Back at EL0: MRS of an EL1 register is UNDEFINED (EC 0) through the lower-EL vector.
    expectVector(core, 8);
    r = el1(core);
    assert.equal(hex(r.esr), hex(0x02000000n));
    assert.equal(r.elr, t.sym('el0_bad'));
    // An illegal return (SPSR names EL2h): PSTATE.IL, then an Illegal Execution State exception (EC 0x0e) at ELR.
    core.writeSysreg('spsr_el1', 0x3c9n);
    core.writeSysreg('elr_el1', t.sym('el0_bad') + 4n);
    core.returnToGuest();
    expectVector(core, 4);
    r = el1(core);
    assert.equal(hex(r.esr), hex(0x3a000000n), 'illegal execution state');
    assert.equal(r.elr, t.sym('el0_bad') + 4n);
    assert.equal((r.spsr >> 20n) & 1n, 1n, 'SPSR_EL1.IL');
  } finally {
    t.dispose();
  }
});

test('exits to EL2: HVC, SMC with HCR_EL2.TSC, MSR ICC_SGI1R_EL1 with IMO', () => {
  const t = build('el2', program([
    'mov x0, #7', 'hvc_at:', 'hvc #0x4856', 'smc_at:', 'smc #0', 'mov x5, #1', 'sgi_at:', 'msr icc_sgi1r_el1, x5',
  ]), (core) => core.writeSysreg('hcr_el2', (1n << 31n) | (1n << 19n) | (1n << 4n) | (1n << 3n)));
  try {
    const core = t.m.core;
    let e = nextExit(core);
    assert.equal(hex(e.esr), hex(0x5a004856n), 'HVC: EC 0x16, ISS = imm16');
    assert.equal(e.elr, t.sym('hvc_at') + 4n, 'ELR_EL2: the next instruction');
    assert.equal(core.getX(0), 7n);
    assert.equal(hex(core.readSysreg('spsr_el2')!), hex(0x3c5n));
    core.returnToGuest();
    e = nextExit(core);
    assert.equal(hex(e.esr), hex(0x5e000000n), 'SMC: EC 0x17');
    assert.equal(e.elr, t.sym('smc_at'), 'ELR_EL2: the SMC itself');
    core.writeSysreg('elr_el2', e.elr + 4n);
    core.returnToGuest();
    e = nextExit(core);
    assert.equal(e.ec, 0x18, 'ICC_SGI1R_EL1 write traps (EC 0x18)');
    // Op0 3, Op2 5, Op1 0, CRn 12, Rt 5, CRm 11, write.
    assert.equal(hex(BigInt(e.iss)), hex(BigInt((3 << 20) | (5 << 17) | (12 << 10) | (5 << 5) | (11 << 1))));
    assert.equal(e.elr, t.sym('sgi_at'));
  } finally {
    t.dispose();
  }
});

test('stage-2 data aborts: ISV with SAS/SSE/SRT/SF/WnR, ISV = 0 for pairs; HPFAR_EL2 and FAR_EL2', () => {
  const t = build('stage2', program([
    'movz x9, #0x0900, lsl #16', 'mov w5, #0x41', 'str_at:', 'str w5, [x9]', 'ldrsh_at:', 'ldrsh x7, [x9, #4]', 'ldp_at:', 'ldp x1, x2, [x9, #16]',
  ]), (core) => {
    // A 39-bit IPA space starting at level 1: one 1 GiB block maps DRAM (IPA = PA), the device range is unmapped.
    const table = 0x40f00000;
    const mem = core.state.memory;
    mem.write(table + 8, 8, 0x40000000n | (0xfn << 2n) | (3n << 6n) | (1n << 10n) | 1n);
    core.writeSysreg('vtcr_el2', 25n | (1n << 6n) | (5n << 16n));
    core.writeSysreg('vttbr_el2', BigInt(table));
    core.writeSysreg('hcr_el2', (1n << 31n) | 1n);
  });
  try {
    const core = t.m.core;
    let e = nextExit(core);
    // Translation fault, level 1; ISV, SAS = word, SRT = 5, WnR.
    assert.equal(hex(e.esr), hex(0x92000000n | (1n << 24n) | (2n << 22n) | (5n << 16n) | (1n << 6n) | 5n));
    assert.equal(e.elr, t.sym('str_at'));
    assert.equal(hex(core.readSysreg('far_el2')!), '0x9000000');
    assert.equal(hex(core.readSysreg('hpfar_el2')!), hex((0x09000000n >> 12n) << 4n));
    core.writeSysreg('elr_el2', e.elr + 4n);
    core.returnToGuest();
    e = nextExit(core);
    assert.equal(hex(e.esr), hex(0x92000000n | (1n << 24n) | (1n << 22n) | (1n << 21n) | (7n << 16n) | (1n << 15n) | 5n), 'LDRSH x: SSE, SF');
    assert.equal(hex(core.readSysreg('far_el2')!), '0x9000004');
    core.writeSysreg('elr_el2', e.elr + 4n);
    core.returnToGuest();
    e = nextExit(core);
    assert.equal(hex(e.esr), hex(0x92000005n), 'LDP: no instruction syndrome');
    assert.equal(e.elr, t.sym('ldp_at'));
  } finally {
    t.dispose();
  }
});

/** Enable the GIC for CPU 0: distributor Group 1, redistributor awake, PPI `intid` enabled; EL2's physical interface open. */
function enableGic(m: BareMachine, intid: number): void {
  const mem = m.board.memory;
  mem.write(0x08000000, 4, 0x12n); // GICD_CTLR: EnableGrp1NS | ARE
  mem.write(0x080a0000 + 0x14, 4, 0n); // GICR_WAKER: awake
  mem.write(0x080a0000 + 0x10000 + 0x100, 4, BigInt(1 << intid)); // GICR_ISENABLER0
  m.core.writeSysreg('icc_pmr_el1', 0xf0n);
  m.core.writeSysreg('icc_igrpen1_el1', 1n);
}

test('a virtual IRQ from a list register is taken through VBAR_EL1 + 0x280', () => {
  const t = build('virq', program([
    'msr daifclr, #2', 'spin:', 'add x1, x1, #1', 'b spin',
  ], false), (core) => {
    core.writeSysreg('hcr_el2', (1n << 31n) | (1n << 4n) | (1n << 3n));
    core.writeSysreg('ich_vmcr_el2', (0xffn << 24n) | 2n);
    core.writeSysreg('ich_hcr_el2', 1n);
  });
  try {
    const core = t.m.core;
    core.run(core.state.instret + 20);
    assert.equal(core.inHypervisor, false);
    // Inject vINTID 44, Group 1, pending, priority 0xa0.
    core.writeSysreg('ich_lr0_el2', 44n | (1n << 60n) | (1n << 62n) | (0xa0n << 48n));
    expectVector(core, 5);
    const r = el1(core);
    assert.ok(r.elr >= t.sym('spin') && r.elr <= t.sym('spin') + 4n, `ELR_EL1 ${hex(r.elr)} inside the spin loop`);
    // The guest's ICC_IAR1_EL1 reaches the virtual interface.
    core.returnToGuest();
    const readIar = build('iar', program(['mrs x3, icc_iar1_el1', 'msr icc_eoir1_el1, x3']), (c) => {
      c.writeSysreg('hcr_el2', (1n << 31n) | (1n << 4n));
      c.writeSysreg('ich_vmcr_el2', (0xffn << 24n) | 2n);
      c.writeSysreg('ich_hcr_el2', 1n);
      c.writeSysreg('ich_lr0_el2', 44n | (1n << 60n) | (1n << 62n) | (0xa0n << 48n));
    });
    try {
      const c = readIar.m.core;
      assert.equal(nextExit(c).iss, 0xdead);
      assert.equal(c.getX(3), 44n);
      assert.equal(c.readSysreg('ich_lr0_el2')! >> 62n, 0n, 'EOI deactivated the list register');
    } finally {
      readIar.dispose();
    }
  } finally {
    t.dispose();
  }
});

test('the virtual timer fires through the GIC as a physical IRQ exit at its exact instruction, also from WFI', () => {
  for (const mode of ['run', 'step'] as const) {
    const t = build('vtimer', program([
      'mov x0, #1000', 'msr cntv_tval_el0, x0', 'mov x0, #1', 'msr cntv_ctl_el0, x0', 'spin:', 'add x1, x1, #1', 'b spin',
    ]), (core) => core.writeSysreg('hcr_el2', (1n << 31n) | (1n << 4n) | (1n << 3n)));
    try {
      const core = t.m.core;
      enableGic(t.m, 27);
      const exit = (() => {
        nextExit(core, mode);
        return core.readSysreg('elr_el2')!;
      })();
      const cval = core.readSysreg('cntv_cval_el0')!;
      assert.equal(core.state.instret, cyclesForTicks(Number(cval)), `${mode}: the exit happens at the first instruction count whose time reaches CVAL`);
      assert.ok(exit >= t.sym('spin'));
      assert.equal(core.readSysreg('icc_iar1_el1'), 27n, 'the physical interface has the virtual timer PPI');
    } finally {
      t.dispose();
    }
  }
  const t = build('vtimer-wfi', program(['mov x0, #500', 'msr cntv_tval_el0, x0', 'mov x0, #1', 'msr cntv_ctl_el0, x0', 'wfi_at:', 'wfi', 'b .']),
    (core) => core.writeSysreg('hcr_el2', (1n << 31n) | (1n << 4n) | (1n << 3n)));
  try {
    const core = t.m.core;
    enableGic(t.m, 27);
    assert.equal(core.run(1_000_000), 'wfi');
    const wait = core.nextTimerCycle - core.state.cycles;
    assert.ok(wait > 0 && wait < 1000, `sleep ${wait} cycles until the deadline`);
    core.sleep(wait - 1);
    assert.equal(core.wakeCheck(), false, 'one cycle early it still sleeps');
    core.sleep(1);
    assert.equal(core.wakeCheck(), true);
    assert.equal(core.inHypervisor, true, 'the IRQ leaves to EL2');
    assert.equal(core.readSysreg('elr_el2'), t.sym('wfi_at') + 4n, 'ELR_EL2: after the WFI');
  } finally {
    t.dispose();
  }
});

test('instruction counts: blocks, steps and chunks agree exactly', () => {
  const body = ['mov x1, #100', 'loop:', 'subs x1, x1, #1', 'b.ne loop', 'mov x2, #3', 'inner:', 'add x3, x3, x2', 'sub x2, x2, #1', 'cbnz x2, inner'];
  const counts: number[] = [];
  for (const mode of ['run', 'step', 'chunk'] as const) {
    const t = build(`count-${mode}`, program(body));
    try {
      const core = t.m.core;
      const start = core.state.instret;
      while (!core.inHypervisor) {
        if (mode === 'run') core.run(10_000);
        else if (mode === 'step') core.step();
        else core.run(core.state.instret + 7);
      }
      // Prologue 6, mov 1, loop 200, mov 1, inner 9, and the final HVC (it completes: ELR is the next instruction).
      counts.push(core.state.instret - start);
      assert.equal(core.readSysreg('esr_el2')! & 0xffffn, 0xdeadn);
    } finally {
      t.dispose();
    }
  }
  assert.deepEqual(counts, [218, 218, 218]);
});

test('every kind of FP instruction traps while CPACR_EL1.FPEN disables FP, before it writes anything', () => {
  const insns = [
    'fmov d0, x1', 'fmov x2, d1', 'fadd d0, d1, d2', 'fmadd s0, s1, s2, s3', 'fcmp s1, s2', 'fccmp d1, d2, #3, ne', 'fcsel d0, d1, d2, eq',
    'fcvtzs w3, d1', 'scvtf s0, x4', 'fcvt h0, d1', 'fmov s0, #2.0', 'fadd v0.4s, v1.4s, v2.4s', 'fmla v0.2d, v1.2d, v2.d[1]',
    'faddp s0, v1.2s', 'fmaxv s0, v1.4s', 'fcvtl v0.2d, v1.2s', 'fcvtzs v0.4s, v1.4s, #3', 'fmov v0.4s, #1.0', 'fmov x5, v1.d[1]',
    'mrs x6, fpsr', 'msr fpcr, x7',
  ];
  const t = build('fp-trap', program([
    'mov x1, #0x77', 'fmov d0, x1', 'mov x2, #0x22', 'mov x3, #0x33', 'mov x5, #0x55', 'mov x6, #0x66', 'mov x7, #-1', 'cmp x0, x0',
    'msr cpacr_el1, xzr', 'isb', ...insns.flatMap((s, i) => [`fp${i}:`, s]),
  ]));
  try {
    const core = t.m.core;
    for (const [i, s] of insns.entries()) {
      expectVector(core, 4);
      const r = el1(core);
      assert.equal(hex(r.esr), hex(0x1fe00000n), `${s}: FP access trap, EC 0x07`);
      assert.equal(r.elr, t.sym(`fp${i}`), s);
      core.returnToGuest();
    }
    assert.equal(nextExit(core).iss, 0xdead);
    assert.deepEqual([2, 3, 5, 6].map((r) => hex(core.getX(r))), ['0x22', '0x33', '0x55', '0x66']);
    assert.deepEqual([...core.state.v.slice(0, 4)], [0x77, 0, 0, 0], 'v0 as fmov d0, x1 left it');
    assert.equal(core.readSysreg('fpcr'), 0n);
    assert.equal(hex(core.getPstate() & 0xf0000000n), hex(0x60000000n), 'NZCV as cmp left them');
  } finally {
    t.dispose();
  }
});
