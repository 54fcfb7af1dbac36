// Encoding slot values into a table row with fields.ts's insert(), checking
// each value against its field, and picking gas's compressed substitute.

import { fieldAlignShift, fields, fieldWidth, fits, insert, type Field, type FieldName } from './fields';
import type { CompressRule, Slots } from './asm-forms';
import { registerName } from './registers';
import type { Row, Slot } from './table';

const REGISTER_SLOTS: ReadonlySet<Slot> = new Set<Slot>(['rd', 'rs1', 'rs2']);

function fieldRange(field: Field): { min: number; max: number; step: number } {
  const width = fieldWidth(field);
  const step = 2 ** fieldAlignShift(field);
  const bias = field.bias ?? 0;
  if (field.signed) return { min: -(2 ** (width - 1)), max: 2 ** (width - 1) - step, step };
  return { min: bias, max: bias + 2 ** width - step, step };
}

function fieldProblem(row: Row, slot: Slot, fieldName: FieldName, value: number): string {
  const field = fields[fieldName];
  const { min, max, step } = fieldRange(field);
  if (REGISTER_SLOTS.has(slot)) {
    return `${row.mnemonic} needs ${slot} in ${registerName(min)}..${registerName(max)} (x${min}..x${max}), not ${registerName(value)}`;
  }
  const what = fieldName.startsWith('shamt') ? 'shift amount' : slot === 'imm' ? 'immediate' : slot;
  if (value < min || value > max) return `${what} ${value} is out of range ${min}..${max}${step > 1 ? ` (a multiple of ${step})` : ''}`;
  return `${what} ${value} must be a multiple of ${step}`;
}

export interface EncodeError {
  readonly slot: Slot | undefined;
  readonly message: string;
}

const operandLists = new WeakMap<Row, readonly (readonly [Slot, FieldName | number])[]>();

function operandsOf(row: Row): readonly (readonly [Slot, FieldName | number])[] {
  let list = operandLists.get(row);
  if (!list) {
    list = Object.entries(row.operands) as [Slot, FieldName | number][];
    operandLists.set(row, list);
  }
  return list;
}

/** Encode `slots` into `row`, or describe the first operand that does not fit. */
export function encodeRow(row: Row, slots: Slots, bits = 0): number | EncodeError {
  const fail = (slot: Slot | undefined, message: string): EncodeError => ({ slot, message });
  let insn = (row.match | bits) >>> 0;
  const byField = new Map<FieldName, { slot: Slot; value: number }>();
  const operands = operandsOf(row);
  // A slot the syntax does not name takes the value of a slot sharing its field (c.addi's rs1 is its rd).
  const value = (slot: Slot, source: FieldName | number): number | undefined => {
    const v = slots[slot];
    if (v !== undefined || typeof source === 'number') return v;
    const sibling = operands.find(([s, src]) => src === source && slots[s] !== undefined);
    // Unwritten ordering bits are clear; a rounding mode the syntax does not show is 0.
    return sibling ? slots[sibling[0]] : slot === 'aq' || slot === 'rl' || slot === 'rm' ? 0 : undefined;
  };
  for (const [slot, source] of operands) {
    const v = value(slot, source);
    if (typeof source === 'number') {
      if (v !== undefined && v !== source) {
        const want = REGISTER_SLOTS.has(slot) ? registerName(source) : String(source);
        return fail(slot, `${row.mnemonic} needs ${slot} = ${want}`);
      }
      continue;
    }
    if (v === undefined) return fail(slot, `internal: no value for ${slot} of ${row.mnemonic}`);
    if (!fits(fields[source], v)) return fail(slot, fieldProblem(row, slot, source, v));
    const seen = byField.get(source);
    if (seen && seen.value !== v) return fail(slot, `${row.mnemonic} needs ${seen.slot} and ${slot} to be the same`);
    byField.set(source, { slot, value: v });
    insn = insert(fields[source], insn, v);
  }
  for (const slot of row.nonzero ?? []) {
    const source = row.operands[slot];
    const v = source === undefined ? undefined : value(slot, source);
    if (v === 0) return fail(slot, `${row.mnemonic} needs a non-zero ${REGISTER_SLOTS.has(slot) ? 'register' : slot} for ${slot}`);
  }
  return insn >>> 0;
}

/** The compressed encoding `rule` gives for these 32-bit slot values, if it applies. */
export function applyRule(rule: CompressRule, slots: Slots): number | undefined {
  const attempt = (s: Slots): number | undefined => {
    for (const [slot, v] of Object.entries(rule.when ?? {}) as [Slot, number][]) if (s[slot] !== v) return undefined;
    for (const [slot, values] of Object.entries(rule.exclude ?? {}) as [Slot, readonly number[]][]) {
      if (values.includes(s[slot] ?? 0)) return undefined;
    }
    const mapped: Slots = {};
    for (const slot of Object.keys(rule.row.operands) as Slot[]) {
      const from = rule.from?.[slot];
      mapped[slot] = from === undefined ? s[slot] : typeof from === 'number' ? from : s[from];
    }
    const insn = encodeRow(rule.row, mapped);
    return typeof insn === 'number' ? insn : undefined;
  };
  const direct = attempt(slots);
  if (direct !== undefined || !rule.commute) return direct;
  const [a, b] = rule.commute;
  return attempt({ ...slots, [a]: slots[b], [b]: slots[a] });
}

/** First compressed substitute among `rules`. */
export function compress(rules: readonly CompressRule[], slots: Slots): { insn: number; row: Row } | undefined {
  for (const rule of rules) {
    const insn = applyRule(rule, slots);
    if (insn !== undefined) return { insn, row: rule.row };
  }
  return undefined;
}

export function littleEndian(insn: number, size: 2 | 4): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (insn >>> (8 * i)) & 0xff;
  return out;
}
