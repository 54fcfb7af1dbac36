// A fuzz test of the standalone adapter's framing and request arguments,
// from a fixed seed: random bytes and broken frames between requests of
// every DAP command with arguments of random shape. Every request must get a
// response in time (no hang), every refusal must carry a message, the
// adapter must never exit, and a normal session must work afterwards.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawAdapter, type Message } from './raw-adapter';
import { sampleConfig } from './dap-client';
import { unitsFrom } from '../oracle/seeded-random';

const SEED = 0x11_2026;
const BEFORE_LAUNCH = 120;
const AFTER_LAUNCH = 220;
/** No request may take longer to answer, resynchronising after a bad frame included. */
const RESPONSE_MS = 8000;


const COMMANDS = [
  'initialize', 'configurationDone', 'launch', 'attach', 'restart', 'setBreakpoints', 'setFunctionBreakpoints', 'setExceptionBreakpoints',
  'setInstructionBreakpoints', 'continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'restartFrame', 'goto', 'pause',
  'stackTrace', 'scopes', 'variables', 'setVariable', 'setExpression', 'source', 'threads', 'terminateThreads', 'modules', 'loadedSources',
  'evaluate', 'stepInTargets', 'gotoTargets', 'completions', 'exceptionInfo', 'readMemory', 'writeMemory', 'disassemble', 'cancel',
  'breakpointLocations', 'dataBreakpointInfo', 'setDataBreakpoints', 'freezeCpu', 'thawCpu', 'runOnlyCpu', 'setRunMode', 'getRunState', 'noSuchCommand',
];
/** Commands that would end the session or replace it with one the fuzz did not configure. */
const AFTER_LAUNCH_EXCLUDED = new Set(['launch', 'attach', 'initialize']);

const KEYS = [
  'threadId', 'frameId', 'variablesReference', 'memoryReference', 'count', 'offset', 'data', 'instructionCount', 'instructionOffset',
  'startFrame', 'levels', 'expression', 'context', 'name', 'value', 'source', 'breakpoints', 'lines', 'filters', 'filterOptions',
  'granularity', 'singleThread', 'arguments', 'startModule', 'moduleCount', 'format', 'allowPartial', 'resolveSymbols', 'mode',
  'text', 'column', 'line', 'requestId', 'targetId', 'start', 'cwd', 'cpus', 'images',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function randomValue(random: () => number, depth = 0): unknown {
  const scalars: unknown[] = [
    -1, 0, 1, 2, 4, 5, 999, 1000, 1001, 2000, 1e9, -1e9, 1.5, 2 ** 53, -(2 ** 63), '0x90000000', '0x0', '', 'abc', 'AAAA', 'not base64!',
    'line', 'instruction', 'repl', 'hover', 'all', 'solo', 'sbi', 'a0', 't0 + 1', '*(u64*)sp', 'A'.repeat(500), '\u0000', true, false, null,
  ];
  const r = random();
  if (depth < 2 && r < 0.12) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  if (depth < 2 && r < 0.24) return randomArguments(random, depth + 1);
  return pick(random, scalars);
}

function randomArguments(random: () => number, depth = 0): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const n = Math.floor(random() * 5);
  for (let i = 0; i < n; i++) args[pick(random, KEYS)] = randomValue(random, depth);
  return args;
}

/** Bytes that are not a well-formed message: junk, broken headers, lengths that do not fit, broken JSON. */
function garbage(random: () => number): Buffer {
  const json = ['{', 'null', '[]', '{"seq":"x"}', '{"type":"request"}', '{"seq":1,"type":"event"}', '{"a":', '"\\ud800"', '1e999'];
  switch (Math.floor(random() * 7)) {
    case 0:
      return Buffer.from(Array.from({ length: Math.floor(random() * 48) }, () => Math.floor(random() * 256)));
    case 1:
      return Buffer.from(`Content-Length: ${pick(random, ['x', '-1', '', '1.5', '99999999999', ' 3 4'])}\r\n\r\n`);
    case 2: {
      const body = pick(random, json);
      return Buffer.from(`Content-Length: ${Math.max(0, body.length - Math.floor(random() * 3))}\r\n\r\n${body}`);
    }
    case 3:
      // Longer than what follows it: the next request's bytes are swallowed until the reader resynchronises.
      return Buffer.from(`Content-Length: ${pick(random, [20, 60, 400])}\r\n\r\n{"x":`);
    case 4:
      return Buffer.concat([Buffer.from('Content-Length: 6\r\n\r\n"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"')]);
    case 5:
      return Buffer.from(`Content-Len`);
    default: {
      const body = pick(random, json);
      return Buffer.from(`Content-Length: ${body.length}\r\n\r\n${body}`);
    }
  }
}

