// The debugger on an aarch64 machine, over DAP against dist/debug-adapter.js:
// the aarch64-zones sample stopped on entry (threads, the Registers scope
// with x0..x30, sp, pc, pstate and the system-register groups, PerCpu's
// ArchCpu), setVariable on a general and a system register, the SMC / PSCI
// exception filter, a source breakpoint in root.S hit on CPU 1, and
// `disassemble` against GNU objdump of the same root.S.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { assembleAarch64 } from '../../engine/isa/aarch64/asm';
import { parseObjdump, type OracleLine } from '../engine/aarch64/objdump-oracle';
import { children, continueTo, scopeVariables, startClient, threadNames } from './dap-client';

const SAMPLE = resolve('samples/aarch64-zones');
const ROOT_S = resolve(SAMPLE, 'root.S');
const ROOT_BASE = 0xa0400000;

/** The sample's launch.json as a VS Code launch configuration. */
function config(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const launch = JSON.parse(readFileSync(`${SAMPLE}/launch.json`, 'utf8')) as Record<string, unknown>;
  return { type: 'hvisor', request: 'launch', name: 'aarch64 test', cwd: SAMPLE, ...launch, ...extra };
}

async function launchOnEntry(dc: DebugClient, filters: string[] = []): Promise<DebugProtocol.StoppedEvent> {
  const configured = dc.waitForEvent('initialized').then(async () => {
    await dc.setExceptionBreakpointsRequest({ filters });
    await dc.configurationDoneRequest();
  });
  const [, , stopped] = await Promise.all([configured, dc.launch(config({ stopOnEntry: true })), dc.waitForEvent('stopped')]);
  return stopped as DebugProtocol.StoppedEvent;
}

/** root.S as the engine's assembler lays it out: each label's address and each address's source line. */
function ourRootS(): { symbols: Map<string, number>; lineOf: (address: number) => number | undefined } {
  const { program, errors } = assembleAarch64(readFileSync(ROOT_S, 'utf8'), { fileName: ROOT_S, base: ROOT_BASE });
  assert.deepEqual(errors, []);
  const symbols = new Map([...program!.symbols].map(([name, s]) => [name, s.address]));
  return { symbols, lineOf: (address) => program!.lines.find((l) => l.address <= address && address < l.address + l.size)?.line };
}

