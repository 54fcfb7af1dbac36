// Advanced SIMD integer rows of the encoding table (see table.ts and the
// vector operand kinds of simd-syntax.ts). Row ids are the mnemonic plus a
// shape the semantics read: .v (vector, lanewise), .s (scalar), .p
// (pairwise), .l (widening), .w (wide), .n (narrowing), .x (across lanes),
// .e<size> (by element or per element size), .imm (modified immediate).

import type { Row, Values } from './table';
import { differentRows } from './table-simd-different';
import { elementRows } from './table-simd-element';
import { structureRows } from './table-simd-ldst';
import { cryptoRows } from './table-crypto';
import { shiftRows } from './table-simd-shift';

const rows: Row[] = [];
const row = (r: Row): void => void rows.push(r);

const Q = 0x40000000;
const sizeIs = (...sizes: number[]) => (v: Values): boolean => sizes.includes(v.size ?? 0);
/** A vector arrangement other than the reserved 1d. */
const notOneD = (v: Values): boolean => !((v.size ?? 0) === 3 && !v.q);
const vecSizes = (...sizes: number[]) => (v: Values): boolean => sizes.includes(v.size ?? 0) && notOneD(v);
const ALL = [0, 1, 2, 3];
const BHS = [0, 1, 2];
const HS = [1, 2];
const D = [3];

const vec3 = { q: 'q', size: 'vsize', rd: 'rd', rn: 'rn', rm: 'rm' } as const;
const sc3 = { size: 'vsize', rd: 'rd', rn: 'rn', rm: 'rm' } as const;
const vec2 = { q: 'q', size: 'vsize', rd: 'rd', rn: 'rn' } as const;
const sc2 = { size: 'vsize', rd: 'rd', rn: 'rn' } as const;

