// The scalar floating-point rows of the A64 encoding table: data processing
// with one, two and three sources, compares, conditional compare and select,
// FMOV (register, immediate, to and from general registers) and the
// conversions between FP and integer or fixed-point values. One row per
// precision: `.s` single, `.d` double, `.h` half (FCVT only: the Armv8.2
// half-precision arithmetic is an extension this CPU does not have, so those
// encodings stay unallocated). Row ids put the destination type first
// (`fcvt.d.s`, `fcvtzs.x.d`, `scvtf.s.w`, `fmov.w.s`).

import type { Row } from './table';

type FpType = 's' | 'd' | 'h';
/** The ftype field (bits 23..22) of each precision. */
const FTYPE: Readonly<Record<FpType, number>> = { s: 0, d: 1, h: 3 };
const ARITH: readonly FpType[] = ['s', 'd'];
const GPRS = [[0, 'w'], [1, 'x']] as const;

const rows: Row[] = [];
/** Every row fixes ftype (bits 23..22). */
const def = (r: Row): void => void rows.push({ ...r, mask: r.mask | 0x00c00000 });
const ft = (t: FpType): number => FTYPE[t] << 22;
const SF = 0x80000000;

// ---- Data processing, one source: 000 11110 ftype 1 opcode 10000 Rn Rd -------------------
const oneSource = [
  ['fmov', 0], ['fabs', 1], ['fneg', 2], ['fsqrt', 3],
  ['frintn', 8], ['frintp', 9], ['frintm', 10], ['frintz', 11], ['frinta', 12], ['frintx', 14], ['frinti', 15],
] as const;
for (const t of ARITH) {
  for (const [m, opcode] of oneSource) {
    def({
      id: `${m}.${t}`, mnemonic: m, group: 'fp', match: 0x1e204000 | ft(t) | (opcode << 15), mask: 0xfffffc00,
      operands: { rd: 'rd', rn: 'rn' }, syntax: `{${t}:rd}, {${t}:rn}`,
    });
  }
}
// FCVT between precisions: the source is ftype, the destination opc (bits 16..15).
for (const src of ['s', 'd', 'h'] as const) {
  for (const dst of ['s', 'd', 'h'] as const) {
    if (src === dst) continue;
    def({
      id: `fcvt.${dst}.${src}`, mnemonic: 'fcvt', group: 'fp', match: 0x1e224000 | ft(src) | (FTYPE[dst] << 15), mask: 0xfffffc00,
      operands: { rd: 'rd', rn: 'rn' }, syntax: `{${dst}:rd}, {${src}:rn}`,
    });
  }
}

