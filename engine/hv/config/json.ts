// Reads hvisor-tool's JSON zone-config format (reference §5.2, tool revision
// b38e455, config magic 5) into an HvZoneConfig for one arch, and checks what
// hvisor-tool or hvisor would reject or trip over. Every problem is collected,
// with the file and the JSON key path, rather than stopping at the first.
//
// Where this is stricter than the tool, it is because the tool silently does
// something else: hex strings with stray characters (strtoull stops early),
// array counts it does not check (alloc_pci_devs), a page-misaligned RAM or IO
// region or an overlap inside the zone (hvisor panics on them), an entry point
// outside the zone's RAM (the guest faults at once).
//
// pci_config must exist for both arches (the tool reports it missing), but at
// b38e455 only the aarch64 build reads it and alloc_pci_devs; the riscv64
// build leaves both empty, so a riscv64 zone gets no PCI here either.
// Keys the tool does not read (arch, kernel_args, num_pci_devs, anything
// else) are ignored, as the tool ignores them.

import { PAGE_SIZE } from '../consts';
import { ConfigError, ConfigErrors } from './config-error';
import { didYouMean } from './did-you-mean';
import { hex, hexRange } from './hex';
import { complete, describeJson, indexPath, JsonReader, keyPath, type JsonObject } from './json-reader';
import {
  type Aarch64ArchZoneConfig, type ArchZoneConfigOf, type ConfigArch, type GicConfig, type Gicv2Config, type Gicv3Config, type HvArchZoneConfig,
  type HvConfigMemoryRegion, type HvIvcConfig, type HvPciConfig, type HvPciDevConfig, type HvZoneConfig,
  type MemTypeName, type Riscv64ArchZoneConfig,
  CONFIG_MAX_INTERRUPTS, CONFIG_MAX_IVC_CONFIGS, CONFIG_MAX_MEMORY_REGIONS, CONFIG_MAX_PCI_DEV, CONFIG_NAME_MAXLEN,
  CONFIG_PCI_BUS_MAXNUM, MemType,
} from './zone-config';

/** A file hvisor-tool copies into memory beside the kernel; hvisor never sees it. */
export interface ZoneModule {
  readonly name: string;
  readonly filepath: string;
  readonly loadPaddr: number;
}

/** The images a zone config names, as written in the file (the launcher loads them). */
export interface ZoneConfigFiles {
  /** kernel_filepath; undefined when the file says "null" (nothing to copy). */
  readonly kernel?: string;
  /** dtb_filepath; undefined when the file says "null". */
  readonly dtb?: string;
  readonly modules: readonly ZoneModule[];
}

export interface ZoneConfigResult<A extends HvArchZoneConfig = HvArchZoneConfig> {
  /** Present when there are no errors. */
  readonly config?: HvZoneConfig<A>;
  readonly files?: ZoneConfigFiles;
  readonly errors: readonly ConfigError[];
}

export interface ZoneConfigOptions<T extends ConfigArch = ConfigArch> {
  /** Which hvisor-tool build reads the file: the arch_config keys and PCI handling follow it. */
  readonly arch: T;
  /** CPUs on the board; CPU ids must be below it. */
  readonly boardCpus: number;
}

const U32_MAX = 0xffff_ffff;
const MEM_TYPE_NAMES = Object.keys(MemType) as MemTypeName[];

