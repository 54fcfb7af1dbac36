// Lane operations of the Advanced SIMD integer instructions, by name. Each
// has a bigint form that is exact for every element size and, where JS
// numbers are exact, a number form the drivers prefer (lanes of up to 32
// bits: sums stay below 2^34, products of 16-bit lanes below 2^32). Results
// are truncated to the element by the typed-array store.

import { unsignedRecipEstimate, unsignedRsqrtEstimate } from '../float';
import type { LaneOp } from './simd-drivers';
import { satS, satSb, satU, satUb } from './simd-lanes';

const op = (signed: boolean, big: LaneOp['big'], num?: LaneOp['num'], numMax = 2): LaneOp => (num ? { signed, big, num, numMax } : { signed, big });
/** The same operation on signed and on unsigned lanes. */
const su = (big: LaneOp['big'], num?: LaneOp['num'], numMax = 2): [LaneOp, LaneOp] => [op(true, big, num, numMax), op(false, big, num, numMax)];

const B = BigInt;
/** Powers of two by table: `2 ** k` with a variable k is slow in V8, and these run per lane. */
const POW2 = Float64Array.from({ length: 130 }, (_, i) => Math.pow(2, i));
const pow2 = (k: number): number => POW2[k]!;
const bigAbs = (v: bigint): bigint => (v < 0n ? -v : v);
const mul32 = (a: number, b: number, bits: number): number => (bits === 32 ? Math.imul(a, b) : a * b);

/** Shift by a signed register amount (its low byte), optionally rounding and saturating. */
function shiftBy(a: bigint, b: bigint, bits: number, signed: boolean, round: boolean, sat: boolean): bigint {
  const sh = Number(BigInt.asIntN(8, b));
  if (sh >= 0) {
    const r = a << B(sh);
    return sat ? (signed ? satSb(r, bits) : satUb(r, bits)) : r;
  }
  const s = B(-sh);
  const r = round ? (a + (1n << (s - 1n))) >> s : a >> s;
  return r;
}

/** The same shift on lanes of up to 32 bits as JS numbers: exact, since scaling by a power of two is. */
function shiftByNum(a: number, b: number, round: boolean): number {
  const sh = (b << 24) >> 24;
  if (sh >= 0) return a * pow2(sh);
  return Math.floor((round ? a + pow2(-sh - 1) : a) / pow2(-sh));
}

/** Carry-less multiply of two `bits`-bit values. */
function polyMul(a: bigint, b: bigint, bits: number): bigint {
  let r = 0n;
  for (let i = 0; i < bits; i++) if ((b >> B(i)) & 1n) r ^= a << B(i);
  return r;
}

