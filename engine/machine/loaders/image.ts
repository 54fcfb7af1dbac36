// Loads a guest image by format: an ELF by its program headers, a raw binary
// at a given address, or assembly source through the built-in assembler.

import { DebugInfo } from '../../dwarf/debug-info';
import { assembleAarch64 } from '../../isa/aarch64/asm';
import { assembleRiscv64 } from '../../isa/riscv64/asm';
import type { AsmOptions, AsmResult } from '../../asm/program';
import type { PhysicalMemory } from '../memory';
import { loadElf, parseElf, SHT_SYMTAB, type ElfArch } from './elf';
import { hex, ImageError } from './image-error';
import { loadKernelSymbols, type SymbolFile } from './kernel-symbols';
import { linuxImageAddress, linuxImageAddressFits, linuxImageHeader } from './linux-image';
import { checkFitsInRam } from './ram-range';
import { loadRaw } from './raw';
import { SymbolTable } from './symbol-table';

export type ImageFormat = 'elf' | 'raw' | 'asm';

export interface ImageSpec {
  readonly path: string;
  readonly bytes: Uint8Array;
  /** Defaults from the contents: ELF magic, `.S`/`.s` extension, else raw. */
  readonly format?: ImageFormat;
  /** Load address for raw images and assembly. */
  readonly address: number;
  /** What set `address` (`images[1].address`), named when the image does not fit there. */
  readonly addressFrom?: string;
  /** `address` is only a default: a Linux Image moves up to the first address its header allows. */
  readonly movable?: boolean;
  /** A raw image's symbols: a kernel's System.map or vmlinux. */
  readonly symbols?: SymbolFile;
}

export interface SourceLine {
  readonly address: number;
  readonly file: string;
  readonly line: number;
}

export interface LoadedImage {
  readonly entry: number;
  readonly symbols: SymbolTable;
  /** Address → source line of an assembled source (an ELF's come from its DWARF). */
  readonly lines: readonly SourceLine[];
  /** An ELF's DWARF (read lazily): functions, lines and call frame information. */
  readonly debugInfo?: DebugInfo;
  /** [start, end) of every range the image occupies. */
  readonly extents: readonly [number, number][];
  /** `__global_pointer$`, when the image defines it (gp-relative addresses resolve through it). */
  readonly globalPointer?: number;
  /** Its code keeps a frame-pointer chain (a Linux kernel): a call stack without call frame information walks it. */
  readonly framePointers?: boolean;
  /** What could not be read of its symbol file, a line each. */
  readonly problems?: readonly string[];
}

export function detectFormat(spec: ImageSpec): ImageFormat {
  if (spec.format) return spec.format;
  const b = spec.bytes;
  if (b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46) return 'elf';
  if (/\.(S|s|asm)$/.test(spec.path)) return 'asm';
  return 'raw';
}

/** The built-in assembler of each architecture. */
const ASSEMBLERS: Readonly<Record<ElfArch, (source: string, options: AsmOptions) => AsmResult>> = {
  riscv64: assembleRiscv64,
  aarch64: assembleAarch64,
};

/** Assemble with `arch`'s built-in assembler. */
export function assembleFor(arch: ElfArch, source: string, options: AsmOptions): AsmResult {
  return ASSEMBLERS[arch](source, options);
}

/** An Elf64_Sym's size: a symbol table of one entry holds only the null symbol. */
const SYMBOL_SIZE = 24;

/** Assembly errors a message lists; the first ones are the ones to fix. */
const MAX_LISTED_ERRORS = 20;

