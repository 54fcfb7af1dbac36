// Builds the C samples (samples/riscv64-c, samples/aarch64-c) with the Debian
// cross compilers, at -O0 and -O2, into each sample's build/ folder:
// build/root-O0.elf, build/zone1-O0.elf, build/root-O2.elf, build/zone1-O2.elf.
// An ELF newer than every file of its sample is left as it is.
// Usage: node scripts/build-samples.mjs [--force]
// scripts/setup.sh runs it; the tests import ensureSamples().
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireCommands } from './external-tools.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// Freestanding images at fixed addresses: no C library, no position independence
// (Debian's gcc builds PIE unless told otherwise).
const COMMON_CFLAGS = ['-ffreestanding', '-nostdlib', '-static', '-fno-pie', '-no-pie', '-g', '-Wall', '-Wextra', '-Werror', '-Wl,--build-id=none'];

/** Per sample: its folder, its compiler, the flags for its arch and what it links last. */
export const SAMPLES = [
  {
    name: 'riscv64-c',
    dir: join(ROOT, 'samples/riscv64-c'),
    cc: 'riscv64-linux-gnu-gcc',
    // Debian's default target, rv64gc with lp64d; medany because the images live above 2 GiB.
    cflags: ['-march=rv64gc', '-mabi=lp64d', '-mcmodel=medany'],
    libs: [],
  },
  {
    name: 'aarch64-c',
    dir: join(ROOT, 'samples/aarch64-c'),
    cc: 'aarch64-linux-gnu-gcc',
    // The compiler's defaults: its atomics are calls to libgcc's helpers, so libgcc is linked.
    cflags: ['-Wl,--no-warn-rwx-segments'],
    libs: ['-lgcc'],
  },
];

/** The images of every sample: each is its own .c plus console.c, linked by its own script. */
const IMAGES = ['root', 'zone1'];
export const OPTS = ['O0', 'O2'];

export function elfPath(sample, image, opt) {
  return join(sample.dir, 'build', `${image}-${opt}.elf`);
}

/** Every source, header and linker script of a sample, and this script. */
function inputs(sample) {
  const own = readdirSync(sample.dir).filter((f) => /\.(c|h|ld)$/.test(f)).map((f) => join(sample.dir, f));
  return [...own, fileURLToPath(import.meta.url)];
}

function upToDate(out, deps) {
  if (!existsSync(out)) return false;
  const built = statSync(out).mtimeMs;
  return deps.every((d) => statSync(d).mtimeMs < built);
}

/** Builds what is missing or older than its sources; returns the paths it built. */
export function buildSamples({ force = false } = {}) {
  const built = [];
  for (const sample of SAMPLES) {
    const deps = inputs(sample);
    for (const image of IMAGES) {
      for (const opt of OPTS) {
        const out = elfPath(sample, image, opt);
        if (!force && upToDate(out, deps)) continue;
        requireCommands(sample.cc);
        mkdirSync(dirname(out), { recursive: true });
        const args = [
          ...COMMON_CFLAGS,
          ...sample.cflags,
          `-${opt}`,
          '-T', join(sample.dir, `${image}.ld`),
          // Written beside, then renamed: a test that runs the ELF never sees half of one.
          '-o', `${out}.${process.pid}.tmp`,
          join(sample.dir, `${image}.c`),
          join(sample.dir, 'console.c'),
          ...sample.libs,
        ];
        const r = spawnSync(sample.cc, args, { encoding: 'utf8', cwd: sample.dir });
        if (r.error || r.status !== 0) {
          throw new Error(`build-samples: ${sample.cc} failed for ${out}\n${sample.cc} ${args.join(' ')}\n${r.stderr ?? r.error}`);
        }
        renameSync(`${out}.${process.pid}.tmp`, out);
        built.push(out);
      }
    }
  }
  return built;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    for (const out of buildSamples({ force: process.argv.includes('--force') })) console.log(`built ${out.slice(ROOT.length + 1)}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
