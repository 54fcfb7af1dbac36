// hvisor's hypercalls from aarch64 guests (reference §4): hvc with x0 =
// code, x1/x2 = args, the result in x0 (a negative errno on failure). The
// root guest is test/fixtures/hv-aarch64/hypercalls.S, zone 1's
// hypercalls-zone1.S; the test stops right after each hvc. The HvZoneConfig
// ZoneStart reads is written in assembly, field by field, and checked
// against hvisor-debug's own encoding of the same zone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeZoneConfig, HV_ZONE_CONFIG_SIZE } from '../../../../engine/hv/config/binary';
import { parseZoneConfigJson } from '../../../../engine/hv/config/json';
import { assembleAarch64 } from '../../../../engine/isa/aarch64/asm';
import {
  bytesAt, errno, ERRNO, fixture, launchGuests, runTo, traceText, u32At, u64At, withPrelude, x0, zone1, zoneConfigAsm, zoneJson,
  type Guest,
} from './harness';

const ZONE_INFO_SIZE = 56;
const ZONE1 = zone1({ irqs: [40] });
const CONFIGS = [
  zoneConfigAsm('zone1_config', ZONE1),
  zoneConfigAsm('zone0_again', zone1({ id: 0, name: 'again', cpus: [3] })),
  zoneConfigAsm('zone2_cpus12', zone1({ id: 2, name: 'zone2', cpus: [1, 2] })),
].join('');

