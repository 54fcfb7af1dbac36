// The SBI as hvisor emulates it for VS-mode guests (reference §2.2.2), at
// register level: the root guest (test/fixtures/hv/sbi.S) makes every call
// and the test stops right after each ecall to read a0/a1. Extensions above
// 0xF return a0 = error and a1 = value; legacy ones (0x0-0xF) write a0 only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Riscv64Core } from '../../../../engine/isa/riscv64/core';
import { fixture, launchGuests, reg, ret, runTo, SBI, traceText, u64, u64At, type Guest } from './harness';

const SENTINEL = 0x5a5a5a5an;
const OPAQUE = 0x1234abcdn;
const EIDS = { BASE: 0x10n, TIME: 0x54494d45n, HSM: 0x48534dn, IPI: 0x735049n, RFENCE: 0x52464e43n, HVISOR: 0x114514n, SRST: 0x53525354n } as const;

/** Run CPU 0 (with every CPU running) to `label` and return its a0/a1. */
function after(g: Guest, label: string): [bigint, bigint] {
  runTo(g, label);
  return ret(g, 0);
}

test('SBI: every function hvisor handles, with register-level results', async (t) => {
  const g = launchGuests({ root: fixture('sbi.S') });
  const hart = (cpu: number) => (g.engine.target.cores[cpu] as Riscv64Core).hart;

  await t.test('BASE: spec version 2.0, firmware ids forwarded, unknown fid NOT_SUPPORTED', () => {
    assert.deepEqual(after(g, 'r_base0'), [0n, 0x0200_0000n]);
    // fids 1, 2, 4, 5, 6 go to the firmware below hvisor; the model answers as OpenSBI (impl id 1).
    assert.deepEqual(after(g, 'r_base1'), [0n, 1n]);
    for (const label of ['r_base2', 'r_base4', 'r_base5', 'r_base6']) {
      const [a0, a1] = after(g, label);
      assert.equal(a0, 0n, `${label}: SUCCESS`);
      assert.notEqual(a1, SENTINEL, `${label}: a1 carries the firmware's value`);
    }
    assert.deepEqual(after(g, 'r_base7'), [u64(SBI.NOT_SUPPORTED), 0n]);
  });

  await t.test('BASE probe: each EXT_TABLE entry answers its own EID, SRST too (the model adds it, and says so), others 0', () => {
    assert.deepEqual(after(g, 'r_probe_base'), [0n, EIDS.BASE]);
    assert.deepEqual(after(g, 'r_probe_time'), [0n, EIDS.TIME]);
    assert.deepEqual(after(g, 'r_probe_hsm'), [0n, EIDS.HSM]);
    assert.deepEqual(after(g, 'r_probe_ipi'), [0n, EIDS.IPI]);
    assert.deepEqual(after(g, 'r_probe_rfence'), [0n, EIDS.RFENCE]);
    assert.deepEqual(after(g, 'r_probe_hvisor'), [0n, EIDS.HVISOR]);
    assert.deepEqual(after(g, 'r_probe_srst'), [0n, EIDS.SRST], 'SRST is offered beyond hvisor\'s EXT_TABLE');
    assert.match(traceText(g), /probe of SRST: hvisor would answer 0 \(absent\); the model offers it/);
    assert.deepEqual(after(g, 'r_probe_legacy'), [0n, 0n], 'nor are the legacy extensions');
  });

  await t.test('TIME set_timer writes vstimecmp (Sstc); another fid is NOT_SUPPORTED', () => {
    assert.deepEqual(after(g, 'r_set_timer'), [0n, 0n]);
    assert.equal(hart(0).vstimecmp, 0x123456789an);
    runTo(g, 'r_read_stimecmp');
    assert.equal(reg(g, 0, 's2'), 0x123456789an, 'the guest reads it back as stimecmp');
    assert.deepEqual(after(g, 'r_time_fid1'), [u64(SBI.NOT_SUPPORTED), 0n]);
  });

  await t.test('HSM hart_start: same hart ALREADY_AVAILABLE, success, target on FAILED', () => {
    assert.deepEqual(after(g, 'r_start_self'), [u64(SBI.ALREADY_AVAILABLE), 0n]);
    assert.deepEqual(after(g, 'r_start_cpu1'), [0n, 0n]);
    // CPU 1 started at cpu1_entry with a0 = its hartid and a1 = the opaque value.
    assert.deepEqual(after(g, 'r_start_on'), [u64(SBI.FAILED), 0n]);
    assert.equal(u64At(g, g.sym('cpu1_args')), 1n);
    assert.equal(u64At(g, g.sym('cpu1_args') + 8), OPAQUE);
  });

  await t.test('HSM hart_stop, get_status, suspend and an unknown fid: NOT_SUPPORTED', () => {
    for (const label of ['r_hart_stop', 'r_get_status', 'r_suspend', 'r_hsm_fid4']) {
      assert.deepEqual(after(g, label), [u64(SBI.NOT_SUPPORTED), 0n], label);
    }
  });

  await t.test("IPI send_ipi sets the target's hvip.VSSIP, which its guest takes as a software interrupt", () => {
    assert.deepEqual(after(g, 'r_send_ipi'), [0n, 0n]);
    runTo(g, 'cpu1_trap', { cpu: 1 });
    assert.equal(hart(1).hvip & 0x4n, 0x4n, 'hvip.VSSIP is set on CPU 1');
    runTo(g, 'cpu1_took_ipi', { cpu: 1 });
    assert.equal(u64At(g, g.sym('ipi_record')), 0x8000_0000_0000_0001n, 'scause: supervisor software interrupt');
    assert.equal(u64At(g, g.sym('ipi_record') + 8) & 0x2n, 0x2n, 'sip.SSIP was pending in the handler');
    assert.deepEqual(after(g, 'r_ipi_fid1'), [u64(SBI.NOT_SUPPORTED), 0n]);
  });

  await t.test('RFENCE fids 0-2 succeed; another fid is NOT_SUPPORTED', () => {
    assert.deepEqual(after(g, 'r_rfence0'), [0n, 0n]);
    assert.deepEqual(after(g, 'r_rfence1'), [0n, 0n]);
    assert.deepEqual(after(g, 'r_rfence2'), [0n, 0n]);
    assert.deepEqual(after(g, 'r_rfence3'), [u64(SBI.NOT_SUPPORTED), 0n]);
  });

  await t.test('legacy putchar: the byte reaches the UART; a0 = the firmware result (0), a1 untouched', () => {
    const before = g.uart.length;
    // hvisor stores the legacy call's return value in a0 (sbi.rs writes x[10]
    // for every EID <= 0xF); OpenSBI's legacy putchar returns 0.
    assert.deepEqual(after(g, 'r_putchar'), [0n, SENTINEL]);
    assert.deepEqual(g.uart.slice(before), [0x58]);
  });

  await t.test('legacy getchar: -1 with no input, the byte with input; a1 untouched', () => {
    assert.deepEqual(after(g, 'r_getchar_empty'), [u64(-1n), SENTINEL]);
    g.engine.uartInput(Uint8Array.of(0x51));
    assert.deepEqual(after(g, 'r_getchar'), [0x51n, SENTINEL]);
  });

  await t.test('legacy set_timer writes vstimecmp and a0 = 0; an unhandled legacy EID is NOT_SUPPORTED in a0 only', () => {
    assert.deepEqual(after(g, 'r_legacy_set_timer'), [0n, SENTINEL]);
    assert.equal(hart(0).vstimecmp, 0x2233445566n);
    assert.deepEqual(after(g, 'r_legacy_unknown'), [u64(SBI.NOT_SUPPORTED), SENTINEL]);
  });

  await t.test('an unknown extension: a0 = NOT_SUPPORTED, a1 = 0', () => {
    assert.deepEqual(after(g, 'r_unknown_ext'), [u64(SBI.NOT_SUPPORTED), 0n]);
  });

  await t.test('SRST: the model powers off, and its trace says hvisor would answer NOT_SUPPORTED', () => {
    g.engine.setInstructionBreakpoints([]);
    const stop = g.engine.run({ maxInstructions: g.engine.totalInstructions() + 1_000_000 });
    assert.equal(stop.kind, 'poweroff');
    assert.equal('cpu' in stop ? stop.cpu : -1, 0);
    assert.match(traceText(g), /SRST shutdown .*hvisor would answer NOT_SUPPORTED/);
  });
});

