// Assembler diagnostics: bad input is reported with its file, line, column
// and what is wrong, every problem in a file is reported in one run, and no
// input makes the assembler throw.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleAarch64, type AsmDiagnostic } from '../../../engine/isa/aarch64/asm';
import { assemblyErrors, lcg, testDiagnosticCases, type DiagnosticCase } from '../../oracle/asm-diagnostics';

const errors = (source: string): AsmDiagnostic[] => assemblyErrors(assembleAarch64, source, 0x40080000);

const cases: readonly DiagnosticCase[] = [
  { name: 'unknown mnemonic', source: 'nop\n  frobnicate x0\n', line: 2, column: 3, message: /unknown instruction `frobnicate`/ },
  { name: 'unknown directive', source: '.frob 1\n', line: 1, column: 1, message: /unknown directive `\.frob`/ },
  { name: 'missing operand', source: 'add x0, x1\n', line: 1, column: 11, message: /expected `,`, found end of line/ },
  { name: 'bad register', source: 'add x0, q1, #1\n', line: 1, column: 9, message: /expected a 64-bit register \(x0\.\.x30 or sp\), found `q1`/ },
  { name: 'register where an immediate goes', source: 'svc x1\n', line: 1, column: 5, message: /expected an immediate, found register `x1`/ },
  { name: 'add immediate out of range', source: 'add x0, x1, #5000\n', line: 1, column: 14, message: /immediate 5000 is out of range 0\.\.4095/ },
  { name: 'not a bitmask immediate', source: 'and x0, x1, #5\n', line: 1, column: 14, message: /0x5 is not encodable as a 64-bit bitmask immediate/ },
  { name: 'not a bitmask immediate (32-bit)', source: 'orr w0, w1, #0x100000000\n', line: 1, column: 14, message: /is not encodable as a 32-bit bitmask immediate/ },
  { name: 'mov immediate needs more than one instruction', source: 'mov x0, #0x123456789\n', line: 1, column: 10, message: /cannot be moved by a single instruction .*ldr x<n>, =value/ },
  { name: 'mov immediate too wide for w', source: 'mov w0, #0x100000000\n', line: 1, column: 10, message: /does not fit in 32 bits/ },
  { name: 'load offset out of range', source: 'ldr x0, [x1, #99999]\n', line: 1, column: 15, message: /offset 99999 is out of range 0\.\.32760, a multiple of 8 \(or -256\.\.255 unscaled\)/ },
  { name: 'unscaled offset out of range', source: 'ldur x0, [x1, #300]\n', line: 1, column: 16, message: /offset 300 is out of range -256\.\.255/ },
  { name: 'pair offset not a multiple', source: 'ldp x0, x1, [x2, #4]\n', line: 1, column: 19, message: /offset 4 is out of range -512\.\.504, a multiple of 8/ },
  { name: 'index shift must match the access', source: 'ldr x0, [x1, x2, lsl #2]\n', line: 1, column: 18, message: /shift amount 2 must be 0 or 3 for a 8-byte access/ },
  { name: 'w index without extend', source: 'ldr x0, [x1, w2]\n', line: 1, column: 14, message: /32-bit index register needs an extend/ },
  { name: 'shift out of range', source: 'lsl x0, x1, #64\n', line: 1, column: 14, message: /shift amount 64 is out of range 0\.\.63/ },
  { name: 'bitfield width out of range', source: 'ubfx x0, x1, #60, #8\n', line: 1, column: 15, message: /width 8 is out of range 1\.\.4/ },
  { name: 'ror on add', source: 'add x0, x1, x2, ror #3\n', line: 1, column: 1, message: /not allowed for add/ },
  { name: 'movz shift', source: 'movz x0, #1, lsl #8\n', line: 1, column: 14, message: /shift amount 8 must be a multiple of 16/ },
  { name: 'tbz bit beyond a w register', source: 'tbz w0, #32, .\n', line: 1, column: 10, message: /bit number 32 is out of range 0\.\.31/ },
  { name: 'cset with al', source: 'cset w0, al\n', line: 1, column: 10, message: /condition `al` is not allowed here/ },
  { name: 'unknown condition', source: 'csel x0, x1, x2, xx\n', line: 1, column: 18, message: /unknown condition `xx`/ },
  { name: 'unknown system register', source: 'mrs x0, foo_el1\n', line: 1, column: 9, message: /unknown system register `foo_el1`/ },
  { name: 'unknown system register for msr', source: 'msr foo_el1, x0\n', line: 1, column: 5, message: /unknown system register or PSTATE field `foo_el1`/ },
  { name: 'system register op0 below 2', source: 'mrs x0, s1_0_c0_c0_0\n', line: 1, column: 9, message: /needs op0 2 or 3/ },
  { name: 'PSTATE immediate out of range', source: 'msr spsel, #2\n', line: 1, column: 13, message: /immediate 2 is out of range 0\.\.1/ },
  { name: 'unknown barrier', source: 'dmb foo\n', line: 1, column: 5, message: /unknown barrier option `foo`/ },
  { name: 'unknown cache operation', source: 'dc foo, x0\n', line: 1, column: 4, message: /unknown dc operation `foo`/ },
  { name: 'cache operation needs a register', source: 'dc civac\n', line: 1, column: 9, message: /`dc civac` needs an address register/ },
  { name: 'TLB operation takes none', source: 'tlbi vmalle1, x0\n', line: 1, column: 13, message: /`tlbi vmalle1` takes no register/ },
  { name: 'casp pair not consecutive', source: 'casp x0, x2, x4, x5, [x6]\n', line: 1, column: 6, message: /a register pair must be two consecutive registers/ },
  { name: 'casp pair from an odd register', source: 'casp x1, x2, x4, x5, [x6]\n', line: 1, column: 1, message: /not allowed for casp/ },
  { name: 'svc immediate out of range', source: 'svc #0x10000\n', line: 1, column: 6, message: /immediate 65536 is out of range 0\.\.65535/ },
  { name: 'trailing operand', source: 'mov x0, sp, x1\n', line: 1, column: 11, message: /unexpected `,`/ },
  { name: 'empty literal', source: 'ldr x0, =\n', line: 1, column: 10, message: /expected an immediate, found end of line/ },
  { name: 'literal on a store', source: 'str x0, =5\n', line: 1, column: 9, message: /expected `\[`/ },
  { name: ':lo12: shifted', source: 'add x0, x0, #:lo12:sym, lsl #12\nsym:\n', line: 1, column: 14, message: /`:lo12:` cannot be shifted/ },
  { name: 'relocation operator on the wrong instruction', source: 'ldr x0, [x1, :abs_g0:sym]\nsym:\n', line: 1, column: 14, message: /`:abs_g0:` is not allowed with ldr/ },
  { name: 'unknown relocation operator', source: 'add x0, x0, :hi12:sym\nsym:\n', line: 1, column: 14, message: /unknown relocation operator `:hi12:`/ },
  { name: ':lo12: misaligned for the access', source: 'ldr x0, [x1, :lo12:v]\n.data\n.byte 0\nv: .quad 0\n', line: 1, column: 14, message: /:lo12: value 0x[0-9a-f]+ is not a multiple of the 8-byte access size/ },
  { name: 'undefined branch target', source: 'b.eq nowhere\n', line: 1, column: 6, message: /undefined symbol `nowhere`/ },
  { name: 'undefined constant', source: 'mov x0, #NOPE\n', line: 1, column: 10, message: /undefined symbol `NOPE`/ },
  { name: 'undefined local label', source: 'b 1f\n', line: 1, column: 3, message: /undefined symbol `1f`/ },
  { name: 'b.cond out of range', source: 'b.eq far\n.skip 0x100000\nfar: nop\n', line: 1, column: 6, message: /b\.eq target 0x40180004 is out of range: offset 1048580 is beyond the reach of -1048576\.\.1048572/ },
  { name: 'cbz out of range', source: 'far: nop\n.skip 0x100000\ncbz x0, far\n', line: 3, column: 9, message: /cbz target .* is out of range: offset -1048580/ },
  { name: 'tbz out of range', source: 'tbz x0, #1, far\n.skip 0x8000\nfar: nop\n', line: 1, column: 13, message: /tbz target .* is beyond the reach of -32768\.\.32764/ },
  { name: 'literal pool out of reach', source: 'ldr x0, =1\n.skip 0x100000\n', line: 1, column: 9, message: /ldr target .* is out of range/ },
  { name: 'misaligned branch target', source: 'b odd\n.byte 0\nodd: .byte 0\n', line: 1, column: 3, message: /b target 0x40080005 is not 4-byte aligned/ },
  { name: 'adr out of range', source: 'adr x0, far\n.skip 0x100000\nfar: nop\n', line: 1, column: 9, message: /adr target .* is out of range/ },
  { name: 'FMOV constant not encodable', source: 'fmov d0, #0.1\n', line: 1, column: 11, message: /0\.1 is not an FMOV constant/ },
  { name: 'vector FMOV constant not encodable', source: 'fmov v0.2d, #0.3\n', line: 1, column: 14, message: /0\.3 is not an FMOV constant/ },
  { name: 'fraction bits out of range', source: 'fcvtzs w0, s1, #33\n', line: 1, column: 17, message: /fraction bits 33 out of range 1\.\.32/ },
  { name: 'FMOV element other than d[1]', source: 'fmov x0, v1.d[0]\n', line: 1, column: 15, message: /expected index 1/ },
  { name: 'FP compare with a non-zero constant', source: 'fcmeq v0.4s, v1.4s, #1.0\n', line: 1, column: 22, message: /expected #0\.0/ },
  { name: 'bad .inst', source: '.inst 0x100000000\n', line: 1, column: 7, message: /instruction word 4294967296 does not fit in 32 bits/ },
  { name: '.ltorg with operands', source: '.ltorg extra\n', line: 1, column: 8, message: /unexpected `extra`/ },
  { name: 'vector arrangements that differ', source: 'add v0.4s, v1.4s, v2.8h\n', line: 1, column: 19, message: /operands must have matching arrangements/ },
  { name: 'reserved vector arrangement', source: 'add v0.1d, v1.1d, v2.1d\n', line: 1, column: 1, message: /not allowed for add/ },
  { name: 'element index out of range', source: 'mov v0.s[4], w1\n', line: 1, column: 10, message: /idx 4 is out of range 0\.\.3/ },
  { name: 'register list not consecutive', source: 'ld1 {v0.4s, v2.4s}, [x0]\n', line: 1, column: 13, message: /registers in a list must be consecutive/ },
  { name: 'register range wrapping past v31', source: 'ld1 {v30.4s-v1.4s}, [x0]\n', line: 1, column: 13, message: /may not wrap past v31/ },
  { name: 'post-index other than the transfer size', source: 'ld1 {v0.16b-v3.16b}, [x0], #32\n', line: 1, column: 29, message: /must be #64, the transfer size/ },
  { name: 'right shift by zero', source: 'sshr v0.4s, v1.4s, #0\n', line: 1, column: 21, message: /shift amount 0 is out of range 1\.\.32/ },
  { name: 'compare with a nonzero immediate', source: 'cmeq v0.4s, v1.4s, #1\n', line: 1, column: 21, message: /expected #0/ },
];

testDiagnosticCases(cases, errors);

test('every bad line of a file is reported in one run, in order', () => {
  const found = errors(cases.map((c) => c.source.split('\n')[c.line - 1]).filter((l) => !/^(far|odd):/.test(l)).join('\n'));
  assert.ok(found.length >= 30, `${found.length} errors`);
  for (let i = 1; i < found.length; i++) assert.ok(found[i - 1]!.line <= found[i]!.line);
});

test('no input makes the assembler throw', () => {
  const pieces = ['ldr', 'x0', 'w1', 'sp', ',', '[', ']', '!', '#', '=', ':lo12:', ':', '-', '1', '0x7fff', 'lsl', 'uxtw', '#3', 'msr', 'daifset',
    'mov', 'b.eq', '.', '1f', '1b', '1:', 'dc', 'civac', 'tlbi', 'movi', 'v0.16b', 'v1.4s', 'd0', 'q1', '(', ')', 'mrs', 's3_0_c1_c0_0', 'sys', 'c7', '.ltorg', '.inst', 'add', 'and', 'ubfx', 'cset', 'eq', 'ret', '.align', '"s"',
    '{', '}', 'v2.s', 'v3.1d', 'ld1', 'st4', 'ins', 'sshr', 'tbl', 'cmeq', 'umov', '#0'];
  const random = lcg(99);
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const n = 1 + (random() % 7);
    lines.push(Array.from({ length: n }, () => pieces[random() % pieces.length]).join(' '));
  }
  for (const line of lines) assert.doesNotThrow(() => assembleAarch64(`${line}\n`, { fileName: 'fuzz.S', base: 0x40080000 }), line);
});
