// Running the programs a benchmark compares: a command timed by the wall
// clock, and the best of several runs of our runner with its --stats-json.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../scripts/build-guests.mjs';

export const CLI = join(ROOT, 'dist/cli.js');

/**
 * Runs a command in the repository with stdin from /dev/null; resolves with
 * its output and wall seconds (killed after `timeoutMs` when that is not 0).
 */
export function timedRun(cmd, argv, timeoutMs = 0) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), timeoutMs) : undefined;
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', (e) => resolve({ code: null, stdout: '', stderr: e.message, seconds: NaN, timedOut }));
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      resolve({ code, stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('utf8'), seconds, timedOut });
    });
  });
}

/**
 * The fastest of `repeat` runs of `node dist/cli.js run ARGS --stats-json F`:
 * its seconds, guest output and stats (instructions, per-CPU figures).
 * `fail` is called with a message when a run does not exit 0.
 */
export async function bestOfOurs(args, repeat, fail) {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-ours-'));
  const stats = join(dir, 'stats.json');
  let best;
  try {
    for (let i = 0; i < repeat; i++) {
      const r = await timedRun(process.execPath, [CLI, 'run', ...args, '--stats-json', stats]);
      if (r.code !== 0) fail(`our runner (${args.join(' ')}) exited ${r.code}: ${r.stderr.slice(-800)}`);
      if (!best || r.seconds < best.seconds) best = { seconds: r.seconds, output: r.stdout, stats: JSON.parse(readFileSync(stats, 'utf8')) };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return best;
}
