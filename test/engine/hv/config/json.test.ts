// hvisor-tool's JSON zone configs: hvisor's QEMU configs parse for their
// arch and survive the binary round trip; every check rejects one broken file
// with a message naming the file, the key path and the problem.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseZoneConfigJson, readZoneConfigJson } from '../../../../engine/hv/config/json';
import { decodeZoneConfig, encodeZoneConfig } from '../../../../engine/hv/config/binary';
import { ConfigErrors } from '../../../../engine/hv/config/config-error';
import { MemType, type ConfigArch } from '../../../../engine/hv/config/zone-config';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'configs');

function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObj = { [key: string]: Json };

/** A valid riscv64 zone config to break one key at a time. */
function riscvZone(): JsonObj {
  return JSON.parse(fixture('qemu-plic/zone1-linux-virtio.json')) as JsonObj;
}

function aarch64Zone(): JsonObj {
  return JSON.parse(fixture('qemu-gicv3/zone1-linux.json')) as JsonObj;
}

function errorsOf(json: Json | string, arch: ConfigArch = 'riscv64', boardCpus = 4): string[] {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  const result = parseZoneConfigJson(text, 'zone1.json', { arch, boardCpus });
  if (result.errors.length > 0) assert.equal(result.config, undefined, 'no config comes with errors');
  return result.errors.map((e) => e.toString());
}

function obj(value: Json | undefined): JsonObj {
  assert.ok(value && typeof value === 'object' && !Array.isArray(value));
  return value;
}

function arr(value: Json | undefined): Json[] {
  assert.ok(Array.isArray(value));
  return value;
}

describe('the corpus of hvisor QEMU configs', () => {
  const corpus: [string, ConfigArch][] = [
    ['qemu-plic/zone1-linux-virtio.json', 'riscv64'],
    ['qemu-plic/zone1-linux-passthrough.json', 'riscv64'],
    ['qemu-gicv3/zone1-linux.json', 'aarch64'],
  ];
  for (const [path, arch] of corpus) {
    test(`${path} parses for ${arch} and round-trips through the binary struct`, () => {
      const result = parseZoneConfigJson(fixture(path), path, { arch, boardCpus: 4 });
      assert.deepEqual(result.errors.map(String), []);
      assert.ok(result.config);
      const bytes = encodeZoneConfig(result.config);
      assert.equal(bytes.length, arch === 'riscv64' ? 3080 : 3136);
      const decoded = decodeZoneConfig(bytes, arch);
      assert.deepEqual(decoded.errors.map(String), []);
      assert.deepEqual(decoded.config, result.config);
    });
  }

  test('zone1-linux-virtio.json holds the values of the reference', () => {
    const { config, files } = parseZoneConfigJson(fixture('qemu-plic/zone1-linux-virtio.json'), 'v.json', { arch: 'riscv64', boardCpus: 4 });
    assert.ok(config && files);
    assert.equal(config.zoneId, 1);
    assert.equal(config.name, 'linux2');
    assert.equal(config.cpus, 0b1100n);
    assert.deepEqual(config.memoryRegions, [
      { memType: MemType.ram, physicalStart: 0x85000000, virtualStart: 0x85000000, size: 0x0a000000 },
      { memType: MemType.virtio, physicalStart: 0x10007000, virtualStart: 0x10007000, size: 0x1000 },
    ]);
    assert.deepEqual(config.interrupts, [7, 34]);
    assert.deepEqual(config.ivcConfigs, []);
    assert.equal(config.entryPoint, 0x86000000);
    assert.equal(config.kernelLoadPaddr, 0x86000000);
    assert.equal(config.dtbLoadPaddr, 0x85000000);
    assert.equal(config.kernelSize, 0n);
    assert.deepEqual(config.archConfig, { arch: 'riscv64', plicBase: 0xc000000, plicSize: 0x4000000, aplicBase: 0xd000000, aplicSize: 0x8000 });
    // hvisor-tool b38e455 reads no PCI keys on riscv64.
    assert.deepEqual(config.pciConfig, []);
    assert.deepEqual(config.allocPciDevs, []);
    assert.deepEqual(files, { kernel: './Image', dtb: './zone1-linux.dtb', modules: [] });
  });

  test('zone1-linux.json (qemu-gicv3) holds GICv3 and PCI for aarch64', () => {
    const { config } = parseZoneConfigJson(fixture('qemu-gicv3/zone1-linux.json'), 'g.json', { arch: 'aarch64', boardCpus: 4 });
    assert.ok(config);
    assert.deepEqual(config.archConfig, {
      arch: 'aarch64', isAarch32: false,
      gic: { version: 'v3', gicdBase: 0x8000000, gicdSize: 0x10000, gicrBase: 0x80a0000, gicrSize: 0xf60000, gitsBase: 0x8080000, gitsSize: 0x20000 },
    });
    assert.deepEqual(config.interrupts, [75, 76, 78]);
    assert.equal(config.pciConfig?.length, 1);
    assert.deepEqual(config.pciConfig?.[0], {
      ecamBase: 0x4010000000, ecamSize: 0x10000000, ioBase: 0x3eff0000, ioSize: 0x10000, pciIoBase: 0, mem32Base: 0x10000000,
      mem32Size: 0x2eff0000, pciMem32Base: 0x10000000, mem64Base: 0x8000000000, mem64Size: 0x8000000000, pciMem64Base: 0x8000000000,
      busRangeBegin: 0, busRangeEnd: 0x1f, domain: 0,
    });
    assert.deepEqual(config.allocPciDevs, [
      { domain: 0, bus: 0, device: 0, function: 0, devType: 0 },
      { domain: 0, bus: 0, device: 1, function: 0, devType: 0 },
    ]);
  });
});