// ---- Three registers of the same type: 0 Q U 01110 size 1 Rm opcode 1 Rn Rd ------------------
/** [mnemonic, U, opcode, vector sizes, scalar sizes] */
const threeSame: readonly (readonly [string, number, number, readonly number[], readonly number[]])[] = [
  ['shadd', 0, 0x00, BHS, []], ['uhadd', 1, 0x00, BHS, []],
  ['sqadd', 0, 0x01, ALL, ALL], ['uqadd', 1, 0x01, ALL, ALL],
  ['srhadd', 0, 0x02, BHS, []], ['urhadd', 1, 0x02, BHS, []],
  ['shsub', 0, 0x04, BHS, []], ['uhsub', 1, 0x04, BHS, []],
  ['sqsub', 0, 0x05, ALL, ALL], ['uqsub', 1, 0x05, ALL, ALL],
  ['cmgt', 0, 0x06, ALL, D], ['cmhi', 1, 0x06, ALL, D],
  ['cmge', 0, 0x07, ALL, D], ['cmhs', 1, 0x07, ALL, D],
  ['sshl', 0, 0x08, ALL, D], ['ushl', 1, 0x08, ALL, D],
  ['sqshl', 0, 0x09, ALL, ALL], ['uqshl', 1, 0x09, ALL, ALL],
  ['srshl', 0, 0x0a, ALL, D], ['urshl', 1, 0x0a, ALL, D],
  ['sqrshl', 0, 0x0b, ALL, ALL], ['uqrshl', 1, 0x0b, ALL, ALL],
  ['smax', 0, 0x0c, BHS, []], ['umax', 1, 0x0c, BHS, []],
  ['smin', 0, 0x0d, BHS, []], ['umin', 1, 0x0d, BHS, []],
  ['sabd', 0, 0x0e, BHS, []], ['uabd', 1, 0x0e, BHS, []],
  ['saba', 0, 0x0f, BHS, []], ['uaba', 1, 0x0f, BHS, []],
  ['add', 0, 0x10, ALL, D], ['sub', 1, 0x10, ALL, D],
  ['cmtst', 0, 0x11, ALL, D], ['cmeq', 1, 0x11, ALL, D],
  ['mla', 0, 0x12, BHS, []], ['mls', 1, 0x12, BHS, []],
  ['mul', 0, 0x13, BHS, []], ['pmul', 1, 0x13, [0], []],
  ['smaxp', 0, 0x14, BHS, []], ['umaxp', 1, 0x14, BHS, []],
  ['sminp', 0, 0x15, BHS, []], ['uminp', 1, 0x15, BHS, []],
  ['sqdmulh', 0, 0x16, HS, HS], ['sqrdmulh', 1, 0x16, HS, HS],
  ['addp', 0, 0x17, ALL, []],
];
for (const [m, u, opcode, vs, ss] of threeSame) {
  const bits = (u << 29) | (opcode << 11);
  const pairwise = /p$/.test(m);
  row({
    id: `${m}.${pairwise ? 'p' : 'v'}`, mnemonic: m, group: 'simd', match: 0x0e200400 | bits, mask: 0xbf20fc00,
    operands: vec3, syntax: '{V:rd}, {V:rn}, {V:rm}', valid: vecSizes(...vs),
  });
  if (ss.length) {
    row({
      id: `${m}.s`, mnemonic: m, group: 'simd', match: 0x5e200400 | bits, mask: 0xff20fc00,
      operands: sc3, syntax: '{F:rd}, {F:rn}, {F:rm}', valid: sizeIs(...ss),
    });
  }
}
// Logical: the size field picks the operation.
([['and', 0, 0], ['bic', 0, 1], ['orr', 0, 2], ['orn', 0, 3], ['eor', 1, 0], ['bsl', 1, 1], ['bit', 1, 2], ['bif', 1, 3]] as const).forEach(([m, u, size]) => {
  row({
    id: `${m}.vec`, mnemonic: m, group: 'simd', match: 0x0e201c00 | (u << 29) | (size << 22), mask: 0xbfe0fc00,
    operands: { q: 'q', rd: 'rd', rn: 'rn', rm: 'rm' }, syntax: '{VB:rd}, {VB:rn}, {VB:rm}',
  });
});
// Scalar pairwise add: addp d0, v1.2d.
row({ id: 'addp.sp', mnemonic: 'addp', group: 'simd', match: 0x5ef1b800, mask: 0xfffffc00, operands: { rd: 'rd', rn: 'rn' }, syntax: '{d:rd}, {V.2d:rn}' });

