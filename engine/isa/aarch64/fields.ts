// A64 instruction fields, as bit scatters (see ../bit-fields.ts).

import type { Field, Segment } from '../bit-fields';

export { extract, fieldMask, fieldWidth, fits, insert, type Field, type Segment } from '../bit-fields';

const u = (...segments: Segment[]): Field => ({ segments, signed: false });
const s = (...segments: Segment[]): Field => ({ segments, signed: true });

export const fields = {
  sf: u([31, 31, 0]),
  q: u([30, 30, 0]),
  size: u([31, 30, 0]),
  rd: u([4, 0, 0]),
  rt: u([4, 0, 0]),
  rn: u([9, 5, 0]),
  rm: u([20, 16, 0]),
  rs: u([20, 16, 0]),
  ra: u([14, 10, 0]),
  rt2: u([14, 10, 0]),
  // The odd registers of CASP's even pairs.
  rsPair: { segments: [[20, 16, 0]], signed: false, bias: 1 },
  rtPair: { segments: [[4, 0, 0]], signed: false, bias: 1 },
  // Data processing.
  imm12: u([21, 10, 0]),
  sh: u([22, 22, 0]),
  n: u([22, 22, 0]),
  immr: u([21, 16, 0]),
  imms: u([15, 10, 0]),
  hw: u([22, 21, 0]),
  imm16: u([20, 5, 0]),
  udf16: u([15, 0, 0]),
  shift: u([23, 22, 0]),
  imm6: u([15, 10, 0]),
  option: u([15, 13, 0]),
  imm3: u([12, 10, 0]),
  cond: u([15, 12, 0]),
  nzcv: u([3, 0, 0]),
  imm5: u([20, 16, 0]),
  adr: s([23, 5, 2], [30, 29, 0]),
  adrp: s([23, 5, 14], [30, 29, 12]),
  // Loads and stores: scaled offsets are byte offsets.
  uoff0: u([21, 10, 0]),
  uoff1: u([21, 10, 1]),
  uoff2: u([21, 10, 2]),
  uoff3: u([21, 10, 3]),
  uoff4: u([21, 10, 4]),
  imm9: s([20, 12, 0]),
  poff2: s([21, 15, 2]),
  poff3: s([21, 15, 3]),
  poff4: s([21, 15, 4]),
  ldS: u([12, 12, 0]),
  // Branches.
  br26: s([25, 0, 2]),
  br19: s([23, 5, 2]),
  br14: s([18, 5, 2]),
  bitpos: u([31, 31, 5], [23, 19, 0]),
  // System.
  sysreg: u([20, 5, 0]),
  op1: u([18, 16, 0]),
  crn: u([15, 12, 0]),
  crm: u([11, 8, 0]),
  op2: u([7, 5, 0]),
  hint: u([11, 5, 0]),
  // SIMD modified immediate: a:b:c:d:e:f:g:h.
  imm8: u([18, 16, 5], [9, 5, 0]),
  cmode: u([15, 12, 0]),
  // Scalar FMOV (immediate): the 8-bit encoded constant.
  fpimm8: u([20, 13, 0]),
  op: u([29, 29, 0]),
  // Advanced SIMD: element size, shift immediates by element size (immh's
  // leading one fixed by the row), element indexes by element size.
  vsize: u([23, 22, 0]),
  vrm4: u([19, 16, 0]),
  shB: u([18, 16, 0]),
  shH: u([19, 16, 0]),
  shS: u([20, 16, 0]),
  shD: u([21, 16, 0]),
  i5B: u([20, 17, 0]),
  i5H: u([20, 18, 0]),
  i5S: u([20, 19, 0]),
  i5D: u([20, 20, 0]),
  i4B: u([14, 11, 0]),
  i4H: u([14, 12, 0]),
  i4S: u([14, 13, 0]),
  i4D: u([14, 14, 0]),
  ixH: u([11, 11, 2], [21, 20, 0]),
  ixS: u([11, 11, 1], [21, 21, 0]),
  ixD: u([11, 11, 0]),
  extImm: u([14, 11, 0]),
  // Structure loads and stores: the lane index is Q:S:size, scaled by the element.
  lnB: u([30, 30, 3], [12, 10, 0]),
  lnH: u([30, 30, 2], [12, 11, 0]),
  lnS: u([30, 30, 1], [12, 12, 0]),
  lnD: u([30, 30, 0]),
  lsize: u([11, 10, 0]),
} as const satisfies Record<string, Field>;

export type FieldName = keyof typeof fields;
