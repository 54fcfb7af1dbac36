// The guest-MIPS benchmark that bench/riscv64-mips.mjs and bench/aarch64-mips.mjs
// run with their own guests and QEMU command line: our headless runner against
// QEMU TCG on the same bare-metal guest (bench/guests/mips-work.h), on 1 CPU and
// on 4 CPUs.
//
// QEMU's instruction count comes from the TCG plugin /work/shared/tools/qemu-icount.c
// (built into out/bench/libicount.so), run single-threaded so the plugin's shared
// counter is exact; its time comes from separate runs without the plugin (MTTCG on
// 4 CPUs). Ours: `node dist/cli.js run ... --stats-json`. For both, the count and the
// time of an empty guest (start-up, process start) are subtracted. Prints a table
// and appends it to BENCHMARKS.md under the architecture's heading.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../scripts/build-guests.mjs';
import { requireCommands } from '../scripts/external-tools.mjs';
import { appendToBenchmarks } from './benchmarks-file.mjs';
import { bestOfOurs, CLI, timedRun } from './timed-run.mjs';

export const BENCH_OUT = join(ROOT, 'out/bench');
const PLUGIN_SRC = join(ROOT, '..', 'shared', 'tools', 'qemu-icount.c');
const PLUGIN = join(BENCH_OUT, 'libicount.so');
const MAX_INSTRUCTIONS = 20_000_000_000;

/**
 * @typedef {object} MipsBenchmark
 * @property {string} arch our runner's --arch; the script is bench/<arch>-mips.mjs
 * @property {number} defaultRounds rounds of about 1.0e9 guest instructions at -O2
 * @property {(rounds: number) => { one: string, four: string, empty: string }} build
 *   builds the 1-CPU, 4-CPU and empty guests; returns their ELF paths
 * @property {(rounds: number) => string} runnerImages the --image of the report's runner line
 * @property {string} qemu
 * @property {(elf: string, smp: number) => string[]} qemuArgs
 * @property {(stdout: string) => string | undefined} guestOutput the guest's bytes in QEMU's stdout
 * @property {{ timeoutMs: number, attempts: number } | undefined} qemuHangs
 *   when QEMU may hang: kill a run after timeoutMs and try again, up to attempts runs
 * @property {string} intro BENCHMARKS.md's paragraph under the heading
 */

