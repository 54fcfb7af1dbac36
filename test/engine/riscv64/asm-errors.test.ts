// Assembler diagnostics: every kind of problem is reported with its file,
// line, column and a message that says what is wrong, all problems in a file
// are reported together, and no input makes the assembler throw.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleRiscv64, type AsmDiagnostic } from '../../../engine/isa/riscv64/asm';
import { assemblyErrors, lcg, testDiagnosticCases, type DiagnosticCase } from '../../oracle/asm-diagnostics';

const errors = (source: string): AsmDiagnostic[] => assemblyErrors(assembleRiscv64, source, 0x80200000);

const cases: readonly DiagnosticCase[] = [
  { name: 'unknown mnemonic', source: 'nop\n  frobnicate a0\n', line: 2, column: 3, message: /unknown instruction `frobnicate`/ },
  { name: 'parentheses nested past the limit', source: `li a0, ${'('.repeat(20000)}1${')'.repeat(20000)}\n`, line: 1, column: 264, message: /expression nested more than 256 levels deep/ },
  { name: 'an expression with too many terms', source: `li a0, 1${'+1'.repeat(20000)}\n`, line: 1, column: 4104, message: /expression has more than 4096 operands and operators/ },
  { name: 'unknown directive', source: '.text\n.frob 1\n', line: 2, column: 1, message: /unknown directive `\.frob`/ },
  { name: 'bad register', source: 'addi a0, q1, 1\n', line: 1, column: 10, message: /expected a register, found `q1`/ },
  { name: 'register names are case-sensitive', source: 'add a0, A1, a2\n', line: 1, column: 9, message: /expected a register, found `A1`/ },
  { name: 'register where an immediate goes', source: 'addi a0, a1, a2\n', line: 1, column: 14, message: /expected an immediate, found register `a2`/ },
  { name: 'immediate out of range', source: 'addi a0, a1, 5000\n', line: 1, column: 14, message: /immediate 5000 is out of range -2048\.\.2047/ },
  { name: 'negative immediate out of range', source: 'andi a0, a1, -2049\n', line: 1, column: 14, message: /-2049 is out of range -2048\.\.2047/ },
  { name: 'load offset out of range', source: 'ld a0, 2048(sp)\n', line: 1, column: 8, message: /2048 is out of range -2048\.\.2047/ },
  { name: 'shift amount out of range', source: 'slli a0, a0, 64\n', line: 1, column: 14, message: /shift amount 64 is out of range 0\.\.63/ },
  { name: 'word shift amount out of range', source: 'slliw a0, a0, 32\n', line: 1, column: 15, message: /shift amount 32 is out of range 0\.\.31/ },
  { name: 'upper immediate out of range', source: 'lui a0, 0x100000\n', line: 1, column: 9, message: /upper immediate 1048576 is out of range 0\.\.0xfffff/ },
  { name: 'CSR immediate out of range', source: 'csrrwi a0, mstatus, 32\n', line: 1, column: 21, message: /immediate 32 is out of range 0\.\.31/ },
  { name: 'unknown CSR', source: 'csrr a0, nosuchcsr\n', line: 1, column: 10, message: /unknown CSR `nosuchcsr`/ },
  { name: 'CSR number out of range', source: 'csrr a0, 0x1000\n', line: 1, column: 10, message: /CSR number 4096 is out of range 0\.\.4095/ },
  { name: 'bad fence set', source: 'fence rw, x\n', line: 1, column: 11, message: /bad fence set `x`/ },
  { name: 'too few operands', source: 'addi a0, a1\n', line: 1, column: 12, message: /expected 3 operands \(rd,rs1,imm\), found 2/ },
  { name: 'too many operands', source: 'addi a0, a1, 2, 3\n', line: 1, column: 17, message: /expected 3 operands \(rd,rs1,imm\), found 4/ },
  { name: 'x register where an f register goes', source: 'fadd.d fa0, a1, fa2\n', line: 1, column: 13, message: /expected a floating-point register, found `a1`/ },
  { name: 'unknown rounding mode', source: 'fadd.s fa0, fa1, fa2, rnd\n', line: 1, column: 23, message: /expected a rounding mode \(rne, rtz, rdn, rup, rmm or dyn\), found `rnd`/ },
  { name: 'rounding mode on an exact conversion', source: 'fcvt.d.w fa0, a0, rtz\n', line: 1, column: 19, message: /expected 2 operands \(fd,rs1\), found 3/ },
  { name: 'undefined symbol in a branch', source: '_start:\n  j nowhere\n', line: 2, column: 5, message: /undefined symbol `nowhere`/ },
  { name: 'undefined symbol in data', source: '.data\n.dword 1, missing + 4\n', line: 2, column: 11, message: /undefined symbol `missing`/ },
  { name: 'undefined symbol in la', source: 'la a0, missing\n', line: 1, column: 8, message: /undefined symbol `missing`/ },
  { name: 'immediate not known yet', source: 'li a0, LATER\n.equ LATER, 5\n', line: 1, column: 8, message: /`LATER` is not defined \(a constant is needed here/ },
  { name: 'label where a constant is needed', source: 'here: addi a0, a0, here\n', line: 1, column: 20, message: /`here` is an address, but a constant is needed/ },
  { name: 'undefined local label backwards', source: 'beqz a0, 1b\n', line: 1, column: 10, message: /no earlier definition of local label `1`/ },
  { name: 'undefined local label forwards', source: '1: j 1f\n', line: 1, column: 6, message: /undefined symbol `1f`/ },
  { name: 'duplicate label', source: 'a: nop\na: nop\n', line: 2, column: 1, message: /symbol `a` is already defined \(line 1\)/ },
  { name: '.equiv redefinition', source: '.equiv A, 1\n.equiv A, 2\n', line: 2, column: 8, message: /symbol `A` is already defined/ },
  { name: 'misaligned branch target', source: '.byte 0\nodd: nop\n.balign 2, 0\nj odd\n', line: 4, column: 3, message: /branch target 0x80200001 is not 2-byte aligned/ },
  { name: 'jump out of range', source: 'jal far\n.skip 0x200000\nfar: ret\n', line: 1, column: 5, message: /2097156 bytes away, beyond jal's reach of -1048576\.\.1048574/ },
  { name: 'compressed instruction under norvc', source: '.option norvc\nc.addi a0, 1\n', line: 2, column: 1, message: /compression is off/ },
  { name: 'compressed register constraint', source: 'c.lw a0, 0(a6)\n', line: 1, column: 10, message: /c\.lw needs rs1 in s0\.\.a5 \(x8\.\.x15\), not a6/ },
  { name: 'compressed immediate alignment', source: 'c.addi4spn a0, sp, 2\n', line: 1, column: 20, message: /immediate 2 must be a multiple of 4/ },
  { name: '.option pop without push', source: '.option pop\n', line: 1, column: 9, message: /`\.option pop` without `\.option push`/ },
  { name: 'unsupported option', source: '.option pic\n', line: 1, column: 9, message: /not supported/ },
  { name: 'relocation operator in the wrong place', source: 'ld a0, %hi(x)(a1)\nx:\n', line: 1, column: 8, message: /`%hi` is not allowed in this operand/ },
  { name: 'unknown relocation operator', source: 'lui a0, %got(x)\n', line: 1, column: 10, message: /unknown relocation operator `%got`/ },
  { name: '%hi of an address lui cannot reach', source: '_start: lui a0, %hi(_start)\n', line: 1, column: 17, message: /address 0x80200000 is outside/ },
  { name: '%pcrel_lo without its auipc', source: 'x: addi a0, a0, %pcrel_lo(x)\n', line: 1, column: 17, message: /%pcrel_lo needs the label of an auipc/ },
  { name: 'li beyond 64 bits', source: 'li a0, 0x10000000000000000\n', line: 1, column: 8, message: /does not fit in 64 bits/ },
  { name: 'string where a number goes', source: '.byte "x"\n', line: 1, column: 7, message: /expected an expression, found a string/ },
  { name: 'incomplete expression', source: '.word 1 +\n', line: 1, column: 10, message: /missing expression/ },
  { name: 'unbalanced parenthesis', source: 'addi a0, a0, (1\n', line: 1, column: 16, message: /expected `\)`/ },
  { name: 'unterminated string', source: '.ascii "abc\n', line: 1, column: 8, message: /unterminated string/ },
  { name: 'unterminated block comment', source: 'nop\n/* never closed\nnop\n', line: 2, column: 1, message: /unterminated \/\* comment/ },
  { name: 'bad number', source: 'li a0, 12abc\n', line: 1, column: 8, message: /bad number `12abc`/ },
  { name: 'alignment not a power of two', source: '.balign 3\n', line: 1, column: 9, message: /alignment 3 is not a power of 2/ },
  { name: 'non-zero data in .bss', source: '.bss\n.byte 1\n', line: 2, column: 7, message: /only zeros can go in the no-bits section \.bss/ },
  { name: 'stray .endr', source: '.endr\n', line: 1, column: 1, message: /`\.endr` without `\.rept`/ },
  { name: 'division by zero', source: '.word 1 / 0\n', line: 1, column: 9, message: /division by zero/ },
  { name: 'symbol defined in terms of itself', source: '.equ A, B\n.equ B, A\n.word A\n', line: 2, column: 9, message: /defined in terms of itself/ },
  { name: 'numeric character escape', source: "li a0, '\\101\n", line: 1, column: 8, message: /numeric escapes are not supported/ },
  { name: 'missing operand between commas', source: 'add a0, , a1\n', line: 1, column: 8, message: /missing operand 2/ },
];

testDiagnosticCases(cases, errors);

test('every error in a file is reported, in source order', () => {
  const source = ['addi a0, a1, 5000', 'frobnicate', 'j nowhere', '.frob', 'slli a0, a0, 99', 'lw a0, 4(q9); li a1, 1b'].join('\n');
  const list = errors(source);
  assert.deepEqual(
    list.map((e) => [e.line, e.column]),
    [[1, 14], [2, 1], [3, 3], [4, 1], [5, 14], [6, 10], [6, 22]],
  );
});

test('warnings do not stop assembly', () => {
  const r = assembleRiscv64('.data\n.byte 300\n.half 0x12345\n', { fileName: 'w.S', base: 0x1000 });
  assert.deepEqual(r.errors, []);
  assert.ok(r.program);
  assert.deepEqual([...r.program.sections[0]!.bytes], [0x2c, 0x45, 0x23]);
  assert.deepEqual(r.warnings.map((w) => [w.line, w.message]), [[2, 'value 0x12c truncated to 0x2c'], [3, 'value 0x12345 truncated to 0x2345']]);
});

test('mangled sources never make the assembler throw', () => {
  const dir = join(process.cwd(), 'test', 'fixtures', 'riscv64', 'asm');
  const lines = readdirSync(dir)
    .filter((f) => f.endsWith('.S') && !f.startsWith('gen-rows'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .filter((l) => l.trim() !== '');
  const next = lcg(7);
  const junk = ['(', ')', ',', '%hi(', '%pcrel_lo(', '1b', '2f', '.', '"', "'", '#', '/*', '*/', ';', ':', 'x99', 'sp', '-', '<<', '0x', '\n', '.rept 2', '.endr'];
  for (let round = 0; round < 300; round++) {
    const picked: string[] = [];
    for (let k = 0; k < 40; k++) {
      let l = lines[next() % lines.length]!;
      const cuts = next() % 3;
      for (let c = 0; c < cuts; c++) {
        const at = next() % (l.length + 1);
        l = l.slice(0, at) + junk[next() % junk.length]! + l.slice(at + (next() % 3));
      }
      picked.push(l);
    }
    const source = picked.join('\n');
    const r = assembleRiscv64(source, { fileName: 'fuzz.S', base: 0x80200000 });
    for (const e of r.errors) {
      assert.ok(e.line >= 1 && e.column >= 1 && e.message.length > 0, JSON.stringify(e));
    }
  }
});
