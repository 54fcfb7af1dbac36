// Source-line stepping in a .S file, stepping over and out of calls, trace
// output events, and restart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, launchOnEntry, SAMPLE, startClient } from './dap-client';

test('next steps a .S line and over calls, stepIn enters them, stepOut returns; trace lines are telemetry output', async () => {
  const dc = await startClient();
  const trace: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === 'telemetry' && (e.body.data as { hvisorTrace?: boolean } | undefined)?.hvisorTrace) trace.push(e.body.output);
  });
  try {
    await launchOnEntry(dc, { trace: true });
    const line = async (): Promise<[number, string]> => {
      const f = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
      return [f.line, f.name];
    };
    assert.equal((await line())[0], 81); // la sp, stack0 + STACK_SIZE: two instructions, one line
    const step = async (kind: 'next' | 'stepIn' | 'stepOut'): Promise<void> => {
      await Promise.all([kind === 'next' ? dc.nextRequest({ threadId: 1 }) : kind === 'stepIn' ? dc.stepInRequest({ threadId: 1 }) : dc.stepOutRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    };
    await step('next');
    assert.equal((await line())[0], 82);
    for (let i = 0; i < 3; i++) await step('next'); // mv s0; mv s1; la a0 → at `call puts`
    assert.equal((await line())[0], 85);
    await step('next'); // over puts
    assert.equal((await line())[0], 86);
    await step('next');
    await step('stepIn'); // into putdec
    assert.match((await line())[1], /^putdec/);
    await step('stepOut');
    const [back, name] = await line();
    assert.equal(back, 88);
    assert.match(name, /^_start\+/);
    assert.ok(trace.some((t) => / cpu0 boot: 4 CPUs entered/.test(t)), trace.slice(0, 3).join(''));

    // Restart: the machine starts over, stopped on entry again.
    await Promise.all([dc.customRequest('restart', {}), dc.waitForEvent('stopped')]);
    assert.equal((await line())[0], 81);
  } finally {
    await dc.stop();
  }
});

test('riscv64: a conditional breakpoint at a call\'s return address decides what a next over it is; next by instruction steps over a call, a breakpoint in the callee stops a next, step out returns past the callee\'s own calls, and an untrustworthy ra is refused', async () => {
  const dc = await startClient();
  const out = collectOutput(dc);
  try {
    await launchOnEntry(dc);
    const top = async (): Promise<DebugProtocol.StackFrame> => (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
    const step = async (request: Promise<unknown>): Promise<DebugProtocol.StoppedEvent> => (await Promise.all([request, dc.waitForEvent('stopped')]))[1] as DebugProtocol.StoppedEvent;
    const restartOnEntry = async (): Promise<void> => void (await step(dc.customRequest('restart', {})));
    for (let i = 0; i < 4; i++) await step(dc.nextRequest({ threadId: 1 }));
    assert.equal((await top()).line, 85); // call puts

    // A conditional breakpoint at the return address: a false condition leaves the step a step, a true one is a breakpoint hit.
    await dc.setBreakpointsRequest({ source: { path: `${SAMPLE}/root.S` }, breakpoints: [{ line: 86, condition: 'a0 == 0x1234' }] });
    const over = await step(dc.nextRequest({ threadId: 1 }));
    assert.equal(over.body.reason, 'step');
    assert.equal((await top()).line, 86);
    await dc.setBreakpointsRequest({ source: { path: `${SAMPLE}/root.S` }, breakpoints: [] });
    await restartOnEntry();
    for (let i = 0; i < 4; i++) await step(dc.nextRequest({ threadId: 1 }));
    await dc.setBreakpointsRequest({ source: { path: `${SAMPLE}/root.S` }, breakpoints: [{ line: 86, condition: 's0 == 0' }] });
    const hit86 = await step(dc.nextRequest({ threadId: 1 }));
    assert.equal(hit86.body.reason, 'breakpoint');
    assert.equal((await top()).line, 86);
    await dc.setBreakpointsRequest({ source: { path: `${SAMPLE}/root.S` }, breakpoints: [] });
    await restartOnEntry();
    for (let i = 0; i < 4; i++) await step(dc.nextRequest({ threadId: 1 }));

    // By instruction: the call's address set-up, then the call itself, stepped over.
    for (let i = 0; i < 3 && (await top()).line === 85; i++) await step(dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
    assert.equal((await top()).line, 86);
    assert.match(out.text(), /hello from hart /);

    // A breakpoint inside putdec stops the next over `call putdec`.
    await step(dc.nextRequest({ threadId: 1 }));
    assert.equal((await top()).line, 87);
    await dc.setBreakpointsRequest({ source: { path: `${SAMPLE}/root.S` }, breakpoints: [{ line: 321 }] });
    const hit = await step(dc.nextRequest({ threadId: 1 }));
    assert.equal(hit.body.reason, 'breakpoint');
    assert.equal((await top()).line, 321);
    await dc.setBreakpointsRequest({ source: { path: `${SAMPLE}/root.S` }, breakpoints: [] });
    // Reached by a breakpoint, putdec's ra is still the return address (it is a leaf).
    await step(dc.stepOutRequest({ threadId: 1 }));
    assert.equal((await top()).line, 88);

    // A garbage return address: an error naming it, and the machine stays usable.
    await dc.evaluateRequest({ expression: 'ra = 0x1234', frameId: (await top()).id, context: 'repl' });
    await assert.rejects(dc.stepOutRequest({ threadId: 1 }), /cannot step out: the return address is unknown: ra = 0x1234 is not a code address/);
    await step(dc.nextRequest({ threadId: 1 }));
    assert.equal((await top()).line, 89);

    // print_ret calls puts and putdec itself, which overwrite ra; the call stepped into is what step out returns by.
    await dc.setBreakpointsRequest({ source: { path: `${SAMPLE}/root.S` }, breakpoints: [{ line: 108 }] });
    await step(dc.continueRequest({ threadId: 1 }));
    assert.equal((await top()).line, 108);
    await dc.setBreakpointsRequest({ source: { path: `${SAMPLE}/root.S` }, breakpoints: [] });
    await step(dc.stepInRequest({ threadId: 1 }));
    assert.match((await top()).name, /^print_ret/);
    for (let i = 0; i < 8 && (await top()).line !== 282; i++) await step(dc.nextRequest({ threadId: 1 }));
    assert.equal((await top()).line, 282); // past `call puts`
    await step(dc.stepOutRequest({ threadId: 1 }));
    const back = await top();
    assert.equal(back.line, 109);
    assert.match(back.name, /^_start\+/);
  } finally {
    await dc.stop();
  }
});