// ---- Two-register miscellaneous: 0 Q U 01110 size 10000 opcode 10 Rn Rd --------------------
/** [mnemonic, U, opcode, vector validity, scalar sizes, operand syntax (vector), scalar syntax] */
type Misc = readonly [string, number, number, (v: Values) => boolean, readonly number[], string?, string?];
const plain = '{V:rd}, {V:rn}';
const zero = '{V:rd}, {V:rn}, {zero}';
const misc: readonly Misc[] = [
  ['rev64', 0, 0x00, vecSizes(...BHS), []], ['rev32', 1, 0x00, vecSizes(0, 1), []], ['rev16', 0, 0x01, vecSizes(0), []],
  ['saddlp', 0, 0x02, vecSizes(...BHS), [], '{Vl:rd}, {V:rn}'], ['uaddlp', 1, 0x02, vecSizes(...BHS), [], '{Vl:rd}, {V:rn}'],
  ['suqadd', 0, 0x03, notOneD, ALL], ['usqadd', 1, 0x03, notOneD, ALL],
  ['cls', 0, 0x04, vecSizes(...BHS), []], ['clz', 1, 0x04, vecSizes(...BHS), []],
  ['cnt', 0, 0x05, vecSizes(0), []],
  ['sadalp', 0, 0x06, vecSizes(...BHS), [], '{Vl:rd}, {V:rn}'], ['uadalp', 1, 0x06, vecSizes(...BHS), [], '{Vl:rd}, {V:rn}'],
  ['sqabs', 0, 0x07, notOneD, ALL], ['sqneg', 1, 0x07, notOneD, ALL],
  ['cmgt', 0, 0x08, notOneD, D, zero, '{F:rd}, {F:rn}, {zero}'], ['cmge', 1, 0x08, notOneD, D, zero, '{F:rd}, {F:rn}, {zero}'],
  ['cmeq', 0, 0x09, notOneD, D, zero, '{F:rd}, {F:rn}, {zero}'], ['cmle', 1, 0x09, notOneD, D, zero, '{F:rd}, {F:rn}, {zero}'],
  ['cmlt', 0, 0x0a, notOneD, D, zero, '{F:rd}, {F:rn}, {zero}'],
  ['abs', 0, 0x0b, notOneD, D], ['neg', 1, 0x0b, notOneD, D],
];
for (const [m, u, opcode, valid, ss, vsyn = plain, ssyn = '{F:rd}, {F:rn}'] of misc) {
  const bits = (u << 29) | (opcode << 12);
  const id = m.startsWith('cm') ? `${m}0` : m;
  const pairLong = vsyn.startsWith('{Vl');
  row({ id: `${id}.${pairLong ? 'pl' : 'v'}`, mnemonic: m, group: 'simd', match: 0x0e200800 | bits, mask: 0xbf3ffc00, operands: vec2, syntax: vsyn, valid });
  if (ss.length) row({ id: `${id}.s`, mnemonic: m, group: 'simd', match: 0x5e200800 | bits, mask: 0xff3ffc00, operands: sc2, syntax: ssyn, valid: sizeIs(...ss) });
}
// NOT (objdump: mvn) and RBIT share an opcode; the size field picks one.
row({ id: 'not.v', mnemonic: 'not', group: 'simd', match: 0x2e205800, mask: 0xbffffc00, operands: { q: 'q', rd: 'rd', rn: 'rn' }, syntax: '{VB:rd}, {VB:rn}' });
// The unsigned reciprocal (square root) estimates of 32-bit fixed-point lanes.
for (const [m, u] of [['urecpe', 0], ['ursqrte', 1]] as const) {
  row({ id: `${m}.v`, mnemonic: m, group: 'simd', match: 0x0ea1c800 | (u << 29), mask: 0xbffffc00, operands: vec2, syntax: plain });
}
row({ id: 'rbit.v', mnemonic: 'rbit', group: 'simd', match: 0x2e605800, mask: 0xbffffc00, operands: { q: 'q', rd: 'rd', rn: 'rn' }, syntax: '{VB:rd}, {VB:rn}' });
// Narrowing moves: the "2" forms write the upper half.
([['xtn', 0, 0x12], ['sqxtn', 0, 0x14], ['uqxtn', 1, 0x14], ['sqxtun', 1, 0x12]] as const).forEach(([m, u, opcode]) => {
  for (const q of [0, 1]) {
    row({
      id: `${m}${q ? '2' : ''}.n`, mnemonic: `${m}${q ? '2' : ''}`, group: 'simd', match: 0x0e200800 | (q * Q) | (u << 29) | (opcode << 12), mask: 0xff3ffc00,
      operands: vec2, syntax: '{V:rd}, {Vw:rn}', valid: sizeIs(...BHS),
    });
  }
  if (m !== 'xtn') {
    row({
      id: `${m}.sn`, mnemonic: m, group: 'simd', match: 0x5e200800 | (u << 29) | (opcode << 12), mask: 0xff3ffc00,
      operands: sc2, syntax: '{F:rd}, {Fw:rn}', valid: sizeIs(...BHS),
    });
  }
});
for (const q of [0, 1]) {
  row({
    id: `shll${q ? '2' : ''}.l`, mnemonic: `shll${q ? '2' : ''}`, group: 'simd', match: 0x2e213800 | (q * Q), mask: 0xff3ffc00,
    operands: vec2, syntax: '{Vw:rd}, {V:rn}, {esz}', valid: sizeIs(...BHS),
  });
}

