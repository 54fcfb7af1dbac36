// Locks inside the hypervisor model: a CPU that waits for a lock held by a
// frozen CPU stops at once with a 'lock-wait' reason (it never hangs), and
// CPUs that wait for each other end the run with a 'deadlock' stop.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SpinMutex } from '../../../../engine/hv/lock';
import type { HvTask } from '../../../../engine/hv/task';
import type { Hvisor } from '../../../../engine/hv/hvisor';
import { fixture, launchGuests, ret, runFor, runTo, zone1, zoneConfigAsm, type Guest } from './harness';

const ZONE1 = zone1();

test('lock contention: CPU 1 waits for ctrl_lock(2) while CPU 0 holds it in ZoneStart', { timeout: 30_000 }, async (t) => {
  const g = launchGuests({
    root: fixture('contention.S') + zoneConfigAsm('zone1_config', ZONE1),
    zones: [{ zone: ZONE1, source: fixture('idle-zone.S') }],
  });
  const e = g.engine;

  await t.test('CPU 0 stops inside hv_zone_start holding ctrl_lock(2)', () => {
    e.setHypervisorEventStops(['zone-start']);
    const texts: string[] = [];
    for (let i = 0; i < 4 && !texts.some((x) => x.includes('holding ctrl_lock(2)')); i++) {
      const stop = runFor(g, [0]);
      assert.equal(stop.kind, 'event', JSON.stringify(stop));
      if (stop.kind === 'event') {
        assert.equal(stop.cpu, 0);
        assert.equal(stop.event.kind, 'zone-start');
        texts.push(stop.event.text);
      }
    }
    assert.equal(texts.at(-1), 'holding ctrl_lock(2) to wake CPU 2');
    const lock = e.locks().find((l) => l.name === 'ctrl_lock(2)');
    assert.deepEqual(lock, { name: 'ctrl_lock(2)', kind: 'mutex', owner: 0, readers: [], waiters: [] });
    const frames = e.hypervisorFrames(0);
    assert.ok(frames.some((f) => f.startsWith('hv_zone_start(')), frames.join(' > '));
    assert.equal(e.cpu(0).state, 'hypervisor');
  });

  await t.test("running CPU 1 alone stops at once: 'lock-wait', waits for ctrl_lock(2) held by CPU 0", () => {
    const stop = runFor(g, [1]);
    assert.deepEqual(stop, { kind: 'lock-wait', cpu: 1, reason: 'waits for ctrl_lock(2) held by CPU 0' });
    const lock = e.locks().find((l) => l.name === 'ctrl_lock(2)');
    assert.deepEqual(lock, { name: 'ctrl_lock(2)', kind: 'mutex', owner: 0, readers: [], waiters: [{ cpu: 1, mode: 'lock' }] });
    const frames = e.hypervisorFrames(1);
    assert.ok(frames.includes('sbi_vs_handler'), frames.join(' > '));
    assert.ok(frames.includes('sbi_hsm_hart_start(target=2)'), frames.join(' > '));
    assert.equal(frames.at(-1), 'ctrl_lock(2).lock()');
    assert.equal(e.cpu(1).state, 'hypervisor');
    // Asking again changes nothing: still the same wait, never a hang.
    assert.deepEqual(runFor(g, [1]), stop);
  });

  await t.test('running every CPU lets CPU 0 release the lock and CPU 1 go on', () => {
    e.setHypervisorEventStops([]);
    runTo(g, 'r_cpu1_hart_start', { cpu: 1 });
    assert.deepEqual(e.locks().find((l) => l.name === 'ctrl_lock(2)'), { name: 'ctrl_lock(2)', kind: 'mutex', owner: undefined, readers: [], waiters: [] });
    assert.deepEqual(e.hypervisorFrames(1), []);
    // CPU 1 takes the lock right after CPU 0 drops it, before CPU 2 has
    // handled its WAKEUP: power_on is still false, so hart_start succeeds
    // and overwrites what zone_create wrote (hvisor's check-then-act).
    const [a0, a1] = ret(g, 1);
    assert.deepEqual([a0, a1], [0n, 0n]);
    assert.equal(e.perCpu(2).cpuOnEntry, 0x8a000000n);
    assert.equal(e.perCpu(2).dtbIpa, 0x5555n);
    assert.deepEqual(e.hypervisor().events[2], ['WAKEUP', 'WAKEUP']);
    // CPU 0 went back to its guest, which waits in the WFI loop at r_zone_start.
    const pc = Number(e.cpu(0).pc);
    assert.ok(pc === g.sym('r_zone_start') || pc === g.sym('r_zone_start') + 4, `pc 0x${pc.toString(16)}`);
    assert.deepEqual(ret(g, 0), [0n, 0n], "CPU 0's ZoneStart returned 0");
    assert.deepEqual(e.zones().map((z) => z.id), [0, 1]);
  });

  await t.test("CPU 2 enters zone 1 with the DTB pointer CPU 1's hart_start left (a1 = its opaque)", () => {
    assert.equal(runFor(g).kind, 'quiescent');
    assert.equal(e.perCpu(2).archCpu.powerOn, true);
    assert.equal(e.cpu(2).zone, 1);
    assert.deepEqual(ret(g, 2), [2n, 0x5555n]);
    assert.deepEqual(e.hypervisor().events[2], []);
  });
});

