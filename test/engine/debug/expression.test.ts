// The expression language over a small made-up CPU: C precedence, 64-bit
// wrap-around, signed and unsigned operations, casts, memory, errors and bounds.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression, MAX_NESTING, MAX_EXPRESSION_LENGTH } from '../../../engine/debug/expression';
import { evaluate, formatResult, unknownName, type EvalContext } from '../../../engine/debug/evaluate';
import { inspect } from '../../../engine/debug/inspect';
import { parseHitCondition } from '../../../engine/debug/hit-condition';
import { formatLogMessage, parseLogMessage } from '../../../engine/debug/log-message';
import { StopConditions } from '../../../engine/debug/stop-conditions';
import { completions, wordBefore } from '../../../engine/debug/completions';
import { floatBits } from '../../../engine/debug/float-bits';

/** 64 bytes of memory at 0x1000: byte i = i + 1. */
function machine(): EvalContext & { regs: Map<string, bigint> } {
  const regs = new Map<string, bigint>([['a0', 5n], ['a1', 7n], ['sp', 0x1008n], ['t0', (1n << 64n) - 1n], ['v3.s[1]', 0x7fc00001n]]);
  const mem = Uint8Array.from({ length: 64 }, (_, i) => i + 1);
  return {
    cpu: 0,
    regs,
    register: (n) => regs.get(n),
    setRegister: (n, v) => (regs.has(n) ? (regs.set(n, v), undefined) : `no register ${n}`),
    field: (n) => (n === 'cpu_on_entry' ? { value: 0x1000n, address: true } : n === 'id' ? { value: 3n, address: false } : undefined),
    symbol: (n) => (n === 'table' ? { address: 0x1000n, size: 4, data: true } : n === 'main' ? { address: 0x1010n, size: 0, data: false } : undefined),
    read: (a, w) => {
      const o = Number(a) - 0x1000;
      if (o < 0 || o + w > mem.length) return undefined;
      let v = 0n;
      for (let i = w - 1; i >= 0; i--) v = (v << 8n) | BigInt(mem[o + i]!);
      return v;
    },
  };
}

const ctx = machine();
const val = (text: string): bigint => evaluate(ctx, parseExpression(text)).bits;
const show = (text: string, hex?: boolean): string => formatResult(evaluate(ctx, parseExpression(text)), hex);
const fails = (text: string, message: RegExp): void => assert.throws(() => evaluate(ctx, parseExpression(text)), message);

test('C precedence and associativity', () => {
  assert.equal(val('1 + 2 * 3'), 7n);
  assert.equal(val('(1 + 2) * 3'), 9n);
  assert.equal(val('10 - 3 - 2'), 5n);
  assert.equal(val('1 << 2 + 1'), 8n);
  assert.equal(val('1 | 2 ^ 3 & 1'), 3n);
  assert.equal(val('1 == 1 & 2'), 0n, '== binds tighter than &');
  assert.equal(val('a0 < a1 == 1'), 1n);
  assert.equal(val('0 || 2 && 3'), 1n);
  assert.equal(val('a0 > 3 ? a1 : 0'), 7n);
  assert.equal(val('0 ? 1 : 0 ? 2 : 3'), 3n);
  assert.equal(val('-a0 * 2 + ~0 + !0'), BigInt.asUintN(64, -10n));
  assert.equal(val('a0 + a1'), 12n);
  assert.equal(val('a0*2'), 10n);
  assert.equal(val('0b101 + 0x10 + 1_000'), 1021n);
});

test('64-bit wrap-around, signed and unsigned', () => {
  assert.equal(val('t0 + 1'), 0n);
  assert.equal(val('0x7fffffffffffffff + 1'), 1n << 63n);
  assert.equal(val('t0 > 0'), 1n, 'a register is unsigned');
  assert.equal(val('(i64)t0 < 0'), 1n);
  assert.equal(val('-1 < 0'), 1n, 'literals are signed');
  assert.equal(val('-7 / 2'), BigInt.asUintN(64, -3n), 'signed division truncates toward zero');
  assert.equal(val('-7 % 2'), BigInt.asUintN(64, -1n));
  assert.equal(val('t0 / 2'), (1n << 63n) - 1n, 'unsigned division');
  assert.equal(val('(i64)t0 >> 60'), (1n << 64n) - 1n, 'arithmetic shift of a signed value');
  assert.equal(val('t0 >> 60'), 15n, 'logical shift of an unsigned one');
  assert.equal(val('1 << 64'), 0n);
  assert.equal(val('(u8)0x1ff'), 0xffn);
  assert.equal(val('(i8)0xff'), (1n << 64n) - 1n);
  assert.equal(show('(i8)0xff'), '0xff (-1)');
  assert.equal(show('(u16)-1', false), '65535');
  assert.equal(show('(int32_t)0x80000000', false), '-2147483648');
});