// ---- Data processing, two sources: 000 11110 ftype 1 Rm opcode 10 Rn Rd -------------------
const twoSource = ['fmul', 'fdiv', 'fadd', 'fsub', 'fmax', 'fmin', 'fmaxnm', 'fminnm', 'fnmul'] as const;
// ---- Three sources: 000 11111 ftype o1 Rm o0 Ra Rn Rd ---------------------------------------
const threeSource = [['fmadd', 0], ['fmsub', 0x8000], ['fnmadd', 0x200000], ['fnmsub', 0x208000]] as const;
for (const t of ARITH) {
  twoSource.forEach((m, opcode) => {
    def({
      id: `${m}.${t}`, mnemonic: m, group: 'fp', match: 0x1e200800 | ft(t) | (opcode << 12), mask: 0xff20fc00,
      operands: { rd: 'rd', rn: 'rn', rm: 'rm' }, syntax: `{${t}:rd}, {${t}:rn}, {${t}:rm}`,
    });
  });
  for (const [m, bits] of threeSource) {
    def({
      id: `${m}.${t}`, mnemonic: m, group: 'fp', match: 0x1f000000 | ft(t) | bits, mask: 0xff208000,
      operands: { rd: 'rd', rn: 'rn', rm: 'rm', ra: 'ra' }, syntax: `{${t}:rd}, {${t}:rn}, {${t}:rm}, {${t}:ra}`,
    });
  }
  // Compare: 000 11110 ftype 1 Rm 00 1000 Rn opcode2; the #0.0 forms ignore Rm.
  for (const [m, e] of [['fcmp', 0], ['fcmpe', 0x10]] as const) {
    def({
      id: `${m}.${t}`, mnemonic: m, group: 'fp', match: 0x1e202000 | ft(t) | e, mask: 0xff20fc1f,
      operands: { rn: 'rn', rm: 'rm' }, syntax: `{${t}:rn}, {${t}:rm}`,
    });
    def({
      id: `${m}.zero.${t}`, mnemonic: m, group: 'fp', match: 0x1e202008 | ft(t) | e, mask: 0xff20fc1f & ~0x001f0000,
      operands: { rn: 'rn' }, syntax: `{${t}:rn}, {fzero}`,
    });
  }
  // Conditional compare: 000 11110 ftype 1 Rm cond 01 Rn op nzcv.
  for (const [m, e] of [['fccmp', 0], ['fccmpe', 0x10]] as const) {
    def({
      id: `${m}.${t}`, mnemonic: m, group: 'fp', match: 0x1e200400 | ft(t) | e, mask: 0xff200c10,
      operands: { rn: 'rn', rm: 'rm', nzcv: 'nzcv', cond: 'cond' }, syntax: `{${t}:rn}, {${t}:rm}, {#x:nzcv}, {cond:cond}`,
    });
  }
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

// ---- Conversions to and from general registers: sf 00 11110 ftype 1 rmode opcode 000000 Rn Rd ----
const toInteger = [
  ['fcvtns', 0, 0], ['fcvtnu', 0, 1], ['fcvtas', 0, 4], ['fcvtau', 0, 5], ['fcvtps', 1, 0], ['fcvtpu', 1, 1],
  ['fcvtms', 2, 0], ['fcvtmu', 2, 1], ['fcvtzs', 3, 0], ['fcvtzu', 3, 1],
] as const;
for (const [sf, r] of GPRS) {
  for (const t of ARITH) {
    const base = sf * SF + (0x1e200000 | ft(t));
    for (const [m, rmode, opcode] of toInteger) {
      def({
        id: `${m}.${r}.${t}`, mnemonic: m, group: 'fp', match: base | (rmode << 19) | (opcode << 16), mask: 0xfffffc00,
        operands: { rd: 'rd', rn: 'rn' }, syntax: `{${r}:rd}, {${t}:rn}`,
      });
    }
    for (const [m, opcode] of [['scvtf', 2], ['ucvtf', 3]] as const) {
      def({
        id: `${m}.${t}.${r}`, mnemonic: m, group: 'fp', match: base | (opcode << 16), mask: 0xfffffc00,
        operands: { rd: 'rd', rn: 'rn' }, syntax: `{${t}:rd}, {${r}:rn}`,
      });
    }
    // Fixed point: sf 00 11110 ftype 0 rmode opcode scale Rn Rd, fbits = 64 - scale (at most 32 for W).
    const fixed = sf * SF + (0x1e000000 | ft(t));
    const valid = sf ? undefined : { valid: (v: { imm?: number }) => (v.imm ?? 0) >= 32 };
    for (const [m, bits] of [['fcvtzs', 0x180000], ['fcvtzu', 0x190000]] as const) {
      def({
        id: `${m}.fix.${r}.${t}`, mnemonic: m, group: 'fp', match: fixed | bits, mask: 0xffff0000,
        operands: { rd: 'rd', rn: 'rn', imm: 'imm6' }, syntax: `{${r}:rd}, {${t}:rn}, {fbits:imm}`, ...valid,
      });
    }
    for (const [m, bits] of [['scvtf', 0x020000], ['ucvtf', 0x030000]] as const) {
      def({
        id: `${m}.fix.${t}.${r}`, mnemonic: m, group: 'fp', match: fixed | bits, mask: 0xffff0000,
        operands: { rd: 'rd', rn: 'rn', imm: 'imm6' }, syntax: `{${t}:rd}, {${r}:rn}, {fbits:imm}`, ...valid,
      });
    }
  }
}
// FMOV between a general register and an FP register of the same width (opcode 110: to general).
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
