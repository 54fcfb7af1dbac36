// The bundled sample, assembled by the built-in assembler, prints what QEMU
// prints for the same source assembled by GNU as.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildGuest, runCli } from './run-cli';

const SAMPLE = 'samples/riscv64-hello/hello.S';

for (const cpus of [1, 4]) {
  test(`the riscv64 sample on ${cpus} CPU(s) matches QEMU`, () => {
    const ours = runCli(['run', '--arch', 'riscv64', '--image', SAMPLE, '--cpus', String(cpus)]);
    assert.equal(ours.status, 0, ours.stderr);
    const expected = ['hvisor-debug: riscv64 sample, starting harts', ...Array.from({ length: cpus }, (_, i) => `hello from hart ${i}`), 'all harts done, powering off', ''].join('\n');
    assert.equal(ours.stdout, expected);
    const elf = buildGuest(`sample-${cpus}`, readFileSync(SAMPLE, 'utf8'));
    // Single-threaded TCG: the sample's harts spin waiting for their turn, which
    // multi-threaded TCG on a 2-core machine under test load makes very slow.
    const qemu = spawnSync('qemu-system-riscv64', ['-M', 'virt', '-accel', 'tcg,thread=single', '-bios', 'default', '-nographic', '-smp', String(cpus), '-m', '256M', '-kernel', elf], { input: '', encoding: 'utf8', timeout: 120_000 });
    const serial = qemu.stdout.slice(qemu.stdout.indexOf('\n', qemu.stdout.indexOf('Boot HART MEDELEG')) + 1);
    assert.equal(ours.stdout, serial, `QEMU exit ${qemu.status} signal ${qemu.signal} error ${qemu.error?.message ?? '-'}\n${qemu.stderr}`);
  });
}
