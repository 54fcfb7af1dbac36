// .debug_abbrev: the table of DIE shapes that a unit's DIEs name by code.

import { DW_FORM } from './constants';
import { Reader } from './reader';

export interface AttributeSpec {
  readonly name: number;
  readonly form: number;
  /** The value itself, for DW_FORM_implicit_const. */
  readonly implicitConst?: bigint;
}

export interface Abbrev {
  readonly code: number;
  readonly tag: number;
  readonly hasChildren: boolean;
  readonly attributes: readonly AttributeSpec[];
}

export type AbbrevTable = ReadonlyMap<number, Abbrev>;

/** The abbreviation table at `offset`. Throws DwarfError when it is malformed. */
export function parseAbbrevTable(bytes: Uint8Array, offset: number): AbbrevTable {
  const r = new Reader(bytes, '.debug_abbrev', offset);
  const table = new Map<number, Abbrev>();
  for (;;) {
    const code = r.ulebn();
    if (code === 0) return table;
    const tag = r.ulebn();
    const hasChildren = r.u8() !== 0;
    const attributes: AttributeSpec[] = [];
    for (;;) {
      const name = r.ulebn();
      const form = r.ulebn();
      if (name === 0 && form === 0) break;
      attributes.push(form === DW_FORM.implicit_const ? { name, form, implicitConst: r.sleb() } : { name, form });
    }
    if (table.has(code)) r.fail(`abbreviation code ${code} is defined twice in the table at 0x${offset.toString(16)}`);
    table.set(code, { code, tag, hasChildren, attributes });
  }
}