// ---- Across lanes: 0 Q U 01110 size 11000 opcode 10 Rn Rd --------------------------------------
const acrossValid = (v: Values): boolean => (v.size ?? 0) < 2 || ((v.size ?? 0) === 2 && v.q === 1);
([['saddlv', 0, 0x03, 1], ['uaddlv', 1, 0x03, 1], ['smaxv', 0, 0x0a, 0], ['umaxv', 1, 0x0a, 0], ['sminv', 0, 0x1a, 0], ['uminv', 1, 0x1a, 0], ['addv', 0, 0x1b, 0]] as const).forEach(([m, u, opcode, wide]) => {
  row({
    id: `${m}.x`, mnemonic: m, group: 'simd', match: 0x0e300800 | (u << 29) | (opcode << 12), mask: 0xbf3ffc00,
    operands: vec2, syntax: `{F${wide ? 'w' : ''}:rd}, {V:rn}`, valid: acrossValid,
  });
});

// ---- Copy: 0 Q op 01110000 imm5 0 imm4 1 Rn Rd, one row per element size -----------------------------
const elementSizes = [['B', 0x10000, 0x10000, 'i5B', 'i4B'], ['H', 0x20000, 0x30000, 'i5H', 'i4H'], ['S', 0x40000, 0x70000, 'i5S', 'i4S'], ['D', 0x80000, 0xf0000, 'i5D', 'i4D']] as const;
elementSizes.forEach(([e, bit, mask, idx, idx2], size) => {
  const lower = e.toLowerCase();
  const gpr = size === 3 ? 'x' : 'w';
  row({
    id: `dup.e${lower}`, mnemonic: 'dup', group: 'simd', match: 0x0e000400 | bit, mask: 0xbfe0fc00 | mask,
    operands: { q: 'q', rd: 'rd', rn: 'rn', idx }, syntax: `{V${e}:rd}, {E${e}:rn}`, ...(size === 3 ? { valid: (v: Values) => v.q === 1 } : {}),
  });
  row({
    id: `dup.s${lower}`, mnemonic: 'dup', group: 'simd', match: 0x5e000400 | bit, mask: 0xffe0fc00 | mask,
    operands: { rd: 'rd', rn: 'rn', idx }, syntax: `{${lower}:rd}, {E${e}:rn}`,
  });
  row({
    id: `dup.g${lower}`, mnemonic: 'dup', group: 'simd', match: 0x0e000c00 | bit, mask: 0xbfe0fc00 | mask,
    operands: { q: 'q', rd: 'rd', rn: 'rn' }, syntax: `{V${e}:rd}, {${gpr}:rn}`, ...(size === 3 ? { valid: (v: Values) => v.q === 1 } : {}),
  });
  row({
    id: `ins.g${lower}`, mnemonic: 'ins', group: 'simd', match: 0x4e001c00 | bit, mask: 0xffe0fc00 | mask,
    operands: { rd: 'rd', rn: 'rn', idx }, syntax: `{E${e}:rd}, {${gpr}:rn}`,
  });
  row({
    id: `ins.e${lower}`, mnemonic: 'ins', group: 'simd', match: 0x6e000400 | bit, mask: 0xffe08400 | mask,
    operands: { rd: 'rd', rn: 'rn', idx, idx2 }, syntax: `{E${e}:rd}, {E${e}2:rn}`,
  });
  if (size < 3) {
    row({
      id: `umov.${lower}`, mnemonic: 'umov', group: 'simd', match: 0x0e003c00 | bit, mask: 0xffe0fc00 | mask,
      operands: { rd: 'rd', rn: 'rn', idx }, syntax: `{w:rd}, {E${e}:rn}`,
    });
    for (const [r, q] of size < 2 ? ([['w', 0], ['x', 1]] as const) : ([['x', 1]] as const)) {
      row({
        id: `smov.${lower}.${r}`, mnemonic: 'smov', group: 'simd', match: 0x0e002c00 | (q * Q) | bit, mask: 0xffe0fc00 | mask,
        operands: { rd: 'rd', rn: 'rn', idx }, syntax: `{${r}:rd}, {E${e}:rn}`,
      });
    }
  } else {
    row({
      id: 'umov.d', mnemonic: 'umov', group: 'simd', match: 0x4e003c00 | bit, mask: 0xffe0fc00 | mask,
      operands: { rd: 'rd', rn: 'rn', idx }, syntax: '{x:rd}, {ED:rn}',
    });
  }
});

