// The assembler against GNU as + ld: every fixture in
// test/fixtures/riscv64/asm/ is assembled by both, and the linked sections,
// symbols and entry point must match byte for byte.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleRiscv64, type AsmProgram } from '../../../engine/isa/riscv64/asm';
import { firstDifference } from '../../oracle/gas-image';
import { gasLink, type LinkedImage } from './asm-oracle';

// Tests run from the repository root (scripts/test.mjs).
const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'riscv64', 'asm');
const DEFAULT_BASE = 0x80200000;
const STANDARD = new Set(['.text', '.rodata', '.data', '.bss']);

interface Fixture {
  readonly name: string;
  readonly source: string;
  readonly base: number;
}

function fixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.S'))
    .sort()
    .map((name) => {
      const source = readFileSync(join(FIXTURES, name), 'utf8');
      // A fixture may ask for another load address: `# oracle-base: 0x1000`.
      const m = /^# oracle-base: (0x[0-9a-f]+)/m.exec(source);
      return { name, source, base: m ? Number(m[1]) : DEFAULT_BASE };
    });
}

const hex = (n: number): string => `0x${n.toString(16)}`;

function compare(fixture: Fixture, program: AsmProgram, image: LinkedImage): void {
  for (const section of program.sections) {
    const elf = image.sections.find((s) => s.name === section.name);
    assert.ok(elf, `${fixture.name}: gas has no section ${section.name}`);
    assert.equal(hex(section.address), hex(elf.address), `${fixture.name}: address of ${section.name}`);
    if (elf.nobits) {
      assert.equal(section.bytes.length, elf.size, `${fixture.name}: size of ${section.name}`);
      assert.ok(section.bytes.every((b) => b === 0), `${fixture.name}: ${section.name} is not all zero`);
      continue;
    }
    const diff = firstDifference(program, section.address, section.bytes, elf.bytes, fixture.source);
    if (diff !== undefined) throw new Error(`${fixture.name}: ${section.name}: ${diff}`);
  }
  for (const elf of image.sections) {
    if (!elf.alloc || elf.size === 0 || !(STANDARD.has(elf.name) || program.sections.some((s) => s.name === elf.name))) continue;
    assert.ok(program.sections.some((s) => s.name === elf.name), `${fixture.name}: we have no section ${elf.name}`);
  }
  // Symbols as ld lists them, without section, file, mapping and .L symbols,
  // and without absolute ones (constants are not addresses).
  const SHN_ABS = 0xfff1;
  const theirs = image.symbols.filter(
    (s) => !s.meta && s.name !== '' && !s.name.startsWith('$') && !s.name.startsWith('.L') && s.section !== 0 && s.section !== SHN_ABS,
  );
  for (const sym of theirs) {
    const ours = program.symbols.get(sym.name);
    assert.ok(ours, `${fixture.name}: missing symbol ${sym.name}`);
    assert.equal(hex(ours.address), hex(sym.value), `${fixture.name}: address of ${sym.name}`);
    assert.equal(ours.size, sym.size, `${fixture.name}: size of ${sym.name}`);
    assert.equal(ours.global, sym.global, `${fixture.name}: binding of ${sym.name}`);
    assert.equal(ours.type, sym.type, `${fixture.name}: type of ${sym.name}`);
  }
  for (const name of program.symbols.keys()) {
    assert.ok(theirs.some((s) => s.name === name), `${fixture.name}: ld has no symbol ${name}`);
  }
  assert.equal(hex(program.entry), hex(image.entry), `${fixture.name}: entry`);
}

/** Every gas line-table row must start an item of ours on the same line. */
function compareLines(fixture: Fixture, program: AsmProgram, image: LinkedImage): void {
  const byAddress = new Map(program.lines.map((l) => [l.address, l]));
  assert.ok(image.lines.length > 0, `${fixture.name}: gas produced no line table`);
  for (const row of image.lines) {
    const ours = byAddress.get(row.address);
    assert.ok(ours, `${fixture.name}: gas has line ${row.line} at ${hex(row.address)}, we have no item there`);
    assert.equal(ours.line, row.line, `${fixture.name}: line at ${hex(row.address)}`);
  }
}

const all = fixtures();
const ours = all.map((f) => ({ fixture: f, result: assembleRiscv64(f.source, { fileName: f.name, base: f.base }) }));
const oracle = gasLink(
  ours.map(({ fixture, result }) => ({
    name: fixture.name,
    source: fixture.source,
    base: fixture.base,
    extraSections: (result.program?.sections ?? []).map((s) => s.name).filter((n) => !STANDARD.has(n)),
  })),
);

test('there are fixtures', () => assert.ok(all.length > 0));

ours.forEach(({ fixture, result }, i) => {
  const image = (): LinkedImage => {
    const gas = oracle[i]!;
    if (!gas.ok) assert.fail(`gas/ld failed:\n${gas.stderr}`);
    return gas.image;
  };
  const program = (): AsmProgram => {
    if (!result.program) assert.fail(result.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
    return result.program;
  };
  test(`${fixture.name}: sections and symbols match gas + ld`, () => compare(fixture, program(), image()));
  test(`${fixture.name}: line table matches gas's DWARF lines`, () => compareLines(fixture, program(), image()));
});
