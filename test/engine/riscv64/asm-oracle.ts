// GNU binutils as the oracle for the assembler tests. Each source is
// assembled by riscv64-linux-gnu-as and linked by riscv64-linux-gnu-ld with a
// linker script that mirrors the assembler's section layout; the tests then
// compare the linked sections and symbols with the assembler's output.
//
// gas runs with -mno-relax and ld with --no-relax. With relaxation on, gas
// leaves every pc-relative reference and alignment to the linker (R_RISCV_ALIGN
// padding, call -> jal rewriting), so the linked bytes would be the linker's
// choice rather than the assembler's. Without it, gas decides every size
// itself (branch relaxation, compression) and the linker only fills in
// values, which is exactly what an assembler that produces a linked image
// has to reproduce.
//
// -march adds the hypervisor extension (_h) to the brief's
// rv64imac_zicsr_zifencei so the table's H rows can be assembled; nothing
// else depends on it.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MARCH = 'rv64imac_zicsr_zifencei_h';
const AS = 'riscv64-linux-gnu-as';
const LD = 'riscv64-linux-gnu-ld';
const OBJDUMP = 'riscv64-linux-gnu-objdump';

export const binutilsAvailable = spawnSync(AS, ['--version']).status === 0 && spawnSync(LD, ['--version']).status === 0;

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

export interface LinkedImage {
  readonly sections: readonly ElfSection[];
  readonly symbols: readonly ElfSymbol[];
  readonly entry: number;
  /** gas's DWARF line table (`as -g`): the first address of each run of one source line. */
  readonly lines: readonly { readonly address: number; readonly line: number }[];
}

export interface OracleInput {
  readonly name: string;
  readonly source: string;
  readonly base: number;
  /** Allocated sections beyond .text/.rodata/.data/.bss, in layout order. */
  readonly extraSections: readonly string[];
}

export type OracleOutput = { readonly ok: true; readonly image: LinkedImage } | { readonly ok: false; readonly stderr: string };

function linkerScript(base: number, extra: readonly string[]): string {
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

const sh = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Assemble and link every input with one shell, to keep process start-up cost down. */
export function gasLink(inputs: readonly OracleInput[]): OracleOutput[] {
  const dir = mkdtempSync(join(tmpdir(), 'asm-oracle-'));
  try {
    const script: string[] = [];
    inputs.forEach((input, i) => {
      writeFileSync(join(dir, `${i}.S`), input.source);
      writeFileSync(join(dir, `${i}.ld`), linkerScript(input.base, input.extraSections));
      const p = (ext: string): string => sh(join(dir, `${i}.${ext}`));
      script.push(
        `{ ${AS} -g -march=${MARCH} -mno-relax -o ${p('o')} ${p('S')} && ${LD} --no-relax -T ${p('ld')} -o ${p('elf')} ${p('o')}` +
          ` && ${OBJDUMP} --dwarf=decodedline ${p('elf')} > ${p('lines')}; } 2> ${p('err')}`,
      );
    });
    spawnSync('sh', ['-c', script.join('\n')], { stdio: 'ignore' });
    return inputs.map((_, i) => {
      const stderr = readFileSync(join(dir, `${i}.err`), 'utf8');
      let elf: Uint8Array;
      let lines: string;
      try {
        elf = readFileSync(join(dir, `${i}.elf`));
        lines = readFileSync(join(dir, `${i}.lines`), 'utf8');
      } catch {
        return { ok: false, stderr };
      }
      return { ok: true, image: { ...parseElf(elf), lines: parseDecodedLines(lines) } };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
const SHF_ALLOC = 2;

/** Rows of `objdump --dwarf=decodedline`: `file  line  0xaddress ...`. */
function parseDecodedLines(text: string): { address: number; line: number }[] {
  const rows: { address: number; line: number }[] = [];
  for (const l of text.split('\n')) {
    const m = /^\S+\s+(\d+)\s+(0x[0-9a-f]+)/.exec(l);
    if (m) rows.push({ line: Number(m[1]), address: Number(m[2]) });
  }
  return rows;
}

/** Just enough of ELF64 little-endian: section contents and the symbol table. */
export function parseElf(bytes: Uint8Array): Omit<LinkedImage, 'lines'> {
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
