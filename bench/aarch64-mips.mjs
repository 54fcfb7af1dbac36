// aarch64 guest MIPS: our headless runner against QEMU TCG on the same
// bare-metal guest (bench/guests/aarch64/mips.c, the twin of the riscv64 one),
// on 1 CPU and on 4 CPUs.
//
//   node bench/aarch64-mips.mjs [--rounds N] [--repeat N] [--qemu-only] [--no-append]
//
// QEMU (virt with EL2 and a GICv3, Cortex-A57) counts instructions with the TCG
// plugin /work/shared/tools/qemu-icount.c (built into out/bench/libicount.so), run
// single-threaded so the plugin's shared counter is exact; its time comes from
// separate runs without the plugin (MTTCG for 4 CPUs). Ours: `node dist/cli.js run
// ... --stats-json`. For both, the count and the time of an empty guest (start-up,
// process start) are subtracted.
// Prints a table and appends it to BENCHMARKS.md under "## aarch64 guest MIPS".
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { buildGuest, ROOT } from '../scripts/build-guests.mjs';

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : fallback;
}
// ROUNDS_DEFAULT rounds are about 1.0e9 guest instructions at -O2.
const ROUNDS_DEFAULT = 718;
const ROUNDS = option('--rounds', ROUNDS_DEFAULT);
const REPEAT = option('--repeat', 1);
const QEMU_REPEAT = Math.max(3, REPEAT);
const QEMU_ONLY = args.includes('--qemu-only');
const APPEND = !args.includes('--no-append');
const QEMU = 'qemu-system-aarch64';
// QEMU 7.2's MTTCG now and then hangs at SYSTEM_OFF while other vCPUs wait in
// WFI: such a run is killed and tried again.
const QEMU_TIMEOUT_MS = 120_000;
const QEMU_ATTEMPTS = 3;
const CLI = join(ROOT, 'dist/cli.js');
const BENCH_OUT = join(ROOT, 'out/bench');
const GUEST_OUT = join(BENCH_OUT, 'aarch64');
const PLUGIN_SRC = join(ROOT, '..', 'shared', 'tools', 'qemu-icount.c');
const PLUGIN = join(BENCH_OUT, 'libicount.so');
const MAX_INSTRUCTIONS = 20_000_000_000;

function fail(msg) {
  console.error(`aarch64-mips: ${msg}`);
  process.exit(1);
}

function buildAll() {
  const src = (f) => join(ROOT, 'bench/guests/aarch64', f);
  const elves = {
    one: join(GUEST_OUT, `mips-1cpu-r${ROUNDS}.elf`),
    four: join(GUEST_OUT, `mips-4cpu-r${ROUNDS}.elf`),
    empty: join(GUEST_OUT, 'empty.elf'),
  };
  // ARMv8.0 atomics (ldxr/stxr): QEMU's Cortex-A57 has no LSE.
  const cflags = ['-mgeneral-regs-only', '-march=armv8-a'];
  const arch = 'aarch64';
  buildGuest({ arch, sources: [src('mips.c')], opt: 'O2', defines: ['NCPUS=1', `ROUNDS=${ROUNDS}`], cflags, out: elves.one });
  buildGuest({ arch, sources: [src('mips.c')], opt: 'O2', defines: ['NCPUS=4', `ROUNDS=${ROUNDS}`], cflags, out: elves.four });
  buildGuest({ arch, sources: [src('empty.c')], opt: 'O2', cflags, out: elves.empty });
  if (!existsSync(PLUGIN) || statSync(PLUGIN).mtimeMs < statSync(PLUGIN_SRC).mtimeMs) {
    const r = spawnSync('gcc', ['-O2', '-shared', '-fPIC', '-o', PLUGIN, PLUGIN_SRC], { encoding: 'utf8' });
    if (r.error || r.status !== 0) fail(`building the QEMU plugin failed: ${r.stderr ?? r.error}`);
  }
  return elves;
}

