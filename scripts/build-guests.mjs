// Cross-compiles the test guests of one architecture
// (test/guests/<arch>/programs.json) at every optimisation level into
// out/guests/<arch>/<name>-<opt>.elf.
// Usage: node scripts/build-guests.mjs [--arch riscv64|aarch64] [--force] [name...]
// (riscv64 when --arch is not given). Also imported by bench/*-mips.mjs for
// buildGuest().
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireCommands } from './external-tools.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Arch-neutral guest code (console, mem*, programs that are the same C on every arch). */
const COMMON_DIR = join(ROOT, 'test/guests/common');

const COMMON_CFLAGS = [
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

/** Per architecture: sources, outputs, the cross compiler and base flags. */
export const ARCHES = {
  riscv64: {
    guestDir: join(ROOT, 'test/guests/riscv64'),
    outDir: join(ROOT, 'out/guests/riscv64'),
    cc: 'riscv64-linux-gnu-gcc',
    // Debian's default target: rv64gc with the lp64d ABI.
    cflags: ['-march=rv64gc', '-mabi=lp64d', '-mcmodel=medany', ...COMMON_CFLAGS],
  },
  aarch64: {
    guestDir: join(ROOT, 'test/guests/aarch64'),
    outDir: join(ROOT, 'out/guests/aarch64'),
    cc: 'aarch64-linux-gnu-gcc',
    // armv8.1-a: __atomic builtins become LSE instructions. There is no
    // libgcc, so atomics must never become calls to its outline helpers.
    // The guests are one RWX segment on purpose; ld 2.40 would warn about it.
    cflags: ['-march=armv8.1-a', '-mno-outline-atomics', ...COMMON_CFLAGS, '-Wl,--no-warn-rwx-segments'],
  },
};

// The riscv64 names this module has always exported.
export const GUEST_DIR = ARCHES.riscv64.guestDir;
export const OUT_DIR = ARCHES.riscv64.outDir;
export const CC = ARCHES.riscv64.cc;
export const CFLAGS = ARCHES.riscv64.cflags;

function archConfig(arch) {
  const config = ARCHES[arch];
  if (!config) throw new Error(`build-guests: unknown arch "${arch}" (known: ${Object.keys(ARCHES).join(', ')})`);
  return config;
}

/** The files every guest of `arch` links besides its own sources. */
function common(arch) {
  const { guestDir } = archConfig(arch);
  const sources = [
    ...['start.S', 'lib.c'].map((f) => join(guestDir, f)),
    ...['console.c', 'mem.c'].map((f) => join(COMMON_DIR, f)),
  ];
  const headers = ['console.h', 'lcg.h', 'mem.h'].map((f) => join(COMMON_DIR, f));
  const deps = [...sources, ...headers, join(guestDir, 'lib.h'), join(guestDir, 'link.ld'), fileURLToPath(import.meta.url)];
  return { sources, deps };
}

export function readManifest(arch = 'riscv64') {
  return JSON.parse(readFileSync(join(archConfig(arch).guestDir, 'programs.json'), 'utf8'));
}

const compilerChecked = new Set();
function checkCompiler(arch) {
  if (compilerChecked.has(arch)) return;
  requireCommands(archConfig(arch).cc);
  compilerChecked.add(arch);
}

function mtime(p) {
  return statSync(p).mtimeMs;
}

/**
 * Builds one guest ELF unless it is newer than all of its inputs.
 * sources: absolute paths; opt: 'O0' | 'O2' | 'Os'; defines: ['NAME=VALUE'];
 * cflags: extra compiler flags, after the architecture's own (a later -march wins).
 * Returns true when it compiled.
 */
export function buildGuest({ arch = 'riscv64', sources, opt, defines = [], cflags = [], out, force = false, extraDeps = [] }) {
  const config = archConfig(arch);
  const base = common(arch);
  const deps = [...base.deps, ...sources, ...extraDeps];
  if (!force && existsSync(out)) {
    const built = mtime(out);
    if (deps.every((d) => mtime(d) < built)) return false;
  }
  checkCompiler(arch);
  mkdirSync(dirname(out), { recursive: true });
  const args = [
    ...config.cflags,
    ...cflags,
    `-${opt}`,
    `-I${config.guestDir}`,
    `-I${COMMON_DIR}`,
    ...defines.map((d) => `-D${d}`),
    '-T',
    join(config.guestDir, 'link.ld'),
    '-o',
    out,
    ...base.sources,
    ...sources,
  ];
  const r = spawnSync(config.cc, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`build-guests: ${config.cc} failed for ${out}\n${config.cc} ${args.join(' ')}\n${r.stderr ?? r.error}`);
  }
  return true;
}

/** Builds every program in the manifest of `arch` (or those named); returns the ELF paths. */
export function buildAll({ arch = 'riscv64', force = false, only = [] } = {}) {
  const { guestDir, outDir } = archConfig(arch);
  const { programs, opts } = readManifest(arch);
  const outs = [];
  for (const p of programs) {
    if (only.length > 0 && !only.includes(p.name)) continue;
    for (const opt of p.opts ?? opts) {
      const out = join(outDir, `${p.name}-${opt}.elf`);
      // Relative to the arch's directory: "../common/x.c" names shared code.
      const sources = p.sources.map((s) => join(guestDir, s));
      const extraDeps = [join(guestDir, 'programs.json')];
      const built = buildGuest({ arch, sources, opt, defines: p.defines, cflags: p.cflags ?? [], out, force, extraDeps });
      if (built) console.log(`built ${out.slice(ROOT.length + 1)}`);
      outs.push(out);
    }
  }
  return outs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--arch');
  const arch = at >= 0 ? args[at + 1] : 'riscv64';
  const names = args.filter((a, i) => !a.startsWith('--') && (at < 0 || i !== at + 1));
  try {
    buildAll({ arch, force: args.includes('--force'), only: names });
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
