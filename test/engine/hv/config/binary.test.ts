// The binary HvZoneConfig and ZoneInfo: offsets, sizes and whole encodings
// against the riscv64 and aarch64 C compilers (c-oracle.ts), round trips, and
// the decoder's and encoder's refusals.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AARCH64_ARCH_LAYOUT, CONFIG_MAGIC_VERSION, decodeZoneConfig, decodeZoneInfo, encodeZoneConfig, encodeZoneInfo, GICV2_FIELDS, GICV3_FIELDS,
  HV_ZONE_CONFIG_SIZE, IVC_CONFIG_LAYOUT, MEMORY_REGION_LAYOUT, PCI_CONFIG_LAYOUT, PCI_DEV_LAYOUT, RISCV64_ARCH_LAYOUT, ZONE_INFO_LAYOUT,
  ZONE_INFO_SIZE, zoneConfigLayout, type ZoneInfo,
} from '../../../../engine/hv/config/binary';
import { parseZoneConfigJson } from '../../../../engine/hv/config/json';
import { qemuPlicRootZone } from '../../../../engine/hv/config/qemu-plic-root';
import { INVALID_ADDRESS } from '../../../../engine/hv/consts';
import { MemType, type Aarch64ArchZoneConfig, type ConfigArch, type HvArchZoneConfig, type HvZoneConfig } from '../../../../engine/hv/config/zone-config';
import { compileObjects, evaluate, requireCompiler, zoneConfigInitializer, zoneInfoInitializer } from './c-oracle';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'configs');
const ARCHES: ConfigArch[] = ['riscv64', 'aarch64'];

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** [C expression, our number] for every offset and size of the layout. */
function layoutPairs(arch: ConfigArch): [string, number][] {
  const pairs: [string, number][] = [];
  const struct = (cType: string, layout: Record<string, number>, name: (key: string) => string = snake): void => {
    for (const [key, value] of Object.entries(layout)) {
      pairs.push([key === 'sizeof' ? `sizeof(${cType})` : `offsetof(${cType}, ${name(key)})`, value]);
    }
  };
  struct('struct zone_config', { ...zoneConfigLayout(arch) });
  pairs.push(['sizeof(struct zone_config)', HV_ZONE_CONFIG_SIZE[arch]]);
  struct('struct region', MEMORY_REGION_LAYOUT);
  struct('struct ivc', IVC_CONFIG_LAYOUT);
  struct('struct pci_bus', PCI_CONFIG_LAYOUT);
  struct('struct pci_dev', PCI_DEV_LAYOUT);
  struct('struct zone_info', ZONE_INFO_LAYOUT);
  pairs.push(['sizeof(struct zone_info)', ZONE_INFO_SIZE]);
  if (arch === 'riscv64') {
    struct('struct arch_part', RISCV64_ARCH_LAYOUT);
  } else {
    pairs.push(['offsetof(struct arch_part, is_aarch32)', AARCH64_ARCH_LAYOUT.isAarch32]);
    pairs.push(['offsetof(struct arch_part, gic) + offsetof(struct gic, tag)', AARCH64_ARCH_LAYOUT.gicTag]);
    pairs.push(['offsetof(struct arch_part, gic) + offsetof(struct gic, u)', AARCH64_ARCH_LAYOUT.gicPayload]);
    pairs.push(['sizeof(struct arch_part)', AARCH64_ARCH_LAYOUT.sizeof]);
    GICV2_FIELDS.forEach((f, i) => pairs.push([`offsetof(struct gic2, ${snake(f)})`, 8 * i]));
    GICV3_FIELDS.forEach((f, i) => pairs.push([`offsetof(struct gic3, ${snake(f)})`, 8 * i]));
  }
  return pairs;
}

function corpusConfig(path: string, arch: ConfigArch): HvZoneConfig<HvArchZoneConfig> {
  const result = parseZoneConfigJson(readFileSync(join(FIXTURES, path), 'utf8'), path, { arch, boardCpus: 4 });
  assert.ok(result.config, result.errors.join('\n'));
  return result.config;
}