test('registers, fields, symbols and memory', () => {
  assert.equal(show('a0'), '0x5', 'registers show in hex');
  assert.equal(show('a0', false), '5');
  assert.equal(show('id'), '0x3 (3)');
  assert.equal(show('cpu_on_entry'), '0x1000');
  assert.equal(val('table'), 0x1000n);
  assert.equal(val('&table'), 0x1000n);
  assert.equal(val('v3.s[1]'), 0x7fc00001n, 'a lane register named with an index');
  assert.equal(val('*(u32*)table'), 0x04030201n);
  assert.equal(val('*(u8*)(sp+1)'), 10n);
  assert.equal(val('*(u64*)(sp - 8)'), 0x0807060504030201n);
  assert.equal(val('((u32*)table)[2]'), 0x0c0b0a09n, 'indexing scales by the element size');
  assert.equal(val('((u16*)table + 1)[0]'), 0x0403n, 'pointer arithmetic too');
  assert.equal(val('&((u32*)table)[3]'), 0x100cn);
  assert.equal(val('*(i8*)table'), 1n);
  assert.equal(show('*(u32*)table', true), '0x4030201');
  assert.equal(show('*(u32*)table'), '0x4030201 (67305985)');
});

test('errors name the column and the cause', () => {
  fails('foo + 1', /column 1: no register, PerCpu field or symbol named "foo"/);
  fails('a0 / 0', /column 4: division by zero/);
  fails('a0 % (a1 - 7)', /column 4: division by zero/);
  fails('*(u32*)0x9000', /cannot read 4 bytes at 0x9000: not mapped for CPU 0/);
  fails('*a0', /only a pointer can be dereferenced/);
  fails('a0[1]', /only a pointer can be indexed/);
  fails('&a0', /"a0" is not in memory/);
  assert.throws(() => parseExpression('1 +'), /column 4: the expression ends where an operand should be/);
  assert.throws(() => parseExpression('(1 + 2'), /expected "\)" but found the end/);
  assert.throws(() => parseExpression('1 2'), /column 3: unexpected "2" after a complete expression/);
  assert.throws(() => parseExpression('a0 # 1'), /column 4: unexpected "#"/);
  assert.throws(() => parseExpression('12ab'), /"12ab" is not a number/);
  assert.throws(() => parseExpression(''), /empty/);
  assert.throws(() => parseExpression('a0 = 1'), /assignment is only allowed in the debug console/);
  assert.equal(unknownName(ctx, parseExpression('a0 + nope')), 'column 6: no register, PerCpu field or symbol named "nope"');
  assert.equal(unknownName(ctx, parseExpression('v3.s[1] + table')), undefined);
});

test('nesting and length are bounded', () => {
  assert.equal(val(`${'('.repeat(200)}1${')'.repeat(200)}`), 1n);
  assert.throws(() => parseExpression(`${'('.repeat(MAX_NESTING + 1)}1${')'.repeat(MAX_NESTING + 1)}`), /nested more than 256 deep/);
  assert.throws(() => parseExpression('-'.repeat(1000) + '1'), /nested more than 256 deep/);
  assert.throws(() => parseExpression('1+'.repeat(MAX_EXPRESSION_LENGTH)), /limit is 4096/);
  assert.equal(val(Array.from({ length: 1000 }, () => '1').join('+')), 1000n, 'long flat sums need no deep recursion');
});

test('assignment sets a register in the repl', () => {
  const c = machine();
  assert.equal(inspect(c, 'a1 = a0 * 3', 'repl', undefined).result, '0xf');
  assert.equal(c.regs.get('a1'), 15n);
  assert.throws(() => inspect(c, 'table = 1', 'repl', undefined), /only a register can be assigned/);
  assert.throws(() => inspect(c, 'a1 = 1', 'watch', undefined), /only allowed in the debug console/);
});

