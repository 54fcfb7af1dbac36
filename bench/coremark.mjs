// EEMBC CoreMark, side by side: the same ELF (scripts/build-coremark.mjs) in
// QEMU and in our headless runner, on riscv64 and aarch64.
//
//   node bench/coremark.mjs [--arch riscv64|aarch64] [--iterations N] [--repeat N] [--profile] [--no-append]
//
// The iterations, unless given, are what QEMU runs in about 11 s (measured
// first on a 2,000-iteration build), so that both runs pass CoreMark's 10 s
// rule for a valid score. Every figure is net of a 10-iteration run of the same
// build (process and firmware start-up, CoreMark's set-up, the report):
// iterations/s = (N - 10) / (t(N) - t(10)), MIPS likewise from the instruction
// counts. Instructions: QEMU's from the TCG plugin /work/shared/tools/qemu-icount.c
// (single-threaded TCG, a separate run), ours from --stats-json. Wall times are
// the best of --repeat runs (QEMU: at least 3). CoreMark's own score is shown
// for QEMU, whose guest clock is the host's; ours counts time in instructions,
// so only the wall clock measures its speed. Both reports must agree on every
// line that does not depend on time (the seeds and CRCs). --profile adds one
// more run of ours under `node --cpu-prof` and lists the functions with the
// most self time. Appends the table to BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCoremark } from '../scripts/build-coremark.mjs';
import { ROOT } from '../scripts/build-guests.mjs';
import { qemuCommand, qemuGuestOutput, untimedReport } from '../scripts/coremark.mjs';
import { requireCommands } from '../scripts/external-tools.mjs';
import { appendToBenchmarks, hostLine, today } from './benchmarks-file.mjs';
import { topSelfTime } from './cpu-profile.mjs';
import { bestOfOurs, CLI, timedRun } from './timed-run.mjs';

const OUT = join(ROOT, 'out/bench');
const PLUGIN_SRC = join(ROOT, '..', 'shared', 'tools', 'qemu-icount.c');
const PLUGIN = join(OUT, 'libicount.so');
const BASELINE_ITERATIONS = 10;
const CALIBRATION_ITERATIONS = 2000;
const TARGET_QEMU_SECONDS = 11;
const ARCHES = ['riscv64', 'aarch64'];
const PROFILE_TOP = 12;

