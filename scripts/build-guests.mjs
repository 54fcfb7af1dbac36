// Cross-compiles the riscv64 test guests (test/guests/riscv64/programs.json)
// at every optimisation level into out/guests/riscv64/<name>-<opt>.elf.
// Usage: node scripts/build-guests.mjs [--force] [name...]
// Also imported by bench/riscv64-mips.mjs for buildGuest().
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const GUEST_DIR = join(ROOT, 'test/guests/riscv64');
export const OUT_DIR = join(ROOT, 'out/guests/riscv64');
export const CC = 'riscv64-linux-gnu-gcc';

export const CFLAGS = [
  '-march=rv64imac_zicsr_zifencei',
  '-mabi=lp64',
  '-mcmodel=medany',
  '-ffreestanding',
  '-nostdlib',
  '-static',
  '-fno-pie',
  '-no-pie',
  '-fno-stack-protector',
  '-g',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-Wl,--build-id=none',
];

// The files every guest links besides its own sources.
const COMMON = ['start.S', 'lib.c'].map((f) => join(GUEST_DIR, f));
const COMMON_DEPS = [...COMMON, join(GUEST_DIR, 'lib.h'), join(GUEST_DIR, 'link.ld'), fileURLToPath(import.meta.url)];

export function readManifest() {
  return JSON.parse(readFileSync(join(GUEST_DIR, 'programs.json'), 'utf8'));
}

let compilerChecked = false;
function checkCompiler() {
  if (compilerChecked) return;
  const r = spawnSync(CC, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      `build-guests: the cross compiler ${CC} is missing or broken (${r.error ? r.error.message : `exit ${r.status}`}); ` +
        'install the Debian package gcc-riscv64-linux-gnu',
    );
  }
  compilerChecked = true;
}

function mtime(p) {
  return statSync(p).mtimeMs;
}

/**
 * Builds one guest ELF unless it is newer than all of its inputs.
 * sources: absolute paths; opt: 'O0' | 'O2' | 'Os'; defines: ['NAME=VALUE'].
 * Returns true when it compiled.
 */
export function buildGuest({ sources, opt, defines = [], out, force = false, extraDeps = [] }) {
  const deps = [...COMMON_DEPS, ...sources, ...extraDeps];
  if (!force && existsSync(out)) {
    const built = mtime(out);
    if (deps.every((d) => mtime(d) < built)) return false;
  }
  checkCompiler();
  mkdirSync(dirname(out), { recursive: true });
  const args = [
    ...CFLAGS,
    `-${opt}`,
    `-I${GUEST_DIR}`,
    ...defines.map((d) => `-D${d}`),
    '-T',
    join(GUEST_DIR, 'link.ld'),
    '-o',
    out,
    ...COMMON,
    ...sources,
  ];
  const r = spawnSync(CC, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`build-guests: ${CC} failed for ${out}\n${CC} ${args.join(' ')}\n${r.stderr ?? r.error}`);
  }
  return true;
}

/** Builds every program in the manifest (or those named); returns the ELF paths. */
export function buildAll({ force = false, only = [] } = {}) {
  const { programs, opts } = readManifest();
  const outs = [];
  for (const p of programs) {
    if (only.length > 0 && !only.includes(p.name)) continue;
    for (const opt of opts) {
      const out = join(OUT_DIR, `${p.name}-${opt}.elf`);
      const sources = p.sources.map((s) => join(GUEST_DIR, s));
      const extraDeps = [join(GUEST_DIR, 'programs.json')];
      if (buildGuest({ sources, opt, defines: p.defines, out, force, extraDeps })) console.log(`built ${out.slice(ROOT.length + 1)}`);
      outs.push(out);
    }
  }
  return outs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  try {
    buildAll({ force: args.includes('--force'), only: args.filter((a) => !a.startsWith('--')) });
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
