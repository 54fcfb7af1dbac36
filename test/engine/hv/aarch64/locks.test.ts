// ctrl_lock contention on aarch64: PSCI CPU_ON holds the target's ctrl_lock
// while it writes cpu_on_entry and power_on and sends WAKEUP. A CPU that
// asks for the same lock while the holder is frozen stops at once with a
// 'lock-wait' reason (it never hangs), and once the holder goes on, the
// waiter finds the target on: ALREADY_ON. The guest is
// test/fixtures/hv-aarch64/contention.S, in a root zone of CPUs 0-2.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, launchGuests, PSCI_RET, ROOT_DTB, rootZone, runFor, runTo, u64, u64At, x0 } from './harness';

test('lock contention: CPU 1 waits for ctrl_lock(2) while CPU 0 holds it in PSCI CPU_ON', { timeout: 30_000 }, async (t) => {
  const g = launchGuests({ root: fixture('contention.S'), rootZone: rootZone({ cpus: [0, 1, 2] }) });
  const e = g.engine;

  await t.test('CPU 0 stops inside psci_emulate_cpu_on(2) holding ctrl_lock(2)', () => {
    e.setHypervisorEventStops(['psci']);
    const texts: string[] = [];
    for (let i = 0; i < 4 && !texts.some((x) => x.includes('cpu=2')); i++) {
      const stop = runFor(g, [0]);
      assert.equal(stop.kind, 'event', JSON.stringify(stop));
      if (stop.kind === 'event') {
        assert.equal(stop.cpu, 0);
        assert.equal(stop.event.kind, 'psci');
        texts.push(stop.event.text);
      }
    }
    assert.equal(texts.at(-1), `PSCI CPU_ON(cpu=2, entry=0x${g.sym('cpu2_entry').toString(16)})`);
    assert.deepEqual(e.locks().find((l) => l.name === 'ctrl_lock(2)'), { name: 'ctrl_lock(2)', kind: 'mutex', owner: 0, readers: [], waiters: [] });
    const frames = e.hypervisorFrames(0);
    assert.ok(frames.includes('psci_emulate_cpu_on(mpidr=0x2)'), frames.join(' > '));
    assert.equal(e.cpu(0).state, 'hypervisor');
  });

  await t.test("running CPU 1 alone stops at once: 'lock-wait', waits for ctrl_lock(2) held by CPU 0", () => {
    const stop = runFor(g, [1]);
    assert.deepEqual(stop, { kind: 'lock-wait', cpu: 1, reason: 'waits for ctrl_lock(2) held by CPU 0' });
    assert.deepEqual(e.locks().find((l) => l.name === 'ctrl_lock(2)'), { name: 'ctrl_lock(2)', kind: 'mutex', owner: 0, readers: [], waiters: [{ cpu: 1, mode: 'lock' }] });
    const frames = e.hypervisorFrames(1);
    for (const f of ['handle_smc', 'handle_psci_smc', 'psci_emulate_cpu_on(mpidr=0x2)']) assert.ok(frames.includes(f), frames.join(' > '));
    assert.equal(frames.at(-1), 'ctrl_lock(2).lock()');
    assert.equal(e.cpu(1).state, 'hypervisor');
    // Asking again changes nothing: still the same wait, never a hang.
    assert.deepEqual(runFor(g, [1]), stop);
  });

  await t.test('running every CPU lets CPU 0 finish; CPU 1 then finds CPU 2 on: ALREADY_ON', () => {
    e.setHypervisorEventStops([]);
    runTo(g, 'r_cpu1_on', { cpu: 1 });
    assert.equal(x0(g, 1), u64(PSCI_RET.ALREADY_ON));
    assert.deepEqual(e.locks().find((l) => l.name === 'ctrl_lock(2)'), { name: 'ctrl_lock(2)', kind: 'mutex', owner: undefined, readers: [], waiters: [] });
    assert.deepEqual(e.hypervisorFrames(1), []);
    assert.equal(e.perCpu(2).cpuOnEntry, BigInt(g.sym('cpu2_entry')), "CPU 0's entry stands");
  });

  await t.test("CPU 2 enters at CPU 0's entry with x0 = the root's DTB", () => {
    assert.equal(runFor(g).kind, 'quiescent');
    assert.equal(x0(g, 0), 0n, "CPU 0's CPU_ON returned 0");
    assert.equal(e.cpu(2).zone, 0);
    assert.equal(e.perCpu(2).archCpu.powerOn, true);
    assert.equal(u64At(g, g.sym('cpu2_x0')), BigInt(ROOT_DTB));
    assert.deepEqual(e.hypervisor().events, [[], [], [], []]);
  });
});
