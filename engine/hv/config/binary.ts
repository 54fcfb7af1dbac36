// The binary HvZoneConfig that HvZoneStart reads from root-zone memory
// (reference §5.1, config ABI magic 5: 3080 bytes on riscv64, 3136 on
// aarch64, little-endian, zero padding) and the 56-byte ZoneInfo records that
// HvZoneList writes. The offsets below are the reference's table; the tests
// check them against a C compiler's layout of the same struct.

import { CONFIG_MAGIC_VERSION } from '../consts';
import { ConfigError } from './config-error';
import { hex } from './hex';
import {
  archOf, type Aarch64ArchZoneConfig, type ArchZoneConfigOf, type ConfigArch, type GicConfig, type HvArchZoneConfig,
  type HvConfigMemoryRegion, type HvIvcConfig, type HvPciConfig, type HvPciDevConfig, type HvZoneConfig, type Riscv64ArchZoneConfig,
  CONFIG_MAX_INTERRUPTS, CONFIG_MAX_IVC_CONFIGS, CONFIG_MAX_MEMORY_REGIONS, CONFIG_MAX_PCI_DEV, CONFIG_NAME_MAXLEN, CONFIG_PCI_BUS_MAXNUM, MemType,
} from './zone-config';

/** The ABI these layouts belong to: what HvConfigCheck reports. */
export { CONFIG_MAGIC_VERSION };

export const HV_ZONE_CONFIG_SIZE: Readonly<Record<ConfigArch, number>> = { riscv64: 3080, aarch64: 3136 };
export const ZONE_INFO_SIZE = 56;

/** HvConfigMemoryRegion: 32 bytes. */
export const MEMORY_REGION_LAYOUT = { memType: 0, physicalStart: 8, virtualStart: 16, size: 24, sizeof: 32 } as const;
/** HvIvcConfig: 40 bytes. */
export const IVC_CONFIG_LAYOUT = {
  ivcId: 0, peerId: 4, controlTableIpa: 8, sharedMemIpa: 16, rwSecSize: 24, outSecSize: 28, interruptNum: 32, maxPeers: 36, sizeof: 40,
} as const;
/** HvPciConfig: eleven u64 windows, the bus range, the domain; 104 bytes. */
export const PCI_CONFIG_LAYOUT = {
  ecamBase: 0, ecamSize: 8, ioBase: 16, ioSize: 24, pciIoBase: 32, mem32Base: 40, mem32Size: 48, pciMem32Base: 56, mem64Base: 64,
  mem64Size: 72, pciMem64Base: 80, busRangeBegin: 88, busRangeEnd: 92, domain: 96, sizeof: 104,
} as const;
/** HvPciDevConfig: 8 bytes. */
export const PCI_DEV_LAYOUT = { domain: 0, bus: 1, device: 2, function: 3, devType: 4, sizeof: 8 } as const;
/** riscv64 HvArchZoneConfig: four usize. */
export const RISCV64_ARCH_LAYOUT = { plicBase: 0, plicSize: 8, aplicBase: 16, aplicSize: 24, sizeof: 32 } as const;
/** aarch64 HvArchZoneConfig: is_aarch32, then GicConfig = u64 tag + the larger (GICv2) payload of 9 usize. */
export const AARCH64_ARCH_LAYOUT = { isAarch32: 0, gicTag: 8, gicPayload: 16, sizeof: 88 } as const;
/** Payload word order of each GIC variant, from gicPayload. */
export const GICV2_FIELDS = ['gicdBase', 'gicdSize', 'giccBase', 'giccSize', 'giccOffset', 'gichBase', 'gichSize', 'gicvBase', 'gicvSize'] as const;
export const GICV3_FIELDS = ['gicdBase', 'gicdSize', 'gicrBase', 'gicrSize', 'gitsBase', 'gitsSize'] as const;
const GIC_TAG = { v2: 0, v3: 1 } as const;
/** ZoneInfo: 56 bytes. */
export const ZONE_INFO_LAYOUT = { zoneId: 0, cpus: 8, name: 16, isErr: 48, sizeof: ZONE_INFO_SIZE } as const;

