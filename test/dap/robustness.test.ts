// Every request either works or says it doesn't: unimplemented requests are
// refused, arguments are checked and named, large requests are bounded, and
// requests that need a machine say so before launch.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launchOnEntry, SAMPLE, sampleConfig, startClient } from './dap-client';

/** The error message a request is refused with; fails if it succeeds. */
async function refusal(dc: DebugClient, command: string, args?: unknown): Promise<string> {
  const r = await dc.customRequest(command, args).then(
    (ok: DebugProtocol.Response) => assert.fail(`${command} succeeded: ${JSON.stringify(ok.body)}`),
    (e: Error) => e.message,
  );
  return r;
}

const UNSUPPORTED = [
  'attach', 'setExpression', 'stepBack', 'reverseContinue', 'restartFrame', 'goto', 'gotoTargets', 'terminateThreads',
  'cancel', 'dataBreakpointInfo', 'setDataBreakpoints', 'source', 'stepInTargets',
];

test('unimplemented requests are refused and not advertised', async () => {
  const dc = await startClient();
  try {
    const caps = (await dc.initializeRequest()).body ?? {};
    for (const c of ['supportsStepBack', 'supportsSetExpression', 'supportsRestartFrame', 'supportsGotoTargetsRequest', 'supportsTerminateThreadsRequest',
      'supportsCancelRequest', 'supportsDataBreakpoints', 'supportsStepInTargetsRequest'] as const) {
      assert.ok(!caps[c], `${c} is not advertised`);
    }
    assert.equal(caps.supportsModulesRequest, true);
    assert.equal(caps.supportsLoadedSourcesRequest, true);
    for (const command of UNSUPPORTED) assert.match(await refusal(dc, command, {}), new RegExp(`^"${command}" is not supported by this debug adapter`));
    assert.match(await refusal(dc, 'noSuchRequest', {}), /unrecognized request/);
  } finally {
    await dc.stop();
  }
});

test('requests that need a machine say so before launch', async () => {
  const dc = await startClient();
  try {
    await dc.initializeRequest();
    for (const [command, args] of [
      ['pause', { threadId: 1 }], ['continue', { threadId: 1 }], ['next', { threadId: 1 }], ['stepIn', { threadId: 1 }], ['stepOut', { threadId: 1 }],
      ['stackTrace', { threadId: 1 }], ['scopes', { frameId: 1000 }], ['readMemory', { memoryReference: '0x80000000', count: 4 }],
      ['writeMemory', { memoryReference: '0x80000000', data: 'AAAA' }], ['disassemble', { memoryReference: '0x80000000', instructionCount: 4 }],
    ] as const) {
      assert.match(await refusal(dc, command, args), /no machine is running; launch first/, command);
    }
    assert.deepEqual((await dc.threadsRequest()).body.threads, []);
    assert.deepEqual((await dc.customRequest('loadedSources', {})).body.sources, []);
  } finally {
    await dc.stop();
  }
});

