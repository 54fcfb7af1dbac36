// The files a Linux boot puts beside the kernel, as QEMU's -initrd, -append
// and -dtb give them: the initrd where QEMU's virt boards put it, and the
// device tree (generated, or the user's own) with /chosen naming the command
// line and the initrd. Every problem is an ImageError naming the file.

import { parseDtb } from './machine/fdt-parse';
import { setChosen } from './machine/fdt-chosen';
import { ImageError } from './machine/loaders/image-error';
import type { PhysicalMemory } from './machine/memory';
import type { Arch } from './target/target';
import { hex } from './hex';

export interface BootFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface BootOptions {
  readonly initrd?: BootFile;
  /** The kernel command line, /chosen's bootargs. */
  readonly bootargs?: string;
  /** A device tree to use instead of the generated one. */
  readonly dtb?: BootFile;
}

export type Range = readonly [start: number, end: number];

/** Where one guest's boot files go, all in physical addresses. */
export interface BootSite {
  readonly arch: Arch;
  /** The RAM region the kernel runs in, and the guest-physical address of its start (needed for an initrd). */
  readonly ram?: { readonly start: number; readonly size: number; readonly guestStart: number };
  /** The kernel's [start, end), its image_size included. */
  readonly kernel?: Range;
  /** Ranges already taken (images, the hypervisor), each named for messages. */
  readonly taken: readonly { readonly what: string; readonly range: Range }[];
  readonly dtbAddress: number;
  /** The bytes kept for the device tree at dtbAddress; it takes only its own length when absent. */
  readonly dtbRoom?: number;
  /** Where the device tree may lie (DRAM), and the file and attribute that placed it, for messages. */
  readonly dtbBounds: Range;
  readonly dtbPlacedBy: { readonly file: string; readonly attribute: string };
  /** The device tree to use when the user gives none. */
  readonly generatedDtb: () => Uint8Array;
  /** How the user named each option, for messages: `--initrd`, `launch.json: rootZone.initrd`. */
  readonly names: { readonly initrd: string; readonly dtb: string };
}

const MiB = 0x100000;
const PAGE = 0x1000;

/**
 * Where the initrd goes, as on QEMU's virt boards: 128 MiB into RAM (half
 * of a smaller RAM), counted from the RAM's start on aarch64 and from the
 * kernel's start on riscv64, and never below the kernel's end. The kernel
 * then has room to grow before it reaches the initrd.
 */
export function initrdAddress(site: Pick<BootSite, 'arch' | 'kernel'> & { readonly ram: NonNullable<BootSite['ram']> }): number {
  const origin = site.arch === 'riscv64' && site.kernel ? site.kernel[0] : site.ram.start;
  const at = Math.max(origin + Math.min(Math.floor(site.ram.size / 2), 128 * MiB), site.kernel?.[1] ?? 0);
  return Math.ceil(at / PAGE) * PAGE;
}

const overlaps = (a: Range, b: Range): boolean => a[0] < b[1] && b[0] < a[1];
const span = (r: Range): string => `${hex(r[0])}..${hex(r[1])}`;

/** Loads the initrd and the device tree the options ask for, or the generated tree alone; returns the ranges they took. */
export function loadBootFiles(memory: PhysicalMemory, site: BootSite, options: BootOptions): { readonly what: string; readonly range: Range }[] {
  const initrd = options.initrd && placeInitrd(site, options.initrd);

  let dtb = options.dtb?.bytes ?? site.generatedDtb();
  const dtbName = options.dtb?.path ?? 'the generated device tree';
  if (options.dtb || initrd || options.bootargs !== undefined) {
    // The user's tree is read even when nothing changes in it: a bad file is an error here, not a guest's puzzle.
    const tree = parseDtb(dtb, dtbName);
    if (initrd || options.bootargs !== undefined) {
      try {
        setChosen(tree, { ...(options.bootargs !== undefined ? { bootargs: options.bootargs } : {}), ...(initrd ? { initrd: { start: initrd.guest[0], end: initrd.guest[1] } } : {}) });
      } catch (e) {
        throw new ImageError(dtbName, `cannot write /chosen: ${e instanceof Error ? e.message : String(e)}`);
      }
      dtb = tree.toDtb();
    }
  }
  if (site.dtbRoom !== undefined && dtb.length > site.dtbRoom) {
    throw new ImageError(dtbName, `the device tree takes ${hex(dtb.length)} bytes, and ${hex(site.dtbRoom)} are kept for it at ${hex(site.dtbAddress)} (${site.names.dtb})`);
  }
  const dtbRange: Range = [site.dtbAddress, site.dtbAddress + (site.dtbRoom ?? dtb.length)];
  const placer = site.dtbPlacedBy;
  if (dtbRange[0] < site.dtbBounds[0] || dtbRange[1] > site.dtbBounds[1]) {
    throw new ImageError(placer.file, `${placer.attribute} ${hex(site.dtbAddress)}: the device tree (${hex(dtb.length)} bytes) does not lie inside DRAM ${span(site.dtbBounds)}`);
  }
  const dtbClash = site.taken.find((t) => overlaps(t.range, dtbRange));
  if (dtbClash) throw new ImageError(placer.file, `${placer.attribute} ${hex(site.dtbAddress)}: the device tree at ${span(dtbRange)} overlaps ${dtbClash.what}`);
  const took = [{ what: `the device tree at ${span(dtbRange)}`, range: dtbRange }];

  if (initrd) {
    const { file, range } = initrd;
    const taken = [...site.taken, ...took];
    const clash = taken.find((t) => overlaps(t.range, range));
    if (clash) {
      const room = Math.min(initrd.ramEnd, ...taken.map((t) => t.range[0]).filter((a) => a >= range[0])) - range[0];
      throw new ImageError(file.path, `the initrd (${hex(file.bytes.length)} bytes) would occupy ${span(range)}, which overlaps ${clash.what}; at most ${hex(Math.max(0, room))} bytes fit there (${site.names.initrd})`);
    }
    memory.load(range[0], file.bytes);
    took.push({ what: `the initrd ${file.path} at ${span(range)}`, range });
  }
  memory.load(site.dtbAddress, dtb);
  return took;
}

/** The initrd's physical range, its range as the guest sees it, and the end of its RAM; an ImageError when it cannot go in that RAM. */
function placeInitrd(site: BootSite, file: BootFile): { file: BootFile; range: Range; guest: Range; ramEnd: number } {
  const ram = site.ram;
  if (file.bytes.length === 0) throw new ImageError(file.path, `the initrd is empty (${site.names.initrd})`);
  if (!ram) throw new ImageError(file.path, `there is no RAM to load the initrd in (${site.names.initrd})`);
  const start = initrdAddress({ ...site, ram });
  const end = start + file.bytes.length;
  const ramEnd = ram.start + ram.size;
  if (end > ramEnd) throw new ImageError(file.path, `the initrd (${hex(file.bytes.length)} bytes) does not fit: it goes at ${hex(start)}, and RAM ends at ${hex(ramEnd)} (${site.names.initrd})`);
  const toGuest = (pa: number): number => pa - ram.start + ram.guestStart;
  return { file, range: [start, end], guest: [toGuest(start), toGuest(end)], ramEnd };
}
