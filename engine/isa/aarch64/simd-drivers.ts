// The shapes of Advanced SIMD integer instructions: how source lanes meet a
// lane operation and where its results go (lanewise, pairwise, widening,
// narrowing, across lanes). Each takes the lane operation of simd-ops.ts; the
// operation sees lane values read as its signedness says, the old destination
// lane (accumulating forms) and the element width in bits and the
// instruction's immediate k (a shift amount).

import type { CpuState } from './cpu';
import { clearScratch, commit, noteSaturation, scratch, views } from './simd-lanes';

export interface LaneOp {
  readonly signed: boolean;
  /** Exact on JS numbers for element sizes up to 8 << numMax bits (default 32). */
  readonly num?: (a: number, b: number, acc: number, bits: number, k: number) => number;
  readonly numMax?: number;
  readonly big: (a: bigint, b: bigint, acc: bigint, bits: number, k: number) => bigint;
}

const numeric = (op: LaneOp, size: number): boolean => op.num !== undefined && size <= (op.numMax ?? 2);

/** Stores `r` in scratch lane i of element size `size`. */
function putBig(size: number, i: number, r: bigint): void {
  if (size === 3) scratch.u[3][i] = BigInt.asUintN(64, r);
  else scratch.u[size]![i] = Number(BigInt.asUintN(8 << size, r));
}

function read(c: CpuState, op: LaneOp, size: number) {
  const v = views(c);
  return op.signed ? v.s[size]! : v.u[size]!;
}

/**
 * r[i] = op(n[i], m[i], d[i]) over `lanes` lanes; unary operations pass m = n.
 * The by-element forms pass the lane of m every lane uses as `mLane`.
 */
export function same(c: CpuState, op: LaneOp, d: number, n: number, m: number, size: number, lanes: number, k = 0, mLane = -1): void {
  clearScratch();
  const src = read(c, op, size);
  const per = 16 >> size;
  const mStep = mLane < 0 ? 1 : 0;
  const nb = n * per, mb = m * per + mLane * (1 - mStep), db = d * per;
  const bits = 8 << size;
  if (numeric(op, size)) {
    const s = src as Int32Array, out = scratch.u[size] as Uint32Array, f = op.num!;
    for (let i = 0; i < lanes; i++) out[i] = f(s[nb + i]!, s[mb + i * mStep]!, s[db + i]!, bits, k);
  } else {
    for (let i = 0; i < lanes; i++) putBig(size, i, op.big(BigInt(src[nb + i]!), BigInt(src[mb + i * mStep]!), BigInt(src[db + i]!), bits, k));
  }
  commit(c, d);
  noteSaturation(c);
}

/** Pairwise: the lanes of n then m, added (or compared) in adjacent pairs. */
export function pairwise(c: CpuState, op: LaneOp, d: number, n: number, m: number, size: number, lanes: number): void {
  clearScratch();
  const src = read(c, op, size);
  const per = 16 >> size;
  const bits = 8 << size;
  const half = lanes >> 1;
  for (let i = 0; i < lanes; i++) {
    const base = (i < half ? n * per : m * per - lanes) + 2 * i;
    if (numeric(op, size)) (scratch.u[size] as Uint32Array)[i] = op.num!(src[base] as number, src[base + 1] as number, 0, bits, 0);
    else putBig(size, i, op.big(BigInt(src[base]!), BigInt(src[base + 1]!), 0n, bits, 0));
  }
  commit(c, d);
}

/**
 * Widening: 8 >> size results of size + 1 from the lower (part 0) or upper
 * (part 1) half of n and m; with `wideN`, n is already wide (SADDW). The
 * scalar forms widen one lane; the by-element forms pass the lane of m as `mLane`.
 */
