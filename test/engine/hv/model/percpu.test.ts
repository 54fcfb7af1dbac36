// Who writes which PerCpu field, and when (reference §1.4), each writer
// checked before and after it runs. The guests are test/fixtures/hv/
// percpu.S (root) and percpu-zone1.S; running only some CPUs (solo) keeps
// the writers apart: a WAKEUP that is queued but not yet handled shows what
// the sender wrote, and the target's run() shows what it writes itself.
//
// The PSCI rows of §1.4 (CPU_ON, SYSTEM_OFF, aarch64 idle under ctrl_lock)
// are aarch64-only; this model is riscv64's, where HSM takes CPU_ON's place
// and there is no SYSTEM_OFF path, so they have no test here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hvisor } from '../../../../engine/hv/hvisor';
import { Riscv64HvArch, type RiscvHvisor } from '../../../../engine/hv/arch/riscv64/arch';
import type { ArchCpu } from '../../../../engine/hv/arch/riscv64/cpu';
import type { PerCpuView } from '../../../../engine/api';
import { qemuPlicRootZone } from '../../../../engine/hv/config/qemu-plic-root';
import { QemuPlicBoard } from '../../../../engine/machine/boards/qemu-plic';
import { QEMU_PLIC_MAP } from '../../../../engine/machine/boards/qemu-plic-map';
import {
  CORE_END, fixture, INVALID_ADDRESS, launchGuests, PER_CPU_SIZE, reg, ret, ROOT_DTB, ROOT_ENTRY, runFor, runTo, traceText, u64, ERRNO, SBI,
  zone1, zoneConfigAsm, type Guest,
} from './harness';

const OPAQUE = 0x1234abcdn;
/** Zone 1's DTB sits in a second RAM region mapped at another IPA, so dtb_ipa must be translated. */
const ZONE1 = zone1({
  regions: [
    { type: 'ram', phys: 0x8a000000, size: 0x1000000 },
    { type: 'ram', phys: 0x8b000000, virt: 0x4b000000, size: 0x100000 },
    { type: 'io', phys: 0x10000000, size: 0x1000 },
  ],
  dtb: 0x8b000000,
});
const ZONE1_DTB_IPA = 0x4b000000n;
const ZONE2 = zone1({ id: 2, name: 'zone2', cpus: [3], entry: 0x8a000100, dtb: 0x8af00000 });

function launchPerCpu(): Guest {
  return launchGuests({
    root: fixture('percpu.S') + zoneConfigAsm('zone1_config', ZONE1) + zoneConfigAsm('zone2_config', ZONE2),
    zones: [{ zone: ZONE1, source: fixture('percpu-zone1.S') }],
  });
}

interface Fields {
  readonly zone: number | undefined;
  readonly bootCpu: boolean;
  readonly cpuOnEntry: bigint;
  readonly dtbIpa: bigint;
  readonly powerOn: boolean;
}

function fields(g: Guest, cpu: number): Fields {
  const p = g.engine.perCpu(cpu);
  return { zone: p.zone, bootCpu: p.bootCpu, cpuOnEntry: p.cpuOnEntry, dtbIpa: p.dtbIpa, powerOn: p.archCpu.powerOn };
}

const UNASSIGNED: Fields = { zone: undefined, bootCpu: false, cpuOnEntry: INVALID_ADDRESS, dtbIpa: INVALID_ADDRESS, powerOn: false };

/** ArchCpu.init as the debugger's PerCpu view shows it. */
function archInit(view: PerCpuView): boolean {
  return view.archCpu.fields.find((f) => f.name === 'init')?.value === true;
}

