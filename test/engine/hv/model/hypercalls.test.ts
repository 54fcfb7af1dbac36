// hvisor's hypercalls (reference §4.2) at register level: ecall with
// a7 = 0x114514 returns a0 = 0 and a1 = the value, or a0 = -1 (SBI FAILED)
// and a1 = -errno. The root guest is test/fixtures/hv/hypercalls.S, zone 1's
// hypercalls-zone1.S; the test stops right after each ecall.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bytesAt, ERRNO, fixture, INVALID_ADDRESS, launchGuests, ret, runFor, runTo, SBI, traceText, u32At, u64, u64At, zone1, zoneConfigAsm,
  type Guest, type ZoneSpec,
} from './harness';

const FAILED = u64(SBI.FAILED);
const err = (errno: bigint): [bigint, bigint] => [FAILED, u64(-errno)];
const ZONE_INFO_SIZE = 56;

function after(g: Guest, label: string, cpu = 0, zone = 0): [bigint, bigint] {
  runTo(g, label, { cpu, zone });
  return ret(g, cpu);
}

interface ZoneInfo {
  readonly zoneId: number;
  readonly cpus: bigint;
  readonly name: string;
  readonly isErr: number;
}

/** ZoneInfo: zone_id u32 @0, cpus u64 @8, name [u8; 32] @16, is_err u8 @48 (56 bytes). */
function zoneInfoAt(g: Guest, address: number): ZoneInfo {
  const name = bytesAt(g, address + 16, 32);
  const end = name.indexOf(0);
  return {
    zoneId: u32At(g, address),
    cpus: u64At(g, address + 8),
    name: Buffer.from(name.subarray(0, end < 0 ? 32 : end)).toString('latin1'),
    isErr: bytesAt(g, address + 48, 1)[0]!,
  };
}

/** Source 34 on the physical PLIC, seen from CPU 2's S context (2 * 2 + 1). */
function physicalPlic(g: Guest): { priority34: number; enable34: boolean; threshold: number } {
  const read = (offset: number): number => Number(g.engine.target.memory.read(0xc000000 + offset, 4) ?? -1n);
  return {
    priority34: read(4 * 34),
    enable34: ((read(0x2000 + 0x80 * 5 + 4) >>> 2) & 1) === 1,
    threshold: read(0x200000 + 0x1000 * 5),
  };
}

function perCpuSummary(g: Guest, cpu: number) {
  const p = g.engine.perCpu(cpu);
  return { zone: p.zone, bootCpu: p.bootCpu, cpuOnEntry: p.cpuOnEntry, dtbIpa: p.dtbIpa, powerOn: p.archCpu.powerOn };
}

/** Zone 1 owns source 34, one of the board's HW_IRQS the root does not own. */
const ZONE1 = zone1({ irqs: [34] });
const CONFIGS = [
  zoneConfigAsm('zone1_config', ZONE1),
  zoneConfigAsm('zone0_again', zone1({ id: 0, name: 'again', cpus: [3] })),
  zoneConfigAsm('zone2_cpus12', zone1({ id: 2, name: 'zone2', cpus: [1, 2] })),
  zoneConfigAsm('zone2_cpu3', zone1({ id: 2, name: 'zone2', cpus: [3] })),
].join('');

