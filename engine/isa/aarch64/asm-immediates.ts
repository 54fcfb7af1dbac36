// Immediates that are not a plain field: logical (bitmask) immediates and
// the single-instruction moves gas makes of `mov Rd, #imm`.

import { decodeBitMask } from './table';

export interface BitMask {
  readonly n: number;
  readonly immr: number;
  readonly imms: number;
}

const ones = (bits: number): bigint => (1n << BigInt(bits)) - 1n;

/** A value of `width` bits: the low bits of `v`, if `v` fits unsigned or as a negative number. */
export function toWidth(v: bigint, width: 32 | 64): bigint | undefined {
  if (width === 64) return BigInt.asUintN(64, v);
  if (v > ones(32) || v < -(1n << 31n)) return undefined;
  return BigInt.asUintN(32, v);
}

/**
 * The N:immr:imms encoding of a logical immediate: the value must repeat a
 * power-of-two element that is a rotated run of ones. The smallest element
 * is the one encoding there is.
 */
export function encodeBitMask(value: bigint, width: 32 | 64): BitMask | undefined {
  let size: number = width;
  // Halve the element while both halves are equal.
  while (size > 2) {
    const half = size / 2;
    if ((value & ones(half)) !== ((value >> BigInt(half)) & ones(half))) break;
    size = half;
  }
  const element = value & ones(size);
  let count = 0;
  for (let bit = 0; bit < size; bit++) if ((element >> BigInt(bit)) & 1n) count++;
  if (count === 0 || count === size) return undefined;
  const run = ones(count);
  // Rotate right until the run sits at bit 0; the rotation back is immr.
  for (let r = 0; r < size; r++) {
    const rotated = r === 0 ? element : ((element >> BigInt(r)) | (element << BigInt(size - r))) & ones(size);
    if (rotated !== run) continue;
    const immr = (size - r) % size;
    const imms = ((-size << 1) & 0x3f) | (count - 1);
    const mask: BitMask = { n: size === 64 ? 1 : 0, immr, imms };
    return decodeBitMask(mask.n, mask.imms, mask.immr, width) === value ? mask : undefined;
  }
  return undefined;
}

export type WideMove =
  | { readonly op: 'movz' | 'movn'; readonly imm: number; readonly hw: number }
  | { readonly op: 'orr'; readonly mask: BitMask };

/** One 16-bit chunk at a multiple of 16 holding every set bit of `v`, if there is one. */
function singleChunk(v: bigint, width: 32 | 64): { imm: number; hw: number } | undefined {
  for (let hw = 0; hw < width / 16; hw++) {
    const shift = BigInt(16 * hw);
    if ((v & ~(0xffffn << shift)) === 0n) return { imm: Number(v >> shift), hw };
  }
  return undefined;
}

/**
 * gas's choice for `mov Rd, #value`: MOVZ, else MOVN, else ORR with a
 * bitmask. Register 31 is the zero register to MOVZ/MOVN but the stack
 * pointer to ORR, so it limits the choice.
 */
export function wideMove(value: bigint, width: 32 | 64, to: 'register' | 'zr' | 'sp'): WideMove | undefined {
  if (to !== 'sp') {
    const z = singleChunk(value, width);
    if (z) return { op: 'movz', ...z };
    const n = singleChunk(~value & ones(width), width);
    if (n) return { op: 'movn', ...n };
  }
  const mask = to === 'zr' ? undefined : encodeBitMask(value, width);
  return mask ? { op: 'orr', mask } : undefined;
}
