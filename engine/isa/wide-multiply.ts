// Multiply-high on 64-bit registers held as 32-bit halves, for every ISA.

const limbs = new Float64Array(8);

/** High 32 bits of the unsigned product of two 32-bit values. */
export function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const low = a0 * b0;
  const mid = a1 * b0 + (low >>> 16);
  const mid2 = a0 * b1 + (mid % 65536);
  return (a1 * b1 + Math.floor(mid / 65536) + Math.floor(mid2 / 65536)) | 0;
}

/** Where a helper leaves the high word of its 64-bit result. */
export interface HighWord {
  hi32: number;
}

/** Upper 64 bits of the 128-bit unsigned product: returns the low word, leaves the high one in out.hi32. */
function mulhu64(al: number, ah: number, bl: number, bh: number, out: HighWord): number {
  const a = [al & 0xffff, al >>> 16, ah & 0xffff, ah >>> 16];
  const b = [bl & 0xffff, bl >>> 16, bh & 0xffff, bh >>> 16];
  limbs.fill(0);
  for (let i = 0; i < 4; i++) {
    let carry = 0;
    for (let j = 0; j < 4; j++) {
      const t = limbs[i + j]! + a[i]! * b[j]! + carry;
      const r = t % 65536;
      limbs[i + j] = r;
      carry = (t - r) / 65536;
    }
    limbs[i + 4] = carry;
  }
  out.hi32 = limbs[6]! | (limbs[7]! << 16);
  return limbs[4]! | (limbs[5]! << 16);
}

/**
 * mulh (signedA=1, signedB=1), mulhsu (1, 0) and mulhu (0, 0): the unsigned
 * high product, corrected by subtracting the other operand for each negative one.
 */
export function mulh(out: HighWord, al: number, ah: number, bl: number, bh: number, signedA: number, signedB: number): number {
  let lo = mulhu64(al, ah, bl, bh, out);
  let hi = out.hi32;
  if (signedA && ah < 0) {
    const l = (lo >>> 0) - (bl >>> 0);
    hi = (hi - bh - (l < 0 ? 1 : 0)) | 0;
    lo = l | 0;
  }
  if (signedB && bh < 0) {
    const l = (lo >>> 0) - (al >>> 0);
    hi = (hi - ah - (l < 0 ? 1 : 0)) | 0;
    lo = l | 0;
  }
  out.hi32 = hi;
  return lo;
}
