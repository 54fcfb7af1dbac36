// WFE as QEMU runs it: it consumes the event register (set by SEV from any
// CPU, SEVL, or an exception return) or else yields the CPU's turn, so a CPU
// waiting in a WFE loop leaves the scheduler's quantum to the CPU it waits for.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../engine/api';

const GUEST = `
        .globl _start
_start: ldr     x0, =0xc4000003         // PSCI CPU_ON: CPU 1 at waiter
        mov     x1, #1
        adr     x2, waiter
        mov     x3, #0
        smc     #0
        ldr     x3, =200000             // work long enough for many quanta
1:      subs    x3, x3, #1
        b.ne    1b
        adr     x4, flag
        add     x6, x4, #4
        mov     w5, #1
        stlr    w5, [x4]
        sev
2:      ldar    w5, [x6]                // wait for CPU 1's answer
        cbz     w5, 2b
        ldr     x0, =0x84000008         // SYSTEM_OFF
        smc     #0

waiter: adr     x4, flag
        sevl
3:      wfe                             // the first WFE consumes SEVL's event
        ldar    w5, [x4]
        cbz     w5, 3b
        mov     w5, #1
        add     x6, x4, #4
        stlr    w5, [x6]
4:      wfi
        b       4b

        .balign 8
flag:   .word   0, 0
`;

function run(): Engine {
  const e = Engine.launchQuick({ arch: 'aarch64', image: { path: 'wfe.S', bytes: new TextEncoder().encode(GUEST) }, cpus: 2, onUart: () => {} });
  const stop = e.run({ maxInstructions: 5_000_000 });
  assert.equal(stop.kind, 'poweroff', JSON.stringify(stop));
  return e;
}

test('a CPU waiting in a WFE loop yields its turns instead of spending them', () => {
  const e = run();
  const waiter = e.instructionCount(1);
  const worker = e.instructionCount(0);
  assert.ok(worker > 400_000, `CPU 0 ran its loop (${worker} instructions)`);
  // Without the yield CPU 1 would spend a quantum (10,000 instructions) every round.
  assert.ok(waiter < worker / 20, `CPU 1 retired ${waiter} instructions while CPU 0 retired ${worker}`);
});

test('WFE runs are deterministic', () => {
  assert.deepEqual([run().instructionCount(1), run().totalInstructions()], [run().instructionCount(1), run().totalInstructions()]);
});
