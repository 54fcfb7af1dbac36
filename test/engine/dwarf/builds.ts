// The DWARF test program (test/guests/dwarf/shapes.c) built the ways the
// Debian cross compilers build C: gcc 12 at -O0 and -O2 on riscv64 (DWARF 5,
// .debug_frame), -O2 on aarch64 (DWARF 5, .eh_frame) and -gdwarf-4 -O2 on
// riscv64; and clang with lld on both arches (DWARF 5 with indexed strings,
// addresses, range and location lists). Each build is made once per test process.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Die } from '../../../engine/dwarf/info';
import { parseElf, type ElfArch, type ElfImage } from '../../../engine/machine/loaders/elf';
import { requireCommands } from '../../../scripts/external-tools.mjs';

export const SOURCE = resolve('test/guests/dwarf/shapes.c');

export interface Build {
  readonly name: string;
  readonly arch: ElfArch;
  readonly compiler: 'gcc' | 'clang';
  readonly flags: readonly string[];
}

export const BUILDS: readonly Build[] = [
  { name: 'riscv64-O0', arch: 'riscv64', compiler: 'gcc', flags: ['-g', '-O0'] },
  { name: 'riscv64-O2', arch: 'riscv64', compiler: 'gcc', flags: ['-g', '-O2'] },
  { name: 'aarch64-O2', arch: 'aarch64', compiler: 'gcc', flags: ['-g', '-O2'] },
  { name: 'riscv64-dwarf4-O2', arch: 'riscv64', compiler: 'gcc', flags: ['-gdwarf-4', '-O2'] },
  { name: 'riscv64-clang-O2', arch: 'riscv64', compiler: 'clang', flags: ['-g', '-O2'] },
  { name: 'aarch64-clang-O0', arch: 'aarch64', compiler: 'clang', flags: ['-g', '-O0'] },
];

export const PREFIX: Record<ElfArch, string> = { riscv64: 'riscv64-linux-gnu', aarch64: 'aarch64-linux-gnu' };

export interface Built {
  readonly build: Build;
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly elf: ElfImage;
}

let dir: string | undefined;
const cache = new Map<string, Built>();

/** Builds (once) and parses the program the way `build` says. */
export function built(build: Build): Built {
  const hit = cache.get(build.name);
  if (hit) return hit;
  requireCommands(`${PREFIX[build.arch]}-readelf`, ...(build.compiler === 'gcc' ? [`${PREFIX[build.arch]}-gcc`] : ['clang', 'ld.lld']));
  dir ??= mkdtempSync(join(tmpdir(), 'hvisor-dwarf-'));
  const file = join(dir, `${build.name}.elf`);
  const common = [...build.flags, '-nostdlib', '-static', '-ffreestanding', '-o', file, SOURCE];
  if (build.compiler === 'gcc') execFileSync(`${PREFIX[build.arch]}-gcc`, common);
  else execFileSync('clang', [`--target=${PREFIX[build.arch]}`, '-fuse-ld=lld', ...common]);
  const bytes = new Uint8Array(readFileSync(file));
  const b = { build, file, bytes, elf: parseElf(bytes, file, build.arch) };
  cache.set(build.name, b);
  return b;
}

/** Removes the build directory (call from `after`). */
export function cleanBuilds(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  cache.clear();
}

/** Runs the build's readelf with `args`. */
export function readelf(b: Built, ...args: string[]): string {
  return execFileSync(`${PREFIX[b.build.arch]}-readelf`, ['-W', ...args, b.file], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Runs gdb-multiarch in batch mode on the build, one command after another; returns each command's output. */
export function gdb(b: Built, commands: readonly string[]): string[] {
  requireCommands('gdb-multiarch');
  const SEP = '@@@@';
  const args = ['-nx', '-batch', ...commands.flatMap((c) => ['-ex', c, '-ex', `echo ${SEP}\\n`]), b.file];
  const out = execFileSync('gdb-multiarch', args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split(`${SEP}\n`).slice(0, commands.length).map((s) => s.trimEnd());
}

/** Every DIE under `root`, `root` included. */
export function allDies(root: Die): Die[] {
  const out: Die[] = [];
  const stack = [root];
  while (stack.length) {
    const d = stack.pop()!;
    out.push(d);
    stack.push(...d.children);
  }
  return out;
}
