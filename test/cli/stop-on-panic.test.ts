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
  const { image: raw, map: listing } = rawWithListing(elf, 'bin');
  const map = tempFile('raw-panics.map', listing);
  const r = runCli(['run', '--arch', 'riscv64', '--image', raw, '--symbols', map, '--stop-on-panic', '--max-instructions', '1000000']);
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stderr, /^stopped: CPU 0: guest-panic: Kernel panic - not syncing: no init found$/m);
  const launch = tempFile('raw-panics.json', JSON.stringify({ arch: 'riscv64', cpus: 1, images: [{ path: raw, zone: 0, address: '0x90000000', symbols: 'missing.map' }] }));
  const bad = runCli(['run', launch]);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /missing\.map: no such file or folder \(.*raw-panics\.json: images\[0\]\.symbols\)/);
});

/** A raw riscv64 Linux Image (its boot header says so) that counts 1000 times, then calls panic; and nm's listing of it. */
function linuxLikeImage(): { image: string; map: string } {
  const elf = buildGuest('linux-like', `
  .option norelax
  .globl _start
_start:
  j entry
  .balign 8
  .dword 0x200000          # text_offset
  .dword 0                 # image_size: the file's
  .dword 0                 # flags
  .word 2, 0               # version, res1
  .dword 0                 # res2
  .ascii "RISCV\\0\\0\\0"
  .ascii "RSC\\x05"
  .word 0
entry:
  li t0, 1000
  .globl count
  .type count, @function
count:
  addi t0, t0, -1
  bnez t0, count
  .size count, . - count
  la a0, format
  call panic
  .globl panic
  .type panic, @function
panic:
  j panic
  .size panic, . - panic
format: .asciz "the end"
`);
  return rawWithListing(elf, 'Image');
}

/** `elf` copied to a raw binary (ELF path + `.suffix`), and nm's listing of its symbols. */
function rawWithListing(elf: string, suffix: string): { image: string; map: string } {
  requireCommands('riscv64-linux-gnu-objcopy', 'riscv64-linux-gnu-nm');
  const image = `${elf}.${suffix}`;
  const copied = spawnSync('riscv64-linux-gnu-objcopy', ['-O', 'binary', elf, image], { encoding: 'utf8' });
  assert.equal(copied.status, 0, copied.stderr);
  const nm = spawnSync('riscv64-linux-gnu-nm', [elf], { encoding: 'utf8' });
  assert.equal(nm.status, 0, nm.stderr);
  return { image, map: nm.stdout };
}

test("a kernel's symbols count only where the kernel runs as they say: symbols moved by an offset (as KASLR moves a kernel) do not stop the run", () => {
  const { image, map } = linuxLikeImage();
  const address = (name: string): bigint => BigInt(`0x${map.split('\n').find((l) => l.endsWith(` ${name}`))!.split(' ')[0]}`);
  const good = runCli(['run', '--arch', 'riscv64', '--image', image, '--symbols', tempFile('linux-like.map', map), '--stop-on-panic', '--max-instructions', '100000']);
  assert.equal(good.status, 4, good.stderr);
  assert.match(good.stderr, /^stopped: CPU 0: guest-panic: Kernel panic - not syncing: the end$/m);
  // Every symbol moved down so that "panic" names the counting loop, which runs first and often.
  const offset = address('panic') - address('count');
  const moved = map.split('\n').filter((l) => l !== '').map((l) => {
    const [value, type, name] = l.split(' ');
    return `${(BigInt(`0x${value}`) - offset).toString(16).padStart(16, '0')} ${type} ${name}`;
  }).join('\n');
  const r = runCli(['run', '--arch', 'riscv64', '--image', image, '--symbols', tempFile('linux-like-moved.map', `${moved}\n`), '--stop-on-panic', '--max-instructions', '100000']);
  // Past the loop and into the real panic, which spins on itself: the run ends quiescent.
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`^stopped: quiescent \\(CPU 0 at 0x${address('panic').toString(16)} spins`, 'm'));
});

test('an arm64 Linux Image with its symbols unwinds by its frame records, and panic reads its format from x0', () => {
  const elf = buildGuest('arm64-linux-like', `
  .globl _start, _text
_start:
_text:
  b entry
  .word 0
  .quad 0                  // text_offset
  .quad 0x10000            // image_size
  .quad 0xa                // flags: little-endian, 4 KiB pages
  .quad 0, 0, 0
  .ascii "ARM\\x64"
  .word 0
  .type entry, %function
entry:
  adr x0, stack_top
  mov sp, x0
  mov x29, #0
  bl outer
1: b 1b
  .size entry, . - entry
  .type outer, %function
outer:
  stp x29, x30, [sp, #-16]!
  mov x29, sp
  bl inner
  ldp x29, x30, [sp], #16
  ret
  .size outer, . - outer
  .type inner, %function
inner:
  stp x29, x30, [sp, #-16]!
  mov x29, sp
  adr x0, format
  mov x1, #7
  bl panic
  ldp x29, x30, [sp], #16
  ret
  .size inner, . - inner
  .globl panic
  .type panic, %function
panic:
  b panic
  .size panic, . - panic
format: .asciz "Attempted to kill init! exitcode=0x%08x"
  .balign 16
  .space 256
stack_top:
`, 0x40200000, 'aarch64');
  requireCommands('aarch64-linux-gnu-objcopy', 'aarch64-linux-gnu-nm');
  const image = `${elf}.Image`;
  const copied = spawnSync('aarch64-linux-gnu-objcopy', ['-O', 'binary', elf, image], { encoding: 'utf8' });
  assert.equal(copied.status, 0, copied.stderr);
  const nm = spawnSync('aarch64-linux-gnu-nm', [elf], { encoding: 'utf8' });
  assert.equal(nm.status, 0, nm.stderr);
  const r = runCli(['run', '--arch', 'aarch64', '--image', image, '--symbols', tempFile('arm64-linux-like.map', nm.stdout), '--stop-on-panic', '--max-instructions', '100000']);
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stderr, /^stopped: CPU 0: guest-panic: Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000007$/m);
  const frames = [...r.stderr.matchAll(/^#\d+ 0x[0-9a-f]{16} in (\S+)$/gm)].map((m) => m[1]);
  // Each caller's frame is named at its return address: just past its bl.
  assert.deepEqual(frames, ['panic', 'inner+0x14', 'outer+0xc', 'entry+0x10'], r.stderr);
  assert.match(r.stderr, /^call stack of CPU 0 \(the frame-pointer chain ends\):$/m);
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