export interface ZoneConfigLayout {
  readonly zoneId: number;
  readonly cpus: number;
  readonly numMemoryRegions: number;
  readonly memoryRegions: number;
  readonly interruptsBitmap: number;
  readonly numIvcConfigs: number;
  readonly ivcConfigs: number;
  readonly entryPoint: number;
  readonly kernelLoadPaddr: number;
  readonly kernelSize: number;
  readonly dtbLoadPaddr: number;
  readonly dtbSize: number;
  readonly name: number;
  readonly archConfig: number;
  readonly numPciBus: number;
  readonly pciConfig: number;
  readonly numPciDevs: number;
  readonly allocPciDevs: number;
  readonly sizeof: number;
}

/** Everything up to arch_config is common; the PCI tail moves with the arch part's size. */
export function zoneConfigLayout(arch: ConfigArch): ZoneConfigLayout {
  const archConfig = 2360;
  const numPciBus = archConfig + (arch === 'aarch64' ? AARCH64_ARCH_LAYOUT.sizeof : RISCV64_ARCH_LAYOUT.sizeof);
  const pciConfig = numPciBus + 8;
  const numPciDevs = pciConfig + CONFIG_PCI_BUS_MAXNUM * PCI_CONFIG_LAYOUT.sizeof;
  const allocPciDevs = numPciDevs + 8;
  return {
    zoneId: 0, cpus: 8, numMemoryRegions: 16, memoryRegions: 24, interruptsBitmap: 2072, numIvcConfigs: 2200, ivcConfigs: 2208,
    entryPoint: 2288, kernelLoadPaddr: 2296, kernelSize: 2304, dtbLoadPaddr: 2312, dtbSize: 2320, name: 2328, archConfig,
    numPciBus, pciConfig, numPciDevs, allocPciDevs, sizeof: allocPciDevs + CONFIG_MAX_PCI_DEV * PCI_DEV_LAYOUT.sizeof,
  };
}

// ---- encoding ------------------------------------------------------------------------

/** Writes little-endian fields, refusing values the field cannot hold (a config the model built wrongly). */
class Writer {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  private check(value: number | bigint, bits: number, what: string): bigint {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`HvZoneConfig: ${what} = ${value} is not an integer`);
    const v = BigInt(value);
    if (v < 0n || v >= 1n << BigInt(bits)) throw new RangeError(`HvZoneConfig: ${what} = ${value} does not fit in ${bits} bits`);
    return v;
  }

  u8(at: number, value: number, what: string): void {
    this.view.setUint8(at, Number(this.check(value, 8, what)));
  }

  u32(at: number, value: number, what: string): void {
    this.view.setUint32(at, Number(this.check(value, 32, what)), true);
  }

  u64(at: number, value: number | bigint, what: string): void {
    this.view.setBigUint64(at, this.check(value, 64, what), true);
  }
}

function count(what: string, n: number, max: number): void {
  if (n > max) throw new RangeError(`HvZoneConfig: ${n} ${what}; at most ${max} fit`);
}

function nameBytes(name: string, what: string): Uint8Array {
  const bytes = new TextEncoder().encode(name);
  if (bytes.length > CONFIG_NAME_MAXLEN) throw new RangeError(`${what}: name ${JSON.stringify(name)} is ${bytes.length} bytes; at most ${CONFIG_NAME_MAXLEN} fit`);
  return bytes;
}

/**
 * The struct's bytes for the config's arch (taken from `archConfig.arch`,
 * riscv64 when absent). Throws RangeError for a config that does not fit.
 */
