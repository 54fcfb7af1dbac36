// Differential test: every aarch64 guest program (test/guests/aarch64) at
// -O0/-O2/-Os runs under QEMU (virt with EL2 and a GICv3, no firmware: the
// guest drops from EL2 to EL1 itself) and under our headless runner (EL1
// under the hvisor model); the runner's stdout must equal QEMU's serial
// output byte for byte, and the runner must exit 0 (PSCI SYSTEM_OFF).
// Needs aarch64-linux-gnu-gcc and qemu-system-aarch64 (skipped without
// them), and dist/cli.js (scripts/test.mjs is run after `npm run build`).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface Program {
  name: string;
  sources: string[];
  defines: string[];
  cflags: string[];
  cpus: number;
  qemuCpu?: string;
}
interface Manifest {
  qemuCpu: string;
  programs: Program[];
  opts: string[];
}
interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
  error?: string;
}
interface CaseResult {
  qemu: RunResult;
  ours: RunResult | undefined;
}
interface Case {
  program: Program;
  opt: string;
  elf: string;
}

const QEMU = 'qemu-system-aarch64';
const CC = 'aarch64-linux-gnu-gcc';
const QEMU_TIMEOUT_MS = 30_000;
const OURS_TIMEOUT_MS = 60_000;
const CONCURRENCY = 2;

function findRoot(): string {
  let dir = process.cwd();
  for (;;) {
    if (existsSync(join(dir, 'test/guests/aarch64/programs.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('qemu-diff: cannot find the repository root from ' + process.cwd());
    dir = up;
  }
}

const ROOT = findRoot();
const CLI = join(ROOT, 'dist/cli.js');
const manifest = JSON.parse(readFileSync(join(ROOT, 'test/guests/aarch64/programs.json'), 'utf8')) as Manifest;
const cases: Case[] = manifest.programs.flatMap((program) =>
  manifest.opts.map((opt) => ({ program, opt, elf: join(ROOT, 'out/guests/aarch64', `${program.name}-${opt}.elf`) })),
);
const missingTools = [CC, QEMU].filter((cmd) => spawnSync(cmd, ['--version']).status !== 0);
const skip = missingTools.length > 0 ? `missing ${missingTools.join(' and ')}` : false;

/**
 * QEMU's command line for one guest. virtualization=on enters the ELF at
 * EL2 and makes PSCI use the SMC conduit, as under hvisor; gic-version=3
 * matches the qemu-gicv3 board. Single-threaded TCG: QEMU 7.2's MTTCG
 * sometimes hangs at SYSTEM_OFF while other vCPUs sit in WFI, and the
 * output does not depend on it.
 */
function qemuArgs(program: Program, elf: string): string[] {
  return [
    '-M', 'virt,virtualization=on,gic-version=3',
    '-cpu', program.qemuCpu ?? manifest.qemuCpu,
    '-smp', String(program.cpus),
    '-m', '256M',
    '-accel', 'tcg,thread=single',
    '-nographic', '-monitor', 'none', '-serial', 'stdio',
    '-kernel', elf,
  ];
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    // stdin is /dev/null: QEMU's -nographic would otherwise read the terminal.
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout: Buffer.alloc(0), stderr: '', timedOut, error: e.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
  });
}

/** Runs the jobs with at most `limit` at a time; results keep the job order. */
function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T>[] {
  const results: Promise<T>[] = [];
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> =>
    active < limit ? (active++, Promise.resolve()) : new Promise<void>((r) => waiting.push(r));
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  for (const job of jobs) {
    results.push(
      acquire().then(async () => {
        try {
          return await job();
        } finally {
          release();
        }
      }),
    );
  }
  return results;
}

function describeRun(r: RunResult): string {
  if (r.error) return `spawn error: ${r.error}`;
  const how = r.timedOut ? 'timed out' : r.signal ? `signal ${r.signal}` : `exit ${r.code}`;
  const tail = r.stderr.trim().split('\n').slice(-5).join('\n    ');
  return tail ? `${how}; stderr:\n    ${tail}` : how;
}

/** Where two outputs part: 1-based line number and both lines, escaped. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return (
        `first difference at line ${i + 1}:\n  qemu: ${a[i] === undefined ? '<end of output>' : JSON.stringify(a[i])}\n` +
        `  ours: ${b[i] === undefined ? '<end of output>' : JSON.stringify(b[i])}`
      );
    }
  }
  return 'the outputs differ only in line endings';
}

describe('aarch64 guests: our runner against QEMU', { skip }, () => {
  const results = new Map<string, Promise<CaseResult>>();
  let buildError = '';

  before(() => {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-guests.mjs'), '--arch', 'aarch64'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (build.status !== 0) {
      buildError = `build-guests failed (exit ${build.status}):\n${build.stderr}${build.error ? build.error.message : ''}`;
      return;
    }
    const haveCli = existsSync(CLI);
    const jobs = cases.map((c) => async (): Promise<CaseResult> => {
      const qemu = await run(QEMU, qemuArgs(c.program, c.elf), QEMU_TIMEOUT_MS);
      const ours = haveCli
        ? await run(
            process.execPath,
            [CLI, 'run', '--arch', 'aarch64', '--image', c.elf, '--cpus', String(c.program.cpus), '--max-instructions', '500000000'],
            OURS_TIMEOUT_MS,
          )
        : undefined;
      return { qemu, ours };
    });
    const done = pool(jobs, CONCURRENCY);
    cases.forEach((c, i) => results.set(`${c.program.name}-${c.opt}`, done[i]!));
  });

  for (const c of cases) {
    const key = `${c.program.name}-${c.opt}`;
    it(`${key} (-smp ${c.program.cpus})`, async () => {
      assert.equal(buildError, '', buildError);
      const r = await results.get(key);
      assert.ok(r, `no result for ${key}`);
      assert.ok(r.qemu.code === 0 && !r.qemu.timedOut, `QEMU did not run ${key} to SYSTEM_OFF: ${describeRun(r.qemu)}`);
      assert.ok(r.qemu.stdout.length > 0, `${key} printed nothing under QEMU`);
      assert.ok(r.ours, `${CLI} is missing: run npm run build first`);
      const expected = r.qemu.stdout.toString('latin1');
      const actual = r.ours.stdout.toString('latin1');
      if (expected !== actual || r.ours.code !== 0) {
        assert.fail(
          `${key}: runner ${describeRun(r.ours)}; stdout ${actual === expected ? 'matches' : 'differs from'} QEMU ` +
            `(${r.ours.stdout.length} vs ${r.qemu.stdout.length} bytes)` +
            (actual === expected ? '' : `\n${firstDifference(expected, actual)}`),
        );
      }
    });
  }

  // The programs must not depend on the optimisation level: a sanity check
  // on the guests themselves, with QEMU as the only oracle.
  for (const program of manifest.programs) {
    it(`${program.name}: same QEMU output at every optimisation level`, async () => {
      assert.equal(buildError, '', buildError);
      const outs = await Promise.all(manifest.opts.map((opt) => results.get(`${program.name}-${opt}`)));
      const texts = outs.map((r) => (r && r.qemu.code === 0 ? r.qemu.stdout.toString('latin1') : undefined));
      for (let i = 1; i < texts.length; i++) {
        assert.ok(texts[0] !== undefined && texts[i] !== undefined, `${program.name}: missing QEMU output`);
        assert.equal(texts[i], texts[0], `${program.name}-${manifest.opts[i]} differs from -${manifest.opts[0]} under QEMU`);
      }
    });
  }
});
