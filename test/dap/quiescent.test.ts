// A continue on a machine that can no longer make progress ends: every CPU
// parked or spinning on a branch to itself with nothing to interrupt it is a
// quiescent stop, and its description names the spinning CPU.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { continueTo, launchOnEntry, startClient } from './dap-client';

test('continue ends in a quiescent stop naming the CPU that spins at halt', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc, { cwd: resolve('test/dap/fixtures/halt'), arch: 'riscv64', cpus: 2, images: [{ path: 'halt.S', zone: 0 }], zones: [] });
    const stop = await continueTo(dc, 1);
    assert.equal(stop.body.reason, 'pause');
    assert.equal(stop.body.allThreadsStopped, true);
    const at = /^quiescent: CPU 0 at (0x9000000[0-9a-f]) spins on a branch to itself with no interrupt to take$/.exec(stop.body.description ?? '');
    assert.ok(at, stop.body.description);
    const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
    assert.equal(BigInt(frame.instructionPointerReference!), BigInt(at[1]!));
    assert.equal(frame.line, 9, 'the line of halt:');
  } finally {
    await dc.stop();
  }
});
