// Debian's U-Boot under the runner: input piped in one go, before U-Boot's
// serial driver has reset its FIFO (twice: before and after relocation),
// reaches its prompt whole. The first key stops autoboot and is consumed by
// it, as at a keyboard.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './run-cli';
import { U_BOOT, debianBinary } from '../debian-binaries';

test("riscv64: Debian's S-mode U-Boot reads piped input at its prompt: version, then poweroff", () => {
  const image = debianBinary(U_BOOT.riscv64);
  const r = runCli(['run', '--arch', 'riscv64', '--image', image, '--max-instructions', '100000000'], '\nversion\npoweroff\n');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Hit any key to stop autoboot/);
  assert.match(r.stdout, /=> version\r\nU-Boot 20\d\d\.\d+[^\r\n]*\r\n\r\nriscv64-linux-gnu-gcc /);
  assert.match(r.stdout, /=> poweroff\r\npoweroff \.\.\.\r\n$/);
  assert.match(r.stderr, /^stopped: power-off by CPU 0/m);
});
