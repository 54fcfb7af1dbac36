// Where each register operand of a row lives in CpuState.x: 31 is SP for
// the operands the row's syntax spells {xsp:..}/{wsp:..} and XZR otherwise
// (reads see zero, writes land in a sink).

import { SINK_SLOT, SP_SLOT, ZR_SLOT } from './cpu';
import { REG_SLOTS, type RegSlot } from './fragment';
import type { Row, Values } from './table';

const LINK_REGISTER = 30;

const spSlotCache = new Map<string, ReadonlySet<string>>();

/** The operands of `row` for which register 31 is SP. */
export function spOperands(row: Row): ReadonlySet<string> {
  let set = spSlotCache.get(row.id);
  if (!set) {
    set = new Set([...row.syntax.matchAll(/\{[xw]sp:(\w+)\}/g)].map((m) => m[1]!));
    spSlotCache.set(row.id, set);
  }
  return set;
}

export interface RegisterSlots {
  /** Slot read for the operand. */
  readonly read: Readonly<Record<RegSlot, number>>;
  /** Slot written for the operand. */
  readonly write: Readonly<Record<RegSlot, number>>;
  /** Architectural register number (0..30), 31 for SP, or -1 for XZR/absent. */
  readonly reg: Readonly<Record<RegSlot, number>>;
}

export function registerSlots(row: Row, values: Values): RegisterSlots {
  const sp = spOperands(row);
  const read = {} as Record<RegSlot, number>;
  const write = {} as Record<RegSlot, number>;
  const reg = {} as Record<RegSlot, number>;
  for (const slot of REG_SLOTS) {
    const r = slot === 'lr' ? LINK_REGISTER : values[slot as keyof Values];
    if (r === undefined) {
      read[slot] = ZR_SLOT;
      write[slot] = SINK_SLOT;
      reg[slot] = -1;
    } else if (r === 31) {
      const isSp = sp.has(slot);
      read[slot] = isSp ? SP_SLOT : ZR_SLOT;
      write[slot] = isSp ? SP_SLOT : SINK_SLOT;
      reg[slot] = isSp ? 31 : -1;
    } else {
      read[slot] = write[slot] = 2 * r;
      reg[slot] = r;
    }
  }
  return { read, write, reg };
}