const usage = 'usage: node bench/coremark.mjs [--arch riscv64|aarch64] [--iterations N] [--repeat N] [--profile] [--no-append]';
let values;
try {
  ({ values } = parseArgs({
    options: {
      arch: { type: 'string' },
      iterations: { type: 'string' },
      repeat: { type: 'string' },
      profile: { type: 'boolean' },
      'no-append': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  }));
} catch (e) {
  fail(`${e.message}\n${usage}`, 2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (values.arch !== undefined && !ARCHES.includes(values.arch)) fail(`--arch takes ${ARCHES.join(' or ')}, not '${values.arch}'\n${usage}`, 2);
const arches = values.arch ? [values.arch] : ARCHES;
const ITERATIONS = count('iterations', undefined);
const REPEAT = count('repeat', 1);
const QEMU_REPEAT = Math.max(3, REPEAT);

function fail(msg, status = 1) {
  console.error(`coremark: ${msg}`);
  process.exit(status);
}

function count(flag, fallback) {
  const text = values[flag];
  if (text === undefined) return fallback;
  if (!/^[1-9][0-9]*$/.test(text)) fail(`--${flag} takes a positive whole number, not '${text}'\n${usage}`, 2);
  return Number(text);
}

/** CoreMark's own "Iterations/Sec" line, or undefined. */
function reportedScore(report) {
  const m = /^Iterations\/Sec *: *([0-9.]+)/m.exec(report ?? '');
  return m ? Number(m[1]) : undefined;
}

async function qemuTime(arch, elf) {
  const { command, args } = qemuCommand(arch, elf);
  let best;
  for (let i = 0; i < QEMU_REPEAT; i++) {
    const r = await timedRun(command, args);
    if (r.code !== 0) fail(`${command} on ${elf} exited ${r.code}: ${r.stderr.slice(-500)}`);
    if (!best || r.seconds < best.seconds) best = { seconds: r.seconds, report: qemuGuestOutput(arch, r.stdout) };
  }
  return best;
}

async function qemuCount(arch, elf) {
  const { command, args } = qemuCommand(arch, elf);
  const r = await timedRun(command, [...args, '-accel', 'tcg,thread=single', '-plugin', PLUGIN, '-d', 'plugin']);
  const m = /insns: (\d+)/.exec(r.stderr + r.stdout);
  if (r.code !== 0 || !m) fail(`${command} (counting) on ${elf} exited ${r.code}: ${r.stderr.slice(-500)}`);
  return Number(m[1]);
}

async function ours(arch, elf) {
  const best = await bestOfOurs(['--arch', arch, '--image', elf, '--max-instructions', '200000000000'], REPEAT, fail);
  return { seconds: best.seconds, instructions: best.stats.instructions, report: best.output };
}

/** One run of ours under the V8 profiler; its functions with the most self time. */
async function profileOurs(arch, elf) {
  const dir = mkdtempSync(join(os.tmpdir(), 'coremark-prof-'));
  try {
    const r = await timedRun(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, CLI, 'run', '--arch', arch, '--image', elf, '--max-instructions', '200000000000']);
    if (r.code !== 0) fail(`our runner (profiled) on ${elf} exited ${r.code}: ${r.stderr.slice(-800)}`);
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    if (!file) fail(`node --cpu-prof wrote no profile into ${dir}`);
    return topSelfTime(join(dir, file), PROFILE_TOP);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The iterations QEMU runs in about TARGET_QEMU_SECONDS, in thousands. */
async function calibrate(arch) {
  const elf = buildCoremark({ arch, iterations: CALIBRATION_ITERATIONS });
  const base = buildCoremark({ arch, iterations: BASELINE_ITERATIONS });
  const t = await qemuTime(arch, elf);
  const t0 = await qemuTime(arch, base);
  const rate = (CALIBRATION_ITERATIONS - BASELINE_ITERATIONS) / (t.seconds - t0.seconds);
  return Math.ceil((rate * TARGET_QEMU_SECONDS) / 1000) * 1000;
}

async function measure(arch) {
  const iterations = ITERATIONS ?? (await calibrate(arch));
  console.log(`${arch}: ${iterations} iterations`);
  const elf = buildCoremark({ arch, iterations });
  const base = buildCoremark({ arch, iterations: BASELINE_ITERATIONS });
  const net = iterations - BASELINE_ITERATIONS;
  const qt = await qemuTime(arch, elf);
  const qt0 = await qemuTime(arch, base);
  const qi = (await qemuCount(arch, elf)) - (await qemuCount(arch, base));
  const qs = qt.seconds - qt0.seconds;
  const o = await ours(arch, elf);
  const o0 = await ours(arch, base);
  const os_ = o.seconds - o0.seconds;
  const oi = o.instructions - o0.instructions;
  const row = {
    arch,
    iterations,
    qemu: { seconds: qs, instructions: qi, rate: net / qs, mips: qi / qs / 1e6, score: reportedScore(qt.report), valid: /^Correct operation validated/m.test(qt.report ?? '') },
    ours: { seconds: os_, instructions: oi, rate: net / os_, mips: oi / os_ / 1e6, valid: /^Correct operation validated/m.test(o.report) },
    same: qt.report !== undefined && JSON.stringify(untimedReport(o.report)) === JSON.stringify(untimedReport(qt.report)),
    crcfinal: /^\[0\]crcfinal *: *(0x[0-9a-f]+)/m.exec(o.report)?.[1] ?? '?',
    profile: values.profile ? await profileOurs(arch, elf) : undefined,
  };
  console.log(JSON.stringify(row));
  if (!row.same) console.log(`QEMU's report:\n${qt.report}\nours:\n${o.report}`);
  return row;
}

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtMips = (m) => (m >= 100 ? m.toFixed(0) : m.toFixed(1));

function table(rows) {
  const lines = [
    '| arch | iterations | ours: instructions | ours: s | ours: iterations/s | ours: MIPS | QEMU: instructions | QEMU: s | QEMU: iterations/s | QEMU: MIPS | QEMU/ours | CoreMark\'s score in QEMU | report |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const verdict = `${r.same ? `same seeds and CRCs (crcfinal ${r.crcfinal})` : '**differs**'}; validated: ours ${r.ours.valid ? 'yes' : 'no'}, QEMU ${r.qemu.valid ? 'yes' : 'no'}`;
    lines.push(
      `| ${r.arch} | ${fmtInt(r.iterations)} | ${fmtInt(r.ours.instructions)} | ${r.ours.seconds.toFixed(2)} | ${r.ours.rate.toFixed(0)} | ${fmtMips(r.ours.mips)} | ` +
        `${fmtInt(r.qemu.instructions)} | ${r.qemu.seconds.toFixed(2)} | ${r.qemu.rate.toFixed(0)} | ${fmtMips(r.qemu.mips)} | ` +
        `${(r.qemu.mips / r.ours.mips).toFixed(1)}× | ${r.qemu.score === undefined ? 'n/a' : r.qemu.score.toFixed(0)} | ${verdict} |`,
    );
  }
  return lines.join('\n');
}

function profileTable(rows) {
  return rows
    .filter((r) => r.profile)
    .map((r) =>
      `Self time in ours on ${r.arch} (\`node --cpu-prof\`, one run of the same ELF):\n\n| function | where | self |\n|---|---|---:|\n` +
      r.profile.map((p) => `| \`${p.name}\` | ${p.where} | ${(p.share * 100).toFixed(1)}% |`).join('\n') + '\n',
    )
    .join('\n');
}

function qemuVersion() {
  const r = spawnSync('qemu-system-riscv64', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].replace(/^QEMU emulator version /, 'QEMU ') : 'QEMU ?';
}

requireCommands(...arches.map((a) => qemuCommand(a, '').command), 'gcc');
if (!existsSync(CLI)) fail(`${CLI} is missing: run npm run build`);
if (!existsSync(PLUGIN) || statSync(PLUGIN).mtimeMs < statSync(PLUGIN_SRC).mtimeMs) {
  const r = spawnSync('gcc', ['-O2', '-shared', '-fPIC', '-o', PLUGIN, PLUGIN_SRC], { encoding: 'utf8' });
  if (r.error || r.status !== 0) fail(`building the QEMU plugin failed: ${r.stderr ?? r.error}`);
}
const host = hostLine();
const rows = [];
for (const arch of arches) rows.push(await measure(arch));
const command = `node bench/coremark.mjs ${process.argv.slice(2).join(' ')}`.trim();
const entry =
  `### ${today()}: \`${command}\`\n\n` +
  `${host} ${qemuVersion()}. Ours: \`node dist/cli.js run --arch ARCH --image out/bench/coremark/ARCH/coremark-performance-iN.elf\` ` +
  `(best of ${REPEAT}); QEMU: best of ${QEMU_REPEAT}.\n\n${table(rows)}\n` +
  (values.profile ? `\n${profileTable(rows)}` : '');
console.log(entry);
if (values['no-append'] !== true) {
  appendToBenchmarks(
    '## EEMBC CoreMark',
    'EEMBC CoreMark (`bench/guests/coremark`, unmodified, with this project\'s bare-metal port), built with `-O2` and the\n' +
      'distribution\'s default target flags, performance seeds, one context. The same ELF runs in QEMU (riscv64: OpenSBI,\n' +
      'S-mode; aarch64: virt at EL1, cortex-a57) and in our runner (the root zone under the hvisor model). Iterations are\n' +
      'what QEMU runs in about 11 s, so both runs pass CoreMark\'s 10 s rule; every figure is net of a 10-iteration run of\n' +
      'the same build. QEMU\'s instructions come from the icount TCG plugin (single-threaded TCG), ours from `--stats-json`.\n' +
      '"Report" compares every line of the two reports that does not depend on time. Run with `node bench/coremark.mjs`.\n',
    entry,
  );
}
if (rows.some((r) => !r.same)) fail('the reports differ (above)');
