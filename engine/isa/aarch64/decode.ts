// Decoder derived from the encoding table: rows are bucketed by instruction
// bits 28..21 (every key value a row's match/mask allows) and tried most
// specific mask first; the first row that matches and passes `valid` wins.

import { extract, fields } from './fields';
import { table, type Row, type Slot, type Values } from './table';

export interface Decoded {
  readonly row: Row;
  readonly raw: number;
  readonly values: Values;
}

const KEY_SHIFT = 21;
const KEY_BITS = 8;

const popcount = (v: number): number => {
  let n = 0;
  for (let x = v >>> 0; x; x &= x - 1) n++;
  return n;
};

const buckets: Row[][] = Array.from({ length: 1 << KEY_BITS }, () => []);
for (const row of table) {
  const keyMask = (row.mask >>> KEY_SHIFT) & ((1 << KEY_BITS) - 1);
  const keyMatch = (row.match >>> KEY_SHIFT) & keyMask;
  for (let key = 0; key < 1 << KEY_BITS; key++) if ((key & keyMask) === keyMatch) buckets[key]!.push(row);
}
for (const bucket of buckets) bucket.sort((a, b) => popcount(b.mask) - popcount(a.mask));

/** The operand values of `insn` read through `row`'s fields. */
export function operandValues(row: Row, insn: number): Values {
  const values: Partial<Record<Slot, number>> = {};
  for (const [slot, field] of Object.entries(row.operands) as [Slot, keyof typeof fields][]) values[slot] = extract(fields[field], insn);
  return values;
}

/** Decode one 32-bit instruction; undefined when it is unallocated or outside the table. */
export function decode(insn: number): Decoded | undefined {
  const raw = insn >>> 0;
  for (const row of buckets[(raw >>> KEY_SHIFT) & ((1 << KEY_BITS) - 1)]!) {
    if (((raw & row.mask) >>> 0) !== row.match) continue;
    const values = operandValues(row, raw);
    if (row.valid && !row.valid(values)) continue;
    return { row, raw, values };
  }
  return undefined;
}