export function parseZoneConfigJson<T extends ConfigArch>(text: string, file: string, options: ZoneConfigOptions<T>): ZoneConfigResult<ArchZoneConfigOf<T>> {
  const errors: ConfigError[] = [];
  const r = new JsonReader(file, errors);
  const parsed = r.parse(text);
  if (parsed === undefined) return { errors };
  const root = r.object(parsed, '');
  if (!root) return { errors };
  const present = (key: string): boolean => Object.prototype.hasOwnProperty.call(root, key);
  const at = <V>(key: string, read: (value: unknown, path: string) => V | undefined): V | undefined => {
    const value = r.field(root, '', key, true);
    return value === undefined ? undefined : read(value, key);
  };

  const zoneId = at('zone_id', (v, p) => r.integer(v, p, 0, U32_MAX));
  const name = at('name', (v) => readName(r, v));
  const cpus = at('cpus', (v) => readCpus(r, v, options.boardCpus));
  const regions = at('memory_regions', (v) => readMemoryRegions(r, v));
  const interrupts = at('interrupts', (v) => readInterrupts(r, v));
  const ivcConfigs = at('ivc_configs', (v) => readIvcConfigs(r, v));
  const kernelFile = at('kernel_filepath', (v, p) => r.string(v, p));
  const dtbFile = at('dtb_filepath', (v, p) => r.string(v, p));
  const kernelLoadPaddr = at('kernel_load_paddr', (v, p) => r.address(v, p));
  const dtbLoadPaddr = at('dtb_load_paddr', (v, p) => r.address(v, p));
  const entryPoint = at('entry_point', (v, p) => r.address(v, p));
  const modules = present('modules') ? readModules(r, root.modules) : [];
  const archConfig = at('arch_config', (v) => readArchConfig(r, v, options.arch));
  // Only the aarch64 tool build reads the PCI keys; both insist pci_config exists.
  let pciConfig: readonly HvPciConfig[] | undefined = [];
  let allocPciDevs: readonly HvPciDevConfig[] | undefined = [];
  if (!present('pci_config')) r.field(root, '', 'pci_config', true);
  else if (options.arch === 'aarch64') {
    pciConfig = readPciConfig(r, root.pci_config);
    allocPciDevs = present('alloc_pci_devs') ? readPciDevs(r, root.alloc_pci_devs) : [];
  }

  if (regions && entryPoint !== undefined) checkEntryPoint(r, regions, entryPoint);

  if (errors.length > 0) return { errors };
  const config: HvZoneConfig<HvArchZoneConfig> = {
    zoneId: zoneId!,
    name: name!,
    cpus: cpus!,
    memoryRegions: regions!.map((x) => x.region),
    interrupts: interrupts!,
    ivcConfigs: ivcConfigs!,
    entryPoint: entryPoint!,
    kernelLoadPaddr: kernelLoadPaddr!,
    kernelSize: 0n,
    dtbLoadPaddr: dtbLoadPaddr!,
    dtbSize: 0n,
    archConfig: archConfig!,
    pciConfig: pciConfig!,
    allocPciDevs: allocPciDevs!,
  };
  const files: ZoneConfigFiles = {
    ...(kernelFile !== 'null' ? { kernel: kernelFile! } : {}),
    ...(dtbFile !== 'null' ? { dtb: dtbFile! } : {}),
    modules: modules!,
  };
  return { config: config as HvZoneConfig<ArchZoneConfigOf<T>>, files, errors };
}

/**
 * The config of a file that must be valid, such as a sample's: throws
 * ConfigErrors listing every problem. Defaults to riscv64 on the largest board.
 */
export function readZoneConfigJson(text: string, file: string, options: ZoneConfigOptions<'riscv64'> = { arch: 'riscv64', boardCpus: 64 }): HvZoneConfig {
  const result = parseZoneConfigJson(text, file, options);
  if (!result.config) throw new ConfigErrors(result.errors);
  return result.config;
}

function readName(r: JsonReader, value: unknown): string | undefined {
  const name = r.string(value, 'name');
  if (name === undefined) return undefined;
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > CONFIG_NAME_MAXLEN) {
    r.error('name', `${JSON.stringify(name)} is ${bytes} bytes long; at most ${CONFIG_NAME_MAXLEN} fit`);
    return undefined;
  }
  return name;
}

function readCpus(r: JsonReader, value: unknown, boardCpus: number): bigint | undefined {
  const list = r.array(value, 'cpus');
  if (!list) return undefined;
  if (list.length === 0) {
    r.error('cpus', 'must name at least one CPU');
    return undefined;
  }
  let bitmap = 0n;
  let ok = true;
  list.forEach((item, i) => {
    const path = indexPath('cpus', i);
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 0) {
      r.error(path, `must be a CPU number (an integer from 0), not ${describeJson(item)}`);
      ok = false;
    } else if (item >= boardCpus) {
      r.error(path, `CPU ${item} is outside the board, which has ${boardCpus} CPU${boardCpus === 1 ? '' : 's'} (0 to ${boardCpus - 1})`);
      ok = false;
    } else {
      bitmap |= 1n << BigInt(item);
    }
  });
  return ok ? bitmap : undefined;
}

/** A region with its index in the file, so later checks can name it. */
interface IndexedRegion {
  readonly index: number;
  readonly region: HvConfigMemoryRegion;
}