/** Every array full, every field non-zero where it can be, values at the top of their ranges. */
function fullConfig(arch: ConfigArch): HvZoneConfig<HvArchZoneConfig> {
  const top = 0x1f_ffff_ffff_f000;
  const archConfig: HvArchZoneConfig = arch === 'riscv64'
    ? { arch, plicBase: 0xc000000, plicSize: 0x4000000, aplicBase: 0xd000000, aplicSize: top }
    : {
      arch, isAarch32: true,
      gic: { version: 'v2', gicdBase: 1, gicdSize: 2, giccBase: 3, giccSize: 4, giccOffset: 5, gichBase: 6, gichSize: 7, gicvBase: 8, gicvSize: top },
    };
  return {
    zoneId: 0xffff_ffff,
    name: 'z'.repeat(31) + 'Z',
    cpus: 0x8000_0000_0000_0001n,
    memoryRegions: Array.from({ length: 64 }, (_, i) => ({ memType: i % 3, physicalStart: top - i * 0x1000, virtualStart: i * 0x1000, size: 0x1000 + i })),
    interrupts: [0, 1, 31, 32, 33, 511, 992, 1023],
    ivcConfigs: [0, 1].map((i) => ({ ivcId: i + 1, peerId: 0xffff_ffff, controlTableIpa: top, sharedMemIpa: 0x1000 * i, rwSecSize: 0xffff_ffff, outSecSize: 7, interruptNum: 65 + i, maxPeers: 2 })),
    entryPoint: top,
    kernelLoadPaddr: 0x9000_0000,
    kernelSize: INVALID_ADDRESS,
    dtbLoadPaddr: 0x8f00_0000,
    dtbSize: 0x2000n,
    archConfig,
    pciConfig: [0, 1, 2, 3].map((i) => ({
      ecamBase: i + 1, ecamSize: i + 2, ioBase: i + 3, ioSize: i + 4, pciIoBase: i + 5, mem32Base: i + 6, mem32Size: i + 7,
      pciMem32Base: i + 8, mem64Base: i + 9, mem64Size: i + 10, pciMem64Base: top, busRangeBegin: i, busRangeEnd: 0xffff_ffff, domain: 0xff,
    })),
    allocPciDevs: Array.from({ length: 32 }, (_, i) => ({ domain: 0xff - i, bus: i, device: 31 - i, function: i % 8, devType: i === 31 ? 0xffff_ffff : i % 2 })),
  };
}

function gicv3Config(): HvZoneConfig<Aarch64ArchZoneConfig> {
  return {
    ...fullConfig('riscv64'),
    archConfig: { arch: 'aarch64', isAarch32: false, gic: { version: 'v3', gicdBase: 0x8000000, gicdSize: 0x10000, gicrBase: 0x80a0000, gicrSize: 0xf60000, gitsBase: 0, gitsSize: 0 } },
  };
}

function configsFor(arch: ConfigArch): [string, HvZoneConfig<HvArchZoneConfig>][] {
  if (arch === 'riscv64') {
    return [
      ['zone1-linux-virtio.json', corpusConfig('qemu-plic/zone1-linux-virtio.json', arch)],
      ['zone1-linux-passthrough.json', corpusConfig('qemu-plic/zone1-linux-passthrough.json', arch)],
      ['the qemu-plic root zone', qemuPlicRootZone(4)],
      ['a config with every array full', fullConfig(arch)],
    ];
  }
  return [
    ['qemu-gicv3 zone1-linux.json', corpusConfig('qemu-gicv3/zone1-linux.json', arch)],
    ['a GICv2 AArch32 config with every array full', fullConfig(arch)],
    ['a GICv3 config with every array full', gicv3Config()],
  ];
}

const INFOS: ZoneInfo[] = [
  { zoneId: 0, cpus: 0b11n, name: 'root-linux', isErr: false },
  { zoneId: 0xffff_ffff, cpus: 0xffff_ffff_ffff_ffffn, name: 'x'.repeat(32), isErr: true },
  { zoneId: 1, cpus: 0n, name: '', isErr: false },
];

for (const arch of ARCHES) {
  describe(`the ${arch} layout agrees with the C compiler`, () => {
    before(() => requireCompiler(arch));
    test('every offset and size', () => {
      const pairs = layoutPairs(arch);
      const values = evaluate(arch, pairs.map(([expr]) => expr));
      const mismatches = pairs.flatMap(([expr, ours], i) => (values[i] === ours ? [] : [`${expr}: C ${values[i]}, ours ${ours}`]));
      assert.deepEqual(mismatches, []);
      assert.equal(zoneConfigLayout(arch).sizeof, arch === 'riscv64' ? 3080 : 3136);
    });

    test('the encodings of whole configs and ZoneInfo records, byte for byte', () => {
      const configs = configsFor(arch);
      const compiled = compileObjects(arch, [...configs.map(([, c]) => zoneConfigInitializer(c)), ...INFOS.map(zoneInfoInitializer)]);
      configs.forEach(([what, config], i) => {
        const ours = encodeZoneConfig(config);
        const theirs = compiled[i]!;
        assert.equal(ours.length, theirs.length, what);
        const firstDifference = ours.findIndex((b, at) => b !== theirs[at]);
        assert.equal(firstDifference, -1, `${what}: first differing byte at offset ${firstDifference}`);
      });
      INFOS.forEach((info, i) => assert.deepEqual(encodeZoneInfo(info), compiled[configs.length + i], info.name));
    });
  });

  test(`${arch} configs round-trip through encode and decode`, () => {
    for (const [what, config] of configsFor(arch)) {
      const decoded = decodeZoneConfig(encodeZoneConfig(config), arch);
      assert.deepEqual(decoded.errors, [], what);
      assert.deepEqual(decoded.config, { ...config, archConfig: { ...config.archConfig, arch } }, what);
    }
  });
}

