// Operands for the floating-point differential tests: a reproducible stream
// biased to where implementations go wrong (zeros, infinities, quiet and
// signalling NaNs with payloads, denormals, the ends of the normal range,
// halfway points, integers near conversion limits) and pairs and triples
// shaped to cancel or to land near a rounding boundary.

import { Lcg } from '../../oracle/corner-values';

export type Width = 16 | 32 | 64;

export interface Shape {
  readonly width: Width;
  readonly ebits: number;
  readonly fbits: number;
  readonly bias: number;
}

export const SHAPES: Record<Width, Shape> = {
  16: { width: 16, ebits: 5, fbits: 10, bias: 15 },
  32: { width: 32, ebits: 8, fbits: 23, bias: 127 },
  64: { width: 64, ebits: 11, fbits: 52, bias: 1023 },
};

const pack = (s: Shape, sign: boolean, biased: number, frac: bigint): bigint =>
  (sign ? 1n << BigInt(s.width - 1) : 0n) | (BigInt(biased) << BigInt(s.fbits)) | (frac & ((1n << BigInt(s.fbits)) - 1n));

/** The value 2^e * (1 + frac / 2^fbits) in the format, or its nearest finite neighbour inward. */
const pow2 = (s: Shape, e: number, frac = 0n): bigint => pack(s, false, Math.max(1, Math.min(e + s.bias, (1 << s.ebits) - 2)), frac);

/** The corner values of a format, both signs. */
export function corners(s: Shape): bigint[] {
  const top = (1 << s.ebits) - 1;
  const fmask = (1n << BigInt(s.fbits)) - 1n;
  const quiet = 1n << BigInt(s.fbits - 1);
  const half = quiet;
  const pos = [
    0n, pack(s, false, top, 0n),
    pack(s, false, top, quiet), pack(s, false, top, quiet | 1n), pack(s, false, top, fmask), pack(s, false, top, 1n), pack(s, false, top, quiet - 1n),
    1n, fmask, fmask - 1n, half, pack(s, false, 1, 0n), pack(s, false, 1, 1n), pack(s, false, top - 1, fmask), pack(s, false, top - 1, 0n),
    pow2(s, 0), pow2(s, 0, 1n), pow2(s, -1, fmask), pow2(s, 1), pow2(s, -1), pow2(s, 0, half), pow2(s, 1, half >> 1n), pow2(s, 1, half | (half >> 1n)),
    pow2(s, 15), pow2(s, 15, fmask), pow2(s, 16), pow2(s, 31), pow2(s, 30, fmask), pow2(s, 32), pow2(s, 31, fmask), pow2(s, 63), pow2(s, 62, fmask),
    pow2(s, 64), pow2(s, 63, fmask), pow2(s, s.fbits), pow2(s, s.fbits - 1, fmask), pow2(s, s.fbits + 1), pow2(s, -s.bias + 1, 0n),
  ];
  return [...new Set([...pos, ...pos.map((v) => v | (1n << BigInt(s.width - 1)))])];
}

export class FloatOperands {
  private readonly rng: Lcg;
  private readonly cornerList: bigint[];

  constructor(readonly shape: Shape, seed: bigint) {
    this.rng = new Lcg(seed);
    this.cornerList = corners(shape);
  }

  private int(n: number): number {
    return Number(this.rng.next() % BigInt(n));
  }

  private fraction(): bigint {
    const s = this.shape;
    const r = this.rng.next() & ((1n << BigInt(s.fbits)) - 1n);
    const low = BigInt(Math.max(1, this.int(s.fbits)));
    const lowMask = (1n << low) - 1n;
    switch (this.int(6)) {
      case 0: return r & ~lowMask; // short significand: exact results, ties
      case 1: return (r & ~lowMask) | (1n << (low - 1n)); // a halfway pattern
      case 2: return r | lowMask; // just below a boundary
      default: return r;
    }
  }

