// Where riscv64 hvisor would panic (reference §2.2.1, §7.3), the model stops
// that CPU with a reason that says so, and the run returns normally.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchGuests, runFor, traceText, type Guest } from './harness';

function guest(body: string): Guest {
  return launchGuests({ root: `        .text\n        .globl _start\n_start:\n${body}\n1:      j 1b\n` });
}

function panicStop(g: Guest, cpu = 0): string {
  let stop;
  assert.doesNotThrow(() => {
    stop = runFor(g);
  });
  assert.ok(stop);
  const s: { kind: string; cpu?: number; reason?: string } = stop;
  assert.equal(s.kind, 'panic', JSON.stringify(s));
  assert.equal(s.cpu, cpu);
  assert.match(s.reason ?? '', /^hvisor would panic: /);
  assert.equal(g.engine.cpu(cpu).state, 'stopped');
  assert.ok(traceText(g).includes(`cpu${cpu} stop: ${s.reason}`), 'the stop is in the trace');
  // The machine stays stopped: running again reports the same stop.
  assert.deepEqual(runFor(g), stop);
  return s.reason ?? '';
}

test('an illegal instruction in the guest (scause 2) is not delegated: hvisor panics', () => {
  const g = guest('        .word   0                       # all zeros: an illegal instruction');
  const reason = panicStop(g);
  assert.match(reason, /unhandled trap from the guest: scause 2 \(illegal instruction\)/);
  assert.match(reason, /sepc 0x90000000/);
});

test('a virtual instruction (scause 22: an HS CSR from VS-mode) panics too', () => {
  const g = guest('        csrr    t0, hstatus');
  assert.match(panicStop(g), /unhandled trap from the guest: scause 22 \(virtual instruction\)/);
});

test('an illegal instruction on a secondary CPU stops that CPU', () => {
  const g = guest(`        li      a7, SBI_HSM
        li      a6, HSM_HART_START
        li      a0, 1
        la      a1, bad
        li      a2, 0
        ecall
2:      j       2b
bad:    .word   0`);
  assert.match(panicStop(g, 1), /scause 2 \(illegal instruction\)/);
});

test('a load from a GPA no region maps: mmio_handle_access fails and riscv64 hvisor panics', () => {
  const g = guest(`        li      t0, 0x20000000
        lw      t1, 0(t0)`);
  const reason = panicStop(g);
  assert.match(reason, /MMIO read at GPA 0x20000000/);
  assert.match(reason, /riscv64 hvisor panics on MMIO errors/);
});

test('a store to a GPA no region maps panics the same way', () => {
  const g = guest(`        li      t0, 0x20000008
        li      t1, 1
        sd      t1, 0(t0)`);
  assert.match(panicStop(g), /MMIO write at GPA 0x20000008/);
});

test('an AMO on the trapped PLIC window: not a load/store hvisor decodes, so it panics', () => {
  const g = guest(`        li      t0, PLIC + 4 * 10
        li      t1, 1
        amoadd.w t2, t1, (t0)`);
  const reason = panicStop(g);
  assert.match(reason, /store\/AMO guest-page fault at GPA 0xc000028/);
  assert.match(reason, /not a standard load or store/);
});

test('an LR on the trapped PLIC window (a load guest-page fault hvisor cannot decode) panics', () => {
  const g = guest(`        li      t0, PLIC + 4 * 10
        lr.w    t2, (t0)`);
  const reason = panicStop(g);
  assert.match(reason, /load guest-page fault at GPA 0xc000028/);
  assert.match(reason, /not a standard load or store/);
});

test("HSM hart_start of a CPU outside every zone: hvisor has no zone check, and the target's run() unwraps its zone (panic)", () => {
  const g = guest(`        li      a7, SBI_HSM
        li      a6, HSM_HART_START
        li      a0, 2                   # CPU 2 belongs to no zone
        li      a1, 0x90000000
        li      a2, 0
        ecall`);
  assert.match(panicStop(g, 2), /activate_gpm on a CPU without a zone/);
});
