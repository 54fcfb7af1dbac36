// Threads, PerCpu and exception filters following the riscv64-zones sample
// through hart_start (SBI HSM) and ZoneStart, over DAP against dist/debug-adapter.js.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { children, continueTo, launchOnEntry, sampleConfig, scopeVariables, startClient, threadNames } from './dap-client';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

async function perCpu(dc: DebugClient, cpu: number): Promise<Record<string, string>> {
  const vars = await scopeVariables(dc, cpu + 1, 'PerCpu');
  const out: Record<string, string> = {};
  for (const [name, v] of vars) out[name] = v.value;
  out.power_on = (await children(dc, vars.get('arch_cpu')!)).get('power_on')!.value;
  return out;
}

test('threads and PerCpu follow the sample through hart_start and ZoneStart', async () => {
  const dc = await startClient();
  try {
    const entry = await launchOnEntry(dc, {}, ['sbi']);
    assert.equal(entry.body.reason, 'entry');
    assert.deepEqual(await threadNames(dc), ['CPU 0 · root · guest', 'CPU 1 · parked', 'CPU 2 · parked', 'CPU 3 · parked']);
    const cpu0 = await perCpu(dc, 0);
    assert.equal(cpu0.id, '0');
    assert.equal(cpu0.cpu_on_entry, '0x90000000');
    assert.equal(cpu0.dtb_ipa, '0x8f000000');
    assert.equal(cpu0.boot_cpu, 'true');
    assert.equal(cpu0.power_on, 'true');
    assert.equal(cpu0.zone, 'Some(zone 0 "root-linux")');
    const cpu1 = await perCpu(dc, 1);
    assert.equal(cpu1.power_on, 'false');
    assert.equal(cpu1.boot_cpu, 'false');
    assert.equal(cpu1.ctrl_lock, 'free');
    const cpu2 = await perCpu(dc, 2);
    assert.equal(cpu2.zone, 'None');
    assert.equal(cpu2.power_on, 'false');

    // SBI filter: the HSM call, then hart_start holding CPU 1's ctrl_lock.
    const call = await continueTo(dc);
    assert.equal(call.body.threadId, 1);
    assert.match(call.body.description ?? '', /^CPU 0: sbi: HSM fid 0/);
    const holding = await continueTo(dc);
    assert.equal(holding.body.description, 'CPU 0: sbi: hart_start: holding ctrl_lock(1)');
    const names = await threadNames(dc);
    assert.match(names[0]!, /^CPU 0 · root · hv: sbi_hsm_hart_start/);
    assert.equal(names[1], 'CPU 1 · parked');
    assert.equal((await perCpu(dc, 1)).ctrl_lock, 'held by CPU 0');
    const stack = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    assert.match(stack[0]!.name, /^hv: sbi_hsm_hart_start/);
    assert.match(stack[stack.length - 1]!.name, /^_start\+0x[0-9a-f]+ \(0x9/);
    assert.ok(stack[stack.length - 1]!.instructionPointerReference);
    const parked = (await dc.stackTraceRequest({ threadId: 3 })).body.stackFrames;
    assert.deepEqual(parked.map((f) => f.name), ['hvisor idle (parked)']);

    // ZoneStart filter: it stops on CPU 0, the CPU making the hypercall.
    await dc.setExceptionBreakpointsRequest({ filters: ['zone-start'] });
    const zoneStart = await continueTo(dc);
    assert.equal(zoneStart.body.reason, 'exception');
    assert.equal(zoneStart.body.threadId, 1);
    assert.equal(zoneStart.body.description, 'CPU 0: zone-start: zone 1 "zone1" CPUs 0xc entry 0x8a000000');
    const afterHartStart = await perCpu(dc, 1);
    const cpu1Entry = (await dc.evaluateRequest({ expression: 'cpu1_entry', context: 'watch' })).body.result.split(' ')[0];
    assert.equal(afterHartStart.cpu_on_entry, cpu1Entry);
    assert.equal(afterHartStart.dtb_ipa, '0x0');
    assert.equal(afterHartStart.power_on, 'true');
    assert.match((await threadNames(dc))[1]!, /^CPU 1 · root · guest/);
    assert.match((await threadNames(dc))[0]!, /^CPU 0 · root · hv: hv_zone_start/);

    // Past ZoneStart: CPU 2 enters zone 1 at its entry point.
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    const set = (await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: '0x8a000000' }] })) as DebugProtocol.SetInstructionBreakpointsResponse;
    const id = set.body.breakpoints[0]!.id;
    const hit = await continueTo(dc);
    assert.equal(hit.body.threadId, 3);
    assert.deepEqual(hit.body.hitBreakpointIds, [id]);
    const after = await threadNames(dc);
    assert.equal(after[2], 'CPU 2 · zone 1 · guest');
    assert.equal(after[3], 'CPU 3 · parked');
    const cpu2After = await perCpu(dc, 2);
    assert.equal(cpu2After.zone, 'Some(zone 1 "zone1")');
    assert.equal(cpu2After.cpu_on_entry, '0x8a000000');
    assert.equal(cpu2After.dtb_ipa, '0x8af00000');
    assert.equal(cpu2After.boot_cpu, 'true');
    assert.equal(cpu2After.power_on, 'true');
    const zone = await scopeVariables(dc, 3, 'Zone');
    assert.equal(zone.get('name')!.value, '"zone1"');
    assert.equal(zone.get('cpu_set')!.value, '[2, 3]');
    const hv = await scopeVariables(dc, 3, 'Hypervisor');
    assert.equal(hv.get('zone_list')!.value, '[0, 1]');
    assert.equal(hv.get('entered_cpus')!.value, '4');
  } finally {
    await dc.stop();
  }
});

