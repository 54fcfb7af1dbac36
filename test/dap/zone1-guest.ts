// test/guests/dwarf/zone1.c as zone 1 of the riscv64-zones sample, built with
// riscv64-linux-gnu-gcc -g at an optimisation level: each level once per test
// process, in a directory removed when the process exits.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requireCommands } from '../../scripts/external-tools.mjs';

export const ZONE1_SOURCE = resolve('test/guests/dwarf/zone1.c');
const LINKER_SCRIPT = resolve('test/guests/dwarf/zone1.ld');

let dir: string | undefined;
const built = new Map<string, string>();

/** The path of zone1.c's ELF built at `level`. */
export function zone1Elf(level: '-O0' | '-O2'): string {
  const hit = built.get(level);
  if (hit) return hit;
  requireCommands('riscv64-linux-gnu-gcc');
  if (!dir) {
    const made = mkdtempSync(join(tmpdir(), 'hvisor-c-zone-'));
    dir = made;
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  const elf = join(dir, `zone1${level}.elf`);
  execFileSync('riscv64-linux-gnu-gcc', ['-g', level, '-nostdlib', '-static', '-ffreestanding', '-Wl,--no-warn-rwx-segments', '-Wl,--build-id=none', '-T', LINKER_SCRIPT, '-o', elf, ZONE1_SOURCE]);
  built.set(level, elf);
  return elf;
}
