// The assembler's API beyond byte equality with gas: the line table, the
// layout of sections, symbols, entry point, and syntax gas does not share
// (`//` comments, the `.rodata` shorthand).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleRiscv64, type AsmProgram } from '../../../engine/isa/riscv64/asm';

function assemble(source: string, base = 0x80200000): AsmProgram {
  const r = assembleRiscv64(source, { fileName: 'prog.S', base });
  assert.deepEqual(r.errors, []);
  assert.ok(r.program);
  return r.program;
}

const words = (bytes: Uint8Array): number[] => {
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push((bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0);
  return out;
};

test('line table: one entry per instruction, including each instruction of an expansion', () => {
  const p = assemble(['_start:', '  li a0, 0x123456789', '  call _start', '  nop'].join('\n'));
  const lines = p.lines.map((l) => [l.address - 0x80200000, l.line, l.size]);
  assert.deepEqual(lines, [
    [0, 2, 4], [4, 2, 4], [8, 2, 2], [10, 2, 4], // lui, addiw, c.slli, addi
    [14, 3, 4], [18, 3, 4], // auipc, jalr
    [22, 4, 2],
  ]);
  assert.ok(p.lines.every((l) => l.file === 'prog.S'));
});

test('line table: data items, relaxed branches, and no entries for padding', () => {
  const p = assemble(['_start:', '  beqz a6, far', '  .balign 8', '  .word 1, 2', '  .zero 3', '  .string "ab"', '.skip 5000', 'far: ret'].join('\n'));
  const lines = p.lines.map((l) => [l.address - 0x80200000, l.line, l.size]);
  assert.deepEqual(lines, [
    [0, 2, 4], [4, 2, 4], // bnez a6 over a jal
    [8, 4, 4], [12, 4, 4],
    [16, 5, 3],
    [19, 6, 3],
    [22, 7, 5000],
    [5022, 8, 2],
  ]);
});

test('line table is sorted by address across sections', () => {
  const p = assemble(['.data', 'd: .word 1', '.text', '_start: nop', '.section .rodata', 'r: .byte 1', '.text', 'ret'].join('\n'));
  const addresses = p.lines.map((l) => l.address);
  assert.deepEqual(addresses, [...addresses].sort((a, b) => a - b));
  assert.deepEqual(p.lines.map((l) => l.line), [4, 8, 6, 2]);
});

test('sections are laid out .text, .rodata, .data, .bss, each 8-aligned', () => {
  const p = assemble(['_start: nop', '.bss', 'b: .zero 4', '.data', 'd: .byte 1', '.section .rodata', 'r: .byte 2, 3, 4'].join('\n'));
  assert.deepEqual(p.sections.map((s) => [s.name, s.address, s.bytes.length]), [
    ['.text', 0x80200000, 2],
    ['.rodata', 0x80200008, 3],
    ['.data', 0x80200010, 1],
    ['.bss', 0x80200018, 4],
  ]);
  assert.deepEqual([...p.sections[3]!.bytes], [0, 0, 0, 0]);
  assert.equal(p.symbols.get('r')?.address, 0x80200008);
});

test('an output section starts at its largest alignment', () => {
  const p = assemble(['_start: nop', '.data', '.balign 64', 'd: .byte 1'].join('\n'));
  assert.equal(p.sections.find((s) => s.name === '.data')?.address, 0x80200040);
});

test('entry is _start when defined, else the start of .text', () => {
  assert.equal(assemble('nop\n_start: nop\n').entry, 0x80200002);
  assert.equal(assemble('.data\n.word 1\n.text\nnop\n', 0x1000).entry, 0x1000);
});

test('symbols carry binding, type and size; local labels and constants stay out', () => {
  const p = assemble([
    '.globl f', '.type f, @function', 'f: nop', 'ret', '.size f, . - f',
    '.type obj, @object', '.data', 'obj: .dword 1', '.size obj, 8',
    '1: .Lhidden: .equ K, 42',
    '.equ alias, obj + 4',
  ].join('\n'));
  assert.deepEqual(p.symbols.get('f'), { address: 0x80200000, size: 4, global: true, type: 'func' });
  assert.deepEqual(p.symbols.get('obj'), { address: 0x80200008, size: 8, global: false, type: 'object' });
  assert.deepEqual(p.symbols.get('alias'), { address: 0x8020000c, size: 0, global: false });
  assert.deepEqual([...p.symbols.keys()].sort(), ['alias', 'f', 'obj']);
});

test('comments: #, //, multi-line /* */; statements split at ;', () => {
  const p = assemble([
    'nop # comment ; not a statement',
    'nop // also a comment',
    '/* spans',
    '   lines */ nop; nop',
    '.ascii "# not a comment; nor this"',
    "li a0, '#'",
  ].join('\n'));
  const text = p.sections[0]!;
  assert.deepEqual(p.lines.map((l) => l.line), [1, 2, 4, 4, 5, 6]);
  assert.equal(new TextDecoder().decode(text.bytes.subarray(8, 33)), '# not a comment; nor this');
});

test('CFI and other metadata directives are accepted and ignored', () => {
  const p = assemble(['.cfi_sections .debug_frame', 'f: .cfi_startproc', '.cfi_def_cfa_offset 16', 'ret', '.cfi_endproc', '.loc 1 2 3'].join('\n'));
  assert.equal(p.sections[0]!.bytes.length, 2);
});

test('.rodata works as a directive, like .text and .data', () => {
  const p = assemble('.rodata\nr: .byte 7\n');
  assert.deepEqual(p.sections.map((s) => s.name), ['.rodata']);
});

test('.rept repeats its body, with numeric labels', () => {
  const p = assemble(['.rept 3', '1: addi a0, a0, 1', 'bnez a0, 1b', '.endr'].join('\n'));
  assert.equal(p.sections[0]!.bytes.length, 12);
  assert.equal(p.lines.length, 6);
});

test('.equ of a later label is resolved after layout', () => {
  const p = assemble(['.data', '.dword LEN', '.equ LEN, end - start', 'start: .zero 24', 'end:'].join('\n'));
  assert.deepEqual([...p.sections[0]!.bytes.subarray(0, 8)], [24, 0, 0, 0, 0, 0, 0, 0]);
});

test('code is padded with nops, to the section alignment at its end too', () => {
  const p = assemble(['.option norvc', 'nop', '.balign 16', 'nop'].join('\n'), 0);
  assert.deepEqual(words(p.sections[0]!.bytes), [0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13]);
});

test('assembling is deterministic', () => {
  const source = ['_start: li a0, 0x1234567890', 'la a1, x', 'beqz a0, _start', '.data', 'x: .dword _start'].join('\n');
  assert.deepEqual(assemble(source), assemble(source));
});