function readMemoryRegions(r: JsonReader, value: unknown): IndexedRegion[] | undefined {
  const list = r.array(value, 'memory_regions');
  if (!list) return undefined;
  if (list.length > CONFIG_MAX_MEMORY_REGIONS) r.error('memory_regions', `has ${list.length} regions; at most ${CONFIG_MAX_MEMORY_REGIONS} fit`);
  const regions: IndexedRegion[] = [];
  let ok = true;
  list.forEach((item, index) => {
    const region = readMemoryRegion(r, item, indexPath('memory_regions', index));
    if (region) regions.push({ index, region });
    else ok = false;
  });
  checkOverlaps(r, regions);
  return ok ? regions : undefined;
}

function readMemoryRegion(r: JsonReader, value: unknown, path: string): HvConfigMemoryRegion | undefined {
  const obj = r.object(value, path);
  if (!obj) return undefined;
  const typeName = r.field(obj, path, 'type', true);
  let memType: number | undefined;
  if (typeName !== undefined) {
    const typePath = keyPath(path, 'type');
    const s = r.string(typeName, typePath);
    if (s !== undefined) {
      if ((MEM_TYPE_NAMES as readonly string[]).includes(s)) memType = MemType[s as MemTypeName];
      else r.error(typePath, `unknown memory type ${JSON.stringify(s)} (the types are "ram", "io" and "virtio")${didYouMean(s, MEM_TYPE_NAMES)}`);
    }
  }
  const num = (key: string): number | undefined => {
    const v = r.field(obj, path, key, true);
    return v === undefined ? undefined : r.address(v, keyPath(path, key));
  };
  const physicalStart = num('physical_start');
  const virtualStart = num('virtual_start');
  const size = num('size');
  if (memType === undefined || physicalStart === undefined || virtualStart === undefined || size === undefined) return undefined;
  let ok = true;
  // RAM and IO regions go into the zone's stage-2 table, which maps whole pages;
  // virtio regions are only trapped, at any granularity.
  if (memType !== MemType.virtio) {
    const kind = memType === MemType.ram ? '"ram"' : '"io"';
    for (const [key, v] of [['physical_start', physicalStart], ['virtual_start', virtualStart], ['size', size]] as const) {
      if (v % PAGE_SIZE !== 0) {
        r.error(keyPath(path, key), `${hex(v)} is not page-aligned (4 KiB); hvisor maps ${kind} regions in whole pages`);
        ok = false;
      }
    }
  }
  return ok ? { memType, physicalStart, virtualStart, size } : undefined;
}

/** hvisor rejects overlapping mappings within one zone's stage-2 table (guest-physical ranges); virtio regions are not mapped. */
function checkOverlaps(r: JsonReader, regions: readonly IndexedRegion[]): void {
  const mapped = regions.filter((x) => x.region.memType !== MemType.virtio && x.region.size > 0);
  for (let j = 0; j < mapped.length; j++) {
    const b = mapped[j]!;
    const bStart = BigInt(b.region.virtualStart);
    const bEnd = bStart + BigInt(b.region.size);
    for (let i = 0; i < j; i++) {
      const a = mapped[i]!;
      const aStart = BigInt(a.region.virtualStart);
      const aEnd = aStart + BigInt(a.region.size);
      if (aStart < bEnd && bStart < aEnd) {
        r.error(indexPath('memory_regions', b.index), `overlaps memory_regions[${a.index}] (${hexRange(a.region.virtualStart, a.region.size)})`);
        break;
      }
    }
  }
}

function checkEntryPoint(r: JsonReader, regions: readonly IndexedRegion[], entry: number): void {
  const ram = regions.filter((x) => x.region.memType === MemType.ram && x.region.size > 0).map((x) => x.region);
  if (ram.some((x) => entry >= x.virtualStart && entry < x.virtualStart + x.size)) return;
  if (ram.length === 0) {
    r.error('entry_point', `${hex(entry)} is not in the zone's RAM: the zone has no "ram" region`);
    return;
  }
  const ranges = ram.map((x) => hexRange(x.virtualStart, x.size)).join(', ');
  r.error('entry_point', `${hex(entry)} is outside the zone's RAM (guest-physical ${ranges})`);
}