test('a launch that does not say stopOnEntry stops every CPU on entry, as the launch schema says', async () => {
  const schema = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { debuggers: { configurationAttributes: { launch: { properties: { stopOnEntry: { default: unknown } } } } }[] } };
  assert.equal(schema.contributes.debuggers[0]!.configurationAttributes.launch.properties.stopOnEntry.default, true);
  const dc = await startClient();
  try {
    const configured = dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest());
    const [, , stopped] = await Promise.all([configured, dc.launch(sampleConfig()), dc.waitForEvent('stopped')]);
    assert.equal(stopped.body.reason, 'entry');
  } finally {
    await dc.stop();
  }
});

test('bad launch attributes end the launch with a message naming the attribute', async () => {
  const dc = await startClient();
  try {
    await dc.initializeRequest();
    await assert.rejects(dc.launch({ cwd: 'samples/riscv64-zones', arch: 'riscv64', board: 'qemu-plic', cpus: 99 }), /cpus/);
  } finally {
    await dc.stop();
  }
  const dc2 = await startClient();
  try {
    await dc2.initializeRequest();
    await assert.rejects(dc2.launch({ cwd: 'samples/riscv64-zones', arch: 'riscv64', board: 'qemu-plic', runMod: 'solo' }), /runMod.*unknown attribute.*runMode/);
  } finally {
    await dc2.stop();
  }
});

test('malformed requests get error responses and the session carries on', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc);
    const bad: [string, Record<string, unknown>][] = [
      ['stackTrace', { threadId: 999 }],
      ['variables', { variablesReference: 987654 }],
      ['readMemory', { memoryReference: 'not an address', count: 16 }],
      ['disassemble', { memoryReference: '', instructionCount: 4 }],
      ['evaluate', { expression: '*(u64*)', context: 'repl' }],
      ['setVariable', { variablesReference: 987654, name: 'a0', value: 'nope' }],
      ['next', { threadId: 0 }],
    ];
    for (const [command, args] of bad) {
      // Each answers (successfully with nothing, or with an error); none may hang or end the session.
      await dc.send(command, args).catch((e: unknown) => assert.ok(e instanceof Error && e.message.length > 0, `${command}: ${String(e)}`));
    }
    assert.equal((await threadNames(dc)).length, 4);
  } finally {
    await dc.stop();
  }
});

test('setVariable writes CSRs: the guest view through its WARL masks, and the hypervisor view', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc);
    const regs = await scopeVariables(dc, 1, 'Registers');
    const guest = regs.get('supervisor CSRs (as the guest sees them)')!;
    const hv = regs.get('hypervisor CSRs')!;
    const set = async (group: DebugProtocol.Variable, name: string, value: string): Promise<bigint> =>
      BigInt((await dc.setVariableRequest({ variablesReference: group.variablesReference, name, value })).body.value);
    assert.equal(await set(guest, 'sscratch', '0x1234'), 0x1234n);
    // vsstatus keeps only SIE, SPIE, SPP, FS, SUM and MXR writable; UXL reads as 64-bit, SD as FS == Dirty.
    assert.equal(await set(guest, 'sstatus', '0xffffffffffffffff'), 0x8000_0002_000c_6122n);
    assert.equal(await set(hv, 'htimedelta', '0x10'), 0x10n);
    await assert.rejects(dc.setVariableRequest({ variablesReference: guest.variablesReference, name: 'sscratch', value: 'not a number' }), /not a number/);
  } finally {
    await dc.stop();
  }
});
