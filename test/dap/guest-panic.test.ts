// A guest kernel's panic stops the debugger, by the "Guest kernel panic"
// exception filter (on by default), on the CPU that called panic, with the
// panic line its format and arguments make and panic on top of its stack.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { continueTo, launchOnEntry, startClient } from './dap-client';

const GUEST = { cwd: resolve('test/dap/fixtures/panic'), arch: 'riscv64', cpus: 2, images: [{ path: 'panic.S', zone: 0 }], zones: [] };

test('a CPU entering panic stops as an exception on that CPU, with the panic line and its stack', async () => {
  const dc = await startClient();
  try {
    const init = (await dc.initializeRequest()).body!;
    const filter = init.exceptionBreakpointFilters!.find((f) => f.filter === 'guest-panic')!;
    assert.equal(filter.label, 'Guest kernel panic');
    assert.equal(filter.default, true);
    await launchOnEntry(dc, GUEST, ['guest-panic']);
    const stop = await continueTo(dc, 1);
    assert.equal(stop.body.reason, 'exception');
    assert.equal(stop.body.threadId, 2, 'CPU 1 panicked');
    assert.equal(stop.body.text, 'guest-panic');
    assert.equal(stop.body.description, 'CPU 1: guest-panic: Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0): error -6');
    const info = await dc.exceptionInfoRequest({ threadId: 2 });
    assert.equal(info.body.exceptionId, 'guest-panic');
    const frames: DebugProtocol.StackFrame[] = (await dc.stackTraceRequest({ threadId: 2 })).body.stackFrames;
    assert.equal(frames[0]!.name.split(' ')[0], 'panic');
  } finally {
    await dc.stop();
  }
});

test('with the filter off, panic is an ordinary function: a function breakpoint there stops as one', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc, GUEST, []);
    const set = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'panic' }] });
    assert.equal(set.body.breakpoints[0]!.verified, true);
    const stop = await continueTo(dc, 1);
    assert.equal(stop.body.reason, 'function breakpoint');
    assert.equal(stop.body.threadId, 2);
  } finally {
    await dc.stop();
  }
});
