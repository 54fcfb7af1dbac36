// Each target's answer to run control's questions about one instruction:
// its size, against the addresses GNU objdump lists (compressed RVC
// included), and whether it is a call (it links the return address and
// branches), against what each line of the source says.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { riscv64Flow } from '../../../engine/target/riscv64-flow';
import { aarch64Flow } from '../../../engine/target/aarch64-flow';
import type { InstructionFlow } from '../../../engine/target/target';
import { objdump } from '../riscv64/objdump-oracle';
import { objdumpSource } from '../aarch64/objdump-oracle';
import type { OracleLine } from '../../oracle/binutils';

/** Instructions and whether each is a call; a `nop` after them ends the last one. */
type Case = readonly [source: string, call: boolean];

const RISCV: readonly Case[] = [
  ['.option norvc\n jal ra, .', true],
  ['jal t0, .', true],
  ['jal zero, .', false],
  ['jal a0, .', false],
  ['jalr ra, 0(a5)', true],
  ['jalr t0, 8(a5)', true],
  ['jalr zero, 0(ra)', false],
  ['jalr a1, 0(a5)', false],
  ['auipc ra, 0', false],
  ['beq a0, a1, .', false],
  ['addi ra, ra, 4', false],
  ['.option rvc\n jalr a5', true], // c.jalr: links ra
  ['jr a5', false], // c.jr
  ['ret', false], // c.jr ra
  ['j .', false], // c.j
  ['addi a0, a0, 1', false], // c.addi
  ['ld a0, 8(sp)', false], // c.ldsp
  ['.option norvc\n ld a0, 8(sp)', false],
];

const AARCH64: readonly Case[] = [
  ['bl .', true],
  ['blr x5', true],
  ['blr x30', true],
  ['b .', false],
  ['br x5', false],
  ['ret', false],
  ['ret x5', false],
  ['b.eq .', false],
  ['cbz x0, .', false],
  ['tbnz w1, #3, .', false],
  ['mov x30, x0', false],
  ['ldr x30, [sp, #8]', false],
  ['adr x30, .', false],
  ['svc #0', false],
  ['eret', false],
];

function check(cases: readonly Case[], listing: OracleLine[], bytesOf: (l: OracleLine, size: number) => number[], flow: (bytes: readonly (number | undefined)[]) => InstructionFlow | undefined): void {
  assert.equal(listing.length, cases.length + 1, listing.map((l) => l.text).join('\n'));
  const got = cases.map(([source], i) => {
    const line = listing[i]!;
    const size = listing[i + 1]!.address - line.address;
    const f = flow(bytesOf(line, size));
    return { source, objdump: line.text, size: f?.size, call: f?.call };
  });
  const want = cases.map(([source, call], i) => ({ source, objdump: listing[i]!.text, size: listing[i + 1]!.address - listing[i]!.address, call }));
  assert.deepEqual(got, want);
}

const littleEndian = (value: number, size: number): number[] => Array.from({ length: size }, (_, i) => (value >>> (8 * i)) & 0xff);

test('riscv64: instruction sizes as objdump lays them out, RVC included; jal/jalr linking ra or t0 are calls', () => {
  const source = `${RISCV.map(([s]) => s).join('\n')}\nnop\n`;
  const listing = objdump(source);
  check(RISCV, listing, (l, size) => littleEndian(l.insn, size), riscv64Flow);
  assert.ok(listing.filter((l, i) => listing[i + 1] && listing[i + 1]!.address - l.address === 2).length >= 6, 'the RVC lines are compressed');
});

test('riscv64: bytes that hold no whole instruction, and an illegal one, have no flow', () => {
  assert.equal(riscv64Flow([0x97, undefined]), undefined);
  assert.equal(riscv64Flow([0xef, 0x00, undefined, undefined]), undefined); // the first half of a jal
  assert.equal(riscv64Flow([0x00, 0x00, 0x00, 0x00]), undefined); // c.unimp
  assert.deepEqual(riscv64Flow([0x82, 0x97, undefined, undefined]), { size: 2, call: true }); // c.jalr a5 needs only its halfword
});

test('aarch64: every instruction is 4 bytes; BL and BLR are calls, no other branch is', () => {
  const source = `${AARCH64.map(([s]) => s).join('\n')}\nnop\n`;
  check(AARCH64, objdumpSource(source), (l) => littleEndian(l.insn, 4), aarch64Flow);
  assert.equal(aarch64Flow([0x00, 0x00, 0x00, undefined]), undefined);
  assert.equal(aarch64Flow([0xff, 0xff, 0xff, 0xff]), undefined); // unallocated
});
