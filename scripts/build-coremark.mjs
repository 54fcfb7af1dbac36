// Cross-compiles EEMBC CoreMark (bench/guests/coremark) with its bare-metal
// port into out/bench/coremark/<arch>/coremark-<run>-i<iterations>.elf: one
// ELF that QEMU's virt board and our runner both boot. The flags are the
// distribution's defaults for the target (what `gcc -O2` gives a program on
// Debian), and what the bare-metal image needs besides: no C library, no PIE.
// Used by bench/coremark.mjs; test/bench-guests/coremark.test.ts runs it as a
// command, which prints the ELF's path.
// Usage: node scripts/build-coremark.mjs --arch riscv64|aarch64 [--iterations N] [--run performance|validation]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ARCHES, ROOT } from './build-guests.mjs';
import { requireCommands } from './external-tools.mjs';

const SRC = join(ROOT, 'bench/guests/coremark');
const PORT = join(SRC, 'port');
const BENCHMARK_FILES = ['core_list_join.c', 'core_main.c', 'core_matrix.c', 'core_state.c', 'core_util.c'];

/**
 * Per architecture, the flags that change the code (reported by CoreMark as
 * its COMPILER_FLAGS): Debian's target defaults, and on riscv64 the code model
 * an image linked at 0x80200000 needs.
 */
export const COREMARK_ARCHES = {
  riscv64: { codeFlags: ['-O2', '-march=rv64gc', '-mabi=lp64d', '-mcmodel=medany'] },
  aarch64: { codeFlags: ['-O2'] },
};

/**
 * Link and build flags that leave the generated code as it is. The image is
 * one RWX segment on purpose; ld 2.40 would warn about it.
 */
const IMAGE_FLAGS = ['-nostdlib', '-static', '-fno-pie', '-no-pie', '-fno-stack-protector', '-g', '-Wall', '-Wl,--build-id=none', '-Wl,--no-warn-rwx-segments'];

export const RUNS = { performance: 'PERFORMANCE_RUN', validation: 'VALIDATION_RUN' };

function newestInput(arch) {
  const files = [
    ...readdirSync(SRC).filter((f) => /\.[ch]$/.test(f)).map((f) => join(SRC, f)),
    ...readdirSync(PORT).filter((f) => /\.[ch]$/.test(f)).map((f) => join(PORT, f)),
    ...readdirSync(join(PORT, arch)).map((f) => join(PORT, arch, f)),
    fileURLToPath(import.meta.url),
  ];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

/**
 * Builds CoreMark for `arch` with `iterations` (0: CoreMark picks a count
 * that runs about 10 s) unless the ELF is newer than its inputs; returns its path.
 */
export function buildCoremark({ arch, iterations, run = 'performance' }) {
  const config = COREMARK_ARCHES[arch];
  if (!config) throw new Error(`build-coremark: unknown arch "${arch}" (known: ${Object.keys(COREMARK_ARCHES).join(', ')})`);
  if (!RUNS[run]) throw new Error(`build-coremark: unknown run "${run}" (known: ${Object.keys(RUNS).join(', ')})`);
  if (!Number.isInteger(iterations) || iterations < 0) throw new Error(`build-coremark: iterations must be a whole number, not ${iterations}`);
  const { cc } = ARCHES[arch];
  const out = join(ROOT, 'out/bench/coremark', arch, `coremark-${run}-i${iterations}.elf`);
  if (existsSync(out) && statSync(out).mtimeMs > newestInput(arch)) return out;
  requireCommands(cc);
  mkdirSync(dirname(out), { recursive: true });
  const args = [
    ...config.codeFlags,
    ...IMAGE_FLAGS,
    `-D${RUNS[run]}=1`,
    `-DITERATIONS=${iterations}`,
    `-DCOMPILER_FLAGS="${config.codeFlags.join(' ')}"`,
    `-I${PORT}`,
    `-I${SRC}`,
    '-T',
    join(PORT, arch, 'link.ld'),
    '-o',
    out,
    join(PORT, arch, 'start.S'),
    join(PORT, arch, 'platform.c'),
    join(PORT, 'core_portme.c'),
    join(PORT, 'ee_printf.c'),
    ...BENCHMARK_FILES.map((f) => join(SRC, f)),
    '-lgcc',
  ];
  const r = spawnSync(cc, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`build-coremark: ${cc} failed for ${out}\n${cc} ${args.join(' ')}\n${r.stderr ?? r.error}`);
  }
  if (r.stderr) process.stderr.write(r.stderr);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { values } = parseArgs({ options: { arch: { type: 'string' }, iterations: { type: 'string', default: '0' }, run: { type: 'string', default: 'performance' } } });
    console.log(buildCoremark({ arch: values.arch ?? 'riscv64', iterations: Number(values.iterations), run: values.run }));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