// ---- Modified immediate: 0 Q op 0111100000 abc cmode 01 defgh Rd -----------------------------------
const immOperands = { q: 'q', op: 'op', cmode: 'cmode', imm: 'imm8', rd: 'rd' } as const;
(['movi', 'mvni', 'orr', 'bic'] as const).forEach((m) => {
  row({
    id: `${m}.imm`, mnemonic: m, group: 'simd', match: 0x0f000400, mask: 0x9ff80c00, operands: immOperands,
    syntax: '{movi}', valid: (v) => modifiedImmediate(v.op ?? 0, v.cmode ?? 0, v.q ?? 0)?.name === m,
  });
});

// ---- Permutes, EXT, table lookups ---------------------------------------------------------------------
([['uzp1', 1], ['trn1', 2], ['zip1', 3], ['uzp2', 5], ['trn2', 6], ['zip2', 7]] as const).forEach(([m, opcode]) => {
  row({
    id: `${m}.perm`, mnemonic: m, group: 'simd', match: 0x0e000800 | (opcode << 12), mask: 0xbf20fc00,
    operands: vec3, syntax: '{V:rd}, {V:rn}, {V:rm}', valid: notOneD,
  });
});
row({
  id: 'ext', mnemonic: 'ext', group: 'simd', match: 0x2e000000, mask: 0xbfe08400, operands: { q: 'q', rd: 'rd', rn: 'rn', rm: 'rm', imm: 'extImm' },
  syntax: '{VB:rd}, {VB:rn}, {VB:rm}, {#d:imm}', valid: (v) => v.q === 1 || (v.imm ?? 0) < 8,
});
for (const [m, op] of [['tbl', 0], ['tbx', 1]] as const) {
  for (let len = 1; len <= 4; len++) {
    row({
      id: `${m}.${len}`, mnemonic: m, group: 'simd', match: 0x0e000000 | ((len - 1) << 13) | (op << 12), mask: 0xbfe0fc00,
      operands: { q: 'q', rd: 'rd', rn: 'rn', rm: 'rm' }, syntax: `{VB:rd}, {L${len}.16b:rn}, {VB:rm}`,
    });
  }
}

rows.push(...shiftRows, ...differentRows, ...elementRows, ...structureRows, ...cryptoRows);

export const simdRows: readonly Row[] = rows;

// ---- Helpers the rows share with the printer and the semantics --------------------------------------

export type ImmediateKind = 'b' | 'h' | 's' | 'msl' | 'd' | '2d';

/** Which instruction and immediate form op:cmode selects in the modified-immediate group (FMOV's are left out). */
export function modifiedImmediate(op: number, cmode: number, q: number): { name: 'movi' | 'mvni' | 'orr' | 'bic'; kind: ImmediateKind } | undefined {
  const shifted = (cmode & 0b1000) === 0 ? 's' : (cmode & 0b0100) === 0 ? 'h' : undefined;
  if (shifted) {
    if (cmode & 1) return { name: op ? 'bic' : 'orr', kind: shifted };
    return { name: op ? 'mvni' : 'movi', kind: shifted };
  }
  if ((cmode & 0b1110) === 0b1100) return { name: op ? 'mvni' : 'movi', kind: 'msl' };
  if (cmode === 0b1110) return op ? { name: 'movi', kind: q ? '2d' : 'd' } : { name: 'movi', kind: 'b' };
  return undefined;
}
