// Advanced SIMD integer operations by element: 0 Q U 01111 size L M Rm opcode
// H 0 Rn Rd, and the scalar forms (01 U 11111 ...). The element size sets how
// the index and Rm are split: 16-bit elements take H:L:M and v0-v15, 32-bit
// ones H:L and M:Rm, so there is a row per size. Row ids are
// `<mnemonic>.x<shape><element>`, shape v (lanewise), l (widening), s (scalar)
// or w (scalar widening).

import type { Row } from './table';
import type { FieldName } from './fields';

const rows: Row[] = [];
const Q = 0x40000000;
const ELEMENTS = ['b', 'h', 's', 'd'] as const;
const bySize = [[1, 'h', 'vrm4', 'ixH'], [2, 's', 'rm', 'ixS']] as const;

/** [mnemonic, U, opcode, widening, has a scalar form] */
const ops: readonly (readonly [string, number, number, boolean, boolean])[] = [
  ['mla', 1, 0x0, false, false], ['mls', 1, 0x4, false, false], ['mul', 0, 0x8, false, false],
  ['sqdmulh', 0, 0xc, false, true], ['sqrdmulh', 0, 0xd, false, true],
  ['smlal', 0, 0x2, true, false], ['umlal', 1, 0x2, true, false], ['sqdmlal', 0, 0x3, true, true],
  ['smlsl', 0, 0x6, true, false], ['umlsl', 1, 0x6, true, false], ['sqdmlsl', 0, 0x7, true, true],
  ['smull', 0, 0xa, true, false], ['umull', 1, 0xa, true, false], ['sqdmull', 0, 0xb, true, true],
];

for (const [m, u, opcode, widening, scalar] of ops) {
  for (const [size, e, rm, idx] of bySize) {
    const E = e.toUpperCase();
    const operands = (q: boolean) => ({ ...(q ? { q: 'q' as const } : {}), rd: 'rd' as FieldName, rn: 'rn' as FieldName, rm: rm as FieldName, idx: idx as FieldName });
    const bits = (u << 29) | (size << 22) | (opcode << 12);
    if (widening) {
      for (const q of [0, 1]) {
        const name = `${m}${q ? '2' : ''}`;
        rows.push({
          id: `${name}.xl${e}`, mnemonic: name, group: 'simd', match: 0x0f000000 | (q * Q) | bits, mask: 0xffc0f400,
          operands: operands(true), syntax: `{V${E}w:rd}, {V${E}:rn}, {E${E}:rm}`,
        });
      }
    } else {
      rows.push({
        id: `${m}.xv${e}`, mnemonic: m, group: 'simd', match: 0x0f000000 | bits, mask: 0xbfc0f400,
        operands: operands(true), syntax: `{V${E}:rd}, {V${E}:rn}, {E${E}:rm}`,
      });
    }
    if (scalar) {
      rows.push({
        id: `${m}.x${widening ? 'w' : 's'}${e}`, mnemonic: m, group: 'simd', match: 0x5f000000 | bits, mask: 0xffc0f400,
        operands: operands(false), syntax: `{${widening ? ELEMENTS[size + 1] : e}:rd}, {${e}:rn}, {E${E}:rm}`,
      });
    }
  }
}

export const elementRows: readonly Row[] = rows;