function after(g: Guest, label: string, cpu = 0, zone = 0): bigint {
  runTo(g, label, { cpu, zone });
  return x0(g, cpu);
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

test("the HvZoneConfig written in assembly is hvisor-debug's encoding of the zone's JSON, byte for byte (3136 bytes)", () => {
  const { program, errors } = assembleAarch64(withPrelude(`        .data\n${zoneConfigAsm('cfg', ZONE1)}`), { fileName: 'cfg.S', base: 0x60000000 });
  assert.deepEqual(errors, []);
  const data = program!.sections.find((s) => s.name === '.data')!;
  const start = program!.symbols.get('cfg')!.address - data.address;
  const ours = data.bytes.subarray(start, start + HV_ZONE_CONFIG_SIZE.aarch64);
  assert.equal(ours.length, 3136);
  const parsed = parseZoneConfigJson(zoneJson(ZONE1), 'zone1.json', { arch: 'aarch64', boardCpus: 4 });
  assert.deepEqual(parsed.errors.map(String), []);
  const theirs = encodeZoneConfig(parsed.config!);
  const diff = ours.findIndex((b, i) => b !== theirs[i]);
  assert.equal(diff, -1, `first difference at offset ${diff}`);
  assert.equal(theirs.length, 3136);
});

test('hypercalls from the root zone and from zone 1, with their error paths', async (t) => {
  const g = launchGuests({
    root: fixture('hypercalls.S') + CONFIGS,
    zones: [{ zone: ZONE1, source: fixture('hypercalls-zone1.S') }],
  });
  const e = g.engine;

  await t.test('HvConfigCheck writes CONFIG_MAGIC_VERSION (5) and returns 0', () => {
    assert.equal(after(g, 'r_config_check'), 0n);
    assert.equal(u64At(g, g.sym('magic')), 5n);
    assert.match(traceText(g), /cpu0 hypercall: HvConfigCheck\(0x[0-9a-f]+, 0x0\)/);
  });

  await t.test('HvZoneList with a null pointer: -EINVAL; an unknown code: 0', () => {
    assert.equal(after(g, 'r_list_null'), errno(ERRNO.EINVAL));
    assert.equal(after(g, 'r_unknown'), 0n);
  });

  await t.test('HvZoneStart with the riscv64 size (3080): -EINVAL, nothing changes', () => {
    assert.equal(after(g, 'r_start_size'), errno(ERRNO.EINVAL));
    assert.match(traceText(g), /config size 3080 is not sizeof\(HvZoneConfig\) = 3136 on aarch64/);
    assert.deepEqual(e.zones().map((z) => z.id), [0]);
    assert.equal(e.perCpu(2).zone, undefined);
  });

  await t.test("HvZoneStart with the root's id: -EINVAL; over a root CPU: -EBUSY", () => {
    assert.equal(after(g, 'r_start_dup_root'), errno(ERRNO.EINVAL));
    assert.equal(after(g, 'r_start_busy_root'), errno(ERRNO.EBUSY));
    assert.deepEqual(e.zones().map((z) => z.id), [0]);
    assert.equal(e.perCpu(2).zone, undefined);
    assert.equal(e.perCpu(1).zone, 0);
  });

  await t.test("HvZoneStart of zone 1: 0, listed, its boot CPU 2 woken and its vGIC's MMIO windows registered", () => {
    assert.equal(after(g, 'r_start_zone1'), 0n);
    assert.deepEqual(e.zones().map((z) => [z.id, z.name, z.cpus]), [[0, 'root-linux', [0, 1]], [1, 'zone1', [2, 3]]]);
    const zone = e.zones()[1]!;
    assert.deepEqual(zone.irqs, [40]);
    assert.ok(zone.mmio.some((m) => m.start === 0x8000000 && m.handler === 'vgicv3_dist_handler'), JSON.stringify(zone.mmio));
    assert.equal(zone.mmio.filter((m) => m.handler === 'vgicv3_redist_handler').length, 4);
    assert.deepEqual(e.hypervisor().events[2], ['WAKEUP']);
    assert.deepEqual(e.hypervisor().events[3], [], 'only the boot CPU is woken');
    const p = e.perCpu(2);
    assert.deepEqual([p.zone, p.bootCpu, p.cpuOnEntry, p.dtbIpa], [1, true, 0x60000000n, 0x60f00000n]);
    assert.equal(e.perCpu(3).bootCpu, false);
  });

  await t.test('HvZoneStart of zone 1 again: -EINVAL (duplicate id)', () => {
    assert.equal(after(g, 'r_start_dup'), errno(ERRNO.EINVAL));
  });

  await t.test('HvZoneList writes ZoneInfo records and returns how many', () => {
    assert.equal(after(g, 'r_list4'), 2n);
    const infos = g.sym('infos');
    assert.deepEqual(zoneInfoAt(g, infos), { zoneId: 0, cpus: 0x3n, name: 'root-linux', isErr: 0 });
    assert.deepEqual(zoneInfoAt(g, infos + ZONE_INFO_SIZE), { zoneId: 1, cpus: 0xcn, name: 'zone1', isErr: 0 });
    assert.deepEqual([...bytesAt(g, infos + 2 * ZONE_INFO_SIZE, ZONE_INFO_SIZE)], new Array(ZONE_INFO_SIZE).fill(0), 'no third record');
  });

  await t.test("zone 1's boot CPU enters at its entry point in EL1 with x0 = its DTB", () => {
    runTo(g, '_start', { cpu: 2, zone: 1 });
    assert.equal(e.cpu(2).zone, 1);
    assert.equal(e.cpu(2).privilege, 'EL1');
    assert.equal(e.perCpu(2).archCpu.powerOn, true);
    assert.equal(x0(g, 2), 0x60f00000n);
    assert.equal(e.cpu(3).state, 'parked', 'CPU 3 waits for a CPU_ON');
  });

  await t.test('from zone 1: ZoneStart, ZoneShutdown and VirtioInit are -EPERM; ZoneList and ConfigCheck work', () => {
    assert.equal(after(g, 'z_start', 2, 1), errno(ERRNO.EPERM));
    assert.equal(after(g, 'z_shutdown', 2, 1), errno(ERRNO.EPERM));
    assert.equal(after(g, 'z_virtio_init', 2, 1), errno(ERRNO.EPERM));
    assert.equal(after(g, 'z_list', 2, 1), 2n);
    assert.deepEqual(zoneInfoAt(g, g.sym('infos', 1) + ZONE_INFO_SIZE), { zoneId: 1, cpus: 0xcn, name: 'zone1', isErr: 0 });
    assert.equal(after(g, 'z_config_check', 2, 1), 0n);
    assert.equal(u64At(g, g.sym('magic', 1)), 5n);
    assert.deepEqual(e.zones().map((z) => z.id), [0, 1], 'zone 1 is still there');
  });

  await t.test('HvZoneShutdown: -EINVAL for the root zone and for an unknown id', () => {
    assert.equal(after(g, 'r_shutdown_root'), errno(ERRNO.EINVAL));
    assert.equal(after(g, 'r_shutdown_unknown'), errno(ERRNO.EINVAL));
  });

  await t.test("HvZoneShutdown of zone 1: 0; its CPUs are back in the parking page; ZoneList shows the root only", () => {
    assert.equal(after(g, 'r_shutdown_zone1'), 0n);
    assert.deepEqual(e.zones().map((z) => z.id), [0]);
    for (const cpu of [2, 3]) {
      assert.equal(e.perCpu(cpu).zone, undefined, `CPU ${cpu}`);
      assert.equal(e.perCpu(cpu).archCpu.powerOn, false, `CPU ${cpu}`);
      assert.equal(e.cpu(cpu).state, 'parked', `CPU ${cpu}`);
      assert.ok(e.cpu(cpu).pc < 8n, `CPU ${cpu} pc 0x${e.cpu(cpu).pc.toString(16)}`);
    }
    assert.equal(after(g, 'r_list_after'), 1n);
    assert.deepEqual(zoneInfoAt(g, g.sym('infos_after')), { zoneId: 0, cpus: 0x3n, name: 'root-linux', isErr: 0 });
  });
});