test('hypercalls from the root zone and from zone 1, with every error path', async (t) => {
  const g = launchGuests({
    root: fixture('hypercalls.S') + CONFIGS,
    zones: [{ zone: ZONE1, source: fixture('hypercalls-zone1.S') }],
  });
  const unassigned = { zone: undefined, bootCpu: false, cpuOnEntry: INVALID_ADDRESS, dtbIpa: INVALID_ADDRESS, powerOn: false };

  await t.test('HvConfigCheck writes CONFIG_MAGIC_VERSION (5) and returns 0', () => {
    assert.deepEqual(after(g, 'r_config_check'), [0n, 0n]);
    assert.equal(u64At(g, g.sym('magic')), 5n);
  });

  await t.test('HvIvcInfo is aarch64-only: riscv64 hvisor warns and returns 0', () => {
    assert.deepEqual(after(g, 'r_ivc_info'), [0n, 0n]);
  });

  await t.test('HvVirtioInit and HvVirtioInjectIrq: the model has no virtio bridge and says so in the trace', () => {
    // hvisor returns 0 here; the model answers ENOSYS and traces it as beyond what it models.
    assert.deepEqual(after(g, 'r_virtio_init'), err(ERRNO.ENOSYS));
    assert.match(traceText(g), /beyond-hvisor: HvVirtioInit: the virtio bridge is not modelled yet/);
    assert.deepEqual(after(g, 'r_virtio_inject'), err(ERRNO.ENOSYS));
    assert.match(traceText(g), /beyond-hvisor: HvVirtioInjectIrq: the virtio bridge is not modelled yet/);
  });

  await t.test('HvVirtioGetIrq is a no-op (0); an unknown code returns 0', () => {
    assert.deepEqual(after(g, 'r_virtio_get_irq'), [0n, 0n]);
    assert.deepEqual(after(g, 'r_unknown'), [0n, 0n]);
  });

  await t.test('HvZoneList with a null pointer: EINVAL', () => {
    assert.deepEqual(after(g, 'r_list_null'), err(ERRNO.EINVAL));
  });

  await t.test('HvZoneStart with the wrong size: EINVAL, nothing changes', () => {
    assert.deepEqual(after(g, 'r_start_size'), err(ERRNO.EINVAL));
    assert.deepEqual(g.engine.zones().map((z) => z.id), [0]);
    assert.deepEqual(perCpuSummary(g, 2), unassigned);
  });

  await t.test("HvZoneStart with the root's zone id: EINVAL (duplicate id), CPU 3 untouched", () => {
    assert.deepEqual(after(g, 'r_start_dup_root'), err(ERRNO.EINVAL));
    assert.deepEqual(perCpuSummary(g, 3), unassigned);
  });

  await t.test("HvZoneStart over a root CPU: EBUSY, and zone_create's error leaves every PerCpu as it was", () => {
    const cpu1 = perCpuSummary(g, 1);
    assert.deepEqual(after(g, 'r_start_busy_root'), err(ERRNO.EBUSY));
    assert.deepEqual(perCpuSummary(g, 1), cpu1);
    assert.deepEqual(perCpuSummary(g, 2), unassigned);
    assert.deepEqual(g.engine.zones().map((z) => z.id), [0]);
  });

  await t.test('after the failed ZoneStarts, the lock list names no lock of a zone that does not exist', () => {
    // hvisor drops the half-built Zone (and its RwLock) when zone_create fails.
    assert.deepEqual(g.engine.locks().map((l) => l.name).filter((n) => n.startsWith('zone(')), ['zone(0)']);
  });

  await t.test('HvZoneStart of zone 1: 0, listed, CPU 2 woken', () => {
    assert.deepEqual(after(g, 'r_start_zone1'), [0n, 0n]);
    assert.deepEqual(g.engine.zones().map((z) => [z.id, z.name, z.cpus]), [[0, 'root-linux', [0, 1]], [1, 'zone1', [2, 3]]]);
  });

  await t.test('HvZoneStart of zone 1 again: EINVAL (duplicate id)', () => {
    assert.deepEqual(after(g, 'r_start_dup'), err(ERRNO.EINVAL));
  });

  await t.test("HvZoneStart over zone 1's CPU 3: EBUSY, CPU 3 still zone 1's", () => {
    const cpu3 = perCpuSummary(g, 3);
    assert.deepEqual(after(g, 'r_start_busy_zone1'), err(ERRNO.EBUSY));
    assert.deepEqual(perCpuSummary(g, 3), cpu3);
    assert.equal(cpu3.zone, 1);
    assert.deepEqual(g.engine.zones().map((z) => z.id), [0, 1]);
  });

  await t.test('HvZoneList writes ZoneInfo records and returns min(count, zones)', () => {
    assert.deepEqual(after(g, 'r_list4'), [0n, 2n]);
    const infos = g.sym('infos');
    assert.deepEqual(zoneInfoAt(g, infos), { zoneId: 0, cpus: 0x3n, name: 'root-linux', isErr: 0 });
    assert.deepEqual(zoneInfoAt(g, infos + ZONE_INFO_SIZE), { zoneId: 1, cpus: 0xcn, name: 'zone1', isErr: 0 });
    assert.deepEqual([...bytesAt(g, infos + 2 * ZONE_INFO_SIZE, ZONE_INFO_SIZE)], new Array(ZONE_INFO_SIZE).fill(0), 'no third record');

    assert.deepEqual(after(g, 'r_list1'), [0n, 1n]);
    const one = g.sym('infos_one');
    assert.deepEqual(zoneInfoAt(g, one), { zoneId: 0, cpus: 0x3n, name: 'root-linux', isErr: 0 });
    assert.deepEqual([...bytesAt(g, one + ZONE_INFO_SIZE, ZONE_INFO_SIZE)], new Array(ZONE_INFO_SIZE).fill(0xaa), 'count 1 writes one record');

    assert.deepEqual(after(g, 'r_list0'), [0n, 0n]);
    assert.deepEqual([...bytesAt(g, g.sym('infos_none'), ZONE_INFO_SIZE)], new Array(ZONE_INFO_SIZE).fill(0xaa), 'count 0 writes nothing');
  });

  await t.test('from zone 1: ZoneStart, ZoneShutdown, VirtioInit, VirtioInjectIrq are EPERM; ZoneList and ConfigCheck work', () => {
    assert.deepEqual(after(g, 'z_start', 2, 1), err(ERRNO.EPERM));
    assert.deepEqual(after(g, 'z_shutdown', 2, 1), err(ERRNO.EPERM));
    assert.deepEqual(after(g, 'z_virtio_init', 2, 1), err(ERRNO.EPERM));
    assert.deepEqual(after(g, 'z_virtio_inject', 2, 1), err(ERRNO.EPERM));
    assert.deepEqual(after(g, 'z_list', 2, 1), [0n, 2n]);
    assert.deepEqual(zoneInfoAt(g, g.sym('infos', 1) + ZONE_INFO_SIZE), { zoneId: 1, cpus: 0xcn, name: 'zone1', isErr: 0 });
    assert.deepEqual(after(g, 'z_config_check', 2, 1), [0n, 0n]);
    assert.equal(u64At(g, g.sym('magic', 1)), 5n);
    assert.deepEqual(g.engine.zones().map((z) => z.id), [0, 1], 'zone 1 is still there');
  });

  await t.test("zone 1's vPLIC settings for its hw source 34 reach CPU 2's physical S context (5)", () => {
    runTo(g, 'z_plic', { cpu: 2, zone: 1 });
    assert.deepEqual(physicalPlic(g), { priority34: 4, enable34: true, threshold: 1 });
  });

  await t.test('HvZoneShutdown: EINVAL for the root zone and for an unknown id', () => {
    assert.deepEqual(after(g, 'r_shutdown_root'), err(ERRNO.EINVAL));
    assert.deepEqual(after(g, 'r_shutdown_unknown'), err(ERRNO.EINVAL));
  });

  await t.test('HvZoneShutdown of zone 1: 0, and ZoneList shows the root only', () => {
    assert.deepEqual(after(g, 'r_shutdown_zone1'), [0n, 0n]);
    assert.deepEqual(g.engine.zones().map((z) => z.id), [0]);
    assert.deepEqual(after(g, 'r_list_after'), [0n, 1n]);
    assert.deepEqual(zoneInfoAt(g, g.sym('infos_after')), { zoneId: 0, cpus: 0x3n, name: 'root-linux', isErr: 0 });
  });

  await t.test("HvZoneShutdown's arch_irqchip_reset: the zone's hw source gets priority 0 and is disabled, its contexts' thresholds 0", () => {
    assert.deepEqual(physicalPlic(g), { priority34: 0, enable34: false, threshold: 0 });
  });

  await t.test('HvZoneStart of zone 1 after its shutdown succeeds (hvisor dropped its vPLIC in arch_irqchip_reset)', () => {
    assert.deepEqual(after(g, 'r_restart_zone1'), [0n, 0n], traceText(g).split('\n').slice(-4).join('\n'));
    assert.deepEqual(g.engine.zones().map((z) => z.id), [0, 1]);
  });
});

