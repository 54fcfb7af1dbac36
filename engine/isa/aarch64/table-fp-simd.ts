// The floating-point rows of Advanced SIMD (see table.ts and the vector
// operand kinds of simd-syntax.ts): three registers of the same type, two-
// register miscellaneous, scalar pairwise, across lanes, the widening and
// narrowing conversions, by element, fixed point and FMOV, vector and scalar.
// One row per precision (`s` single, `d` double; the Armv8.2 half-precision
// forms stay unallocated).
// Row ids are the operation plus a shape and the precision: .v (vector,
// lanewise), .s (scalar), .p (pairwise), .sp (scalar pairwise), .x (across
// lanes), .l (widening), .n (narrowing), .sn (scalar narrowing), .ev/.es (by
// element), .fv/.fs (fixed point), plus the FMOV immediates (.is, .id) and
// the moves between X and V[n].d[1] (.gd1, .d1g).

import type { Row, Values } from './table';

const rows: Row[] = [];
const row = (r: Row): void => void rows.push({ ...r, group: 'fp-simd' });

const PRECISIONS = [['s', 0], ['d', 1]] as const;
/** 1d is reserved: a double vector needs Q = 1. */
const fullIfDouble = (sz: number) => (sz ? { valid: (v: Values) => v.q === 1 } : {});

// ---- Three registers of the same type: 0 Q U 01110 a sz 1 Rm opcode 1 Rn Rd ----------------------
/** [mnemonic, U, a, opcode, has a scalar form (01 U 11110 ...)] */
const threeSame: readonly (readonly [string, number, number, number, boolean])[] = [
  ['fmaxnm', 0, 0, 0x18, false], ['fmla', 0, 0, 0x19, false], ['fadd', 0, 0, 0x1a, false], ['fmulx', 0, 0, 0x1b, true],
  ['fcmeq', 0, 0, 0x1c, true], ['fmax', 0, 0, 0x1e, false], ['frecps', 0, 0, 0x1f, true],
  ['fminnm', 0, 1, 0x18, false], ['fmls', 0, 1, 0x19, false], ['fsub', 0, 1, 0x1a, false], ['fmin', 0, 1, 0x1e, false], ['frsqrts', 0, 1, 0x1f, true],
  ['fmaxnmp', 1, 0, 0x18, false], ['faddp', 1, 0, 0x1a, false], ['fmul', 1, 0, 0x1b, false], ['fcmge', 1, 0, 0x1c, true],
  ['facge', 1, 0, 0x1d, true], ['fmaxp', 1, 0, 0x1e, false], ['fdiv', 1, 0, 0x1f, false],
  ['fminnmp', 1, 1, 0x18, false], ['fabd', 1, 1, 0x1a, true], ['fcmgt', 1, 1, 0x1c, true], ['facgt', 1, 1, 0x1d, true], ['fminp', 1, 1, 0x1e, false],
];
for (const [m, u, a, opcode, scalar] of threeSame) {
  for (const [t, sz] of PRECISIONS) {
    const bits = (u << 29) | (a << 23) | (sz << 22) | (opcode << 11);
    const V = `V${t.toUpperCase()}`;
    const pairwise = /p$/.test(m);
    row({
      id: `${m}.${pairwise ? 'p' : 'v'}${t}`, mnemonic: m, group: 'fp-simd', match: 0x0e200400 | bits, mask: 0xbfe0fc00,
      operands: { q: 'q', rd: 'rd', rn: 'rn', rm: 'rm' }, syntax: `{${V}:rd}, {${V}:rn}, {${V}:rm}`, ...fullIfDouble(sz),
    });
    if (scalar) {
      row({
        id: `${m}.s${t}`, mnemonic: m, group: 'fp-simd', match: 0x5e200400 | bits, mask: 0xffe0fc00,
        operands: { rd: 'rd', rn: 'rn', rm: 'rm' }, syntax: `{${t}:rd}, {${t}:rn}, {${t}:rm}`,
      });
    }
  }
}

