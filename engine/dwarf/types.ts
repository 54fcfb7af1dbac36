// C types described by DIEs, resolved on demand and cached by DIE offset.
// A struct enters the cache before its members resolve, so a type that
// refers to itself through a pointer is one shared object, whichever end
// (the struct or a pointer to it) is read first; a reference cycle that
// never passes through a struct (only bad DWARF makes one) resolves to an
// 'unknown' type instead of recursing forever.

import { DW_AT, DW_ATE, DW_TAG } from './constants';
import type { AttrValue } from './forms';
import { constantOf, type Die, type Unit } from './info';
import { DwarfError } from './reader';

export type BaseEncoding = 'signed' | 'unsigned' | 'float' | 'boolean' | 'signed char' | 'unsigned char' | 'address' | 'utf';

export interface Member {
  readonly name: string | undefined;
  readonly type: CType;
  /** Offset of the member's first byte in the aggregate. */
  readonly offset: number;
  /** For bitfields: the width and the offset of the first bit from the start of the aggregate. */
  readonly bitSize?: number;
  readonly bitOffset?: number;
}

export type CType =
  | { readonly kind: 'void' }
  | { readonly kind: 'base'; readonly name: string; readonly size: number; readonly encoding: BaseEncoding }
  | { readonly kind: 'pointer'; readonly size: number; readonly target: CType }
  | { readonly kind: 'qualified'; readonly qualifier: 'const' | 'volatile' | 'restrict' | '_Atomic'; readonly target: CType }
  | { readonly kind: 'typedef'; readonly name: string; readonly target: CType }
  | { readonly kind: 'struct' | 'union'; readonly name: string | undefined; readonly size: number | undefined; readonly members: Member[] }
  | { readonly kind: 'enum'; readonly name: string | undefined; readonly size: number; readonly enumerators: { readonly name: string; readonly value: bigint }[] }
  /** `counts[i]` undefined: a dimension of unknown size (a flexible array). */
  | { readonly kind: 'array'; readonly element: CType; readonly counts: readonly (number | undefined)[] }
  | { readonly kind: 'function'; readonly returns: CType; readonly parameters: CType[]; readonly variadic: boolean }
  | { readonly kind: 'unknown'; readonly reason: string };

/** How the type reader reaches DIEs anywhere in .debug_info. */
export interface DieSource {
  dieAt(offset: number): { unit: Unit; die: Die } | undefined;
}

const ENCODINGS: Record<number, BaseEncoding> = {
  [DW_ATE.address]: 'address',
  [DW_ATE.boolean]: 'boolean',
  [DW_ATE.float]: 'float',
  [DW_ATE.signed]: 'signed',
  [DW_ATE.signed_char]: 'signed char',
  [DW_ATE.unsigned]: 'unsigned',
  [DW_ATE.unsigned_char]: 'unsigned char',
  [DW_ATE.UTF]: 'utf',
};

const QUALIFIERS: Record<number, 'const' | 'volatile' | 'restrict' | '_Atomic'> = {
  [DW_TAG.const_type]: 'const',
  [DW_TAG.volatile_type]: 'volatile',
  [DW_TAG.restrict_type]: 'restrict',
  [DW_TAG.atomic_type]: '_Atomic',
};

const VOID: CType = { kind: 'void' };
/** Deeper chains of distinct types than any program declares; bad DWARF could otherwise exhaust the stack. */
const MAX_NESTING = 256;

export class TypeReader {
  private readonly cache = new Map<number, CType>();
  /** The DIEs being resolved since the innermost struct or union began its members. */
  private resolving = new Set<number>();
  private depth = 0;

  constructor(private readonly source: DieSource) {}

  /** The type a DIE's DW_AT_type names, looking through its abstract origin (void when there is none). */
  typeOf(die: Die): CType {
    let ref = die.attributes.get(DW_AT.type);
    let current: Die | undefined = die;
    for (let hops = 0; !ref && current && hops < 8; hops++) {
      const origin: AttrValue | undefined = current.attributes.get(DW_AT.abstract_origin) ?? current.attributes.get(DW_AT.specification);
      current = origin?.kind === 'ref' ? this.source.dieAt(origin.offset)?.die : undefined;
      ref = current?.attributes.get(DW_AT.type);
    }
    if (!ref) return VOID;
    if (ref.kind !== 'ref') return { kind: 'unknown', reason: `DW_AT_type of the DIE at 0x${die.offset.toString(16)} is a ${ref.kind}, not a reference` };
    return this.typeAt(ref.offset);
  }

