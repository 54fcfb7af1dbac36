// Location lists: which expression gives a variable's location at a given
// address, from .debug_loc (DWARF 2-4) or .debug_loclists (DWARF 5).

import { DW_LLE } from './constants';
import type { AttrValue } from './forms';
import type { Unit } from './info';
import { listOffset } from './ranges';
import { DwarfError, Reader } from './reader';
import type { DwarfSections } from './sections';

export interface LocationEntry {
  /** [start, end); undefined for DW_LLE_default_location. */
  readonly range: readonly [bigint, bigint] | undefined;
  readonly expression: Uint8Array;
}

/** Every entry of a DW_AT_location (or frame_base) that is a list. Throws DwarfError when malformed. */
export function locationList(unit: Unit, v: AttrValue, sections: DwarfSections): LocationEntry[] {
  const size = unit.header.addressSize;
  let base = unit.baseAddress;
  const out: LocationEntry[] = [];
  if (unit.header.version < 5) {
    if (v.kind !== 'offset' && v.kind !== 'constant') throw new DwarfError(`a location list attribute has form ${v.kind}`);
    const bytes = sections.get('.debug_loc');
    if (!bytes) throw new DwarfError('.debug_loc is missing, but a location list refers to it');
    const r = new Reader(bytes, '.debug_loc', Number(v.value));
    const max = size === 8 ? 0xffffffffffffffffn : 0xffffffffn;
    for (;;) {
      const a = r.address(size);
      const b = r.address(size);
      if (a === 0n && b === 0n) return out;
      if (a === max) {
        base = b;
        continue;
      }
      out.push({ range: [base + a, base + b], expression: r.block(r.u16()) });
    }
  }
  const bytes = sections.get('.debug_loclists');
  if (!bytes) throw new DwarfError('.debug_loclists is missing, but a location list refers to it');
  let offset: number;
  if (v.kind === 'loclistx') {
    const listBase = unit.loclistsBase;
    if (listBase === undefined) throw new DwarfError('DW_FORM_loclistx without DW_AT_loclists_base on the unit');
    offset = listOffset(bytes, '.debug_loclists', listBase, v.index, unit.header.dwarf64);
  } else if (v.kind === 'offset') offset = v.value;
  else throw new DwarfError(`a location list attribute has form ${v.kind}`);
  const r = new Reader(bytes, '.debug_loclists', offset);
  const entry = (range: readonly [bigint, bigint] | undefined): void => {
    out.push({ range, expression: r.block(r.ulebn()) });
  };
  for (;;) {
    const kind = r.u8();
    switch (kind) {
      case DW_LLE.end_of_list:
        return out;
      case DW_LLE.base_addressx:
        base = unit.indexedAddress(r.ulebn());
        break;
      case DW_LLE.startx_endx:
        entry([unit.indexedAddress(r.ulebn()), unit.indexedAddress(r.ulebn())]);
        break;
      case DW_LLE.startx_length: {
        const a = unit.indexedAddress(r.ulebn());
        entry([a, a + r.uleb()]);
        break;
      }
      case DW_LLE.offset_pair: {
        const a = r.uleb();
        entry([base + a, base + r.uleb()]);
        break;
      }
      case DW_LLE.default_location:
        entry(undefined);
        break;
      case DW_LLE.base_address:
        base = r.address(size);
        break;
      case DW_LLE.start_end:
        entry([r.address(size), r.address(size)]);
        break;
      case DW_LLE.start_length: {
        const a = r.address(size);
        entry([a, a + r.uleb()]);
        break;
      }
      case DW_LLE.GNU_view_pair:
        // Location views only order entries at one address; the address alone decides here.
        r.uleb();
        r.uleb();
        break;
      default:
        r.fail(`unknown location list entry kind ${kind} at 0x${(r.pos - 1).toString(16)}`);
    }
  }
}

/**
 * The expression that holds at `pc`: an exprloc's own bytes, or the list
 * entry covering `pc` (else the default entry); undefined when none does,
 * which means the value is optimized out there.
 */
export function expressionAt(unit: Unit, v: AttrValue, pc: bigint, sections: DwarfSections): Uint8Array | undefined {
  if (v.kind === 'block') return v.bytes;
  let fallback: Uint8Array | undefined;
  for (const e of locationList(unit, v, sections)) {
    if (!e.range) fallback = e.expression;
    else if (pc >= e.range[0] && pc < e.range[1]) return e.expression;
  }
  return fallback;
}
