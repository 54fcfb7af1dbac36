// ELF64 little-endian executables: validated parse into segments, sections and
// symbols, then placement in guest RAM by physical address.

import type { PhysicalMemory } from '../memory';
import { hex, ImageError } from './image-error';
import { checkFitsInRam } from './ram-range';
import { SymbolTable, type SymbolHit } from './symbol-table';

export type ElfArch = 'riscv64' | 'aarch64';

export const EM_AARCH64 = 183;
export const EM_RISCV = 243;
const MACHINE_OF: Record<ElfArch, number> = { riscv64: EM_RISCV, aarch64: EM_AARCH64 };
const MACHINE_NAMES: Record<number, string> = { 3: 'EM_386', 40: 'EM_ARM', 62: 'EM_X86_64', 183: 'EM_AARCH64', 243: 'EM_RISCV' };

export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
export const SHT_SYMTAB = 2;
export const SHT_NOBITS = 8;
export const SHF_ALLOC = 0x2;

const ET_NAMES = ['ET_NONE', 'ET_REL', 'ET_EXEC', 'ET_DYN', 'ET_CORE'];
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const PN_XNUM = 0xffff;
const SHN_XINDEX = 0xffff;

export interface ElfSegment {
  /** Index of the program header this segment came from. */
  readonly index: number;
  readonly paddr: bigint;
  readonly vaddr: bigint;
  readonly offset: number;
  readonly filesz: number;
  readonly memsz: number;
  /** PF_R | PF_W | PF_X bits. */
  readonly flags: number;
  /** The file bytes of the segment (a view into the image, filesz long). */
  readonly data: Uint8Array;
}

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: bigint;
  readonly offset: number;
  readonly size: number;
  /** SHF_ALLOC: the section is part of the running image. */
  readonly allocated: boolean;
}

export type ElfSymbolType = 'func' | 'object' | 'notype';
export type ElfSymbolBinding = 'local' | 'global' | 'weak';

export interface ElfSymbol {
  readonly name: string;
  readonly value: bigint;
  readonly size: number;
  readonly type: ElfSymbolType;
  readonly binding: ElfSymbolBinding;
  /** Raw st_shndx (0 = undefined, 0xfff1 = absolute). */
  readonly sectionIndex: number;
}

export interface ElfImage {
  readonly fileName: string;
  readonly arch: ElfArch;
  readonly entry: bigint;
  /** PT_LOAD segments in program-header order. */
  readonly segments: readonly ElfSegment[];
  readonly sections: readonly ElfSection[];
  /** Function, object and untyped symbols from .symtab (section and file symbols left out). */
  readonly symbols: readonly ElfSymbol[];
  /** The function or object covering `addr`. */
  lookup(addr: bigint | number): SymbolHit | undefined;
  /** "name" or "name+0xoff" for the function or object covering `addr`. */
  symbolize(addr: bigint | number): string | undefined;
  /** A defined symbol by name (globals before weak before locals). */
  findSymbol(name: string): ElfSymbol | undefined;
  /** The first section named `name`. */
  section(name: string): ElfSection | undefined;
  /** The file bytes of a section (a view, nothing copied); none for SHT_NOBITS. Throws ImageError if they run past the file. */
  sectionData(section: ElfSection): Uint8Array;
}

const SYMBOL_TYPES: readonly (ElfSymbolType | undefined)[] = ['notype', 'object', 'func'];

/** Bounds-checked little-endian field reads that name the field when they fail. */
class Fields {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly fileName: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(problem: string): never {
    throw new ImageError(this.fileName, problem);
  }

