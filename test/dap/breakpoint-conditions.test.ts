// Conditions, hit conditions and logpoints on source, function and
// instruction breakpoints and on exception filters, over DAP against
// dist/debug-adapter.js, on both samples. Both CPUs of the root zone run
// `count`, whose loop counts a register down from 1000: the register's value
// at a stop tells which hit stopped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startClient } from './dap-client';

interface Sample {
  readonly dir: string;
  /** The loop register of `count`, and the line in root.S where each round starts its work. */
  readonly counter: string;
  readonly loopLine: number;
  /** An exception filter both zones raise, and a condition only zone 1's call (on CPU 2) meets. */
  readonly filter: string;
  readonly zone1Call: string;
  readonly link: string;
  /** The call of `count` in _start (root.S); the line after it follows the call. */
  readonly callCount: RegExp;
}

const SAMPLES: Readonly<Record<string, Sample>> = {
  riscv64: { dir: resolve('samples/riscv64-zones'), counter: 's0', loopLine: lineOf('samples/riscv64-zones/root.S', /^\s+ld\s+t0, counter$/), filter: 'sbi', zone1Call: 'a7 == 0x48534d && a0 == 3', link: 'ra', callCount: /^\s+call\s+count$/ },
  aarch64: { dir: resolve('samples/aarch64-zones'), counter: 'x19', loopLine: lineOf('samples/aarch64-zones/root.S', /^\s+adr\s+x9, counter$/), filter: 'psci', zone1Call: 'x0 == 0xc4000003 && x1 == 3', link: 'x30', callCount: /^\s+bl\s+count\b/ },
};

/** The first line matching `pattern` inside `count`. */
function lineOf(file: string, pattern: RegExp): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('count:'));
  const i = lines.findIndex((l, n) => n > start && pattern.test(l));
  if (i < 0) throw new Error(`${file}: no line matches ${pattern}`);
  return i + 1;
}

/** The first line of root.S matching `pattern`. */
function rootLine(s: Sample, pattern: RegExp): number {
  return readFileSync(`${s.dir}/root.S`, 'utf8').split('\n').findIndex((l) => pattern.test(l)) + 1;
}

function config(s: Sample): Record<string, unknown> {
  const launch = JSON.parse(readFileSync(`${s.dir}/launch.json`, 'utf8')) as Record<string, unknown>;
  return { type: 'hvisor', request: 'launch', name: 'conditions', cwd: s.dir, ...launch, stopOnEntry: true };
}

async function launch(dc: DebugClient, s: Sample, filterOptions: DebugProtocol.ExceptionFilterOptions[] = []): Promise<DebugProtocol.SetExceptionBreakpointsResponse> {
  let filters: DebugProtocol.SetExceptionBreakpointsResponse | undefined;
  const configured = dc.waitForEvent('initialized').then(async () => {
    filters = await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions });
    await dc.configurationDoneRequest();
  });
  await Promise.all([configured, dc.launch(config(s)), dc.waitForEvent('stopped')]);
  return filters!;
}

async function continueTo(dc: DebugClient, threadId = 1): Promise<DebugProtocol.StoppedEvent> {
  const [, stop] = await Promise.all([dc.continueRequest({ threadId }), dc.waitForEvent('stopped')]);
  return stop as DebugProtocol.StoppedEvent;
}

/** A value on the stopped thread's CPU, in decimal. */
async function value(dc: DebugClient, threadId: number, expression: string): Promise<string> {
  const frames = (await dc.stackTraceRequest({ threadId })).body.stackFrames;
  return (await dc.evaluateRequest({ expression, frameId: frames[frames.length - 1]!.id, context: 'watch', format: { hex: false } })).body.result;
}

async function sourceBreakpoint(dc: DebugClient, s: Sample, bp: Omit<DebugProtocol.SourceBreakpoint, 'line'>, line = s.loopLine): Promise<DebugProtocol.Breakpoint> {
  const r = await dc.setBreakpointsRequest({ source: { path: resolve(s.dir, 'root.S') }, breakpoints: [{ line, ...bp }] });
  return r.body.breakpoints[0]!;
}