export function encodeZoneConfig(config: HvZoneConfig<HvArchZoneConfig>): Uint8Array {
  const arch = archOf(config.archConfig);
  const L = zoneConfigLayout(arch);
  const w = new Writer(L.sizeof);
  const ivcs = config.ivcConfigs ?? [];
  const buses = config.pciConfig ?? [];
  const devs = config.allocPciDevs ?? [];
  count('memory regions', config.memoryRegions.length, CONFIG_MAX_MEMORY_REGIONS);
  count('IVC configs', ivcs.length, CONFIG_MAX_IVC_CONFIGS);
  count('PCI buses', buses.length, CONFIG_PCI_BUS_MAXNUM);
  count('PCI devices', devs.length, CONFIG_MAX_PCI_DEV);

  w.u32(L.zoneId, config.zoneId, 'zone_id');
  w.u64(L.cpus, config.cpus, 'cpus');
  w.u32(L.numMemoryRegions, config.memoryRegions.length, 'num_memory_regions');
  config.memoryRegions.forEach((r, i) => {
    const at = L.memoryRegions + i * MEMORY_REGION_LAYOUT.sizeof;
    const p = `memory_regions[${i}]`;
    w.u32(at + MEMORY_REGION_LAYOUT.memType, r.memType, `${p}.mem_type`);
    w.u64(at + MEMORY_REGION_LAYOUT.physicalStart, r.physicalStart, `${p}.physical_start`);
    w.u64(at + MEMORY_REGION_LAYOUT.virtualStart, r.virtualStart, `${p}.virtual_start`);
    w.u64(at + MEMORY_REGION_LAYOUT.size, r.size, `${p}.size`);
  });
  const bitmap = new Uint32Array(CONFIG_MAX_INTERRUPTS / 32);
  for (const irq of config.interrupts) {
    if (!Number.isInteger(irq) || irq < 0 || irq >= CONFIG_MAX_INTERRUPTS) throw new RangeError(`HvZoneConfig: interrupt ${irq} does not fit the ${CONFIG_MAX_INTERRUPTS}-bit bitmap`);
    bitmap[irq >>> 5]! |= 1 << (irq & 31);
  }
  bitmap.forEach((word, i) => w.u32(L.interruptsBitmap + 4 * i, word >>> 0, 'interrupts_bitmap'));
  w.u32(L.numIvcConfigs, ivcs.length, 'num_ivc_configs');
  ivcs.forEach((c, i) => encodeIvc(w, L.ivcConfigs + i * IVC_CONFIG_LAYOUT.sizeof, c, `ivc_configs[${i}]`));
  w.u64(L.entryPoint, config.entryPoint, 'entry_point');
  w.u64(L.kernelLoadPaddr, config.kernelLoadPaddr, 'kernel_load_paddr');
  w.u64(L.kernelSize, config.kernelSize ?? 0n, 'kernel_size');
  w.u64(L.dtbLoadPaddr, config.dtbLoadPaddr, 'dtb_load_paddr');
  w.u64(L.dtbSize, config.dtbSize ?? 0n, 'dtb_size');
  w.bytes.set(nameBytes(config.name, 'HvZoneConfig'), L.name);
  encodeArch(w, L.archConfig, config.archConfig);
  w.u64(L.numPciBus, buses.length, 'num_pci_bus');
  buses.forEach((b, i) => encodePci(w, L.pciConfig + i * PCI_CONFIG_LAYOUT.sizeof, b, `pci_config[${i}]`));
  w.u64(L.numPciDevs, devs.length, 'num_pci_devs');
  devs.forEach((d, i) => {
    const at = L.allocPciDevs + i * PCI_DEV_LAYOUT.sizeof;
    const p = `alloc_pci_devs[${i}]`;
    w.u8(at + PCI_DEV_LAYOUT.domain, d.domain, `${p}.domain`);
    w.u8(at + PCI_DEV_LAYOUT.bus, d.bus, `${p}.bus`);
    w.u8(at + PCI_DEV_LAYOUT.device, d.device, `${p}.device`);
    w.u8(at + PCI_DEV_LAYOUT.function, d.function, `${p}.function`);
    w.u32(at + PCI_DEV_LAYOUT.devType, d.devType, `${p}.dev_type`);
  });
  return w.bytes;
}

