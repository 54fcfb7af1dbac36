// Typed values on the DWARF expression stack (DWARF 5 section 2.5.1.6 and
// 2.5.1.4 for arithmetic): a base type's size, signedness and whether it is
// floating point. Floating-point values are kept as their IEEE bits; the
// arithmetic DWARF allows on them runs in the type's own precision, as C
// would compute it.

import { bitsOfFloat, floatOfBits } from '../ieee-bits';

export interface StackType {
  readonly size: number;
  readonly signed: boolean;
  /** Absent: an integer type. */
  readonly float?: boolean;
}

/** The binary operations DWARF defines on floating-point values: plus, minus, mul, div, and the comparisons. */
const FLOAT_BINARY: ReadonlyMap<number, (a: number, b: number) => number | boolean> = new Map<number, (a: number, b: number) => number | boolean>([
  [0x22, (a, b) => a + b],
  [0x1c, (a, b) => a - b],
  [0x1e, (a, b) => a * b],
  [0x1b, (a, b) => a / b],
  [0x29, (a, b) => a === b],
  [0x2a, (a, b) => a >= b],
  [0x2b, (a, b) => a > b],
  [0x2c, (a, b) => a <= b],
  [0x2d, (a, b) => a < b],
  [0x2e, (a, b) => a !== b],
]);

const FLOAT_UNARY: ReadonlyMap<number, (a: number) => number> = new Map([
  [0x1f, (a: number) => -a],
  [0x19, (a: number) => Math.abs(a)],
]);

/** Whether `op` is an operation DWARF defines on floating-point values, and how many operands it takes. */
export function floatOperands(op: number): 1 | 2 | undefined {
  return FLOAT_UNARY.has(op) ? 1 : FLOAT_BINARY.has(op) ? 2 : undefined;
}

/** The number a float or double's bits hold; undefined for other sizes (long double). */
export function floatOf(bits: bigint, size: number): number | undefined {
  return size === 4 || size === 8 ? floatOfBits(bits, size) : undefined;
}

/** `op` on floating-point operands of `size` bytes: a comparison's 1 or 0, or the result's bits rounded to the type. */
export function floatResult(op: number, size: 4 | 8, a: number, b?: number): { readonly value: bigint; readonly float: boolean } {
  const unary = FLOAT_UNARY.get(op);
  const r = unary ? unary(a) : FLOAT_BINARY.get(op)!(a, b!);
  if (typeof r === 'boolean') return { value: r ? 1n : 0n, float: false };
  return { value: bitsOfFloat(size === 4 ? Math.fround(r) : r, size), float: true };
}