test('PerCpu::new at boot: every field at its initial value on every CPU, before zone_create', () => {
  // Engine.launch boots in one go, so build the same machine and look at
  // PerCpu when hvisor reports that all CPUs entered, just before the
  // primary creates the root zone (rust_main step 6 → 8).
  let hv: RiscvHvisor | undefined;
  let snapshot: unknown[] | undefined;
  const board = new QemuPlicBoard({ cpus: 4, dramSize: 0x80000000, onUartByte: () => {}, hs: { hsTrap: () => assert.fail('no trap during boot') } });
  const arch = new Riscv64HvArch(
    { hartIdMap: [0, 1, 2, 3], aclintSswiBase: QEMU_PLIC_MAP.aclint.sswi.base, plicBase: QEMU_PLIC_MAP.plic.base, hwIrqs: QEMU_PLIC_MAP.hwIrqs, uart: board.uart },
    board.memory,
  );
  hv = new Hvisor(
    { ncpus: 4, coreEnd: CORE_END, memPoolSize: 8 << 20 },
    { memory: board.memory, cores: board.cores },
    arch,
    (e) => {
      if (e.kind === 'boot' && /CPUs entered/.test(e.text)) {
        snapshot = hv!.perCpu.map((p) => {
          const a = p.archCpu as ArchCpu;
          return {
            id: p.id, cpuOnEntry: p.cpuOnEntry, dtbIpa: p.dtbIpa, zone: p.zone?.id, bootCpu: p.bootCpu,
            cpuid: a.cpuid, powerOn: a.powerOn, init: a.init, sstc: a.sstc, stackTop: a.stackTop,
            ctrlLock: p.ctrlLock.state().owner,
          };
        });
      }
    },
  );
  hv.boot(qemuPlicRootZone(4));
  assert.ok(snapshot, 'hvisor reported the CPUs entering');
  assert.deepEqual(snapshot, [0, 1, 2, 3].map((cpu) => ({
    id: cpu, cpuOnEntry: INVALID_ADDRESS, dtbIpa: INVALID_ADDRESS, zone: undefined, bootCpu: false,
    cpuid: cpu, powerOn: false, init: false, sstc: true,
    // ArchCpu.stack_top = top of the CPU's 512 KiB area - 8
    stackTop: CORE_END + (cpu + 1) * PER_CPU_SIZE - 8,
    ctrlLock: undefined,
  })));
});

test('after boot: zone_create(root) wrote CPUs 0-1; CPUs outside any zone keep PerCpu::new values', () => {
  const g = launchPerCpu();
  // Root boot CPU: zone_create marked it boot_cpu, then run() powered it on.
  assert.deepEqual(fields(g, 0), { zone: 0, bootCpu: true, cpuOnEntry: BigInt(ROOT_ENTRY), dtbIpa: BigInt(ROOT_DTB), powerOn: true });
  assert.equal(archInit(g.engine.perCpu(0)), true);
  // Root secondary: same entry and DTB, not the boot CPU, parked.
  assert.deepEqual(fields(g, 1), { zone: 0, bootCpu: false, cpuOnEntry: BigInt(ROOT_ENTRY), dtbIpa: BigInt(ROOT_DTB), powerOn: false });
  assert.equal(archInit(g.engine.perCpu(1)), false);
  assert.equal(g.engine.cpu(1).state, 'parked');
  for (const cpu of [2, 3]) {
    assert.deepEqual(fields(g, cpu), UNASSIGNED, `CPU ${cpu}`);
    assert.equal(archInit(g.engine.perCpu(cpu)), false);
    assert.equal(g.engine.cpu(cpu).state, 'parked');
  }
  assert.match(traceText(g), /CPU 2 has no zone/);
  // The guest boot protocol: pc = cpu_on_entry, a0 = hartid, a1 = dtb_ipa.
  assert.equal(g.engine.cpu(0).pc, BigInt(ROOT_ENTRY));
  assert.deepEqual(ret(g, 0), [0n, BigInt(ROOT_DTB)]);
});

