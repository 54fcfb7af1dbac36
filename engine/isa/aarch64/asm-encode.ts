// Slot values into a table row's fields, with a message naming the operand
// and its range when a value does not fit.

import { fieldAlignShift } from '../bit-fields';
import type { Slots } from './asm-forms';
import { operandValues } from './decode';
import { extract, fields, fieldWidth, fits, insert, type Field } from './fields';
import type { Row, Slot } from './table';

export interface EncodeError {
  readonly slot: Slot | undefined;
  readonly message: string;
}

/** The values a field can hold, as `lo..hi` plus the step when it is scaled. */
export function fieldRange(field: Field): string {
  const width = fieldWidth(field);
  const step = 2 ** fieldAlignShift(field);
  const lo = field.signed ? -(2 ** (width - 1)) : 0;
  const hi = (field.signed ? 2 ** (width - 1) : 2 ** width) - step;
  return step > 1 ? `${lo}..${hi}, a multiple of ${step}` : `${lo}..${hi}`;
}

const what: Partial<Record<Slot, string>> = {
  imm: 'immediate', amount: 'shift amount', immr: 'immediate', imms: 'immediate', nzcv: 'flags immediate', crm: 'immediate',
  op1: 'op1', op2: 'op2', bit: 'bit number', rt: 'operation', hw: 'shift',
};

/** Register fields an encoding does not use (smulh's Ra, ldxr's Rs): gas fills them with ones. */
const UNUSED_REGISTERS: readonly Slot[] = ['ra', 'rs', 'rt2'];
/** Rt2's bits in the exclusives that have no Rt2 operand. */
const RT2_BITS = 0x1f << 10;

export function encodeRow(row: Row, slots: Slots, width: 32 | 64): number | EncodeError {
  let insn = row.match;
  for (const [slot, name] of Object.entries(row.operands) as [Slot, keyof typeof fields][]) {
    const v = slots[slot] ?? (UNUSED_REGISTERS.includes(slot) ? 31 : undefined);
    if (v === undefined || slot === 'sf') continue;
    const field = fields[name];
    if (!fits(field, v) || (slot === 'bit' && v >= width)) {
      const range = slot === 'bit' ? `0..${width - 1}` : fieldRange(field);
      const name = slot === 'imm' && row.group === 'load-store' ? 'offset' : (what[slot] ?? slot);
      // gas takes the unscaled form for offsets the scaled one cannot hold.
      const unscaled = row.id.endsWith('.uoff') ? ` (or -256..255 unscaled)` : '';
      return { slot, message: `${name} ${v} is out of range ${range}${unscaled}` };
    }
    insn = insert(field, insn, v);
  }
  // A pair's second register shares its field with the first (CASP): every register must read back as written.
  const operands = Object.entries(row.operands) as [Slot, keyof typeof fields][];
  if (operands.some(([, name]) => fields[name].bias !== undefined)) {
    for (const [slot, name] of operands) {
      if (slots[slot] !== undefined && extract(fields[name], insn) !== slots[slot]) return { slot, message: 'a register pair must be two consecutive registers' };
    }
  }
  if (row.group === 'atomic' && (row.mask & RT2_BITS) === 0 && row.operands.rt2 === undefined) insn = (insn | RT2_BITS) >>> 0;
  // A tbz bit number picks the row's width bit; every other field stays clear of the fixed bits.
  if (((insn & row.mask) >>> 0) !== row.match && !/^tbn?z\.x$/.test(row.id)) return { slot: undefined, message: `internal error: operands overwrite the fixed bits of ${row.id}` };
  if (row.valid && !row.valid(operandValues(row, insn))) return { slot: undefined, message: `this operand combination is not allowed for ${row.mnemonic}` };
  return insn;
}

export function littleEndian(insn: number): Uint8Array {
  return Uint8Array.of(insn & 0xff, (insn >>> 8) & 0xff, (insn >>> 16) & 0xff, (insn >>> 24) & 0xff);
}
