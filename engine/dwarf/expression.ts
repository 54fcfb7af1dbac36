// DWARF expressions (DWARF 5 section 2.5 and 2.6) evaluated over a small
// context: where a variable lives (memory, a register, a computed value, or
// pieces of those), or why that cannot be known here.

import { DwarfError, Reader } from './reader';
import { bitsOfFloat } from '../ieee-bits';
import { floatOf, floatOperands, floatResult, type StackType } from './typed-values';

export interface ExpressionContext {
  /** 4 or 8: the width of the generic type. */
  readonly addressSize: number;
  /** A register by its DWARF number; undefined when the frame does not know it. */
  register(n: number): bigint | undefined;
  /** `size` bytes of memory at `address`, little-endian; undefined when unreadable. */
  readMemory(address: bigint, size: number): bigint | undefined;
  /** The function's DW_AT_frame_base, evaluated. */
  frameBase?(): bigint | undefined;
  /** The frame's canonical frame address. */
  cfa?(): bigint | undefined;
  /** An entry of .debug_addr (DW_OP_addrx, DW_OP_constx). */
  indexedAddress?(index: number): bigint;
  /** The base type at a unit-relative DIE offset (DW_OP_convert and the other typed operations); undefined when there is none. */
  baseType?(unitOffset: number): StackType | undefined;
  /** What DW_OP_entry_value's sub-expression (a register) held on entry to the function, or why that is not known. */
  entryValue?(expression: Uint8Array): bigint | { readonly unavailable: string };
}

export type Location =
  | { readonly kind: 'memory'; readonly address: bigint }
  | { readonly kind: 'register'; readonly register: number }
  /** DW_OP_stack_value: the value itself, no storage. */
  | { readonly kind: 'value'; readonly value: bigint }
  /** DW_OP_implicit_value: the bytes themselves. */
  | { readonly kind: 'implicit'; readonly bytes: Uint8Array }
  | { readonly kind: 'pieces'; readonly pieces: readonly Piece[] }
  /** Optimized out, or not computable here (an entry value, a missing register); `reason` says which. */
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface Piece {
  readonly location: Location;
  readonly bits: number;
  /** DW_OP_bit_piece's offset within the location. */
  readonly bitOffset: number;
}

/** Operations a well-formed expression for a variable never needs more of; beyond this a branch loops. */
const MAX_STEPS = 10_000;

class Unavailable extends Error {}

const unavailable = (reason: string): never => {
  throw new Unavailable(reason);
};

/** Evaluates `expression`; never throws: malformed bytes and missing inputs are an 'unavailable' location with the reason. */
export function evaluateLocation(expression: Uint8Array, context: ExpressionContext, initialStack: readonly bigint[] = []): Location {
  if (expression.length === 0) return { kind: 'unavailable', reason: 'optimized out' };
  try {
    return run(expression, context, [...initialStack]);
  } catch (e) {
    if (e instanceof Unavailable) return { kind: 'unavailable', reason: e.message };
    if (e instanceof DwarfError || e instanceof RangeError) return { kind: 'unavailable', reason: `malformed location expression: ${e.message}` };
    throw e;
  }
}

