// Run control over DAP: solo stepping that leaves the other CPUs alone,
// breakpoints with hitBreakpointIds, setVariable changing what the guest
// prints, memory the guest wrote, and a lock-wait stop that does not hang.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, continueTo, launchOnEntry, SAMPLE, scopeVariables, startClient, stepInstruction } from './dap-client';

async function evaluate(dc: DebugClient, cpu: number, expression: string): Promise<DebugProtocol.EvaluateResponse['body']> {
  const frames = (await dc.stackTraceRequest({ threadId: cpu + 1 })).body.stackFrames;
  return (await dc.evaluateRequest({ expression, frameId: frames[frames.length - 1]!.id, context: 'watch' })).body;
}

async function pcAndCount(dc: DebugClient, cpus: number): Promise<string[]> {
  const out: string[] = [];
  for (let cpu = 0; cpu < cpus; cpu++) out.push(`${(await evaluate(dc, cpu, 'pc')).result} ${(await evaluate(dc, cpu, 'instret')).result}`);
  return out;
}

test('solo stepping CPU 1 moves no other CPU; function breakpoints report hitBreakpointIds', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc, { runMode: 'solo' });
    // Solo mode: continuing CPU 0 runs CPU 0 alone, and says so.
    const fb = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'cpu1_entry' }] });
    const bpId = fb.body.breakpoints[0]!.id!;
    assert.equal(fb.body.breakpoints[0]!.verified, true);
    await dc.setExceptionBreakpointsRequest({ filters: ['sbi'] });
    const [cont] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal(cont.body.allThreadsContinued, false);
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    // CPU 0 ran past hart_start; now everything runs until CPU 1 reaches its entry.
    await dc.customRequest('setRunMode', { mode: 'all' });
    const hit = await continueTo(dc, 1);
    assert.equal(hit.body.threadId, 2);
    assert.equal(hit.body.reason, 'function breakpoint');
    assert.deepEqual(hit.body.hitBreakpointIds, [bpId]);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });

    const before = await pcAndCount(dc, 4);
    for (let i = 0; i < 5; i++) {
      const stop = await stepInstruction(dc, 2);
      assert.equal(stop.body.threadId, 2);
      assert.equal(stop.body.allThreadsStopped, false);
    }
    const after = await pcAndCount(dc, 4);
    assert.notEqual(after[1], before[1], 'CPU 1 moved');
    assert.deepEqual([after[0], after[2], after[3]], [before[0], before[2], before[3]], 'no other CPU moved');
    const count = (s: string): number => Number(BigInt(s.split(' ')[1]!));
    assert.equal(count(after[1]!) - count(before[1]!), 5);

    // Frozen CPUs stay put on continue; the run-state request reports them.
    const frozen = (await dc.customRequest('freezeCpu', { threadId: 1 })).body as { frozen: number[] };
    assert.deepEqual(frozen.frozen, [0]);
    const names = (await dc.threadsRequest()).body.threads.map((t) => t.name);
    assert.match(names[0]!, /frozen$/);
  } finally {
    await dc.stop();
  }
});

