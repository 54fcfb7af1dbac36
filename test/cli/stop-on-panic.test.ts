// --stop-on-panic: a guest kernel's panic ends the run with exit status 4 and
// the panic line; at panic's entry when the image has symbols (with the call
// stack), else at the kernel's end-of-panic console line, and only there.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { buildGuest, runCli, tempFile } from './run-cli';
import { requireCommands } from '../../scripts/external-tools.mjs';

/** Prints `text` on the 16550, then counts for ever (no quiescence to end the run). */
function printer(name: string, text: string): string {
  return buildGuest(name, `
  .option norelax
  .globl _start
_start:
  li t0, 0x10000000
  la t1, message
1: lbu t2, 0(t1)
  beqz t2, 2f
  sb t2, 0(t0)
  addi t1, t1, 1
  j 1b
2: addi a0, a0, 1
  j 2b
  .data
message: .asciz ${JSON.stringify(text)}
`);
}

test('an ELF guest entering panic stops there: exit 4, the panic line from its format and arguments, and its stack', () => {
  const guest = buildGuest('panics', `
  .option norelax
  .globl _start
_start:
  la sp, stack_top
  call check_disk
1: j 1b
  .globl check_disk
  .type check_disk, @function
check_disk:
  la a0, format
  li a1, 3
  la a2, disk
  call panic
  .size check_disk, . - check_disk
  .globl panic
  .type panic, @function
panic:
  addi a0, a0, 1
  j panic
  .size panic, . - panic
  .data
format: .asciz "disk %d (%s) failed"
disk: .asciz "vda"
  .bss
  .space 256
stack_top:
`);
  const r = runCli(['run', '--arch', 'riscv64', '--image', guest, '--stop-on-panic', '--max-instructions', '1000000']);
  assert.equal(r.status, 4, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^stopped: CPU 0: guest-panic: Kernel panic - not syncing: disk 3 \(vda\) failed$/m);
  assert.match(r.stderr, /^#0 0x0000000080200[0-9a-f]{3} in panic$/m);
});

test("a raw image with --symbols naming nm's System.map of it stops at panic; a symbols attribute that cannot be read is bad input", () => {
  const elf = buildGuest('raw-panics', `
  .option norelax
  .globl _start
_start:
  la a0, format
  call panic
  .globl panic
  .type panic, @function
panic:
  j panic
  .size panic, . - panic
format: .asciz "no init found"
`);
  requireCommands('riscv64-linux-gnu-objcopy', 'riscv64-linux-gnu-nm');
  const raw = `${elf}.bin`;
  const copied = spawnSync('riscv64-linux-gnu-objcopy', ['-O', 'binary', elf, raw], { encoding: 'utf8' });
  assert.equal(copied.status, 0, copied.stderr);
  const nm = spawnSync('riscv64-linux-gnu-nm', [elf], { encoding: 'utf8' });
  assert.equal(nm.status, 0, nm.stderr);
  const map = tempFile('raw-panics.map', nm.stdout);
  const r = runCli(['run', '--arch', 'riscv64', '--image', raw, '--symbols', map, '--stop-on-panic', '--max-instructions', '1000000']);
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stderr, /^stopped: CPU 0: guest-panic: Kernel panic - not syncing: no init found$/m);
  const launch = tempFile('raw-panics.json', JSON.stringify({ arch: 'riscv64', cpus: 1, images: [{ path: raw, zone: 0, address: '0x90000000', symbols: 'missing.map' }] }));
  const bad = runCli(['run', launch]);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /missing\.map: no such file or folder \(.*raw-panics\.json: images\[0\]\.symbols\)/);
});

test('without --stop-on-panic, the same guest runs on to the instruction limit', () => {
  const guest = printer('no-flag', '---[ end Kernel panic - not syncing: Fatal exception ]---\n');
  const r = runCli(['run', '--arch', 'riscv64', '--image', guest, '--max-instructions', '100000']);
  assert.equal(r.status, 3, r.stderr);
});

test("without symbols, the kernel's end-of-panic console line ends the run with its panic line", () => {
  const guest = printer('console-panic', '[    7.70] Kernel panic - not syncing: Fatal exception\r\n[    7.71] ---[ end Kernel panic - not syncing: Fatal exception ]---\r\n');
  const r = runCli(['run', '--arch', 'riscv64', '--image', guest, '--stop-on-panic', '--max-instructions', '1000000']);
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stdout, /---\[ end Kernel panic - not syncing: Fatal exception \]---\r\n$/);
  assert.match(r.stderr, /^stopped: CPU 0: guest-panic: Kernel panic - not syncing: Fatal exception$/m);
});

test('a guest that only quotes the line within its output runs on', () => {
  const guest = printer('quotes-panic', 'grep for "---[ end Kernel panic - not syncing: Fatal exception ]---"\n');
  const r = runCli(['run', '--arch', 'riscv64', '--image', guest, '--stop-on-panic', '--max-instructions', '100000']);
  assert.equal(r.status, 3, r.stderr);
});
