// Advanced SIMD shift by immediate: 0 Q U 011110 immh immb opcode 1 Rn Rd and
// the scalar forms (01 U 111110 ...). The leading one of immh picks the
// element size, so there is one row per size, with that bit fixed and the
// bits below it (the shS-style fields) holding the amount: a left shift is the
// field itself, a right shift the element size minus the field. Row ids are
// `<mnemonic>.i<shape><element>`, shape v (vector), s (scalar), n
// (narrowing) or l (widening), which the semantics read.

import type { Row, Values } from './table';
import type { FieldName } from './fields';

const rows: Row[] = [];
const Q = 0x40000000;
const ELEMENTS = ['b', 'h', 's', 'd'] as const;
const shiftField: readonly FieldName[] = ['shB', 'shH', 'shS', 'shD'];
/** immh's leading one for each element size, and the mask of it and the zeros above it. */
const leadBit = (e: number): number => 0x80000 << e;
const leadMask = (e: number): number => (0x780000 << e) & 0x780000;

type Kind = 'right' | 'left';
/** [mnemonic, U, opcode, kind, scalar element sizes] for the lanewise shifts. */
const lanewise: readonly (readonly [string, number, number, Kind, readonly number[]])[] = [
  ['sshr', 0, 0x00, 'right', [3]], ['ushr', 1, 0x00, 'right', [3]],
  ['ssra', 0, 0x02, 'right', [3]], ['usra', 1, 0x02, 'right', [3]],
  ['srshr', 0, 0x04, 'right', [3]], ['urshr', 1, 0x04, 'right', [3]],
  ['srsra', 0, 0x06, 'right', [3]], ['ursra', 1, 0x06, 'right', [3]],
  ['sri', 1, 0x08, 'right', [3]],
  ['shl', 0, 0x0a, 'left', [3]], ['sli', 1, 0x0a, 'left', [3]],
  ['sqshlu', 1, 0x0c, 'left', [0, 1, 2, 3]],
  ['sqshl', 0, 0x0e, 'left', [0, 1, 2, 3]], ['uqshl', 1, 0x0e, 'left', [0, 1, 2, 3]],
];
const amount = (kind: Kind, e: number): string => (kind === 'right' ? `{#r${ELEMENTS[e]!.toUpperCase()}:imm}` : '{#d:imm}');

for (const [m, u, opcode, kind, scalars] of lanewise) {
  const bits = (u << 29) | (opcode << 11);
  ELEMENTS.forEach((e, size) => {
    const E = e.toUpperCase();
    rows.push({
      id: `${m}.iv${e}`, mnemonic: m, group: 'simd', match: 0x0f000400 | bits | leadBit(size), mask: 0xbf80fc00 | leadMask(size),
      operands: { q: 'q', rd: 'rd', rn: 'rn', imm: shiftField[size]! }, syntax: `{V${E}:rd}, {V${E}:rn}, ${amount(kind, size)}`,
      ...(size === 3 ? { valid: (v: Values) => v.q === 1 } : {}),
    });
    if (scalars.includes(size)) {
      rows.push({
        id: `${m}.is${e}`, mnemonic: m, group: 'simd', match: 0x5f000400 | bits | leadBit(size), mask: 0xff80fc00 | leadMask(size),
        operands: { rd: 'rd', rn: 'rn', imm: shiftField[size]! }, syntax: `{${e}:rd}, {${e}:rn}, ${amount(kind, size)}`,
      });
    }
  });
}

/** [mnemonic, U, opcode, has a scalar form] for the narrowing right shifts; the element is the narrow one. */
const narrowing: readonly (readonly [string, number, number, boolean])[] = [
  ['shrn', 0, 0x10, false], ['rshrn', 0, 0x11, false], ['sqshrun', 1, 0x10, true], ['sqrshrun', 1, 0x11, true],
  ['sqshrn', 0, 0x12, true], ['uqshrn', 1, 0x12, true], ['sqrshrn', 0, 0x13, true], ['uqrshrn', 1, 0x13, true],
];
for (const [m, u, opcode, scalar] of narrowing) {
  const bits = (u << 29) | (opcode << 11);
  for (let size = 0; size < 3; size++) {
    const e = ELEMENTS[size]!, E = e.toUpperCase();
    for (const q of [0, 1]) {
      const name = `${m}${q ? '2' : ''}`;
      rows.push({
        id: `${name}.in${e}`, mnemonic: name, group: 'simd', match: 0x0f000400 | (q * Q) | bits | leadBit(size), mask: 0xff80fc00 | leadMask(size),
        operands: { q: 'q', rd: 'rd', rn: 'rn', imm: shiftField[size]! }, syntax: `{V${E}:rd}, {V${E}w:rn}, {#r${E}:imm}`,
      });
    }
    if (scalar) {
      rows.push({
        id: `${m}.is${e}`, mnemonic: m, group: 'simd', match: 0x5f000400 | bits | leadBit(size), mask: 0xff80fc00 | leadMask(size),
        operands: { rd: 'rd', rn: 'rn', imm: shiftField[size]! }, syntax: `{${e}:rd}, {${ELEMENTS[size + 1]}:rn}, {#r${E}:imm}`,
      });
    }
  }
}

// SSHLL/USHLL (objdump: sxtl/uxtl for a shift of 0); the element is the narrow one.
for (const [m, u] of [['sshll', 0], ['ushll', 1]] as const) {
  for (let size = 0; size < 3; size++) {
    const e = ELEMENTS[size]!, E = e.toUpperCase();
    for (const q of [0, 1]) {
      const name = `${m}${q ? '2' : ''}`;
      rows.push({
        id: `${name}.il${e}`, mnemonic: name, group: 'simd', match: 0x0f00a400 | (q * Q) | (u << 29) | leadBit(size), mask: 0xff80fc00 | leadMask(size),
        operands: { q: 'q', rd: 'rd', rn: 'rn', imm: shiftField[size]! }, syntax: `{V${E}w:rd}, {V${E}:rn}, {#d:imm}`,
      });
    }
  }
}

export const shiftRows: readonly Row[] = rows;
