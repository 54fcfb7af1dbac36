// Typed values on the DWARF expression stack, as gcc -O2 writes floating-point
// locations (a float argument's entry value through DW_OP_regval_type, a
// float local computed with DW_OP_convert and DW_OP_mul): hand-assembled
// expressions over a frame whose registers and memory the test chooses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateLocation, type ExpressionContext } from '../../../engine/dwarf/expression';
import { bitsOfFloat as bitsOf } from '../../../engine/ieee-bits';

const FLOAT = 0x2a;
const DOUBLE = 0x38;
const INT = 0x31;
const UCHAR = 0x40;
const TYPES: Record<number, { size: number; signed: boolean; float?: boolean }> = {
  [FLOAT]: { size: 4, signed: false, float: true },
  [DOUBLE]: { size: 8, signed: false, float: true },
  [INT]: { size: 4, signed: true },
  [UCHAR]: { size: 1, signed: false },
};
// Register 64 holds 1.5f in its low 32 bits above junk; register 1 holds -7; memory at 0x1000 holds 2.25 as a double.
const registers = new Map<number, bigint>([[64, 0xdead_beef_0000_0000n | bitsOf(1.5, 4)], [1, BigInt.asUintN(64, -7n)]]);
const ctx: ExpressionContext = {
  addressSize: 8,
  register: (n) => registers.get(n),
  readMemory: (a, s) => (a === 0x1000n && s === 8 ? bitsOf(2.25, 8) : undefined),
  baseType: (o) => TYPES[o],
  entryValue: () => registers.get(64)!,
};
const run = (...bytes: number[]) => evaluateLocation(Uint8Array.of(...bytes), ctx);

test('DW_OP_regval_type reads a float register as its type, and float DW_OP_mul rounds to float', () => {
  // regval_type 64 <float>; const_type <float> 4 bytes 3.0f; mul; stack_value
  const three = bitsOf(3, 4);
  const bytes = [0, 1, 2, 3].map((i) => Number((three >> BigInt(8 * i)) & 0xffn));
  assert.deepEqual(run(0xa5, 0x40, FLOAT, 0xa4, FLOAT, 4, ...bytes, 0x1e, 0x9f), { kind: 'value', value: bitsOf(4.5, 4) });
  // The GNU forms (regval_type 0xf5) and float division: 1.5f / 1.5f.
  assert.deepEqual(run(0xf5, 0x40, FLOAT, 0x12, 0x1b, 0x9f), { kind: 'value', value: bitsOf(1, 4) });
});

test('DW_OP_convert goes from a signed int to float and from double back to int, truncating toward zero', () => {
  // breg1 0; convert <int>; convert <float>; stack_value  (-7 → -7.0f)
  assert.deepEqual(run(0x71, 0x00, 0xa8, INT, 0xa8, FLOAT, 0x9f), { kind: 'value', value: bitsOf(-7, 4) });
  // lit0 0x1000; deref_type 8 <double>; convert <int>; stack_value  (2.25 → 2)
  assert.deepEqual(run(0x0a, 0x00, 0x10, 0xa6, 8, DOUBLE, 0xa8, INT, 0x9f), { kind: 'value', value: 2n });
  // An unsigned char converts to float unsigned: 0xff → 255.0f.
  assert.deepEqual(run(0x08, 0xff, 0xa8, UCHAR, 0xa8, FLOAT, 0x9f), { kind: 'value', value: bitsOf(255, 4) });
});

test('an entry value of a typed register takes its type; a typed value ending the expression is that value', () => {
  // entry_value(regval_type 64 <float>); stack_value
  assert.deepEqual(run(0xa3, 3, 0xa5, 0x40, FLOAT, 0x9f), { kind: 'value', value: bitsOf(1.5, 4) });
  // const_type <int> 4 bytes 5: a value, not an address.
  assert.deepEqual(run(0xa4, INT, 4, 5, 0, 0, 0), { kind: 'value', value: 5n });
  // reinterpret the float's bits as an int: the bits unchanged, now an integer (DW_OP_plus_uconst works on it).
  assert.deepEqual(run(0xa5, 0x40, FLOAT, 0xa9, INT, 0x23, 0x01, 0x9f), { kind: 'value', value: bitsOf(1.5, 4) + 1n });
});

test('floating-point values mixed with integers, or used where DWARF takes an integer, are unavailable, never a number', () => {
  for (const bytes of [
    [0xa5, 0x40, FLOAT, 0x31, 0x22, 0x9f], // float + lit1 (generic)
    [0xa5, 0x40, FLOAT, 0x31, 0x1a, 0x9f], // float & lit1
    [0xa5, 0x40, FLOAT, 0x06], // deref of a float
    [0x31, 0xa8, FLOAT, 0x9f], // a generic value converted to float
    [0xa5, 0x40, 0x7f, 0x9f], // regval_type to a type that is not there
  ]) {
    const where = run(...bytes);
    assert.equal(where.kind, 'unavailable', `${bytes.map((b) => b.toString(16)).join(' ')}: ${JSON.stringify(where, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  }
});
