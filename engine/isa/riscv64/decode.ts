// Decoder derived from the encoding table: candidate rows are bucketed by the
// bits every row of a size fixes (opcode for 32-bit, quadrant+funct3 for RVC)
// and tried most-specific mask first.

import { extract, fields, type FieldName } from './fields';
import { table, type Row, type Slot } from './table';

export interface Decoded {
  readonly row: Row;
  /** Base operation (RVC rows expand to their 32-bit operation). */
  readonly op: string;
  readonly size: 2 | 4;
  /** The instruction bits (16 bits for RVC). */
  readonly raw: number;
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  readonly rs3: number;
  readonly imm: number;
  readonly csr: number;
  /** The rounding-mode field (7 = dynamic, from frm). */
  readonly rm: number;
  readonly aq: number;
  readonly rl: number;
  readonly pred: number;
  readonly succ: number;
}

const popcount = (v: number): number => {
  let n = 0;
  for (let x = v >>> 0; x; x &= x - 1) n++;
  return n;
};

const bySpecificity = (a: Row, b: Row): number => popcount(b.mask) - popcount(a.mask);

const wideBuckets: Row[][] = Array.from({ length: 128 }, () => []);
const compressedBuckets: Row[][] = Array.from({ length: 32 }, () => []);
for (const row of table) {
  if (row.size === 4) wideBuckets[row.match & 0x7f]!.push(row);
  else compressedBuckets[compressedKey(row.match)]!.push(row);
}
for (const bucket of [...wideBuckets, ...compressedBuckets]) bucket.sort(bySpecificity);

function compressedKey(bits: number): number {
  return ((bits >>> 13) & 7) | ((bits & 3) << 3);
}

/** Size of the instruction whose low halfword is `low16`. */
export function instructionSize(low16: number): 2 | 4 {
  return (low16 & 3) === 3 ? 4 : 2;
}

function slotValue(row: Row, slot: Slot, insn: number): number {
  const source = row.operands[slot];
  if (source === undefined) return 0;
  if (typeof source === 'number') return source;
  return extract(fields[source as FieldName], insn);
}

function matches(row: Row, insn: number): boolean {
  if (((insn & row.mask) >>> 0) !== row.match >>> 0) return false;
  for (const slot of row.nonzero ?? []) if (slotValue(row, slot, insn) === 0) return false;
  return true;
}

/** Build the decoded form of `insn` against a known row (used by the assembler round trip too). */
export function decodeWithRow(row: Row, insn: number): Decoded {
  return {
    row,
    op: row.op,
    size: row.size,
    raw: insn >>> 0,
    rd: slotValue(row, 'rd', insn),
    rs1: slotValue(row, 'rs1', insn),
    rs2: slotValue(row, 'rs2', insn),
    rs3: slotValue(row, 'rs3', insn),
    imm: slotValue(row, 'imm', insn),
    csr: slotValue(row, 'csr', insn),
    rm: slotValue(row, 'rm', insn),
    aq: slotValue(row, 'aq', insn),
    rl: slotValue(row, 'rl', insn),
    pred: slotValue(row, 'pred', insn),
    succ: slotValue(row, 'succ', insn),
  };
}

/**
 * Decode one instruction. `insn` holds 32 bits for a wide instruction or the
 * low 16 for RVC (upper bits ignored). Returns undefined for encodings that are
 * illegal or reserved in RV64IMAFDC.
 */
export function decode(insn: number): Decoded | undefined {
  if (instructionSize(insn) === 2) {
    const bits = insn & 0xffff;
    for (const row of compressedBuckets[compressedKey(bits)]!) if (matches(row, bits)) return decodeWithRow(row, bits);
    return undefined;
  }
  const bits = insn >>> 0;
  for (const row of wideBuckets[bits & 0x7f]!) if (matches(row, bits)) return decodeWithRow(row, bits);
  return undefined;
}