export function long(c: CpuState, op: LaneOp, d: number, n: number, m: number, size: number, part: number, wideN: number, k = 0, lanes = 8 >> size, mLane = -1): void {
  clearScratch();
  const narrow = read(c, op, size), wide = read(c, op, size + 1);
  const off = part * lanes;
  const nb = wideN ? n * (8 >> size) : n * (16 >> size) + off;
  const mStep = mLane < 0 ? 1 : 0;
  const mb = m * (16 >> size) + (mStep ? off : mLane);
  const db = d * (8 >> size);
  const nsrc = wideN ? wide : narrow;
  const bits = 16 << size;
  const wsize = size + 1;
  if (numeric(op, wsize)) {
    const out = scratch.u[wsize] as Uint32Array;
    for (let i = 0; i < lanes; i++) out[i] = op.num!(nsrc[nb + i] as number, narrow[mb + i * mStep] as number, wide[db + i] as number, bits, k);
  } else {
    for (let i = 0; i < lanes; i++) putBig(wsize, i, op.big(BigInt(nsrc[nb + i]!), BigInt(narrow[mb + i * mStep]!), BigInt(wide[db + i]!), bits, k));
  }
  commit(c, d);
  noteSaturation(c);
}

/**
 * Narrowing: 8 >> size results of `size` from the wide lanes of n and m,
 * written to the lower half of d (part 0, upper half cleared) or its upper
 * half (part 1, lower half kept). The operation sees the narrow width.
 * The scalar forms narrow one lane.
 */
export function narrow(c: CpuState, op: LaneOp, d: number, n: number, m: number, size: number, part: number, k = 0, lanes = 8 >> size): void {
  const v = views(c);
  clearScratch();
  const wide = op.signed ? v.s[size + 1]! : v.u[size + 1]!;
  const per = 8 >> size;
  const bits = 8 << size;
  if (part) {
    (scratch.u[3])[0] = v.u[3][d * 2]!;
  }
  const off = part * lanes;
  for (let i = 0; i < lanes; i++) {
    if (numeric(op, size + 1)) (scratch.u[size] as Uint32Array)[off + i] = op.num!(wide[n * per + i] as number, wide[m * per + i] as number, 0, bits, k);
    else putBig(size, off + i, op.big(BigInt(wide[n * per + i]!), BigInt(wide[m * per + i]!), 0n, bits, k));
  }
  commit(c, d);
  noteSaturation(c);
}

/** Across lanes: fold `lanes` lanes of n with op into a scalar of size + widen. */
export function across(c: CpuState, op: LaneOp, d: number, n: number, size: number, lanes: number, widen: number): void {
  clearScratch();
  const src = read(c, op, size);
  const base = n * (16 >> size);
  const rsize = size + widen;
  const bits = 8 << rsize;
  if (numeric(op, rsize)) {
    let r = src[base] as number;
    for (let i = 1; i < lanes; i++) r = op.num!(r, src[base + i] as number, 0, bits, 0);
    (scratch.u[rsize] as Uint32Array)[0] = r;
  } else {
    let r = BigInt(src[base]!);
    for (let i = 1; i < lanes; i++) r = op.big(r, BigInt(src[base + i]!), 0n, bits, 0);
    putBig(rsize, 0, r);
  }
  commit(c, d);
}

/** Pairwise widening (SADDLP, SADALP): lanes results of size + 1, each from two adjacent lanes of n. */
export function pairLong(c: CpuState, op: LaneOp, d: number, n: number, size: number, lanes: number): void {
  clearScratch();
  const src = read(c, op, size), acc = read(c, op, size + 1);
  const base = n * (16 >> size), db = d * (8 >> size);
  const bits = 16 << size;
  for (let i = 0; i < lanes; i++) {
    const a = src[base + 2 * i]!, b = src[base + 2 * i + 1]!;
    if (numeric(op, size + 1)) (scratch.u[size + 1] as Uint32Array)[i] = op.num!(a as number, b as number, acc[db + i] as number, bits, 0);
    else putBig(size + 1, i, op.big(BigInt(a), BigInt(b), BigInt(acc[db + i]!), bits, 0));
  }
  commit(c, d);
}
