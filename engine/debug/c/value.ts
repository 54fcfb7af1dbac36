// A C value: a DWARF type at a location (memory, a register, a computed
// value, implicit bytes, pieces of those, or unavailable) read in one frame.
// Members, elements and a pointer's pointee are values too, at locations
// derived from their parent's.

import type { Location, Piece } from '../../dwarf/expression';
import { resolved, sizeOf, type CType } from '../../dwarf/types';
import type { ValueFrame } from './value-frame';

export interface CValue {
  readonly type: CType;
  readonly location: Location;
  /** A bitfield: its first bit within the location's bytes, and its width. */
  readonly bitField?: { readonly offset: number; readonly size: number };
}

const MASK64 = (1n << 64n) - 1n;

export function littleEndian(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

export function toBytes(value: bigint, size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));
}

/** The location's first `size` bytes, or why they cannot be read. */
export function bytesAt(frame: ValueFrame, location: Location, size: number): Uint8Array | string {
  switch (location.kind) {
    case 'memory':
      return frame.read(location.address, size) ?? `cannot read ${size} bytes at 0x${location.address.toString(16)}: not mapped for CPU ${frame.cpu}`;
    case 'register': {
      const v = frame.register(location.register);
      if (v === undefined) return frame.index === 0 ? `DWARF register ${location.register} cannot be read` : 'not saved';
      return toBytes(BigInt.asUintN(Math.max(64, size * 8), v), size);
    }
    case 'value':
      return toBytes(BigInt.asUintN(Math.max(64, size * 8), location.value), size);
    case 'implicit': {
      const out = new Uint8Array(size);
      out.set(location.bytes.subarray(0, size));
      return out;
    }
    case 'pieces': {
      const all = piecesBits(frame, location.pieces, size * 8);
      if (typeof all === 'string') return all;
      return all.count < size * 8 ? 'optimized out' : toBytes(all.bits, size);
    }
    case 'unavailable':
      return location.reason;
  }
}

/** The first `wanted` bits of an object made of pieces (fewer when the pieces end sooner), or why one of them cannot be read. */
function piecesBits(frame: ValueFrame, pieces: readonly Piece[], wanted: number): { bits: bigint; count: number } | string {
  let bits = 0n;
  let at = 0;
  for (const piece of pieces) {
    if (at >= wanted) break;
    const bytes = bytesAt(frame, piece.location, Math.ceil((piece.bitOffset + piece.bits) / 8));
    if (typeof bytes === 'string') return bytes;
    bits |= ((littleEndian(bytes) >> BigInt(piece.bitOffset)) & ((1n << BigInt(piece.bits)) - 1n)) << BigInt(at);
    at += piece.bits;
  }
  return { bits, count: at };
}

/** The value's bits as an unsigned integer (a bitfield's own bits, zero-extended), or why it has none. */
export function rawBits(frame: ValueFrame, v: CValue): bigint | string {
  if (v.bitField && v.location.kind === 'pieces') {
    const got = piecesBits(frame, v.location.pieces, v.bitField.offset + v.bitField.size);
    if (typeof got === 'string') return got;
    return (got.bits >> BigInt(v.bitField.offset)) & ((1n << BigInt(v.bitField.size)) - 1n);
  }
  if (v.bitField) {
    const bytes = bytesAt(frame, v.location, Math.ceil((v.bitField.offset + v.bitField.size) / 8));
    if (typeof bytes === 'string') return bytes;
    return (littleEndian(bytes) >> BigInt(v.bitField.offset)) & ((1n << BigInt(v.bitField.size)) - 1n);
  }
  const size = sizeOf(v.type);
  if (size === undefined) return `${describeIncomplete(v.type)} has no size`;
  const bytes = bytesAt(frame, v.location, size);
  return typeof bytes === 'string' ? bytes : littleEndian(bytes);
}

function describeIncomplete(t: CType): string {
  const r = resolved(t);
  return r.kind === 'struct' || r.kind === 'union' ? `${r.kind} ${r.name ?? '{...}'}` : r.kind === 'array' ? 'an array of unknown size' : `a ${r.kind}`;
}

/** Whether the resolved type counts as signed for C arithmetic (signed ints, plain chars that are signed, enums with a negative enumerator). */
export function isSigned(t: CType): boolean {
  const r = resolved(t);
  if (r.kind === 'base') return r.encoding === 'signed' || r.encoding === 'signed char';
  if (r.kind === 'enum') return r.enumerators.some((e) => e.value < 0n);
  return false;
}