const ops = {
  add: op(false, (a, b) => a + b, (a, b) => a + b),
  sub: op(false, (a, b) => a - b, (a, b) => a - b),
  mul: op(false, (a, b) => a * b, (a, b, _, bits) => mul32(a, b, bits)),
  mla: op(false, (a, b, d) => d + a * b, (a, b, d, bits) => d + mul32(a, b, bits)),
  mls: op(false, (a, b, d) => d - a * b, (a, b, d, bits) => d - mul32(a, b, bits)),
  pmul: op(false, (a, b, _, bits) => polyMul(a, b, bits)),
  and: op(false, (a, b) => a & b, (a, b) => a & b),
  bic: op(false, (a, b) => a & ~b, (a, b) => a & ~b),
  orr: op(false, (a, b) => a | b, (a, b) => a | b),
  orn: op(false, (a, b) => a | ~b, (a, b) => a | ~b),
  eor: op(false, (a, b) => a ^ b, (a, b) => a ^ b),
  bsl: op(false, (a, b, d) => (d & a) | (~d & b), (a, b, d) => (d & a) | (~d & b)),
  bit: op(false, (a, b, d) => (d & ~b) | (a & b), (a, b, d) => (d & ~b) | (a & b)),
  bif: op(false, (a, b, d) => (d & b) | (a & ~b), (a, b, d) => (d & b) | (a & ~b)),
  cmeq: op(false, (a, b) => (a === b ? -1n : 0n), (a, b) => (a === b ? -1 : 0)),
  cmtst: op(false, (a, b) => ((a & b) !== 0n ? -1n : 0n), (a, b) => ((a & b) !== 0 ? -1 : 0)),
  // Multiplies returning the high half, doubled, with saturation (only 16- and 32-bit lanes).
  sqdmulh: op(true, (a, b, _, bits) => satSb((2n * a * b) >> B(bits), bits), (a, b, _, bits) => satS(Math.floor((2 * a * b) / pow2(bits)), bits), 1),
  sqrdmulh: op(true, (a, b, _, bits) => satSb((2n * a * b + (1n << B(bits - 1))) >> B(bits), bits), (a, b, _, bits) => satS(Math.floor((2 * a * b + pow2(bits - 1)) / pow2(bits)), bits), 1),
  // Unary.
  abs: op(true, (a) => bigAbs(a), (a) => Math.abs(a)),
  neg: op(true, (a) => -a, (a) => -a),
  sqabs: op(true, (a, _, __, bits) => satSb(bigAbs(a), bits), (a, _, __, bits) => satS(Math.abs(a), bits)),
  sqneg: op(true, (a, _, __, bits) => satSb(-a, bits), (a, _, __, bits) => satS(-a, bits)),
  not: op(false, (a) => ~a, (a) => ~a),
  clz: op(false, (a, _, __, bits) => B(bits - a.toString(2).length + (a === 0n ? 1 : 0)), (a, _, __, bits) => Math.clz32(a) - (32 - bits)),
  cls: op(true, (a, _, __, bits) => {
    const u = (a ^ (a >> 1n)) & ((1n << B(bits - 1)) - 1n);
    return B(bits - 1 - (u === 0n ? 0 : u.toString(2).length));
  }, (a, _, __, bits) => Math.clz32((a ^ (a >> 1)) & (pow2(bits - 1) - 1)) - (33 - bits)),
  cnt: op(false, (a) => B(a.toString(2).replace(/0/g, '').length), (a) => {
    let n = 0;
    for (let x = a; x; x &= x - 1) n++;
    return n;
  }),
  rbit: op(false, (a) => a, (a) => {
    let r = 0;
    for (let i = 0; i < 8; i++) r |= ((a >> i) & 1) << (7 - i);
    return r;
  }),
  // Estimates on 32-bit lanes read as fractions in [0, 1); out of range they saturate to all ones.
  urecpe: op(false, (a) => B(unsignedRecipEstimate(Number(a)) >>> 0), (a) => unsignedRecipEstimate(a)),
  ursqrte: op(false, (a) => B(unsignedRsqrtEstimate(Number(a)) >>> 0), (a) => unsignedRsqrtEstimate(a)),
  cmgt0: op(true, (a) => (a > 0n ? -1n : 0n), (a) => (a > 0 ? -1 : 0)),
  cmge0: op(true, (a) => (a >= 0n ? -1n : 0n), (a) => (a >= 0 ? -1 : 0)),
  cmeq0: op(true, (a) => (a === 0n ? -1n : 0n), (a) => (a === 0 ? -1 : 0)),
  cmle0: op(true, (a) => (a <= 0n ? -1n : 0n), (a) => (a <= 0 ? -1 : 0)),
  cmlt0: op(true, (a) => (a < 0n ? -1n : 0n), (a) => (a < 0 ? -1 : 0)),
  // The accumulator is signed, the operand unsigned (SUQADD), or the other way round (USQADD).
  suqadd: op(true, (a, _, d, bits) => satSb(d + BigInt.asUintN(bits, a), bits), (a, _, d, bits) => satS(d + (a < 0 ? a + pow2(bits) : a), bits)),
  usqadd: op(false, (a, _, d, bits) => satUb(d + BigInt.asIntN(bits, a), bits), (a, _, d, bits) => satU(d + (a >= pow2(bits - 1) ? a - pow2(bits) : a), bits)),
  // Narrowing (the width is the narrow element's).
  xtn: op(false, (a) => a, (a) => a),
  sqxtn: op(true, (a, _, __, bits) => satSb(a, bits), (a, _, __, bits) => satS(a, bits)),
  uqxtn: op(false, (a, _, __, bits) => satUb(a, bits), (a, _, __, bits) => satU(a, bits)),
  sqxtun: op(true, (a, _, __, bits) => satUb(a, bits), (a, _, __, bits) => satU(a, bits)),
  addhn: op(false, (a, b, _, bits) => (a + b) >> B(bits), (a, b, _, bits) => Math.floor((a + b) / pow2(bits))),
  raddhn: op(false, (a, b, _, bits) => (a + b + (1n << B(bits - 1))) >> B(bits), (a, b, _, bits) => Math.floor((a + b + pow2(bits - 1)) / pow2(bits))),
  subhn: op(false, (a, b, _, bits) => (a - b) >> B(bits), (a, b, _, bits) => Math.floor((a - b) / pow2(bits))),
  rsubhn: op(false, (a, b, _, bits) => (a - b + (1n << B(bits - 1))) >> B(bits), (a, b, _, bits) => Math.floor((a - b + pow2(bits - 1)) / pow2(bits))),
  // Widening helpers where signedness does not matter.
  shll: op(false, (a, _, __, bits) => a << B(bits / 2), (a, _, __, bits) => a * pow2(bits / 2)),
  pmull: op(false, (a, b, _, bits) => polyMul(a, b, bits / 2)),
  // Shifts by immediate k; right shifts round where named so.
  shli: op(false, (a, _, __, ___, k) => a << B(k), (a, _, __, ___, k) => a * pow2(k)),
  sli: op(false, (a, _, d, __, k) => (a << B(k)) | (d & ((1n << B(k)) - 1n)), (a, _, d, __, k) => (a << k) | (d & (pow2(k) - 1))),
  sri: op(false, (a, _, d, bits, k) => (a >> B(k)) | (d & ~(((1n << B(bits)) - 1n) >> B(k))), (a, _, d, bits, k) => (k >= 32 ? d : (a >>> k) | (d & ~((pow2(bits) - 1) >>> k)))),
  sqshlu: op(true, (a, _, __, bits, k) => satUb(a << B(k), bits), (a, _, __, bits, k) => satU(a * pow2(k), bits)),
  xshrn: op(false, (a, _, __, ___, k) => a >> B(k), (a, _, __, ___, k) => Math.floor(a / pow2(k))),
  rshrn: op(false, (a, _, __, ___, k) => (a + (1n << B(k - 1))) >> B(k), (a, _, __, ___, k) => Math.floor((a + pow2(k - 1)) / pow2(k))),
  sqshrun: op(true, (a, _, __, bits, k) => satUb(a >> B(k), bits), (a, _, __, bits, k) => satU(Math.floor(a / pow2(k)), bits)),
  sqrshrun: op(true, (a, _, __, bits, k) => satUb((a + (1n << B(k - 1))) >> B(k), bits), (a, _, __, bits, k) => satU(Math.floor((a + pow2(k - 1)) / pow2(k)), bits)),
};