  /** The type described by the DIE at `offset`. */
  typeAt(offset: number): CType {
    const known = this.cache.get(offset);
    if (known) return known;
    if (this.resolving.has(offset)) return { kind: 'unknown', reason: `the type at 0x${offset.toString(16)} refers to itself` };
    if (this.depth >= MAX_NESTING) return { kind: 'unknown', reason: `types nest more than ${MAX_NESTING} deep at 0x${offset.toString(16)}` };
    const found = this.source.dieAt(offset);
    if (!found) return { kind: 'unknown', reason: `no type DIE at 0x${offset.toString(16)}` };
    this.resolving.add(offset);
    this.depth++;
    try {
      const t = this.describe(found.unit, found.die);
      this.cache.set(offset, t);
      return t;
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      const t: CType = { kind: 'unknown', reason: e.message };
      this.cache.set(offset, t);
      return t;
    } finally {
      this.resolving.delete(offset);
      this.depth--;
    }
  }

  private describe(unit: Unit, die: Die): CType {
    const name = unit.text(die, DW_AT.name);
    const size = constantOf(die.attributes.get(DW_AT.byte_size));
    const qualifier = QUALIFIERS[die.tag];
    if (qualifier) return { kind: 'qualified', qualifier, target: this.typeOf(die) };
    switch (die.tag) {
      case DW_TAG.base_type: {
        const encoding = ENCODINGS[Number(constantOf(die.attributes.get(DW_AT.encoding)) ?? -1)];
        if (!encoding || size === undefined) return { kind: 'unknown', reason: `base type ${name ?? '?'} has no size or a known encoding` };
        return { kind: 'base', name: canonicalName(name ?? '?'), size: Number(size), encoding };
      }
      case DW_TAG.pointer_type:
        return { kind: 'pointer', size: Number(size ?? BigInt(unit.header.addressSize)), target: this.typeOf(die) };
      case DW_TAG.typedef:
        return { kind: 'typedef', name: name ?? '?', target: this.typeOf(die) };
      case DW_TAG.structure_type:
      case DW_TAG.union_type: {
        const t = { kind: die.tag === DW_TAG.union_type ? 'union' : 'struct', name, size: size === undefined ? undefined : Number(size), members: [] as Member[] } as const;
        // Cached before the members so a member pointing back at the struct finds it. The members
        // resolve afresh: a pointer to this struct still resolving outside it (the path that led
        // here) is not a cycle, since the struct now ends the chain.
        this.cache.set(die.offset, t);
        const outer = this.resolving;
        this.resolving = new Set();
        try {
          for (const child of die.children) if (child.tag === DW_TAG.member) t.members.push(this.member(unit, child));
        } finally {
          this.resolving = outer;
        }
        return t;
      }
      case DW_TAG.enumeration_type:
        return {
          kind: 'enum',
          name,
          size: Number(size ?? 4n),
          enumerators: die.children
            .filter((c) => c.tag === DW_TAG.enumerator)
            .map((c) => ({ name: unit.text(c, DW_AT.name) ?? '?', value: enumValue(c.attributes.get(DW_AT.const_value)) })),
        };
      case DW_TAG.array_type: {
        const counts: (number | undefined)[] = [];
        for (const sub of die.children) {
          if (sub.tag !== DW_TAG.subrange_type) continue;
          const count = constantOf(sub.attributes.get(DW_AT.count));
          const upper = sub.attributes.get(DW_AT.upper_bound);
          const bound = upper?.kind === 'constant' ? (upper.signed ? upper.value : signedOfWidth(upper.value, unit)) : undefined;
          counts.push(count !== undefined ? Number(count) : bound !== undefined ? Number(bound) + 1 : undefined);
        }
        return { kind: 'array', element: this.typeOf(die), counts: counts.length ? counts : [undefined] };
      }
      case DW_TAG.subroutine_type:
      case DW_TAG.subprogram:
        return {
          kind: 'function',
          returns: this.typeOf(die),
          parameters: die.children.filter((c) => c.tag === DW_TAG.formal_parameter).map((c) => this.typeOf(c)),
          variadic: die.children.some((c) => c.tag === DW_TAG.unspecified_parameters),
        };
      default:
        return { kind: 'unknown', reason: `DIE tag 0x${die.tag.toString(16)} at 0x${die.offset.toString(16)} is not a type` };
    }
  }

  private member(unit: Unit, die: Die): Member {
    const type = this.typeOf(die);
    const location = die.attributes.get(DW_AT.data_member_location);
    // A location is a constant, or in old producers an expression "DW_OP_plus_uconst N".
    let offset = 0;
    if (location?.kind === 'constant') offset = Number(location.value);
    else if (location?.kind === 'block' && location.bytes[0] === 0x23) offset = Number(uleb(location.bytes, 1));
    const bitSize = constantOf(die.attributes.get(DW_AT.bit_size));
    const name = unit.text(die, DW_AT.name);
    if (bitSize === undefined) return { name, type, offset };
    let bitOffset: number;
    const dataBitOffset = constantOf(die.attributes.get(DW_AT.data_bit_offset));
    const oldBitOffset = constantOf(die.attributes.get(DW_AT.bit_offset));
    if (dataBitOffset !== undefined) bitOffset = Number(dataBitOffset);
    else if (oldBitOffset !== undefined) {
      // DWARF 2-4 count from the most significant bit of a storage unit of byte_size bytes (little-endian here).
      const storage = Number(constantOf(die.attributes.get(DW_AT.byte_size)) ?? BigInt(sizeOf(type) ?? 4));
      bitOffset = offset * 8 + storage * 8 - Number(oldBitOffset) - Number(bitSize);
    } else bitOffset = offset * 8;
    return { name, type, offset: Math.floor(bitOffset / 8), bitSize: Number(bitSize), bitOffset };
  }
}

