// `--bios`: Debian's arm64 U-Boot from flash, as QEMU virt's -bios runs it,
// reaches its prompt and answers commands piped in one go, then powers off.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { debianBinary, U_BOOT } from '../debian-binaries';
import { runCli } from './run-cli';

test("--bios boots Debian's arm64 U-Boot to its prompt; version and poweroff, piped in, end the run with exit 0", () => {
  // The first key stops autoboot and is consumed by it, as at a keyboard.
  const r = runCli(['run', '--arch', 'aarch64', '--bios', debianBinary(U_BOOT.aarch64), '--max-instructions', '100000000'], '\nversion\npoweroff\n');
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /Flash: 64 MiB/);
  assert.match(r.stdout, /=> version\r\nU-Boot 2023\.01\S* \(.*\)\r\n\r\naarch64-linux-gnu-gcc /);
  assert.match(r.stdout, /=> poweroff\r\npoweroff \.\.\.\r\n$/);
  assert.match(r.stderr, /power-off by CPU 0 \(PSCI SYSTEM_OFF from the root zone/);
});

test('--bios is for a board with a boot flash, and takes the place of --image', () => {
  const riscv = runCli(['run', '--arch', 'riscv64', '--bios', debianBinary(U_BOOT.riscv64)]);
  assert.equal(riscv.status, 2, riscv.stderr);
  assert.match(riscv.stderr, /--bios: the riscv64 board has no flash to boot firmware from/);
  const both = runCli(['run', '--arch', 'aarch64', '--bios', debianBinary(U_BOOT.aarch64), '--image', debianBinary(U_BOOT.aarch64)]);
  assert.equal(both.status, 2, both.stderr);
  assert.match(both.stderr, /give --bios or --image, not both/);
});