export function loadImage(spec: ImageSpec, memory: PhysicalMemory, arch: ElfArch): LoadedImage {
  if (spec.bytes.length === 0) throw new ImageError(spec.path, 'the image is empty');
  const format = detectFormat(spec);
  if (spec.symbols && format !== 'raw') throw new ImageError(spec.symbols.path, `a symbol file is for a raw image; ${spec.path} is ${format === 'elf' ? 'an ELF with symbols of its own' : 'assembly source'}`);
  if (format === 'elf') {
    const image = parseElf(spec.bytes, spec.path, arch);
    if (image.segments.length === 0) throw new ImageError(spec.path, 'no loadable (PT_LOAD) program headers: nothing to run');
    loadElf(image, memory);
    // Symbols, lines, functions and frames are read on demand, when first asked for.
    const sections = image.sections.map((s) => ({ addr: s.addr, size: s.size, allocated: s.allocated }));
    const symbols = new SymbolTable(() => image.symbols, sections, image.sections.some((s) => s.type === SHT_SYMTAB && s.size > SYMBOL_SIZE));
    const extents = image.segments.map((s): [number, number] => [Number(s.paddr), Number(s.paddr) + s.memsz]);
    const debugInfo = DebugInfo.fromElf(image);
    return {
      entry: Number(image.entry), symbols, lines: [], debugInfo, extents,
      get globalPointer() {
        const gp = symbols.find('__global_pointer$');
        return gp && Number(gp.value);
      },
    };
  }
  if (format === 'raw') {
    const header = linuxImageHeader(spec.bytes, arch, spec.path);
    const address = header && spec.movable ? linuxImageAddress(header, spec.address) : spec.address;
    if (header && !linuxImageAddressFits(header, address)) {
      const from = spec.addressFrom === undefined ? '' : `; the address is ${spec.addressFrom}`;
      const rule = header.boundaryOffset === 0 ? 'at a 2 MiB aligned address' : `text_offset ${hex(header.boundaryOffset)} past a 2 MiB aligned address`;
      throw new ImageError(spec.path, `a Linux ${arch} Image starts ${rule}, and ${hex(address)} is not one${from}`);
    }
    const size = header?.imageSize ?? spec.bytes.length;
    // The kernel's BSS lies past the file: nothing else may be loaded there.
    placed(spec, () => checkFitsInRam(memory, spec.path, header ? 'Linux Image with its image_size' : 'raw image', BigInt(address), BigInt(size)));
    placed(spec, () => loadRaw(spec.bytes, address, memory, spec.path));
    const extents: [number, number][] = [[address, address + size]];
    if (!spec.symbols) return { entry: address, symbols: new SymbolTable([]), lines: [], extents };
    const kernel = loadKernelSymbols(spec.symbols, arch);
    return {
      entry: address, symbols: kernel.symbols, lines: [], extents,
      ...(kernel.debugInfo ? { debugInfo: kernel.debugInfo } : {}),
      ...(kernel.problem ? { problems: [kernel.problem] } : {}),
      // Linux keeps frame pointers on both arches: with only System.map, the stack unwinds by them.
      ...(header ? { framePointers: true } : {}),
    };
  }
  const { program, errors } = assembleFor(arch, new TextDecoder().decode(spec.bytes), { fileName: spec.path, base: spec.address });
  if (!program || errors.length) {
    const first = errors[0];
    const shown = errors.slice(0, MAX_LISTED_ERRORS).map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`);
    if (errors.length > MAX_LISTED_ERRORS) shown.push(`... and ${errors.length - MAX_LISTED_ERRORS} more errors`);
    const list = shown.join('\n');
    throw new ImageError(spec.path, first ? `assembly failed\n${list}` : 'assembly failed');
  }
  const extents: [number, number][] = [];
  for (const section of program.sections) {
    if (section.bytes.length === 0) continue;
    placed(spec, () => loadRaw(section.bytes, section.address, memory, spec.path));
    extents.push([section.address, section.address + section.bytes.length]);
  }
  // A label without a `.type` is a function in a code section and a data object elsewhere.
  const inCode = (address: number): boolean => program.sections.some((s) => s.name.startsWith('.text') && address >= s.address && address < s.address + s.bytes.length);
  const symbols = new SymbolTable(
    [...program.symbols].map(([name, s]) => ({
      name, value: BigInt(s.address), size: s.size, type: s.type ?? (inCode(s.address) ? 'func' : 'object'), binding: s.global ? 'global' : 'local', sectionIndex: 1,
    })),
  );
  return { entry: program.entry, symbols, lines: program.lines.map((l) => ({ address: l.address, file: l.file, line: l.line })), extents };
}

/** Runs `load`; a range that does not fit says what chose the address. */
function placed(spec: ImageSpec, load: () => void): void {
  try {
    load();
  } catch (e) {
    if (!(e instanceof ImageError) || spec.addressFrom === undefined) throw e;
    throw new ImageError(e.fileName, `${e.problem}; the address is ${spec.addressFrom}`);
  }
}
