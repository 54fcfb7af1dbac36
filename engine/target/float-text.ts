// How the Registers view writes floating-point register contents, for both
// architectures: the bits in hex, and the value they hold.

import { floatOfBits } from '../ieee-bits';

/** `v` in hex with the digits of a `bits`-bit register. */
export const hexDigits = (v: bigint, bits: number): string => `0x${v.toString(16).padStart(bits / 4, '0')}`;

/** The value of a 32- or 64-bit IEEE pattern: the shortest decimal that reads back as it, or qNaN/sNaN. */
export function floatText(bits: bigint, width: 32 | 64): string {
  const x = floatOfBits(bits, width === 32 ? 4 : 8);
  if (Number.isNaN(x)) return (bits >> BigInt(width === 32 ? 22 : 51)) & 1n ? 'qNaN' : 'sNaN';
  if (Object.is(x, -0)) return '-0';
  if (width === 64 || !Number.isFinite(x)) return String(x);
  for (let digits = 1; ; digits++) {
    const text = x.toPrecision(digits);
    if (Math.fround(Number(text)) === x) return String(Number(text));
  }
}
