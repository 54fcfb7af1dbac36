// LR/SC and AMOs. The engine runs harts one at a time, so every AMO is atomic
// by construction; what needs care is alignment, permissions (an AMO needs
// write permission), and breaking other harts' reservations.

import { CAUSE } from './csr';
import { Access } from './mmu';
import type { Hart, ReservationSet } from './hart';

export const enum AmoKind { swap, add, xor, and, or, min, max, minu, maxu }

export const AMO_KINDS: Readonly<Record<string, AmoKind>> = {
  amoswap: AmoKind.swap, amoadd: AmoKind.add, amoxor: AmoKind.xor, amoand: AmoKind.and, amoor: AmoKind.or,
  amomin: AmoKind.min, amomax: AmoKind.max, amominu: AmoKind.minu, amomaxu: AmoKind.maxu,
};

/** Physical RAM byte offset for an atomic access, or -1 after raising the fault. */
function ramOffset(hart: Hart, a: number, size: number, access: Access): number {
  if (a % size !== 0) {
    hart.raise(access === Access.read ? CAUSE.loadMisaligned : CAUSE.storeMisaligned, a);
    return -1;
  }
  const pa = hart.translateFor(a, access);
  if (pa < 0) return -1;
  const ram = hart.memory.ram;
  if (!ram.contains(pa, size)) {
    hart.raise(access === Access.read ? CAUSE.loadAccessFault : CAUSE.storeAccessFault, a);
    return -1;
  }
  return pa - ram.base;
}

function combine(kind: AmoKind, a: bigint, b: bigint, bits: number): bigint {
  switch (kind) {
    case AmoKind.swap: return b;
    case AmoKind.add: return a + b;
    case AmoKind.xor: return a ^ b;
    case AmoKind.and: return a & b;
    case AmoKind.or: return a | b;
    case AmoKind.min: return BigInt.asIntN(bits, a) < BigInt.asIntN(bits, b) ? a : b;
    case AmoKind.max: return BigInt.asIntN(bits, a) > BigInt.asIntN(bits, b) ? a : b;
    case AmoKind.minu: return BigInt.asUintN(bits, a) < BigInt.asUintN(bits, b) ? a : b;
    case AmoKind.maxu: return BigInt.asUintN(bits, a) > BigInt.asUintN(bits, b) ? a : b;
  }
}

function readRam(hart: Hart, off: number, size: 4 | 8): bigint {
  const i32 = hart.memory.ram.i32;
  const lo = i32[off >>> 2]!;
  return size === 4 ? BigInt(lo) : (BigInt(i32[(off >>> 2) + 1]!) << 32n) | BigInt(lo >>> 0);
}

function writeRam(hart: Hart, reservations: ReservationSet, off: number, size: 4 | 8, value: bigint): void {
  const ram = hart.memory.ram;
  if (reservations.count) reservations.clobber(ram.base + off, size, hart);
  ram.i32[off >>> 2] = Number(BigInt.asIntN(32, value));
  if (size === 8) ram.i32[(off >>> 2) + 1] = Number(BigInt.asIntN(32, value >> 32n));
  hart.memory.noteRamWrite(off, size);
}

/** The low word of a loaded value; the high word (sign-extended for .w) goes to hart.hi32. */
function result(hart: Hart, value: bigint, size: 4 | 8): number {
  const lo = Number(BigInt.asIntN(32, value));
  hart.hi32 = size === 4 ? lo >> 31 : Number(BigInt.asIntN(32, value >> 32n));
  return lo;
}

const operand = (lo: number, hi: number, size: 4 | 8): bigint => (size === 4 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo >>> 0));

export function amo(hart: Hart, reservations: ReservationSet, kind: AmoKind, size: 4 | 8, a: number, bl: number, bh: number): number {
  const off = ramOffset(hart, a, size, Access.write);
  if (off < 0) return 0;
  const old = readRam(hart, off, size);
  writeRam(hart, reservations, off, size, combine(kind, old, operand(bl, bh, size), size * 8));
  return result(hart, old, size);
}

export function loadReserved(hart: Hart, reservations: ReservationSet, size: 4 | 8, a: number): number {
  const off = ramOffset(hart, a, size, Access.read);
  if (off < 0) return 0;
  reservations.reserve(hart, hart.memory.ram.base + off);
  return result(hart, readRam(hart, off, size), size);
}

/** 0 when the store happened, 1 when the reservation was lost. */
export function storeConditional(hart: Hart, reservations: ReservationSet, size: 4 | 8, a: number, bl: number, bh: number): number {
  const off = ramOffset(hart, a, size, Access.write);
  if (off < 0) return 0;
  const ok = hart.reservation === hart.memory.ram.base + off;
  reservations.release(hart);
  if (ok) writeRam(hart, reservations, off, size, operand(bl, bh, size));
  return ok ? 0 : 1;
}
