// The differential test both ISAs run: every guest program of test/guests/<arch>
// at every optimisation level runs under QEMU and under our headless runner
// (dist/cli.js; scripts/test.mjs is run after `npm run build`); the runner's
// stdout must equal the guest's bytes in QEMU's output, byte for byte, and the
// runner must exit 0 (the guest's power-off).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { requireCommands } from '../../scripts/external-tools.mjs';

/** One entry of test/guests/<arch>/programs.json. */
export interface GuestProgram {
  name: string;
  sources: string[];
  defines: string[];
  cflags?: string[];
  cpus: number;
  /** QEMU's -cpu for this program, where the manifest's default does not do. */
  qemuCpu?: string;
  /** The optimisation levels of this program, where the manifest's default does not do. */
  opts?: string[];
}
export interface GuestManifest {
  /** QEMU's default -cpu, for boards that take one. */
  qemuCpu?: string;
  programs: GuestProgram[];
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

export interface QemuDiff {
  arch: 'riscv64' | 'aarch64';
  qemu: string;
  qemuArgs: (program: GuestProgram, elf: string, manifest: GuestManifest) => string[];
  /** The guest's bytes in QEMU's stdout; undefined when they cannot be found. */
  guestOutput: (qemuStdout: Buffer) => Buffer | undefined;
  /** How a good QEMU run ends, for the failure message ("to SYSTEM_OFF"). */
  qemuEnd: string;
  /** The cross compiler that builds the guests. */
  compiler: string;
}

// Limits for a hung process only: each guest takes well under a second of QEMU and a few
// seconds of ours on an idle machine, but spinning vCPU threads crawl on an oversubscribed one.
const QEMU_TIMEOUT_MS = 120_000;
const OURS_TIMEOUT_MS = 180_000;
const CONCURRENCY = 2;

function findRoot(arch: string): string {
  let dir = process.cwd();
  for (;;) {
    if (existsSync(join(dir, `test/guests/${arch}/programs.json`))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('qemu-diff: cannot find the repository root from ' + process.cwd());
    dir = up;
  }
}

function run(cwd: string, cmd: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    // stdin is /dev/null: QEMU's -nographic would otherwise read the terminal.
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** Declares the suite: one test per program and opt level, and one per program across opt levels. */
export function describeQemuDiff(diff: QemuDiff): void {
  const root = findRoot(diff.arch);
  const cli = join(root, 'dist/cli.js');
  const manifest = JSON.parse(readFileSync(join(root, `test/guests/${diff.arch}/programs.json`), 'utf8')) as GuestManifest;
  const cases = manifest.programs.flatMap((program) =>
    (program.opts ?? manifest.opts).map((opt) => ({ program, opt, elf: join(root, `out/guests/${diff.arch}`, `${program.name}-${opt}.elf`) })),
  );

  describe(`${diff.arch} guests: our runner against QEMU`, () => {
    const results = new Map<string, Promise<CaseResult>>();
    let buildError = '';

    before(() => {
      requireCommands(diff.qemu, diff.compiler);
      const build = spawnSync(process.execPath, [join(root, 'scripts/build-guests.mjs'), '--arch', diff.arch], {
        cwd: root,
        encoding: 'utf8',
      });
      if (build.status !== 0) {
        buildError = `build-guests failed (exit ${build.status}):\n${build.stderr}${build.error ? build.error.message : ''}`;
        return;
      }
      const haveCli = existsSync(cli);
      const jobs = cases.map((c) => async (): Promise<CaseResult> => {
        const smp = String(c.program.cpus);
        const qemu = await run(root, diff.qemu, diff.qemuArgs(c.program, c.elf, manifest), QEMU_TIMEOUT_MS);
        const ours = haveCli
          ? await run(
              root,
              process.execPath,
              [cli, 'run', '--arch', diff.arch, '--image', c.elf, '--cpus', smp, '--max-instructions', '500000000'],
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
        const guest = diff.guestOutput(r.qemu.stdout);
        assert.ok(
          r.qemu.code === 0 && !r.qemu.timedOut && guest !== undefined,
          `QEMU did not run ${key} ${diff.qemuEnd}: ${describeRun(r.qemu)}`,
        );
        assert.ok(guest.length > 0, `${key} printed nothing under QEMU`);
        assert.ok(r.ours, `${cli} is missing: run npm run build first`);
        const expected = guest.toString('latin1');
        const actual = r.ours.stdout.toString('latin1');
        if (expected !== actual || r.ours.code !== 0) {
          assert.fail(
            `${key}: runner ${describeRun(r.ours)}; stdout ${actual === expected ? 'matches' : 'differs from'} QEMU ` +
              `(${r.ours.stdout.length} vs ${guest.length} bytes)` +
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
        const opts = program.opts ?? manifest.opts;
        const outs = await Promise.all(opts.map((opt) => results.get(`${program.name}-${opt}`)));
        const texts = outs.map((r) => (r && r.qemu.code === 0 ? diff.guestOutput(r.qemu.stdout)?.toString('latin1') : undefined));
        for (let i = 1; i < texts.length; i++) {
          assert.ok(texts[0] !== undefined && texts[i] !== undefined, `${program.name}: missing QEMU output`);
          assert.equal(texts[i], texts[0], `${program.name}-${opts[i]} differs from -${opts[0]} under QEMU`);
        }
      });
    }
  });
}
