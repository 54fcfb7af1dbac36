// riscv64's instruction fields, as bit scatters (see ../bit-fields.ts).

import type { Field, Segment } from '../bit-fields';

export { extract, fieldAlignShift, fieldWidth, fits, insert, type Field, type Segment } from '../bit-fields';

const f = (signed: boolean, ...segments: Segment[]): Field => ({ segments, signed });

export const fields = {
  rd: f(false, [11, 7, 0]),
  rs1: f(false, [19, 15, 0]),
  rs2: f(false, [24, 20, 0]),
  rs3: f(false, [31, 27, 0]),
  rm: f(false, [14, 12, 0]),
  immI: f(true, [31, 20, 0]),
  immS: f(true, [31, 25, 5], [11, 7, 0]),
  immB: f(true, [31, 31, 12], [7, 7, 11], [30, 25, 5], [11, 8, 1]),
  immU: f(true, [31, 12, 12]),
  immJ: f(true, [31, 31, 20], [19, 12, 12], [20, 20, 11], [30, 21, 1]),
  shamt6: f(false, [25, 20, 0]),
  shamt5: f(false, [24, 20, 0]),
  csr: f(false, [31, 20, 0]),
  zimm: f(false, [19, 15, 0]),
  aq: f(false, [26, 26, 0]),
  rl: f(false, [25, 25, 0]),
  pred: f(false, [27, 24, 0]),
  succ: f(false, [23, 20, 0]),
  // Compressed forms.
  cRd: f(false, [11, 7, 0]),
  cRs2: f(false, [6, 2, 0]),
  cRdP: { segments: [[4, 2, 0]], signed: false, bias: 8 },
  cRs1P: { segments: [[9, 7, 0]], signed: false, bias: 8 },
  cImm6: f(true, [12, 12, 5], [6, 2, 0]),
  cUimm6: f(false, [12, 12, 5], [6, 2, 0]),
  cLui: f(true, [12, 12, 17], [6, 2, 12]),
  cAddi16sp: f(true, [12, 12, 9], [6, 6, 4], [5, 5, 6], [4, 3, 7], [2, 2, 5]),
  cAddi4spn: f(false, [12, 11, 4], [10, 7, 6], [6, 6, 2], [5, 5, 3]),
  cLw: f(false, [12, 10, 3], [6, 6, 2], [5, 5, 6]),
  cLd: f(false, [12, 10, 3], [6, 5, 6]),
  cLwsp: f(false, [12, 12, 5], [6, 4, 2], [3, 2, 6]),
  cLdsp: f(false, [12, 12, 5], [6, 5, 3], [4, 2, 6]),
  cSwsp: f(false, [12, 9, 2], [8, 7, 6]),
  cSdsp: f(false, [12, 10, 3], [9, 7, 6]),
  cJ: f(true, [12, 12, 11], [11, 11, 4], [10, 9, 8], [8, 8, 10], [7, 7, 6], [6, 6, 7], [5, 3, 1], [2, 2, 5]),
  cB: f(true, [12, 12, 8], [11, 10, 3], [6, 5, 6], [4, 3, 1], [2, 2, 5]),
} as const satisfies Record<string, Field>;

export type FieldName = keyof typeof fields;
