// Wide arithmetic on registers held as 32-bit halves: multiply high, 64-bit
// division with A64's rules, and the bit-reversal operations.

import { mulhu32, type HighWord } from '../wide-multiply';

export { mulh, mulhu32 } from '../wide-multiply';

/** High 32 bits of the signed product of two 32-bit values: the unsigned one, corrected for negative operands. */
export function mulhs32(a: number, b: number): number {
  return (mulhu32(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

const toBig = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo >>> 0);

/** UDIV/SDIV on 64 bits: division by zero gives 0; the most negative value over -1 gives itself. */
export function div64(out: HighWord, al: number, ah: number, bl: number, bh: number, signed: number): number {
  if (bl === 0 && bh === 0) {
    out.hi32 = 0;
    return 0;
  }
  // Values within 32 bits divide exactly in doubles.
  if (signed ? ah === al >> 31 && bh === bl >> 31 : ah === 0 && bh === 0) {
    const q = Math.trunc(signed ? al / bl : (al >>> 0) / (bl >>> 0));
    out.hi32 = Math.floor(q / 4294967296) | 0;
    return q | 0;
  }
  let a = toBig(al, ah), b = toBig(bl, bh);
  if (!signed) {
    a = BigInt.asUintN(64, a);
    b = BigInt.asUintN(64, b);
  }
  const q = BigInt.asIntN(64, a / b);
  out.hi32 = Number(BigInt.asIntN(32, q >> 32n));
  return Number(BigInt.asIntN(32, q));
}

/** Bits of a 32-bit value in reverse order. */
export function rbit32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) | 0;
}

/** Bytes of a 32-bit value in reverse order. */
export function rev32(v: number): number {
  return ((v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24)) | 0;
}