  /** One value: a corner a quarter of the time, else sign, exponent class and fraction drawn apart. */
  value(): bigint {
    const s = this.shape;
    if (this.int(4) === 0) return this.cornerList[this.int(this.cornerList.length)]!;
    const sign = this.int(2) === 1;
    const top = (1 << s.ebits) - 1;
    let biased: number;
    switch (this.int(8)) {
      case 0: biased = 0; break; // denormal (or zero)
      case 1: biased = 1 + this.int(3); break; // the smallest normals
      case 2: biased = top - 1 - this.int(3); break; // the largest
      case 3: biased = top; break; // infinity or a NaN with a payload
      case 4: biased = s.bias + this.int(Math.min(66, s.bias)); break; // integer-sized
      default: biased = 1 + this.int(top - 1);
    }
    return pack(s, sign, biased, this.fraction());
  }

  /** A value near `v`: the same or a nearby exponent, a few ulps off, of either sign. */
  near(v: bigint): bigint {
    const s = this.shape;
    const mag = v & ((1n << BigInt(s.width - 1)) - 1n);
    const sign = this.int(2) === 1;
    const expShift = BigInt(this.int(4) === 0 ? this.int(s.fbits + 4) : this.int(3)) << BigInt(s.fbits);
    let m = this.int(2) === 0 ? mag - expShift : mag + expShift;
    m += BigInt(this.int(9) - 4);
    const inf = BigInt((1 << s.ebits) - 1) << BigInt(s.fbits);
    if (m < 0n) m = 0n;
    if (m > inf) m = inf;
    return pack(s, sign, 0, 0n) | m;
  }

  /** A normal value of either sign with a biased exponent in [lo, lo + span). */
  private scaled(lo: number, span: number): bigint {
    return pack(this.shape, this.int(2) === 1, lo + this.int(span), this.fraction());
  }

  pair(): [bigint, bigint] {
    const s = this.shape;
    switch (this.int(8)) {
      case 0: {
        // One operand near the smallest normal, the other near one: results at the edge of underflow.
        const tiny = this.scaled(1, 2), one = this.scaled(s.bias - 1, 2);
        return this.int(2) === 0 ? [tiny, one] : [one, tiny];
      }
      case 1: {
        // Near the largest normal and near one: results at the edge of overflow.
        const big = this.scaled((1 << s.ebits) - 3, 2), one = this.scaled(s.bias - 1, 2);
        return [big, one];
      }
      case 2: {
        const a = this.value();
        return [a, this.near(a)];
      }
      case 3: {
        // (1 + k/2^fbits) * 2^emin times 1 - k/2^fbits: just under 2^emin, within the
        // window where tininess before rounding and after rounding disagree.
        const k = BigInt(1 + this.int(8)), fmask = (1n << BigInt(s.fbits)) - 1n;
        return [pack(s, this.int(2) === 1, 1, k), pack(s, this.int(2) === 1, s.bias - 1, fmask + 1n - 2n * k)];
      }
      default: return [this.value(), this.value()];
    }
  }

  /** Three operands; `product` (when given) computes a * b roughly, for an addend that cancels it. */
  triple(product?: (a: bigint, b: bigint) => bigint): [bigint, bigint, bigint] {
    const [a, b] = this.pair();
    if (product !== undefined && this.int(2) === 0) {
      const c = this.near(product(a, b) ^ (1n << BigInt(this.shape.width - 1)));
      return [a, b, this.int(2) === 0 ? c : product(a, b) ^ (1n << BigInt(this.shape.width - 1))];
    }
    return [a, b, this.value()];
  }

  /** A 64-bit integer shaped like the interesting ones: near powers of two, small, or random. */
  integer(): bigint {
    const v = this.rng.next();
    switch (this.int(5)) {
      case 0: return BigInt.asUintN(64, (1n << BigInt(this.int(64))) + BigInt(this.int(5) - 2));
      case 1: return BigInt.asUintN(64, -BigInt(this.int(100)));
      case 2: return v >> BigInt(this.int(64));
      case 3: return BigInt.asUintN(64, BigInt.asIntN(32, v));
      default: return v;
    }
  }
}
