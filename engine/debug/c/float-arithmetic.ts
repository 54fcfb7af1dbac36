// C's floating-point arithmetic in the expression language: float and double
// operands meet at the wider of their types (an integer converts to the
// other's), float arithmetic rounds to float precision and double to double;
// comparisons give 0 or 1. Conversions to integers follow gdb's, the oracle
// for every result here.

import { resolved, sizeOf } from '../../dwarf/types';
import { bitsOfFloat, floatOfBits } from '../../ieee-bits';
import type { TypedValue } from './operations';
import { LP64 } from './scope';
import { comparison, ExpressionError, type BinaryOp } from '../expression';
import { scaledInteger } from '../float-bits';

const I64 = { width: 8, signed: true, pointer: 0 } as const;
const INTEGER_ONLY: ReadonlySet<BinaryOp> = new Set(['%', '&', '|', '^', '<<', '>>']);

/** The size of the value's floating-point type (4 or 8), undefined for any other value; long double is refused. */
export function floatSize(v: TypedValue, col: number): 4 | 8 | undefined {
  if (!v.c) return undefined;
  const r = resolved(v.c.type);
  if (r.kind !== 'base' || r.encoding !== 'float') return undefined;
  const size = sizeOf(r);
  if (size === 4 || size === 8) return size;
  throw new ExpressionError(`column ${col}: ${r.name ?? 'a floating-point type'} (${size} bytes) is not supported in expressions: only float and double are computed with`);
}

/** A float (`size` 4, `x` rounded to one) or double value, as a C rvalue. */
export function floatValue(x: number, size: 4 | 8): TypedValue {
  const bits = bitsOfFloat(x, size);
  return { bits, type: { width: size, signed: false, pointer: 0 }, address: false, c: { type: LP64[size === 4 ? 'float' : 'double']!, location: { kind: 'value', value: bits } } };
}

/** The number a float, double or integer operand stands for (an integer exactly where a double can hold it). */
export function numberOf(v: TypedValue, col: number): number {
  const size = floatSize(v, col);
  if (size) return floatOfBits(v.bits, size);
  return Number(integerOf(v));
}

/** The operand converted to a float (`size` 4) or double: rounded once, as C converts it. */
export function numberIn(v: TypedValue, size: 4 | 8, col: number): number {
  if (size === 8 || floatSize(v, col)) return size === 4 ? Math.fround(numberOf(v, col)) : numberOf(v, col);
  return scaledInteger(integerOf(v), 0, 4);
}

function integerOf(v: TypedValue): bigint {
  return v.type.signed && v.type.pointer === 0 ? BigInt.asIntN(64, v.bits) : BigInt.asUintN(64, v.bits);
}

/**
 * A number converted to a 64-bit integer as gdb converts it: truncated toward
 * zero, held to long's range, NaN as its largest; a narrower integer type
 * then keeps the low bits.
 */
export function integerOfNumber(x: number): bigint {
  if (Number.isNaN(x) || x >= 2 ** 63) return (1n << 63n) - 1n;
  if (x < -(2 ** 63)) return -(1n << 63n);
  return BigInt(Math.trunc(x));
}

/** Refuses what cannot meet a floating-point value: pointers, arrays, structs, unions, functions. */
function requireNumber(v: TypedValue, op: string, col: number): void {
  const kind = v.c && resolved(v.c.type).kind;
  if (v.type.pointer > 0 || (kind !== undefined && kind !== 'base' && kind !== 'enum')) {
    throw new ExpressionError(`column ${col}: "${op}" with a floating-point operand needs a number on the other side, not a ${kind ?? 'pointer'}`);
  }
}

/** `a op b` where either operand is a float or double (&& and || excepted); a comparison gives 0 or 1 as a plain value, for C's int. */
export function floatBinary(op: Exclude<BinaryOp, '&&' | '||'>, a: TypedValue, b: TypedValue, col: number): TypedValue {
  if (INTEGER_ONLY.has(op)) throw new ExpressionError(`column ${col}: "${op}" needs integers, but an operand is floating-point: cast it first, as in (long)x`);
  requireNumber(a, op, col);
  requireNumber(b, op, col);
  const size = Math.max(floatSize(a, col) ?? 0, floatSize(b, col) ?? 0) as 4 | 8;
  const round = size === 4 ? Math.fround : (x: number): number => x;
  const x = numberIn(a, size, col);
  const y = numberIn(b, size, col);
  const bool = (t: boolean): TypedValue => ({ bits: t ? 1n : 0n, type: I64, address: false });
  switch (op) {
    // Each result in double rounds to the same float as float arithmetic would give (a double holds twice float's precision and more).
    case '+': return floatValue(round(x + y), size);
    case '-': return floatValue(round(x - y), size);
    case '*': return floatValue(round(x * y), size);
    case '/': return floatValue(round(x / y), size);
  }
  const truth = comparison(op, x, y);
  if (truth !== undefined) return bool(truth);
  throw new ExpressionError(`column ${col}: "${op}" is not defined on floating-point values`);
}

/** `-v`, `+v` or `~v` of a float or double. gdb negates as 0 - v, so -0.0 is 0. */
export function floatUnary(op: '-' | '+' | '~', v: TypedValue, size: 4 | 8, col: number): TypedValue {
  if (op === '~') throw new ExpressionError(`column ${col}: "~" needs an integer, but the operand is floating-point: cast it first, as in ~(long)x`);
  const x = floatOfBits(v.bits, size);
  return floatValue(op === '-' ? 0 - x : x, size);
}

/** Whether a float or double is true in a condition: not zero (a NaN is true). */
export function floatTruthy(v: TypedValue, size: 4 | 8): boolean {
  return floatOfBits(v.bits, size) !== 0;
}
