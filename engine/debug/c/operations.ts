// The expression language's operations on the program's own C values (those
// with a DWARF type, evaluate.ts's Value.c): loading a scalar, members,
// elements and pointees, addresses, casts to the program's types, sizeof,
// assignment through the location, and gdb's text for a result.

import { resolved, sizeOf, type CType as DwarfType } from '../../dwarf/types';
import { store } from './assign';
import { formatValue, typeName } from './format';
import { LP64, type ProgramScope } from './scope';
import { addressOf, elementType, elementValue, isSigned, memberValue, rawBits, type CValue } from './value';
import { ExpressionError, type CType, type TypeSpec } from '../expression';
import { bitsOfFloat } from '../../ieee-bits';
import { floatSize, integerOfNumber, numberIn, numberOf } from './float-arithmetic';

/** The evaluate.ts value shape, repeated here so the two files do not import each other's runtime code. */
export interface TypedValue {
  readonly bits: bigint;
  readonly type: CType;
  readonly address: boolean;
  readonly location?: bigint;
  readonly c?: CValue;
}

const MASK = (1n << 64n) - 1n;
const POINTER: CType = { width: 8, signed: false, pointer: 1 };

/** The machine type arithmetic gives a C type: its size and signedness, a pointer as one level. */
function machineOf(t: DwarfType): CType {
  const r = resolved(t);
  if (r.kind === 'pointer' || r.kind === 'array') return POINTER;
  const size = sizeOf(r);
  const width = size === 1 || size === 2 || size === 4 ? size : 8;
  return { width, signed: isSigned(r), pointer: 0 };
}

const pointerTo = (t: DwarfType): DwarfType => ({ kind: 'pointer', size: 8, target: t });

function isFloat(t: DwarfType): boolean {
  const r = resolved(t);
  return r.kind === 'base' && r.encoding === 'float';
}

/** A C value as an expression value: a scalar loaded; an array as its address (it decays); a struct as its address, for & and members. */
export function fromC(scope: ProgramScope, c: CValue, col: number): TypedValue {
  const r = resolved(c.type);
  const address = addressOf(c);
  const at = address !== undefined ? { location: address } : {};
  if (r.kind === 'struct' || r.kind === 'union' || r.kind === 'array' || r.kind === 'function') {
    return { bits: address ?? 0n, type: r.kind === 'array' ? POINTER : { width: 8, signed: false, pointer: 0 }, address: r.kind !== 'struct' && r.kind !== 'union', ...at, c };
  }
  if (r.kind === 'void') throw new ExpressionError(`column ${col}: a void value has no bits`);
  const bits = rawBits(scope.frame, c);
  if (typeof bits === 'string') throw new ExpressionError(`column ${col}: the value is ${bits.startsWith('optimized out') ? '<optimized out>' : `unreadable: ${bits}`}`);
  const type = machineOf(c.type);
  const width = c.bitField ? c.bitField.size : type.width * 8;
  const extended = type.signed ? BigInt.asUintN(64, BigInt.asIntN(width, bits)) : bits;
  return { bits: extended & MASK, type, address: r.kind === 'pointer', ...at, c };
}

/** The value as a DWARF-typed rvalue (a cast's or pointer arithmetic's result). */
function rvalue(type: DwarfType, bits: bigint): CValue {
  return { type, location: { kind: 'value', value: bits & MASK } };
}

/** A value in memory of `type` at `address`. */
function inMemory(scope: ProgramScope, type: DwarfType, address: bigint, col: number): TypedValue {
  return fromC(scope, { type, location: { kind: 'memory', address: address & MASK } }, col);
}

