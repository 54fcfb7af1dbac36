// The assembler against GNU as + ld over a corpus generated from every row
// of the encoding table: encodings with swept and random operand fields are
// disassembled (objdump-exact text), and that text must assemble to the same
// bytes gas and ld produce. It also checks the round trip: assembling the
// disassembly gives back the word, except for bits objdump ignores.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleAarch64 } from '../../../engine/isa/aarch64/asm';
import { decode } from '../../../engine/isa/aarch64/decode';
import { disassembleOne } from '../../../engine/isa/aarch64/disasm';
import { fields, fieldWidth, insert, type FieldName } from '../../../engine/isa/aarch64/fields';
import { table, type Row } from '../../../engine/isa/aarch64/table';
import { gasLink, words } from './asm-oracle';

const BASE = 0x40000000;

/**
 * Deterministic pseudo-random 32-bit values (xorshift32). Its low bits are as
 * random as its high ones, which matters: narrow fields take the low bits.
 */
function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>>= 0);
  };
}

/** Encodings of one row: its operands all zero, then each operand field swept over its extremes and random values, the others random. */
function rowWords(row: Row, random: () => number): number[] {
  const names = [...new Set(Object.values(row.operands))] as FieldName[];
  const raw = (f: FieldName, pick: number): number => {
    const span = 2 ** fieldWidth(fields[f]);
    const field = fields[f];
    const lowest = Math.min(...field.segments.map((s) => s[2]));
    const units = span / 2 ** lowest;
    let v = (pick % units) * 2 ** lowest;
    if (field.signed && v >= span / 2) v -= span;
    return v;
  };
  const fill = (): number => names.reduce((w, f) => insert(fields[f], w, raw(f, random())), row.match);
  // The row's own bits (every operand zero) first, so a row whose valid operands are rare still appears.
  const out: number[] = [row.match];
  for (const f of names) for (const pick of [0, 1, 31, 2 ** 30 - 1, random()]) out.push(insert(fields[f], fill(), raw(f, pick)));
  for (let i = 0; i < 6; i++) out.push(fill());
  const mine = out.filter((w) => decode(w)?.row === row);
  // A row whose fields are valid only in few combinations (one size and one Q) may need more draws.
  for (let i = 0; mine.length === 0 && i < 256; i++) {
    const w = fill();
    if (decode(w)?.row === row) mine.push(w);
  }
  return mine;
}

const random = xorshift(7);
const corpus: number[] = table.flatMap((row) => rowWords(row, random));
/** A target printed as an address becomes `.+offset`: gas and ld cannot resolve branches to bare absolute addresses. */
function relative(text: string, pc: number): string {
  return text.replace(/0x([0-9a-f]+)(?=\s*(\/\/.*)?$)/, (hex) => {
    const offset = BigInt.asIntN(64, BigInt(hex) - BigInt(pc));
    return offset < 0n ? `.-${-offset}` : `.+${offset}`;
  });
}
const texts = corpus.map((w, i) => {
  const text = disassembleOne(w, BASE + 4 * i).text;
  return /\{(target|page)/.test(decode(w)!.row.syntax) ? relative(text, BASE + 4 * i) : text;
});

test('every row reaches the corpus', () => {
  const reached = new Set(corpus.map((w) => decode(w)?.row));
  for (const row of table) assert.ok(reached.has(row), row.id);
});

test('the disassembly of every row assembles as gas assembles it, and back to the word', () => {
  const source = texts.join('\n') + '\n';
  const gas = gasLink([{ source, base: BASE }])[0]!;
  assert.equal(gas.errorLines.size, 0, `gas refuses lines of the corpus:\n${gas.stderr}`);
  assert.ok(gas.image, gas.stderr);
  const theirs = words(gas.image.sections.find((s) => s.name === '.text')!.bytes);
  const result = assembleAarch64(source, { fileName: 'corpus.S', base: BASE });
  const problems = result.errors.slice(0, 30).map((e) => `  line ${e.line}: ${texts[e.line - 1]}: ${e.message}`);
  assert.equal(result.errors.length, 0, `${result.errors.length} lines fail:\n${problems.join('\n')}`);
  const ours = words(result.program!.sections.find((s) => s.name === '.text')!.bytes);
  assert.equal(ours.length, theirs.length);
  const diffs: string[] = [];
  const roundTrip: string[] = [];
  ours.forEach((w, i) => {
    const hex = (x: number): string => x.toString(16).padStart(8, '0');
    if (w !== theirs[i]) diffs.push(`  ${texts[i]}: ours ${hex(w)}, gas ${hex(theirs[i]!)}`);
    // Only bits objdump ignores (the unused Rs of ldxr) may change.
    else if (w !== corpus[i] && disassembleOne(w, BASE + 4 * i).text !== disassembleOne(corpus[i]!, BASE + 4 * i).text) {
      roundTrip.push(`  ${hex(corpus[i]!)} ${texts[i]} -> ${hex(w)}`);
    }
  });
  assert.equal(diffs.length, 0, `${diffs.length} of ${ours.length} words differ from gas:\n${diffs.slice(0, 40).join('\n')}`);
  assert.equal(roundTrip.length, 0, `${roundTrip.length} words do not survive disassembly and assembly:\n${roundTrip.slice(0, 40).join('\n')}`);
});
