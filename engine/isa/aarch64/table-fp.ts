// The scalar floating-point rows of the A64 encoding table: FMOV (register,
// immediate, to and from general registers), FABS, FNEG and FCSEL. One row per
// precision: `.s` single, `.d` double. Half precision is the Armv8.2 FP16
// extension this CPU does not have, so its encodings stay unallocated. Row ids
// put the destination type first (`fmov.w.s` moves S to W).

import type { Row } from './table';

export type FpType = 's' | 'd';
/** The ftype field (bits 23..22) of each precision. */
export const FTYPE: Readonly<Record<FpType, number>> = { s: 0, d: 1 };
const ARITH: readonly FpType[] = ['s', 'd'];

const rows: Row[] = [];
/** Every row fixes ftype (bits 23..22). */
const def = (r: Row): void => void rows.push({ ...r, mask: r.mask | 0x00c00000 });
const ft = (t: FpType): number => FTYPE[t] << 22;

for (const t of ARITH) {
  // Data processing, one source: 000 11110 ftype 1 opcode 10000 Rn Rd.
  for (const [m, opcode] of [['fmov', 0], ['fabs', 1], ['fneg', 2]] as const) {
    def({
      id: `${m}.${t}`, mnemonic: m, group: 'fp', match: 0x1e204000 | ft(t) | (opcode << 15), mask: 0xfffffc00,
      operands: { rd: 'rd', rn: 'rn' }, syntax: `{${t}:rd}, {${t}:rn}`,
    });
  }
  // Conditional select: 000 11110 ftype 1 Rm cond 11 Rn Rd.
  def({
    id: `fcsel.${t}`, mnemonic: 'fcsel', group: 'fp', match: 0x1e200c00 | ft(t), mask: 0xff200c00,
    operands: { rd: 'rd', rn: 'rn', rm: 'rm', cond: 'cond' }, syntax: `{${t}:rd}, {${t}:rn}, {${t}:rm}, {cond:cond}`,
  });
  // Immediate: 000 11110 ftype 1 imm8 100 00000 Rd.
  def({
    id: `fmov.imm.${t}`, mnemonic: 'fmov', group: 'fp', match: 0x1e201000 | ft(t), mask: 0xff201fe0,
    operands: { rd: 'rd', imm: 'fpimm8' }, syntax: `{${t}:rd}, {fpimm:imm}`,
  });
}

// FMOV between a general register and an FP register of the same width:
// sf 00 11110 ftype 1 00 11x 000000 Rn Rd (opcode 110 to general, 111 from it).
for (const [r, t, match] of [['w', 's', 0x1e260000], ['x', 'd', 0x9e660000]] as const) {
  def({ id: `fmov.${r}.${t}`, mnemonic: 'fmov', group: 'fp', match, mask: 0xfffffc00, operands: { rd: 'rd', rn: 'rn' }, syntax: `{${r}:rd}, {${t}:rn}` });
  def({ id: `fmov.${t}.${r}`, mnemonic: 'fmov', group: 'fp', match: match | 0x10000, mask: 0xfffffc00, operands: { rd: 'rd', rn: 'rn' }, syntax: `{${t}:rd}, {${r}:rn}` });
}

export const fpRows: readonly Row[] = rows;

/** VFPExpandImm: the value of FMOV's 8-bit immediate, as a JS number. */
export function fpImmValue(imm8: number): number {
  const sign = imm8 & 0x80 ? -1 : 1;
  // b:c:d gives the unbiased exponent: 1..4 when b is clear, -3..0 when it is set.
  const bcd = (imm8 >> 4) & 7;
  const e = bcd < 4 ? bcd + 1 : bcd - 7;
  return (sign * (16 + (imm8 & 15)) / 16) * 2 ** e;
}
