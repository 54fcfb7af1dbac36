// Advanced SIMD three registers of different types: 0 Q U 01110 size 1 Rm
// opcode 00 Rn Rd, and the scalar saturating doubling multiplies
// (01 U 11110 ...). The "2" forms (Q = 1) read the upper halves of the narrow
// sources or write the upper half of a narrow result; each is a row of its
// own, as objdump names it. Row ids are `<mnemonic>.3<shape>`, shape l
// (widening), w (wide first source), n (narrowing high half) or s (scalar).

import type { Row, Values } from './table';

const rows: Row[] = [];
const Q = 0x40000000;
const sizes = (...s: number[]) => (v: Values): boolean => s.includes(v.size ?? 0);
const BHS = [0, 1, 2];
const HS = [1, 2];

/** [mnemonic, U, opcode, shape, sizes] */
const different: readonly (readonly [string, number, number, 'l' | 'w' | 'n', readonly number[]])[] = [
  ['saddl', 0, 0x0, 'l', BHS], ['uaddl', 1, 0x0, 'l', BHS], ['saddw', 0, 0x1, 'w', BHS], ['uaddw', 1, 0x1, 'w', BHS],
  ['ssubl', 0, 0x2, 'l', BHS], ['usubl', 1, 0x2, 'l', BHS], ['ssubw', 0, 0x3, 'w', BHS], ['usubw', 1, 0x3, 'w', BHS],
  ['addhn', 0, 0x4, 'n', BHS], ['raddhn', 1, 0x4, 'n', BHS], ['sabal', 0, 0x5, 'l', BHS], ['uabal', 1, 0x5, 'l', BHS],
  ['subhn', 0, 0x6, 'n', BHS], ['rsubhn', 1, 0x6, 'n', BHS], ['sabdl', 0, 0x7, 'l', BHS], ['uabdl', 1, 0x7, 'l', BHS],
  ['smlal', 0, 0x8, 'l', BHS], ['umlal', 1, 0x8, 'l', BHS], ['sqdmlal', 0, 0x9, 'l', HS],
  ['smlsl', 0, 0xa, 'l', BHS], ['umlsl', 1, 0xa, 'l', BHS], ['sqdmlsl', 0, 0xb, 'l', HS],
  ['smull', 0, 0xc, 'l', BHS], ['umull', 1, 0xc, 'l', BHS], ['sqdmull', 0, 0xd, 'l', HS],
];
const syntax = { l: '{Vw:rd}, {V:rn}, {V:rm}', w: '{Vw:rd}, {Vw:rn}, {V:rm}', n: '{V:rd}, {Vw:rn}, {Vw:rm}' } as const;

for (const [m, u, opcode, shape, ok] of different) {
  const bits = (u << 29) | (opcode << 12);
  for (const q of [0, 1]) {
    const name = `${m}${q ? '2' : ''}`;
    rows.push({
      id: `${name}.3${shape}`, mnemonic: name, group: 'simd', match: 0x0e200000 | (q * Q) | bits, mask: 0xff20fc00,
      operands: { q: 'q', size: 'vsize', rd: 'rd', rn: 'rn', rm: 'rm' }, syntax: syntax[shape], valid: sizes(...ok),
    });
  }
  if (m.startsWith('sqdm')) {
    rows.push({
      id: `${m}.3s`, mnemonic: m, group: 'simd', match: 0x5e200000 | bits, mask: 0xff20fc00,
      operands: { size: 'vsize', rd: 'rd', rn: 'rn', rm: 'rm' }, syntax: '{Fw:rd}, {F:rn}, {F:rm}', valid: sizes(...HS),
    });
  }
}

// PMULL of bytes (the 64-bit form is the cryptographic extension's, table-crypto.ts).
for (const q of [0, 1]) {
  rows.push({
    id: `pmull${q ? '2' : ''}.3l`, mnemonic: `pmull${q ? '2' : ''}`, group: 'simd', match: 0x0e20e000 | (q * Q), mask: 0xffe0fc00,
    operands: { rd: 'rd', rn: 'rn', rm: 'rm' }, syntax: `{V.8h:rd}, {V.${q ? '16b' : '8b'}:rn}, {V.${q ? '16b' : '8b'}:rm}`,
  });
}

export const differentRows: readonly Row[] = rows;
