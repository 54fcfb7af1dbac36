// Structure loads and stores (LD1-LD4, ST1-ST4, LD1R-LD4R). Elements move one
// at a time in architectural order, straight between memory and the
// registers, so an access that faults part way leaves the elements before it
// done (registers written, memory stored), as QEMU leaves them; LD1/ST1 of
// whole registers move 8 bytes at a time from 8-byte aligned addresses, as
// consecutive little-endian elements may. A load clears the upper halves of 64-bit registers only once
// every element is in.

import type { CpuState } from './cpu';
import { views } from './simd-lanes';

/** One element of `size` (0..3) at `a` into lane `lane` of register r; false after a fault. */
function loadElement(c: CpuState, a: number, r: number, lane: number, size: number): boolean {
  const v = c.v;
  switch (size) {
    case 0: { const x = c.lbu(a); if (c.fault) return false; views(c).u[0][r * 16 + lane] = x; return true; }
    case 1: { const x = c.lhu(a); if (c.fault) return false; views(c).u[1][r * 8 + lane] = x; return true; }
    case 2: { const x = c.lw(a); if (c.fault) return false; v[r * 4 + lane] = x; return true; }
    default: {
      const lo = c.ld(a);
      if (c.fault) return false;
      v[r * 4 + lane * 2] = lo;
      v[r * 4 + lane * 2 + 1] = c.hi32;
      return true;
    }
  }
}

function storeElement(c: CpuState, a: number, r: number, lane: number, size: number): boolean {
  const v = c.v;
  switch (size) {
    case 0: c.sb(a, views(c).u[0][r * 16 + lane]!); break;
    case 1: c.sh(a, views(c).u[1][r * 8 + lane]!); break;
    case 2: c.sw(a, v[r * 4 + lane]!); break;
    default: c.sd(a, v[r * 4 + lane * 2]!, v[r * 4 + lane * 2 + 1]!);
  }
  return !c.fault;
}

function clearHigh(c: CpuState, t: number, regs: number): void {
  for (let i = 0; i < regs; i++) {
    const r = ((t + i) % 32) * 4;
    c.v[r + 2] = 0;
    c.v[r + 3] = 0;
  }
}

/** LDn/STn (multiple structures): `regs` registers from t (mod 32), `selem` elements a structure. */
export function multiple(c: CpuState, load: number, t: number, regs: number, selem: number, size: number, q: number, a: number): void {
  if (selem === 1 && (a & 7) === 0) {
    const dwords = q ? 2 : 1;
    for (let i = 0; i < regs; i++) {
      const r = ((t + i) % 32) * 2;
      for (let j = 0; j < dwords; j++, a += 8) {
        if (!(load ? loadElement(c, a, r >> 1, j, 3) : storeElement(c, a, r >> 1, j, 3))) return;
      }
    }
  } else {
    // Registers one after the other for LD1/ST1, structures interleaved otherwise.
    const elements = (q ? 16 : 8) >> size;
    const bytes = 1 << size;
    const rounds = selem === 1 ? regs : 1;
    for (let k = 0; k < rounds; k++) {
      for (let e = 0; e < elements; e++) {
        for (let s = 0; s < selem; s++, a += bytes) {
          const r = (t + k + s) % 32;
          if (!(load ? loadElement(c, a, r, e, size) : storeElement(c, a, r, e, size))) return;
        }
      }
    }
  }
  if (load && !q) clearHigh(c, t, regs);
}

/** LDn/STn (single structure): lane `lane` of `count` registers from t. */
export function single(c: CpuState, load: number, t: number, count: number, size: number, lane: number, a: number): void {
  const bytes = 1 << size;
  for (let s = 0; s < count; s++, a += bytes) {
    const r = (t + s) % 32;
    if (!(load ? loadElement(c, a, r, lane, size) : storeElement(c, a, r, lane, size))) return;
  }
}

/** LDnR: one structure, each element replicated across its register. */
export function replicate(c: CpuState, t: number, count: number, size: number, q: number, a: number): void {
  const bytes = 1 << size;
  const lanes = 16 >> size;
  for (let s = 0; s < count; s++, a += bytes) {
    const r = (t + s) % 32;
    if (!loadElement(c, a, r, 0, size)) return;
    const u = views(c).u;
    if (size === 3) for (let i = 1; i < lanes; i++) u[3][r * 2 + i] = u[3][r * 2]!;
    else {
      const lane = u[size] as Uint32Array;
      for (let i = 1; i < lanes; i++) lane[r * lanes + i] = lane[r * lanes]!;
    }
  }
  if (!q) clearHigh(c, t, count);
}
