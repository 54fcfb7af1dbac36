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
  /** The RAM region the kernel runs in, and the guest-physical address of its start. */
  readonly ram: { readonly start: number; readonly size: number; readonly guestStart: number };
  /** The kernel's [start, end), its image_size included. */
  readonly kernel?: Range;
  /** Ranges already taken (images, the hypervisor), each named for messages. */
  readonly taken: readonly { readonly what: string; readonly range: Range }[];
  readonly dtbAddress: number;
  /** The bytes kept for the device tree at dtbAddress; it takes only its own length when absent. */
  readonly dtbRoom?: number;
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
export function initrdAddress(site: Pick<BootSite, 'arch' | 'ram' | 'kernel'>): number {
  const origin = site.arch === 'riscv64' && site.kernel ? site.kernel[0] : site.ram.start;
  const at = Math.max(origin + Math.min(Math.floor(site.ram.size / 2), 128 * MiB), site.kernel?.[1] ?? 0);
  return Math.ceil(at / PAGE) * PAGE;
}

const overlaps = (a: Range, b: Range): boolean => a[0] < b[1] && b[0] < a[1];
const span = (r: Range): string => `${hex(r[0])}..${hex(r[1])}`;

/** Loads the initrd and the device tree the options ask for, or the generated tree alone. */
export function loadBootFiles(memory: PhysicalMemory, site: BootSite, options: BootOptions): void {
  const toGuest = (pa: number): number => pa - site.ram.start + site.ram.guestStart;
  const ramEnd = site.ram.start + site.ram.size;
  let initrd: Range | undefined;
  if (options.initrd) {
    if (options.initrd.bytes.length === 0) throw new ImageError(options.initrd.path, `the initrd is empty (${site.names.initrd})`);
    const start = initrdAddress(site);
    initrd = [start, start + options.initrd.bytes.length];
    if (initrd[1] > ramEnd) {
      throw new ImageError(options.initrd.path, `the initrd (${hex(options.initrd.bytes.length)} bytes) does not fit: it goes at ${hex(start)}, and RAM ends at ${hex(ramEnd)} (${site.names.initrd})`);
    }
  }

  let dtb = options.dtb?.bytes ?? site.generatedDtb();
  const dtbName = options.dtb?.path ?? 'the generated device tree';
  if (options.dtb || initrd || options.bootargs !== undefined) {
    // The user's tree is read even when nothing changes in it: a bad file is an error here, not a guest's puzzle.
    const tree = parseDtb(dtb, dtbName);
    if (initrd || options.bootargs !== undefined) {
      try {
        setChosen(tree, { ...(options.bootargs !== undefined ? { bootargs: options.bootargs } : {}), ...(initrd ? { initrd: { start: toGuest(initrd[0]), end: toGuest(initrd[1]) } } : {}) });
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

  if (initrd && options.initrd) {
    const path = options.initrd.path;
    const clash = [...site.taken, { what: `the device tree at ${span(dtbRange)}`, range: dtbRange }].find((t) => overlaps(t.range, initrd));
    if (clash) {
      const room = Math.max(0, Math.min(ramEnd, ...[...site.taken.map((t) => t.range), dtbRange].filter((r) => r[0] >= initrd[0]).map((r) => r[0])) - initrd[0]);
      throw new ImageError(path, `the initrd (${hex(options.initrd.bytes.length)} bytes) would occupy ${span(initrd)}, which overlaps ${clash.what}; at most ${hex(room)} bytes fit there (${site.names.initrd})`);
    }
    memory.load(initrd[0], options.initrd.bytes);
  }
  memory.load(site.dtbAddress, dtb);
}