/** Take `first`, let the other CPUs run a turn, then take `second`. */
function* grab(hv: Hvisor, cpu: number, first: SpinMutex, second: SpinMutex): HvTask {
  yield* hv.frame(cpu, `${first.name}.lock()`, first.lock(cpu));
  yield { kind: 'spin' };
  yield* hv.frame(cpu, `${second.name}.lock()`, second.lock(cpu));
}

/** CPUs 2 and 3 (parked, no zone) enter the hypervisor and take ctrl_lock(2)/(3) in opposite orders. */
function crossLocks(g: Guest): void {
  const hv = g.engine.hv;
  const l2 = hv.perCpu[2]!.ctrlLock;
  const l3 = hv.perCpu[3]!.ctrlLock;
  for (const [cpu, first, second] of [[2, l2, l3], [3, l3, l2]] as const) {
    g.engine.target.cores[cpu]!.inHypervisor = true;
    hv.executor.start(cpu, hv.frame(cpu, 'test task', grab(hv, cpu, first, second)));
  }
}

function assertDeadlock(g: Guest): void {
  const stop = runFor(g);
  assert.equal(stop.kind, 'deadlock', JSON.stringify(stop));
  if (stop.kind !== 'deadlock') return;
  assert.deepEqual([...stop.cpus].sort(), [2, 3]);
  assert.match(stop.reason, /^deadlock: /);
  assert.ok(stop.reason.includes('CPU 2 waits for ctrl_lock(3) held by CPU 3'), stop.reason);
  assert.ok(stop.reason.includes('CPU 3 waits for ctrl_lock(2) held by CPU 2'), stop.reason);
  assert.deepEqual(g.engine.hypervisorFrames(2), ['test task', 'ctrl_lock(3).lock()']);
  assert.deepEqual(g.engine.hypervisorFrames(3), ['test task', 'ctrl_lock(2).lock()']);
  const waiters = Object.fromEntries(g.engine.locks().filter((l) => l.name === 'ctrl_lock(2)' || l.name === 'ctrl_lock(3)').map((l) => [l.name, [l.owner, l.waiters.map((w) => w.cpu)]]));
  assert.deepEqual(waiters, { 'ctrl_lock(2)': [2, [3]], 'ctrl_lock(3)': [3, [2]] });
}

test('deadlock: two CPUs each holding the lock the other wants (the rest of the machine asleep)', { timeout: 30_000 }, () => {
  const g = launchGuests({ root: '        .text\n        .globl _start\n_start: wfi\n        j _start\n' });
  crossLocks(g);
  assertDeadlock(g);
});

test('deadlock: detected while another CPU keeps running guest code', { timeout: 30_000 }, () => {
  // The two CPUs can never get out, whatever CPU 0 does: the run must end
  // with the deadlock, not run on until the instruction budget.
  const g = launchGuests({ root: '        .text\n        .globl _start\n_start: j _start\n' });
  crossLocks(g);
  assertDeadlock(g);
});