test('a source breakpoint, then setVariable on a0, changes what the guest prints; readMemory sees what it wrote', async () => {
  const dc = await startClient();
  const output = collectOutput(dc);
  try {
    await launchOnEntry(dc);
    const path = resolve(SAMPLE, 'root.S');
    const set = await dc.setBreakpointsRequest({ source: { path }, breakpoints: [{ line: 82 }] });
    const bp = set.body.breakpoints[0]!;
    assert.equal(bp.verified, true);
    assert.equal(bp.line, 82);
    const hit = await continueTo(dc, 1);
    assert.equal(hit.body.reason, 'breakpoint');
    assert.equal(hit.body.threadId, 1);
    assert.deepEqual(hit.body.hitBreakpointIds, [bp.id]);
    const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
    assert.equal(top.line, 82);
    assert.equal(top.source?.path, path);

    const regs = await scopeVariables(dc, 1, 'Registers');
    assert.equal(regs.get('a0')!.value, '0x0');
    const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    const scopes = (await dc.scopesRequest({ frameId: frames[0]!.id })).body.scopes;
    const ref = scopes.find((s) => s.name === 'Registers')!.variablesReference;
    await dc.variablesRequest({ variablesReference: ref });
    const setVar = await dc.setVariableRequest({ variablesReference: ref, name: 'a0', value: '7' });
    assert.equal(setVar.body.value, '0x7');
    assert.equal((await evaluate(dc, 0, 'x10')).result, '0x7');

    // Stop again once the counter is done (list_zones comes after zone 1 finishes).
    await dc.setBreakpointsRequest({ source: { path }, breakpoints: [] });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'list_zones' }] });
    const atList = await continueTo(dc, 1);
    assert.equal(atList.body.reason, 'function breakpoint');
    const counter = await evaluate(dc, 0, 'counter');
    assert.ok(counter.memoryReference);
    const mem = await dc.customRequest('readMemory', { memoryReference: counter.memoryReference, count: 8 }) as DebugProtocol.ReadMemoryResponse;
    assert.equal(Buffer.from(mem.body!.data!, 'base64').readBigUInt64LE(0), 2000n);
    const physical = await dc.customRequest('readMemory', { memoryReference: `pa:${counter.result.split(' ')[0]}`, count: 8 }) as DebugProtocol.ReadMemoryResponse;
    assert.equal(Buffer.from(physical.body!.data!, 'base64').readBigUInt64LE(0), 2000n);
    assert.match((await evaluate(dc, 0, '*(u64*)counter')).result, /^0x7d0 \(2000\)$/);
    // Write memory back and read it through evaluate.
    await dc.customRequest('writeMemory', { memoryReference: counter.memoryReference, data: Buffer.from([0xd1, 0x07, 0, 0, 0, 0, 0, 0]).toString('base64') });
    assert.match((await evaluate(dc, 0, '*(u64*)counter')).result, /\(2001\)$/);

    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('terminated')]);
    assert.match(output.text(), /^\[zone 0\] \[root\] hello from hart 7 \(dtb 0x8f000000\)$/m);
    assert.match(output.text(), /^\[zone 1\] \[zone1\] hello from hart 2/m);
  } finally {
    await dc.stop();
  }
});

test('stepping a CPU that waits for a lock a frozen CPU holds stops at once', async () => {
  const dc = await startClient();
  try {
    const dir = resolve('test/dap/fixtures/lock-wait');
    await launchOnEntry(dc, { cwd: dir, arch: 'riscv64', board: 'qemu-plic', cpus: 3, rootZone: 'root.json', images: [{ path: 'contend.S', zone: 0 }], zones: [] }, ['sbi']);
    let stop: DebugProtocol.StoppedEvent;
    do stop = await continueTo(dc, 1);
    while (stop.body.description !== 'CPU 0: sbi: hart_start: holding ctrl_lock(2)');
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    let reason = '';
    const started = Date.now();
    for (let i = 0; i < 200 && stop.body.reason !== 'lock wait'; i++) stop = await stepInstruction(dc, 2);
    reason = stop.body.description ?? '';
    assert.equal(stop.body.reason, 'lock wait');
    assert.equal(stop.body.threadId, 2);
    assert.equal(reason, 'CPU 1 waits for ctrl_lock(2) held by CPU 0');
    assert.ok(Date.now() - started < 10_000);
    // Stepping again stops at once for the same reason: it never hangs.
    stop = await stepInstruction(dc, 2);
    assert.equal(stop.body.reason, 'lock wait');
    const locks = await scopeVariables(dc, 2, 'Locks');
    assert.equal(locks.get('ctrl_lock(2)')!.value, 'held by CPU 0; waiters: CPU 1 (lock)');
    assert.match((await dc.threadsRequest()).body.threads[1]!.name, /^CPU 1 · root · hv: /);
  } finally {
    await dc.stop();
  }
});
