// The runner's --initrd, --append and --dtb: bad files are bad input (exit 2)
// with a message naming the file, never a crash.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGuest, runCli, tempFile, POWER_OFF } from './run-cli';

const guest = buildGuest('boot-options', `.globl _start\n_start:\n${POWER_OFF}\n`);

test('a missing --initrd file names the flag and the file', () => {
  const r = runCli(['run', '--arch', 'riscv64', '--image', guest, '--initrd', '/nonexistent/initrd.cpio']);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, 'hvisor-debug: --initrd /nonexistent/initrd.cpio: no such file or folder\n');
});

test('a --dtb that is no device tree names the file', () => {
  const notes = tempFile('notes.txt', 'these are notes, not a flattened device tree blob at all\n');
  const r = runCli(['run', '--arch', 'riscv64', '--image', guest, '--dtb', notes]);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, `hvisor-debug: ${notes}: bad device-tree magic 0x74686573, expected 0xd00dfeed\n`);
});

test('a guest boots with --initrd and --append given', () => {
  const initrd = tempFile('initrd.cpio', new Uint8Array(4096));
  const r = runCli(['run', '--arch', 'riscv64', '--image', guest, '--initrd', initrd, '--append', 'console=ttyS0']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /power-off by CPU 0/);
});