/** A root guest that makes one hypercall (a0 = code, a1 = `config`'s address or arg, a2) and parks. */
function oneCall(code: string, arg1: string, arg2: string, extra = ''): string {
  return `
        .text
        .globl _start
_start: li      a7, EID_HVISOR
        li      a0, ${code}
        ${arg1.startsWith('cfg_') ? 'la' : 'li'}      a1, ${arg1}
        li      a2, ${arg2}
        ecall
after:  j       after
        .data
${extra}`;
}

function expectPanic(g: Guest, what: string): string {
  g.engine.setInstructionBreakpoints([BigInt(g.sym('after'))]);
  const stop = runFor(g);
  assert.equal(stop.kind, 'panic', `${what}: stop ${JSON.stringify(stop)}, a0/a1 = ${ret(g, 0).map((v) => `0x${v.toString(16)}`).join(', ')}`);
  assert.equal('cpu' in stop ? stop.cpu : -1, 0);
  const reason = 'reason' in stop ? stop.reason : '';
  assert.match(reason, /^hvisor would panic: /);
  assert.equal(g.engine.cpu(0).state, 'stopped');
  return reason;
}

test('HvZoneStart with a memory region of unknown type: hvisor panics in pt_init', () => {
  const bad: ZoneSpec = zone1({ id: 2, regions: [{ type: 7, phys: 0x8a000000, size: 0x1000000 }] });
  const g = launchGuests({ root: oneCall('HC_ZONE_START', 'cfg_bad', 'ZC_SIZEOF', zoneConfigAsm('cfg_bad', bad)) });
  expectPanic(g, 'unknown region type');
});

