// The reader of gdb's value syntax on the shapes gdb prints for C values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGdbValue } from './gdb-values';

test('scalars: integers, chars, floats, enumerators, pointers with their symbol and cast', () => {
  assert.deepEqual(parseGdbValue('-42'), { kind: 'integer', value: -42n });
  assert.deepEqual(parseGdbValue("65 'A'"), { kind: 'integer', value: 65n, char: "'A'" });
  assert.deepEqual(parseGdbValue("0 '\\000'"), { kind: 'integer', value: 0n, char: "'\\000'" });
  assert.deepEqual(parseGdbValue('1.25'), { kind: 'float', text: '1.25', value: 1.25 });
  assert.deepEqual(parseGdbValue('-1.5e-07'), { kind: 'float', text: '-1.5e-07', value: -1.5e-7 });
  assert.deepEqual(parseGdbValue('-nan(0x400000)').kind, 'float');
  assert.deepEqual(parseGdbValue('inf'), { kind: 'float', text: 'inf', value: Infinity });
  assert.deepEqual(parseGdbValue('GREEN'), { kind: 'name', name: 'GREEN' });
  assert.deepEqual(parseGdbValue('0x80001000 <nodes+16>'), { kind: 'pointer', address: 0x80001000n, symbol: 'nodes+16' });
  assert.deepEqual(parseGdbValue('(struct node *) 0x80200410 <nodes+24>'), { kind: 'pointer', address: 0x80200410n, symbol: 'nodes+24', type: 'struct node *' });
  assert.deepEqual(parseGdbValue('0x0'), { kind: 'pointer', address: 0n });
  assert.deepEqual(parseGdbValue('0x80002000 "hello"'), { kind: 'pointer', address: 0x80002000n });
});

test('<optimized out> and the other <...> placeholders', () => {
  assert.deepEqual(parseGdbValue('<optimized out>'), { kind: 'optimized out' });
  assert.deepEqual(parseGdbValue('<synthetic pointer>'), { kind: 'missing', text: '<synthetic pointer>' });
  assert.deepEqual(parseGdbValue('<error reading variable tiny (Incompatible types on DWARF stack)>'), { kind: 'missing', text: '<error reading variable tiny (Incompatible types on DWARF stack)>' });
});

test('aggregates: named members, nested braces, arrays with repeats, char arrays as strings', () => {
  assert.deepEqual(parseGdbValue('{a = 1, b = {2, 3}}'), {
    kind: 'aggregate',
    items: [
      { name: 'a', value: { kind: 'integer', value: 1n }, repeats: 1 },
      { name: 'b', value: { kind: 'aggregate', items: [{ value: { kind: 'integer', value: 2n }, repeats: 1 }, { value: { kind: 'integer', value: 3n }, repeats: 1 }] }, repeats: 1 },
    ],
  });
  assert.deepEqual(parseGdbValue('{0 <repeats 16 times>}'), { kind: 'aggregate', items: [{ value: { kind: 'integer', value: 0n }, repeats: 16 }] });
  assert.deepEqual(parseGdbValue('{u = 1067450368, f = 1.25, bytes = "\\000\\000\\240?"}'), {
    kind: 'aggregate',
    items: [
      { name: 'u', value: { kind: 'integer', value: 1067450368n }, repeats: 1 },
      { name: 'f', value: { kind: 'float', text: '1.25', value: 1.25 }, repeats: 1 },
      { name: 'bytes', value: { kind: 'bytes', bytes: [0, 0, 0o240, 63] }, repeats: 1 },
    ],
  });
  assert.deepEqual(parseGdbValue(`"ab", 'x' <repeats 12 times>, "\\n"`), { kind: 'bytes', bytes: [97, 98, ...Array<number>(12).fill(120), 10] });
  const member = parseGdbValue('{key = 21, name = 98 \'b\', next = 0x80200428 <nodes+48>, weight = <optimized out>}');
  assert.ok(member.kind === 'aggregate' && member.items[3]!.value.kind === 'optimized out');
});

test('text that is not gdb value syntax says where', () => {
  assert.throws(() => parseGdbValue('{a = 1'), /expected ',' or '}' at column 7/);
  assert.throws(() => parseGdbValue('1 2'), /expected the end at column 3/);
  assert.throws(() => parseGdbValue("'\\q'"), /unknown escape/);
});
