// Input that arrives while the guest runs: a pipe written to after the guest
// has printed its prompt, and a terminal (a pty from script(1)) in raw mode,
// where Ctrl-A x quits.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI, tempFile } from './run-cli';
import { U_BOOT, debianBinary } from '../debian-binaries';
import { requireCommands } from '../../scripts/external-tools.mjs';

/** Feeds `child` the next reply each time its output so far matches the next prompt. */
function converse(child: ChildProcessWithoutNullStreams, steps: readonly (readonly [RegExp, string])[]): Promise<{ status: number | null; out: string; err: string }> {
  let out = '';
  let err = '';
  let next = 0;
  const advance = (): void => {
    while (next < steps.length && steps[next]![0].test(out)) child.stdin.write(steps[next++]![1]);
  };
  child.stdout.setEncoding('latin1').on('data', (s: string) => {
    out += s;
    advance();
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, out, err })));
}

test("a pipe that stays open: Debian's U-Boot reads what is written after each prompt", { timeout: 120_000 }, async () => {
  const image = debianBinary(U_BOOT.riscv64);
  const child = spawn(process.execPath, [CLI, 'run', '--arch', 'riscv64', '--image', image, '--max-instructions', '3000000000']);
  const r = await converse(child, [
    [/Hit any key to stop autoboot/, ' '],
    [/=> $/, 'version\n'],
    [/=> version\r\n[^]*=> $/, 'poweroff\n'],
  ]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /=> version\r\nU-Boot 20\d\d\.\d+[^\r\n]*\r\n/);
  assert.match(r.out, /=> poweroff\r\npoweroff \.\.\.\r\n$/);
});

test('a terminal: keys reach the guest as typed, and Ctrl-A x quits with exit status 0', { timeout: 120_000 }, async () => {
  requireCommands('script');
  // Prints ">" and echoes what SBI getchar returns, for ever.
  const echo = tempFile('tty-echo.S', `.globl _start
_start:
  li a0, '>'
  li a7, 1
  ecall
1: li a7, 2
  ecall
  bltz a0, 1b
  li a7, 1
  ecall
  j 1b
`);
  const command = [process.execPath, CLI, 'run', '--arch', 'riscv64', '--image', echo, '--max-instructions', '2000000000'].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qefc', command, '/dev/null']);
  const r = await converse(child, [
    [/>/, 'hi\x03'],
    [/>hi\x03/, '\x01x'],
  ]);
  assert.equal(r.status, 0, r.out + r.err);
  assert.match(r.out, />hi\x03/, 'raw mode: Ctrl-C went to the guest as a byte');
  assert.match(r.out, /stopped: quit \(Ctrl-A x\)/);
});
