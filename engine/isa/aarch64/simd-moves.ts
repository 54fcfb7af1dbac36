// Advanced SIMD instructions that move lanes rather than compute on them:
// element copies (DUP, INS, UMOV, SMOV), the modified immediates, permutes,
// EXT, table lookups and the reversals.

import type { CpuState } from './cpu';
import { clearScratch, commit, scratch, views } from './simd-lanes';
import { modifiedImmediate } from './table-simd';

/** DUP (element): lane idx of n into every lane (lanes of them; 1 for the scalar form). */
export function dupElement(c: CpuState, d: number, n: number, idx: number, size: number, lanes: number): void {
  const u = views(c).u;
  clearScratch();
  if (size === 3) {
    const x = u[3][n * 2 + idx]!;
    for (let i = 0; i < lanes; i++) scratch.u[3][i] = x;
  } else {
    const x = (u[size] as Uint32Array)[n * (16 >> size) + idx]!;
    for (let i = 0; i < lanes; i++) (scratch.u[size] as Uint32Array)[i] = x;
  }
  commit(c, d);
}

/** DUP (general): the low bits of a general register (lo, hi words) into every lane. */
export function dupGeneral(c: CpuState, d: number, lo: number, hi: number, size: number, q: number): void {
  const l = size === 0 ? (lo & 255) * 0x01010101 : size === 1 ? (lo & 65535) * 0x10001 : lo;
  const h = size === 3 ? hi : l;
  const v = c.v, i = d * 4;
  v[i] = l;
  v[i + 1] = h;
  v[i + 2] = q ? l : 0;
  v[i + 3] = q ? h : 0;
}

/** INS (general): one lane from a general register; the other lanes stay. */
export function insGeneral(c: CpuState, d: number, idx: number, lo: number, hi: number, size: number): void {
  const u = views(c).u;
  const at = d * (16 >> size) + idx;
  if (size === 3) {
    c.v[d * 4 + idx * 2] = lo;
    c.v[d * 4 + idx * 2 + 1] = hi;
  } else (u[size] as Uint32Array)[at] = lo;
}

/** INS (element). */
export function insElement(c: CpuState, d: number, idx: number, n: number, idx2: number, size: number): void {
  const u = views(c).u;
  if (size === 3) u[3][d * 2 + idx] = u[3][n * 2 + idx2]!;
  else (u[size] as Uint32Array)[d * (16 >> size) + idx] = (u[size] as Uint32Array)[n * (16 >> size) + idx2]!;
}

/** UMOV/SMOV: lane idx of n, zero- or sign-extended, as the low and high words of the result (c.hi32 holds the high word). */
export function moveToGeneral(c: CpuState, n: number, idx: number, size: number, signed: number): number {
  const w = c.v;
  if (size === 3) {
    c.hi32 = w[n * 4 + idx * 2 + 1]!;
    return w[n * 4 + idx * 2]!;
  }
  const lanes = signed ? views(c).s[size] as Int32Array : views(c).u[size] as Uint32Array;
  const x = lanes[n * (16 >> size) + idx]! | 0;
  c.hi32 = signed ? x >> 31 : 0;
  return x;
}

/** AdvSIMDExpandImm: the 64-bit pattern of a modified immediate as two words. */
export function immediatePattern(op: number, cmode: number, imm8: number, q: number): { l: number; h: number } {
  const kind = modifiedImmediate(op, cmode, q)?.kind;
  let word: number;
  switch (kind) {
    case 's': word = imm8 << (8 * ((cmode >> 1) & 3)); return { l: word | 0, h: word | 0 };
    case 'h': word = imm8 << (8 * ((cmode >> 1) & 1)); word = (word << 16) | word; return { l: word | 0, h: word | 0 };
    case 'msl': word = cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff; return { l: word, h: word };
    case 'b': word = imm8 * 0x01010101; return { l: word | 0, h: word | 0 };
    default: {
      // Every bit of imm8 becomes a byte of ones or zeros.
      let l = 0, h = 0;
      for (let i = 0; i < 4; i++) if ((imm8 >> i) & 1) l |= 0xff << (8 * i);
      for (let i = 0; i < 4; i++) if ((imm8 >> (i + 4)) & 1) h |= 0xff << (8 * i);
      return { l: l | 0, h: h | 0 };
    }
  }
}

/** UZP1/2, TRN1/2, ZIP1/2 (opcode 1..7 as encoded). */
export function permute(c: CpuState, opcode: number, d: number, n: number, m: number, size: number, lanes: number): void {
  const u = views(c).u[size]!;
  const out = scratch.u[size]!;
  clearScratch();
  const per = 16 >> size;
  const nb = n * per, mb = m * per;
  const part = opcode >> 2;
  const half = lanes >> 1;
  const put = (i: number, x: number | bigint): void => void ((out as Uint32Array)[i] = x as number);
  const put64 = (i: number, x: number | bigint): void => void ((out as BigUint64Array)[i] = x as bigint);
  const set = size === 3 ? put64 : put;
  switch (opcode & 3) {
    case 1: // UZP: even (or odd) lanes of n:m.
      for (let i = 0; i < lanes; i++) {
        const j = 2 * i + part;
        set(i, j < lanes ? u[nb + j]! : u[mb + j - lanes]!);
      }
      break;
    case 2: // TRN
      for (let p = 0; p < half; p++) {
        set(2 * p, u[nb + 2 * p + part]!);
        set(2 * p + 1, u[mb + 2 * p + part]!);
      }
      break;
    default: // ZIP: the lower (or upper) halves interleaved.
      for (let p = 0; p < half; p++) {
        set(2 * p, u[nb + p + part * half]!);
        set(2 * p + 1, u[mb + p + part * half]!);
      }
  }
  commit(c, d);
}

/** EXT: bytes imm.. of n:m (8 or 16 bytes). */
export function ext(c: CpuState, d: number, n: number, m: number, imm: number, bytes: number): void {
  const u = views(c).u[0];
  clearScratch();
  const out = scratch.u[0];
  for (let i = 0; i < bytes; i++) {
    const j = imm + i;
    out[i] = j < bytes ? u[n * 16 + j]! : u[m * 16 + j - bytes]!;
  }
  commit(c, d);
}

/** TBL/TBX: bytes of the len-register table starting at n (mod 32), indexed by m; out of range gives 0 (TBL) or keeps d (TBX). */
export function tableLookup(c: CpuState, d: number, n: number, m: number, len: number, bytes: number, keep: number): void {
  const u = views(c).u[0];
  clearScratch();
  const out = scratch.u[0];
  for (let i = 0; i < bytes; i++) {
    const x = u[m * 16 + i]!;
    if (x < len * 16) out[i] = u[((n + (x >> 4)) % 32) * 16 + (x & 15)]!;
    else if (keep) out[i] = u[d * 16 + i]!;
  }
  commit(c, d);
}

/** REV16/32/64: reverse the elements of `size` within containers of 2^container bytes. */
export function reverse(c: CpuState, d: number, n: number, size: number, container: number, bytes: number): void {
  const u = views(c).u[0];
  clearScratch();
  const out = scratch.u[0];
  const esize = 1 << size;
  for (let i = 0; i < bytes; i++) {
    const base = i & ~(container - 1);
    const within = i - base;
    const e = Math.floor(within / esize), b = within % esize;
    const from = base + (container / esize - 1 - e) * esize + b;
    out[i] = u[n * 16 + from]!;
  }
  commit(c, d);
}
