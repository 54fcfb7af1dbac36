// Engine.run's stop filter: a conditional breakpoint decided in the engine,
// where the run stops, over a real riscv64 machine; stops elsewhere never reach it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Engine } from '../../../engine/api';
import { parseLaunch } from '../../../engine/hv/config/launch';
import { StopConditions } from '../../../engine/debug/stop-conditions';
import { cpuContext } from '../../../engine/debug/cpu-context';

const LOOP = `
.globl _start
_start:
  li t0, 0
1: addi t0, t0, 1
  j 1b
`;
const LOOP_PC = 0x80200002n; // the addi after `li t0, 0` (c.li)

function launch(): Engine {
  return Engine.launchQuick({ arch: 'riscv64', image: { path: 'loop.S', bytes: new TextEncoder().encode(LOOP) }, cpus: 1, onUart: () => {} });
}

function arm(engine: Engine, conditions: StopConditions, log: string[] = []): void {
  engine.setStopFilter({
    addresses: new Set(conditions.addresses().map((a) => Number(a))),
    events: new Set(),
    decide: (stop) => conditions.decide(stop.kind === 'breakpoint' ? { address: BigInt(stop.pc) } : { event: stop.event.kind }, cpuContext(engine, stop.cpu), (t) => log.push(t)).stop,
  });
}

test('a run goes on past a breakpoint whose condition does not hold', () => {
  const engine = launch();
  const conditions = new StopConditions();
  assert.deepEqual(conditions.replace([{ id: 1, addresses: [LOOP_PC], condition: 't0 == 41' }], cpuContext(engine, 0)), [undefined]);
  engine.setInstructionBreakpoints([LOOP_PC]);
  arm(engine, conditions);
  assert.deepEqual(engine.run({ maxInstructions: 10_000 }), { kind: 'breakpoint', cpu: 0, pc: Number(LOOP_PC) });
  assert.equal(engine.readRegister(0, 't0'), 41n);
});

test('hit counts and logpoints in the engine; other breakpoints stop without asking the filter', () => {
  const engine = launch();
  const conditions = new StopConditions();
  const log: string[] = [];
  conditions.replace([{ id: 1, addresses: [LOOP_PC], logMessage: 't0={(i64)t0}', hitCondition: '% 10' }], cpuContext(engine, 0));
  engine.setInstructionBreakpoints([LOOP_PC, LOOP_PC + 2n]);
  arm(engine, conditions, log);
  // The `j` after the (compressed) addi has a plain breakpoint: it stops every time.
  assert.deepEqual(engine.run({ maxInstructions: 10_000 }), { kind: 'breakpoint', cpu: 0, pc: Number(LOOP_PC + 2n) });
  assert.deepEqual(log, []);
  engine.setInstructionBreakpoints([LOOP_PC]);
  assert.deepEqual(engine.run({ maxInstructions: 200 }), { kind: 'limit' });
  assert.deepEqual(log.slice(0, 3), ['t0=9', 't0=19', 't0=29']);
});

/** The riscv64-zones sample to its power-off: the UART text, the instructions retired, and how it stopped. */
function runSample(arm?: (engine: Engine) => void): { text: string; instructions: number; stop: string } {
  const path = resolve('samples/riscv64-zones/launch.json');
  const { launch } = parseLaunch(readFileSync(path, 'utf8'), path, (p) => readFileSync(p, 'utf8'));
  let text = '';
  const engine = Engine.launch(launch!, { onUart: (b) => (text += String.fromCharCode(b)), readFile: (p) => readFileSync(p) });
  arm?.(engine);
  const stop = engine.run({ maxInstructions: 5_000_000 });
  return { text, instructions: engine.totalInstructions(), stop: stop.kind };
}

test('a breakpoint whose condition never holds leaves the run as it was, even in a loop that waits for another CPU', () => {
  const plain = runSample();
  assert.equal(plain.stop, 'poweroff');
  const conditioned = runSample((engine) => {
    // CPU 0 spins here until CPU 1 has counted: the other CPUs must keep their turns.
    const wait = engine.images[0]!.lines.find((l) => l.file.endsWith('root.S') && l.line === 111)!;
    const conditions = new StopConditions();
    conditions.replace([{ id: 1, addresses: [BigInt(wait.address)], condition: 't1 == 12345' }, { id: 2, addresses: [engine.findSymbol('lock')!.value], condition: 'a0 == 0' }], cpuContext(engine, 0));
    engine.setInstructionBreakpoints(conditions.addresses());
    arm(engine, conditions);
  });
  assert.deepEqual(conditioned, plain);
});
