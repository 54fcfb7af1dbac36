// Stepping on the aarch64-zones sample over DAP: next over `bl`, by line and
// by instruction, with the callee's output printed; stepIn into the callee
// and stepOut back after the callee's own calls overwrote x30; a breakpoint
// in the callee stops a next; and a step out whose return address cannot
// be known (x30 overwritten by the callee's calls, or garbage) answers an
// error and leaves the machine usable.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { AARCH64_SAMPLE, collectOutput, launchOnEntry, startClient } from './dap-client';

const ROOT_S = resolve(AARCH64_SAMPLE, 'root.S');

function stepper(dc: DebugClient): { top: () => Promise<DebugProtocol.StackFrame>; step: (request: Promise<unknown>) => Promise<DebugProtocol.StoppedEvent>; restart: () => Promise<void> } {
  const step = async (request: Promise<unknown>): Promise<DebugProtocol.StoppedEvent> => (await Promise.all([request, dc.waitForEvent('stopped')]))[1] as DebugProtocol.StoppedEvent;
  return {
    top: async () => (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!,
    step,
    restart: async () => void (await step(dc.customRequest('restart', {}))),
  };
}

test('aarch64: next steps over bl (by line and by instruction) with the callee\'s output printed; stepIn enters it; stepOut returns after its own calls', async () => {
  const dc = await startClient();
  const out = collectOutput(dc);
  try {
    await launchOnEntry(dc, {}, [], AARCH64_SAMPLE);
    const { top, step, restart } = stepper(dc);
    assert.equal((await top()).line, 82);
    await step(dc.nextRequest({ threadId: 1 }));
    await step(dc.nextRequest({ threadId: 1 }));
    assert.equal((await top()).line, 84); // bl hello
    await step(dc.nextRequest({ threadId: 1 }));
    assert.equal((await top()).line, 87);
    assert.match(out.text(), /\[root\] hello from CPU 0 \(dtb 0x/);

    await restart();
    assert.equal((await top()).line, 82);
    await step(dc.nextRequest({ threadId: 1 }));
    await step(dc.nextRequest({ threadId: 1 }));
    const stopped = await step(dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
    assert.equal(stopped.body.reason, 'step');
    const after = await top();
    assert.equal(after.line, 87);
    assert.match(after.name, /^_start\+0xc /);

    await restart();
    await step(dc.nextRequest({ threadId: 1 }));
    await step(dc.nextRequest({ threadId: 1 }));
    await step(dc.stepInRequest({ threadId: 1 }));
    const entered = await top();
    assert.match(entered.name, /^hello /);
    assert.equal(entered.line, 168);
    for (let i = 0; i < 8 && (await top()).line !== 175; i++) await step(dc.nextRequest({ threadId: 1 }));
    assert.equal((await top()).line, 175); // past `bl puts`: x30 now points into hello
    await step(dc.stepOutRequest({ threadId: 1 }));
    const back = await top();
    assert.equal(back.line, 87);
    assert.match(back.name, /^_start\+/);
  } finally {
    await dc.stop();
  }
});

test('aarch64: a breakpoint in the callee stops a next; a step out with x30 overwritten or garbage answers an error and the machine stays usable', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc, {}, [], AARCH64_SAMPLE);
    const { top, step } = stepper(dc);
    await step(dc.nextRequest({ threadId: 1 }));
    await step(dc.nextRequest({ threadId: 1 }));
    assert.equal((await top()).line, 84);
    await dc.setBreakpointsRequest({ source: { path: ROOT_S }, breakpoints: [{ line: 176 }] });
    const hit = await step(dc.nextRequest({ threadId: 1 }));
    assert.equal(hit.body.reason, 'breakpoint');
    assert.equal((await top()).line, 176); // bl putdec, inside hello
    await dc.setBreakpointsRequest({ source: { path: ROOT_S }, breakpoints: [] });

    // Reached by a breakpoint, after `bl puts`: x30 is a return address into hello itself.
    await assert.rejects(dc.stepOutRequest({ threadId: 1 }), /cannot step out: the return address is unknown: x30 = 0x[0-9a-f]+ points back into hello itself/);
    await dc.evaluateRequest({ expression: 'x30 = 0x1234', frameId: (await top()).id, context: 'repl' });
    await assert.rejects(dc.stepOutRequest({ threadId: 1 }), /cannot step out: the return address is unknown: x30 = 0x1234 is not a code address/);
    await step(dc.nextRequest({ threadId: 1 }));
    assert.equal((await top()).line, 177);
  } finally {
    await dc.stop();
  }
});
