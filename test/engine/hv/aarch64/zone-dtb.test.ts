// An aarch64 zone's DTB from its config: hvisor's qemu-gicv3 zone1-linux.json
// gives a tree with only the zone's CPUs and RAM, its GICv3 windows and no
// UART (the zone does not map the PL011); mapping the PL011 adds it.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAarch64ZoneDtb } from '../../../../engine/hv/arch/aarch64/zone-dtb';
import { parseZoneConfigJson } from '../../../../engine/hv/config/json';
import { MemType, type Aarch64ArchZoneConfig, type HvZoneConfig } from '../../../../engine/hv/config/zone-config';
import type { DeviceTree } from '../../../../engine/machine/fdt';
import { parseDtb } from '../../../../engine/machine/fdt-parse';

const QEMU_MPIDRS = [0, 1, 2, 3];

function zone1(): HvZoneConfig<Aarch64ArchZoneConfig> {
  const text = readFileSync(join(process.cwd(), 'test', 'fixtures', 'configs', 'qemu-gicv3', 'zone1-linux.json'), 'utf8');
  const { config, errors } = parseZoneConfigJson(text, 'zone1-linux.json', { arch: 'aarch64', boardCpus: 4 });
  assert.deepEqual(errors, []);
  return config!;
}

const dir = mkdtempSync(join(tmpdir(), 'hvisor-zone-dtb-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** dtc's DTS rendering of a blob; fails the test on any dtc warning. */
function dtcDecode(dtb: Uint8Array): string {
  const file = join(dir, 'zone.dtb');
  writeFileSync(file, dtb);
  const r = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'dtc warnings');
  return r.stdout;
}

const childNames = (tree: DeviceTree, path: string): string[] => tree.find(path)!.children.map((c) => c.name);
const cells = (tree: DeviceTree, path: string, prop: string): number[] | undefined => tree.find(path)?.property(prop)?.cells();

describe('aarch64 zone device tree', () => {
  test('qemu-gicv3 zone1-linux.json: CPUs 2 and 3, its RAM, its GICv3, no UART', () => {
    const dtb = buildAarch64ZoneDtb(zone1(), QEMU_MPIDRS);
    const dts = dtcDecode(dtb);
    assert.match(dts, /model = "hvisor zone 1 \(linux2\)";/);
    assert.match(dts, /method = "smc";/);
    const tree = parseDtb(dtb, 'zone1.dtb');
    assert.equal(tree.bootCpuId, 2);
    assert.deepEqual(childNames(tree, '/cpus'), ['cpu@2', 'cpu@3']);
    assert.deepEqual(childNames(tree, '/').filter((n) => n.startsWith('memory@')), ['memory@50000000']);
    assert.deepEqual(cells(tree, '/memory@50000000', 'reg'), [0, 0x50000000, 0, 0x30000000]);
    assert.deepEqual(cells(tree, '/intc@8000000', 'reg'), [0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0xf60000]);
    assert.equal(tree.byPhandle(cells(tree, '/', 'interrupt-parent')![0]!), tree.find('/intc@8000000'));
    assert.equal(tree.find('/pl011@9000000'), undefined, 'the zone does not map the PL011');
    assert.equal(tree.find('/chosen')!.property('stdout-path'), undefined);
  });

  test('a zone mapping the PL011 gets it; RAM is listed by guest address; MPIDRs come from the map', () => {
    const base = zone1();
    const config: HvZoneConfig<Aarch64ArchZoneConfig> = {
      ...base,
      zoneId: 2,
      name: 'ruxos',
      cpus: 0b0010n,
      memoryRegions: [
        { memType: MemType.ram, physicalStart: 0x60000000, virtualStart: 0x80000000, size: 0x1000000 },
        { memType: MemType.io, physicalStart: 0x9000000, virtualStart: 0x9000000, size: 0x1000 },
        { memType: MemType.ram, physicalStart: 0x50000000, virtualStart: 0x40000000, size: 0x10000000 },
      ],
    };
    const dtb = buildAarch64ZoneDtb(config, [0x000, 0x100, 0x200, 0x300]);
    dtcDecode(dtb);
    const tree = parseDtb(dtb, 'zone2.dtb');
    assert.deepEqual(childNames(tree, '/cpus'), ['cpu@100']);
    assert.deepEqual(childNames(tree, '/').filter((n) => n.startsWith('memory@')), ['memory@40000000', 'memory@80000000']);
    assert.deepEqual(cells(tree, '/memory@40000000', 'reg'), [0, 0x40000000, 0, 0x10000000]);
    assert.deepEqual(cells(tree, '/pl011@9000000', 'interrupts'), [0, 1, 4], 'SPI 1 = INTID 33, level-high');
    assert.equal(tree.find('/chosen')!.property('stdout-path')!.string(), '/pl011@9000000');
    assert.equal(tree.find('/')!.property('model')!.string(), 'hvisor zone 2 (ruxos)');
  });

  test('a GICv2 zone is refused with the zone named', () => {
    const config: HvZoneConfig<Aarch64ArchZoneConfig> = {
      ...zone1(),
      archConfig: {
        arch: 'aarch64',
        isAarch32: false,
        gic: { version: 'v2', gicdBase: 0x8000000, gicdSize: 0x10000, giccBase: 0x8010000, giccSize: 0x10000, giccOffset: 0, gichBase: 0x8030000, gichSize: 0x10000, gicvBase: 0x8040000, gicvSize: 0x10000 },
      },
    };
    assert.throws(() => buildAarch64ZoneDtb(config, QEMU_MPIDRS), /zone 1 \(linux2\).*GICv2 is not modelled/);
  });

  test('output is deterministic', () => {
    assert.deepEqual(buildAarch64ZoneDtb(zone1(), QEMU_MPIDRS), buildAarch64ZoneDtb(zone1(), QEMU_MPIDRS));
  });
});
