// Address ranges of a DIE: low_pc/high_pc, or DW_AT_ranges through
// .debug_ranges (DWARF 2-4) or .debug_rnglists (DWARF 5).

import { DW_AT, DW_RLE } from './constants';
import type { AttrValue } from './forms';
import type { Die, Unit } from './info';
import { DwarfError, Reader } from './reader';
import type { DwarfSections } from './sections';

/** [start, end) */
export type AddressRange = readonly [bigint, bigint];

/** The offset of list `index` of a v5 list section whose offset table starts at `base`. */
export function listOffset(bytes: Uint8Array, section: string, base: number, index: number, dwarf64: boolean): number {
  const r = new Reader(bytes, section, base + index * (dwarf64 ? 8 : 4));
  return base + r.offset(dwarf64);
}

/** A DIE's ranges; empty when it has none. Throws DwarfError when they are malformed. */
export function dieRanges(unit: Unit, die: Die, sections: DwarfSections): AddressRange[] {
  const low = die.attributes.get(DW_AT.low_pc);
  const high = die.attributes.get(DW_AT.high_pc);
  if (low && high) {
    const start = unit.address(low);
    if (start === undefined) return [];
    // high_pc as a constant is the length; as an address, the end.
    const end = high.kind === 'constant' ? start + high.value : unit.address(high);
    return end !== undefined && end > start ? [[start, end]] : [];
  }
  const ranges = die.attributes.get(DW_AT.ranges);
  if (!ranges) return [];
  // The root's own ranges are relative to a base of 0 until low_pc says otherwise.
  const base = die.offset === unit.header.firstDie && low ? (unit.address(low) ?? 0n) : unit.baseAddress;
  return rangeList(unit, ranges, base, sections);
}

function rangeList(unit: Unit, v: AttrValue, base: bigint, sections: DwarfSections): AddressRange[] {
  const size = unit.header.addressSize;
  if (unit.header.version < 5) {
    if (v.kind !== 'offset' && v.kind !== 'constant') throw new DwarfError(`DW_AT_ranges has form ${v.kind}, not a section offset`);
    const bytes = sections.get('.debug_ranges');
    if (!bytes) throw new DwarfError('.debug_ranges is missing, but DW_AT_ranges refers to it');
    const r = new Reader(bytes, '.debug_ranges', Number(v.value));
    const max = size === 8 ? 0xffffffffffffffffn : 0xffffffffn;
    const out: AddressRange[] = [];
    for (;;) {
      const a = r.address(size);
      const b = r.address(size);
      if (a === 0n && b === 0n) return out;
      if (a === max) base = b;
      else if (b > a) out.push([base + a, base + b]);
    }
  }
  const bytes = sections.get('.debug_rnglists');
  if (!bytes) throw new DwarfError('.debug_rnglists is missing, but DW_AT_ranges refers to it');
  let offset: number;
  if (v.kind === 'rnglistx') {
    const listBase = unit.rnglistsBase;
    if (listBase === undefined) throw new DwarfError('DW_FORM_rnglistx without DW_AT_rnglists_base on the unit');
    offset = listOffset(bytes, '.debug_rnglists', listBase, v.index, unit.header.dwarf64);
  } else if (v.kind === 'offset') offset = v.value;
  else throw new DwarfError(`DW_AT_ranges has form ${v.kind}, not a range list`);
  const r = new Reader(bytes, '.debug_rnglists', offset);
  const out: AddressRange[] = [];
  const push = (a: bigint, b: bigint): void => {
    if (b > a) out.push([a, b]);
  };
  for (;;) {
    const kind = r.u8();
    switch (kind) {
      case DW_RLE.end_of_list:
        return out;
      case DW_RLE.base_addressx:
        base = unit.indexedAddress(r.ulebn());
        break;
      case DW_RLE.startx_endx:
        push(unit.indexedAddress(r.ulebn()), unit.indexedAddress(r.ulebn()));
        break;
      case DW_RLE.startx_length: {
        const a = unit.indexedAddress(r.ulebn());
        push(a, a + r.uleb());
        break;
      }
      case DW_RLE.offset_pair: {
        const a = r.uleb();
        push(base + a, base + r.uleb());
        break;
      }
      case DW_RLE.base_address:
        base = r.address(size);
        break;
      case DW_RLE.start_end:
        push(r.address(size), r.address(size));
        break;
      case DW_RLE.start_length: {
        const a = r.address(size);
        push(a, a + r.uleb());
        break;
      }
      default:
        r.fail(`unknown range list entry kind ${kind} at 0x${(r.pos - 1).toString(16)}`);
    }
  }
}