test('a hover on a data symbol shows the memory there', () => {
  assert.deepEqual(inspect(ctx, 'table', 'hover', undefined), { result: '0x4030201 (67305985) @ 0x1000', value: 0x4030201n, address: 0x1000n });
  assert.deepEqual(inspect(ctx, 'table', 'watch', undefined), { result: '0x1000', value: 0x1000n, address: 0x1000n });
  assert.deepEqual(inspect(ctx, '*(u16*)(table + 2)', 'watch', undefined), { result: '0x403 (1027)', value: 0x403n, address: 0x1002n }, 'memory read refers to where it was read');
  assert.deepEqual(inspect(ctx, 'main', 'hover', undefined), { result: '0x1010', value: 0x1010n, address: 0x1010n }, 'code shows its address');
});

test('hit conditions', () => {
  const stops = (text: string): number[] => [1, 2, 3, 4, 5, 6].filter(parseHitCondition(text));
  assert.deepEqual(stops('3'), [3]);
  assert.deepEqual(stops('== 3'), [3]);
  assert.deepEqual(stops('>= 5'), [5, 6]);
  assert.deepEqual(stops('>5'), [6]);
  assert.deepEqual(stops('< 2'), [1]);
  assert.deepEqual(stops('<= 2'), [1, 2]);
  assert.deepEqual(stops('% 2'), [2, 4, 6]);
  assert.throws(() => parseHitCondition('lots'), /hit condition "lots" is not N/);
  assert.throws(() => parseHitCondition('% 0'), /never stop/);
});

test('logpoint messages interpolate expressions', () => {
  assert.equal(formatLogMessage(ctx, parseLogMessage('a0={a0} sum={a0 + a1} {{literal}} {*(u8*)table}')), 'a0=0x5 sum=12 {literal} 1');
  assert.equal(formatLogMessage(ctx, parseLogMessage('bad {*(u8*)0}')), 'bad <column 1: cannot read 1 bytes at 0x0: not mapped for CPU 0>');
  assert.throws(() => parseLogMessage('x {a0'), /never closed/);
  assert.throws(() => parseLogMessage('x {a0 +}'), /log message \{a0 \+\}/);
});

test('stop conditions count hits only when the condition holds, and logpoints never stop', () => {
  const c = machine();
  const s = new StopConditions();
  const logged: string[] = [];
  const errors = s.replace([
    { id: 1, addresses: [0x10n], condition: 'a0 == 5', hitCondition: '2' },
    { id: 2, addresses: [0x20n], logMessage: 'a0 is {a0}' },
    { id: 3, addresses: [0x30n], condition: 'nope > 1' },
    { id: 4, addresses: [0x40n], condition: '*(u64*)0 == 1' },
    { id: 5, addresses: [0x50n], logMessage: 'x={a0} y={y}' },
  ], c);
  assert.deepEqual(errors, [
    undefined, undefined, 'condition "nope > 1": column 1: no register, PerCpu field or symbol named "nope"', undefined,
    'log message "x={a0} y={y}": no register, PerCpu field or symbol named "y"',
  ]);
  assert.deepEqual(s.addresses(), [0x10n, 0x20n, 0x40n]);
  const decide = (address: bigint): boolean => s.decide({ address }, c, (t) => logged.push(t)).stop;
  assert.equal(decide(0x10n), false, 'first hit');
  c.regs.set('a0', 6n);
  assert.equal(decide(0x10n), false, 'condition false: not counted');
  c.regs.set('a0', 5n);
  assert.equal(decide(0x10n), true, 'second counted hit');
  assert.equal(decide(0x10n), false);
  assert.equal(decide(0x20n), false);
  assert.deepEqual(logged, ['a0 is 0x5']);
  assert.deepEqual(s.decide({ address: 0x40n }, c, () => {}), { stop: true, note: 'the condition "*(u64*)0 == 1" could not be evaluated: column 1: cannot read 8 bytes at 0x0: not mapped for CPU 0' });
  s.replace([{ id: 5, addresses: [0x10n], condition: 'a0 == 5', hitCondition: '>= 5' }], c);
  assert.equal(decide(0x10n), false, 'the same breakpoint set again keeps its count: hit 4');
  assert.equal(decide(0x10n), true, 'hit 5');
});

test('a breakpoint with several locations counts its hits over all of them', () => {
  const c = machine();
  const s = new StopConditions();
  assert.deepEqual(s.replace([{ id: 1, addresses: [0x10n, 0x80n], hitCondition: '3' }], c), [undefined]);
  assert.deepEqual(s.addresses(), [0x10n, 0x80n]);
  const decide = (address: bigint): boolean => s.decide({ address }, c, () => {}).stop;
  assert.equal(decide(0x10n), false, 'hit 1, at the first location');
  assert.equal(decide(0x80n), false, 'hit 2, at the second');
  assert.equal(decide(0x10n), true, 'hit 3');
  assert.equal(decide(0x90n), true, 'an address of no breakpoint is not decided here');
});

