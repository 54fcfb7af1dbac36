// evaluate and completions over DAP against dist/debug-adapter.js, on both
// samples stopped on entry: PerCpu and ArchCpu fields (checked against the
// Variables pane), register arithmetic, typed memory, formats, hovers on
// symbols, assignment in the repl and through setVariable, errors, and completions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { children, scopeVariables, startClient } from './dap-client';

const SAMPLES = [
  { arch: 'riscv64', dir: resolve('samples/riscv64-zones'), r0: 'a0', r1: 'a1', archField: 'arch_cpu.sepc', fp: 'fa0' },
  { arch: 'aarch64', dir: resolve('samples/aarch64-zones'), r0: 'x0', r1: 'x1', archField: 'arch_cpu.elr_el2', fp: 'v31' },
] as const;

async function launchOnEntry(dc: DebugClient, dir: string): Promise<void> {
  const launch = JSON.parse(readFileSync(`${dir}/launch.json`, 'utf8')) as Record<string, unknown>;
  const configured = dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest());
  await Promise.all([configured, dc.launch({ type: 'hvisor', request: 'launch', name: 'expressions', cwd: dir, ...launch, stopOnEntry: true }), dc.waitForEvent('stopped')]);
}

for (const s of SAMPLES) {
  test(`${s.arch}: evaluate reads PerCpu and ArchCpu fields as the Variables pane shows them, and registers in C arithmetic`, async () => {
    const dc = await startClient();
    try {
      await launchOnEntry(dc, s.dir);
      const frameId = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.at(-1)!.id;
      const ev = async (expression: string, format?: DebugProtocol.ValueFormat, context: string = 'watch'): Promise<DebugProtocol.EvaluateResponse['body']> =>
        (await dc.evaluateRequest({ expression, frameId, context, ...(format ? { format } : {}) })).body;
      const perCpu = await scopeVariables(dc, 1, 'PerCpu');
      assert.equal((await ev('cpu_on_entry')).result, perCpu.get('cpu_on_entry')!.value);
      assert.equal((await ev('dtb_ipa')).result, perCpu.get('dtb_ipa')!.value);
      assert.equal((await ev('id', { hex: false })).result, '0');
      const archCpu = await children(dc, perCpu.get('arch_cpu')!);
      const hexFields = (await dc.variablesRequest({ variablesReference: perCpu.get('arch_cpu')!.variablesReference, format: { hex: true } })).body.variables;
      let compared = 0;
      for (const f of hexFields) {
        if (!f.value.startsWith('0x')) continue;
        assert.equal((await ev(`arch_cpu.${f.name}`, { hex: true })).result, f.value, `arch_cpu.${f.name}`);
        compared++;
      }
      assert.ok(compared >= 3, `ArchCpu has numeric fields: ${[...archCpu.keys()].join(', ')}`);
      assert.ok(archCpu.has(s.archField.slice('arch_cpu.'.length)));
      assert.match((await ev(s.archField)).result, /^0x[0-9a-f]+$/);
      if (s.arch === 'riscv64') {
        // An element of an array field, as the Variables pane's children show it.
        const x = await children(dc, archCpu.get('x')!);
        assert.equal((await ev('arch_cpu.x[10]', { hex: false })).result, x.get('[10]')!.value);
      }

      const r0 = BigInt((await ev(s.r0)).result);
      const r1 = BigInt((await ev(s.r1)).result);
      assert.equal((await ev(`${s.r0} + ${s.r1}`, { hex: true })).result, `0x${(r0 + r1).toString(16)}`);
      assert.equal((await ev(`${s.r1}*2`, { hex: false })).result, String(r1 * 2n));
      assert.equal((await ev(`${s.r1} >> 4 == ${s.r1} / 16`)).result, '0x1 (1)');
      assert.equal((await ev('(i8)0xff', { hex: false })).result, '-1');

      // zone1_config starts with its zone_id, a u32 1.
      assert.equal((await ev('*(u32*)zone1_config')).result, '0x1 (1)');
      assert.equal((await ev('*(u32*)zone1_config', { hex: true })).result, '0x1');
      assert.equal((await ev('((u32*)zone1_config)[0] + ((u64*)zone1_config)[1]', { hex: false })).result, String(1 + 0b1100));
      const config = await ev('zone1_config');
      assert.match(config.result, /^0x[0-9a-f]+$/);
      assert.ok(config.memoryReference);
      assert.equal((await ev('&zone1_config')).result, config.result);
      assert.equal((await ev('*(u32*)zone1_config')).memoryReference, config.memoryReference, 'a value read from memory refers to where it was read');

      // A hover on a data symbol shows its value (8 bytes: the symbol is 3080 long) with its address.
      assert.equal((await ev('zone1_config', undefined, 'hover')).result, `0x1 (1) @ ${config.result}`);
      assert.equal((await ev('counter', { hex: false }, 'hover')).result, `0 @ ${(await ev('counter')).result}`);
      // On code it shows the address.
      assert.equal((await ev('count', undefined, 'hover')).result, (await ev('count')).result);

      // The repl assigns registers.
      assert.equal((await ev(`${s.r0} = ${s.r1} + 1`, undefined, 'repl')).result, `0x${(r1 + 1n).toString(16)}`);
      assert.equal(BigInt((await ev(s.r0)).result), r1 + 1n);
      // setVariable takes an expression too.
      const registers = (await dc.scopesRequest({ frameId })).body.scopes.find((x) => x.name === 'Registers')!;
      const set = await dc.setVariableRequest({ variablesReference: registers.variablesReference, name: s.r0, value: `${s.r1} * 2 + *(u32*)zone1_config` });
      assert.equal(set.body.value, `0x${(r1 * 2n + 1n).toString(16)}`);
      await assert.rejects(dc.setVariableRequest({ variablesReference: registers.variablesReference, name: s.r0, value: 'nope' }), /no register, PerCpu field or symbol named "nope"/);
    } finally {
      await dc.stop();
    }
  });

  test(`${s.arch}: evaluate errors name the position and the cause`, async () => {
    const dc = await startClient();
    try {
      await launchOnEntry(dc, s.dir);
      const frameId = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.at(-1)!.id;
      const fails = (expression: string, message: RegExp, context = 'watch'): Promise<void> => assert.rejects(dc.evaluateRequest({ expression, frameId, context }), message);
      await fails('foo + 1', /column 1: no register, PerCpu field or symbol named "foo"/);
      await fails(`${s.r0} / 0`, /division by zero/);
      await fails(`${s.r0} % (${s.r0} - ${s.r0})`, /division by zero/);
      await fails('*(u64*)0x10', /cannot read 8 bytes at 0x10: not mapped for CPU 0/);
      await fails(`${s.r0} = 1`, /assignment is only allowed in the debug console/);
      await fails(`(${s.r0}`, /expected "\)" but found the end/);
      await fails(`${'('.repeat(300)}1${')'.repeat(300)}`, /nested more than 256 deep/);
    } finally {
      await dc.stop();
    }
  });

  test(`${s.arch}: completions offer registers, PerCpu and ArchCpu fields, symbols and types for the word at the cursor`, async () => {
    const dc = await startClient();
    try {
      const caps = (await dc.initializeRequest()).body!;
      assert.equal(caps.supportsCompletionsRequest, true);
      await launchOnEntry(dc, s.dir);
      const frameId = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.at(-1)!.id;
      const complete = async (text: string, column = text.length + 1): Promise<DebugProtocol.CompletionItem[]> =>
        (await dc.customRequest('completions', { text, column, frameId }) as DebugProtocol.CompletionsResponse).body.targets;
      const cpu = await complete('1 + cpu');
      assert.deepEqual(cpu.filter((t) => t.type === 'property').map((t) => t.label), ['cpu_on_entry']);
      assert.ok(cpu.some((t) => t.label === 'cpu1_entry' && t.type === 'reference'));
      assert.ok(cpu.every((t) => t.label.startsWith('cpu') && t.start === 5 && t.length === 3));
      const fields = await complete('arch_cpu.');
      assert.ok(fields.some((t) => t.label === s.archField), fields.map((t) => t.label).join(', '));
      assert.ok((await complete(`${s.r0.slice(0, 1)}`)).some((t) => t.label === s.r0 && t.type === 'variable'));
      assert.deepEqual((await complete('*(uint6')).map((t) => t.label), ['uint64_t']);
      assert.ok((await complete(s.fp.slice(0, 2))).some((t) => t.label === s.fp), 'FP/SIMD registers');
      // The cursor, not the end of the text, marks the word.
      assert.ok((await complete('zone1_c + 1', 8)).some((t) => t.label === 'zone1_config'));
    } finally {
      await dc.stop();
    }
  });
}
