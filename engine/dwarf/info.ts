// .debug_info: unit headers, read all at once cheaply, and each unit's DIE
// tree, parsed only when something asks for it. Attribute values that index
// a table resolve through the bases on the unit's root DIE.

import { parseAbbrevTable } from './abbrev';
import { DW_AT, DW_UT } from './constants';
import { readAttribute, type AttrValue, type UnitShape } from './forms';
import { DwarfError, Reader, stringAt } from './reader';
import type { DwarfSections } from './sections';

export interface Die {
  /** Offset in .debug_info. */
  readonly offset: number;
  readonly tag: number;
  readonly attributes: ReadonlyMap<number, AttrValue>;
  readonly children: readonly Die[];
  readonly parent: Die | undefined;
}

export interface UnitHeader extends UnitShape {
  readonly unitType: number;
  readonly abbrevOffset: number;
  /** Offset of the first DIE. */
  readonly firstDie: number;
  /** Offset just past the unit. */
  readonly end: number;
}

/** Reads every unit header of .debug_info (headers only: a few bytes each). */
export function readUnitHeaders(info: Uint8Array, messages: string[]): UnitHeader[] {
  const headers: UnitHeader[] = [];
  const r = new Reader(info, '.debug_info');
  while (!r.atEnd) {
    const offset = r.pos;
    try {
      const { length, dwarf64 } = r.initialLength();
      const end = r.pos + length;
      if (end > info.length) r.fail(`unit at 0x${offset.toString(16)} claims 0x${length.toString(16)} bytes, past the section's end`);
      const version = r.u16();
      if (version < 2 || version > 5) r.fail(`unit at 0x${offset.toString(16)} has DWARF version ${version}, which is not 2 to 5`);
      let unitType: number = DW_UT.compile;
      let addressSize: number;
      let abbrevOffset: number;
      if (version >= 5) {
        unitType = r.u8();
        addressSize = r.u8();
        abbrevOffset = r.offset(dwarf64);
        if (unitType === DW_UT.skeleton || unitType === DW_UT.split_compile) r.skip(8);
        else if (unitType === DW_UT.type || unitType === DW_UT.split_type) r.skip(8 + (dwarf64 ? 8 : 4));
      } else {
        abbrevOffset = r.offset(dwarf64);
        addressSize = r.u8();
      }
      if (addressSize !== 4 && addressSize !== 8) r.fail(`unit at 0x${offset.toString(16)} has address size ${addressSize}`);
      headers.push({ offset, version, dwarf64, addressSize, unitType, abbrevOffset, firstDie: r.pos, end });
      r.pos = end;
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      // Without a trustworthy length nothing after this point can be found.
      messages.push(e.message);
      break;
    }
  }
  return headers;
}

interface MutableDie extends Die {
  readonly children: Die[];
}

export class Unit {
  private tree: { root: Die; byOffset: Map<number, Die> } | undefined;
  private topDie: Die | undefined;
  private treeError: string | undefined;

  constructor(
    readonly header: UnitHeader,
    private readonly sections: DwarfSections,
  ) {}

  /** Why the unit's DIEs could not be read, once something has tried. */
  get error(): string | undefined {
    return this.treeError;
  }

  /** The unit's root DIE, parsing the unit on first use; undefined (with `error` set) when it is malformed. */
  root(): Die | undefined {
    return this.parse()?.root;
  }

  /** The root DIE's attributes alone, without reading its children: the unit's bases, name, ranges and line program cost one DIE. */
  top(): Die | undefined {
    if (this.tree) return this.tree.root;
    if (this.topDie || this.treeError !== undefined) return this.topDie;
    try {
      this.topDie = this.parseTree(true).root;
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      this.treeError = `unit at 0x${this.header.offset.toString(16)}: ${e.message}`;
    }
    return this.topDie;
  }

  dieAt(offset: number): Die | undefined {
    return this.parse()?.byOffset.get(offset);
  }

  contains(offset: number): boolean {
    return offset >= this.header.offset && offset < this.header.end;
  }

  private parse(): { root: Die; byOffset: Map<number, Die> } | undefined {
    if (this.tree || this.treeError !== undefined) return this.tree;
    try {
      this.tree = this.parseTree(false);
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      this.treeError = `unit at 0x${this.header.offset.toString(16)}: ${e.message}`;
    }
    return this.tree;
  }

