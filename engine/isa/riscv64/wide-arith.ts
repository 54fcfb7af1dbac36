// 64-bit divide on registers held as 32-bit halves, and jalr's target (multiply-high is ../wide-multiply).

import type { HighWord } from '../wide-multiply';

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
