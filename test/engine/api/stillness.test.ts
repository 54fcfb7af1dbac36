// The scheduler ends a run that can no longer change: CPUs spinning on a
// branch to themselves with nothing to interrupt them, the others asleep.
// What it must not do: end a run where a CPU still works, where a breakpoint
// sits on the spin, or (with CPUs frozen) judge the frozen ones.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../engine/api';

function launch(source: string, cpus = 1, arch: 'riscv64' | 'aarch64' = 'riscv64'): Engine {
  return Engine.launchQuick({ arch, image: { path: 'guest.S', bytes: new TextEncoder().encode(source) }, cpus, onUart: () => {} });
}

const HALT = `
.globl _start
_start:
  li t0, 0
halt:
  j halt
`;

test('a CPU halted in `j .` is quiescent within a few rounds, and the stop names it', () => {
  const e = launch(HALT);
  e.scheduler.quantum = 1000;
  const stop = e.run({ maxInstructions: 10_000_000 });
  assert.deepEqual(stop, { kind: 'quiescent', reason: 'CPU 0 at 0x80200002 spins on a branch to itself with no interrupt to take' });
  assert.ok(e.totalInstructions() < 5000, `${e.totalInstructions()} instructions`);
  // Run again: still quiescent, at once.
  const before = e.totalInstructions();
  assert.equal(e.run({ maxInstructions: 10_000_000 }).kind, 'quiescent');
  assert.ok(e.totalInstructions() - before < 5000);
});

test('a breakpoint on the spin is reported each time, never passed over by the check', () => {
  const e = launch(HALT);
  e.setInstructionBreakpoints([0x80200002n]);
  for (let i = 0; i < 3; i++) assert.deepEqual(e.run({ maxInstructions: 10_000_000 }), { kind: 'breakpoint', cpu: 0, pc: 0x80200002 });
});

/** CPU 0 starts CPU 1 (SBI HSM hart_start) and spins; CPU 1 counts for ever. */
const SPIN_AND_WORK = `
.globl _start
_start:
  bnez a0, work
  li a0, 1
  la a1, _start
  li a2, 0
  li a7, 0x48534d
  li a6, 0
  ecall
halt:
  j halt
work:
  addi t0, t0, 1
  j work
`;

test('a CPU that works keeps the run going while another spins', () => {
  const e = launch(SPIN_AND_WORK, 2);
  assert.deepEqual(e.run({ maxInstructions: 500_000 }), { kind: 'limit' });
});

test('with only the spinning CPU running, the frozen ones are not judged', () => {
  const e = launch(SPIN_AND_WORK, 2);
  assert.deepEqual(e.run({ maxInstructions: 100_000 }), { kind: 'limit' });
  const stop = e.run({ maxInstructions: 10_000_000, cpus: new Set([0]) });
  assert.equal(stop.kind, 'quiescent');
  assert.match((stop as { reason: string }).reason, /^CPU 0 at 0x[0-9a-f]+ spins/);
});

test('aarch64: `b .` runs while its timer is armed, and is quiescent once it has fired with its interrupt never enabled', () => {
  const e = launch(`
        .globl _start
_start: mov     x9, #2000
        msr     cntv_tval_el0, x9
        mov     x9, #1
        msr     cntv_ctl_el0, x9
halt:   b       halt
`, 1, 'aarch64');
  e.scheduler.quantum = 100;
  const stop = e.run({ maxInstructions: 10_000_000 });
  assert.deepEqual(stop, { kind: 'quiescent', reason: 'CPU 0 at 0x40080010 spins on a branch to itself with no interrupt to take' });
  assert.ok(e.totalInstructions() > 2000, 'ran past the timer deadline');
});
