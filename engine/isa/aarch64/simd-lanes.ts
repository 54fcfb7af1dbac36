// Lane access for the Advanced SIMD semantics: typed views over the V
// registers (c.v, four little-endian words per register), so that lane i of
// element size 8 << size in register r is view[size][r * (16 >> size) + i].
// Results are built in a scratch register and written back whole, which makes
// every instruction correct when its destination is also a source, and clears
// the bits above the result as the architecture does.

import type { CpuState } from './cpu';

export type Signed = readonly [Int8Array, Int16Array, Int32Array, BigInt64Array];
export type Unsigned = readonly [Uint8Array, Uint16Array, Uint32Array, BigUint64Array];

export interface LaneViews {
  readonly s: Signed;
  readonly u: Unsigned;
}

export function laneViews(words: Int32Array): LaneViews {
  const b = words.buffer;
  const at = words.byteOffset;
  const n = words.byteLength;
  return {
    s: [new Int8Array(b, at, n), new Int16Array(b, at, n / 2), new Int32Array(b, at, n / 4), new BigInt64Array(b, at, n / 8)],
    u: [new Uint8Array(b, at, n), new Uint16Array(b, at, n / 2), new Uint32Array(b, at, n / 4), new BigUint64Array(b, at, n / 8)],
  };
}

const viewCache = new WeakMap<Int32Array, LaneViews>();
/** The last CPU's registers and views: one CPU usually runs many instructions in a row. */
let lastWords: Int32Array | undefined;
let lastViews: LaneViews | undefined;

/** The lane views of a CPU's V registers. */
export function views(c: CpuState): LaneViews {
  if (c.v === lastWords) return lastViews!;
  let v = viewCache.get(c.v);
  if (!v) {
    v = laneViews(c.v);
    viewCache.set(c.v, v);
  }
  lastWords = c.v;
  lastViews = v;
  return v;
}

/** Two scratch registers (results, and a concatenation of two sources). */
export const scratchWords = new Int32Array(12);
export const scratch = laneViews(scratchWords);

/** Clears the scratch result register. */
export function clearScratch(): void {
  scratchWords[0] = 0;
  scratchWords[1] = 0;
  scratchWords[2] = 0;
  scratchWords[3] = 0;
}

/** Writes the scratch result register to V[d]. */
export function commit(c: CpuState, d: number): void {
  const v = c.v, i = d * 4;
  v[i] = scratchWords[0]!;
  v[i + 1] = scratchWords[1]!;
  v[i + 2] = scratchWords[2]!;
  v[i + 3] = scratchWords[3]!;
}

/** FPSR.QC: the cumulative saturation bit. */
const QC = 1n << 27n;

/** Whether an instruction saturated; set by the saturating helpers, folded into FPSR.QC after it. */
export const saturation = { hit: false };

export function noteSaturation(c: CpuState): void {
  if (saturation.hit) {
    c.sr.fpsr |= QC;
    saturation.hit = false;
  }
}

// ---- saturation --------------------------------------------------------------------------

/** The largest signed and unsigned values of 8-, 16- and 32-bit lanes, by width: a lookup, as these run per lane. */
const SIGNED_MAX = [0, 127, 32767, 0, 2147483647];
const UNSIGNED_MAX = [0, 255, 65535, 0, 4294967295];

/** Saturation of a lane of up to 32 bits held as a JS number. */
export function satS(v: number, bits: number): number {
  const max = SIGNED_MAX[bits >> 3]!;
  if (v > max) { saturation.hit = true; return max; }
  if (v < -max - 1) { saturation.hit = true; return -max - 1; }
  return v;
}

export function satU(v: number, bits: number): number {
  const max = UNSIGNED_MAX[bits >> 3]!;
  if (v > max) { saturation.hit = true; return max; }
  if (v < 0) { saturation.hit = true; return 0; }
  return v;
}

export function satSb(v: bigint, bits: number): bigint {
  const max = (1n << BigInt(bits - 1)) - 1n;
  if (v > max) { saturation.hit = true; return max; }
  if (v < -max - 1n) { saturation.hit = true; return -max - 1n; }
  return v;
}

export function satUb(v: bigint, bits: number): bigint {
  const max = (1n << BigInt(bits)) - 1n;
  if (v > max) { saturation.hit = true; return max; }
  if (v < 0n) { saturation.hit = true; return 0n; }
  return v;
}
