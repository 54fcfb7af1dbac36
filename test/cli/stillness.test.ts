// A guest that can no longer make progress ends in bounded time: CPUs that
// spin on a branch to themselves with no interrupt they could take (and the
// others asleep) make the machine quiescent, long before the instruction
// limit. A CPU a timer can still interrupt is left to run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGuest, POWER_OFF, runCli, tempFile } from './run-cli';

const LIMIT = ['--max-instructions', '50000000'];

function instructions(stderr: string, cpu: number): number {
  const row = new RegExp(`^${cpu}\\s+0x[0-9a-f]+\\s+\\S+\\s+(\\d+)`, 'm').exec(stderr);
  assert.ok(row, stderr);
  return Number(row[1]);
}

test('riscv64: every CPU spinning in `j .` with interrupts masked is quiescent (exit 0), naming each spinning CPU', () => {
  // CPU 0 starts CPU 1 through SBI HSM; both then spin.
  const elf = buildGuest('spin-both', `
.globl _start
_start:
  bnez a0, spin
  li a0, 1
  la a1, _start
  li a2, 0
  li a7, 0x48534d
  li a6, 0
  ecall
spin:
  j spin
`);
  const r = runCli(['run', '--arch', 'riscv64', '--image', elf, '--cpus', '3', ...LIMIT]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /stopped: quiescent \(CPU 0 at 0x[0-9a-f]+, CPU 1 at 0x[0-9a-f]+ spin on a branch to itself with no interrupt to take\)/);
  assert.match(r.stderr, /^2\s+0x[0-9a-f]+\s+VS\s+\d+\s+parked/m);
  assert.ok(instructions(r.stderr, 0) < 1_000_000, r.stderr);
});

test('riscv64: a spin with a link register (`jal ra, .`) is still a spin', () => {
  const elf = buildGuest('spin-link', `.globl _start\n_start: jal ra, _start\n`);
  const r = runCli(['run', '--arch', 'riscv64', '--image', elf, ...LIMIT]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /quiescent \(CPU 0 at 0x80200000 spins/);
});

test('riscv64: a loop that changes a register runs to the instruction limit', () => {
  const elf = buildGuest('count', `.globl _start\n_start: addi a0, a0, 1\n j _start\n`);
  const r = runCli(['run', '--arch', 'riscv64', '--image', elf, '--max-instructions', '300000']);
  assert.equal(r.status, 3, r.stderr);
});

// stvec, sie.STIE and an SBI timer 5000 ticks on; the handler powers off.
const riscvTimer = (unmask: boolean): string => `
.globl _start
_start:
  la t0, handler
  csrw stvec, t0
  li t0, 0x20
  csrs sie, t0
  csrr a0, time
  li t0, 5000
  add a0, a0, t0
  li a7, 0x54494d45
  li a6, 0
  ecall
  ${unmask ? 'csrsi sstatus, 2' : ''}
spin:
  j spin
  .balign 4
handler:
${POWER_OFF}
`;

test('riscv64: a spinning CPU a timer interrupt can reach is not stopped; the interrupt ends the spin', () => {
  const r = runCli(['run', '--arch', 'riscv64', '--image', buildGuest('timer-unmasked', riscvTimer(true)), ...LIMIT]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /power-off by CPU 0/);
});

test('riscv64: a timer cannot end a spin with sstatus.SIE clear: quiescent once the timer has fired', () => {
  const r = runCli(['run', '--arch', 'riscv64', '--image', buildGuest('timer-masked', riscvTimer(false)), ...LIMIT]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /quiescent \(CPU 0 at 0x[0-9a-f]+ spins/);
  assert.ok(instructions(r.stderr, 0) > 5000, 'ran until the timer fired');
});

test('aarch64: `b .` with DAIF masked is quiescent (exit 0)', () => {
  const src = tempFile('spin-a64.S', `
        .globl _start
_start: msr     daifset, #0xf
1:      b       1b
`);
  const r = runCli(['run', '--arch', 'aarch64', '--image', src, '--cpus', '2', ...LIMIT]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /quiescent \(CPU 0 at 0x40080004 spins on a branch to itself with no interrupt to take\)/);
});

test('aarch64: a conditional branch to itself that is taken is a spin too', () => {
  const src = tempFile('cbz-a64.S', `
        .globl _start
_start: mov     x3, #0
1:      cbz     x3, 1b
`);
  const r = runCli(['run', '--arch', 'aarch64', '--image', src, ...LIMIT]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /quiescent \(CPU 0 at 0x40080004 spins/);
});

// The virtual timer (PPI 27) enabled at CPU 0's redistributor and armed 5000
// counts on; the IRQ vector powers off through PSCI.
const a64Timer = (unmask: boolean): string => `
        .globl _start
_start: adr     x9, vectors
        msr     vbar_el1, x9
        mov     x9, #1
        msr     icc_sre_el1, x9
        isb
        mov     x9, #0xf0
        msr     icc_pmr_el1, x9
        mov     x9, #1
        msr     icc_igrpen1_el1, x9
        isb
        ldr     x9, =0x080b0000         // CPU 0's SGI frame
        ldr     w10, [x9, #0x418]       // GICR_IPRIORITYR6: PPI 27 in the top byte
        and     w10, w10, #0x00ffffff
        mov     w11, #0xa0000000
        orr     w10, w10, w11
        str     w10, [x9, #0x418]
        mov     w10, #(1 << 27)
        str     w10, [x9, #0x100]       // GICR_ISENABLER0
        mov     x9, #5000
        msr     cntv_tval_el0, x9
        mov     x9, #1
        msr     cntv_ctl_el0, x9
        isb
        ${unmask ? 'msr     daifclr, #2' : ''}
spin:   b       spin

        .balign 2048
vectors:
        .skip   0x280
irq:    ldr     x0, =0x84000008         // PSCI SYSTEM_OFF
        smc     #0
`;

test('aarch64: a spinning CPU with IRQs unmasked takes its timer interrupt', () => {
  const r = runCli(['run', '--arch', 'aarch64', '--image', tempFile('timer-unmasked-a64.S', a64Timer(true)), ...LIMIT]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /power-off by CPU 0 \(PSCI SYSTEM_OFF/);
});

test('aarch64: with PSTATE.I set the timer cannot end the spin: quiescent once it has fired', () => {
  const r = runCli(['run', '--arch', 'aarch64', '--image', tempFile('timer-masked-a64.S', a64Timer(false)), ...LIMIT]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /quiescent \(CPU 0 at 0x[0-9a-f]+ spins/);
});