test('completions match the word before the cursor', () => {
  assert.equal(wordBefore('x + arch_cpu.se', 15), 'arch_cpu.se');
  const items = completions({ registers: ['a0', 'a1', 'sp'], fields: ['arch_cpu.sepc', 'cpu_on_entry'], symbols: ['counter', 'cpu1_entry'] }, 'c');
  assert.deepEqual(items.map((i) => `${i.type}:${i.label}`), ['property:cpu_on_entry', 'reference:counter', 'reference:cpu1_entry']);
  assert.deepEqual(completions({ registers: [], fields: [], symbols: [] }, 'uint3').map((i) => i.label), ['uint32_t']);
});

test('C syntax: members, arrows, sizeof and casts to C type names parse; without DWARF they say what they need', () => {
  assert.deepEqual(parseExpression('p->next->key'), {
    kind: 'member', name: 'key', arrow: true, col: 8,
    base: { kind: 'member', name: 'next', arrow: true, col: 2, base: { kind: 'name', name: 'p', col: 1 } },
  });
  assert.equal(parseExpression('a[1].x.y').kind, 'member');
  assert.deepEqual(parseExpression('sizeof(struct node)'), { kind: 'sizeof', of: { name: 'struct node', pointer: 0 }, col: 1 });
  assert.deepEqual(parseExpression('(unsigned long *)x'), { kind: 'cast', type: { name: 'unsigned long', pointer: 1 }, arg: { kind: 'name', name: 'x', col: 18 }, col: 1 });
  assert.deepEqual(parseExpression('(node_t *)p').kind, 'cast', 'a name with stars before the parenthesis is a type');
  assert.equal(parseExpression('(node_t)p', false, (n) => n === 'node_t').kind, 'cast', 'a typedef the program declares');
  assert.equal(parseExpression('(a0) * 2').kind, 'binary', 'a parenthesized operand stays one');
  assert.throws(() => parseExpression('p->'), /column 4: expected a member name after "->"/);
  assert.throws(() => parseExpression('(struct) x'), /expected the struct's name/);
  // Without the program's DWARF (this made-up CPU has none): registers as before, $name always a register.
  assert.equal(val('$a0 + 1'), 6n);
  fails('$nothing', /column 1: no register named "nothing"/);
  fails('a[1].x', /members need the program's DWARF/);
  fails('(struct node *)0', /no type named "struct node": the program's types need DWARF for this frame/);
  assert.equal(val('sizeof(u32)'), 4n);
  assert.equal(val('sizeof a0'), 8n);
  assert.equal(val('(int)-1 == (long)-1'), 1n, 'C integer type names cast without DWARF too');
});

test('floating-point literals: decimal with a point or an exponent, hex with a binary exponent, f for float', () => {
  const literal = (text: string): unknown => {
    const e = parseExpression(text);
    return e.kind === 'float' ? [e.value, e.size] : e.kind;
  };
  assert.deepEqual(literal('1.5'), [1.5, 8]);
  assert.deepEqual(literal('1.'), [1, 8]);
  assert.deepEqual(literal('.25'), [0.25, 8]);
  assert.deepEqual(literal('2e-3'), [0.002, 8]);
  assert.deepEqual(literal('1.5E+2'), [150, 8]);
  assert.deepEqual(literal('0.1f'), [Math.fround(0.1), 4], 'a float literal is rounded to float');
  assert.throws(() => parseExpression('3F'), /column 1: "3F" is not a number/, 'an integer with f is no float literal in C');
  // Halfway between the floats 1 and 1 + 2^-23 lies a double; a decimal just off it rounds to its own side, not to even.
  assert.deepEqual(literal('1.000000059604644775390625001f'), [1 + 2 ** -23, 4]);
  assert.deepEqual(literal('1.000000059604644775390624999f'), [1, 4]);
  assert.deepEqual(literal('1.000000059604644775390625f'), [1, 4], 'exactly halfway: to even');
  assert.equal(floatBits('-1.000000059604644775390625001', 32), 0xbf800001n, 'a float lane or variable set from text rounds the same way');
  assert.deepEqual(literal('3.4028235677973366e38f'), [3.4028234663852886e38, 4], 'just below halfway to 2^128: the largest float');
  assert.deepEqual(literal('340282356779733661637539395458142568448.0f'), [Infinity, 4], 'exactly halfway: to even, infinity');
  assert.deepEqual(literal('0x1.8p1'), [3, 8]);
  assert.deepEqual(literal('0x1.000001000000001p0f'), [1 + 2 ** -23, 4], 'a hex float rounds once to float');
  assert.deepEqual(literal('0x0p99999'), [0, 8]);
  assert.deepEqual(literal('0x10p-4f'), [1, 4]);
  assert.deepEqual(literal('0x1e5'), 'num', 'a hex integer with an e digit stays an integer');
  assert.deepEqual(literal('1e5'), [100000, 8]);
  assert.throws(() => parseExpression('1.5l'), /column 1: "1.5l" is a long double, which the debugger does not compute with/);
  assert.throws(() => parseExpression('2 * 1e3L'), /column 5: "1e3L" is a long double/);
  assert.throws(() => parseExpression('1e5x'), /column 1: "1e5x" is not a number/);
  assert.throws(() => parseExpression('(1.5'), /column 5: expected "\)" but found the end/);
  assert.throws(() => parseExpression('1 2.5'), /column 3: unexpected "2.5" after a complete expression/);
  assert.equal(parseExpression('v3.s[1]').kind, 'index', 'a lane is still a name');
});

test('floating-point arithmetic without DWARF: C\'s conversions, float precision for floats, results as gdb prints them', () => {
  assert.equal(show('1.5 + 2'), '3.5');
  assert.equal(show('a0 * 0.5'), '2.5', 'a register converts to double');
  assert.equal(show('0.1f * 3'), '0.300000012', 'float times int is computed in float');
  assert.equal(show('0.1 * 3'), '0.30000000000000004');
  assert.equal(show('1 + 16777217.0f'), '16777216');
  assert.equal(show('(float)0x1000001000000001'), '1.15292164e+18', 'a 64-bit integer rounds to float once, not through double');
  assert.equal(show('0x1000001000000001 * 1.0f'), '1.15292164e+18');
  assert.equal(show('(float)-0x1000001000000001'), '-1.15292164e+18');
  assert.equal(show('(double)0x1000001000000001'), '1.1529215733263237e+18');
  assert.equal(show('(float)(u64)-1'), '1.84467441e+19');
  assert.equal(show('1.0 / 0'), 'inf');
  assert.equal(show('-(1.0 / 0)'), '-inf');
  assert.equal(show('-0.0'), '0', 'negation is 0 - x, as gdb computes it');
  assert.equal(show('0.0 * -1'), '-0');
  assert.equal(val('a0 > 4.5'), 1n);
  assert.equal(val('0.5 && 0.0'), 0n);
  assert.equal(val('!0.0'), 1n);
  assert.equal(val('-0.0 ? 1 : 2'), 2n, 'negative zero is false');
  assert.equal(val('(u32)2.9'), 2n, 'a cast to an integer truncates toward zero');
  assert.equal(val('(i8)-1.5'), (1n << 64n) - 1n);
  assert.equal(val('(i64)1e30'), (1n << 63n) - 1n, 'beyond long, held to its range as gdb does');
  assert.equal(val('((u8 *)table)[1.5]'), 2n, 'an index truncates, as gdb takes one');
  assert.equal(show('(1.5 > 1) + 0.5'), '1.5');
  fails('1.5 % 2', /column 5: "%" needs integers, but an operand is floating-point: cast it first, as in \(long\)x/);
  fails('a0 << 1.0', /column 4: "<<" needs integers/);
  fails('~1.5', /column 1: "~" needs an integer, but the operand is floating-point/);
  fails('(u32 *)a0 + 1.5', /column 11: "\+" with a floating-point operand needs a number on the other side, not a pointer/);
  fails('(u32 *)1.5', /column 1: a floating-point value cannot be converted to a pointer: cast it to an integer first, as in \(u32\*\)\(long\)x/);
  fails('(int *)2.5', /column 1: a floating-point value cannot be converted to int \*: cast it to an integer first/);
  fails('(float)(u32 *)a0', /column 1: a pointer cannot be converted to float/);
  assert.throws(() => evaluate(ctx, parseExpression('a0 = 1.5', true)), /column 6: a register takes an integer, but the value is floating-point: cast it, as in \(long\)x/);
  assert.equal(evaluate(ctx, parseExpression('a1 = (i64)(a0 * 1.5)', true)).bits, 7n);
});