function readInterrupts(r: JsonReader, value: unknown): number[] | undefined {
  const list = r.array(value, 'interrupts');
  if (!list) return undefined;
  let ok = true;
  if (list.length > CONFIG_MAX_INTERRUPTS) {
    r.error('interrupts', `has ${list.length} entries; at most ${CONFIG_MAX_INTERRUPTS} fit`);
    ok = false;
  }
  const irqs = new Set<number>();
  list.forEach((item, i) => {
    const path = indexPath('interrupts', i);
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 0) {
      r.error(path, `must be an interrupt number (an integer from 0), not ${describeJson(item)}`);
      ok = false;
    } else if (item >= CONFIG_MAX_INTERRUPTS) {
      r.error(path, `${item} does not fit hvisor's interrupt bitmap, which holds 0 to ${CONFIG_MAX_INTERRUPTS - 1}`);
      ok = false;
    } else {
      irqs.add(item);
    }
  });
  // The struct holds a bitmap: order and repeats do not survive, so normalise here.
  return ok ? [...irqs].sort((a, b) => a - b) : undefined;
}

function readIvcConfigs(r: JsonReader, value: unknown): HvIvcConfig[] | undefined {
  const list = r.array(value, 'ivc_configs');
  if (!list) return undefined;
  let ok = true;
  if (list.length > CONFIG_MAX_IVC_CONFIGS) {
    r.error('ivc_configs', `has ${list.length} entries; at most ${CONFIG_MAX_IVC_CONFIGS} fit`);
    ok = false;
  }
  const out: HvIvcConfig[] = [];
  list.forEach((item, i) => {
    const path = indexPath('ivc_configs', i);
    const obj = r.object(item, path);
    const f = obj && fieldsOf(r, obj, path);
    const ivc = f && complete<HvIvcConfig>({
      ivcId: f.u32('ivc_id'),
      peerId: f.u32('peer_id'),
      controlTableIpa: f.address('control_table_ipa'),
      sharedMemIpa: f.address('shared_mem_ipa'),
      rwSecSize: f.hex('rw_sec_size', 32),
      outSecSize: f.hex('out_sec_size', 32),
      interruptNum: f.u32('interrupt_num'),
      maxPeers: f.u32('max_peers'),
    });
    if (ivc) out.push(ivc);
    else ok = false;
  });
  return ok ? out : undefined;
}

/** Readers for the required keys of one JSON object at `path`. */
function fieldsOf(r: JsonReader, obj: JsonObject, path: string) {
  const read = <V>(key: string, required: boolean, parse: (v: unknown, p: string) => V | undefined): V | undefined => {
    const v = r.field(obj, path, key, required);
    return v === undefined ? undefined : parse(v, keyPath(path, key));
  };
  return {
    u32: (key: string) => read(key, true, (v, p) => r.integer(v, p, 0, U32_MAX)),
    address: (key: string, required = true) => read(key, required, (v, p) => r.address(v, p)),
    hex: (key: string, bits: 8 | 32) => read(key, true, (v, p) => r.hexNumber(v, p, bits)),
    string: (key: string) => read(key, true, (v, p) => r.string(v, p)),
    boolean: (key: string) => read(key, false, (v, p) => r.boolean(v, p)),
    octal: (key: string) => read(key, true, (v, p) => readOctal(r, v, p)),
  };
}

function readModules(r: JsonReader, value: unknown): ZoneModule[] | undefined {
  const list = r.array(value, 'modules');
  if (!list) return undefined;
  const out: ZoneModule[] = [];
  let ok = true;
  list.forEach((item, i) => {
    const path = indexPath('modules', i);
    const obj = r.object(item, path);
    const f = obj && fieldsOf(r, obj, path);
    const module = f && complete<ZoneModule>({ name: f.string('name'), filepath: f.string('filepath'), loadPaddr: f.address('load_paddr') });
    if (module) out.push(module);
    else ok = false;
  });
  return ok ? out : undefined;
}

