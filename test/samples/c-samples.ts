// The C samples' ELF images for the tests: scripts/setup.sh builds them, and
// a test that finds them missing or older than their sources builds them
// with the same script.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export type Opt = 'O0' | 'O2';

export const C_SAMPLES = {
  riscv64: resolve('samples/riscv64-c'),
  aarch64: resolve('samples/aarch64-c'),
} as const;

/** Runs scripts/build-samples.mjs, which leaves up-to-date images alone; throws with the compiler's output when it fails. */
export function ensureCSamples(): void {
  const r = spawnSync(process.execPath, [resolve('scripts/build-samples.mjs')], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`scripts/build-samples.mjs failed:\n${r.stdout}${r.stderr}${r.error ?? ''}`);
}

/** The launch file of a sample at an optimisation level: launch.json at -O0, O2/launch.json at -O2. */
export function launchFile(arch: keyof typeof C_SAMPLES, opt: Opt): string {
  return opt === 'O0' ? `${C_SAMPLES[arch]}/launch.json` : `${C_SAMPLES[arch]}/O2/launch.json`;
}

export function elf(arch: keyof typeof C_SAMPLES, image: 'root' | 'zone1', opt: Opt): string {
  return `${C_SAMPLES[arch]}/build/${image}-${opt}.elf`;
}
