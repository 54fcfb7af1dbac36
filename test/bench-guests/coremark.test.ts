// EEMBC CoreMark (bench/guests/coremark) on both architectures: a short run
// of the same ELF in QEMU and in our runner (dist/cli.js; scripts/test.mjs is
// run after `npm run build`). CoreMark checks its own list, matrix and state
// CRCs against the values it knows for the seeds; both runs must report no
// CRC error and print the same seeds and CRCs, line for line. Lines that
// depend on time (ticks, seconds, the score, and CoreMark's verdict that a
// run under 10 s is too short to be a score) are left out of the comparison.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CoremarkArch, CoremarkRun } from '../../scripts/build-coremark.mjs';
import { qemuCommand, qemuGuestOutput, untimedReport } from '../../scripts/coremark.mjs';
import { requireCommands } from '../../scripts/external-tools.mjs';

const CLI = resolve('dist/cli.js');
const BUILD = resolve('scripts/build-coremark.mjs');
const ITERATIONS = 10;
// Limits for a hung process only: each run takes a few seconds.
const TIMEOUT_MS = 120_000;

const REPORTED = ['seedcrc', '[0]crclist', '[0]crcmatrix', '[0]crcstate', '[0]crcfinal', 'CoreMark Size', 'Iterations', 'Compiler flags', 'Counter frequency'];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[]): Run {
  // stdin is /dev/null: QEMU's -nographic would otherwise read the terminal.
  const r = spawnSync(command, args, { encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
  const why = r.error ? `${r.error.message}` : r.signal ? `signal ${r.signal}` : '';
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${why}${r.stderr ?? ''}` };
}

/** Builds (or finds up to date) the ELF; the build script prints its path. */
function buildCoremark(arch: CoremarkArch, runKind: CoremarkRun = 'performance'): string {
  const r = run(process.execPath, [BUILD, '--arch', arch, '--iterations', String(ITERATIONS), '--run', runKind]);
  assert.equal(r.status, 0, `building CoreMark failed:\n${r.stderr}`);
  return r.stdout.trim();
}

function qemu(arch: CoremarkArch, elf: string, el2 = false): string {
  const { command, args } = qemuCommand(arch, elf, { el2 });
  requireCommands(command);
  const r = run(command, args);
  assert.equal(r.status, 0, `${command} ${args.join(' ')} did not power off: exit ${r.status}\n${r.stderr.slice(-800)}`);
  const out = qemuGuestOutput(arch, r.stdout);
  assert.ok(out !== undefined, `cannot find the guest's output in QEMU's:\n${r.stdout.slice(-800)}`);
  return out;
}

function ours(arch: CoremarkArch, elf: string): string {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  const r = run(process.execPath, [CLI, 'run', '--arch', arch, '--image', elf, '--max-instructions', '100000000']);
  assert.equal(r.status, 0, `our runner did not power off: exit ${r.status}\n${r.stderr.slice(-800)}\n${r.stdout.slice(-800)}`);
  return r.stdout;
}

function checkReport(who: string, out: string): void {
  const crcErrors = out.split('\n').filter((line) => /ERROR!.*crc/.test(line));
  assert.deepEqual(crcErrors, [], `${who}: CoreMark found CRC errors`);
  for (const name of REPORTED) assert.ok(out.split('\n').some((line) => line.startsWith(name)), `${who}: no "${name}" line in\n${out}`);
  const errors = out.split('\n').filter((line) => line.startsWith('ERROR!'));
  assert.ok(errors.every((line) => line.startsWith('ERROR! Must execute for at least 10 secs')), `${who}: ${errors.join('; ')}`);
}

for (const arch of ['riscv64', 'aarch64'] as const) {
  describe(`CoreMark on ${arch}: our runner against QEMU`, () => {
    for (const runKind of ['performance', 'validation'] as const satisfies readonly CoremarkRun[]) {
      it(`${runKind} seeds, ${ITERATIONS} iterations: the same seeds and CRCs, and CoreMark validates them`, () => {
        const elf = buildCoremark(arch, runKind);
        const q = qemu(arch, elf);
        const o = ours(arch, elf);
        checkReport('QEMU', q);
        checkReport('ours', o);
        assert.match(q, runKind === 'performance' ? /^2K performance run parameters for coremark\.$/m : /^2K validation run parameters for coremark\.$/m);
        assert.deepEqual(untimedReport(o), untimedReport(q));
      });
    }
    if (arch === 'aarch64') {
      it('entered at EL2 with PSCI by smc (virtualization=on), the ELF drops to EL1 and powers off the same', () => {
        const elf = buildCoremark(arch);
        assert.deepEqual(untimedReport(qemu(arch, elf, true)), untimedReport(qemu(arch, elf)));
      });
    }
  });
}
