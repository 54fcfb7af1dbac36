// Two runs of the same guest produce the same trace, instruction for instruction.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGuest, POWER_OFF, runCli } from './run-cli';

// Four harts contend for a counter with LR/SC; which hart wins each round
// depends only on the scheduler, which depends only on instruction counts.
const contention = buildGuest('contention', `
.globl _start
_start:
  la sp, stacks
  addi t0, a0, 1
  slli t0, t0, 12
  add sp, sp, t0
  bnez a0, work
  li s1, 1
1: mv a0, s1
  la a1, _start
  li a2, 0
  li a7, 0x48534d
  li a6, 0
  ecall
  addi s1, s1, 1
  li t0, 4
  bne s1, t0, 1b
work0:
  li a0, 0
work:
  mv s2, a0
  li s0, 200
2: la t0, counter
3: lr.d t1, (t0)
  addi t1, t1, 1
  sc.d t2, t1, (t0)
  bnez t2, 3b
  addi a0, s2, 'a'
  li a7, 1
  ecall
  addi s0, s0, -1
  bnez s0, 2b
  la t0, done
  li t1, 1
  amoadd.w t1, t1, (t0)
  li t2, 3
  bne t1, t2, 4f
${POWER_OFF}
4: wfi
  j 4b
.data
.balign 8
counter: .dword 0
done: .word 0
.bss
.balign 16
stacks: .zero 4096 * 4
`);

test('identical --trace output and UART output across runs', () => {
  const args = ['run', '--arch', 'riscv64', '--image', contention, '--cpus', '4', '--trace', '--quantum', '97'];
  const first = runCli(args);
  const second = runCli(args);
  assert.equal(first.status, 0, first.stderr);
  assert.ok(first.stderr.includes('sbi: HSM fid 0'), 'the trace shows the HSM calls');
  assert.equal(first.stdout.length, 800);
  assert.ok(new Set(first.stdout).size === 4, 'all four harts printed');
  assert.equal(second.stdout, first.stdout);
  assert.equal(second.stderr, first.stderr);
});
