// The launch file `hvisor-debug run LAUNCH.json` boots (and, later, the VS
// Code launch configuration with the same attribute names): the board, the
// root zone, the zones the root guest may start by hypercall, and the images
// to load. parseLaunch checks it all, reads the zone configs it names, and
// reports every problem with the file and attribute instead of throwing.
//
// Checks stop where hvisor's own start: CPUs shared by two zones are hvisor's
// EBUSY at ZoneStart, so they are allowed here; CPUs off the board and
// duplicate zone ids are not, since no run could use them.

import { ConfigError } from './config-error';
import { FIRMWARE_EXCLUDES, LAUNCH_ATTRIBUTES, LAUNCH_DEFAULTS } from './launch-attributes';
import { didYouMean } from './did-you-mean';
import { parseZoneConfigJson, type ZoneConfigFiles } from './json';
import { indexPath, JsonReader, keyPath, type JsonObject } from './json-reader';
import { resolveBeside } from './launch-paths';
import { readZoneEntry, type ZoneBoot } from './launch-zone-entry';
import { qemuGicv3RootZone } from './qemu-gicv3-root';
import { qemuPlicRootZone } from './qemu-plic-root';
import type { AnyHvZoneConfig } from './zone-config';

export type LaunchArch = 'riscv64' | 'aarch64';
export type LaunchBoard = 'qemu-plic' | 'qemu-gicv3';
/** "all": every CPU runs in turn; "solo": only the CPU being debugged runs. */
export type RunMode = 'all' | 'solo';

export interface LaunchZone {
  /** The zone config file (resolved); absent for the board's built-in root zone. */
  readonly file?: string;
  readonly config: AnyHvZoneConfig;
  /** The images the zone config names, resolved against its folder. */
  readonly files: ZoneConfigFiles;
  /** The zone's Linux boot files, when its launch file entry names any. */
  readonly boot?: ZoneBoot;
}

export interface LaunchImage {
  /** Resolved against the launch file's folder. An ELF loads by its headers; a raw binary or `.S` source at `address`. */
  readonly path: string;
  readonly zone: number;
  /** The `address` attribute, else the zone's kernel_load_paddr. */
  readonly address: number;
  /** Which of the two, for messages: `launch.json: images[1].address` or `zone1.json: kernel_load_paddr`. */
  readonly addressFrom: string;
  /** The `symbols` attribute, resolved: a raw image's System.map or vmlinux. */
  readonly symbols?: string;
}

export interface Launch {
  readonly file: string;
  readonly arch: LaunchArch;
  readonly board: LaunchBoard;
  readonly cpus: number;
  readonly rootZone: LaunchZone;
  /** Zones the root guest may start with HvZoneStart. */
  readonly zones: readonly LaunchZone[];
  readonly images: readonly LaunchImage[];
  /** Firmware for the boot flash (resolved), booted in the quick root zone instead of images. */
  readonly bios?: string;
  readonly stopOnEntry: boolean;
  readonly runMode: RunMode;
  readonly trace: boolean;
}

export interface LaunchResult {
  /** Present when there are no errors. */
  readonly launch?: Launch;
  readonly errors: readonly ConfigError[];
}

/** Reads a text file by the path parseLaunch resolved; may throw (the error is reported). */
export type ReadTextFile = (path: string) => string;

const IMAGE_ATTRIBUTES = ['path', 'zone', 'address', 'symbols'] as const;
/** The CPU bitmap is 64 bits wide, which is also the qemu-plic model's limit. */
const MAX_CPUS = 64;
const ARCHES = ['riscv64', 'aarch64'] as const;
const BOARDS: Readonly<Record<LaunchArch, readonly LaunchBoard[]>> = { riscv64: ['qemu-plic'], aarch64: ['qemu-gicv3'] };
/** The root zone each board's hvisor compiles in. */
const BOARD_ROOT_ZONES: Readonly<Record<LaunchArch, (cpus: number) => AnyHvZoneConfig>> = { riscv64: qemuPlicRootZone, aarch64: qemuGicv3RootZone };