const INTEGER_WORDS = new Set(['unsigned', 'signed', 'long', 'short', 'int', 'char']);

/** C's shortest spelling of an integer type ("long unsigned int" is "unsigned long"); other names unchanged. */
function canonicalName(name: string): string {
  const words = name.split(' ');
  if (!words.every((w) => INTEGER_WORDS.has(w))) return name;
  const has = (w: string): boolean => words.includes(w);
  const sign = has('unsigned') ? 'unsigned ' : '';
  if (has('char')) return `${sign || (has('signed') ? 'signed ' : '')}char`;
  const longs = words.filter((w) => w === 'long').length;
  if (longs > 0) return `${sign}${longs > 1 ? 'long long' : 'long'}`;
  if (has('short')) return `${sign}short`;
  return `${sign}int`;
}

function uleb(bytes: Uint8Array, at: number): bigint {
  let v = 0n;
  let shift = 0n;
  for (let i = at; i < bytes.length; i++) {
    v |= BigInt(bytes[i]! & 0x7f) << shift;
    shift += 7n;
    if ((bytes[i]! & 0x80) === 0) break;
  }
  return v;
}

/** An upper bound in a data form: all ones of the unit's address width means -1 (a zero-length array). */
function signedOfWidth(v: bigint, unit: Unit): bigint {
  const bits = BigInt(unit.header.addressSize * 8);
  return v === (1n << bits) - 1n ? -1n : v;
}

function enumValue(v: AttrValue | undefined): bigint {
  return v?.kind === 'constant' ? v.value : 0n;
}

/** The type with typedefs and qualifiers looked through. */
export function resolved(t: CType): CType {
  let seen = 0;
  while ((t.kind === 'typedef' || t.kind === 'qualified') && seen++ < 64) t = t.target;
  return t;
}

/** sizeof, or undefined for void, functions, incomplete and unknown types. */
export function sizeOf(t: CType): number | undefined {
  const r = resolved(t);
  switch (r.kind) {
    case 'base':
    case 'pointer':
    case 'enum':
      return r.size;
    case 'struct':
    case 'union':
      return r.size;
    case 'array': {
      const element = sizeOf(r.element);
      if (element === undefined || r.counts.some((c) => c === undefined)) return undefined;
      return r.counts.reduce<number>((n, c) => n * c!, element);
    }
    default:
      return undefined;
  }
}

/** The C declaration of `name` (or the type name alone when `name` is empty), as gdb prints it. */
export function declaration(t: CType, name = ''): string {
  return declare(t, name, 0);
}

function declare(t: CType, inner: string, depth: number): string {
  const spaced = (head: string): string => (inner ? `${head} ${inner}` : head);
  if (depth > 32) return spaced('?');
  switch (t.kind) {
    case 'void':
      return spaced('void');
    case 'base':
    case 'typedef':
      return spaced(t.name);
    case 'struct':
    case 'union':
    case 'enum':
      return spaced(`${t.kind} ${t.name ?? '{...}'}`);
    case 'unknown':
      return spaced('<unknown type>');
    case 'qualified': {
      const target = t.target;
      // A qualified array is an array of qualified elements (C11 6.7.3p9).
      if (target.kind === 'array') {
        const element = target.element;
        const already = element.kind === 'qualified' && element.qualifier === t.qualifier;
        return declare({ ...target, element: already ? element : { kind: 'qualified', qualifier: t.qualifier, target: element } }, inner, depth + 1);
      }
      // A qualified pointer puts its qualifier after the star; a qualified object type before its name.
      if (target.kind === 'pointer') return declare(target.target, `* ${t.qualifier}${inner ? ` ${inner}` : ''}`, depth + 1);
      return `${t.qualifier} ${declare(target, inner, depth + 1)}`;
    }
    case 'pointer': {
      const target = t.target;
      const star = `*${inner}`;
      return declare(target, target.kind === 'array' || target.kind === 'function' ? `(${star})` : star, depth + 1);
    }
    case 'array':
      return declare(t.element, `${inner}${t.counts.map((c) => `[${c ?? ''}]`).join('')}`, depth + 1);
    case 'function': {
      const params = t.parameters.map((p) => declaration(p));
      if (t.variadic) params.push('...');
      return declare(t.returns, `${inner}(${params.length ? params.join(', ') : 'void'})`, depth + 1);
    }
  }
}
