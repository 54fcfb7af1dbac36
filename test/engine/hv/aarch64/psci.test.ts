// SMC from aarch64 guests as hvisor handles it (reference §2.1.2: handle_smc's
// dispatch on x0 & 0x3F000000, the PSCI table), at register level: the root
// guest (test/fixtures/hv-aarch64/psci.S) makes every call and the test
// stops right after each smc to read x0.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import {
  fixture, launchGuests, PSCI_RET, ROOT_DTB, runFor, runTo, traceText, u64, u64At, writeLaunch, x0, type Guest,
} from './harness';

const NOT_SUPPORTED = u64(PSCI_RET.NOT_SUPPORTED);
const ALREADY_ON = u64(PSCI_RET.ALREADY_ON);
const CONTEXT_ID = 0x77n;

/** Run CPU 0 (with every CPU running) to `label` and return its x0. */
function after(g: Guest, label: string): bigint {
  runTo(g, label);
  return x0(g, 0);
}

test('PSCI and SMCCC: every function hvisor handles, with register-level results', async (t) => {
  const g = launchGuests({ root: fixture('psci.S') });
  const e = g.engine;

  await t.test('the root zone enters at its entry in EL1h with x0 = its DTB', () => {
    runTo(g, 'r_version');
    assert.equal(u64At(g, g.sym('boot_args')), BigInt(ROOT_DTB));
  });

  await t.test('PSCI_VERSION: 1.1 (0x10001)', () => {
    assert.equal(x0(g), 0x10001n);
  });

  await t.test('PSCI_FEATURES: 0 for the functions hvisor implements', () => {
    for (const label of ['f_version', 'f_cpu_suspend_32', 'f_cpu_suspend_64', 'f_cpu_off', 'f_cpu_on_32', 'f_cpu_on_64', 'f_affinity_info_32', 'f_affinity_info_64', 'f_features', 'f_smccc_version']) {
      assert.equal(after(g, label), 0n, label);
    }
  });

  await t.test('PSCI_FEATURES: NOT_SUPPORTED (-1) for every other id', () => {
    for (const label of ['f_cpu_off_64', 'f_migrate_info_type', 'f_system_off', 'f_arch_features', 'f_unknown', 'f_high_bits']) {
      assert.equal(after(g, label), NOT_SUPPORTED, label);
    }
  });

  await t.test('AFFINITY_INFO takes x1 as a CPU index: 0 = on, 1 = off', () => {
    assert.equal(after(g, 'r_affinity0'), 0n);
    assert.equal(after(g, 'r_affinity1_off'), 1n);
    assert.equal(after(g, 'r_affinity2_off'), 1n);
  });

  await t.test('MIGRATE_INFO_TYPE: 2 (no trusted OS to migrate); CPU_SUSPEND returns 0', () => {
    assert.equal(after(g, 'r_migrate_info_type'), 2n);
    assert.equal(after(g, 'r_cpu_suspend'), 0n);
  });

  await t.test('an unhandled PSCI function: hvisor warns and returns 0', () => {
    assert.equal(after(g, 'r_system_reset'), 0n);
    assert.match(traceText(g), /PSCI 0x84000009: unsupported/);
  });

  await t.test('SMCCC_VERSION answers 1.1; SMCCC_ARCH_FEATURES NOT_SUPPORTED', () => {
    assert.equal(after(g, 'r_smccc_version'), 0x10001n);
    assert.equal(after(g, 'r_arch_features'), NOT_SUPPORTED);
  });

  await t.test('SiP and trusted-OS calls: hvisor forwards them to firmware; the model answers NOT_SUPPORTED and says so', () => {
    assert.equal(after(g, 'r_sip'), NOT_SUPPORTED);
    assert.match(traceText(g), /cpu0 beyond-hvisor: SMC 0xc2000001 \(SiP service\): hvisor forwards it to EL3 firmware/);
    assert.equal(after(g, 'r_tos'), NOT_SUPPORTED);
    assert.match(traceText(g), /cpu0 beyond-hvisor: SMC 0xb2000000 \(trusted OS\)/);
  });

  await t.test('an SMC of another service class: hvisor warns and returns 0', () => {
    assert.equal(after(g, 'r_other_service'), 0n);
  });

  await t.test("CPU_ON takes the target's ctrl_lock, sets cpu_on_entry and power_on under it, then sends WAKEUP", () => {
    const entry = BigInt(g.sym('cpu1_entry'));
    e.setHypervisorEventStops(['psci']);
    const stop = runFor(g, [0]);
    e.setHypervisorEventStops([]);
    assert.deepEqual(stop.kind === 'event' && [stop.cpu, stop.event.text], [0, `PSCI CPU_ON(cpu=1, entry=0x${entry.toString(16)})`], JSON.stringify(stop));
    assert.deepEqual(e.locks().find((l) => l.name === 'ctrl_lock(1)'), { name: 'ctrl_lock(1)', kind: 'mutex', owner: 0, readers: [], waiters: [] });
    const frames = e.hypervisorFrames(0);
    for (const f of ['handle_smc', 'handle_psci_smc', 'psci_emulate_cpu_on(mpidr=0x1)']) assert.ok(frames.includes(f), frames.join(' > '));
    // Not yet written: the event comes first.
    assert.equal(e.perCpu(1).archCpu.powerOn, false);

    e.setHypervisorEventStops(['ipi']);
    const ipi = runFor(g, [0]);
    e.setHypervisorEventStops([]);
    assert.deepEqual(ipi.kind === 'event' && ipi.event.text, 'send_event(cpu=1, WAKEUP)');
    assert.equal(e.perCpu(1).cpuOnEntry, entry);
    assert.equal(e.perCpu(1).archCpu.powerOn, true, 'CPU_ON sets power_on itself on aarch64');
    assert.equal(e.perCpu(1).ctrlLock.owner, 0, 'still under the lock');

    runTo(g, 'r_cpu_on', { cpus: [0] });
    assert.equal(x0(g), 0n);
    assert.equal(e.perCpu(1).ctrlLock.owner, undefined);
    assert.deepEqual(e.hypervisor().events[1], ['WAKEUP']);
    assert.equal(e.cpu(1).state, 'parked', 'CPU 1 has not handled its WAKEUP yet');
  });

  await t.test("the target enters at the entry in EL1 with x0 = its zone's DTB (not CPU_ON's context id), the rest cleared", () => {
    runTo(g, 'cpu1_entry', { cpu: 1, cpus: [1] });
    assert.deepEqual(e.hypervisor().events[1], []);
    assert.equal(e.cpu(1).privilege, 'EL1');
    assert.equal(e.cpu(1).zone, 0);
    assert.equal(x0(g, 1), BigInt(ROOT_DTB));
    for (const r of ['x1', 'x2', 'x3', 'x30']) assert.equal(e.readRegister(1, r), 0n, r);
    assert.notEqual(e.readRegister(1, 'x3'), CONTEXT_ID);
    assert.equal(e.readRegister(1, 'pstate')! & 0x3cfn, 0x3c5n, 'EL1h with D, A, I, F masked');
  });

  await t.test('AFFINITY_INFO of CPU 1 now says on; CPU_ON of it, SMC64 or SMC32, is ALREADY_ON (-4)', () => {
    assert.equal(after(g, 'r_affinity1_on'), 0n);
    assert.equal(u64At(g, g.sym('cpu1_args')), BigInt(ROOT_DTB));
    assert.equal(after(g, 'r_cpu_on_again'), ALREADY_ON);
    assert.equal(after(g, 'r_cpu_on32_again'), ALREADY_ON);
    assert.deepEqual(e.hypervisor().events[1], [], 'no second WAKEUP');
  });

  await t.test('SYSTEM_OFF from the root zone: the root zone is removed and the machine powers off', () => {
    const stop = runFor(g);
    assert.equal(stop.kind, 'poweroff', JSON.stringify(stop));
    assert.equal('cpu' in stop ? stop.cpu : -1, 0);
    assert.match('reason' in stop ? stop.reason : '', /SYSTEM_OFF/);
    assert.deepEqual(e.zones(), []);
    assert.equal(e.perCpu(0).zone, undefined);
    assert.equal(e.perCpu(1).zone, undefined);
    assert.deepEqual(e.hypervisor().events[1], ['SHUTDOWN'], "CPU 1 was sent SHUTDOWN");
  });
});

