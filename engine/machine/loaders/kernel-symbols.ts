// The symbols of a raw kernel Image, which has none of its own: from the
// kernel's System.map or its vmlinux ELF (symbols, and DWARF read lazily).
// They are kernel virtual addresses, as the pc reads once the MMU is on.

import { DebugInfo } from '../../dwarf/debug-info';
import { resolveBeside } from '../../hv/config/launch-paths';
import { parseElf, type ElfArch } from './elf';
import { ImageError } from './image-error';
import { isLinuxImage } from './linux-image';
import { SymbolTable } from './symbol-table';
import { parseSystemMap } from './system-map';

/** A file of symbols for an image, and its bytes. */
export interface SymbolFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface KernelSymbols {
  readonly symbols: SymbolTable;
  readonly debugInfo?: DebugInfo;
  /** What could not be read of the file (one line), if anything. */
  readonly problem?: string;
}

/**
 * Looked for beside a Linux Image, in this order: System.map first, since a
 * vmlinux with its DWARF is some 300 MB to read and hold; name a vmlinux
 * explicitly for its call frame information and lines.
 */
export const SYMBOL_FILES_BESIDE = ['System.map', 'vmlinux'] as const;

/**
 * The symbol file beside a Linux Image at `imagePath` (see
 * SYMBOL_FILES_BESIDE), read with `readFile`; undefined for any other image
 * or when there is none.
 */
export function symbolFileBeside(imagePath: string, bytes: Uint8Array, arch: ElfArch, readFile: (path: string) => Uint8Array): SymbolFile | undefined {
  if (!isLinuxImage(bytes, arch)) return undefined;
  for (const name of SYMBOL_FILES_BESIDE) {
    const path = resolveBeside(imagePath, name);
    try {
      return { path, bytes: readFile(path) };
    } catch {
      // Not there (or unreadable): the next name, else no symbols.
    }
  }
  return undefined;
}

/** An ELF's symbols and DWARF, or a System.map's symbols. Throws ImageError for an ELF of another arch or a file with no symbols. */
export function loadKernelSymbols(file: SymbolFile, arch: ElfArch): KernelSymbols {
  const b = file.bytes;
  if (b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46) {
    const elf = parseElf(b, file.path, arch);
    const sections = elf.sections.map((s) => ({ addr: s.addr, size: s.size, allocated: s.allocated }));
    return { symbols: new SymbolTable(() => elf.symbols, sections), debugInfo: DebugInfo.fromElf(elf) };
  }
  const map = parseSystemMap(new TextDecoder().decode(b), file.path);
  if (map.symbols.length === 0) throw new ImageError(file.path, `no symbols: neither an ELF nor a System.map${map.problem ? ` (${map.problem})` : ''}`);
  return { symbols: new SymbolTable(map.symbols), ...(map.problem ? { problem: map.problem } : {}) };
}
