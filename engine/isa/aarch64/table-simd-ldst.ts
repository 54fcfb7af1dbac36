// Advanced SIMD structure loads and stores: LD1-LD4/ST1-ST4 of multiple
// structures (0 Q 0011000 L 000000 opcode size Rn Rt), of single lanes
// (0 Q 0011010 L R 00000 opcode S size Rn Rt) and the LD1R-LD4R replicates,
// each with its post-index forms (bit 23; Rm = 31 means by the transfer size,
// another Rm by that register). Row ids are `<mnemonic>.<shape><count>.<mode>`:
// shape m (multiple), l<element> (one lane) or r (replicate); mode o (no
// offset), i (post-index by the size) or x (post-index by a register).

import type { FieldName } from './fields';
import type { Row, Values } from './table';

const rows: Row[] = [];
const POST = 0x00800000;
const RM31 = 0x001f0000;

type Mode = 'o' | 'i' | 'x';
const MODES: readonly Mode[] = ['o', 'i', 'x'];

/** Match, mask and syntax suffix for an addressing mode; `size` is the post-index token. */
function addressing(mode: Mode, match: number, mask: number, post: string) {
  switch (mode) {
    case 'o': return { match, mask: mask | RM31, tail: '[{xsp:rn}]', operands: {} };
    case 'i': return { match: match | POST | RM31, mask: mask | RM31, tail: `[{xsp:rn}], ${post}`, operands: {} };
    default: return { match: match | POST, mask, tail: '[{xsp:rn}], {x:rm}', operands: { rm: 'rm' as FieldName }, valid: (v: Values) => v.rm !== 31 };
  }
}

// Multiple structures: [count of structure elements, registers, opcode].
const multiple = [[1, 4, 0x2], [1, 3, 0x6], [1, 1, 0x7], [1, 2, 0xa], [2, 2, 0x8], [3, 3, 0x4], [4, 4, 0x0]] as const;
for (const load of [0, 1]) {
  for (const [selem, regs, opcode] of multiple) {
    const name = `${load ? 'ld' : 'st'}${selem}`;
    for (const mode of MODES) {
      const a = addressing(mode, 0x0c000000 | (load << 22) | (opcode << 12), 0xbfe0f000, `{P${regs}}`);
      const oneD = (v: Values): boolean => selem > 1 && v.size === 3 && !v.q;
      rows.push({
        id: `${name}.m${regs}.${mode}`, mnemonic: name, group: 'simd', match: a.match, mask: a.mask,
        operands: { q: 'q', size: 'lsize', rt: 'rt', rn: 'rn', ...a.operands }, syntax: `{L${regs}:rt}, ${a.tail}`,
        valid: (v) => !oneD(v) && (a.valid?.(v) ?? true),
      });
    }
  }
}

// Single lanes: the element picks the opcode's top bits and which of S:size are index bits.
const lanes = [['B', 0x0, 0x0000, 'lnB'], ['H', 0x2, 0x0400, 'lnH'], ['S', 0x4, 0x0c00, 'lnS'], ['D', 0x4, 0x1c00, 'lnD']] as const;
for (const load of [0, 1]) {
  for (let count = 1; count <= 4; count++) {
    const name = `${load ? 'ld' : 'st'}${count}`;
    const r = (count - 1) & 1, o0 = (count - 1) >> 1;
    for (const [e, top, fixed, index] of lanes) {
      const sizeBits = e === 'D' ? 0x400 : 0;
      for (const mode of MODES) {
        const a = addressing(mode, 0x0d000000 | (load << 22) | (r << 21) | ((top | o0) << 13) | sizeBits, 0xbfe0e000 | fixed, `{P${count}${e}}`);
        rows.push({
          id: `${name}.l${e.toLowerCase()}${count}.${mode}`, mnemonic: name, group: 'simd', match: a.match, mask: a.mask,
          operands: { idx: index, rt: 'rt', rn: 'rn', ...a.operands }, syntax: `{L${count}e${e}:rt}, ${a.tail}`,
          ...(a.valid ? { valid: a.valid } : {}),
        });
      }
    }
    for (const mode of load ? MODES : []) {
      const a = addressing(mode, 0x0d00c000 | (1 << 22) | (r << 21) | (o0 << 13), 0xbfe0f000, `{P${count}r}`);
      rows.push({
        id: `ld${count}r.r${count}.${mode}`, mnemonic: `ld${count}r`, group: 'simd', match: a.match, mask: a.mask,
        operands: { q: 'q', size: 'lsize', rt: 'rt', rn: 'rn', ...a.operands }, syntax: `{L${count}:rt}, ${a.tail}`,
        ...(a.valid ? { valid: a.valid } : {}),
      });
    }
  }
}

export const structureRows: readonly Row[] = rows;

/** The bytes a structure access transfers, which its post-index immediate form adds to the base. */
export function transferBytes(spec: string, q: number, size: number): number {
  const count = Number(spec[0]);
  const rest = spec.slice(1);
  if (rest === '') return count * (q ? 16 : 8);
  if (rest === 'r') return count << size;
  return count << 'BHSD'.indexOf(rest);
}