/** The value as a C integer (sign-extended where its type is signed), or why it has none. */
export function integerOf(frame: ValueFrame, v: CValue): bigint | string {
  const bits = rawBits(frame, v);
  if (typeof bits === 'string') return bits;
  const width = v.bitField ? v.bitField.size : (sizeOf(v.type) ?? 8) * 8;
  return isSigned(v.type) ? BigInt.asIntN(width, bits) : BigInt.asUintN(width, bits);
}

/** The location `offset` bytes into `location` (a member's, an element's). */
export function offsetLocation(location: Location, offset: number, size: number, frame: ValueFrame): Location {
  if (location.kind === 'pieces') return slicePieces(location.pieces, offset * 8, size * 8);
  if (offset === 0) return location;
  if (location.kind === 'memory') return { kind: 'memory', address: (location.address + BigInt(offset)) & MASK64 };
  if (location.kind === 'unavailable') return location;
  // In a register, a value or implicit bytes: the bytes themselves (read now), no longer writable.
  const whole = bytesAt(frame, location, offset + size);
  if (typeof whole === 'string') return { kind: 'unavailable', reason: whole };
  return { kind: 'implicit', bytes: whole.slice(offset, offset + size) };
}

/**
 * The pieces covering bits [from, from + bits) of an object made of
 * pieces: each part keeps its own location (so a member may be available
 * where its neighbours are not); one whole piece in memory or a register
 * becomes that plain location again (writable).
 */
function slicePieces(pieces: readonly Piece[], from: number, bits: number): Location {
  const out: Piece[] = [];
  let at = 0;
  for (const p of pieces) {
    const lo = Math.max(from, at);
    const hi = Math.min(from + bits, at + p.bits);
    if (lo < hi) out.push({ location: p.location, bits: hi - lo, bitOffset: p.bitOffset + (lo - at) });
    at += p.bits;
  }
  if (at < from + bits) out.push({ location: { kind: 'unavailable', reason: 'optimized out' }, bits: from + bits - Math.max(at, from), bitOffset: 0 });
  const only = out.length === 1 ? out[0]! : undefined;
  if (only && only.bitOffset % 8 === 0) {
    if (only.location.kind === 'memory') return { kind: 'memory', address: (only.location.address + BigInt(only.bitOffset / 8)) & MASK64 };
    if (only.location.kind === 'register' && only.bitOffset === 0) return only.location;
  }
  return { kind: 'pieces', pieces: out };
}

/** A member of a struct or union value. */
export function memberValue(frame: ValueFrame, parent: CValue, m: { readonly type: CType; readonly offset: number; readonly bitSize?: number; readonly bitOffset?: number }): CValue {
  if (m.bitSize !== undefined && m.bitOffset !== undefined) {
    // Of an object in pieces, exactly the bitfield's bits (its neighbours may be unavailable).
    if (parent.location.kind === 'pieces') return { type: m.type, location: slicePieces(parent.location.pieces, m.bitOffset, m.bitSize), bitField: { offset: 0, size: m.bitSize } };
    const firstByte = Math.floor(m.bitOffset / 8);
    const bitInByte = m.bitOffset - firstByte * 8;
    const span = Math.ceil((bitInByte + m.bitSize) / 8);
    return { type: m.type, location: offsetLocation(parent.location, firstByte, span, frame), bitField: { offset: bitInByte, size: m.bitSize } };
  }
  return { type: m.type, location: offsetLocation(parent.location, m.offset, sizeOf(m.type) ?? 0, frame) };
}

/** The type of one element of an array type (a row, for more than one dimension). */
export function elementType(t: CType & { kind: 'array' }): CType {
  return t.counts.length > 1 ? { kind: 'array', element: t.element, counts: t.counts.slice(1) } : t.element;
}

/** Element `i` of an array value. */
export function elementValue(frame: ValueFrame, parent: CValue, i: number): CValue {
  const t = resolved(parent.type) as CType & { kind: 'array' };
  const element = elementType(t);
  const size = sizeOf(element) ?? 0;
  return { type: element, location: offsetLocation(parent.location, i * size, size, frame) };
}

/** The memory address of a value, when it lives in memory. */
export function addressOf(v: CValue): bigint | undefined {
  return v.location.kind === 'memory' && !v.bitField ? v.location.address : undefined;
}
