// 64-bit multiply-high and divide on registers held as 32-bit halves.

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

const toBig = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo >>> 0);

/** kind: 0 div, 1 divu, 2 rem, 3 remu. Division by zero and overflow as the ISA defines them. */
export function div(out: HighWord, al: number, ah: number, bl: number, bh: number, kind: number): number {
  const signed = kind === 0 || kind === 2;
  const wantRem = kind >= 2;
  if (bl === 0 && bh === 0) {
    out.hi32 = wantRem ? ah : -1;
    return wantRem ? al : -1;
  }
  // Values within 32 bits divide exactly in doubles.
  const small = signed ? ah === al >> 31 && bh === bl >> 31 : ah === 0 && bh === 0;
  if (small) {
    const a = signed ? al : al >>> 0, b = signed ? bl : bl >>> 0;
    const v = wantRem ? a % b : Math.trunc(a / b);
    out.hi32 = Math.floor(v / 4294967296) | 0;
    return v | 0;
  }
  let a = toBig(al, ah), b = toBig(bl, bh);
  if (!signed) {
    a = BigInt.asUintN(64, a);
    b = BigInt.asUintN(64, b);
  } else if (a === -(1n << 63n) && b === -1n) {
    out.hi32 = wantRem ? 0 : ah;
    return wantRem ? 0 : al;
  }
  const v = wantRem ? a % b : a / b;
  out.hi32 = Number(BigInt.asIntN(32, v >> 32n));
  return Number(BigInt.asIntN(32, v));
}

/** jalr target: (rs1 + imm) with bit 0 cleared. */
export function jumpTarget(hi: number, lo: number, imm: number): number {
  const v = hi * 4294967296 + (lo >>> 0) + imm;
  return ((lo + imm) & 1) !== 0 ? v - 1 : v;
}