  u8(off: number): number {
    return this.view.getUint8(off);
  }
  u16(off: number): number {
    return this.view.getUint16(off, true);
  }
  u32(off: number): number {
    return this.view.getUint32(off, true);
  }
  u64(off: number): bigint {
    return this.view.getBigUint64(off, true);
  }
  /** A 64-bit size or offset that must fit a JavaScript number. */
  size(off: number, field: string): number {
    const v = this.u64(off);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${field} ${hex(v)} is too large`);
    return Number(v);
  }

  /** Throws unless [start, start + length) lies within the file. */
  within(start: number, length: number, what: string): void {
    if (start + length > this.bytes.length) {
      this.fail(`${what} (${hex(start)}-${hex(start + length)}) runs past the end of the file (${hex(this.bytes.length)} bytes)`);
    }
  }
}

const decoder = new TextDecoder('utf-8');

function cString(table: Uint8Array, offset: number): string {
  if (offset >= table.length) return '';
  let end = offset;
  while (end < table.length && table[end] !== 0) end++;
  return decoder.decode(table.subarray(offset, end));
}

function checkIdent(f: Fields, arch: ElfArch): void {
  const b = f.bytes;
  if (b.length < EHDR_SIZE) f.fail(`truncated ELF header (${b.length} bytes, need ${EHDR_SIZE})`);
  if (b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) {
    const found = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
    f.fail(`bad ELF magic (e_ident[0..3] is ${found}, expected 7f 45 4c 46)`);
  }
  if (b[4] !== 2) f.fail(`not a 64-bit ELF file (EI_CLASS is ${b[4]}, expected 2 = ELFCLASS64)`);
  if (b[5] !== 1) f.fail(`not little-endian (EI_DATA is ${b[5]}, expected 1 = ELFDATA2LSB)`);
  if (b[6] !== 1) f.fail(`unknown ELF version (EI_VERSION is ${b[6]}, expected 1)`);
  const type = f.u16(16);
  if (type !== 2) f.fail(`not an executable (e_type is ${type}${ET_NAMES[type] ? ` = ${ET_NAMES[type]}` : ''}, expected 2 = ET_EXEC)`);
  const machine = f.u16(18);
  const want = MACHINE_OF[arch];
  if (machine !== want) {
    const name = MACHINE_NAMES[machine];
    f.fail(`wrong architecture (e_machine is ${machine}${name ? ` = ${name}` : ''}, expected ${want} = ${MACHINE_NAMES[want]} for ${arch})`);
  }
}

function readSegments(f: Fields, headerTable: { offset: number; count: number }): ElfSegment[] {
  const segments: ElfSegment[] = [];
  for (let i = 0; i < headerTable.count; i++) {
    const h = headerTable.offset + i * PHDR_SIZE;
    if (f.u32(h) !== PT_LOAD) continue;
    const offset = f.size(h + 8, `segment ${i} p_offset`);
    const filesz = f.size(h + 32, `segment ${i} p_filesz`);
    const memsz = f.size(h + 40, `segment ${i} p_memsz`);
    if (filesz > memsz) f.fail(`segment ${i}: p_filesz ${hex(filesz)} exceeds p_memsz ${hex(memsz)}`);
    if (filesz > 0) f.within(offset, filesz, `segment ${i} file range`);
    segments.push({
      index: i,
      flags: f.u32(h + 4),
      offset,
      vaddr: f.u64(h + 16),
      paddr: f.u64(h + 24),
      filesz,
      memsz,
      data: f.bytes.subarray(offset, offset + filesz),
    });
  }
  const placed = segments.filter((s) => s.memsz > 0).sort((a, b) => (a.paddr < b.paddr ? -1 : a.paddr > b.paddr ? 1 : 0));
  for (let i = 1; i < placed.length; i++) {
    const a = placed[i - 1]!;
    const b = placed[i]!;
    const aEnd = a.paddr + BigInt(a.memsz);
    if (b.paddr < aEnd) {
      const [first, second] = a.index < b.index ? [a, b] : [b, a];
      const range = (s: ElfSegment): string => `${hex(s.paddr)}-${hex(s.paddr + BigInt(s.memsz))}`;
      f.fail(`segments ${first.index} and ${second.index} overlap in physical memory (${range(first)} and ${range(second)})`);
    }
  }
  return segments;
}

function readSections(f: Fields, shoff: number, shnumField: number, shstrndxField: number): ElfSection[] {
  if (shoff === 0) return [];
  const entsize = f.u16(58);
  if (entsize !== SHDR_SIZE) f.fail(`e_shentsize is ${entsize}, expected ${SHDR_SIZE}`);
  f.within(shoff, SHDR_SIZE, 'truncated section headers: section header 0');
  // Counts beyond 16 bits live in section header 0.
  const count = shnumField === 0 ? f.size(shoff + 32, 'section 0 sh_size (section count)') : shnumField;
  const strIndex = shstrndxField === SHN_XINDEX ? f.u32(shoff + 40) : shstrndxField;
  f.within(shoff, count * SHDR_SIZE, `truncated section headers: ${count} entries at ${hex(shoff)}`);
  let names: Uint8Array = new Uint8Array(0);
  if (strIndex !== 0) {
    if (strIndex >= count) f.fail(`e_shstrndx ${strIndex} is not a section (there are ${count})`);
    const h = shoff + strIndex * SHDR_SIZE;
    const off = f.size(h + 24, 'section-name table sh_offset');
    const size = f.size(h + 32, 'section-name table sh_size');
    f.within(off, size, `section-name table (section ${strIndex})`);
    names = f.bytes.subarray(off, off + size);
  }
  const sections: ElfSection[] = [];
  for (let i = 0; i < count; i++) {
    const h = shoff + i * SHDR_SIZE;
    const flags = Number(f.u64(h + 8) & 0xffffffffn);
    sections.push({
      index: i,
      name: cString(names, f.u32(h)),
      type: f.u32(h + 4),
      flags,
      addr: f.u64(h + 16),
      offset: f.size(h + 24, `section ${i} sh_offset`),
      size: f.size(h + 32, `section ${i} sh_size`),
      allocated: (flags & SHF_ALLOC) !== 0,
    });
  }
  return sections;
}

function sectionBytes(f: Fields, s: ElfSection): Uint8Array {
  f.within(s.offset, s.size, `section ${s.index} (${s.name || 'unnamed'})`);
  return f.bytes.subarray(s.offset, s.offset + s.size);
}

function readSymbols(f: Fields, sections: readonly ElfSection[], shoff: number): ElfSymbol[] {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) return [];
  const h = shoff + symtab.index * SHDR_SIZE;
  const link = f.u32(h + 40);
  const entsize = f.size(h + 56, `${symtab.name} sh_entsize`);
  if (entsize !== SYM_SIZE) f.fail(`${symtab.name} sh_entsize is ${entsize}, expected ${SYM_SIZE}`);
  const strtab = sections[link];
  if (!strtab || link === 0) f.fail(`${symtab.name} sh_link ${link} does not name a string table`);
  const table = sectionBytes(f, symtab);
  const strings = sectionBytes(f, strtab);
  const fields = new Fields(table, f.fileName);
  const symbols: ElfSymbol[] = [];
  for (let off = SYM_SIZE; off + SYM_SIZE <= table.length; off += SYM_SIZE) {
    const info = fields.u8(off + 4);
    const type = SYMBOL_TYPES[info & 0xf];
    if (!type) continue;
    const bind = info >> 4;
    symbols.push({
      name: cString(strings, fields.u32(off)),
      type,
      binding: bind === 0 ? 'local' : bind === 2 ? 'weak' : 'global',
      sectionIndex: fields.u16(off + 6),
      value: fields.u64(off + 8),
      size: fields.size(off + 16, 'symbol st_size'),
    });
  }
  return symbols;
}

/** Parse and validate an ELF64 little-endian executable for `arch`. Throws ImageError. */
export function parseElf(bytes: Uint8Array, fileName: string, arch: ElfArch): ElfImage {
  const f = new Fields(bytes, fileName);
  checkIdent(f, arch);
  const phoff = f.size(32, 'e_phoff');
  const shoff = f.size(40, 'e_shoff');
  const phnum = f.u16(56);
  if (phnum === PN_XNUM) f.fail('e_phnum is PN_XNUM (more than 65534 program headers), which is not supported');
  if (phnum > 0) {
    const phentsize = f.u16(54);
    if (phentsize !== PHDR_SIZE) f.fail(`e_phentsize is ${phentsize}, expected ${PHDR_SIZE}`);
    f.within(phoff, phnum * PHDR_SIZE, `truncated program headers: ${phnum} entries at ${hex(phoff)}`);
  }
  const segments = readSegments(f, { offset: phoff, count: phnum });
  const sections = readSections(f, shoff, f.u16(60), f.u16(62));
  // The symbols are read on first use: a large ELF has hundreds of thousands.
  let symbols: ElfSymbol[] | undefined;
  const allSymbols = (): ElfSymbol[] => (symbols ??= readSymbols(f, sections, shoff));
  const table = new SymbolTable(allSymbols, sections);
  const bindingRank = { global: 0, weak: 1, local: 2 } as const;
  return {
    fileName,
    arch,
    entry: f.u64(24),
    segments,
    sections,
    get symbols() {
      return allSymbols();
    },
    lookup: (addr) => table.lookup(addr),
    symbolize: (addr) => table.symbolize(addr),
    findSymbol: (name) => {
      let best: ElfSymbol | undefined;
      for (const s of allSymbols()) {
        if (s.name !== name || s.sectionIndex === 0) continue;
        if (!best || bindingRank[s.binding] < bindingRank[best.binding]) best = s;
      }
      return best;
    },
    section: (name) => sections.find((s) => s.name === name),
    sectionData: (s) => (s.type === SHT_NOBITS ? new Uint8Array(0) : sectionBytes(f, s)),
  };
}

/**
 * Copy every PT_LOAD segment to its physical address and zero the rest of its
 * memsz. All segments are checked against RAM before any byte is written.
 */
export function loadElf(image: ElfImage, memory: PhysicalMemory): void {
  const live = image.segments.filter((s) => s.memsz > 0);
  for (const s of live) checkFitsInRam(memory, image.fileName, `segment ${s.index}`, s.paddr, BigInt(s.memsz));
  for (const s of live) {
    const at = Number(s.paddr);
    memory.load(at, s.data);
    const zeros = s.memsz - s.filesz;
    if (zeros > 0) {
      const o = at + s.filesz - memory.ram.base;
      memory.ram.u8.fill(0, o, o + zeros);
      memory.noteRamWrite(o, zeros);
    }
  }
}
