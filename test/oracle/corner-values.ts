// Operand values for the per-instruction tests of both ISAs: the 64-bit
// corners every operand set starts from, and a reproducible generator.

const M64 = (1n << 64n) - 1n;
export const u64 = (v: bigint): bigint => v & M64;
export const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
export const hex = (v: bigint): string => `0x${u64(v).toString(16)}`;

/** The corner values every operand set starts from. */
export const CORNERS: readonly bigint[] = [
  0n, 1n, -1n, 2n, -2n,
  -(1n << 63n), (1n << 63n) - 1n,
  -(1n << 31n), (1n << 31n) - 1n,
  0xffffffffn, 0x80000000n, 0x7fffffffn, 0x100000000n,
  0x123456789abcdef0n, 0xfedcba9876543210n, 0xffffffff00000000n, 0x8000000000000001n,
];

/** A 64-bit LCG (Knuth's MMIX constants): reproducible operands, never Math.random. */
export class Lcg {
  private state: bigint;
  constructor(seed: bigint) {
    this.state = u64(seed);
  }
  next(): bigint {
    this.state = u64(this.state * 6364136223846793005n + 1442695040888963407n);
    // The low bits of a power-of-two LCG are weak; fold the high half in.
    return u64(this.state ^ (this.state >> 29n));
  }
  /** A value shaped like the interesting ones: full width, 32-bit, or small, of either sign. */
  shaped(): bigint {
    const v = this.next();
    switch (Number(v & 3n)) {
      case 0: return v;
      case 1: return BigInt.asIntN(32, v >> 8n);
      case 2: return BigInt.asIntN(12, v >> 20n);
      default: return BigInt.asUintN(32, v >> 16n);
    }
  }
}
