// A C guest whose DWARF is broken the way a truncated or damaged file is:
// zone1.c (gcc -g -O0, linked where zone 1 of the riscv64 sample starts)
// with its first unit's length in .debug_info claiming far more bytes than
// the section has.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseElf } from '../../../engine/machine/loaders/elf';
import { requireCommands } from '../../../scripts/external-tools.mjs';

/** Builds the guest into `dir` and returns its path. */
export function zone1WithBadUnitLength(dir: string): string {
  requireCommands('riscv64-linux-gnu-gcc');
  const elf = join(dir, 'zone1-bad-dwarf.elf');
  execFileSync('riscv64-linux-gnu-gcc', ['-g', '-O0', '-nostdlib', '-static', '-ffreestanding', '-Wl,--no-warn-rwx-segments', '-Wl,--build-id=none', '-T', resolve('test/guests/dwarf/zone1.ld'), '-o', elf, resolve('test/guests/dwarf/zone1.c')]);
  const bytes = new Uint8Array(readFileSync(elf));
  const info = parseElf(bytes, elf, 'riscv64').section('.debug_info');
  if (!info) throw new Error(`${elf} has no .debug_info`);
  new DataView(bytes.buffer).setUint32(info.offset, 0x7ffffff0, true);
  writeFileSync(elf, bytes);
  return elf;
}