function encodeIvc(w: Writer, at: number, c: HvIvcConfig, p: string): void {
  w.u32(at + IVC_CONFIG_LAYOUT.ivcId, c.ivcId, `${p}.ivc_id`);
  w.u32(at + IVC_CONFIG_LAYOUT.peerId, c.peerId, `${p}.peer_id`);
  w.u64(at + IVC_CONFIG_LAYOUT.controlTableIpa, c.controlTableIpa, `${p}.control_table_ipa`);
  w.u64(at + IVC_CONFIG_LAYOUT.sharedMemIpa, c.sharedMemIpa, `${p}.shared_mem_ipa`);
  w.u32(at + IVC_CONFIG_LAYOUT.rwSecSize, c.rwSecSize, `${p}.rw_sec_size`);
  w.u32(at + IVC_CONFIG_LAYOUT.outSecSize, c.outSecSize, `${p}.out_sec_size`);
  w.u32(at + IVC_CONFIG_LAYOUT.interruptNum, c.interruptNum, `${p}.interrupt_num`);
  w.u32(at + IVC_CONFIG_LAYOUT.maxPeers, c.maxPeers, `${p}.max_peers`);
}

function encodeArch(w: Writer, at: number, c: HvArchZoneConfig): void {
  if (c.arch === 'aarch64') {
    w.u8(at + AARCH64_ARCH_LAYOUT.isAarch32, c.isAarch32 ? 1 : 0, 'arch_config.is_aarch32');
    w.u64(at + AARCH64_ARCH_LAYOUT.gicTag, GIC_TAG[c.gic.version], 'arch_config.gic_config tag');
    const payload = at + AARCH64_ARCH_LAYOUT.gicPayload;
    if (c.gic.version === 'v2') {
      const gic = c.gic;
      GICV2_FIELDS.forEach((f, i) => w.u64(payload + 8 * i, gic[f], `arch_config.gic_config.${f}`));
    } else {
      const gic = c.gic;
      GICV3_FIELDS.forEach((f, i) => w.u64(payload + 8 * i, gic[f], `arch_config.gic_config.${f}`));
    }
    return;
  }
  w.u64(at + RISCV64_ARCH_LAYOUT.plicBase, c.plicBase, 'arch_config.plic_base');
  w.u64(at + RISCV64_ARCH_LAYOUT.plicSize, c.plicSize, 'arch_config.plic_size');
  w.u64(at + RISCV64_ARCH_LAYOUT.aplicBase, c.aplicBase, 'arch_config.aplic_base');
  w.u64(at + RISCV64_ARCH_LAYOUT.aplicSize, c.aplicSize, 'arch_config.aplic_size');
}

function encodePci(w: Writer, at: number, b: HvPciConfig, p: string): void {
  const L = PCI_CONFIG_LAYOUT;
  for (const f of ['ecamBase', 'ecamSize', 'ioBase', 'ioSize', 'pciIoBase', 'mem32Base', 'mem32Size', 'pciMem32Base', 'mem64Base', 'mem64Size', 'pciMem64Base'] as const) {
    w.u64(at + L[f], b[f], `${p}.${f}`);
  }
  w.u32(at + L.busRangeBegin, b.busRangeBegin, `${p}.bus_range_begin`);
  w.u32(at + L.busRangeEnd, b.busRangeEnd, `${p}.bus_range_end`);
  w.u8(at + L.domain, b.domain, `${p}.domain`);
}

// ---- decoding ------------------------------------------------------------------------

export interface DecodedZoneConfig<A extends HvArchZoneConfig = HvArchZoneConfig> {
  /** Present when there are no errors. */
  readonly config?: HvZoneConfig<A>;
  readonly errors: readonly ConfigError[];
}

