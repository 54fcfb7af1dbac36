// What the gas + ld oracles of both assemblers share: the linker script that
// mirrors the assemblers' section layout, shell quoting for the one shell that
// runs them, a reader for the linked ELF, and where our bytes and theirs part.

import type { AsmProgram } from '../../engine/asm/program';

export interface ElfSection {
  readonly name: string;
  readonly address: number;
  readonly nobits: boolean;
  readonly alloc: boolean;
  readonly bytes: Uint8Array;
  readonly size: number;
}

export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly global: boolean;
  readonly type: 'func' | 'object' | undefined;
  /** STT_SECTION and STT_FILE symbols are not program symbols. */
  readonly meta: boolean;
  readonly section: number;
}

/** A linked image as gas + ld made it. */
export interface LinkedElf {
  readonly sections: readonly ElfSection[];
  readonly symbols: readonly ElfSymbol[];
  readonly entry: number;
}

/** A linker script for sections laid out as our assembler lays them out from `base`. */
export function linkerScript(base: number, extra: readonly string[]): string {
  const out = [
    'ENTRY(_start)',
    'SECTIONS {',
    `  . = 0x${base.toString(16)};`,
    '  .text : { *(.text .text.*) }',
    '  . = ALIGN(8);',
    '  .rodata : { *(.rodata .rodata.* .srodata .srodata.*) }',
    '  . = ALIGN(8);',
    '  .data : { *(.data .data.* .sdata .sdata.*) }',
    '  . = ALIGN(8);',
    '  .bss : { *(.bss .bss.* .sbss .sbss.*) }',
  ];
  for (const name of extra) out.push('  . = ALIGN(8);', `  ${name} : { *(${name}) }`);
  out.push('}');
  return out.join('\n');
}

/** `s` quoted for sh. */
export const sh = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
const SHF_ALLOC = 2;

/** Just enough of ELF64 little-endian: section contents and the symbol table. */
export function parseElf(bytes: Uint8Array): LinkedElf {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number): number => view.getUint16(o, true);
  const u32 = (o: number): number => view.getUint32(o, true);
  const u64 = (o: number): number => Number(view.getBigUint64(o, true));
  const entry = u64(24);
  const shoff = u64(40);
  const shentsize = u16(58);
  const shnum = u16(60);
  const shstrndx = u16(62);
  const headers = Array.from({ length: shnum }, (_, i) => {
    const o = shoff + i * shentsize;
    return { name: u32(o), type: u32(o + 4), flags: u64(o + 8), addr: u64(o + 16), offset: u64(o + 24), size: u64(o + 32), link: u32(o + 40) };
  });
  const str = (table: number, at: number): string => {
    const h = headers[table]!;
    let end = h.offset + at;
    while (bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(h.offset + at, end));
  };
  const sections: ElfSection[] = headers.map((h) => ({
    name: str(shstrndx, h.name),
    address: h.addr,
    nobits: h.type === SHT_NOBITS,
    alloc: (h.flags & SHF_ALLOC) !== 0,
    bytes: h.type === SHT_NOBITS ? new Uint8Array(0) : bytes.slice(h.offset, h.offset + h.size),
    size: h.size,
  }));
  const symbols: ElfSymbol[] = [];
  headers.forEach((h) => {
    if (h.type !== SHT_SYMTAB) return;
    for (let o = h.offset + 24; o < h.offset + h.size; o += 24) {
      const info = bytes[o + 4]!;
      const type = info & 0xf;
      symbols.push({
        name: str(h.link, u32(o)),
        value: u64(o + 8),
        size: u64(o + 16),
        global: info >> 4 !== 0,
        type: type === 2 ? 'func' : type === 1 ? 'object' : undefined,
        meta: type === 3 || type === 4,
        section: u16(o + 6),
      });
    }
  });
  return { sections, symbols, entry };
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Where the first difference is, with the source line our line table gives for it. */
export function firstDifference(program: AsmProgram, address: number, ours: Uint8Array, theirs: Uint8Array, source: string): string | undefined {
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    if (ours[i] === theirs[i]) continue;
    const at = address + i;
    const item = program.lines.find((l) => l.address <= at && at < l.address + l.size);
    const text = item ? `line ${item.line}: ${source.split('\n')[item.line - 1]!.trim()}` : 'no source line';
    const dump = (b: Uint8Array): string => [...b.subarray(Math.max(0, i - 4), i + 8)].map((x) => x.toString(16).padStart(2, '0')).join(' ');
    return `first difference at ${hex(at)} (${text})\n  ours:   ${dump(ours)}\n  theirs: ${dump(theirs)}\n  (sizes ${ours.length} vs ${theirs.length})`;
  }
  return undefined;
}