test('the sizes and the magic version this layout belongs to', () => {
  assert.deepEqual(HV_ZONE_CONFIG_SIZE, { riscv64: 3080, aarch64: 3136 });
  assert.equal(ZONE_INFO_SIZE, 56);
  assert.equal(CONFIG_MAGIC_VERSION, 5);
});

test('a config without the optional fields encodes them as zero, like the model built it before they existed', () => {
  const bare: HvZoneConfig = {
    zoneId: 0, name: 'root', cpus: 1n, memoryRegions: [{ memType: MemType.ram, physicalStart: 0x80000000, virtualStart: 0x80000000, size: 0x10000000 }],
    interrupts: [10], entryPoint: 0x80200000, kernelLoadPaddr: 0x80200000, dtbLoadPaddr: 0x8fe00000,
    archConfig: { plicBase: 0xc000000, plicSize: 0x4000000, aplicBase: 0, aplicSize: 0 },
  };
  const { config } = decodeZoneConfig(encodeZoneConfig(bare), 'riscv64');
  assert.deepEqual(config, { ...bare, ivcConfigs: [], kernelSize: 0n, dtbSize: 0n, pciConfig: [], allocPciDevs: [], archConfig: { arch: 'riscv64', ...bare.archConfig } });
});

test('ZoneInfo records decode back, at an offset inside a larger buffer', () => {
  const buffer = new Uint8Array(8 + INFOS.length * ZONE_INFO_SIZE);
  INFOS.forEach((info, i) => buffer.set(encodeZoneInfo(info), 8 + i * ZONE_INFO_SIZE));
  assert.deepEqual(INFOS.map((_, i) => decodeZoneInfo(buffer, 8 + i * ZONE_INFO_SIZE)), INFOS);
  assert.throws(() => decodeZoneInfo(buffer, buffer.length - 8), RangeError);
});

describe('the decoder reports bad structs by field', () => {
  const L = zoneConfigLayout('riscv64');
  const good = (): Uint8Array => encodeZoneConfig(qemuPlicRootZone(4));
  const errors = (bytes: Uint8Array, arch: ConfigArch = 'riscv64'): string[] => {
    const result = decodeZoneConfig(bytes, arch, 'config@0x90001000');
    if (result.errors.length > 0) assert.equal(result.config, undefined);
    return result.errors.map(String);
  };
  const poke = (bytes: Uint8Array, at: number, value: bigint, size: 1 | 4 | 8): Uint8Array => {
    const view = new DataView(bytes.buffer);
    if (size === 1) view.setUint8(at, Number(value));
    else if (size === 4) view.setUint32(at, Number(value), true);
    else view.setBigUint64(at, value, true);
    return bytes;
  };

  test('a wrong size', () => {
    assert.deepEqual(errors(new Uint8Array(3136)), ['config@0x90001000: is 3136 bytes; an riscv64 HvZoneConfig is 3080']);
    assert.deepEqual(errors(new Uint8Array(3080), 'aarch64'), ['config@0x90001000: is 3080 bytes; an aarch64 HvZoneConfig is 3136']);
  });

  test('counts above the arrays', () => {
    const bytes = good();
    poke(bytes, L.numMemoryRegions, 65n, 4);
    poke(bytes, L.numIvcConfigs, 3n, 4);
    poke(bytes, L.numPciBus, 5n, 8);
    poke(bytes, L.numPciDevs, 1n << 40n, 8);
    assert.deepEqual(errors(bytes), [
      'config@0x90001000: num_memory_regions: is 65; the array holds at most 64',
      'config@0x90001000: num_ivc_configs: is 3; the array holds at most 2',
      'config@0x90001000: num_pci_bus: is 5; the array holds at most 4',
      'config@0x90001000: num_pci_devs: is 1099511627776; the array holds at most 32',
    ]);
  });

  test('an unknown memory type and an address the model cannot hold', () => {
    const bytes = good();
    poke(bytes, L.memoryRegions + MEMORY_REGION_LAYOUT.sizeof + MEMORY_REGION_LAYOUT.memType, 3n, 4);
    poke(bytes, L.entryPoint, 1n << 60n, 8);
    assert.deepEqual(errors(bytes), [
      'config@0x90001000: memory_regions[1].mem_type: 3 is not a memory type (0 ram, 1 io, 2 virtio); hvisor panics on it',
      'config@0x90001000: entry_point: 0x1000000000000000 is above 2^53, beyond the addresses the model handles',
    ]);
  });

  test('names that are not UTF-8 or have bytes after their NUL', () => {
    assert.deepEqual(errors(poke(good(), L.name, 0xffn, 1)), ['config@0x90001000: name: is not valid UTF-8']);
    assert.deepEqual(errors(poke(good(), L.name + 20, 0x41n, 1)), ['config@0x90001000: name: has bytes after the NUL that ends the name']);
  });

  test('an aarch64 flag that is not 0 or 1 and a GIC tag that is neither version', () => {
    const A = zoneConfigLayout('aarch64');
    const bytes = encodeZoneConfig(gicv3Config());
    poke(bytes, A.archConfig + AARCH64_ARCH_LAYOUT.isAarch32, 2n, 1);
    poke(bytes, A.archConfig + AARCH64_ARCH_LAYOUT.gicTag, 7n, 8);
    assert.deepEqual(errors(bytes, 'aarch64'), [
      'config@0x90001000: arch_config.is_aarch32: is 2; a flag is 0 or 1',
      "config@0x90001000: arch_config.gic_config: has tag 7; GicConfig's tags are 0 (GICv2) and 1 (GICv3)",
    ]);
  });

  test('entries past the counts are not read, as hvisor does not read them', () => {
    const bytes = good();
    poke(bytes, L.memoryRegions + 10 * MEMORY_REGION_LAYOUT.sizeof, 9n, 4);
    assert.deepEqual(errors(bytes), []);
  });
});

