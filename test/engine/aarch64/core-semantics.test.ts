// Every row of the A64 table has semantics that compile both ways: as the
// interpreter's per-row function and spliced into a translated block, for a
// concrete encoding of the row (including rows the oracle groups do not
// reach, such as SYSL, HLT or the non-temporal SIMD pairs).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode } from '../../../engine/isa/aarch64/decode';
import { prepare } from '../../../engine/isa/aarch64/interpreter';
import { table, type Row } from '../../../engine/isa/aarch64/table';
import { translateBlock } from '../../../engine/isa/aarch64/translator';

/** An instruction word that decodes to `row`: its fixed bits with operand bits from a reproducible sequence. */
function encodingOf(row: Row): number | undefined {
  let seed = 0x2545f491;
  for (let attempt = 0; attempt < 4096; attempt++) {
    const free = attempt === 0 ? 0 : (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const word = ((row.match & row.mask) | (free & ~row.mask)) >>> 0;
    if (decode(word)?.row === row) return word;
  }
  return undefined;
}

test('every row decodes from an encoding and compiles in the interpreter and the translator', () => {
  const page = new Int32Array(1024);
  const missing: string[] = [];
  for (const row of table) {
    const word = encodingOf(row);
    if (word === undefined) {
      missing.push(row.id);
      continue;
    }
    const d = decode(word)!;
    assert.doesNotThrow(() => prepare(d), `${row.id}: interpreter`);
    page[0] = word | 0;
    assert.doesNotThrow(() => translateBlock(page, 0x1000, 0x40001000, 0x1000 % 4096, () => false), `${row.id}: translator`);
  }
  assert.deepEqual(missing, [], 'rows without an encoding found');
});
