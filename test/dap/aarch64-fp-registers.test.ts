// The FP/SIMD state in the Registers scope of an aarch64 CPU, over DAP
// against dist/debug-adapter.js: v0..v31 with their b/h/s/d lanes (s and d
// also as floating-point values), FPCR and FPSR with their fields, and
// setVariable and evaluate on a whole register, a lane and a field, and
// decimal values for the s and d lanes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { children, scopeVariables, startClient } from './dap-client';

const SAMPLE = resolve('samples/aarch64-zones');

async function launchOnEntry(dc: DebugClient): Promise<void> {
  const launch = JSON.parse(readFileSync(`${SAMPLE}/launch.json`, 'utf8')) as Record<string, unknown>;
  const configured = dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest());
  await Promise.all([configured, dc.launch({ type: 'hvisor', request: 'launch', name: 'fp registers', cwd: SAMPLE, ...launch, stopOnEntry: true }), dc.waitForEvent('stopped')]);
}

async function fpScope(dc: DebugClient): Promise<Map<string, DebugProtocol.Variable>> {
  const regs = await scopeVariables(dc, 1, 'Registers');
  const fp = regs.get('FP/SIMD registers');
  assert.ok(fp, [...regs.keys()].join(', '));
  return children(dc, fp);
}

async function set(dc: DebugClient, parent: DebugProtocol.Variable, name: string, value: string): Promise<string> {
  return (await dc.setVariableRequest({ variablesReference: parent.variablesReference, name, value })).body.value;
}

async function frameId(dc: DebugClient): Promise<number> {
  return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.id;
}

test('aarch64 Registers scope: v0..v31 with lane views, fpcr and fpsr with fields, setVariable and evaluate', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc);
    let fp = await fpScope(dc);
    assert.deepEqual([...fp.keys()], [...Array.from({ length: 32 }, (_, i) => `v${i}`), 'fpcr', 'fpsr']);
    assert.equal(fp.get('v0')!.value, `0x${'0'.repeat(32)}`);
    assert.equal(fp.get('fpcr')!.value, '0x00000000');

    // A whole register, then its lanes.
    const fpNode = (await scopeVariables(dc, 1, 'Registers')).get('FP/SIMD registers')!;
    assert.equal(await set(dc, fpNode, 'v3', '0x400921fb54442d18bfc000003f800000'), '0x400921fb54442d18bfc000003f800000');
    fp = await fpScope(dc);
    assert.equal(fp.get('v3')!.value, '0x400921fb54442d18bfc000003f800000');
    const lanes = await children(dc, fp.get('v3')!);
    assert.deepEqual([...lanes.keys()], ['b', 'h', 's', 'd']);
    const s = await children(dc, lanes.get('s')!);
    assert.deepEqual([...s.values()].map((v) => v.value), ['0x3f800000 (1)', '0xbfc00000 (-1.5)', '0x54442d18 (3370280600000)', '0x400921fb (2.142699)']);
    const d = await children(dc, lanes.get('d')!);
    assert.equal(d.get('d[1]')!.value, '0x400921fb54442d18 (3.141592653589793)');
    const b = await children(dc, lanes.get('b')!);
    assert.equal(b.size, 16);
    assert.equal(b.get('b[15]')!.value, '0x40');
    const h = await children(dc, lanes.get('h')!);
    assert.equal(h.get('h[1]')!.value, '0x3f80');

    // One lane: only its bits change.
    assert.equal(await set(dc, lanes.get('s')!, 's[1]', '0x7fc00001'), '0x7fc00001');
    fp = await fpScope(dc);
    assert.equal(fp.get('v3')!.value, '0x400921fb54442d187fc000013f800000');
    const s2 = await children(dc, (await children(dc, fp.get('v3')!)).get('s')!);
    assert.equal(s2.get('s[1]')!.value, '0x7fc00001 (qNaN)');
    assert.equal((await dc.evaluateRequest({ expression: 'v3.s[1]', frameId: await frameId(dc), context: 'watch' })).body.result, '0x7fc00001');
    assert.equal((await dc.evaluateRequest({ expression: 'd3', frameId: await frameId(dc), context: 'watch' })).body.result, '0x7fc000013f800000');

    // A float lane also takes a decimal value; integers stay bit patterns.
    const lanes3 = await children(dc, fp.get('v3')!);
    assert.equal(await set(dc, lanes3.get('s')!, 's[2]', '-0.75'), '0xbf400000');
    assert.equal(await set(dc, lanes3.get('d')!, 'd[0]', '1e-3'), '0x3f50624dd2f1a9fc');
    assert.equal(await set(dc, lanes3.get('s')!, 's[3]', '-inf'), '0xff800000');
    assert.equal(await set(dc, lanes3.get('s')!, 's[3]', '7'), '0x7');
    const s3 = await children(dc, (await children(dc, (await fpScope(dc)).get('v3')!)).get('s')!);
    assert.equal(s3.get('s[2]')!.value, '0xbf400000 (-0.75)');
    const failed = await dc.setVariableRequest({ variablesReference: lanes3.get('h')!.variablesReference, name: 'h[0]', value: '1.5' }).then(() => 'accepted', (e: Error) => e.message);
    assert.match(failed, /not a number/, 'an h lane takes bit patterns only');

    // FPCR: the fields this CPU implements; the trap enables and FZ16 read as zero.
    assert.equal(await set(dc, fpNode, 'fpcr', '0xffffffff'), '0x7f70000');
    fp = await fpScope(dc);
    const fpcr = await children(dc, fp.get('fpcr')!);
    assert.deepEqual([...fpcr.entries()].map(([k, v]) => `${k}=${v.value}`), ['ahp=1', 'dn=1', 'fz=1', 'rmode=3 RZ (toward zero)']);
    assert.equal(await set(dc, fp.get('fpcr')!, 'rmode', '1'), '0x1');
    assert.equal((await dc.evaluateRequest({ expression: 'fpcr', frameId: await frameId(dc), context: 'watch' })).body.result, '0x7770000');
    assert.equal((await dc.evaluateRequest({ expression: 'fpcr.rmode = 2', frameId: await frameId(dc), context: 'repl' })).body.result, '0x2');

    // FPSR: the cumulative flags and QC.
    assert.equal(await set(dc, fpNode, 'fpsr', '0xffffffff'), '0xf800009f');
    fp = await fpScope(dc);
    const fpsr = await children(dc, fp.get('fpsr')!);
    assert.deepEqual([...fpsr.entries()].map(([k, v]) => `${k}=${v.value}`), ['qc=1', 'idc=1', 'ixc=1', 'ufc=1', 'ofc=1', 'dzc=1', 'ioc=1']);
    assert.equal(await set(dc, fp.get('fpsr')!, 'ixc', '0'), '0x0');
    assert.equal((await dc.evaluateRequest({ expression: 'fpsr', frameId: await frameId(dc), context: 'watch' })).body.result, '0xf800008f');
  } finally {
    await dc.stop();
  }
});
