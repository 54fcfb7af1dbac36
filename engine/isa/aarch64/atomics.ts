// Exclusives and ARMv8.1 atomics on RAM. Values up to 8 bytes travel as a
// low word (the return value) and a high word (c.hi32); pairs use `words`.
// All of them need an aligned address in RAM: anything else is an alignment
// fault or an external abort, reported before memory changes.

import type { CpuState } from './cpu';
import { Access } from './mmu';

export const enum AmoOp { add, clr, eor, set, smax, smin, umax, umin, swp }

/** Where pair loads leave their four words (element 0 low/high, element 1 low/high; 32-bit elements use 0 and 1). */
export const words = new Int32Array(4);

function read(c: CpuState, off: number, size: number): bigint {
  const u8 = c.memory.ram.u8;
  let v = 0n;
  for (let k = size - 1; k >= 0; k--) v = (v << 8n) | BigInt(u8[off + k]!);
  return v;
}

function write(c: CpuState, off: number, size: number, value: bigint): void {
  const ram = c.memory.ram;
  if (c.monitor.count) c.monitor.clobber(ram.base + off, size);
  for (let k = 0; k < size; k++) ram.u8[off + k] = Number((value >> BigInt(8 * k)) & 0xffn);
  c.memory.noteRamWrite(off, size);
}

const operand = (lo: number, hi: number, size: number): bigint => BigInt.asUintN(size * 8, (BigInt(hi) << 32n) | BigInt(lo >>> 0));

/** The low word of a value; its high word goes to c.hi32. */
function result(c: CpuState, value: bigint): number {
  c.hi32 = Number(BigInt.asIntN(32, value >> 32n));
  return Number(BigInt.asIntN(32, value));
}

export function loadExclusive(c: CpuState, a: number, size: number): number {
  const off = c.ramOffsetFor(a, size, Access.read);
  if (off < 0) return 0;
  c.monitor.reserve(c.id, c.memory.ram.base + off);
  return result(c, read(c, off, size));
}

/** 0 when the store happened, 1 when the reservation was lost. Either way the monitor is cleared. */
export function storeExclusive(c: CpuState, a: number, size: number, lo: number, hi: number): number {
  const off = c.ramOffsetFor(a, size, Access.write);
  if (off < 0) return 0;
  const ok = c.monitor.holds(c.id, c.memory.ram.base + off);
  c.monitor.release(c.id);
  if (ok) write(c, off, size, operand(lo, hi, size));
  return ok ? 0 : 1;
}

/** LDXP/LDAXP of two `size`-byte elements, aligned to the pair, into `words`. */
export function loadExclusivePair(c: CpuState, a: number, size: number): void {
  const off = c.ramOffsetFor(a, 2 * size, Access.read);
  if (off < 0) return;
  c.monitor.reserve(c.id, c.memory.ram.base + off);
  pairWords(read(c, off, size), read(c, off + size, size), size);
}

/** Two elements into `words`: four words for 8-byte elements, two for 4-byte ones. */
function pairWords(first: bigint, second: bigint, size: number): void {
  if (size === 8) {
    words[0] = Number(BigInt.asIntN(32, first));
    words[1] = Number(BigInt.asIntN(32, first >> 32n));
    words[2] = Number(BigInt.asIntN(32, second));
    words[3] = Number(BigInt.asIntN(32, second >> 32n));
  } else {
    words[0] = Number(BigInt.asIntN(32, first));
    words[1] = Number(BigInt.asIntN(32, second));
  }
}

export function storeExclusivePair(c: CpuState, a: number, size: number, l1: number, h1: number, l2: number, h2: number): number {
  const off = c.ramOffsetFor(a, 2 * size, Access.write);
  if (off < 0) return 0;
  const ok = c.monitor.holds(c.id, c.memory.ram.base + off);
  c.monitor.release(c.id);
  if (ok) {
    write(c, off, size, operand(l1, h1, size));
    write(c, off + size, size, operand(l2, h2, size));
  }
  return ok ? 0 : 1;
}

/** CAS: store `new` if memory equals `cmp`; returns the old value. */
export function compareAndSwap(c: CpuState, a: number, size: number, cl: number, ch: number, nl: number, nh: number): number {
  const off = c.ramOffsetFor(a, size, Access.write);
  if (off < 0) return 0;
  const old = read(c, off, size);
  if (old === operand(cl, ch, size)) write(c, off, size, operand(nl, nh, size));
  return result(c, old);
}

/**
 * CASP: store the pair (n1, n2) if the `size`-byte elements at `a` and `a + size`
 * equal (c1, c2); the pair must be aligned to its whole size. The old pair goes
 * to `words` as a pair load leaves it. A failed compare still needs write permission.
 */
export function compareAndSwapPair(
  c: CpuState, a: number, size: number, c1l: number, c1h: number, c2l: number, c2h: number, n1l: number, n1h: number, n2l: number, n2h: number,
): void {
  const off = c.ramOffsetFor(a, 2 * size, Access.write);
  if (off < 0) return;
  const first = read(c, off, size), second = read(c, off + size, size);
  if (first === operand(c1l, c1h, size) && second === operand(c2l, c2h, size)) {
    write(c, off, size, operand(n1l, n1h, size));
    write(c, off + size, size, operand(n2l, n2h, size));
  }
  pairWords(first, second, size);
}

function combine(op: AmoOp, old: bigint, v: bigint, bits: number): bigint {
  switch (op) {
    case AmoOp.add: return old + v;
    case AmoOp.clr: return old & ~v;
    case AmoOp.eor: return old ^ v;
    case AmoOp.set: return old | v;
    case AmoOp.smax: return BigInt.asIntN(bits, old) > BigInt.asIntN(bits, v) ? old : v;
    case AmoOp.smin: return BigInt.asIntN(bits, old) < BigInt.asIntN(bits, v) ? old : v;
    case AmoOp.umax: return old > v ? old : v;
    case AmoOp.umin: return old < v ? old : v;
    case AmoOp.swp: return v;
  }
}

/** LD<op>/SWP: memory = old op value; returns the old value (zero-extended from `size`). */
export function atomic(c: CpuState, op: AmoOp, a: number, size: number, lo: number, hi: number): number {
  const off = c.ramOffsetFor(a, size, Access.write);
  if (off < 0) return 0;
  const old = read(c, off, size);
  write(c, off, size, BigInt.asUintN(size * 8, combine(op, old, operand(lo, hi, size), size * 8)));
  return result(c, old);
}