// ---- Two-register miscellaneous: 0 Q U 01110 a sz 10000 opcode 10 Rn Rd -----------------------------
/** [mnemonic, U, a, opcode, forms: v vector, s scalar] */
const misc: readonly (readonly [string, number, number, number, string])[] = [
  ['frintn', 0, 0, 0x18, 'v'], ['frintm', 0, 0, 0x19, 'v'], ['fcvtns', 0, 0, 0x1a, 'vs'], ['fcvtms', 0, 0, 0x1b, 'vs'],
  ['fcvtas', 0, 0, 0x1c, 'vs'], ['scvtf', 0, 0, 0x1d, 'vs'],
  ['fcmgt0', 0, 1, 0x0c, 'vs'], ['fcmeq0', 0, 1, 0x0d, 'vs'], ['fcmlt0', 0, 1, 0x0e, 'vs'], ['fabs', 0, 1, 0x0f, 'v'],
  ['frintp', 0, 1, 0x18, 'v'], ['frintz', 0, 1, 0x19, 'v'], ['fcvtps', 0, 1, 0x1a, 'vs'], ['fcvtzs', 0, 1, 0x1b, 'vs'],
  ['frecpe', 0, 1, 0x1d, 'vs'], ['frecpx', 0, 1, 0x1f, 's'],
  ['frinta', 1, 0, 0x18, 'v'], ['frintx', 1, 0, 0x19, 'v'], ['fcvtnu', 1, 0, 0x1a, 'vs'], ['fcvtmu', 1, 0, 0x1b, 'vs'],
  ['fcvtau', 1, 0, 0x1c, 'vs'], ['ucvtf', 1, 0, 0x1d, 'vs'],
  ['fcmge0', 1, 1, 0x0c, 'vs'], ['fcmle0', 1, 1, 0x0d, 'vs'], ['fneg', 1, 1, 0x0f, 'v'], ['frinti', 1, 1, 0x19, 'v'],
  ['fcvtpu', 1, 1, 0x1a, 'vs'], ['fcvtzu', 1, 1, 0x1b, 'vs'], ['frsqrte', 1, 1, 0x1d, 'vs'], ['fsqrt', 1, 1, 0x1f, 'v'],
];
for (const [id, u, a, opcode, forms] of misc) {
  const m = id.replace(/0$/, '');
  const zero = id.endsWith('0') ? ', {fzero}' : '';
  for (const [t, sz] of PRECISIONS) {
    const bits = (u << 29) | (a << 23) | (sz << 22) | (opcode << 12);
    const V = `V${t.toUpperCase()}`;
    if (forms.includes('v')) {
      row({
        id: `${id}.v${t}`, mnemonic: m, group: 'fp-simd', match: 0x0e200800 | bits, mask: 0xbffffc00,
        operands: { q: 'q', rd: 'rd', rn: 'rn' }, syntax: `{${V}:rd}, {${V}:rn}${zero}`, ...fullIfDouble(sz),
      });
    }
    if (forms.includes('s')) {
      row({
        id: `${id}.s${t}`, mnemonic: m, group: 'fp-simd', match: 0x5e200800 | bits, mask: 0xfffffc00,
        operands: { rd: 'rd', rn: 'rn' }, syntax: `{${t}:rd}, {${t}:rn}${zero}`,
      });
    }
  }
}

// Widening and narrowing conversions; the "2" forms read or write the upper half (Q = 1).
for (const [t, sz] of PRECISIONS) {
  const [wide, narrowLetter] = sz ? ['.2d', 'S'] : ['.4s', 'H'];
  for (const q of [0, 1]) {
    const two = q ? '2' : '';
    const base = (q << 30) | (sz << 22);
    row({
      id: `fcvtl${two}.l${t}`, mnemonic: `fcvtl${two}`, group: 'fp-simd', match: 0x0e217800 | base, mask: 0xfffffc00,
      operands: { q: 'q', rd: 'rd', rn: 'rn' }, syntax: `{V${wide}:rd}, {V${narrowLetter}:rn}`,
    });
    row({
      id: `fcvtn${two}.n${t}`, mnemonic: `fcvtn${two}`, group: 'fp-simd', match: 0x0e216800 | base, mask: 0xfffffc00,
      operands: { q: 'q', rd: 'rd', rn: 'rn' }, syntax: `{V${narrowLetter}:rd}, {V${wide}:rn}`,
    });
    if (sz) {
      row({
        id: `fcvtxn${two}.nd`, mnemonic: `fcvtxn${two}`, group: 'fp-simd', match: 0x2e616800 | (q << 30), mask: 0xfffffc00,
        operands: { q: 'q', rd: 'rd', rn: 'rn' }, syntax: '{VS:rd}, {V.2d:rn}',
      });
    }
  }
}
row({ id: 'fcvtxn.snd', mnemonic: 'fcvtxn', group: 'fp-simd', match: 0x7e616800, mask: 0xfffffc00, operands: { rd: 'rd', rn: 'rn' }, syntax: '{s:rd}, {d:rn}' });

// ---- Scalar pairwise: 01 1 11110 a sz 11000 opcode 10 Rn Rd; across lanes: 0 1 1 01110 a 0 11000 opcode 10 Rn Rd ----
for (const [m, a, opcode] of [['fmaxnmp', 0, 0x0c], ['faddp', 0, 0x0d], ['fmaxp', 0, 0x0f], ['fminnmp', 1, 0x0c], ['fminp', 1, 0x0f]] as const) {
  for (const [t, sz] of PRECISIONS) {
    row({
      id: `${m}.sp${t}`, mnemonic: m, group: 'fp-simd', match: 0x7e300800 | (a << 23) | (sz << 22) | (opcode << 12), mask: 0xfffffc00,
      operands: { rd: 'rd', rn: 'rn' }, syntax: `{${t}:rd}, {V.2${t}:rn}`,
    });
  }
  if (m === 'faddp') continue;
  const across = m.replace(/p$/, 'v');
  row({
    id: `${across}.xs`, mnemonic: across, group: 'fp-simd', match: 0x6e300800 | (a << 23) | (opcode << 12), mask: 0xfffffc00,
    operands: { rd: 'rd', rn: 'rn' }, syntax: '{s:rd}, {V.4s:rn}',
  });
}

