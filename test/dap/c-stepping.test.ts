// Stepping a C guest by line over DAP: zone 1 of the riscv64-zones sample
// built from C (test/guests/dwarf/zone1.c, gcc -g -O0). next steps over a
// call to the next line, stepIn enters print_number past its prologue at
// its first line with code, stepOut returns to the instruction after the call
// (where gdb's finish stops) and next goes on to the loop's next statement; with
// granularity "instruction" a step is still one instruction. Built with
// gcc -O2, which inlines square and print_number into main, next steps over
// the inlined calls and stays in main, showing print_number's call line at
// the start of its code; stepIn there enters print_number and stepOut leaves
// it, where gdb-multiarch's next, step and finish stop.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { continueTo, launchOnEntry, startClient } from './dap-client';
import { ZONE1_SOURCE, zone1Elf } from './zone1-guest';

const SOURCE = ZONE1_SOURCE;
let elf = '';
let optimized = '';

before(() => {
  elf = zone1Elf('-O0');
  optimized = zone1Elf('-O2');
});

/** The top frame's function and line after `step` stops the thread. */
async function after_(dc: DebugClient, threadId: number, step: () => Promise<unknown>): Promise<string> {
  const stopped = dc.waitForEvent('stopped');
  await step();
  const event = await stopped;
  assert.equal(event.body.reason, 'step');
  const frame = (await dc.stackTraceRequest({ threadId })).body.stackFrames[0]!;
  assert.equal(frame.source?.path, SOURCE);
  return `${frame.name.replace(/[+ ].*/, '')}:${frame.line}`;
}

test('riscv64: next, stepIn and stepOut move by C line in zone1.c; instruction granularity still steps one instruction', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc, { images: [{ path: 'root.S', zone: 0 }, { path: elf, zone: 1 }] });
    await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [{ line: 34 }] });
    const stop = await continueTo(dc, 1);
    const threadId = stop.body.threadId!;
    await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [] });
    const stops = [
      await after_(dc, threadId, () => dc.nextRequest({ threadId })),
      await after_(dc, threadId, () => dc.stepInRequest({ threadId })),
      await after_(dc, threadId, () => dc.nextRequest({ threadId })),
      await after_(dc, threadId, () => dc.stepOutRequest({ threadId })),
      await after_(dc, threadId, () => dc.nextRequest({ threadId })),
      await after_(dc, threadId, () => dc.stepInRequest({ threadId })),
      await after_(dc, threadId, () => dc.stepOutRequest({ threadId })),
    ];
    // print_number's call ends line 35: it returns to the start of line 32 (round++), then line 34 calls square and
    // adds its result to total after it returns.
    assert.deepEqual(stops, ['main:35', 'print_number:21', 'print_number:23', 'main:32', 'main:34', 'square:15', 'main:34']);
    const before = (await dc.stackTraceRequest({ threadId })).body.stackFrames[0]!.instructionPointerReference!;
    const stopped = dc.waitForEvent('stopped');
    await dc.nextRequest({ threadId, granularity: 'instruction' });
    await stopped;
    const afterOne = (await dc.stackTraceRequest({ threadId })).body.stackFrames[0]!.instructionPointerReference!;
    assert.equal(BigInt(afterOne) - BigInt(before), 2n, 'one compressed instruction');
  } finally {
    await dc.stop();
  }
});

test('riscv64 gcc -O2: next steps over the inlined calls in main, stepIn enters print_number at its call, stepOut leaves it', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc, { images: [{ path: 'root.S', zone: 0 }, { path: optimized, zone: 1 }] });
    await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [{ line: 34 }] });
    const stop = await continueTo(dc, 1);
    const threadId = stop.body.threadId!;
    await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [] });
    const depth = async (): Promise<number> => (await dc.stackTraceRequest({ threadId })).body.stackFrames.filter((f) => !f.name.startsWith('_start')).length;
    const nexts: string[] = [];
    for (let i = 0; i < 5; i++) nexts.push(`${await after_(dc, threadId, () => dc.nextRequest({ threadId }))} depth ${await depth()}`);
    // square's code is main's line 16 (it leaves no inlined code of its own); print_number's starts at its call on line 35.
    assert.deepEqual(nexts, ['main:21 depth 1', 'main:35 depth 1', 'main:32 depth 1', 'main:16 depth 1', 'main:21 depth 1']);
    assert.equal(await after_(dc, threadId, () => dc.nextRequest({ threadId })), 'main:35');
    assert.equal(await after_(dc, threadId, () => dc.stepInRequest({ threadId })), 'print_number:23');
    assert.equal(await depth(), 2);
    assert.equal(await after_(dc, threadId, () => dc.stepOutRequest({ threadId })), 'main:32');
    assert.equal(await depth(), 1);
  } finally {
    await dc.stop();
  }
});
