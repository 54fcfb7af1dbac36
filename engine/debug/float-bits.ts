// Values typed for FP/SIMD lanes: a decimal with a point or an exponent
// becomes the bits of an IEEE binary32 or binary64 value.

import { bitsOfFloat } from '../ieee-bits';

/**
 * The bits of a floating-point value as an IEEE binary32 or binary64, for FP
 * lanes: a decimal with a point or an exponent (`1.5`, `-2e-3`), `inf` or
 * `nan`. Plain integers stay bit patterns (parseNumber).
 */
export function floatBits(text: string, width: 32 | 64 | undefined): bigint | undefined {
  if (!width) return undefined;
  const t = text.trim().toLowerCase();
  let x: number;
  if (/^[+-]?(\d+\.\d*|\.\d+)(e[+-]?\d+)?$/.test(t) || /^[+-]?\d+e[+-]?\d+$/.test(t)) x = Number(t);
  else if (/^[+-]?inf(inity)?$/.test(t)) x = t.startsWith('-') ? -Infinity : Infinity;
  else if (t === 'nan') x = NaN;
  else return undefined;
  return bitsOfFloat(x, width === 32 ? 4 : 8);
}
