// IEEE binary32 and binary64 bits as gdb prints floats and doubles: C's %g
// with 9 and 17 significant digits (enough to read the same bits back),
// `inf`, and a NaN with its mantissa.

import { floatOfBits } from '../../ieee-bits';

/** C's printf %.{precision}g. */
export function gFormat(x: number, precision: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exponent = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(precision)))));
  if (exponent < -4 || exponent >= precision) {
    const [mantissa, exp] = x.toExponential(precision - 1).split('e') as [string, string];
    const n = Number(exp);
    return `${trimZeros(mantissa)}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return trimZeros(x.toFixed(Math.max(0, precision - 1 - exponent)));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

export function floatText(bits: bigint, size: 4 | 8): string {
  const x = floatOfBits(bits, size);
  if (Number.isNaN(x)) {
    const mantissa = size === 4 ? bits & 0x7fffffn : bits & 0xfffffffffffffn;
    const negative = size === 4 ? (bits >> 31n) & 1n : (bits >> 63n) & 1n;
    return `${negative ? '-' : ''}nan(0x${mantissa.toString(16)})`;
  }
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  return gFormat(x, size === 4 ? 9 : 17);
}