for (const [arch, s] of Object.entries(SAMPLES)) {
  test(`${arch}: the adapter advertises conditions, hit conditions, logpoints and filter conditions`, async () => {
    const dc = await startClient();
    try {
      const caps = (await dc.initializeRequest()).body!;
      assert.equal(caps.supportsConditionalBreakpoints, true);
      assert.equal(caps.supportsHitConditionalBreakpoints, true);
      assert.equal(caps.supportsLogPoints, true);
      assert.equal(caps.supportsExceptionFilterOptions, true);
      assert.equal(caps.exceptionBreakpointFilters!.find((f) => f.filter === s.filter)!.supportsCondition, true);
      assert.equal(caps.exceptionBreakpointFilters!.find((f) => f.filter === 'would-panic')!.supportsCondition, undefined);
    } finally {
      await dc.stop();
    }
  });

  test(`${arch}: a conditional source breakpoint stops only where its condition holds`, async () => {
    const dc = await startClient();
    try {
      await launch(dc, s);
      const bp = await sourceBreakpoint(dc, s, { condition: `${s.counter} == 995` });
      assert.equal(bp.verified, true);
      const stop = await continueTo(dc);
      assert.equal(stop.body.reason, 'breakpoint');
      assert.deepEqual(stop.body.hitBreakpointIds, [bp.id]);
      assert.equal(await value(dc, stop.body.threadId!, s.counter), '995');
      // The other CPU reaches round 995 too, later.
      const again = await continueTo(dc, stop.body.threadId);
      assert.equal(await value(dc, again.body.threadId!, s.counter), '995');
      assert.notEqual(again.body.threadId, stop.body.threadId);
    } finally {
      await dc.stop();
    }
  });

  test(`${arch}: hit counts N, >= N and % N count only the hits whose condition holds`, async () => {
    const dc = await startClient();
    try {
      await launch(dc, s);
      const rounds = async (hitCondition: string, stops: number): Promise<string[]> => {
        await dc.setBreakpointsRequest({ source: { path: resolve(s.dir, 'root.S') }, breakpoints: [] });
        await Promise.all([dc.restartRequest({}), dc.waitForEvent('stopped')]);
        const bp = await sourceBreakpoint(dc, s, { condition: 'id == 0', hitCondition });
        assert.equal(bp.verified, true, bp.message);
        const out: string[] = [];
        for (let i = 0; i < stops; i++) {
          const stop = await continueTo(dc);
          assert.equal(stop.body.threadId, 1, 'the condition keeps CPU 1 out');
          out.push(String(1001 - Number(await value(dc, 1, s.counter))));
        }
        return out;
      };
      assert.deepEqual(await rounds('3', 1), ['3']);
      assert.deepEqual(await rounds('>= 3', 3), ['3', '4', '5']);
      assert.deepEqual(await rounds('% 4', 2), ['4', '8']);
    } finally {
      await dc.stop();
    }
  });

  test(`${arch}: hit counts start again on restart`, async () => {
    const dc = await startClient();
    try {
      await launch(dc, s);
      await sourceBreakpoint(dc, s, { condition: 'id == 0', hitCondition: '2' });
      await continueTo(dc);
      assert.equal(await value(dc, 1, s.counter), '999');
      await Promise.all([dc.restartRequest({}), dc.waitForEvent('stopped')]);
      await continueTo(dc);
      assert.equal(await value(dc, 1, s.counter), '999');
    } finally {
      await dc.stop();
    }
  });

  test(`${arch}: a logpoint prints its interpolated message and does not stop`, async () => {
    const dc = await startClient();
    try {
      await launch(dc, s);
      const lines: DebugProtocol.OutputEvent['body'][] = [];
      dc.on('output', (e: DebugProtocol.OutputEvent) => {
        if (e.body.category === 'console' && e.body.output.startsWith('round')) lines.push(e.body);
      });
      const bp = await sourceBreakpoint(dc, s, { condition: 'id == 0', hitCondition: '<= 3', logMessage: `round {1001 - ${s.counter}} on CPU {id}, counter at {&counter}` });
      assert.equal(bp.verified, true, bp.message);
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'list_zones' }] });
      const stop = await continueTo(dc);
      assert.equal(stop.body.reason, 'function breakpoint', 'the logpoint never stopped the run');
      const counter = (await dc.evaluateRequest({ expression: 'counter', context: 'watch' })).body.result;
      assert.deepEqual(lines.map((l) => l.output), [1, 2, 3].map((n) => `round ${n} on CPU 0, counter at ${counter}\n`));
      assert.equal(lines[0]!.line, s.loopLine);
      assert.equal(lines[0]!.source?.path, resolve(s.dir, 'root.S'));
    } finally {
      await dc.stop();
    }
  });

  test(`${arch}: conditions on function and instruction breakpoints`, async () => {
    const dc = await startClient();
    try {
      await launch(dc, s);
      const fn = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'lock', condition: `id == 1 && ${s.counter} == 990` }] })).body.breakpoints[0]!;
      assert.equal(fn.verified, true, fn.message);
      const stop = await continueTo(dc);
      assert.equal(stop.body.reason, 'function breakpoint');
      assert.equal(stop.body.threadId, 2);
      assert.equal(await value(dc, 2, s.counter), '990');
      await dc.setFunctionBreakpointsRequest({ breakpoints: [] });

      // list_zones is called twice by CPU 0: the hit count, kept while the hit condition changes, tells the calls apart.
      const listZones = (await dc.evaluateRequest({ expression: 'list_zones', context: 'watch' })).body.result;
      const setIns = async (hitCondition: string): Promise<DebugProtocol.Breakpoint> => {
        const args: DebugProtocol.SetInstructionBreakpointsArguments = { breakpoints: [{ instructionReference: listZones, condition: 'id == 0', hitCondition }] };
        return ((await dc.customRequest('setInstructionBreakpoints', args)) as DebugProtocol.SetInstructionBreakpointsResponse).body.breakpoints[0]!;
      };
      assert.equal((await setIns('1')).verified, true);
      const first = await continueTo(dc, 2);
      assert.equal(first.body.reason, 'instruction breakpoint');
      assert.equal(first.body.threadId, 1);
      assert.equal(await value(dc, 1, 'pc == list_zones'), '1');
      const firstReturn = BigInt(await value(dc, 1, s.link));
      await setIns('2');
      await continueTo(dc, 1);
      assert.equal(await value(dc, 1, 'pc == list_zones'), '1');
      assert.ok(BigInt(await value(dc, 1, s.link)) > firstReturn, 'the second call');
    } finally {
      await dc.stop();
    }
  });

  test(`${arch}: a condition on the ${s.filter} exception filter is decided on the CPU that raised the event`, async () => {
    const dc = await startClient();
    try {
      const r = await launch(dc, s, [{ filterId: s.filter, condition: s.zone1Call }]);
      assert.deepEqual(r.body!.breakpoints!.map((b) => b.verified), [true]);
      const stop = await continueTo(dc);
      assert.equal(stop.body.reason, 'exception');
      assert.equal(stop.body.threadId, 3, 'zone 1 makes the call on CPU 2; the root zone\'s call on CPU 0 did not stop');
      assert.match(stop.body.description!, new RegExp(`CPU 2: ${s.filter}`));
    } finally {
      await dc.stop();
    }
  });

  test(`${arch}: next over a call stops after it past a false condition there, and inside it where a condition holds`, async () => {
    const dc = await startClient();
    try {
      await launch(dc, s);
      const path = resolve(s.dir, 'root.S');
      const call = rootLine(s, s.callCount);
      await dc.setBreakpointsRequest({ source: { path }, breakpoints: [{ line: call }] });
      await continueTo(dc);
      const line = async (): Promise<number> => (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.at(-1)!.line;
      assert.equal(await line(), call);
      const next = async (): Promise<DebugProtocol.StoppedEvent> => {
        const [, stop] = await Promise.all([dc.nextRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
        return stop as DebugProtocol.StoppedEvent;
      };
      // A condition inside the call that holds stops the next there.
      await dc.setBreakpointsRequest({ source: { path }, breakpoints: [{ line: s.loopLine, condition: `id == 0 && ${s.counter} == 500` }] });
      const inside = await next();
      assert.equal(inside.body.reason, 'breakpoint');
      assert.equal(await value(dc, 1, s.counter), '500');
      // Back at the call with a false condition on the line after it: the step still ends there.
      await Promise.all([dc.restartRequest({}), dc.waitForEvent('stopped')]);
      await dc.setBreakpointsRequest({ source: { path }, breakpoints: [{ line: call }, { line: call + 1, condition: '0 == 1' }] });
      await continueTo(dc);
      await next();
      assert.equal(await line(), call + 1);
      assert.equal(await value(dc, 1, 'counter == 0 || *(u64*)counter >= 1000'), '1', 'count ran to its end');
    } finally {
      await dc.stop();
    }
  });

  test(`${arch}: the ${s.filter} filter set both plainly and with a condition stops at every call`, async () => {
    const dc = await startClient();
    try {
      const r = await launch(dc, s, [{ filterId: s.filter }, { filterId: s.filter, condition: s.zone1Call }]);
      assert.deepEqual(r.body!.breakpoints!.map((b) => b.verified), [true, true]);
      const stop = await continueTo(dc);
      assert.equal(stop.body.threadId, 1, 'the root zone\'s call on CPU 0');
    } finally {
      await dc.stop();
    }
  });

  test(`${arch}: bad conditions are reported when they are set; a condition that fails at run time stops with the reason`, async () => {
    const dc = await startClient();
    try {
      await launch(dc, s);
      const path = resolve(s.dir, 'root.S');
      const bps = (await dc.setBreakpointsRequest({
        source: { path },
        breakpoints: [
          { line: s.loopLine, condition: 'nope == 1' },
          { line: s.loopLine, condition: `${s.counter} ==` },
          { line: s.loopLine, hitCondition: 'lots' },
          { line: s.loopLine, logMessage: 'x {id' },
        ],
      })).body.breakpoints;
      assert.deepEqual(bps.map((b) => b.verified), [false, false, false, false]);
      assert.match(bps[0]!.message!, /condition "nope == 1": column 1: no register, PerCpu field or symbol named "nope"/);
      assert.match(bps[1]!.message!, /the expression ends where an operand should be/);
      assert.match(bps[2]!.message!, /hit condition "lots"/);
      assert.match(bps[3]!.message!, /"\{" is never closed/);

      const filters = await dc.setExceptionBreakpointsRequest({ filters: ['hypercall', 'no-such-filter'], filterOptions: [{ filterId: 'deadlock', condition: 'id == 0' }, { filterId: s.filter, condition: 'a0 +' }] });
      assert.deepEqual(filters.body!.breakpoints!.map((b) => b.verified), [true, false, false, false]);
      assert.match(filters.body!.breakpoints![1]!.message!, /filters\[1\]: there is no exception filter "no-such-filter"/);
      assert.match(filters.body!.breakpoints![2]!.message!, /the "deadlock" filter takes no condition/);
      await assert.rejects(dc.setExceptionBreakpointsRequest({ filters: 'sbi' as unknown as string[] }), /`filters` must be an array/);
      await dc.setExceptionBreakpointsRequest({ filters: [] });

      await dc.setBreakpointsRequest({ source: { path }, breakpoints: [{ line: s.loopLine, condition: '*(u64*)0x10 == 1' }] });
      const stop = await continueTo(dc);
      assert.equal(stop.body.reason, 'breakpoint');
      assert.match(stop.body.text!, /the condition "\*\(u64\*\)0x10 == 1" could not be evaluated: .*cannot read 8 bytes at 0x10/);
    } finally {
      await dc.stop();
    }
  });
}

test('breakpoint arguments of the wrong shape are refused, naming the argument', async () => {
  const dc = await startClient();
  const s = SAMPLES.riscv64!;
  try {
    await launch(dc, s);
    const path = resolve(s.dir, 'root.S');
    const refused: [string, unknown, RegExp][] = [
      ['setBreakpoints', { breakpoints: [] }, /"source" must be an object, not missing/],
      ['setBreakpoints', { source: { path }, breakpoints: [{ line: '3' }] }, /"breakpoints\[0\]\.line" must be an integer, not "3"/],
      ['setBreakpoints', { source: { path }, breakpoints: [{ line: 3, condition: 5 }] }, /"breakpoints\[0\]\.condition" must be a string, not 5/],
      ['setBreakpoints', { source: { path }, breakpoints: [{ line: 3 }, { line: 4, hitCondition: ['3'] }] }, /"breakpoints\[1\]\.hitCondition" must be a string, not an array/],
      ['setBreakpoints', { source: { path }, lines: [3, -1] }, /"lines\[1\]" must be at least 1, not -1/],
      ['setFunctionBreakpoints', { breakpoints: 'count' }, /"breakpoints" must be an array, not "count"/],
      ['setFunctionBreakpoints', { breakpoints: [{ name: 'count', logMessage: null }] }, /"breakpoints\[0\]\.logMessage" must be a string, not null/],
      ['setInstructionBreakpoints', { breakpoints: [{ instructionReference: '0x90000000', offset: 1.5 }] }, /"breakpoints\[0\]\.offset" must be an integer, not 1\.5/],
      ['evaluate', { expression: 3 }, /"expression" must be a string, not 3/],
      ['evaluate', { expression: 'a0', frameId: 99_000 }, /"frameId" 99000 is not a stack frame of any thread/],
      ['completions', { text: 'a', column: 0 }, /"column" must be at least 1, not 0/],
    ];
    for (const [command, args, message] of refused) await assert.rejects(dc.customRequest(command, args), message, command);
    // The session carries on.
    assert.equal((await sourceBreakpoint(dc, s, { condition: 'id == 0' })).verified, true);
  } finally {
    await dc.stop();
  }
});
