// Whole programs against gas + ld: literal pools, :lo12: and the other
// relocation operators, alignment padding, sections, symbols and local
// labels, each linked image compared section by section and symbol by symbol.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleAarch64 } from '../../../engine/isa/aarch64/asm';
import { assertSameImage, extraSections, gasLink } from './asm-oracle';

interface Program {
  readonly name: string;
  readonly source: string;
  readonly base?: number;
}

const programs: readonly Program[] = [
  {
    name: 'literal pools: sizes, sharing, .ltorg and the end of each section',
    source: `
      .text
      .globl _start
_start: ldr x0, =0x1122334455667788
      ldr w1, =5
      ldr x2, =message
      ldr x3, =message
      ldr x4, =0x1122334455667788
      ldr d0, =0x3ff0000000000000
      ldr s1, =0x3f800000
      ldrsw x5, =-7
      ldr q2, =1
      b 1f
      .byte 1
      .ltorg
1:    ldr x6, =message + 8
      ldr x7, =LATER
      ldr w8, =(1 << 31)
      .pool
      ldr x9, =data_word
      .section .text.boot, "ax"
boot: ldr x1, =boot
      ldr w2, =0x10
      ret
      .data
data_word: .quad 7
      ldr x10, =_start
      .section .rodata
message: .asciz "hello"
      .equ LATER, 0x42
`,
  },
  {
    name: 'adrp with :lo12: in add and in loads and stores of every size',
    source: `
      .text
_start: adrp x0, var64
      add x0, x0, :lo12:var64
      ldr x1, [x0, :lo12:var64]
      adrp x2, var32
      ldr w3, [x2, #:lo12:var32]
      str w3, [x2, :lo12:var32]
      adrp x4, var8
      ldrb w5, [x4, :lo12:var8]
      ldrh w6, [x4, :lo12:var16]
      ldr q7, [x4, :lo12:var128]
      add x8, x4, #:lo12:var8 + 1
      adrp x9, :pg_hi21:far
      add x9, x9, :lo12:far
      adr x10, _start
      movz x11, #:abs_g3:far
      movk x11, #:abs_g2_nc:far
      movk x11, #:abs_g1_nc:far
      movk x11, #:abs_g0_nc:far
      movz x12, #:abs_g0:0x1234
      movz x13, #:abs_g1:0x12345678
      movz w14, #:abs_g1:0x12345678
      ret
      .data
      .balign 16
var8: .byte 1
      .balign 2
var16: .hword 2
      .balign 4
var32: .word 3
      .balign 8
var64: .quad 4
      .balign 16
var128: .quad 5, 6
      .section .far, "aw"
      .skip 0x3000
far:  .quad 0
`,
  },
  {
    name: 'alignment: nops after code, zeros after data, instructions realigned',
    source: `
      .text
_start: nop
      .align 4
      mov x0, #1
      .byte 1, 2
      nop
      .p2align 3
      .byte 3
      .balign 16
      ret
      .hword 7
      .skip 3
      b _start
      .balign 8, 0xaa
      .word 0
      .align 3, 0, 4
      .inst 0xd503201f, 0xd503203f
      .xword 0x1122334455667788, _start
      .dword _start + 4
      .data
      .byte 1
      .align 3
      .quad 2
`,
  },
  {
    name: 'labels, local labels, expressions and symbols',
    source: `
      .text
      .globl _start
      .type _start, %function
_start:
1:    subs x0, x0, #1
      b.ne 1b
      cbz x1, 2f
      tbnz w2, #5, 1b
2:    bl func
      b.hs 1b
      b.lo 2b
      .size _start, . - _start
      .equ COUNT, 4
      .set SHIFT, COUNT * 2
      mov x3, #COUNT << SHIFT
      add x4, x5, #(end - begin)
      ldr x6, [x7, #COUNT * 8]
      mov x8, #LATER
      mov w9, #-LATER
      and x10, x11, #MASK
      ldr x12, [x13, #(end - begin) + 4]
      ldr x12, [x13, #(end - begin) * 2]
      sub x14, x15, #LATER - 0x1000
      svc #MASK
begin: .word 1, 2, 3
end:
      .weak func
func: ret
      .equ LATER, 0x10000
      .equ MASK, 0xff00
      .local hidden_label
hidden_label: nop
      .section .text.more, "ax"
more: b _start
      bl func
      adr x0, begin
`,
  },
  {
    name: 'comments, separators and case',
    source: `
# 1 "cpp line marker"
      .text
_start: add x0, x1, #2 // trailing comment
      /* block */ sub x0, x0, #1 ; nop ; NOP
      LDR X1, [SP, #8]
      Mov x2, x3
      B.EQ _start
      msr DAIFSet, #0xf
      mrs x4, MPIDR_EL1
`,
  },
];

const BASE = 0x40080000;
const ours = programs.map((p) => assembleAarch64(p.source, { fileName: 'prog.S', base: p.base ?? BASE }));
const oracle = gasLink(programs.map((p, i) => ({ source: p.source, base: p.base ?? BASE, extraSections: extraSections(ours[i]!.program) })));

programs.forEach((p, i) => {
  test(`${p.name}: matches gas + ld`, () => {
    const result = ours[i]!;
    assert.equal(result.errors.length, 0, result.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
    const gas = oracle[i]!;
    assert.ok(gas.image, gas.stderr);
    assertSameImage(p.name, p.source, result.program!, gas.image);
  });
});

test('the line table names each instruction and data item by its source line; pool entries have none', () => {
  const source = '_start: nop\n  ldr x0, =0x1234\n  b _start\n  .word 7\n';
  const result = assembleAarch64(source, { fileName: 'lines.S', base: BASE });
  assert.equal(result.errors.length, 0);
  const program = result.program!;
  assert.deepEqual(
    program.lines.map((l) => [l.address - BASE, l.line, l.size]),
    [[0, 1, 4], [4, 2, 4], [8, 3, 4], [12, 4, 4]],
  );
  assert.equal(program.sections[0]!.bytes.length, 24, 'the 8-byte pool entry follows at 16');
  assert.equal(program.entry, BASE);
  assert.equal(program.symbols.get('_start')?.address, BASE);
});
