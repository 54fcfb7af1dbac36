// Every instruction of the compiled guest programs disassembles as GNU objdump
// prints it, symbol suffixes and address annotations included. One stateful
// Disassembler per ELF is fed the instructions in address order, as objdump
// walks them, so lui/auipc records carry across functions as objdump's do.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Disassembler } from '../../../engine/isa/riscv64/disasm';
import { parseElf } from '../../../engine/machine/loaders/elf';
import { checkGuestDisassembly, objdumpSymbolizer } from '../../oracle/guest-disassembly';
import { linkedListing, parseObjdump } from './objdump-oracle';

test('the guest programs disassemble as objdump -d prints them', () => {
  checkGuestDisassembly({
    arch: 'riscv64',
    minGuests: 24,
    parseObjdump,
    disassembler(image) {
      const gp = image.findSymbol('__global_pointer$');
      const disassembler = new Disassembler(objdumpSymbolizer(image.symbols), gp ? { globalPointer: Number(gp.value) } : {});
      return (insn, address) => disassembler.next(insn, address).text;
    },
    marked: (text) => text.includes(' # '),
    minMarked: 500,
    markedWhat: 'carry an address annotation',
  });
});

/**
 * The state rules, each next to its counterexample: records survive other
 * writes to rd and function and section boundaries, are used up by the first
 * base use that shows its offset (not by mv, sext.w, ret or compressed
 * loads, stores, jumps and sp adjustments), addiw sign-extends, a jalr
 * spelled imm(rs1) ends on tp's or gp's own value, and gp is known because
 * ld's default script defines __global_pointer$. Symbols tied at one address
 * check the symbolizer's preference order.
 */
const stateProgram = `
.option norelax
.text
.globl _start
_start:
.option push
.option norvc
  lui a5, 0x12345
  addi a0, a5, 16
  addi a0, a5, 16
  lui a5, 0x12345
  li a5, 3
  addi a0, a5, 16
  lui a5, 0x12345
  mv a0, a5
  sext.w a0, a5
  lw a0, -8(a5)
  lui a5, 0x80000
  addiw a0, a5, -4
  lui a5, 0x80000
  addi a0, a5, -4
  lui a5, 0x7ffff
  addiw a0, a5, 2047
  auipc a5, 0x80000
  sd a0, 8(a5)
  auipc ra, 0
  ret
  jalr ra, 12(ra)
  auipc a5, 0
  jr a5
  auipc a5, 0
  jalr a5
  auipc a5, 0
  jalr a0, a5
  lui a5, 0x100
  jalr ra, 8(a5)
  lui tp, 0x100
  jalr ra, 8(tp)
  lui tp, 0x100
  jr tp
  lui gp, 0x100
  jalr ra, 8(gp)
  lui gp, 0x100
  lw a0, 8(gp)
  lw a0, 8(gp)
  addiw a0, gp, 8
  addi a0, tp, 4
  addiw a0, zero, 8
  lw a0, 4(zero)
  lui zero, 0x12
  lw a0, 4(zero)
  lui a5, 0x12345
  lr.w a0, (a5)
  slli a0, a5, 2
  lbu a0, 1(a5)
  lui a5, 0x12345
  auipc a5, 0x1
  addi a0, a5, 1
  lui a5, 0x12345
  andi a0, a5, 255
  andi a0, a5, 254
  addi a0, a5, 1
.option pop
  lui a5, 0x12345
  c.lw a0, 8(a5)
  c.sd a0, 8(a5)
  c.jr a5
  c.jalr a5
  c.mv a0, a5
  c.addi a5, 4
  c.lui a5, 0xfffe0
  c.addiw a5, 4
  c.lui a5, 0x1f
  c.addiw a5, 0
  addi a0, a5, 3
  lui a5, 0x100
  .insn 2, 0x0781
  lui sp, 0x100
  c.addi16sp sp, 16
  c.addi4spn a0, sp, 16
  c.lwsp a0, 16(sp)
  c.sdsp a0, 16(sp)
  addi sp, sp, 1
  c.addi tp, 8
  c.addiw gp, 8
  lui a4, 0x11
  lui a3, 0x22
next_function:
  addi a0, a4, 1
  lui a2, %hi(tie1)
  addi a0, a2, %lo(tie1)
  lui a2, %hi(tie2)
  addi a0, a2, %lo(tie2)
  lui a2, %hi(tie3)
  addi a0, a2, %lo(tie3)
  lui a2, %hi(tie4)
  addi a0, a2, %lo(tie4)
  lui a2, %hi(tie5)
  addi a0, a2, %lo(tie5)
.section .othertext, "ax"
other_section:
  addi a0, a3, 1
.data
.word 0
.p2align 4
.globl tie1
.type tie1, @object
.weak a_weak
.type a_weak, @function
tie1: a_weak: .word 0
.p2align 4
.globl tie2, b_global
.size b_global, 4
tie2: a_local: b_global: .word 0
.p2align 4
.globl tie3, z_global
.type z_global, @object
.size z_global, 8
.size tie3, 4
.type tie3, @object
tie3: z_global: .word 0, 0
.p2align 4
.globl tie4, A_upper, _under
tie4: _under: A_upper: .word 0
.p2align 4
.globl tie5
.weak aa_weak
tie5: aa_weak: .word 0
`;

test('lui/auipc state and symbol choice match objdump on a linked program', () => {
  const { elf, listings } = linkedListing(stateProgram, 0x10000, [[], ['-M', 'no-aliases']]);
  const image = parseElf(elf, 'state.elf', 'riscv64');
  const gp = image.findSymbol('__global_pointer$');
  assert.ok(gp, 'ld defines __global_pointer$');
  const symbolize = objdumpSymbolizer(image.symbols);
  const gpValue = Number(gp.value);
  listings.forEach((lines, i) => {
    const disassembler = new Disassembler(symbolize, { aliases: i === 0, globalPointer: gpValue });
    assert.ok(lines.length > 80);
    const mismatches: string[] = [];
    for (const line of lines) {
      const ours = disassembler.next(line.insn, line.address).text;
      if (ours !== line.text) mismatches.push(`${line.address.toString(16)}: objdump "${line.text}" ours "${ours}"`);
    }
    assert.equal(mismatches.length, 0, mismatches.join('\n'));
    assert.ok(lines.filter((line) => line.text.includes(' # ')).length > 30);
  });
});
