// Fault injection into the engine worker: an uncaught error, an exit, and
// running out of memory each end the session with a terminated event and
// the reason on stderr; the request that was waiting gets an error response,
// and threads/stackTrace afterwards answer at once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launchOnEntry, sampleConfig } from './dap-client';
import { buildFaultWorkers, eventually, startInProcess } from './in-process';

const FAULTS = ['throw-on-run', 'exit-on-stack', 'oom-on-disassemble', 'throw-in-run', 'exit-on-launch'] as const;

/** The first stderr output event, whenever it comes. */
function firstStderr(dc: DebugClient): Promise<string> {
  return new Promise<string>((done) => {
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === 'stderr') done(e.body.output);
    });
  });
}

/** The first stderr output event, and the terminated event, whenever they come. */
function watchEnd(dc: DebugClient): { stderr: Promise<string>; terminated: Promise<unknown> } {
  return { stderr: firstStderr(dc), terminated: dc.waitForEvent('terminated') };
}

/** After the worker died: no threads, and a stackTrace is refused, not left waiting. */
async function assertNoMachine(dc: DebugClient): Promise<void> {
  assert.deepEqual((await dc.threadsRequest()).body.threads, []);
  await assert.rejects(dc.stackTraceRequest({ threadId: 1 }), /no machine is running/);
}

test('engine worker faults end the session with a reason', async (t) => {
  const workers = await buildFaultWorkers(FAULTS);
  t.after(workers.dispose);

  await t.test('an uncaught error in the worker: terminated, with the message and where it was thrown', async () => {
    const adapter = await startInProcess({ workerPath: workers.paths['throw-on-run'] });
    const dc = await adapter.connect();
    try {
      await launchOnEntry(dc);
      const end = watchEnd(dc);
      await dc.continueRequest({ threadId: 1 });
      await end.terminated;
      const reason = await end.stderr;
      assert.match(reason, /^the engine failed: injected engine fault\n/);
      assert.match(reason, /\n\s+at .*throw-on-run/);
      await assertNoMachine(dc);
      assert.ok(await eventually(() => adapter.workers() === 0), 'the dead worker is no longer counted');
      // With no machine left, a restart that fails says so and ends the session again.
      const again = dc.waitForEvent('terminated');
      await assert.rejects(dc.customRequest('restart', { arguments: sampleConfig({ cpus: 0 }) }), /^Error: restart failed, and there is no machine left: .*cpus/);
      await again;
      // A good one brings a machine back.
      await dc.customRequest('restart', { arguments: sampleConfig({ stopOnEntry: true }) });
      assert.equal((await dc.threadsRequest()).body.threads.length, 4);
    } finally {
      await dc.stop();
      await adapter.close();
    }
  });

  await t.test('an error thrown by a run (the worker lives on): the machine stops with the error and where it was thrown', async () => {
    const adapter = await startInProcess({ workerPath: workers.paths['throw-in-run'] });
    const dc = await adapter.connect();
    try {
      await launchOnEntry(dc);
      const stderr = firstStderr(dc);
      const [, stop] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
      assert.equal(stop.body.reason, 'exception');
      assert.equal(stop.body.description, 'the engine failed: injected engine bug');
      assert.match(await stderr, /^the engine failed: injected engine bug\n\s+at /);
      assert.equal((await dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'engine-error');
      assert.equal((await dc.threadsRequest()).body.threads.length, 4);
    } finally {
      await dc.stop();
      await adapter.close();
    }
  });

  await t.test('the worker exits while it launches: the launch answers an error saying so, and no worker is left', async () => {
    const adapter = await startInProcess({ workerPath: workers.paths['exit-on-launch'] });
    const dc = await adapter.connect();
    try {
      await dc.initializeRequest();
      await assert.rejects(dc.launch(sampleConfig({ stopOnEntry: true })), /the engine worker exited with code 4/);
      await assertNoMachine(dc);
      assert.ok(await eventually(() => adapter.workers() === 0));
    } finally {
      await dc.stop();
      await adapter.close();
    }
  });

  await t.test('the worker exits: the waiting stackTrace gets an error, then terminated', async () => {
    const adapter = await startInProcess({ workerPath: workers.paths['exit-on-stack'] });
    const dc = await adapter.connect();
    try {
      await launchOnEntry(dc);
      const end = watchEnd(dc);
      await assert.rejects(dc.stackTraceRequest({ threadId: 1 }), /the engine worker exited with code 3/);
      await end.terminated;
      assert.equal(await end.stderr, 'the engine worker exited with code 3\n');
      await assertNoMachine(dc);
    } finally {
      await dc.stop();
      await adapter.close();
    }
  });

  await t.test('the worker runs out of memory under its heap limit: the waiting disassemble gets an error, then terminated', async () => {
    const adapter = await startInProcess({ workerPath: workers.paths['oom-on-disassemble'], workerLimits: { maxOldGenerationSizeMb: 128 } });
    const dc = await adapter.connect();
    try {
      await launchOnEntry(dc);
      const end = watchEnd(dc);
      await assert.rejects(dc.disassembleRequest({ memoryReference: '0x90000000', instructionCount: 10 }), /the engine ran out of memory \(its heap limit is 128 MiB\)/);
      await end.terminated;
      assert.match(await end.stderr, /^the engine ran out of memory/);
      await assertNoMachine(dc);
    } finally {
      await dc.stop();
      await adapter.close();
    }
  });
});