describe('what the reader accepts', () => {
  test('a GICv2 arch_config with is_aarch32, IVC configs, modules and "null" image paths', () => {
    const z = aarch64Zone();
    z.arch_config = {
      gic_version: 'v2', gicd_base: '0x8000000', gicd_size: '0x10000', gicc_base: '0x8010000', gicc_size: '0x10000', gicc_offset: '0x0',
      gich_base: '0x8030000', gich_size: '0x10000', gicv_base: '0x8040000', gicv_size: '0x10000', is_aarch32: true,
    };
    z.ivc_configs = [{
      ivc_id: 0, peer_id: 1, shared_mem_ipa: '0xd0001000', control_table_ipa: '0xd0000000', rw_sec_size: '0', out_sec_size: '0x1000',
      interrupt_num: 66, max_peers: 2,
    }];
    z.modules = [{ name: 'initrd', filepath: 'rootfs.cpio', load_paddr: '0x58000000' }];
    z.kernel_filepath = 'null';
    z.dtb_filepath = 'null';
    const { config, files, errors } = parseZoneConfigJson(JSON.stringify(z), 'z.json', { arch: 'aarch64', boardCpus: 4 });
    assert.deepEqual(errors, []);
    assert.ok(config && files);
    assert.deepEqual(config.archConfig, {
      arch: 'aarch64', isAarch32: true,
      gic: { version: 'v2', gicdBase: 0x8000000, gicdSize: 0x10000, giccBase: 0x8010000, giccSize: 0x10000, giccOffset: 0, gichBase: 0x8030000, gichSize: 0x10000, gicvBase: 0x8040000, gicvSize: 0x10000 },
    });
    assert.deepEqual(config.ivcConfigs, [{ ivcId: 0, peerId: 1, controlTableIpa: 0xd0000000, sharedMemIpa: 0xd0001000, rwSecSize: 0, outSecSize: 0x1000, interruptNum: 66, maxPeers: 2 }]);
    assert.deepEqual(files, { modules: [{ name: 'initrd', filepath: 'rootfs.cpio', loadPaddr: 0x58000000 }] });
    assert.deepEqual(decodeZoneConfig(encodeZoneConfig(config), 'aarch64').config, config);
  });

  test('a GICv3 without an ITS window reads GITS as 0', () => {
    const z = aarch64Zone();
    const a = obj(z.arch_config);
    delete a.gits_base;
    delete a.gits_size;
    delete a.is_aarch32;
    const { config } = parseZoneConfigJson(JSON.stringify(z), 'z.json', { arch: 'aarch64', boardCpus: 4 });
    assert.ok(config);
    assert.equal(config.archConfig.isAarch32, false);
    assert.deepEqual(config.archConfig.gic, { version: 'v3', gicdBase: 0x8000000, gicdSize: 0x10000, gicrBase: 0x80a0000, gicrSize: 0xf60000, gitsBase: 0, gitsSize: 0 });
  });

  test('hex strings without 0x, repeated and unordered interrupts, a 32-byte name', () => {
    const z = riscvZone();
    z.entry_point = '86000000';
    z.interrupts = [34, 7, 34];
    z.name = 'n'.repeat(32);
    const { config } = parseZoneConfigJson(JSON.stringify(z), 'z.json', { arch: 'riscv64', boardCpus: 4 });
    assert.ok(config);
    assert.equal(config.entryPoint, 0x86000000);
    assert.deepEqual(config.interrupts, [7, 34]);
    assert.equal(config.name.length, 32);
  });

  test('regions that share host memory but not guest addresses do not overlap; virtio regions are never mapped', () => {
    const z = riscvZone();
    const regions = arr(z.memory_regions);
    regions.push({ type: 'ram', physical_start: '0x85000000', virtual_start: '0x40000000', size: '0x1000' });
    regions.push({ type: 'virtio', physical_start: '0x85000000', virtual_start: '0x85000000', size: '0x200' });
    assert.deepEqual(errorsOf(z), []);
  });

  test('keys the tool does not read are ignored, and riscv64 does not look inside pci_config', () => {
    const z = riscvZone();
    z.kernel_args = 'console=ttyS0';
    z.pci_config = [{ ecam_base: 'not hex' }, 1, 2, 3, 4];
    z.alloc_pci_devs = 'anything';
    z.num_pci_devs = 'anything';
    assert.deepEqual(errorsOf(z), []);
  });

  test('readZoneConfigJson returns the config or throws every error', () => {
    assert.equal(readZoneConfigJson(fixture('qemu-plic/zone1-linux-virtio.json'), 'v.json').zoneId, 1);
    const z = riscvZone();
    delete z.zone_id;
    delete z.name;
    assert.throws(() => readZoneConfigJson(JSON.stringify(z), 'zone1.json'), (e: unknown) => {
      assert.ok(e instanceof ConfigErrors);
      assert.equal(e.message, 'zone1.json: zone_id: required key is missing\nzone1.json: name: required key is missing');
      return true;
    });
  });
});