// ---- By element: 0 Q U 01111 1 sz L M Rm opcode H 0 Rn Rd, scalar 01 U 11111 ...; a double's index is H alone (L = 0) ----
for (const [m, u, opcode] of [['fmla', 0, 0x1], ['fmls', 0, 0x5], ['fmul', 0, 0x9], ['fmulx', 1, 0x9]] as const) {
  for (const [t, sz] of PRECISIONS) {
    const bits = (u << 29) | (sz << 22) | (opcode << 12);
    const E = t.toUpperCase();
    const mask = sz ? 0x00200000 : 0;
    const operands = { rd: 'rd', rn: 'rn', rm: 'rm', idx: sz ? 'ixD' : 'ixS' } as const;
    row({
      id: `${m}.ev${t}`, mnemonic: m, group: 'fp-simd', match: 0x0f800000 | bits, mask: 0xbfc0f400 | mask,
      operands: { q: 'q', ...operands }, syntax: `{V${E}:rd}, {V${E}:rn}, {E${E}:rm}`, ...fullIfDouble(sz),
    });
    row({
      id: `${m}.es${t}`, mnemonic: m, group: 'fp-simd', match: 0x5f800000 | bits, mask: 0xffc0f400 | mask,
      operands, syntax: `{${t}:rd}, {${t}:rn}, {E${E}:rm}`,
    });
  }
}

// ---- Fixed-point conversions, shift by immediate: 0 Q U 011110 immh immb opcode 1 Rn Rd, scalar 01 U 111110 ... ----
// immh = 01xx for singles, 1xxx for doubles; the bits below its leading one hold size - fbits.
for (const [m, u, opcode] of [['scvtf', 0, 0x1c], ['ucvtf', 1, 0x1c], ['fcvtzs', 0, 0x1f], ['fcvtzu', 1, 0x1f]] as const) {
  for (const [t, sz] of PRECISIONS) {
    const bits = (u << 29) | (sz ? 0x00400000 : 0x00200000) | (opcode << 11);
    const mask = sz ? 0xffc0fc00 : 0xffe0fc00;
    const E = t.toUpperCase();
    const operands = { rd: 'rd', rn: 'rn', imm: sz ? 'shD' : 'shS' } as const;
    row({
      id: `${m}.fv${t}`, mnemonic: m, group: 'fp-simd', match: 0x0f000400 | bits, mask: mask & ~0x40000000,
      operands: { q: 'q', ...operands }, syntax: `{V${E}:rd}, {V${E}:rn}, {#r${E}:imm}`, ...fullIfDouble(sz),
    });
    row({
      id: `${m}.fs${t}`, mnemonic: m, group: 'fp-simd', match: 0x5f000400 | bits, mask,
      operands, syntax: `{${t}:rd}, {${t}:rn}, {#r${E}:imm}`,
    });
  }
}

// ---- FMOV (vector, immediate): 0 Q op 0111100000 abc 1111 0 1 defgh Rd; op = 1 for doubles (Q = 1) ----
row({ id: 'fmov.is', mnemonic: 'fmov', group: 'fp-simd', match: 0x0f00f400, mask: 0xbff8fc00, operands: { q: 'q', rd: 'rd', imm: 'imm8' }, syntax: '{VS:rd}, {fpimm:imm}' });
row({ id: 'fmov.id', mnemonic: 'fmov', group: 'fp-simd', match: 0x6f00f400, mask: 0xfff8fc00, operands: { q: 'q', rd: 'rd', imm: 'imm8' }, syntax: '{V.2d:rd}, {fpimm:imm}' });

// ---- FMOV between X and the upper half of a vector register: sf 00 11110 10 1 01 11x 000000 Rn Rd ----
row({ id: 'fmov.gd1', mnemonic: 'fmov', group: 'fp-simd', match: 0x9eae0000, mask: 0xfffffc00, operands: { rd: 'rd', rn: 'rn' }, syntax: '{x:rd}, {vd1:rn}' });
row({ id: 'fmov.d1g', mnemonic: 'fmov', group: 'fp-simd', match: 0x9eaf0000, mask: 0xfffffc00, operands: { rd: 'rd', rn: 'rn' }, syntax: '{vd1:rd}, {x:rn}' });

export const fpSimdRows: readonly Row[] = rows;