test('HvZoneStart with overlapping memory regions: pt_init returns EINVAL and hvisor unwraps it (panic)', () => {
  const bad = zone1({ id: 2, regions: [{ type: 'ram', phys: 0x8a000000, size: 0x1000000 }, { type: 'ram', phys: 0x8a100000, size: 0x1000 }] });
  const g = launchGuests({ root: oneCall('HC_ZONE_START', 'cfg_bad', 'ZC_SIZEOF', zoneConfigAsm('cfg_bad', bad)) });
  expectPanic(g, 'overlapping regions');
});

test('HvZoneStart of a zone with no CPUs: hvisor unwraps first_cpu() and panics', () => {
  const g = launchGuests({ root: oneCall('HC_ZONE_START', 'cfg_bad', 'ZC_SIZEOF', zoneConfigAsm('cfg_bad', zone1({ id: 2, cpus: [] }))) });
  expectPanic(g, 'no CPUs');
});

test('HvClearInjectIrq: riscv64 CPUs that are on get CLEAR_INJECT_IRQ, which their arch_check_events panics on', () => {
  const g = launchGuests({
    root: `
        .text
        .globl _start
_start: li      a7, SBI_HSM             # CPU 1 on first: the event goes to CPUs 1..3 that are on
        li      a6, HSM_HART_START
        li      a0, 1
        la      a1, cpu1
        li      a2, 0
        ecall
        la      t0, up
1:      lw      t1, 0(t0)
        beqz    t1, 1b
        li      a7, EID_HVISOR
        li      a0, HC_CLEAR_INJECT_IRQ
        ecall
r_clear:
        j       r_clear
cpu1:   la      t0, up
        li      t1, 1
        sw      t1, 0(t0)
2:      j       2b
        .data
up:     .word 0
`,
  });
  // The hypercall itself returns 0 to its caller.
  runTo(g, 'r_clear');
  assert.deepEqual(ret(g, 0), [0n, 0n]);
  assert.deepEqual(g.engine.hypervisor().events[1], ['CLEAR_INJECT_IRQ']);
  const stop = runFor(g);
  assert.equal(stop.kind, 'panic');
  assert.equal('cpu' in stop ? stop.cpu : -1, 1, 'CPU 1 handles the event and stops');
  assert.match('reason' in stop ? stop.reason : '', /^hvisor would panic: arch_check_events cannot handle event 4/);
});