/** Reads little-endian fields and records the ones the model cannot take. */
class Reader {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array, private readonly file: string, readonly errors: ConfigError[]) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  error(path: string, message: string): void {
    this.errors.push(new ConfigError(this.file, path, message));
  }

  u8(at: number): number {
    return this.view.getUint8(at);
  }

  u32(at: number): number {
    return this.view.getUint32(at, true);
  }

  u64(at: number): bigint {
    return this.view.getBigUint64(at, true);
  }

  /** A u64 the model keeps as a number (an address or size); records values above 2^53. */
  address(at: number, path: string): number {
    const v = this.u64(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.error(path, `${hex(v)} is above 2^53, beyond the addresses the model handles`);
      return 0;
    }
    return Number(v);
  }

  /** A count field, recorded when above the array's capacity (the result is clamped so reading can go on). */
  count(at: number, bits: 32 | 64, max: number, path: string): number {
    const v = bits === 32 ? BigInt(this.u32(at)) : this.u64(at);
    if (v > BigInt(max)) {
      this.error(path, `is ${v}; the array holds at most ${max}`);
      return max;
    }
    return Number(v);
  }

  /** A NUL-padded UTF-8 name field of `size` bytes. */
  name(at: number, size: number, path: string): string {
    const field = this.bytes.subarray(at, at + size);
    const nul = field.indexOf(0);
    const text = nul < 0 ? field : field.subarray(0, nul);
    if (nul >= 0 && field.subarray(nul).some((b) => b !== 0)) this.error(path, 'has bytes after the NUL that ends the name');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(text);
    } catch {
      this.error(path, 'is not valid UTF-8');
      return '';
    }
  }
}

/**
 * The config in an HvZoneConfig struct of the given arch. Only the first
 * num_* entries of each array are read, as hvisor reads them.
 */
export function decodeZoneConfig<T extends ConfigArch>(bytes: Uint8Array, arch: T, file = 'HvZoneConfig'): DecodedZoneConfig<ArchZoneConfigOf<T>> {
  const errors: ConfigError[] = [];
  const L = zoneConfigLayout(arch);
  if (bytes.length !== L.sizeof) {
    errors.push(new ConfigError(file, '', `is ${bytes.length} bytes; an ${arch} HvZoneConfig is ${L.sizeof}`));
    return { errors };
  }
  const r = new Reader(bytes, file, errors);
  const memoryRegions: HvConfigMemoryRegion[] = [];
  const numRegions = r.count(L.numMemoryRegions, 32, CONFIG_MAX_MEMORY_REGIONS, 'num_memory_regions');
  for (let i = 0; i < numRegions; i++) {
    const at = L.memoryRegions + i * MEMORY_REGION_LAYOUT.sizeof;
    const p = `memory_regions[${i}]`;
    const memType = r.u32(at + MEMORY_REGION_LAYOUT.memType);
    if (memType !== MemType.ram && memType !== MemType.io && memType !== MemType.virtio) {
      r.error(`${p}.mem_type`, `${memType} is not a memory type (0 ram, 1 io, 2 virtio); hvisor panics on it`);
    }
    memoryRegions.push({
      memType,
      physicalStart: r.address(at + MEMORY_REGION_LAYOUT.physicalStart, `${p}.physical_start`),
      virtualStart: r.address(at + MEMORY_REGION_LAYOUT.virtualStart, `${p}.virtual_start`),
      size: r.address(at + MEMORY_REGION_LAYOUT.size, `${p}.size`),
    });
  }
  const interrupts: number[] = [];
  for (let word = 0; word < CONFIG_MAX_INTERRUPTS / 32; word++) {
    const bits = r.u32(L.interruptsBitmap + 4 * word);
    for (let bit = 0; bit < 32; bit++) if ((bits >>> bit) & 1) interrupts.push(word * 32 + bit);
  }
  const ivcConfigs: HvIvcConfig[] = [];
  const numIvc = r.count(L.numIvcConfigs, 32, CONFIG_MAX_IVC_CONFIGS, 'num_ivc_configs');
  for (let i = 0; i < numIvc; i++) {
    const at = L.ivcConfigs + i * IVC_CONFIG_LAYOUT.sizeof;
    const p = `ivc_configs[${i}]`;
    ivcConfigs.push({
      ivcId: r.u32(at + IVC_CONFIG_LAYOUT.ivcId),
      peerId: r.u32(at + IVC_CONFIG_LAYOUT.peerId),
      controlTableIpa: r.address(at + IVC_CONFIG_LAYOUT.controlTableIpa, `${p}.control_table_ipa`),
      sharedMemIpa: r.address(at + IVC_CONFIG_LAYOUT.sharedMemIpa, `${p}.shared_mem_ipa`),
      rwSecSize: r.u32(at + IVC_CONFIG_LAYOUT.rwSecSize),
      outSecSize: r.u32(at + IVC_CONFIG_LAYOUT.outSecSize),
      interruptNum: r.u32(at + IVC_CONFIG_LAYOUT.interruptNum),
      maxPeers: r.u32(at + IVC_CONFIG_LAYOUT.maxPeers),
    });
  }
  const archConfig = decodeArch(r, L.archConfig, arch);
  const pciConfig: HvPciConfig[] = [];
  const numBuses = r.count(L.numPciBus, 64, CONFIG_PCI_BUS_MAXNUM, 'num_pci_bus');
  for (let i = 0; i < numBuses; i++) pciConfig.push(decodePci(r, L.pciConfig + i * PCI_CONFIG_LAYOUT.sizeof, `pci_config[${i}]`));
  const allocPciDevs: HvPciDevConfig[] = [];
  const numDevs = r.count(L.numPciDevs, 64, CONFIG_MAX_PCI_DEV, 'num_pci_devs');
  for (let i = 0; i < numDevs; i++) {
    const at = L.allocPciDevs + i * PCI_DEV_LAYOUT.sizeof;
    allocPciDevs.push({
      domain: r.u8(at + PCI_DEV_LAYOUT.domain),
      bus: r.u8(at + PCI_DEV_LAYOUT.bus),
      device: r.u8(at + PCI_DEV_LAYOUT.device),
      function: r.u8(at + PCI_DEV_LAYOUT.function),
      devType: r.u32(at + PCI_DEV_LAYOUT.devType),
    });
  }
  const config: HvZoneConfig<HvArchZoneConfig> = {
    zoneId: r.u32(L.zoneId),
    name: r.name(L.name, CONFIG_NAME_MAXLEN, 'name'),
    cpus: r.u64(L.cpus),
    memoryRegions,
    interrupts,
    ivcConfigs,
    entryPoint: r.address(L.entryPoint, 'entry_point'),
    kernelLoadPaddr: r.address(L.kernelLoadPaddr, 'kernel_load_paddr'),
    kernelSize: r.u64(L.kernelSize),
    dtbLoadPaddr: r.address(L.dtbLoadPaddr, 'dtb_load_paddr'),
    dtbSize: r.u64(L.dtbSize),
    archConfig,
    pciConfig,
    allocPciDevs,
  };
  if (errors.length > 0) return { errors };
  return { config: config as HvZoneConfig<ArchZoneConfigOf<T>>, errors };
}

