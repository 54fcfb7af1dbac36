// Attribute values as their forms encode them. Values that index a table
// (strx, addrx, rnglistx, loclistx) stay indexes here; the unit resolves them
// through its bases.

import type { AttributeSpec } from './abbrev';
import { DW_FORM } from './constants';
import type { Reader } from './reader';

export type AttrValue =
  | { readonly kind: 'address'; readonly value: bigint }
  | { readonly kind: 'addrx'; readonly index: number }
  /** data1-8, udata, implicit_const: the bits; sdata: sign-extended. */
  | { readonly kind: 'constant'; readonly value: bigint; readonly signed: boolean }
  | { readonly kind: 'data16'; readonly bytes: Uint8Array }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'strp'; readonly section: '.debug_str' | '.debug_line_str'; readonly offset: number }
  | { readonly kind: 'strx'; readonly index: number }
  /** A reference as an absolute .debug_info offset. */
  | { readonly kind: 'ref'; readonly offset: number }
  | { readonly kind: 'signature'; readonly value: bigint }
  | { readonly kind: 'block'; readonly bytes: Uint8Array }
  | { readonly kind: 'flag'; readonly value: boolean }
  /** sec_offset: into the section the attribute's class names. */
  | { readonly kind: 'offset'; readonly value: number }
  | { readonly kind: 'loclistx'; readonly index: number }
  | { readonly kind: 'rnglistx'; readonly index: number }
  /** Forms that point into a supplementary file, which the reader does not open. */
  | { readonly kind: 'unsupported'; readonly form: number };

export interface UnitShape {
  readonly version: number;
  readonly dwarf64: boolean;
  readonly addressSize: number;
  /** The unit's own offset in .debug_info (unit-relative references add it). */
  readonly offset: number;
}

/** Reads one attribute's value. Throws DwarfError on an unknown form or truncated data. */
export function readAttribute(r: Reader, spec: AttributeSpec, unit: UnitShape): AttrValue {
  return readForm(r, spec.form, spec, unit);
}

function readForm(r: Reader, form: number, spec: AttributeSpec, unit: UnitShape): AttrValue {
  const constant = (value: bigint, signed = false): AttrValue => ({ kind: 'constant', value, signed });
  const ref = (relative: number): AttrValue => ({ kind: 'ref', offset: unit.offset + relative });
  switch (form) {
    case DW_FORM.addr:
      return { kind: 'address', value: r.address(unit.addressSize) };
    case DW_FORM.data1:
      return constant(BigInt(r.u8()));
    case DW_FORM.data2:
      return constant(BigInt(r.u16()));
    case DW_FORM.data4:
      return constant(BigInt(r.u32()));
    case DW_FORM.data8:
      return constant(r.u64());
    case DW_FORM.data16:
      return { kind: 'data16', bytes: r.block(16) };
    case DW_FORM.sdata:
      return constant(r.sleb(), true);
    case DW_FORM.udata:
      return constant(r.uleb());
    case DW_FORM.implicit_const:
      return constant(spec.implicitConst ?? 0n, true);
    case DW_FORM.string:
      return { kind: 'string', value: r.cstring() };
    case DW_FORM.strp:
      return { kind: 'strp', section: '.debug_str', offset: r.offset(unit.dwarf64) };
    case DW_FORM.line_strp:
      return { kind: 'strp', section: '.debug_line_str', offset: r.offset(unit.dwarf64) };
    case DW_FORM.strx:
    case DW_FORM.GNU_str_index:
      return { kind: 'strx', index: r.ulebn() };
    case DW_FORM.strx1:
      return { kind: 'strx', index: r.u8() };
    case DW_FORM.strx2:
      return { kind: 'strx', index: r.u16() };
    case DW_FORM.strx3:
      return { kind: 'strx', index: r.u24() };
    case DW_FORM.strx4:
      return { kind: 'strx', index: r.u32() };
    case DW_FORM.addrx:
    case DW_FORM.GNU_addr_index:
      return { kind: 'addrx', index: r.ulebn() };
    case DW_FORM.addrx1:
      return { kind: 'addrx', index: r.u8() };
    case DW_FORM.addrx2:
      return { kind: 'addrx', index: r.u16() };
    case DW_FORM.addrx3:
      return { kind: 'addrx', index: r.u24() };
    case DW_FORM.addrx4:
      return { kind: 'addrx', index: r.u32() };
    case DW_FORM.ref1:
      return ref(r.u8());
    case DW_FORM.ref2:
      return ref(r.u16());
    case DW_FORM.ref4:
      return ref(r.u32());
    case DW_FORM.ref8:
      return ref(r.u64n('reference'));
    case DW_FORM.ref_udata:
      return ref(r.ulebn());
    case DW_FORM.ref_addr:
      // DWARF 2 sized it as an address; later versions as an offset.
      return { kind: 'ref', offset: unit.version <= 2 ? Number(r.address(unit.addressSize)) : r.offset(unit.dwarf64) };
    case DW_FORM.ref_sig8:
      return { kind: 'signature', value: r.u64() };
    case DW_FORM.block1:
      return { kind: 'block', bytes: r.block(r.u8()) };
    case DW_FORM.block2:
      return { kind: 'block', bytes: r.block(r.u16()) };
    case DW_FORM.block4:
      return { kind: 'block', bytes: r.block(r.u32()) };
    case DW_FORM.block:
    case DW_FORM.exprloc:
      return { kind: 'block', bytes: r.block(r.ulebn()) };
    case DW_FORM.flag:
      return { kind: 'flag', value: r.u8() !== 0 };
    case DW_FORM.flag_present:
      return { kind: 'flag', value: true };
    case DW_FORM.sec_offset:
      return { kind: 'offset', value: r.offset(unit.dwarf64) };
    case DW_FORM.loclistx:
      return { kind: 'loclistx', index: r.ulebn() };
    case DW_FORM.rnglistx:
      return { kind: 'rnglistx', index: r.ulebn() };
    case DW_FORM.ref_sup4:
      r.skip(4);
      return { kind: 'unsupported', form };
    case DW_FORM.ref_sup8:
      r.skip(8);
      return { kind: 'unsupported', form };
    case DW_FORM.strp_sup:
    case DW_FORM.GNU_ref_alt:
    case DW_FORM.GNU_strp_alt:
      r.offset(unit.dwarf64);
      return { kind: 'unsupported', form };
    case DW_FORM.indirect: {
      const actual = r.ulebn();
      if (actual === DW_FORM.indirect || actual === DW_FORM.implicit_const) r.fail(`DW_FORM_indirect names form 0x${actual.toString(16)}, which it cannot`);
      return readForm(r, actual, spec, unit);
    }
    default:
      return r.fail(`unknown attribute form 0x${form.toString(16)} (attribute 0x${spec.name.toString(16)}) at 0x${r.pos.toString(16)}`);
  }
}