/** root.S through GNU as and ld, its sections back to back from 0xa0400000 as the engine's assembler lays them. */
function gnuListing(): OracleLine[] {
  const dir = mkdtempSync(join(tmpdir(), 'dap-a64-objdump-'));
  try {
    const run = (cmd: string, args: string[]): string => {
      const r = spawnSync(cmd, args, { encoding: 'utf8' });
      assert.equal(r.status, 0, `${cmd}: ${r.stderr}`);
      return r.stdout;
    };
    writeFileSync(join(dir, 'root.ld'), [
      'ENTRY(_start)', 'SECTIONS {', `  . = 0x${ROOT_BASE.toString(16)};`, '  .text : { *(.text) }', '  . = ALIGN(8);',
      '  .data : { *(.data) }', '  . = ALIGN(8);', '  .bss : { *(.bss) }', '}',
    ].join('\n'));
    run('aarch64-linux-gnu-as', ['-o', join(dir, 'root.o'), ROOT_S]);
    run('aarch64-linux-gnu-ld', ['-T', join(dir, 'root.ld'), '--no-warn-rwx-segments', '-o', join(dir, 'root.elf'), join(dir, 'root.o')]);
    return parseObjdump(run('aarch64-linux-gnu-objdump', ['-d', join(dir, 'root.elf')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('aarch64-zones on entry: threads, the Registers scope with its system-register groups, PerCpu, setVariable', async () => {
  const dc = await startClient();
  try {
    const entry = await launchOnEntry(dc);
    assert.equal(entry.body.reason, 'entry');
    assert.deepEqual(await threadNames(dc), ['CPU 0 · root · guest', 'CPU 1 · parked', 'CPU 2 · parked', 'CPU 3 · parked']);
    const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!;
    assert.equal(top.source?.path, ROOT_S);
    assert.match(top.name, /^_start/);

    const regs = await scopeVariables(dc, 1, 'Registers');
    const names = [...regs.keys()];
    const general = [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp', 'pc', 'pstate'];
    assert.deepEqual(names.slice(0, general.length), general);
    assert.equal(regs.get('pc')!.value, '0xa0400000');
    assert.equal(regs.get('x0')!.value, '0xa0000000', 'x0 = the DTB');
    assert.equal(BigInt(regs.get('pstate')!.value) & 0x3cfn, 0x3c5n, 'EL1h, DAIF masked');
    const el1 = regs.get("EL1 system registers (the guest's)");
    const el2 = regs.get("EL2 registers (the hypervisor's)");
    assert.ok(el1 && el2, names.join(', '));
    const el1Regs = await children(dc, el1);
    assert.equal(el1Regs.get('sctlr_el1')!.value, '0x30d00800', 'reset_vm_regs: only the RES1 bits');
    assert.equal(el1Regs.get('vbar_el1')!.value, '0x0');
    const el2Regs = await children(dc, el2);
    assert.equal(el2Regs.get('hcr_el2')!.value, '0x80080019', 'RW | TSC | IMO | FMO | VM');
    assert.match(el2Regs.get('vttbr_el2')!.value, /^0x[0-9a-f]+$/);
    assert.notEqual(el2Regs.get('vttbr_el2')!.value, '0x0');
    for (const label of ['EL0 system registers', 'generic timer', 'GIC CPU interface', 'ID registers']) assert.ok(regs.has(label), label);

    const perCpu = await scopeVariables(dc, 1, 'PerCpu');
    assert.equal(perCpu.get('cpu_on_entry')!.value, '0xa0400000');
    assert.equal(perCpu.get('dtb_ipa')!.value, '0xa0000000');
    assert.equal(perCpu.get('zone')!.value, 'Some(zone 0 "root-linux")');
    const arch = await children(dc, perCpu.get('arch_cpu')!);
    assert.equal(arch.get('cpuid')!.value, '0');
    assert.equal(arch.get('is_aarch32')!.value, 'false');
    assert.equal(arch.get('power_on')!.value, 'true');
    assert.equal(arch.get('hcr_el2')!.value, '0x80080019');
    assert.ok(arch.has('vttbr_el2') && arch.has('elr_el2') && arch.has('spsr_el2') && arch.has('guest frame'), [...arch.keys()].join(', '));
    const cpu2 = await children(dc, (await scopeVariables(dc, 3, 'PerCpu')).get('arch_cpu')!);
    assert.equal(cpu2.get('power_on')!.value, 'false');
    assert.equal(cpu2.get('is_aarch32')!.value, 'false');

    // setVariable: a general register and an EL1 system register read back.
    const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    const scopes = (await dc.scopesRequest({ frameId: frames[0]!.id })).body.scopes;
    const ref = scopes.find((s) => s.name === 'Registers')!.variablesReference;
    await dc.variablesRequest({ variablesReference: ref });
    assert.equal((await dc.setVariableRequest({ variablesReference: ref, name: 'x5', value: '0x1234' })).body.value, '0x1234');
    assert.equal((await dc.evaluateRequest({ expression: 'x5', frameId: frames[0]!.id, context: 'watch' })).body.result, '0x1234');
    const set = await dc.setVariableRequest({ variablesReference: el1.variablesReference, name: 'tpidr_el1', value: '0xfeed' });
    assert.equal(set.body.value, '0xfeed');
    const again = await scopeVariables(dc, 1, 'Registers');
    assert.equal(again.get('x5')!.value, '0x1234');
    assert.equal((await children(dc, again.get("EL1 system registers (the guest's)")!)).get('tpidr_el1')!.value, '0xfeed');
  } finally {
    await dc.stop();
  }
});

test('the SMC / PSCI filter stops on CPU_ON; a source breakpoint at cpu1_entry in root.S hits on CPU 1', async () => {
  const { symbols, lineOf } = ourRootS();
  const cpu1Entry = symbols.get('cpu1_entry')!;
  const dc = await startClient();
  try {
    await launchOnEntry(dc, ['psci']);
    const call = await continueTo(dc);
    assert.equal(call.body.reason, 'exception');
    assert.equal(call.body.threadId, 1);
    assert.equal(call.body.description, `CPU 0: psci: PSCI CPU_ON(cpu=1, entry=0x${cpu1Entry.toString(16)})`);
    assert.match((await threadNames(dc))[0]!, /^CPU 0 · root · hv: /);
    const stack = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    assert.ok(stack.some((f) => /psci_emulate_cpu_on/.test(f.name)), stack.map((f) => f.name).join(' > '));
    const cpu1 = await scopeVariables(dc, 2, 'PerCpu');
    assert.equal(cpu1.get('ctrl_lock')!.value, 'held by CPU 0');

    await dc.setExceptionBreakpointsRequest({ filters: [] });
    const line = lineOf(cpu1Entry)!;
    assert.ok(line > 0);
    const set = await dc.setBreakpointsRequest({ source: { path: ROOT_S }, breakpoints: [{ line }] });
    const bp = set.body.breakpoints[0]!;
    assert.equal(bp.verified, true);
    assert.equal(bp.line, line);
    const hit = await continueTo(dc, 1);
    assert.equal(hit.body.reason, 'breakpoint');
    assert.equal(hit.body.threadId, 2);
    assert.deepEqual(hit.body.hitBreakpointIds, [bp.id]);
    const top = (await dc.stackTraceRequest({ threadId: 2 })).body.stackFrames[0]!;
    assert.equal(top.line, line);
    assert.equal(top.source?.path, ROOT_S);
    assert.match(top.name, /^cpu1_entry/);
    assert.match((await threadNames(dc))[1]!, /^CPU 1 · root · guest/);
    const regs = await scopeVariables(dc, 2, 'Registers');
    assert.equal(regs.get('x0')!.value, '0xa0000000', 'CPU 1 enters with x0 = the DTB');
    assert.equal(regs.get('pc')!.value, `0x${cpu1Entry.toString(16)}`);
  } finally {
    await dc.stop();
  }
});

test('disassemble prints root.S as aarch64-linux-gnu-objdump -d does', async () => {
  const expected = gnuListing();
  // The literal pool at the end of .text is data: objdump knows it from the
  // ELF's mapping symbols, which a `.S` image assembled at launch does not carry.
  const code = expected.filter((l) => !l.text.startsWith('.word'));
  assert.ok(code.length > 200);
  const dc = await startClient();
  try {
    await launchOnEntry(dc);
    const r = (await dc.customRequest('disassemble', { memoryReference: `0x${ROOT_BASE.toString(16)}`, instructionCount: expected.length, resolveSymbols: true })) as DebugProtocol.DisassembleResponse;
    const got = new Map(r.body!.instructions.map((i) => [Number(BigInt(i.address)), i]));
    assert.equal(got.size, expected.length);
    const mismatches = code.flatMap((e) => {
      const g = got.get(e.address);
      return g && g.instruction === e.text ? [] : [`0x${e.address.toString(16)}: objdump "${e.text}", ours "${g?.instruction}"`];
    });
    assert.deepEqual(mismatches, []);
    const first = got.get(ROOT_BASE)!;
    assert.equal(first.symbol, '_start');
    assert.equal(first.line, ourRootS().lineOf(ROOT_BASE));
  } finally {
    await dc.stop();
  }
});