  private parseTree(rootOnly: boolean): { root: Die; byOffset: Map<number, Die> } {
    const info = this.sections.get('.debug_info')!;
    const abbrevBytes = this.sections.get('.debug_abbrev');
    if (!abbrevBytes) throw new DwarfError('.debug_abbrev is missing');
    const abbrevs = parseAbbrevTable(abbrevBytes, this.header.abbrevOffset);
    const r = new Reader(info, '.debug_info', this.header.firstDie, this.header.end);
    const byOffset = new Map<number, Die>();
    const stack: MutableDie[] = [];
    let root: Die | undefined;
    while (!r.atEnd) {
      const offset = r.pos;
      const code = r.ulebn();
      if (code === 0) {
        // A null entry closes the innermost open sibling list (padding when none is open).
        stack.pop();
        if (stack.length === 0 && root) break;
        continue;
      }
      const abbrev = abbrevs.get(code);
      if (!abbrev) return r.fail(`DIE at 0x${offset.toString(16)} uses abbreviation ${code}, which the unit's table does not define`);
      const attributes = new Map<number, AttrValue>();
      for (const spec of abbrev.attributes) attributes.set(spec.name, readAttribute(r, spec, this.header));
      const parent = stack[stack.length - 1];
      const die: MutableDie = { offset, tag: abbrev.tag, attributes, children: [], parent };
      byOffset.set(offset, die);
      if (parent) parent.children.push(die);
      else if (!root) root = die;
      else break;
      if (rootOnly) break;
      if (abbrev.hasChildren) stack.push(die);
      else if (!parent) break;
    }
    if (!root) return r.fail(`unit at 0x${this.header.offset.toString(16)} has no DIEs`);
    return { root, byOffset };
  }

  private baseOf(at: number): number | undefined {
    const v = this.top()?.attributes.get(at);
    if (v?.kind === 'offset') return v.value;
    return v?.kind === 'constant' ? Number(v.value) : undefined;
  }

  /** DW_AT_str_offsets_base, or the first table's start in a v5 unit without one. */
  private get strOffsetsBase(): number {
    return this.baseOf(DW_AT.str_offsets_base) ?? (this.header.dwarf64 ? 16 : 8);
  }
  get addrBase(): number {
    return this.baseOf(DW_AT.addr_base) ?? (this.header.dwarf64 ? 16 : 8);
  }
  get rnglistsBase(): number | undefined {
    return this.baseOf(DW_AT.rnglists_base);
  }
  get loclistsBase(): number | undefined {
    return this.baseOf(DW_AT.loclists_base);
  }

  /** The unit's base address (DW_AT_low_pc of its root), for range and location lists. */
  get baseAddress(): bigint {
    const low = this.top()?.attributes.get(DW_AT.low_pc);
    return (low && this.address(low)) ?? 0n;
  }

  /** A string-class value as text; throws DwarfError when it points nowhere. */
  string(v: AttrValue): string | undefined {
    switch (v.kind) {
      case 'string':
        return v.value;
      case 'strp':
        return stringAt(this.sections.get(v.section), v.offset, v.section);
      case 'strx': {
        const table = this.sections.get('.debug_str_offsets');
        if (!table) throw new DwarfError('.debug_str_offsets is missing, but a DW_FORM_strx refers to it');
        const size = this.header.dwarf64 ? 8 : 4;
        const r = new Reader(table, '.debug_str_offsets', this.strOffsetsBase + v.index * size);
        return stringAt(this.sections.get('.debug_str'), r.offset(this.header.dwarf64), '.debug_str');
      }
      default:
        return undefined;
    }
  }

  /** An address-class value; addrx goes through .debug_addr. */
  address(v: AttrValue): bigint | undefined {
    if (v.kind === 'address') return v.value;
    if (v.kind !== 'addrx') return undefined;
    return this.indexedAddress(v.index);
  }

  indexedAddress(index: number): bigint {
    const table = this.sections.get('.debug_addr');
    if (!table) throw new DwarfError('.debug_addr is missing, but an indexed address refers to it');
    return new Reader(table, '.debug_addr', this.addrBase + index * this.header.addressSize).address(this.header.addressSize);
  }

  /** A DIE's attribute as text (names, comp_dir...). */
  text(die: Die, at: number): string | undefined {
    const v = die.attributes.get(at);
    return v && this.string(v);
  }
}

/** A constant-class value as a number (sizes, lines, bounds); undefined for other classes. */
export function constantOf(v: AttrValue | undefined): bigint | undefined {
  return v?.kind === 'constant' ? v.value : undefined;
}