test('arguments are checked and named; large requests are bounded', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc);
    // Threads.
    for (const command of ['continue', 'next', 'stepIn', 'stepOut', 'pause']) {
      assert.match(await refusal(dc, command, { threadId: -1 }), /"threadId" -1 is not a thread: the threads are 1 to 4/, command);
      assert.match(await refusal(dc, command, { threadId: 99 }), /"threadId" 99 is not a thread/, command);
      assert.match(await refusal(dc, command, { threadId: '1' }), /"threadId" must be an integer, not "1"/, command);
      assert.match(await refusal(dc, command, {}), /"threadId" is missing/, command);
    }
    assert.match(await refusal(dc, 'next', { threadId: 1, granularity: 'word' }), /"granularity" must be one of "statement", "line", "instruction", not "word"/);
    assert.match(await refusal(dc, 'continue', { threadId: 1, singleThread: 'yes' }), /"singleThread" must be true or false/);
    // Stacks and variables.
    assert.match(await refusal(dc, 'stackTrace', { threadId: 1, startFrame: -1 }), /"startFrame" must be at least 0, not -1/);
    assert.match(await refusal(dc, 'stackTrace', { threadId: 1, levels: -2 }), /"levels" must be at least 0, not -2/);
    assert.match(await refusal(dc, 'stackTrace', { threadId: 0 }), /"threadId" 0 is not a thread/);
    assert.match(await refusal(dc, 'scopes', { frameId: 99_000 }), /"frameId" 99000 is not a stack frame of any thread/);
    assert.match(await refusal(dc, 'scopes', { frameId: 1.5 }), /"frameId" must be an integer, not 1.5/);
    assert.match(await refusal(dc, 'variables', { variablesReference: 424242 }), /"variablesReference" 424242 is not known/);
    assert.match(await refusal(dc, 'variables', { variablesReference: null }), /"variablesReference" must be an integer, not null/);
    // Memory.
    assert.match(await refusal(dc, 'readMemory', { memoryReference: '0x90000000', count: -1 }), /"count" must be at least 0, not -1/);
    assert.match(await refusal(dc, 'readMemory', { memoryReference: '0x90000000', count: 0.5 }), /"count" must be an integer, not 0.5/);
    assert.match(await refusal(dc, 'readMemory', { memoryReference: 42, count: 4 }), /"memoryReference" must be a string, not 42/);
    const before = (await dc.customRequest('readMemory', { memoryReference: '0x90000000', count: 8 })).body as DebugProtocol.ReadMemoryResponse['body'];
    assert.match(await refusal(dc, 'writeMemory', { memoryReference: '0x90000000', data: 'not base64!' }), /"data" is not base64: "not base64!"/);
    const after = (await dc.customRequest('readMemory', { memoryReference: '0x90000000', count: 8 })).body as DebugProtocol.ReadMemoryResponse['body'];
    assert.deepEqual(after, before, 'a refused write changes nothing');
    const tooMuch = Buffer.alloc((1 << 20) + 1).toString('base64');
    assert.match(await refusal(dc, 'writeMemory', { memoryReference: '0x90000000', data: tooMuch }), /"data" holds 1048577 bytes, over the limit of 1048576 bytes a request/);
    const capped = dc.waitForEvent('output');
    const huge = (await dc.customRequest('readMemory', { memoryReference: '0x90000000', count: 5 << 20 })).body as DebugProtocol.ReadMemoryResponse['body'];
    assert.equal(Buffer.from(huge!.data!, 'base64').length + (huge!.unreadableBytes ?? 0), 1 << 20);
    assert.match((await capped).body.output, /readMemory: "count" 5242880 is over the limit of 1048576 bytes a request; read the first 1048576/);
    // Disassembly.
    assert.match(await refusal(dc, 'disassemble', { memoryReference: '0x90000000', instructionCount: 1e9 }), /"instructionCount" must be at most 10000, not 1000000000/);
    assert.match(await refusal(dc, 'disassemble', { memoryReference: '0x90000000', instructionCount: 4, instructionOffset: -1e9 }), /"instructionOffset" must be at least -10000/);
    const ok = (await dc.disassembleRequest({ memoryReference: '0x90000000', instructionCount: 10_000 })).body!.instructions;
    assert.equal(ok.length, 10_000);
    // The session still works.
    assert.equal((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.length, 1);
  } finally {
    await dc.stop();
  }
});

test('loadedSources and modules list what the machine loaded', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc);
    const sources = ((await dc.customRequest('loadedSources', {})).body as DebugProtocol.LoadedSourcesResponse['body']).sources;
    assert.deepEqual(sources.map((s) => s.path).sort(), [join(SAMPLE, 'root.S'), join(SAMPLE, 'zone1.S')]);
    const modules = (await dc.customRequest('modules', {})).body as DebugProtocol.ModulesResponse['body'];
    assert.equal(modules.totalModules, 2);
    assert.deepEqual(modules.modules.map((m) => m.name), ['root.S', 'zone1.S']);
    for (const m of modules.modules) {
      assert.match(m.addressRange ?? '', /^0x[0-9a-f]+-0x[0-9a-f]+$/);
      assert.equal(m.symbolStatus, 'Symbols loaded.');
    }
    assert.match(modules.modules[0]!.addressRange!, /^0x90000000-/);
    const second = (await dc.customRequest('modules', { startModule: 1, moduleCount: 1 })).body as DebugProtocol.ModulesResponse['body'];
    assert.deepEqual(second.modules.map((m) => m.name), ['zone1.S']);
  } finally {
    await dc.stop();
  }
});

test('restarts are serialized, and a bad one keeps the machine', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc);
    const stops = [dc.waitForEvent('stopped')];
    const [first, second] = await Promise.all([dc.customRequest('restart', { arguments: sampleConfig({ stopOnEntry: true }) }), dc.customRequest('restart', {})]);
    assert.equal(first.success, true);
    assert.equal(second.success, true);
    await Promise.all(stops);
    assert.equal((await dc.threadsRequest()).body.threads.length, 4);

    const bad = await refusal(dc, 'restart', { arguments: sampleConfig({ cpus: 'four' }) });
    assert.match(bad, /^restart failed, the machine runs on as it was: .*cpus/);
    assert.equal((await dc.threadsRequest()).body.threads.length, 4);
    const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    assert.match(frames[0]!.name, /^_start/);
    assert.match(await refusal(dc, 'restart', { arguments: 7 }), /the launch configuration must be an object, not 7/);
    let deep: unknown = [];
    for (let i = 0; i < 1000; i++) deep = [deep];
    assert.match(await refusal(dc, 'restart', { arguments: sampleConfig({ zones: deep }) }), /launch attribute "zones" is nested more than 64 levels deep/);
    assert.equal((await dc.threadsRequest()).body.threads.length, 4);
  } finally {
    await dc.stop();
  }
});