/** Runs a command with stdin from /dev/null; resolves with output and wall seconds. */
function run(cmd, argv, timeoutMs = 0) {
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

function qemuArgs(elf, smp) {
  return [
    '-M', 'virt,virtualization=on,gic-version=3', '-cpu', 'cortex-a57', '-smp', String(smp), '-m', '256M',
    '-nographic', '-monitor', 'none', '-serial', 'stdio', '-kernel', elf,
  ];
}

/** One QEMU run, tried again if it hangs. */
async function runQemu(argv) {
  for (let attempt = 1; ; attempt++) {
    const r = await run(QEMU, argv, QEMU_TIMEOUT_MS);
    if (!r.timedOut || attempt === QEMU_ATTEMPTS) return r;
    console.error(`aarch64-mips: QEMU hung (attempt ${attempt} of ${QEMU_ATTEMPTS}), running it again`);
  }
}

async function qemuCount(elf, smp) {
  const r = await runQemu([...qemuArgs(elf, smp), '-accel', 'tcg,thread=single', '-plugin', PLUGIN, '-d', 'plugin']);
  const m = /insns: (\d+)/.exec(r.stderr + r.stdout);
  if (r.code !== 0 || !m) fail(`QEMU count run of ${elf} failed (exit ${r.code}): ${r.stderr.slice(-500)}`);
  return { instructions: Number(m[1]), output: r.stdout.replace(/insns: \d+\n/, '') };
}

async function qemuTime(elf, smp) {
  let best = Infinity;
  let output;
  for (let i = 0; i < QEMU_REPEAT; i++) {
    const r = await runQemu(qemuArgs(elf, smp));
    if (r.code !== 0) fail(`QEMU run of ${elf} failed (exit ${r.code}${r.timedOut ? ', timed out' : ''}): ${r.stderr.slice(-500)}`);
    best = Math.min(best, r.seconds);
    output = r.stdout;
  }
  return { seconds: best, output };
}

async function ours(elf, cpus) {
  const dir = mkdtempSync(join(os.tmpdir(), 'a64-mips-'));
  const stats = join(dir, 'stats.json');
  const argv = [CLI, 'run', '--arch', 'aarch64', '--image', elf, '--cpus', String(cpus)];
  argv.push('--max-instructions', String(MAX_INSTRUCTIONS), '--stats-json', stats);
  let best;
  try {
    for (let i = 0; i < REPEAT; i++) {
      const r = await run(process.execPath, argv);
      if (r.code !== 0) fail(`our runner on ${elf} exited ${r.code}: ${r.stderr.slice(-800)}`);
      const s = JSON.parse(readFileSync(stats, 'utf8'));
      if (!best || r.seconds < best.seconds) best = { seconds: r.seconds, instructions: s.instructions, cpus: s.cpus, output: r.stdout };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return best;
}

const fmtInt = (n) => n.toLocaleString('en-US');
const fmtSec = (s) => s.toFixed(3);
const fmtMips = (m) => (m >= 100 ? m.toFixed(0) : m.toFixed(1));

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

function qemuVersion() {
  const r = spawnSync(QEMU, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].replace(/^QEMU emulator version /, 'QEMU ') : 'QEMU ?';
}

function hostLine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
    `${os.type()} ${os.release()}, Node ${process.version}, ${qemuVersion()}`;
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

function appendToBenchmarks(entry) {
  const file = join(ROOT, 'BENCHMARKS.md');
  const heading = '## aarch64 guest MIPS';
  const intro =
    `${heading}\n\n` +
    'The aarch64 twin of the riscv64 guest (`bench/guests/aarch64/mips.c`, -O2 -march=armv8-a: LCG fill + shell\n' +
    'sort, sieve, bitwise CRC-32, integer matrix multiply; about 1e9 instructions) on 1 CPU and the same rounds split\n' +
    'over 4 CPUs started with PSCI CPU_ON. QEMU: `-M virt,virtualization=on,gic-version=3 -cpu cortex-a57`.\n' +
    'Instructions and seconds are net of an empty guest (start-up, process start). QEMU counts come from the icount\n' +
    'TCG plugin (single-threaded TCG); QEMU times from runs without the plugin (MTTCG on 4 CPUs). Ours counts retired\n' +
    'guest instructions (`--stats-json`). 4-CPU rows are aggregate MIPS. Run with `node bench/aarch64-mips.mjs`.\n';
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  let at = text.indexOf(`\n${heading}\n`);
  if (at < 0) {
    text = `${text.replace(/\n*$/, '\n')}\n${intro}`;
    at = text.indexOf(`\n${heading}\n`);
  }
  const next = text.indexOf('\n## ', at + heading.length + 1);
  const end = next < 0 ? text.length : next + 1;
  const before = text.slice(0, end).replace(/\n*$/, '\n');
  const after = text.slice(end);
  writeFileSync(file, `${before}\n${entry}\n${after ? `\n${after}` : ''}`);
  console.log(`appended to ${file}`);
}

async function main() {
  const elves = buildAll();
  const haveCli = existsSync(CLI);
  if (!QEMU_ONLY && !haveCli) fail(`${CLI} is missing: run npm run build (or pass --qemu-only)`);
  const rows = [];
  rows.push(await measure('1 CPU', elves.one, elves.empty, 1));
  rows.push(await measure('4 CPUs (aggregate)', elves.four, elves.empty, 4));
  const date = spawnSync('date', ['-u', '+%F'], { encoding: 'utf8' }).stdout.trim();
  const command = `node bench/aarch64-mips.mjs ${args.join(' ')}`.trim();
  const runner = `node dist/cli.js run --arch aarch64 --image out/bench/aarch64/mips-{1,4}cpu-r${ROUNDS}.elf --cpus {1,4}`;
  const notes = [];
  for (const r of rows) {
    if (r.ours && !r.outputMatches) notes.push(`${r.label}: our output ${JSON.stringify(r.oursOutput)} differs from QEMU's ${JSON.stringify(r.qemuOutput)}`);
    if (r.ours?.perCpu) notes.push(`${r.label}: per-CPU instructions (gross) ${r.ours.perCpu.map((c) => `${c.id}:${fmtInt(c.instructions)}`).join(' ')}`);
  }
  const entry =
    `### ${date}: \`${command}\`\n\n` +
    `Host: ${hostLine()}. Ours: \`${runner}\` (best of ${REPEAT}); QEMU: best of ${QEMU_REPEAT}.\n\n` +
    `${table(rows)}\n` +
    (notes.length ? `\n${notes.map((n) => `- ${n}`).join('\n')}\n` : '');
  console.log(entry);
  if (APPEND && !QEMU_ONLY) appendToBenchmarks(entry);
}

await main();