/** A root guest that makes one SMC (x0 = fid, x1, x2: 32-bit values) and loops at `after`. */
function oneSmc(fid: string, x1: string, x2 = '0'): string {
  return `
        .text
        .globl _start
_start: ldr     w0, =${fid}
        ldr     w1, =${x1}
        ldr     w2, =${x2}
        smc     #0
after:  b       after
`;
}

function panicStop(g: Guest, cpu = 0): string {
  g.engine.setInstructionBreakpoints([BigInt(g.sym('after'))]);
  const stop = runFor(g);
  assert.equal(stop.kind, 'panic', `stop: ${JSON.stringify(stop)}; x0 = 0x${x0(g, 0).toString(16)}`);
  assert.equal('cpu' in stop ? stop.cpu : -1, cpu);
  const reason = 'reason' in stop ? stop.reason : '';
  assert.match(reason, /^hvisor would panic: /);
  assert.equal(g.engine.cpu(cpu).state, 'stopped');
  assert.ok(traceText(g).includes(`cpu${cpu} stop: ${reason}`), 'the stop is in the trace');
  return reason;
}

test('PSCI CPU_ON of an MPIDR no CPU has: mpidr_to_cpuid finds none and hvisor would panic', () => {
  const g = launchGuests({ root: oneSmc('PSCI_CPU_ON_64', '0x100', '0xa0400000') });
  assert.match(panicStop(g), /PSCI CPU_ON: no CPU has MPIDR 0x100/);
  assert.deepEqual(g.engine.hypervisor().events, [[], [], [], []], 'nobody was woken');
});