/** `base.name`, or `base->name` when `arrow`. */
export function member(scope: ProgramScope, base: TypedValue, name: string, arrow: boolean, col: number): TypedValue {
  let aggregate = base.c;
  if (!aggregate) throw new ExpressionError(`column ${col}: "${arrow ? '->' : '.'}${name}" needs a struct or union from the program; this value has no C type`);
  if (arrow) {
    const p = resolved(aggregate.type);
    if (p.kind !== 'pointer') throw new ExpressionError(`column ${col}: "->" needs a pointer, but the value is ${typeName(aggregate.type)}`);
    aggregate = { type: p.target, location: { kind: 'memory', address: base.bits & MASK } };
  }
  const t = resolved(aggregate.type);
  if (t.kind === 'pointer' && !arrow) throw new ExpressionError(`column ${col}: the value is a pointer (${typeName(aggregate.type)}): use "->${name}"`);
  if (t.kind !== 'struct' && t.kind !== 'union') throw new ExpressionError(`column ${col}: ${typeName(aggregate.type)} has no members`);
  const m = findMember(t.members, name);
  if (!m) throw new ExpressionError(`column ${col}: ${typeName(aggregate.type)} has no member named "${name}"`);
  return fromC(scope, m.reduce((v, step) => memberValue(scope.frame, v, step), aggregate), col);
}

type Member = (DwarfType & { kind: 'struct' })['members'][number];

/** The member path to `name`, looking into anonymous structs and unions. */
function findMember(members: readonly Member[], name: string): Member[] | undefined {
  for (const m of members) {
    if (m.name === name) return [m];
    const inner = resolved(m.type);
    if (m.name === undefined && (inner.kind === 'struct' || inner.kind === 'union')) {
      const path = findMember(inner.members, name);
      if (path) return [m, ...path];
    }
  }
  return undefined;
}

/** The size pointer arithmetic scales by (gdb counts void and functions as 1). */
export function scaleOf(v: TypedValue): number | undefined {
  if (!v.c) return undefined;
  const r = resolved(v.c.type);
  if (r.kind === 'array') return sizeOf(elementType(r)) ?? 1;
  if (r.kind === 'pointer') return sizeOf(r.target) ?? 1;
  return undefined;
}

/** The pointer type of a C pointer or decayed array, for the result of pointer arithmetic. */
export function withPointerType(v: TypedValue, bits: bigint): TypedValue {
  const r = resolved(v.c!.type);
  const type = r.kind === 'array' ? pointerTo(elementType(r)) : v.c!.type;
  return { bits: bits & MASK, type: POINTER, address: true, c: rvalue(type, bits) };
}

/** `*p` for a C pointer (or an array: its first element). */
export function deref(scope: ProgramScope, p: TypedValue, col: number): TypedValue {
  const r = resolved(p.c!.type);
  if (r.kind === 'array') return fromC(scope, elementValue(scope.frame, p.c!, 0), col);
  if (r.kind !== 'pointer') throw new ExpressionError(`column ${col}: only a pointer can be dereferenced, but the value is ${typeName(p.c!.type)}`);
  const target = resolved(r.target);
  if (target.kind === 'void') throw new ExpressionError(`column ${col}: a void * cannot be dereferenced: cast it first, as in *(int *)p`);
  if (target.kind === 'function') return fromC(scope, { type: r.target, location: { kind: 'memory', address: p.bits & MASK } }, col);
  return inMemory(scope, r.target, p.bits, col);
}

/** `a[i]` for a C array or pointer. */
export function index(scope: ProgramScope, base: TypedValue, i: bigint, col: number): TypedValue {
  const r = resolved(base.c!.type);
  if (r.kind === 'array') {
    const count = r.counts[0];
    // Inside the array's storage, the element is read where it lies (a register, a value); beyond, from memory like C.
    if (count !== undefined && i >= 0n && i < BigInt(count) && base.location === undefined) return fromC(scope, elementValue(scope.frame, base.c!, Number(i)), col);
    if (base.location === undefined) throw new ExpressionError(`column ${col}: index ${i} is outside the array, which is not in memory`);
    return inMemory(scope, elementType(r), base.location + i * BigInt(sizeOf(elementType(r)) ?? 1), col);
  }
  if (r.kind !== 'pointer') throw new ExpressionError(`column ${col}: only an array or a pointer can be indexed, but the value is ${typeName(base.c!.type)}`);
  if (resolved(r.target).kind === 'void') throw new ExpressionError(`column ${col}: a void * cannot be indexed: cast it first`);
  return inMemory(scope, r.target, base.bits + i * BigInt(sizeOf(r.target) ?? 1), col);
}