test('PerCpu writers in order: hart_start, run(), zone_create at ZoneStart, hv_zone_shutdown, idle(), never-reset fields', async (t) => {
  const g = launchPerCpu();
  const e = g.engine;

  await t.test('HSM hart_start writes cpu_on_entry = a1 and dtb_ipa = a2, not power_on', () => {
    runTo(g, 'before_hart_start', { cpus: [0] });
    assert.deepEqual(fields(g, 1), { zone: 0, bootCpu: false, cpuOnEntry: BigInt(ROOT_ENTRY), dtbIpa: BigInt(ROOT_DTB), powerOn: false });
    runTo(g, 'after_hart_start', { cpus: [0] });
    assert.deepEqual(ret(g, 0), [0n, 0n]);
    assert.deepEqual(fields(g, 1), { zone: 0, bootCpu: false, cpuOnEntry: BigInt(g.sym('cpu1_entry')), dtbIpa: OPAQUE, powerOn: false });
    assert.deepEqual(e.hypervisor().events[1], ['WAKEUP']);
  });

  await t.test('run() on the target sets power_on (and init) and enters at cpu_on_entry with a0 = hartid, a1 = dtb_ipa', () => {
    runTo(g, 'cpu1_entry', { cpu: 1, cpus: [1] });
    assert.equal(e.perCpu(1).archCpu.powerOn, true);
    assert.equal(archInit(e.perCpu(1)), true);
    assert.deepEqual(ret(g, 1), [1n, OPAQUE]);
  });

  await t.test('zone_create at HvZoneStart: zone, boot_cpu on the first CPU only, cpu_on_entry, translated dtb_ipa; not power_on', () => {
    assert.deepEqual(fields(g, 2), UNASSIGNED);
    assert.deepEqual(fields(g, 3), UNASSIGNED);
    runTo(g, 'after_zone_start', { cpus: [0] });
    assert.deepEqual(ret(g, 0), [0n, 0n]);
    const entry = BigInt(ZONE1.entry);
    assert.deepEqual(fields(g, 2), { zone: 1, bootCpu: true, cpuOnEntry: entry, dtbIpa: ZONE1_DTB_IPA, powerOn: false });
    assert.deepEqual(fields(g, 3), { zone: 1, bootCpu: false, cpuOnEntry: entry, dtbIpa: ZONE1_DTB_IPA, powerOn: false });
    assert.deepEqual(e.hypervisor().events.slice(2), [['WAKEUP'], []], 'only the boot CPU is woken');
  });

  await t.test("the new zone's boot CPU: run() powers it on at the zone's entry with its DTB", () => {
    runTo(g, '_start', { cpu: 2, zone: 1, cpus: [2] });
    assert.equal(e.perCpu(2).archCpu.powerOn, true);
    assert.deepEqual(ret(g, 2), [2n, ZONE1_DTB_IPA]);
    assert.equal(e.perCpu(3).archCpu.powerOn, false, 'CPU 3 stays parked until zone 1 starts it');
  });

  await t.test("zone 1's hart_start of CPU 3 then CPU 3's run()", () => {
    runTo(g, 'cpu3_entry', { cpu: 3, zone: 1 });
    assert.deepEqual(fields(g, 3), { zone: 1, bootCpu: false, cpuOnEntry: BigInt(g.sym('cpu3_entry', 1)), dtbIpa: ZONE1_DTB_IPA, powerOn: true });
    assert.deepEqual(ret(g, 3), [3n, ZONE1_DTB_IPA]);
  });

  await t.test('hv_zone_shutdown: cpu_on_entry = INVALID_ADDRESS under each ctrl_lock, before the SHUTDOWN event', () => {
    runTo(g, 'before_shutdown');
    e.setHypervisorEventStops(['ipi']);
    let stop = runFor(g);
    assert.equal(stop.kind === 'event' && stop.event.text, 'send_event(cpu=2, SHUTDOWN)');
    assert.equal(fields(g, 2).cpuOnEntry, INVALID_ADDRESS);
    assert.equal(e.perCpu(2).ctrlLock.owner, 0, "CPU 0 holds CPU 2's ctrl_lock");
    assert.equal(fields(g, 3).cpuOnEntry, BigInt(g.sym('cpu3_entry', 1)), 'CPU 3 not yet');
    assert.deepEqual([fields(g, 2).zone, fields(g, 3).zone], [1, 1]);
    stop = runFor(g);
    assert.equal(stop.kind === 'event' && stop.event.text, 'send_event(cpu=3, SHUTDOWN)');
    assert.equal(fields(g, 3).cpuOnEntry, INVALID_ADDRESS);
    e.setHypervisorEventStops([]);
  });

  await t.test('hv_zone_shutdown keeps zone while power_on stays true (CPUs 2-3 frozen)', () => {
    for (let i = 0; i < 20; i++) {
      const stop = e.stepCpu(0);
      assert.equal(stop.kind, 'step');
      assert.deepEqual([fields(g, 2).zone, fields(g, 3).zone], [1, 1], `step ${i}`);
    }
    assert.ok(e.hypervisorFrames(0).some((f) => f.startsWith('hv_zone_shutdown(1)')), e.hypervisorFrames(0).join(' > '));
  });

  await t.test('idle() on the target clears power_on; zone stays until the shutdown loop sees it', () => {
    const stop = runFor(g, [2, 3]);
    assert.equal(stop.kind, 'quiescent');
    for (const cpu of [2, 3]) {
      assert.equal(e.perCpu(cpu).archCpu.powerOn, false, `CPU ${cpu} power_on`);
      assert.equal(e.cpu(cpu).state, 'parked');
      assert.equal(fields(g, cpu).zone, 1, `CPU ${cpu} still names zone 1`);
    }
  });

  await t.test('hv_zone_shutdown then sets zone = None; boot_cpu and dtb_ipa are never reset', () => {
    runTo(g, 'after_shutdown', { cpus: [0] });
    assert.deepEqual(ret(g, 0), [0n, 0n]);
    assert.deepEqual(fields(g, 2), { zone: undefined, bootCpu: true, cpuOnEntry: INVALID_ADDRESS, dtbIpa: ZONE1_DTB_IPA, powerOn: false });
    assert.deepEqual(fields(g, 3), { zone: undefined, bootCpu: false, cpuOnEntry: INVALID_ADDRESS, dtbIpa: ZONE1_DTB_IPA, powerOn: false });
  });

  await t.test('a later zone on CPU 3 alone makes CPU 3 its boot CPU; CPU 2 keeps its stale boot_cpu', () => {
    runTo(g, 'after_zone2_start', { cpus: [0] });
    assert.deepEqual(ret(g, 0), [0n, 0n]);
    assert.deepEqual(fields(g, 3), { zone: 2, bootCpu: true, cpuOnEntry: BigInt(ZONE2.entry), dtbIpa: BigInt(ZONE2.dtb), powerOn: false });
    assert.deepEqual(fields(g, 2), { zone: undefined, bootCpu: true, cpuOnEntry: INVALID_ADDRESS, dtbIpa: ZONE1_DTB_IPA, powerOn: false });
    assert.equal(fields(g, 0).bootCpu, true, "the root's boot CPU too");
  });
});

