// Runs the built runner (dist/cli.js) and builds tiny guests with GNU as/ld
// (a missing one fails, naming its Debian package).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requireCommands } from '../../scripts/external-tools.mjs';

export const CLI = resolve('dist/cli.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], input = ''): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The guests this test process builds, removed when it exits. */
const work = mkdtempSync(join(tmpdir(), 'hvisor-cli-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/**
 * Assemble and link `source` with GNU binutils at `textAddress` (-N: one
 * segment starting exactly there, with no ELF headers loaded below it).
 */
export function buildGuest(name: string, source: string, textAddress = 0x80200000, arch: 'riscv64' | 'aarch64' = 'riscv64'): string {
  const src = join(work, `${name}.S`);
  const obj = join(work, `${name}.o`);
  const elf = join(work, `${name}.elf`);
  writeFileSync(src, source);
  const as = `${arch}-linux-gnu-as`;
  const ld = `${arch}-linux-gnu-ld`;
  requireCommands(as, ld);
  // riscv64: the target Debian's gcc passes to as (rv64gc); as alone would assemble without the C extension.
  const assembled = spawnSync(as, [...(arch === 'riscv64' ? ['-march=rv64gc'] : []), '-o', obj, src], { encoding: 'utf8' });
  if (assembled.status !== 0) throw new Error(`${as} failed: ${assembled.stderr || assembled.error?.message}`);
  const linked = spawnSync(ld, ['-N', `-Ttext=0x${textAddress.toString(16)}`, '--build-id=none', '-o', elf, obj], { encoding: 'utf8' });
  if (linked.status !== 0) throw new Error(`${ld} failed: ${linked.stderr || linked.error?.message}`);
  return elf;
}

export function tempFile(name: string, bytes: Uint8Array | string): string {
  const p = join(work, name);
  writeFileSync(p, bytes);
  return p;
}

/** Guest epilogue: power off through SBI SRST. */
export const POWER_OFF = `
  li a7, 0x53525354
  li a6, 0
  li a0, 0
  li a1, 0
  ecall
`;
