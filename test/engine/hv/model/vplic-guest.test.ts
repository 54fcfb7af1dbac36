// hvisor's vPLIC (reference §3.6) as a guest sees it through its trapped
// PLIC window, and a UART receive interrupt travelling physical PLIC →
// hvisor's SEI handler → vPLIC → hvip.VSEIP → the guest's trap handler.
// Guest: test/fixtures/hv/vplic.S (root zone, CPU 0 = vcontext 1).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, launchGuests, reg, runFor, runTo, traceText, u64At, type Guest } from './harness';

const PLIC = 0xc000000;
/** CPU 0's physical S-mode context, where hvisor mirrors the hw interrupts' state. */
const PCTX = 1;

function physical(g: Guest, offset: number): number {
  const v = g.engine.target.memory.read(PLIC + offset, 4);
  assert.ok(v !== undefined);
  return Number(v);
}

function a0At(g: Guest, label: string): bigint {
  runTo(g, label);
  return reg(g, 0, 'a0');
}

test('the root guest programs the vPLIC: priority, enable, threshold, claim, pending, access rules', async (t) => {
  const g = launchGuests({ root: fixture('vplic.S') });

  await t.test('priority of a hw source is kept and mirrored to the physical PLIC', () => {
    assert.equal(a0At(g, 'r_prio10'), 5n);
    assert.equal(physical(g, 4 * 10), 5);
  });

  await t.test('priority of a source the zone does not own is kept in the vPLIC only', () => {
    assert.equal(a0At(g, 'r_prio5'), 3n);
    assert.equal(physical(g, 4 * 5), 0);
  });

  await t.test('source 0 does not exist: its priority reads 0', () => {
    assert.equal(a0At(g, 'r_prio0'), 0n);
  });

  await t.test("enable for the CPU's S vcontext reads back and reaches its physical context", () => {
    assert.equal(a0At(g, 'r_enable1'), 0x400n);
    assert.equal(physical(g, 0x2000 + 0x80 * PCTX), 0x400);
  });

  await t.test('enable of an M-mode vcontext is refused and reads 0', () => {
    assert.equal(a0At(g, 'r_enable0'), 0n);
    assert.equal(physical(g, 0x2000), 0, 'physical M context untouched');
  });

  await t.test('threshold reads back and is mirrored', () => {
    assert.equal(a0At(g, 'r_threshold1'), 2n);
    assert.equal(physical(g, 0x200000 + 0x1000 * PCTX), 2);
  });

  await t.test('claim with nothing pending returns 0; pending is read-only', () => {
    assert.equal(a0At(g, 'r_claim_empty'), 0n);
    assert.equal(a0At(g, 'r_pending'), 0n);
  });

  await t.test('a byte access is refused (logged) and reads 0, without stopping the CPU', () => {
    assert.equal(a0At(g, 'r_byte'), 0n);
    assert.match(traceText(g), /vPLIC: only aligned word accesses/);
  });

  await t.test('a UART byte raises source 10; the guest takes scause 9 and claims 10 from the vPLIC', () => {
    runTo(g, 'ready');
    assert.equal(runFor(g).kind, 'quiescent', 'the guest waits in WFI, nothing pending');
    const record = g.sym('record');
    assert.equal(u64At(g, record + 48), 0n, 'no interrupt yet');
    g.engine.uartInput(Uint8Array.of(0x5a));
    runTo(g, 'handled');
    assert.equal(u64At(g, record), 0x8000_0000_0000_0009n, 'scause: supervisor external interrupt');
    assert.equal(u64At(g, record + 8) & 0x400n, 0x400n, 'source 10 pending in the vPLIC before the claim');
    assert.equal(u64At(g, record + 16), 10n, 'claimed source 10');
    assert.equal(u64At(g, record + 24) & 0x400n, 0n, 'no longer pending once claimed');
    assert.equal(u64At(g, record + 32), 0x5an, 'the byte');
    assert.equal(u64At(g, record + 40), 0n, 'nothing else to claim after completion');
    assert.equal(u64At(g, record + 48), 1n);
    assert.match(traceText(g), /external interrupt 10 from the PLIC for zone 0/);
  });

  await t.test('a second byte is delivered the same way (the completion reached the physical PLIC)', () => {
    assert.equal(runFor(g).kind, 'quiescent');
    g.engine.uartInput(Uint8Array.of(0x21));
    runTo(g, 'handled');
    const record = g.sym('record');
    assert.equal(u64At(g, record + 16), 10n);
    assert.equal(u64At(g, record + 32), 0x21n);
    assert.equal(u64At(g, record + 48), 2n);
  });
});