function decodeArch(r: Reader, at: number, arch: ConfigArch): HvArchZoneConfig {
  if (arch === 'riscv64') {
    const c: Riscv64ArchZoneConfig = {
      arch: 'riscv64',
      plicBase: r.address(at + RISCV64_ARCH_LAYOUT.plicBase, 'arch_config.plic_base'),
      plicSize: r.address(at + RISCV64_ARCH_LAYOUT.plicSize, 'arch_config.plic_size'),
      aplicBase: r.address(at + RISCV64_ARCH_LAYOUT.aplicBase, 'arch_config.aplic_base'),
      aplicSize: r.address(at + RISCV64_ARCH_LAYOUT.aplicSize, 'arch_config.aplic_size'),
    };
    return c;
  }
  const flag = r.u8(at + AARCH64_ARCH_LAYOUT.isAarch32);
  if (flag > 1) r.error('arch_config.is_aarch32', `is ${flag}; a flag is 0 or 1`);
  const tag = r.u64(at + AARCH64_ARCH_LAYOUT.gicTag);
  const payload = at + AARCH64_ARCH_LAYOUT.gicPayload;
  const word = (i: number, name: string): number => r.address(payload + 8 * i, `arch_config.gic_config.${name}`);
  let gic: GicConfig;
  if (tag === BigInt(GIC_TAG.v2)) {
    const [gicdBase, gicdSize, giccBase, giccSize, giccOffset, gichBase, gichSize, gicvBase, gicvSize] = GICV2_FIELDS.map((f, i) => word(i, f)) as [number, number, number, number, number, number, number, number, number];
    gic = { version: 'v2', gicdBase, gicdSize, giccBase, giccSize, giccOffset, gichBase, gichSize, gicvBase, gicvSize };
  } else {
    if (tag !== BigInt(GIC_TAG.v3)) r.error('arch_config.gic_config', `has tag ${tag}; GicConfig's tags are 0 (GICv2) and 1 (GICv3)`);
    const [gicdBase, gicdSize, gicrBase, gicrSize, gitsBase, gitsSize] = GICV3_FIELDS.map((f, i) => word(i, f)) as [number, number, number, number, number, number];
    gic = { version: 'v3', gicdBase, gicdSize, gicrBase, gicrSize, gitsBase, gitsSize };
  }
  const c: Aarch64ArchZoneConfig = { arch: 'aarch64', isAarch32: flag === 1, gic };
  return c;
}