/** Signed and unsigned variants. */
const pairs = {
  hadd: su((a, b) => (a + b) >> 1n, (a, b) => Math.floor((a + b) / 2)),
  rhadd: su((a, b) => (a + b + 1n) >> 1n, (a, b) => Math.floor((a + b + 1) / 2)),
  hsub: su((a, b) => (a - b) >> 1n, (a, b) => Math.floor((a - b) / 2)),
  cmgt: su((a, b) => (a > b ? -1n : 0n), (a, b) => (a > b ? -1 : 0)),
  cmge: su((a, b) => (a >= b ? -1n : 0n), (a, b) => (a >= b ? -1 : 0)),
  max: su((a, b) => (a > b ? a : b), (a, b) => (a > b ? a : b)),
  min: su((a, b) => (a < b ? a : b), (a, b) => (a < b ? a : b)),
  abd: su((a, b) => bigAbs(a - b), (a, b) => Math.abs(a - b)),
  aba: su((a, b, d) => d + bigAbs(a - b), (a, b, d) => d + Math.abs(a - b)),
  addl: su((a, b) => a + b, (a, b) => a + b),
  subl: su((a, b) => a - b, (a, b) => a - b),
  mull: su((a, b) => a * b, (a, b) => a * b, 2),
  mlal: su((a, b, d) => d + a * b, (a, b, d) => d + a * b, 2),
  mlsl: su((a, b, d) => d - a * b, (a, b, d) => d - a * b, 2),
  addlp: su((a, b) => a + b, (a, b) => a + b),
  adalp: su((a, b, d) => d + a + b, (a, b, d) => d + a + b),
  shl: [op(true, (a, b, _, bits) => shiftBy(a, b, bits, true, false, false), (a, b) => shiftByNum(a, b, false)), op(false, (a, b, _, bits) => shiftBy(a, b, bits, false, false, false), (a, b) => shiftByNum(a, b, false))],
  rshl: [op(true, (a, b, _, bits) => shiftBy(a, b, bits, true, true, false), (a, b) => shiftByNum(a, b, true)), op(false, (a, b, _, bits) => shiftBy(a, b, bits, false, true, false), (a, b) => shiftByNum(a, b, true))],
  qshl: [op(true, (a, b, _, bits) => shiftBy(a, b, bits, true, false, true)), op(false, (a, b, _, bits) => shiftBy(a, b, bits, false, false, true))],
  qrshl: [op(true, (a, b, _, bits) => shiftBy(a, b, bits, true, true, true)), op(false, (a, b, _, bits) => shiftBy(a, b, bits, false, true, true))],
  qadd: [op(true, (a, b, _, bits) => satSb(a + b, bits), (a, b, _, bits) => satS(a + b, bits)), op(false, (a, b, _, bits) => satUb(a + b, bits), (a, b, _, bits) => satU(a + b, bits))],
  qsub: [op(true, (a, b, _, bits) => satSb(a - b, bits), (a, b, _, bits) => satS(a - b, bits)), op(false, (a, b, _, bits) => satUb(a - b, bits), (a, b, _, bits) => satU(a - b, bits))],
  qdmull: [op(true, (a, b, _, bits) => satSb(2n * a * b, bits)), op(true, (a, b, _, bits) => satSb(2n * a * b, bits))],
  qdmlal: [op(true, (a, b, d, bits) => satSb(d + satSb(2n * a * b, bits), bits)), op(true, (a, b, d, bits) => satSb(d + satSb(2n * a * b, bits), bits))],
  qdmlsl: [op(true, (a, b, d, bits) => satSb(d - satSb(2n * a * b, bits), bits)), op(true, (a, b, d, bits) => satSb(d - satSb(2n * a * b, bits), bits))],
  // Shifts by immediate k.
  shr: su((a, _, __, ___, k) => a >> B(k), (a, _, __, ___, k) => Math.floor(a / pow2(k))),
  sra: su((a, _, d, __, k) => d + (a >> B(k)), (a, _, d, __, k) => d + Math.floor(a / pow2(k))),
  rshr: su((a, _, __, ___, k) => (a + (1n << B(k - 1))) >> B(k), (a, _, __, ___, k) => Math.floor((a + pow2(k - 1)) / pow2(k))),
  rsra: su((a, _, d, __, k) => d + ((a + (1n << B(k - 1))) >> B(k)), (a, _, d, __, k) => d + Math.floor((a + pow2(k - 1)) / pow2(k))),
  qshli: [op(true, (a, _, __, bits, k) => satSb(a << B(k), bits)), op(false, (a, _, __, bits, k) => satUb(a << B(k), bits))],
  qshrn: [op(true, (a, _, __, bits, k) => satSb(a >> B(k), bits), (a, _, __, bits, k) => satS(Math.floor(a / pow2(k)), bits)), op(false, (a, _, __, bits, k) => satUb(a >> B(k), bits), (a, _, __, bits, k) => satU(Math.floor(a / pow2(k)), bits))],
  qrshrn: [op(true, (a, _, __, bits, k) => satSb((a + (1n << B(k - 1))) >> B(k), bits), (a, _, __, bits, k) => satS(Math.floor((a + pow2(k - 1)) / pow2(k)), bits)), op(false, (a, _, __, bits, k) => satUb((a + (1n << B(k - 1))) >> B(k), bits), (a, _, __, bits, k) => satU(Math.floor((a + pow2(k - 1)) / pow2(k)), bits))],
  shll: su((a, _, __, ___, k) => a << B(k), (a, _, __, ___, k) => a * pow2(k)),
  addv: su((a, b) => a + b, (a, b) => a + b),
} satisfies Record<string, readonly [LaneOp, LaneOp]>;

/** Every lane operation by the name the semantics use: `add`, or `smax` / `umax` for a signed/unsigned pair. */
export const laneOps: Readonly<Record<string, LaneOp>> = (() => {
  const out: Record<string, LaneOp> = { ...ops };
  for (const [name, [s, u]] of Object.entries(pairs)) {
    out[`s${name}`] = s;
    out[`u${name}`] = u;
  }
  return out;
})();