test("HvZoneStart when the boot CPU is still on: EBUSY after zone_create, PerCpu names a zone that is never listed (§3.3)", () => {
  const g = launchPerCpu();
  const e = g.engine;
  runTo(g, 'before_shutdown');
  assert.equal(e.perCpu(3).archCpu.powerOn, true);
  // Zone 1's CPUs stay frozen, so they never take SHUTDOWN: hvisor's wait
  // loop gives up after MAX_WAIT_TIMES checks and clears zone anyway.
  runTo(g, 'after_shutdown', { cpus: [0] });
  assert.deepEqual(ret(g, 0), [0n, 0n]);
  assert.match(traceText(g), /cannot be shut down/);
  assert.deepEqual(fields(g, 3), { zone: undefined, bootCpu: false, cpuOnEntry: INVALID_ADDRESS, dtbIpa: ZONE1_DTB_IPA, powerOn: true });
  // Zone 2's boot CPU is CPU 3, still on.
  runTo(g, 'after_zone2_start', { cpus: [0] });
  assert.deepEqual(ret(g, 0), [u64(SBI.FAILED), u64(-ERRNO.EBUSY)]);
  assert.deepEqual(fields(g, 3), { zone: 2, bootCpu: true, cpuOnEntry: BigInt(ZONE2.entry), dtbIpa: BigInt(ZONE2.dtb), powerOn: true });
  assert.deepEqual(e.zones().map((z) => z.id), [0], 'zone 2 never reaches ZONE_LIST');
  assert.equal(e.perCpu(3).ctrlLock.owner, undefined, 'the EBUSY return released ctrl_lock(3)');
  assert.equal(reg(g, 0, 'pc'), BigInt(g.sym('after_zone2_start')));
});