function readArchConfig(r: JsonReader, value: unknown, arch: ConfigArch): HvArchZoneConfig | undefined {
  const obj = r.object(value, 'arch_config');
  if (!obj) return undefined;
  const f = fieldsOf(r, obj, 'arch_config');
  if (arch === 'riscv64') {
    return complete<Riscv64ArchZoneConfig>({
      arch: 'riscv64', plicBase: f.address('plic_base'), plicSize: f.address('plic_size'), aplicBase: f.address('aplic_base'), aplicSize: f.address('aplic_size'),
    });
  }
  const versionValue = r.field(obj, 'arch_config', 'gic_version', true);
  const version = versionValue === undefined ? undefined : r.choice(versionValue, 'arch_config.gic_version', ['v2', 'v3'] as const, (w) => didYouMean(w, ['v2', 'v3']));
  const isAarch32 = f.boolean('is_aarch32');
  const aarch32Bad = isAarch32 === undefined && Object.prototype.hasOwnProperty.call(obj, 'is_aarch32');
  let gic: GicConfig | undefined;
  if (version === 'v3') {
    // The GITS window is optional (no ITS): absent reads as 0, as the zero-filled struct has it.
    const hasGits = Object.prototype.hasOwnProperty.call(obj, 'gits_base') || Object.prototype.hasOwnProperty.call(obj, 'gits_size');
    gic = complete<Gicv3Config>({
      version, gicdBase: f.address('gicd_base'), gicdSize: f.address('gicd_size'), gicrBase: f.address('gicr_base'), gicrSize: f.address('gicr_size'),
      gitsBase: hasGits ? f.address('gits_base') : 0, gitsSize: hasGits ? f.address('gits_size') : 0,
    });
  } else if (version === 'v2') {
    gic = complete<Gicv2Config>({
      version, gicdBase: f.address('gicd_base'), gicdSize: f.address('gicd_size'), giccBase: f.address('gicc_base'), giccSize: f.address('gicc_size'),
      giccOffset: f.address('gicc_offset'), gichBase: f.address('gich_base'), gichSize: f.address('gich_size'), gicvBase: f.address('gicv_base'),
      gicvSize: f.address('gicv_size'),
    });
  }
  if (!gic || aarch32Bad) return undefined;
  const result: Aarch64ArchZoneConfig = { arch: 'aarch64', isAarch32: isAarch32 ?? false, gic };
  return result;
}

function readPciConfig(r: JsonReader, value: unknown): HvPciConfig[] | undefined {
  const list = r.array(value, 'pci_config');
  if (!list) return undefined;
  let ok = true;
  if (list.length > CONFIG_PCI_BUS_MAXNUM) {
    r.error('pci_config', `has ${list.length} entries; at most ${CONFIG_PCI_BUS_MAXNUM} fit`);
    ok = false;
  }
  const out: HvPciConfig[] = [];
  list.forEach((item, i) => {
    const path = indexPath('pci_config', i);
    const obj = r.object(item, path);
    const f = obj && fieldsOf(r, obj, path);
    const bus = f && complete<HvPciConfig>({
      ecamBase: f.address('ecam_base'), ecamSize: f.address('ecam_size'), ioBase: f.address('io_base'), ioSize: f.address('io_size'),
      pciIoBase: f.address('pci_io_base'), mem32Base: f.address('mem32_base'), mem32Size: f.address('mem32_size'),
      pciMem32Base: f.address('pci_mem32_base'), mem64Base: f.address('mem64_base'), mem64Size: f.address('mem64_size'),
      pciMem64Base: f.address('pci_mem64_base'), busRangeBegin: f.hex('bus_range_begin', 32), busRangeEnd: f.hex('bus_range_end', 32),
      domain: f.hex('domain', 8),
    });
    if (bus) out.push(bus);
    else ok = false;
  });
  return ok ? out : undefined;
}

function readPciDevs(r: JsonReader, value: unknown): HvPciDevConfig[] | undefined {
  const list = r.array(value, 'alloc_pci_devs');
  if (!list) return undefined;
  let ok = true;
  if (list.length > CONFIG_MAX_PCI_DEV) {
    r.error('alloc_pci_devs', `has ${list.length} entries; at most ${CONFIG_MAX_PCI_DEV} fit`);
    ok = false;
  }
  const out: HvPciDevConfig[] = [];
  list.forEach((item, i) => {
    const path = indexPath('alloc_pci_devs', i);
    const obj = r.object(item, path);
    const f = obj && fieldsOf(r, obj, path);
    const dev = f && complete<HvPciDevConfig>({ domain: f.hex('domain', 8), bus: f.hex('bus', 8), device: f.hex('device', 8), function: f.hex('function', 8), devType: f.octal('dev_type') });
    if (dev) out.push(dev);
    else ok = false;
  });
  return ok ? out : undefined;
}

/** dev_type is the one PCI field hvisor-tool reads in octal. */
function readOctal(r: JsonReader, v: unknown, path: string): number | undefined {
  if (typeof v !== 'string' || !/^[0-7]+$/.test(v)) {
    r.error(path, `must be an octal string such as "0", not ${describeJson(v)}`);
    return undefined;
  }
  const n = parseInt(v, 8);
  if (n > U32_MAX) {
    r.error(path, `${JSON.stringify(v)} does not fit in 32 bits`);
    return undefined;
  }
  return n;
}