/** Requests whose every argument is checked before use: a refusal names the argument, never a JavaScript error. */
const CHECKED = new Set([
  'launch', 'restart', 'continue', 'next', 'stepIn', 'stepOut', 'pause', 'threads', 'stackTrace', 'scopes', 'variables', 'setVariable',
  'readMemory', 'writeMemory', 'disassemble', 'loadedSources', 'modules', 'attach', 'stepBack', 'reverseContinue', 'restartFrame', 'goto',
  'gotoTargets', 'setExpression', 'terminateThreads', 'cancel', 'dataBreakpointInfo', 'setDataBreakpoints', 'source', 'stepInTargets',
]);
const JS_ERROR = /Cannot read properties|is not iterable|is not a function|Cannot convert|Invalid array length|Maximum call stack/;

/** A response to a request is proper: a boolean success, and a message when it failed. */
function assertProper(r: Message, command: string): void {
  assert.equal(typeof r.success, 'boolean', `${command}: success is a boolean`);
  if (r.success) return;
  assert.ok(typeof r.message === 'string' && r.message.length > 0, `${command}: a refusal says why`);
  if (CHECKED.has(command)) assert.doesNotMatch(r.message, JS_ERROR, `${command}: a refusal names what was wrong`);
}

async function fuzz(a: RawAdapter, random: () => number, rounds: number, commands: readonly string[]): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (random() < 0.3) a.write(garbage(random));
    const command = pick(random, commands);
    const args = random() < 0.1 ? undefined : randomArguments(random);
    const seq = a.request(command, args);
    const r = await a.response(seq, RESPONSE_MS).catch((e: Error) => assert.fail(`round ${i}: ${command} ${JSON.stringify(args)}: ${e.message}`));
    assertProper(r, command);
    assert.equal(a.exitCode, undefined, `round ${i}: the adapter is still running`);
  }
}

test('fuzzed frames and arguments: no exit, no hang, only proper responses', { timeout: 120_000 }, async () => {
  const random = unitsFrom(SEED);
  const a = new RawAdapter();
  try {
    await fuzz(a, random, BEFORE_LAUNCH, COMMANDS);
    const init = a.request('initialize', { adapterID: 'hvisor', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    assert.equal((await a.response(init)).success, true);
    const launch = a.request('launch', sampleConfig({ stopOnEntry: true }));
    await a.next((m) => m.event === 'initialized');
    a.request('configurationDone');
    assert.equal((await a.response(launch)).success, true);
    await fuzz(a, random, AFTER_LAUNCH, COMMANDS.filter((c) => !AFTER_LAUNCH_EXCLUDED.has(c)));

    // A normal session works afterwards: restart from the sample, stop on entry, look at CPU 0.
    const from = a.messages.length;
    const restart = a.request('restart', { arguments: sampleConfig({ stopOnEntry: true }) });
    assert.equal((await a.response(restart)).success, true);
    await a.next((m) => m.event === 'stopped' && m.body?.reason === 'entry', 10_000, from);
    const threads = await a.response(a.request('threads'));
    assert.equal((threads.body?.threads as unknown[]).length, 4);
    const stack = await a.response(a.request('stackTrace', { threadId: 1 }));
    assert.match((stack.body?.stackFrames as { name: string }[])[0]!.name, /^_start/);
    assert.equal(a.exitCode, undefined);
    assert.equal(a.stderr, '', 'nothing on the process stderr');
  } finally {
    a.kill();
  }
});
