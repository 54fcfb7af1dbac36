// htinst for guest-page faults on explicit loads and stores: the "transformed
// instruction", i.e. the trapping access with its address fields (rs1 and the
// offset) zeroed and, for a compressed original, its 32-bit equivalent with
// bit 1 cleared. Derived from the table: the operation's 32-bit row with every
// other operand put back.

import type { Decoded } from './decode';
import { fields, insert, type FieldName } from './fields';
import { semanticsFor } from './semantics';
import { table, type Row, type Slot } from './table';

const wideRows = new Map<string, Row>();
for (const row of table) if (row.size === 4 && !wideRows.has(row.mnemonic)) wideRows.set(row.mnemonic, row);

/** Slots that make up the address, which the transformed instruction leaves zero. */
const ADDRESS_SLOTS: ReadonlySet<Slot> = new Set<Slot>(['rs1', 'imm']);

export function transformedInstruction(d: Decoded): number {
  if (semanticsFor(d.op).kind !== 'mem') return 0;
  const row = wideRows.get(d.op)!;
  let insn = row.match;
  for (const [slot, source] of Object.entries(row.operands) as [Slot, FieldName | number][]) {
    if (ADDRESS_SLOTS.has(slot) || typeof source !== 'string') continue;
    insn = insert(fields[source], insn, d[slot]);
  }
  return (d.size === 2 ? insn & ~2 : insn) >>> 0;
}