describe('every check names the file, the key path and the problem', () => {
  const cases: [string, (z: JsonObj) => void, string[], ConfigArch?][] = [
    ['a missing required key', (z) => delete z.memory_regions, ['zone1.json: memory_regions: required key is missing']],
    ['a missing entry point', (z) => delete z.entry_point, ['zone1.json: entry_point: required key is missing']],
    ['a missing region field', (z) => delete obj(arr(z.memory_regions)[1]).size, ['zone1.json: memory_regions[1].size: required key is missing']],
    ['a missing arch_config key', (z) => delete obj(z.arch_config).aplic_size, ['zone1.json: arch_config.aplic_size: required key is missing']],
    ['a missing pci_config', (z) => delete z.pci_config, ['zone1.json: pci_config: required key is missing']],
    ['a zone id of the wrong type', (z) => (z.zone_id = '1'), ['zone1.json: zone_id: must be an integer from 0 to 4294967295, not "1"']],
    ['memory_regions that is not an array', (z) => (z.memory_regions = {}), ['zone1.json: memory_regions: must be an array, not an object']],
    ['a region that is not an object', (z) => (arr(z.memory_regions)[1] = 'virtio'), ['zone1.json: memory_regions[1]: must be an object, not "virtio"']],
    ['a name that is not a string', (z) => (z.name = 7), ['zone1.json: name: must be a string, not 7']],
    ['a kernel path that is not a string', (z) => (z.kernel_filepath = null), ['zone1.json: kernel_filepath: must be a string, not null']],
    ['an address given as a number', (z) => (z.kernel_load_paddr = 0x86000000), ['zone1.json: kernel_load_paddr: must be a hex string such as "0x1000", not 2248146944']],
    ['a bad hex string', (z) => (obj(arr(z.memory_regions)[0]).size = '0x0a00000g'), ['zone1.json: memory_regions[0].size: "0x0a00000g" is not a hex number such as "0x1000"']],
    ['an empty hex string', (z) => (z.dtb_load_paddr = ''), ['zone1.json: dtb_load_paddr: "" is not a hex number such as "0x1000"']],
    ['a hex string past 64 bits', (z) => (z.dtb_load_paddr = '0x10000000000000000'), ['zone1.json: dtb_load_paddr: "0x10000000000000000" does not fit in 64 bits']],
    ['an address above 2^53', (z) => (obj(z.arch_config).plic_base = '0x20000000000000'), ['zone1.json: arch_config.plic_base: 0x20000000000000 is above 2^53, beyond the addresses the model handles']],
    ['a name too long', (z) => (z.name = 'a-zone-name-that-is-much-too-long'), ['zone1.json: name: "a-zone-name-that-is-much-too-long" is 33 bytes long; at most 32 fit']],
    ['a name too long in UTF-8 bytes', (z) => (z.name = 'é'.repeat(17)), [`zone1.json: name: "${'é'.repeat(17)}" is 34 bytes long; at most 32 fit`]],
    [
      'overlapping memory regions',
      (z) => arr(z.memory_regions).splice(1, 0, { type: 'ram', physical_start: '0x8e000000', virtual_start: '0x8e000000', size: '0x2000000' }),
      ['zone1.json: memory_regions[1]: overlaps memory_regions[0] (0x85000000..0x8f000000)'],
    ],
    [
      'regions overlapping in guest addresses only',
      (z) => arr(z.memory_regions).push({ type: 'io', physical_start: '0x10000000', virtual_start: '0x85000000', size: '0x1000' }),
      ['zone1.json: memory_regions[2]: overlaps memory_regions[0] (0x85000000..0x8f000000)'],
    ],
    ['a CPU outside the board', (z) => (z.cpus = [2, 3, 4]), ['zone1.json: cpus[2]: CPU 4 is outside the board, which has 4 CPUs (0 to 3)']],
    ['a CPU that is not a number', (z) => (z.cpus = [2, '3']), ['zone1.json: cpus[1]: must be a CPU number (an integer from 0), not "3"']],
    ['no CPU', (z) => (z.cpus = []), ['zone1.json: cpus: must name at least one CPU']],
    ['an entry point outside the RAM', (z) => (z.entry_point = '0x8f000000'), ["zone1.json: entry_point: 0x8f000000 is outside the zone's RAM (guest-physical 0x85000000..0x8f000000)"]],
    [
      'an entry point in an IO region',
      (z) => {
        obj(arr(z.memory_regions)[1]).type = 'io';
        z.entry_point = '0x10007000';
      },
      ["zone1.json: entry_point: 0x10007000 is outside the zone's RAM (guest-physical 0x85000000..0x8f000000)"],
    ],
    [
      'an entry point in a zone without RAM',
      (z) => arr(z.memory_regions).shift(),
      ['zone1.json: entry_point: 0x86000000 is not in the zone\'s RAM: the zone has no "ram" region'],
    ],
    [
      'page-misaligned RAM and IO regions',
      (z) => {
        obj(arr(z.memory_regions)[0]).size = '0x0a000800';
        arr(z.memory_regions)[1] = { type: 'io', physical_start: '0x10007100', virtual_start: '0x10007000', size: '0x1000' };
      },
      [
        'zone1.json: memory_regions[0].size: 0xa000800 is not page-aligned (4 KiB); hvisor maps "ram" regions in whole pages',
        'zone1.json: memory_regions[1].physical_start: 0x10007100 is not page-aligned (4 KiB); hvisor maps "io" regions in whole pages',
      ],
    ],
    [
      'too many memory regions',
      (z) => {
        z.memory_regions = Array.from({ length: 65 }, (_, i) => ({ type: 'virtio', physical_start: `0x${(0x10000000 + i * 0x1000).toString(16)}`, virtual_start: '0x0', size: '0x1000' }));
        z.entry_point = '0x0';
      },
      ['zone1.json: memory_regions: has 65 regions; at most 64 fit', 'zone1.json: entry_point: 0x0 is not in the zone\'s RAM: the zone has no "ram" region'],
    ],
    [
      'too many IVC configs',
      (z) => (z.ivc_configs = [0, 1, 2].map((i) => ({ ivc_id: i, peer_id: 0, shared_mem_ipa: '0x0', control_table_ipa: '0x0', rw_sec_size: '0x0', out_sec_size: '0x0', interrupt_num: 0, max_peers: 2 }))),
      ['zone1.json: ivc_configs: has 3 entries; at most 2 fit'],
    ],
    [
      'a bad IVC field',
      (z) => (z.ivc_configs = [{ ivc_id: -1, peer_id: 0, shared_mem_ipa: '0x0', control_table_ipa: '0x0', rw_sec_size: '0x100000000', interrupt_num: 0, max_peers: 2 }]),
      [
        'zone1.json: ivc_configs[0].ivc_id: must be an integer from 0 to 4294967295, not -1',
        'zone1.json: ivc_configs[0].rw_sec_size: 0x100000000 does not fit in 32 bits',
        'zone1.json: ivc_configs[0].out_sec_size: required key is missing',
      ],
    ],
    [
      'too many PCI buses',
      (z) => (z.pci_config = Array.from({ length: 5 }, () => arr(aarch64Zone().pci_config)[0]!)),
      ['zone1.json: pci_config: has 5 entries; at most 4 fit'],
      'aarch64',
    ],
    [
      'too many PCI devices',
      (z) => (z.alloc_pci_devs = Array.from({ length: 33 }, (_, i) => ({ domain: '0x0', bus: '0x0', device: `0x${i.toString(16)}`, function: '0x0', dev_type: '0' }))),
      ['zone1.json: alloc_pci_devs: has 33 entries; at most 32 fit'],
      'aarch64',
    ],
    [
      'bad PCI fields',
      (z) => {
        obj(arr(z.pci_config)[0]).domain = '0x100';
        obj(arr(z.alloc_pci_devs)[1]).dev_type = '8';
      },
      ['zone1.json: pci_config[0].domain: 0x100 does not fit in 8 bits', 'zone1.json: alloc_pci_devs[1].dev_type: must be an octal string such as "0", not "8"'],
      'aarch64',
    ],
    ['an interrupt of 1024', (z) => (z.interrupts = [7, 1024]), ["zone1.json: interrupts[1]: 1024 does not fit hvisor's interrupt bitmap, which holds 0 to 1023"]],
    ['an interrupt that is not a number', (z) => (z.interrupts = [7.5]), ['zone1.json: interrupts[0]: must be an interrupt number (an integer from 0), not 7.5']],
    ['too many interrupts', (z) => (z.interrupts = Array.from({ length: 1025 }, (_, i) => i % 1024)), ['zone1.json: interrupts: has 1025 entries; at most 1024 fit']],
    [
      'an unknown memory type',
      (z) => (obj(arr(z.memory_regions)[1]).type = 'mmio'),
      ['zone1.json: memory_regions[1].type: unknown memory type "mmio" (the types are "ram", "io" and "virtio")'],
    ],
    [
      'a misspelt memory type',
      (z) => (obj(arr(z.memory_regions)[1]).type = 'virtoi'),
      ['zone1.json: memory_regions[1].type: unknown memory type "virtoi" (the types are "ram", "io" and "virtio"); did you mean "virtio"?'],
    ],
    [
      'a missing or bad module field',
      (z) => (z.modules = [{ name: 'initrd', load_paddr: 0x58000000 }]),
      ['zone1.json: modules[0].filepath: required key is missing', 'zone1.json: modules[0].load_paddr: must be a hex string such as "0x1000", not 1476395008'],
    ],
    ['a GIC version that is not v2 or v3 (no suggestion between two as close)', (z) => (obj(z.arch_config).gic_version = 'v4'), ['zone1.json: arch_config.gic_version: must be one of "v2", "v3", not "v4"'], 'aarch64'],
    ['a GICv2 without its windows', (z) => (obj(z.arch_config).gic_version = 'v2'), [
      'zone1.json: arch_config.gicc_base: required key is missing',
      'zone1.json: arch_config.gicc_size: required key is missing',
      'zone1.json: arch_config.gicc_offset: required key is missing',
      'zone1.json: arch_config.gich_base: required key is missing',
      'zone1.json: arch_config.gich_size: required key is missing',
      'zone1.json: arch_config.gicv_base: required key is missing',
      'zone1.json: arch_config.gicv_size: required key is missing',
    ], 'aarch64'],
    ['an is_aarch32 that is not a boolean', (z) => (obj(z.arch_config).is_aarch32 = 0), ['zone1.json: arch_config.is_aarch32: must be true or false, not 0'], 'aarch64'],
    ['riscv64 arch_config keys on aarch64', (z) => (z.arch_config = obj(riscvZone().arch_config)), ['zone1.json: arch_config.gic_version: required key is missing'], 'aarch64'],
  ];
  for (const [what, breakIt, expected, arch = 'riscv64'] of cases) {
    test(what, () => {
      const z = arch === 'riscv64' ? riscvZone() : aarch64Zone();
      breakIt(z);
      assert.deepEqual(errorsOf(z, arch), expected);
    });
  }

  test('text that is not JSON, and JSON that is not an object', () => {
    const [bad] = errorsOf('{ "zone_id": 1, }');
    assert.match(bad!, /^zone1\.json: not valid JSON at line 1, column 17: /);
    assert.deepEqual(errorsOf([]), ['zone1.json: must be an object, not an array']);
  });

  test('all the errors of a file, not just the first', () => {
    const z = riscvZone();
    z.zone_id = -1;
    z.cpus = [9];
    z.interrupts = [2048];
    delete z.dtb_filepath;
    obj(arr(z.memory_regions)[0]).physical_start = 'zero';
    assert.deepEqual(errorsOf(z), [
      'zone1.json: zone_id: must be an integer from 0 to 4294967295, not -1',
      'zone1.json: cpus[0]: CPU 9 is outside the board, which has 4 CPUs (0 to 3)',
      'zone1.json: memory_regions[0].physical_start: "zero" is not a hex number such as "0x1000"',
      "zone1.json: interrupts[0]: 2048 does not fit hvisor's interrupt bitmap, which holds 0 to 1023",
      'zone1.json: dtb_filepath: required key is missing',
    ]);
  });
});