export function parseLaunch(text: string, fileName: string, readFile: ReadTextFile): LaunchResult {
  const errors: ConfigError[] = [];
  const r = new JsonReader(fileName, errors, 'attribute');
  const parsed = r.parse(text);
  if (parsed === undefined) return { errors };
  const root = r.object(parsed, '');
  if (!root) return { errors };
  checkUnknown(r, root, '', LAUNCH_ATTRIBUTES);
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(root, key);

  const arch = readArch(r, r.field(root, '', 'arch', true));
  const bios = has('bios') ? r.string(root.bios, 'bios') : undefined;
  if (bios !== undefined) {
    for (const key of FIRMWARE_EXCLUDES) if (has(key)) r.error(key, 'firmware ("bios") loads what it boots itself: give "bios" or the zones and images, not both');
    if (arch === 'riscv64') r.error('bios', 'the riscv64 board has no boot flash: give an S-mode firmware such as U-Boot as an image of the root zone');
  }
  const boards = BOARDS[arch ?? 'riscv64'];
  const board = has('board') ? r.choice(root.board, 'board', boards, (w) => didYouMean(w, boards)) : boards[0];
  const cpus = has('cpus') ? r.integer(root.cpus, 'cpus', 1, MAX_CPUS) : LAUNCH_DEFAULTS.cpus;
  const stopOnEntry = has('stopOnEntry') ? r.boolean(root.stopOnEntry, 'stopOnEntry') : LAUNCH_DEFAULTS.stopOnEntry;
  const runModes = ['all', 'solo'] as const;
  const runMode = has('runMode') ? r.choice(root.runMode, 'runMode', runModes, (w) => didYouMean(w, runModes)) : LAUNCH_DEFAULTS.runMode;
  const trace = has('trace') ? r.boolean(root.trace, 'trace') : LAUNCH_DEFAULTS.trace;

  // With a bad cpus attribute the zone configs are still read, against the largest board.
  const zoneReader = new ZoneFiles(r, fileName, readFile, cpus ?? MAX_CPUS, arch ?? 'riscv64');
  const builtInRoot = (): AnyHvZoneConfig => BOARD_ROOT_ZONES[arch ?? 'riscv64'](cpus ?? LAUNCH_DEFAULTS.cpus);
  const rootZone = has('rootZone') ? zoneReader.read(root.rootZone, 'rootZone', builtInRoot) : { config: builtInRoot(), files: { modules: [] } };
  if (rootZone && rootZone.config.zoneId !== 0) r.error('rootZone', `the root zone's zone_id must be 0, not ${rootZone.config.zoneId}`);
  const zones = has('zones') ? readZones(r, root.zones, zoneReader) : [];
  const allZones = rootZone && zones ? checkZoneIds(r, rootZone, zones) : undefined;
  const images = has('bios') ? [] : r.field(root, '', 'images', true) === undefined ? undefined : readImages(r, root.images, fileName, allZones);
  if (!has('bios') && images && allZones && !images.some((i) => i.zone === allZones[0]!.config.zoneId)) r.error('images', `no image for the root zone (zone ${allZones[0]!.config.zoneId}), which boots first`);

  if (errors.length > 0) return { errors };
  return {
    launch: {
      file: fileName, arch: arch!, board: board!, cpus: cpus!, rootZone: rootZone!, zones: zones!, images: images!,
      ...(bios !== undefined ? { bios: resolveBeside(fileName, bios) } : {}),
      stopOnEntry: stopOnEntry!, runMode: runMode!, trace: trace!,
    },
    errors,
  };
}

function checkUnknown(r: JsonReader, obj: JsonObject, path: string, known: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) r.error(keyPath(path, key), `unknown attribute${didYouMean(key, known)}`);
  }
}

function readArch(r: JsonReader, value: unknown): LaunchArch | undefined {
  if (value === undefined) return undefined;
  return r.choice(value, 'arch', ARCHES, (w) => didYouMean(w, ARCHES));
}

/** Reads and parses the zone configs a launch file names. */
class ZoneFiles {
  constructor(
    private readonly r: JsonReader,
    private readonly launchFile: string,
    private readonly readFile: ReadTextFile,
    private readonly boardCpus: number,
    private readonly arch: LaunchArch,
  ) {}

