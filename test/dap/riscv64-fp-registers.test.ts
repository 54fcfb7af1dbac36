// The F/D state in the Registers scope of a riscv64 CPU, over DAP against
// dist/debug-adapter.js: f0..f31 under their ABI names with the double and
// NaN-boxed single they hold, fcsr with frm and the fflags bits, and
// setVariable and evaluate on a register, its single, the CSRs and a flag.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { children, launchOnEntry, scopeVariables, startClient } from './dap-client';
import { fAbiNames } from '../../engine/isa/riscv64/registers';

async function fpScope(dc: DebugClient): Promise<{ node: DebugProtocol.Variable; regs: Map<string, DebugProtocol.Variable> }> {
  const regs = await scopeVariables(dc, 1, 'Registers');
  const node = regs.get('FP/SIMD registers');
  assert.ok(node, [...regs.keys()].join(', '));
  return { node, regs: await children(dc, node) };
}

async function set(dc: DebugClient, parent: DebugProtocol.Variable, name: string, value: string): Promise<string> {
  return (await dc.setVariableRequest({ variablesReference: parent.variablesReference, name, value })).body.value;
}

async function evaluate(dc: DebugClient, expression: string, context: 'watch' | 'repl' = 'watch'): Promise<string> {
  const frameId = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.id;
  return (await dc.evaluateRequest({ expression, frameId, context })).body.result;
}

test('riscv64 Registers scope: f0..f31 with double and single views, fcsr with frm and fflags, setVariable and evaluate', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc);
    let fp = await fpScope(dc);
    assert.deepEqual([...fp.regs.keys()], [...fAbiNames, 'fcsr']);
    assert.equal(fp.regs.get('ft0')!.value, `0x${'0'.repeat(16)}`);

    // A whole register: the double, and the single it does not box.
    assert.equal(await set(dc, fp.node, 'fa0', '0x400921fb54442d18'), '0x400921fb54442d18');
    fp = await fpScope(dc);
    let views = await children(dc, fp.regs.get('fa0')!);
    assert.deepEqual([...views.keys()], ['d', 's']);
    assert.equal(views.get('d')!.value, '0x400921fb54442d18 (3.141592653589793)');
    assert.equal(views.get('s')!.value, 'not NaN-boxed: reads as the canonical NaN');

    // The single: written NaN-boxed.
    assert.equal(await set(dc, fp.regs.get('fa0')!, 's', '0xbfc00000'), '0xbfc00000');
    fp = await fpScope(dc);
    assert.equal(fp.regs.get('fa0')!.value, '0xffffffffbfc00000');
    views = await children(dc, fp.regs.get('fa0')!);
    assert.equal(views.get('s')!.value, '0xbfc00000 (-1.5)');
    assert.equal(await evaluate(dc, 'fa0.s'), '0xbfc00000');
    assert.equal(await evaluate(dc, 'f10'), '0xffffffffbfc00000');
    assert.equal(await evaluate(dc, 'fs1 = 0x7ff8000000000001', 'repl'), '0x7ff8000000000001');
    fp = await fpScope(dc);
    assert.equal((await children(dc, fp.regs.get('fs1')!)).get('d')!.value, '0x7ff8000000000001 (qNaN)');

    // fcsr and its fields.
    assert.equal(await set(dc, fp.node, 'fcsr', '0xffffffff'), '0xff');
    fp = await fpScope(dc);
    const fcsr = await children(dc, fp.regs.get('fcsr')!);
    assert.deepEqual([...fcsr.keys()], ['frm', 'fflags']);
    assert.equal(fcsr.get('frm')!.value, '7 (reserved)');
    assert.equal(await set(dc, fp.regs.get('fcsr')!, 'frm', '1'), '0x1');
    fp = await fpScope(dc);
    const fields = await children(dc, fp.regs.get('fcsr')!);
    assert.equal(fields.get('frm')!.value, '1 rtz (toward zero)');
    const flags = await children(dc, fields.get('fflags')!);
    assert.deepEqual([...flags.entries()].map(([k, v]) => `${k}=${v.value}`), ['nv=1', 'dz=1', 'of=1', 'uf=1', 'nx=1']);
    assert.equal(await set(dc, fields.get('fflags')!, 'nx', '0'), '0x0');
    assert.equal(await evaluate(dc, 'fcsr'), '0x3e');
    assert.equal(await evaluate(dc, 'fflags.nv = 0', 'repl'), '0x0');
    assert.equal(await evaluate(dc, 'fflags'), '0xe');
  } finally {
    await dc.stop();
  }
});