/** `&x` of a C value in memory. */
export function addressOfValue(v: TypedValue, col: number): TypedValue {
  const address = v.c && addressOf(v.c);
  if (address === undefined) {
    const where = v.c?.bitField ? 'a bitfield' : v.c?.location.kind === 'register' ? 'in a register' : 'not in memory';
    throw new ExpressionError(`column ${col}: the value has no address: it is ${where}`);
  }
  return { bits: address, type: POINTER, address: true, c: rvalue(pointerTo(v.c!.type), address) };
}

/** The program type a cast or sizeof names (C's own integer and float types without DWARF), behind its stars; undefined when it names none. */
export function programType(scope: ProgramScope | undefined, spec: TypeSpec): DwarfType | undefined {
  let t = scope ? scope.type(spec.name) : LP64[spec.name.replace(/\s+/g, ' ').trim()];
  if (!t) return undefined;
  for (let i = 0; i < spec.pointer; i++) t = pointerTo(t);
  return t;
}

/** `(type)v` to a program type. */
export function cast(v: TypedValue, type: DwarfType, col: number): TypedValue {
  const r = resolved(type);
  if (r.kind === 'struct' || r.kind === 'union' || r.kind === 'array' || r.kind === 'function') {
    throw new ExpressionError(`column ${col}: a value cannot be cast to ${typeName(type)}: cast a pointer to it, as in *(${typeName(type)} *)p`);
  }
  if (r.kind === 'void') return { bits: 0n, type: { width: 8, signed: false, pointer: 0 }, address: false, c: rvalue(type, 0n) };
  const from = v.c && resolved(v.c.type);
  if (from && (from.kind === 'struct' || from.kind === 'union')) throw new ExpressionError(`column ${col}: ${typeName(v.c!.type)} cannot be converted to ${typeName(type)}`);
  const fromFloat = floatSize(v, col) !== undefined;
  let bits: bigint;
  if (isFloat(type)) {
    if (v.type.pointer > 0 || (from && from.kind !== 'base' && from.kind !== 'enum')) throw new ExpressionError(`column ${col}: ${v.c ? typeName(v.c.type) : 'a pointer'} cannot be converted to ${typeName(type)}`);
    const size = floatSize({ ...v, c: rvalue(type, 0n) }, col)!;
    bits = bitsOfFloat(numberIn(v, size, col), size);
  } else {
    if (fromFloat && r.kind === 'pointer') throw new ExpressionError(`column ${col}: a floating-point value cannot be converted to ${typeName(type)}: cast it to an integer first, as in (${typeName(type)})(long)x`);
    const whole = fromFloat ? integerOfNumber(numberOf(v, col)) : v.bits;
    const m = machineOf(type);
    bits = m.pointer ? whole & MASK : BigInt.asUintN(64, m.signed ? BigInt.asIntN(m.width * 8, whole) : BigInt.asUintN(m.width * 8, whole));
  }
  return { bits, type: machineOf(type), address: r.kind === 'pointer', c: rvalue(type, bits) };
}

/** A size as C's sizeof gives it: an unsigned long. */
export function sizeResult(size: bigint): TypedValue {
  const type = LP64['unsigned long']!;
  return { bits: size, type: machineOf(type), address: false, c: rvalue(type, size) };
}

/** sizeof a value: its C type's size, or its machine width. */
export function sizeOfValue(v: TypedValue, col: number): bigint {
  if (!v.c) return BigInt(v.type.pointer ? 8 : v.type.width);
  // A decayed array keeps its whole size, as in C.
  const size = sizeOf(v.c.type);
  if (size === undefined) throw new ExpressionError(`column ${col}: ${typeName(v.c.type)} has no size`);
  return BigInt(size);
}