  /** A zone entry; `builtIn` is the zone an entry without config boots (only the root zone has one). */
  read(value: unknown, path: string, builtIn?: () => AnyHvZoneConfig): LaunchZone | undefined {
    const entry = readZoneEntry(this.r, value, path, this.launchFile, builtIn === undefined);
    if (!entry) return undefined;
    const boot = Object.keys(entry.boot).length > 0 ? { boot: entry.boot } : {};
    if (entry.config === undefined) return { config: builtIn!(), files: { modules: [] }, ...boot };
    const file = resolveBeside(this.launchFile, entry.config);
    let text: string;
    try {
      text = this.readFile(file);
    } catch (e) {
      this.r.error(typeof value === 'string' ? path : keyPath(path, 'config'), `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    const result = parseZoneConfigJson(text, file, { arch: this.arch, boardCpus: this.boardCpus });
    this.r.errors.push(...result.errors);
    if (!result.config || !result.files) return undefined;
    const f = result.files;
    const files: ZoneConfigFiles = {
      ...(f.kernel !== undefined ? { kernel: resolveBeside(file, f.kernel) } : {}),
      ...(f.dtb !== undefined ? { dtb: resolveBeside(file, f.dtb) } : {}),
      modules: f.modules.map((m) => ({ ...m, filepath: resolveBeside(file, m.filepath) })),
    };
    return { file, config: result.config, files, ...boot };
  }
}

function readZones(r: JsonReader, value: unknown, reader: ZoneFiles): LaunchZone[] | undefined {
  const list = r.array(value, 'zones');
  if (!list) return undefined;
  const zones = list.map((item, i) => reader.read(item, indexPath('zones', i)));
  return zones.every((z) => z !== undefined) ? (zones as LaunchZone[]) : undefined;
}

/** Zone ids must be unique, as HvZoneStart refuses a second zone with an id in use. */
function checkZoneIds(r: JsonReader, rootZone: LaunchZone, zones: readonly LaunchZone[]): LaunchZone[] | undefined {
  let ok = true;
  zones.forEach((z, j) => {
    const id = z.config.zoneId;
    if (id === rootZone.config.zoneId) {
      r.error(indexPath('zones', j), `zone_id ${id} is the root zone's`);
      ok = false;
      return;
    }
    const i = zones.findIndex((other) => other.config.zoneId === id);
    if (i < j) {
      r.error(indexPath('zones', j), `zone_id ${id} is already used by zones[${i}] (${zones[i]!.file})`);
      ok = false;
    }
  });
  return ok ? [rootZone, ...zones] : undefined;
}

/** `zones` is undefined when a zone config failed, and image zone ids then go unchecked. */
function readImages(r: JsonReader, value: unknown, launchFile: string, zones: readonly LaunchZone[] | undefined): LaunchImage[] | undefined {
  const list = r.array(value, 'images');
  if (!list) return undefined;
  const images: LaunchImage[] = [];
  let ok = true;
  list.forEach((item, i) => {
    const path = indexPath('images', i);
    const obj = r.object(item, path);
    if (!obj) {
      ok = false;
      return;
    }
    checkUnknown(r, obj, path, IMAGE_ATTRIBUTES);
    const pathValue = r.field(obj, path, 'path', true);
    const file = pathValue === undefined ? undefined : r.string(pathValue, keyPath(path, 'path'));
    const zoneValue = r.field(obj, path, 'zone', true);
    const zoneId = zoneValue === undefined ? undefined : r.integer(zoneValue, keyPath(path, 'zone'), 0, 0xffff_ffff);
    const addressValue = r.field(obj, path, 'address', false);
    const address = addressValue === undefined ? undefined : r.address(addressValue, keyPath(path, 'address'));
    const symbolsValue = r.field(obj, path, 'symbols', false);
    const symbols = symbolsValue === undefined ? undefined : r.string(symbolsValue, keyPath(path, 'symbols'));
    if (file === undefined || zoneId === undefined || (addressValue !== undefined && address === undefined) || (symbolsValue !== undefined && symbols === undefined)) {
      ok = false;
      return;
    }
    if (!zones) return;
    const zone = zones.find((z) => z.config.zoneId === zoneId);
    if (!zone) {
      r.error(keyPath(path, 'zone'), `no zone has id ${zoneId} (the zones are ${zones.map((z) => z.config.zoneId).join(', ')})`);
      ok = false;
      return;
    }
    const addressFrom = address !== undefined ? `${launchFile}: ${keyPath(path, 'address')}` : `${zone.file ?? "the board's root zone"}: kernel_load_paddr`;
    images.push({
      path: resolveBeside(launchFile, file), zone: zoneId, address: address ?? zone.config.kernelLoadPaddr, addressFrom,
      ...(symbols !== undefined ? { symbols: resolveBeside(launchFile, symbols) } : {}),
    });
  });
  return ok ? images : undefined;
}

