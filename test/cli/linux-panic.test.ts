// Debian's riscv64 kernel with no initrd panics for want of a root file
// system. With --stop-on-panic and the System.map beside its Image, the run
// ends at panic with exit status 4 and the panic line, and its call stack
// (by the frame-pointer chain) holds the return addresses the kernel's own
// Call Trace prints for the same panic under QEMU.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { debianBinary, LINUX } from '../debian-binaries';
import { requireCommands } from '../../scripts/external-tools.mjs';
import { CLI } from './run-cli';

const IMAGE = debianBinary(join(LINUX.riscv64, 'Image'));
debianBinary(join(LINUX.riscv64, 'System.map'));
const PANIC_LINE = 'Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)';
/** The kernel reaches its panic in about 1.1e9 instructions here. */
const MAX_INSTRUCTIONS = '2000000000';

/** The return addresses of the kernel's Call Trace below panic, booted by QEMU until its end-of-panic line. */
async function qemuCallTrace(): Promise<bigint[]> {
  requireCommands('qemu-system-riscv64');
  const qemu = spawn('qemu-system-riscv64', ['-M', 'virt', '-m', '256M', '-nographic', '-bios', 'default', '-kernel', IMAGE, '-no-reboot'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let console = '';
  await new Promise<void>((done, fail) => {
    qemu.stdout.on('data', (d: Buffer) => {
      console += d.toString('latin1');
      if (/---\[ end Kernel panic/.test(console)) done();
    });
    qemu.on('exit', (code) => fail(new Error(`qemu-system-riscv64 exited (${code}) before the panic:\n${console.slice(-2000)}`)));
  }).finally(() => qemu.kill());
  const trace = console.slice(console.indexOf('Call Trace:'));
  const frames = [...trace.matchAll(/\[<([0-9a-f]{16})>\] (\S+)/g)].map((m) => ({ address: BigInt(`0x${m[1]}`), name: m[2]! }));
  const below = frames.findIndex((f) => f.name.startsWith('panic+'));
  assert.ok(below >= 0, trace);
  return frames.slice(below + 1).map((f) => f.address);
}

test("Debian's riscv64 kernel without a root fs stops at panic: exit 4, the panic line, and the stack QEMU's kernel prints", { timeout: 30 * 60_000 }, async () => {
  const expected = await qemuCallTrace();
  const r = spawnSync(process.execPath, [CLI, 'run', '--arch', 'riscv64', '--image', IMAGE, '--stop-on-panic', '--max-instructions', MAX_INSTRUCTIONS], { encoding: 'utf8', timeout: 25 * 60_000 });
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stdout, /Linux version 6\.12/);
  assert.ok(r.stderr.includes(`stopped: CPU 0: guest-panic: ${PANIC_LINE}\n`), r.stderr);
  const frames = [...r.stderr.matchAll(/^#(\d+) 0x([0-9a-f]{16}) in (\S+)$/gm)].map((m) => ({ address: BigInt(`0x${m[2]}`), name: m[3]! }));
  assert.equal(frames[0]?.name, 'panic', r.stderr);
  assert.deepEqual(frames.slice(1).map((f) => f.address), expected, r.stderr);
  assert.match(frames.at(-1)!.name, /^ret_from_fork\+0x[0-9a-f]+$/);
});