/** `target = v` through the target's location; the value afterwards. */
export function assign(scope: ProgramScope, target: TypedValue, v: TypedValue, col: number): TypedValue {
  const converted = cast(v, target.c!.type, col);
  const failed = store(scope.frame, target.c!, converted.bits);
  if (failed) throw new ExpressionError(`column ${col}: cannot assign: ${failed}`);
  return fromC(scope, target.c!, col);
}

/** An operand's C integer type after promotion: its size (at least int's) and signedness; undefined for pointers and aggregates. */
function promotedInteger(v: TypedValue): { size: number; signed: boolean } | undefined {
  if (!v.c) {
    // A number or register without a C type: a literal that fits int is int, anything else long (unsigned when it is u64).
    if (v.type.pointer) return undefined;
    const fitsInt = v.type.signed && BigInt.asIntN(64, v.bits) >= -(1n << 31n) && BigInt.asIntN(64, v.bits) < 1n << 31n;
    return fitsInt ? { size: 4, signed: true } : { size: 8, signed: v.type.signed };
  }
  const r = resolved(v.c.type);
  if (r.kind === 'enum') return { size: Math.max(4, r.size), signed: r.size < 4 || isSigned(r) };
  if (r.kind !== 'base' || r.encoding === 'float') return undefined;
  if (r.size < 4) return { size: 4, signed: true };
  return { size: r.size, signed: isSigned(r) };
}

const INTEGER_NAMES: Record<string, string> = { '4 true': 'int', '4 false': 'unsigned int', '8 true': 'long', '8 false': 'unsigned long' };

/**
 * `r` (an operation's 64-bit result) in the C type the operands meet at
 * (int for a comparison): the usual arithmetic conversions of C on LP64.
 * Unchanged where an operand is a pointer, a float or an aggregate.
 */
export function withIntegerType(r: TypedValue, a: TypedValue, b: TypedValue | undefined, comparison: boolean): TypedValue {
  if (r.c) return r;
  let t = { size: 4, signed: true };
  if (!comparison) {
    const x = promotedInteger(a);
    const y = b ? promotedInteger(b) : x;
    // Two pointers' difference is a long (ptrdiff_t); other mixes with pointers, floats or aggregates keep their plain result.
    if (!x || !y) {
      if (!(b && scaleOf(a) !== undefined && scaleOf(b) !== undefined)) return r;
      t = { size: 8, signed: true };
    } else if (x.size !== y.size) t = x.size > y.size ? x : y;
    else t = { size: x.size, signed: x.signed && y.signed };
  }
  const type = LP64[INTEGER_NAMES[`${t.size} ${t.signed}`] ?? 'long']!;
  const bits = t.signed ? BigInt.asUintN(64, BigInt.asIntN(t.size * 8, r.bits)) : BigInt.asUintN(t.size * 8, r.bits);
  return { bits, type: machineOf(type), address: false, c: rvalue(type, bits) };
}

/** Whether arithmetic would treat this float's bits as an integer. */
export function floatOperand(v: TypedValue): boolean {
  return v.c !== undefined && isFloat(v.c.type);
}

/** A typed result as gdb's `print` shows it: pointers with their type first, everything else as the Variables pane does. */
export function resultText(scope: ProgramScope, v: TypedValue, hex: boolean | undefined): string {
  const r = resolved(v.c!.type);
  const scalar = r.kind === 'base' || r.kind === 'enum' || r.kind === 'pointer';
  if (hex === true && scalar && !isFloat(r)) return `0x${BigInt.asUintN(r.kind === 'pointer' ? 64 : machineOf(r).width * 8, v.bits).toString(16)}`;
  const text = formatValue(scope.frame, v.c!);
  // gdb names a pointer's type before it, except a char pointer's (its string says enough).
  const target = r.kind === 'pointer' ? resolved(r.target) : undefined;
  if (target && !(target.kind === 'base' && target.size === 1 && (target.encoding === 'signed char' || target.encoding === 'unsigned char'))) return `(${typeName(v.c!.type)}) ${text}`;
  return text;
}