test('PSCI AFFINITY_INFO of a CPU index beyond the board: hvisor indexes PerCpu out of range', () => {
  const g = launchGuests({ root: oneSmc('PSCI_AFFINITY_INFO_64', '7') });
  assert.match(panicStop(g), /AFFINITY_INFO: get_cpu_data\(7\)/);
});

test("PSCI CPU_OFF is hvisor's todo!(): the CPU stops as a would-panic", () => {
  const g = launchGuests({ root: oneSmc('PSCI_CPU_OFF', '0') });
  assert.match(panicStop(g), /CPU_OFF is todo!\(\)/);
  assert.deepEqual(g.engine.hypervisorFrames(0), ['trap', 'handle_smc', 'handle_psci_smc']);
});

test('PSCI CPU_OFF through the CLI: exit status 4 and the reason on stderr', { timeout: 60_000 }, () => {
  const { dir } = writeLaunch({ root: oneSmc('PSCI_CPU_OFF', '0') });
  const r = spawnSync(process.execPath, [resolve('dist/cli.js'), 'run', join(dir, 'launch.json')], { encoding: 'utf8', timeout: 60_000, input: '' });
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stderr, /stopped: CPU 0: hvisor would panic: PSCI CPU_OFF is todo!\(\)/);
});

test('PSCI SYSTEM_OFF from the root zone with CPU 1 still off: SHUTDOWN is queued for it anyway, and the machine powers off', () => {
  const g = launchGuests({ root: oneSmc('PSCI_SYSTEM_OFF', '0') });
  const stop = runFor(g);
  assert.equal(stop.kind, 'poweroff', JSON.stringify(stop));
  assert.deepEqual(g.engine.hypervisor().events[1], ['SHUTDOWN'], 'SHUTDOWN goes to every other CPU of the zone, on or off');
  assert.equal(g.engine.perCpu(1).zone, undefined);
  assert.equal(g.engine.perCpu(1).cpuOnEntry, BigInt(0xa0400000), 'SYSTEM_OFF leaves cpu_on_entry alone');
  assert.deepEqual(g.engine.zones(), []);
});