function decodePci(r: Reader, at: number, p: string): HvPciConfig {
  const L = PCI_CONFIG_LAYOUT;
  const a = (f: 'ecamBase' | 'ecamSize' | 'ioBase' | 'ioSize' | 'pciIoBase' | 'mem32Base' | 'mem32Size' | 'pciMem32Base' | 'mem64Base' | 'mem64Size' | 'pciMem64Base'): number => r.address(at + L[f], `${p}.${f}`);
  return {
    ecamBase: a('ecamBase'), ecamSize: a('ecamSize'), ioBase: a('ioBase'), ioSize: a('ioSize'), pciIoBase: a('pciIoBase'),
    mem32Base: a('mem32Base'), mem32Size: a('mem32Size'), pciMem32Base: a('pciMem32Base'), mem64Base: a('mem64Base'),
    mem64Size: a('mem64Size'), pciMem64Base: a('pciMem64Base'),
    busRangeBegin: r.u32(at + L.busRangeBegin), busRangeEnd: r.u32(at + L.busRangeEnd), domain: r.u8(at + L.domain),
  };
}

// ---- ZoneInfo ------------------------------------------------------------------------

/** One HvZoneList record. */
export interface ZoneInfo {
  readonly zoneId: number;
  /** Bitmap of the zone's CPUs. */
  readonly cpus: bigint;
  readonly name: string;
  /** Set once the zone hit an MMIO error; hvisor-tool prints "error" instead of "running". */
  readonly isErr: boolean;
}

export function encodeZoneInfo(info: ZoneInfo): Uint8Array {
  const w = new Writer(ZONE_INFO_SIZE);
  w.u32(ZONE_INFO_LAYOUT.zoneId, info.zoneId, 'ZoneInfo.zone_id');
  w.u64(ZONE_INFO_LAYOUT.cpus, info.cpus, 'ZoneInfo.cpus');
  w.bytes.set(nameBytes(info.name, 'ZoneInfo'), ZONE_INFO_LAYOUT.name);
  w.u8(ZONE_INFO_LAYOUT.isErr, info.isErr ? 1 : 0, 'ZoneInfo.is_err');
  return w.bytes;
}

/** The record at `offset`; the name stops at its first NUL and bad UTF-8 shows as U+FFFD. */
export function decodeZoneInfo(bytes: Uint8Array, offset = 0): ZoneInfo {
  if (offset < 0 || offset + ZONE_INFO_SIZE > bytes.length) throw new RangeError(`a ZoneInfo at ${offset} needs ${ZONE_INFO_SIZE} bytes; there are ${bytes.length - offset}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, ZONE_INFO_SIZE);
  const field = bytes.subarray(offset + ZONE_INFO_LAYOUT.name, offset + ZONE_INFO_LAYOUT.name + CONFIG_NAME_MAXLEN);
  const nul = field.indexOf(0);
  return {
    zoneId: view.getUint32(ZONE_INFO_LAYOUT.zoneId, true),
    cpus: view.getBigUint64(ZONE_INFO_LAYOUT.cpus, true),
    name: new TextDecoder().decode(nul < 0 ? field : field.subarray(0, nul)),
    isErr: view.getUint8(ZONE_INFO_LAYOUT.isErr) !== 0,
  };
}
