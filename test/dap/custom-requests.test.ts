// The contracts the adapter shares with the extension and the engine: the
// custom requests as protocol/custom-requests.ts declares them (typed on both
// sides, arguments checked), the exception filters from the engine's event
// declarations, and trace lines in the engine's one format.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { HV_EVENTS } from '../../engine/hv/events';
import { readFrozen, readMode, sendCustomRequest, type CustomBody } from '../../protocol/custom-requests';
import { traceText } from '../../protocol/trace-output';
import { launchOnEntry, startClient } from './dap-client';

test('the exception filters are the hypervisor events the engine declares', async () => {
  const dc = await startClient();
  try {
    const init = await dc.initializeRequest();
    assert.deepEqual(init.body?.exceptionBreakpointFilters?.map((f) => [f.filter, f.label]), HV_EVENTS.map((e) => [e.kind, e.label]));
    assert.deepEqual(init.body?.exceptionBreakpointFilters?.filter((f) => f.default).map((f) => f.filter), ['would-panic', 'guest-panic']);
  } finally {
    await dc.stop();
  }
});

test('custom requests: declared bodies, and errors naming a bad argument; trace lines in the engine format', async () => {
  const dc = await startClient();
  try {
    const traces: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      const text = traceText({ type: 'event', event: 'output', body: e.body });
      if (text !== undefined) traces.push(text);
    });
    await launchOnEntry(dc, { trace: true, runMode: 'all' }, ['sbi']);

    const body = async <T>(reply: PromiseLike<unknown>): Promise<T> => ((await reply) as DebugProtocol.Response).body as T;
    const state = await body<CustomBody<'getRunState'>>(sendCustomRequest(dc, 'getRunState', {}));
    assert.deepEqual(state, { mode: 'all', frozen: [], running: false });
    const frozen = await body<CustomBody<'freezeCpu'>>(sendCustomRequest(dc, 'freezeCpu', { threadId: 3 }));
    assert.deepEqual(readFrozen(frozen), [2]);
    assert.deepEqual(readFrozen(await body(sendCustomRequest(dc, 'thawCpu', { threadId: 3 }))), []);
    assert.equal(readMode(await body(sendCustomRequest(dc, 'setRunMode', { mode: 'solo' }))), 'solo');

    const failures: [string, unknown, RegExp][] = [
      ['freezeCpu', {}, /threadId must be an integer, not missing/],
      ['freezeCpu', { threadId: '1' }, /threadId must be an integer, not "1"/],
      ['thawCpu', { threadId: 99 }, /there is no thread 99/],
      ['runOnlyCpu', { threadId: 0 }, /there is no thread 0/],
      ['setRunMode', { mode: 'some' }, /mode must be "all" or "solo", not "some"/],
      ['getRunState', [1], /arguments must be an object/],
      ['noSuchRequest', {}, /unrecognized request/i],
    ];
    for (const [command, args, message] of failures) {
      await assert.rejects(dc.customRequest(command, args), message, command);
    }
    assert.deepEqual(readFrozen(await body(sendCustomRequest(dc, 'getRunState', {}))), []);

    // runOnlyCpu continues that CPU alone, as the continue response says.
    const [run] = await Promise.all([sendCustomRequest(dc, 'runOnlyCpu', { threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal(((run as DebugProtocol.Response).body as CustomBody<'runOnlyCpu'>).allThreadsContinued, false);
    assert.ok(traces.length > 0, 'trace lines arrived');
    for (const line of traces) assert.match(line, /^\[ {0,11}\d+\] cpu\d+ [a-z0-9-]+: .*\n$/);
  } finally {
    await dc.stop();
  }
});
