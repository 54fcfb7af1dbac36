// Stepping or continuing from a breakpoint moves the CPU on; hitting the same
// breakpoint again later stops it again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../engine/api';

const LOOP = `
.globl _start
_start:
  li t0, 0
1: addi t0, t0, 1
  j 1b
`;

function launch(): Engine {
  return Engine.launchQuick({ arch: 'riscv64', image: { path: 'loop.S', bytes: new TextEncoder().encode(LOOP) }, cpus: 2, onUart: () => {} });
}

test('a single step from a breakpoint executes the instruction at it', () => {
  const engine = launch();
  const loop = 0x80200002n; // the addi after `li t0, 0` (c.li)
  engine.setInstructionBreakpoints([loop]);
  const hit = engine.run({ maxInstructions: 1000 });
  assert.deepEqual(hit, { kind: 'breakpoint', cpu: 0, pc: Number(loop) });
  const step = engine.stepCpu(0, 1);
  assert.deepEqual(step, { kind: 'step', cpu: 0 });
  assert.equal(engine.cpu(0).pc, loop + 2n);
  assert.equal(engine.registers(0).find((r) => r.name === 't0')!.value, 1n);
});

test('stepping many instructions stops at the breakpoint when it comes round again', () => {
  const engine = launch();
  engine.setInstructionBreakpoints([0x80200002n]);
  engine.run({ maxInstructions: 1000 });
  const again = engine.stepCpu(0, 10);
  assert.deepEqual(again, { kind: 'breakpoint', cpu: 0, pc: 0x80200002 });
  assert.equal(engine.registers(0).find((r) => r.name === 't0')!.value, 1n);
});

test('continuing from a breakpoint runs the loop once and stops there again', () => {
  const engine = launch();
  engine.setInstructionBreakpoints([0x80200002n]);
  engine.run({ maxInstructions: 1000 });
  const before = engine.instructionCount(0);
  const again = engine.run({ maxInstructions: 1000 });
  assert.deepEqual(again, { kind: 'breakpoint', cpu: 0, pc: 0x80200002 });
  assert.equal(engine.instructionCount(0) - before, 2);
});