/** Runs the benchmark described by `bench` with this process's command line. */
export async function runMipsBenchmark(bench) {
  const name = `${bench.arch}-mips`;
  const usage = `usage: node bench/${name}.mjs [--rounds N] [--repeat N] [--qemu-only] [--no-append]`;
  let values;
  try {
    ({ values } = parseArgs({
      options: { rounds: { type: 'string' }, repeat: { type: 'string' }, 'qemu-only': { type: 'boolean' }, 'no-append': { type: 'boolean' }, help: { type: 'boolean' } },
    }));
  } catch (e) {
    console.error(`${name}: ${e.message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const count = (flag, fallback) => {
    const text = values[flag];
    if (text === undefined) return fallback;
    if (!/^[1-9][0-9]*$/.test(text)) {
      console.error(`${name}: --${flag} takes a positive whole number, not '${text}'\n${usage}`);
      process.exit(2);
    }
    return Number(text);
  };
  const ROUNDS = count('rounds', bench.defaultRounds);
  const REPEAT = count('repeat', 1);
  const QEMU_REPEAT = Math.max(3, REPEAT);
  const QEMU_ONLY = values['qemu-only'] === true;
  const APPEND = values['no-append'] !== true;

  function fail(msg) {
    console.error(`${name}: ${msg}`);
    process.exit(1);
  }

  function buildAll() {
    requireCommands(bench.qemu, 'gcc');
    const elves = bench.build(ROUNDS);
    if (!existsSync(PLUGIN) || statSync(PLUGIN).mtimeMs < statSync(PLUGIN_SRC).mtimeMs) {
      const r = spawnSync('gcc', ['-O2', '-shared', '-fPIC', '-o', PLUGIN, PLUGIN_SRC], { encoding: 'utf8' });
      if (r.error || r.status !== 0) fail(`building the QEMU plugin failed: ${r.stderr ?? r.error}`);
    }
    return elves;
  }

  /** One QEMU run, tried again if it hangs. */
  async function runQemu(argv) {
    const { timeoutMs = 0, attempts = 1 } = bench.qemuHangs ?? {};
    for (let attempt = 1; ; attempt++) {
      const r = await timedRun(bench.qemu, argv, timeoutMs);
      if (!r.timedOut || attempt === attempts) return r;
      console.error(`${name}: QEMU hung (attempt ${attempt} of ${attempts}), running it again`);
    }
  }

  async function qemuCount(elf, smp) {
    const r = await runQemu([...bench.qemuArgs(elf, smp), '-accel', 'tcg,thread=single', '-plugin', PLUGIN, '-d', 'plugin']);
    const m = /insns: (\d+)/.exec(r.stderr + r.stdout);
    if (r.code !== 0 || !m) fail(`QEMU count run of ${elf} failed (exit ${r.code}): ${r.stderr.slice(-500)}`);
    return { instructions: Number(m[1]), output: bench.guestOutput(r.stdout) };
  }

  async function qemuTime(elf, smp) {
    let best = Infinity;
    let output;
    for (let i = 0; i < QEMU_REPEAT; i++) {
      const r = await runQemu(bench.qemuArgs(elf, smp));
      if (r.code !== 0) fail(`QEMU run of ${elf} failed (exit ${r.code}${r.timedOut ? ', timed out' : ''}): ${r.stderr.slice(-500)}`);
      best = Math.min(best, r.seconds);
      output = bench.guestOutput(r.stdout);
    }
    return { seconds: best, output };
  }

  async function ours(elf, cpus) {
    const args = ['--arch', bench.arch, '--image', elf, '--cpus', String(cpus), '--max-instructions', String(MAX_INSTRUCTIONS)];
    const best = await bestOfOurs(args, REPEAT, fail);
    return { seconds: best.seconds, instructions: best.stats.instructions, cpus: best.stats.cpus, output: best.output };
  }

  async function measure(label, elf, empty, cpus) {
    const qc = await qemuCount(elf, cpus);
    const qe = await qemuCount(empty, cpus);
    const qt = await qemuTime(elf, cpus);
    const qte = await qemuTime(empty, cpus);
    const q = { instructions: qc.instructions - qe.instructions, seconds: qt.seconds - qte.seconds };
    q.mips = q.instructions / q.seconds / 1e6;
    const row = { label, cpus, qemu: q, qemuOutput: qc.output };
    if (!QEMU_ONLY) {
      const o = await ours(elf, cpus);
      const oe = await ours(empty, cpus);
      row.ours = { instructions: o.instructions - oe.instructions, seconds: o.seconds - oe.seconds, perCpu: o.cpus };
      row.ours.mips = row.ours.instructions / row.ours.seconds / 1e6;
      row.outputMatches = o.output === qc.output;
      row.oursOutput = o.output;
    }
    return row;
  }

  const elves = buildAll();
  if (!QEMU_ONLY && !existsSync(CLI)) fail(`${CLI} is missing: run npm run build (or pass --qemu-only)`);
  const rows = [];
  rows.push(await measure('1 CPU', elves.one, elves.empty, 1));
  rows.push(await measure('4 CPUs (aggregate)', elves.four, elves.empty, 4));
  const date = spawnSync('date', ['-u', '+%F'], { encoding: 'utf8' }).stdout.trim();
  const command = `node bench/${name}.mjs ${process.argv.slice(2).join(' ')}`.trim();
  const runner = `node dist/cli.js run --arch ${bench.arch} --image ${bench.runnerImages(ROUNDS)} --cpus {1,4}`;
  const notes = [];
  for (const r of rows) {
    if (r.ours && !r.outputMatches) notes.push(`${r.label}: our output ${JSON.stringify(r.oursOutput)} differs from QEMU's ${JSON.stringify(r.qemuOutput)}`);
    if (r.ours?.perCpu) notes.push(`${r.label}: per-CPU instructions (gross) ${r.ours.perCpu.map((c) => `${c.id}:${fmtInt(c.instructions)}`).join(' ')}`);
  }
  const entry =
    `### ${date}: \`${command}\`\n\n` +
    `Host: ${hostLine(bench.qemu)}. Ours: \`${runner}\` (best of ${REPEAT}); QEMU: best of ${QEMU_REPEAT}.\n\n` +
    `${table(rows)}\n` +
    (notes.length ? `\n${notes.map((n) => `- ${n}`).join('\n')}\n` : '');
  console.log(entry);
  if (APPEND && !QEMU_ONLY) appendToBenchmarks(`## ${bench.arch} guest MIPS`, bench.intro, entry);
}

const fmtInt = (n) => n.toLocaleString('en-US');
const fmtSec = (s) => s.toFixed(3);
const fmtMips = (m) => (m >= 100 ? m.toFixed(0) : m.toFixed(1));

function qemuVersion(qemu) {
  const r = spawnSync(qemu, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].replace(/^QEMU emulator version /, 'QEMU ') : 'QEMU ?';
}

function hostLine(qemu) {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
    `${os.type()} ${os.release()}, Node ${process.version}, ${qemuVersion(qemu)}`;
}

function table(rows) {
  const lines = [
    '| run | ours: instructions | ours: s | ours: MIPS | QEMU: instructions | QEMU: s | QEMU: MIPS | QEMU/ours | output |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const o = r.ours;
    lines.push(
      `| ${r.label} | ${o ? fmtInt(o.instructions) : 'n/a'} | ${o ? fmtSec(o.seconds) : 'n/a'} | ${o ? fmtMips(o.mips) : 'n/a'} | ` +
        `${fmtInt(r.qemu.instructions)} | ${fmtSec(r.qemu.seconds)} | ${fmtMips(r.qemu.mips)} | ` +
        `${o ? `${(r.qemu.mips / o.mips).toFixed(1)}×` : 'n/a'} | ${o ? (r.outputMatches ? 'same as QEMU' : '**differs**') : 'n/a'} |`,
    );
  }
  return lines.join('\n');
}

