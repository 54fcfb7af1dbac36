// A64 instruction fields as declarative bit scatters, shared by the decoder
// (extract) and a later assembler (insert). A segment [hi, lo, at] moves
// instruction bits hi..lo to value bits at..at+(hi-lo); a field whose lowest
// segment lands above bit 0 therefore yields a scaled value (a byte offset
// for a scaled load/store immediate or a branch displacement).

export type Segment = readonly [hi: number, lo: number, at: number];

export interface Field {
  readonly segments: readonly Segment[];
  /** Sign-extend from the highest value bit the segments cover. */
  readonly signed: boolean;
}

const u = (...segments: Segment[]): Field => ({ segments, signed: false });
const s = (...segments: Segment[]): Field => ({ segments, signed: true });

export const fields = {
  sf: u([31, 31, 0]),
  q: u([30, 30, 0]),
  size: u([31, 30, 0]),
  rd: u([4, 0, 0]),
  rt: u([4, 0, 0]),
  rn: u([9, 5, 0]),
  rm: u([20, 16, 0]),
  rs: u([20, 16, 0]),
  ra: u([14, 10, 0]),
  rt2: u([14, 10, 0]),
  // Data processing.
  imm12: u([21, 10, 0]),
  sh: u([22, 22, 0]),
  n: u([22, 22, 0]),
  immr: u([21, 16, 0]),
  imms: u([15, 10, 0]),
  hw: u([22, 21, 0]),
  imm16: u([20, 5, 0]),
  udf16: u([15, 0, 0]),
  shift: u([23, 22, 0]),
  imm6: u([15, 10, 0]),
  option: u([15, 13, 0]),
  imm3: u([12, 10, 0]),
  cond: u([15, 12, 0]),
  nzcv: u([3, 0, 0]),
  imm5: u([20, 16, 0]),
  adr: s([23, 5, 2], [30, 29, 0]),
  adrp: s([23, 5, 14], [30, 29, 12]),
  // Loads and stores: scaled offsets are byte offsets.
  uoff0: u([21, 10, 0]),
  uoff1: u([21, 10, 1]),
  uoff2: u([21, 10, 2]),
  uoff3: u([21, 10, 3]),
  uoff4: u([21, 10, 4]),
  imm9: s([20, 12, 0]),
  poff2: s([21, 15, 2]),
  poff3: s([21, 15, 3]),
  poff4: s([21, 15, 4]),
  ldS: u([12, 12, 0]),
  // Branches.
  br26: s([25, 0, 2]),
  br19: s([23, 5, 2]),
  br14: s([18, 5, 2]),
  bitpos: u([31, 31, 5], [23, 19, 0]),
  // System.
  sysreg: u([20, 5, 0]),
  op1: u([18, 16, 0]),
  crn: u([15, 12, 0]),
  crm: u([11, 8, 0]),
  op2: u([7, 5, 0]),
  hint: u([11, 5, 0]),
  // SIMD modified immediate: a:b:c:d:e:f:g:h.
  imm8: u([18, 16, 5], [9, 5, 0]),
  cmode: u([15, 12, 0]),
  op: u([29, 29, 0]),
} as const satisfies Record<string, Field>;

export type FieldName = keyof typeof fields;

/** Highest value bit a field can hold, plus one. */
export function fieldWidth(field: Field): number {
  let width = 0;
  for (const [hi, lo, at] of field.segments) width = Math.max(width, at + hi - lo + 1);
  return width;
}

/** Instruction bits the field occupies. */
export function fieldMask(field: Field): number {
  let mask = 0;
  for (const [hi, lo] of field.segments) mask |= (((2 ** (hi - lo + 1)) - 1) * 2 ** lo);
  return mask >>> 0;
}

export function extract(field: Field, insn: number): number {
  let value = 0;
  for (const [hi, lo, at] of field.segments) {
    const width = hi - lo + 1;
    value += ((insn >>> lo) & ((2 ** width) - 1)) * 2 ** at;
  }
  if (field.signed) {
    const top = 2 ** (fieldWidth(field) - 1);
    if (value >= top) value -= 2 * top;
  }
  return value;
}

/** Whether `value` fits the field exactly (range and alignment). */
export function fits(field: Field, value: number): boolean {
  const width = fieldWidth(field);
  const align = 2 ** Math.min(...field.segments.map(([, , at]) => at));
  if (!Number.isInteger(value) || value % align !== 0) return false;
  if (field.signed) return value >= -(2 ** (width - 1)) && value < 2 ** (width - 1);
  return value >= 0 && value < 2 ** width;
}

export function insert(field: Field, insn: number, value: number): number {
  const v = value < 0 ? value + 2 ** fieldWidth(field) : value;
  let out = insn >>> 0;
  for (const [hi, lo, at] of field.segments) {
    const width = hi - lo + 1;
    const part = Math.floor(v / 2 ** at) % 2 ** width;
    const mask = ((2 ** width) - 1) * 2 ** lo;
    out = ((out & ~mask) >>> 0) + part * 2 ** lo;
  }
  return out >>> 0;
}
