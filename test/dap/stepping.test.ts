// Source-line stepping in a .S file, stepping over and out of calls, trace
// output events, and restart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launchOnEntry, startClient } from './dap-client';

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
