// Instruction fields as declarative bit scatters, for every ISA. One
// description serves both directions: a decoder extracts a field's value
// from instruction bits and an assembler inserts a value back. A segment
// [hi, lo, at] moves instruction bits hi..lo to value bits at..at+(hi-lo), so
// a field whose lowest segment lands above bit 0 yields a scaled value (a
// byte offset or a branch displacement). Arithmetic rather than 32-bit shifts
// keeps values above 2^31 exact.

export type Segment = readonly [hi: number, lo: number, at: number];

export interface Field {
  readonly segments: readonly Segment[];
  /** Sign-extend from the highest value bit the segments cover. */
  readonly signed: boolean;
  /** Added after extraction (riscv64's 3-bit compressed registers name x8..x15). */
  readonly bias?: number;
}

/** Highest value bit a field can hold, plus one. */
export function fieldWidth(field: Field): number {
  let width = 0;
  for (const [hi, lo, at] of field.segments) width = Math.max(width, at + hi - lo + 1);
  return width;
}

/** Lowest value bit a field holds: values must be multiples of 1 << this. */
export function fieldAlignShift(field: Field): number {
  let low = 32;
  for (const [, , at] of field.segments) low = Math.min(low, at);
  return low;
}

/** Instruction bits the field occupies. */
export function fieldMask(field: Field): number {
  let mask = 0;
  for (const [hi, lo] of field.segments) mask |= ((2 ** (hi - lo + 1)) - 1) * 2 ** lo;
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
  return value + (field.bias ?? 0);
}

/** Whether `value` fits the field exactly (range, alignment, and bias). */
export function fits(field: Field, value: number): boolean {
  const v = value - (field.bias ?? 0);
  const width = fieldWidth(field);
  if (!Number.isInteger(v) || v % 2 ** fieldAlignShift(field) !== 0) return false;
  if (field.signed) return v >= -(2 ** (width - 1)) && v < 2 ** (width - 1);
  return v >= 0 && v < 2 ** width;
}

export function insert(field: Field, insn: number, value: number): number {
  const raw = value - (field.bias ?? 0);
  const v = raw < 0 ? raw + 2 ** fieldWidth(field) : raw;
  let out = insn >>> 0;
  for (const [hi, lo, at] of field.segments) {
    const width = hi - lo + 1;
    const part = Math.floor(v / 2 ** at) % 2 ** width;
    const mask = ((2 ** width) - 1) * 2 ** lo;
    out = ((out & ~mask) >>> 0) + part * 2 ** lo;
  }
  return out >>> 0;
}
