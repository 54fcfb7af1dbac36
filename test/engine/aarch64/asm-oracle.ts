// GNU binutils as the oracle for the aarch64 assembler tests: each source is
// assembled by aarch64-linux-gnu-as and linked by aarch64-linux-gnu-ld with a
// linker script that mirrors the assembler's section layout, and the tests
// compare the linked sections and symbols with the assembler's output. gas
// runs with every extension the encoding table has rows for.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AsmProgram } from '../../../engine/isa/aarch64/asm';
import { firstDifference, linkerScript, parseElf, sh, type LinkedElf } from '../../oracle/gas-image';
import { requireCommands } from '../../../scripts/external-tools.mjs';

export type { LinkedElf };

const AS = 'aarch64-linux-gnu-as';
const LD = 'aarch64-linux-gnu-ld';
/** Every extension the table has rows for. */
const MARCH = '-march=armv8.8-a+crc+memtag+sve+sme+aes+sha2';

requireCommands(AS, LD);

export interface OracleInput {
  readonly source: string;
  readonly base: number;
  /** Allocated sections beyond .text/.rodata/.data/.bss, in layout order. */
  readonly extraSections?: readonly string[];
}

export interface OracleOutput {
  /** Present when gas and ld succeeded. */
  readonly image?: LinkedElf;
  readonly stderr: string;
  /** Source lines gas reported an error on. */
  readonly errorLines: ReadonlySet<number>;
}

/** Assemble and link every input with one shell, to keep process start-up cost down. */
export function gasLink(inputs: readonly OracleInput[]): OracleOutput[] {
  const dir = mkdtempSync(join(tmpdir(), 'a64-asm-oracle-'));
  try {
    const script: string[] = [];
    inputs.forEach((input, i) => {
      writeFileSync(join(dir, `${i}.S`), input.source);
      writeFileSync(join(dir, `${i}.ld`), linkerScript(input.base, input.extraSections ?? []));
      const p = (ext: string): string => sh(join(dir, `${i}.${ext}`));
      script.push(`{ ${AS} ${MARCH} -o ${p('o')} ${p('S')} && ${LD} -T ${p('ld')} -o ${p('elf')} ${p('o')}; } 2> ${p('err')}`);
    });
    spawnSync('sh', ['-c', script.join('\n')], { stdio: 'ignore' });
    return inputs.map((_, i) => {
      const stderr = readFileSync(join(dir, `${i}.err`), 'utf8');
      const errorLines = new Set<number>();
      for (const m of stderr.matchAll(/\.S:(\d+): Error:/g)) errorLines.add(Number(m[1]));
      let elf: Uint8Array | undefined;
      try {
        elf = readFileSync(join(dir, `${i}.elf`));
      } catch {
        elf = undefined;
      }
      return { stderr, errorLines, ...(elf ? { image: parseElf(elf) } : {}) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The 32-bit little-endian words of a section's bytes. */
export function words(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push((bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0);
  return out;
}

const STANDARD = new Set(['.text', '.rodata', '.data', '.bss']);
const hex = (n: number): string => `0x${n.toString(16)}`;

/** The extra allocated sections a program has, for the linker script. */
export function extraSections(program: AsmProgram | undefined): string[] {
  return (program?.sections ?? []).map((s) => s.name).filter((n) => !STANDARD.has(n));
}

/** Sections, symbols and entry point of our program against gas + ld's image. */
export function assertSameImage(name: string, source: string, program: AsmProgram, image: LinkedElf): void {
  for (const section of program.sections) {
    const elf = image.sections.find((s) => s.name === section.name);
    assert.ok(elf, `${name}: gas has no section ${section.name}`);
    assert.equal(hex(section.address), hex(elf.address), `${name}: address of ${section.name}`);
    if (elf.nobits) {
      assert.equal(section.bytes.length, elf.size, `${name}: size of ${section.name}`);
      continue;
    }
    const diff = firstDifference(program, section.address, section.bytes, elf.bytes, source);
    if (diff !== undefined) assert.fail(`${name}: ${section.name}: ${diff}`);
  }
  for (const elf of image.sections) {
    if (!elf.alloc || elf.size === 0 || !STANDARD.has(elf.name)) continue;
    assert.ok(program.sections.some((s) => s.name === elf.name), `${name}: we have no section ${elf.name}`);
  }
  // Symbols as ld lists them, without section, file, mapping ($x/$d) and .L symbols, and without absolute ones.
  const SHN_ABS = 0xfff1;
  const theirs = image.symbols.filter((s) => !s.meta && s.name !== '' && !s.name.startsWith('$') && !s.name.startsWith('.L') && s.section !== 0 && s.section !== SHN_ABS);
  for (const sym of theirs) {
    const ours = program.symbols.get(sym.name);
    assert.ok(ours, `${name}: missing symbol ${sym.name}`);
    assert.equal(hex(ours.address), hex(sym.value), `${name}: address of ${sym.name}`);
    assert.equal(ours.size, sym.size, `${name}: size of ${sym.name}`);
    assert.equal(ours.global, sym.global, `${name}: binding of ${sym.name}`);
  }
  for (const n of program.symbols.keys()) assert.ok(theirs.some((s) => s.name === n), `${name}: ld has no symbol ${n}`);
  assert.equal(hex(program.entry), hex(image.entry), `${name}: entry`);
}