describe('the encoder refuses configs that do not fit the struct', () => {
  const base = qemuPlicRootZone(4);
  const cases: [string, HvZoneConfig, RegExp][] = [
    ['65 memory regions', { ...base, memoryRegions: Array.from({ length: 65 }, () => base.memoryRegions[0]!) }, /65 memory regions; at most 64 fit/],
    ['a name of 33 bytes', { ...base, name: 'n'.repeat(33) }, /is 33 bytes; at most 32 fit/],
    ['interrupt 1024', { ...base, interrupts: [1024] }, /interrupt 1024 does not fit/],
    ['a negative zone id', { ...base, zoneId: -1 }, /zone_id = -1 does not fit in 32 bits/],
    ['a fractional address', { ...base, entryPoint: 0.5 }, /entry_point = 0.5 is not an integer/],
    ['a 65-bit CPU bitmap', { ...base, cpus: 1n << 64n }, /cpus = 18446744073709551616 does not fit in 64 bits/],
    ['a PCI domain above 255', { ...base, pciConfig: [{ ...base.pciConfig![0]!, domain: 256 }] }, /pci_config\[0\]\.domain = 256 does not fit in 8 bits/],
  ];
  for (const [what, config, message] of cases) {
    test(what, () => assert.throws(() => encodeZoneConfig(config), (e: unknown) => e instanceof RangeError && message.test(e.message)));
  }
});

describe('the qemu-plic root zone', () => {
  test("is hvisor's board.rs root config", () => {
    const root = qemuPlicRootZone(4);
    assert.equal(root.zoneId, 0);
    assert.equal(root.name, 'root-linux');
    assert.equal(root.cpus, 0b11n);
    assert.deepEqual(root.memoryRegions, [
      { memType: MemType.ram, physicalStart: 0x83000000, virtualStart: 0x83000000, size: 0x7d000000 },
      { memType: MemType.io, physicalStart: 0x10000000, virtualStart: 0x10000000, size: 0x1000 },
      { memType: MemType.io, physicalStart: 0x10008000, virtualStart: 0x10008000, size: 0x1000 },
    ]);
    assert.deepEqual(root.interrupts, [10, 33]);
    assert.equal(root.entryPoint, 0x90000000);
    assert.equal(root.kernelLoadPaddr, 0x90000000);
    assert.equal(root.dtbLoadPaddr, 0x8f000000);
    assert.equal(root.kernelSize, INVALID_ADDRESS);
    assert.equal(root.dtbSize, INVALID_ADDRESS);
    assert.deepEqual(root.archConfig, { arch: 'riscv64', plicBase: 0xc000000, plicSize: 0x4000000, aplicBase: 0, aplicSize: 0 });
  });

  test('has only CPU 0 on a one-CPU board', () => {
    assert.equal(qemuPlicRootZone(1).cpus, 0b1n);
    assert.equal(qemuPlicRootZone(2).cpus, 0b11n);
  });
});
