// Decimal text as IEEE binary32 and binary64 values: for FP/SIMD lanes, for
// float variables set from the Variables pane, and for the expression
// language's float literals. Each is rounded once, to nearest even.

import { bitsOfFloat, floatOfBits } from '../ieee-bits';

const DECIMAL = /^[+-]?(\d+\.\d*|\.\d+)(e[+-]?\d+)?$|^[+-]?\d+e[+-]?\d+$/i;

/**
 * The bits of a floating-point value as an IEEE binary32 or binary64, for FP
 * lanes: a decimal with a point or an exponent (`1.5`, `-2e-3`), `inf` or
 * `nan`. Plain integers stay bit patterns (parseNumber).
 */
export function floatBits(text: string, width: 32 | 64 | undefined): bigint | undefined {
  if (!width) return undefined;
  const t = text.trim().toLowerCase();
  let x: number;
  if (DECIMAL.test(t)) x = decimalValue(t, width === 32 ? 4 : 8);
  else if (/^[+-]?inf(inity)?$/.test(t)) x = t.startsWith('-') ? -Infinity : Infinity;
  else if (t === 'nan') x = NaN;
  else return undefined;
  return bitsOfFloat(x, width === 32 ? 4 : 8);
}

/**
 * A decimal (`1.5`, `-2e-3`, `.5`) as the nearest float (`size` 4) or double.
 * A float is not the double rounded again: where the double lands exactly
 * halfway between two floats, the decimal's exact value picks the side.
 */
export function decimalValue(text: string, size: 4 | 8): number {
  const d = Number(text);
  if (size === 8) return d;
  const f = Math.fround(d);
  if (f === d || !Number.isFinite(d)) return f;
  const magnitude = Math.abs(d);
  const below = Math.abs(f) <= magnitude ? Math.abs(f) : adjacentFloat(Math.abs(f), -1);
  const above = adjacentFloat(below, 1);
  // Past the largest float, the halfway point is to 2^128, where the next float would be.
  if ((below + (above === Infinity ? 2 ** 128 : above)) / 2 !== magnitude) return f;
  const side = compareExact(text.replace(/^[+-]/, ''), magnitude);
  const chosen = side === 0 ? Math.abs(f) : side > 0 ? above : below;
  return d < 0 ? -chosen : chosen;
}

/** The float next to a non-negative float `x`, up (1) or down (-1). */
function adjacentFloat(x: number, step: 1 | -1): number {
  return floatOfBits(bitsOfFloat(x, 4) + BigInt(step), 4);
}

/** The sign of (decimal - x), exactly, for a non-negative decimal and a finite double x. */
function compareExact(decimal: string, x: number): number {
  const m = /^(\d*)\.?(\d*)(?:e([+-]?\d+))?$/i.exec(decimal)!;
  const digits = BigInt(`${m[1]}${m[2]}` || '0');
  const exp10 = Number(m[3] ?? 0) - m[2]!.length;
  // x = mantissa * 2^exp2 (a subnormal's exponent is the smallest's).
  const bits = bitsOfFloat(x, 8);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const mantissa = (bits & ((1n << 52n) - 1n)) | (biased ? 1n << 52n : 0n);
  const exp2 = Math.max(biased, 1) - 1075;
  let left = digits;
  let right = mantissa;
  if (exp10 >= 0) left *= 10n ** BigInt(exp10);
  else right *= 10n ** BigInt(-exp10);
  if (exp2 >= 0) right <<= BigInt(exp2);
  else left <<= BigInt(-exp2);
  return left === right ? 0 : left > right ? 1 : -1;
}

/** The float (`size` 4) or double nearest `i` * 2^`exp2`. */
export function scaledInteger(i: bigint, exp2: number, size: 4 | 8): number {
  if (i === 0n) return 0;
  if (size === 8) return Number(i) * 2 ** exp2;
  // Beyond a double's 53 bits, the integer would round twice (to double, then to float): keep 53 bits, the lowest sticky for what is dropped.
  const magnitude = i < 0n ? -i : i;
  const drop = Math.max(0, magnitude.toString(2).length - 53);
  const sticky = (magnitude & ((1n << BigInt(drop)) - 1n)) !== 0n ? 1n : 0n;
  const kept = Number((magnitude >> BigInt(drop)) | sticky);
  return Math.fround((i < 0n ? -kept : kept) * 2 ** (drop + exp2));
}