test('SBI HSM hart_start of a hart id the board does not have: hvisor unwraps hartid_to_cpuid and panics', () => {
  const g = launchGuests({
    root: `
        .text
        .globl _start
_start: li      a7, SBI_HSM
        li      a6, HSM_HART_START
        li      a0, 9                   # the board has harts 0-3
        li      a1, 0x90000000
        li      a2, 0
        ecall
after:  j       after
`,
  });
  g.engine.setInstructionBreakpoints([BigInt(g.sym('after'))]);
  const stop = g.engine.run({ maxInstructions: 1_000_000 });
  // hvisor: hartid_to_cpuid(9) finds no CPU and unwraps None (src/arch/riscv64/cpu.rs).
  assert.equal(stop.kind, 'panic', `stop: ${JSON.stringify(stop)}; a0 = ${reg(g, 0, 'a0')}`);
  assert.match('reason' in stop ? stop.reason : '', /^hvisor would panic/);
});

test('SBI IPI send_ipi naming a hart id the board does not have: hvisor unwraps hartid_to_cpuid and panics', () => {
  const g = launchGuests({
    root: `
        .text
        .globl _start
_start: li      a7, SBI_IPI
        li      a6, 0
        li      a0, 0b100000            # hart 5: the board has harts 0-3
        li      a1, 0
        ecall
after:  j       after
`,
  });
  g.engine.setInstructionBreakpoints([BigInt(g.sym('after'))]);
  const stop = g.engine.run({ maxInstructions: 1_000_000 });
  assert.equal(stop.kind, 'panic', `stop: ${JSON.stringify(stop)}; a0 = ${reg(g, 0, 'a0')}`);
  assert.match('reason' in stop ? stop.reason : '', /^hvisor would panic/);
});