function run(expression: Uint8Array, ctx: ExpressionContext, stack: bigint[]): Location {
  const bits = BigInt(ctx.addressSize * 8);
  const mask = (1n << bits) - 1n;
  const signBit = 1n << (bits - 1n);
  const wrap = (v: bigint): bigint => v & mask;
  const signed = (v: bigint): bigint => (v & signBit ? v - (1n << bits) : v);
  const r = new Reader(expression, 'location expression');
  const pieces: Piece[] = [];
  let current: Location | undefined;
  let steps = 0;

  // Each entry's base type; undefined for the generic type (DWARF 5 2.5.1.6).
  const types: (StackType | undefined)[] = stack.map(() => undefined);
  const popEntry = (): { value: bigint; type: StackType | undefined } => {
    const v = stack.pop();
    if (v === undefined) return r.fail(`stack underflow at byte ${r.pos - 1}`);
    return { value: v, type: types.pop() };
  };
  const pop = (): bigint => {
    const e = popEntry();
    if (e.type?.float) unavailable(`a floating-point value as an integer operand (byte ${r.pos - 1}) is not evaluated`);
    return e.value;
  };
  const push = (v: bigint, type?: StackType): void => {
    stack.push(wrap(v));
    types.push(type);
  };
  const pushEntry = (e: { value: bigint; type: StackType | undefined }): void => push(e.value, e.type);
  const baseType = (offset: number): StackType => {
    const t = ctx.baseType?.(offset) ?? unavailable(`the DWARF stack type at unit offset 0x${offset.toString(16)} is not a base type here`);
    if (t.size > 8) unavailable(`a ${t.size}-byte value on the DWARF stack is not evaluated`);
    return t;
  };
  const number = (e: { value: bigint; type: StackType | undefined }): number => {
    if (e.type?.float) return floatOf(e.value, e.type.size) ?? unavailable(`a ${e.type.size}-byte floating-point value is not evaluated`);
    const type = e.type ?? unavailable('converting a value of the generic type to floating point is not evaluated');
    const bits = type.size * 8;
    return Number(type.signed ? BigInt.asIntN(bits, e.value) : BigInt.asUintN(bits, e.value));
  };
  /** An operation on floating-point operands: both of one float type. */
  const floatOp = (op: number, operands: 1 | 2): void => {
    const b = popEntry();
    const a = operands === 2 ? popEntry() : b;
    const same = a.type?.float && b.type?.float && a.type.size === b.type.size && (b.type.size === 4 || b.type.size === 8);
    const t = same ? b.type! : unavailable(`DWARF arithmetic mixing floating-point and other types (byte ${r.pos - 1}) is not evaluated`);
    const result = operands === 2 ? floatResult(op, t.size as 4 | 8, number(a), number(b)) : floatResult(op, t.size as 4 | 8, number(b));
    push(result.value, result.float ? t : undefined);
  };
  const register = (n: number): bigint => ctx.register(n) ?? unavailable(`register ${n} is not known in this frame`);
  const memory = (address: bigint, size: number): bigint => ctx.readMemory(address, size) ?? unavailable(`memory at 0x${address.toString(16)} cannot be read`);
  const binary = (f: (a: bigint, b: bigint) => bigint): void => {
    const b = pop();
    const a = pop();
    push(f(a, b));
  };
  const compare = (f: (a: bigint, b: bigint) => boolean): void => binary((a, b) => (f(signed(a), signed(b)) ? 1n : 0n));
  const branch = (offset: number): void => {
    const target = r.pos + offset;
    if (target < 0 || target > expression.length) r.fail(`a branch to byte ${target}, outside the expression`);
    r.pos = target;
  };

  while (!r.atEnd) {
    if (++steps > MAX_STEPS) r.fail(`more than ${MAX_STEPS} operations: a branch loops`);
    const op = r.u8();
    if (current && op !== 0x93 && op !== 0x9d) r.fail(`operation 0x${op.toString(16)} follows a register, stack or implicit location without a piece`);
    if (op >= 0x30 && op <= 0x4f) {
      push(BigInt(op - 0x30));
      continue;
    }
    const operands = floatOperands(op);
    if (operands && (types[types.length - 1]?.float || (operands === 2 && types[types.length - 2]?.float))) {
      floatOp(op, operands);
      continue;
    }
    if (op >= 0x50 && op <= 0x6f) {
      current = { kind: 'register', register: op - 0x50 };
      continue;
    }
    if (op >= 0x70 && op <= 0x8f) {
      const offset = r.sleb();
      push(register(op - 0x70) + offset);
      continue;
    }
    switch (op) {
      case 0x03: // addr
        push(r.address(ctx.addressSize));
        break;
      case 0x06: // deref
        push(memory(pop(), ctx.addressSize));
        break;
      case 0x08:
        push(BigInt(r.u8()));
        break;
      case 0x09:
        push(BigInt(r.i8()));
        break;
      case 0x0a:
        push(BigInt(r.u16()));
        break;
      case 0x0b:
        push(BigInt(r.i16()));
        break;
      case 0x0c:
        push(BigInt(r.u32()));
        break;
      case 0x0d:
        push(BigInt(r.i32()));
        break;
      case 0x0e:
        push(r.u64());
        break;
      case 0x0f:
        push(r.i64());
        break;
      case 0x10:
        push(r.uleb());
        break;
      case 0x11:
        push(r.sleb());
        break;
      case 0x12: {
        const e = popEntry();
        pushEntry(e);
        pushEntry(e);
        break;
      }
      case 0x13:
        pop();
        break;
      case 0x14: {
        const v = stack[stack.length - 2];
        if (v === undefined) r.fail('DW_OP_over with fewer than two entries');
        push(v, types[types.length - 2]);
        break;
      }
      case 0x15: {
        const i = r.u8();
        const v = stack[stack.length - 1 - i];
        if (v === undefined) r.fail(`DW_OP_pick ${i} past the stack's ${stack.length} entries`);
        push(v, types[types.length - 1 - i]);
        break;
      }
      case 0x16: {
        const b = popEntry();
        const a = popEntry();
        pushEntry(b);
        pushEntry(a);
        break;
      }
      case 0x17: {
        const c = popEntry();
        const b = popEntry();
        const a = popEntry();
        pushEntry(c);
        pushEntry(a);
        pushEntry(b);
        break;
      }
      case 0x19: {
        const v = signed(pop());
        push(v < 0n ? -v : v);
        break;
      }
      case 0x1a:
        binary((a, b) => a & b);
        break;
      case 0x1b:
        binary((a, b) => {
          if (b === 0n) r.fail('DW_OP_div by zero');
          return signed(a) / signed(b);
        });
        break;
      case 0x1c:
        binary((a, b) => a - b);
        break;
      case 0x1d:
        binary((a, b) => {
          if (b === 0n) r.fail('DW_OP_mod by zero');
          return a % b;
        });
        break;
      case 0x1e:
        binary((a, b) => a * b);
        break;
      case 0x1f:
        push(-pop());
        break;
      case 0x20:
        push(~pop());
        break;
      case 0x21:
        binary((a, b) => a | b);
        break;
      case 0x22:
        binary((a, b) => a + b);
        break;
      case 0x23:
        push(pop() + r.uleb());
        break;
      case 0x24:
        binary((a, b) => (b >= bits ? 0n : a << b));
        break;
      case 0x25:
        binary((a, b) => (b >= bits ? 0n : a >> b));
        break;
      case 0x26:
        binary((a, b) => signed(a) >> (b >= bits ? bits - 1n : b));
        break;
      case 0x27:
        binary((a, b) => a ^ b);
        break;
      case 0x28: {
        const offset = r.i16();
        if (pop() !== 0n) branch(offset);
        break;
      }
      case 0x29:
        compare((a, b) => a === b);
        break;
      case 0x2a:
        compare((a, b) => a >= b);
        break;
      case 0x2b:
        compare((a, b) => a > b);
        break;
      case 0x2c:
        compare((a, b) => a <= b);
        break;
      case 0x2d:
        compare((a, b) => a < b);
        break;
      case 0x2e:
        compare((a, b) => a !== b);
        break;
      case 0x2f:
        branch(r.i16());
        break;
      case 0x90: // regx
        current = { kind: 'register', register: r.ulebn() };
        break;
      case 0x91: {
        // fbreg
        const offset = r.sleb();
        const base = ctx.frameBase?.() ?? unavailable('the frame base is not known');
        push(base + offset);
        break;
      }
      case 0x92: {
        const reg = r.ulebn();
        push(register(reg) + r.sleb());
        break;
      }
      case 0x93: // piece
      case 0x9d: {
        // bit_piece
        const size = r.ulebn();
        const bitsOf = op === 0x93 ? size * 8 : size;
        const bitOffset = op === 0x93 ? 0 : r.ulebn();
        const location: Location = current ?? (stack.length > 0 ? { kind: 'memory', address: pop() } : { kind: 'unavailable', reason: 'optimized out' });
        pieces.push({ location, bits: bitsOf, bitOffset });
        current = undefined;
        stack.length = 0;
        types.length = 0;
        break;
      }
      case 0x94: {
        const size = r.u8();
        if (size < 1 || size > 8) r.fail(`DW_OP_deref_size ${size}`);
        push(memory(pop(), size));
        break;
      }
      case 0x96: // nop
        break;
      case 0x9c:
        push(ctx.cfa?.() ?? unavailable('the canonical frame address is not known'));
        break;
      case 0x9e: {
        const length = r.ulebn();
        current = { kind: 'implicit', bytes: r.block(length) };
        break;
      }
      case 0x9f:
        // A floating-point value too: its bits.
        current = { kind: 'value', value: popEntry().value };
        break;
      case 0xa1: // addrx
      case 0xa2: {
        // constx
        const index = r.ulebn();
        push(ctx.indexedAddress?.(index) ?? unavailable('.debug_addr is not available'));
        break;
      }
      case 0xa3: // entry_value
      case 0xf3: {
        // GNU_entry_value
        const entry = r.block(r.ulebn());
        const entered = ctx.entryValue?.(entry);
        const unknown = 'the value on entry to the function (DW_OP_entry_value) is not known in this frame';
        const known = typeof entered === 'bigint' ? entered : unavailable(entered ? `${unknown}: ${entered.unavailable}` : unknown);
        // A typed register (DW_OP_regval_type) gives its value that type.
        if (entry[0] === 0xa5 || entry[0] === 0xf5) {
          const sub = new Reader(entry, 'entry value', 1);
          sub.ulebn();
          const t = baseType(sub.ulebn());
          push(BigInt.asUintN(t.size * 8, known), t);
        } else push(known);
        break;
      }
      case 0xa0: // implicit_pointer
      case 0xf2:
        unavailable('a pointer into an optimized-out object (DW_OP_implicit_pointer)');
        break;
      case 0xa8: // convert
      case 0xf7: {
        // GNU_convert. To the base type's width and signedness, or between integers and floating point; offset 0 is the generic type.
        const offset = r.ulebn();
        const e = popEntry();
        if (offset === 0) {
          if (e.type?.float) unavailable('converting a floating-point value to the generic type is not evaluated');
          push(e.value);
          break;
        }
        const t = baseType(offset);
        if (t.float) {
          if (t.size !== 4 && t.size !== 8) unavailable(`a ${t.size}-byte floating-point type is not evaluated`);
          push(bitsOfFloat(number(e), t.size as 4 | 8), t);
          break;
        }
        let v = e.value;
        if (e.type?.float) {
          const x = number(e);
          if (!Number.isFinite(x)) unavailable(`converting ${x} to an integer type is not evaluated`);
          v = BigInt(Math.trunc(x));
        }
        const width = BigInt(Math.min(t.size, 8) * 8);
        const low = v & ((1n << width) - 1n);
        push(t.signed && low >> (width - 1n) ? low - (1n << width) : low, t);
        break;
      }
      case 0xa4: // const_type
      case 0xf4: {
        // GNU_const_type
        const t = baseType(r.ulebn());
        const bytes = r.block(r.u8());
        push(bytes.reduceRight<bigint>((v, b) => (v << 8n) | BigInt(b), 0n), t);
        break;
      }
      case 0xa5: // regval_type
      case 0xf5: {
        // GNU_regval_type
        const n = r.ulebn();
        const t = baseType(r.ulebn());
        push(BigInt.asUintN(t.size * 8, register(n)), t);
        break;
      }
      case 0xa6: // deref_type
      case 0xf6: {
        // GNU_deref_type
        const size = r.u8();
        const t = baseType(r.ulebn());
        if (size < 1 || size > 8) r.fail(`DW_OP_deref_type ${size}`);
        push(memory(pop(), size), t);
        break;
      }
      case 0xa9: // reinterpret
      case 0xf9: {
        // GNU_reinterpret
        const offset = r.ulebn();
        const e = popEntry();
        push(e.value, offset === 0 ? undefined : baseType(offset));
        break;
      }
      case 0x18:
      case 0x97:
      case 0x98:
      case 0x99:
      case 0x9a:
      case 0x9b:
      case 0xe0:
      case 0xa7:
      case 0xf1:
      case 0xfa:
        unavailable(`DW_OP 0x${op.toString(16)} (typed, TLS, call or object-address operations) is not evaluated`);
        break;
      default:
        r.fail(`unknown operation 0x${op.toString(16)} at byte ${r.pos - 1}`);
    }
  }
  if (pieces.length > 0) {
    if (current || stack.length > 0) r.fail('a location after the last piece');
    return { kind: 'pieces', pieces };
  }
  if (current) return current;
  if (stack.length === 0) return { kind: 'unavailable', reason: 'optimized out' };
  // An address is of the generic type (DWARF 5 2.5.1): a typed value on top is the value itself, as a DW_AT_call_value's expression ends.
  if (types[types.length - 1]) return { kind: 'value', value: stack[stack.length - 1]! };
  return { kind: 'memory', address: stack[stack.length - 1]! };
}
