// A hart asleep in WFI wakes at its timer deadline, not at the end of the
// scheduler's quantum while another hart keeps running: the time the guest
// reads in its timer handler is the deadline it set (plus the few instructions
// of the trap), whatever the quantum.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchGuests, reg, runTo } from './harness';

const GUEST = `
        .globl _start
_start: li      a0, 1                   # hart 1 spins, so time passes by quanta
        la      a1, spin
        li      a2, 0
        li      a7, SBI_HSM
        li      a6, HSM_HART_START
        ecall
        la      t0, handler
        csrw    stvec, t0
        li      t0, 0x20                # STIE
        csrs    sie, t0
        csrr    s0, time
        li      t0, 5000
        add     s1, s0, t0              # the deadline, 5000 ticks on
        mv      a0, s1
        li      a7, SBI_TIME
        li      a6, 0                   # set_timer
        ecall
        csrsi   sstatus, 2              # SIE
1:      wfi
        j       1b
        .balign 4                       # stvec's low bits are its mode
handler:
        csrr    s2, time
woke:   j       woke
spin:   j       spin
`;

for (const quantum of [97, 10_000, 100_000]) {
  test(`a hart in WFI takes its timer interrupt at the deadline (quantum ${quantum})`, () => {
    const g = launchGuests({ root: GUEST });
    g.engine.scheduler.quantum = quantum;
    runTo(g, 'woke');
    const late = reg(g, 0, 's2') - reg(g, 0, 's1');
    assert.ok(late >= 0n && late <= 2n, `woke ${late} ticks after the deadline`);
  });
}
