// The DAP round trip one source-line step costs in VS Code on a C frame:
// next (line) → stopped → threads → stackTrace → scopes → variables of the
// scopes VS Code shows expanded (Locals first, where the session offers it,
// then PerCpu and Registers), in crunch() of test/guests/dwarf/frame-values.c,
// a function with twenty locals, built with riscv64-linux-gnu-gcc -g -O0
// and run as zone 1 of the riscv64-zones sample with 4 and with 64 CPUs.
// The session runs in this process (its engine in its worker thread)
// connected to @vscode/debugadapter-testsupport's DebugClient through a pair
// of in-memory streams. Steps are measured while the stepped frame is
// crunch; leaving it, the guest runs (unmeasured) to crunch's first line again.
//
// Usage: npm run build && node bench/dap-c-roundtrip.mjs [--steps N]
// Prints p50/p99 and appends them to BENCHMARKS.md under "## DAP step round trip in a C frame".

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { inMemorySession, percentile } from './in-memory-session.mjs';
import { appendToBenchmarks, hostLine, today } from './benchmarks-file.mjs';
import { requireCommands } from '../scripts/external-tools.mjs';

const ROOT = resolve(new URL('..', import.meta.url).pathname);

const USAGE = 'usage: node bench/dap-c-roundtrip.mjs [--steps N]';
let values;
try {
  ({ values } = parseArgs({ options: { steps: { type: 'string', default: '400' } } }));
} catch (e) {
  console.error(`dap-c-roundtrip: ${e.message}\n${USAGE}`);
  process.exit(2);
}
if (!/^[1-9][0-9]*$/.test(values.steps)) {
  console.error(`dap-c-roundtrip: --steps takes a positive whole number, not '${values.steps}'\n${USAGE}`);
  process.exit(2);
}
const STEPS = Number(values.steps);
const WARMUP = 40;
const SAMPLE = join(ROOT, 'samples/riscv64-zones');
const SOURCE = join(ROOT, 'test/guests/dwarf/frame-values.c');
const LINKER_SCRIPT = join(ROOT, 'test/guests/dwarf/frames.ld');
/** Scopes VS Code keeps expanded, in the order it asks for them. */
const EXPANDED = ['Locals', 'PerCpu', 'Registers'];

/** crunch's first line, where each measured run of steps starts. */
function crunchFirstLine() {
  const lines = readFileSync(SOURCE, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith('long __attribute__((noinline)) crunch('));
  if (at < 0) throw new Error(`${SOURCE} has no crunch()`);
  return at + 2;
}

function buildGuest(dir) {
  requireCommands('riscv64-linux-gnu-gcc');
  const elf = join(dir, 'frame-values-zone1.elf');
  execFileSync('riscv64-linux-gnu-gcc', ['-g', '-O0', '-nostdlib', '-static', '-ffreestanding', '-Wl,--no-warn-rwx-segments', '-Wl,--build-id=none', '-T', LINKER_SCRIPT, '-Wl,-Ttext=0x8a000000', '-o', elf, SOURCE]);
  return elf;
}

async function measure(cpus, elf) {
  const dc = inMemorySession();
  try {
    const launch = JSON.parse(readFileSync(join(SAMPLE, 'launch.json'), 'utf8'));
    await Promise.all([
      dc.configurationSequence(),
      dc.launch({ ...launch, cwd: SAMPLE, cpus, stopOnEntry: true, images: [{ path: 'root.S', zone: 0 }, { path: elf, zone: 1 }] }),
      dc.waitForEvent('stopped'),
    ]);
    const line = crunchFirstLine();
    const bp = await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [{ line }] });
    if (!bp.body.breakpoints[0]?.verified) throw new Error(`the breakpoint at frame-values.c:${line} is not verified: ${bp.body.breakpoints[0]?.message}`);
    const times = [];
    const expanded = new Set();
    let maxLocals = 0;
    let threadId = 1;
    while (times.length < WARMUP + STEPS) {
      const [, hit] = await Promise.all([dc.continueRequest({ threadId }), dc.waitForEvent('stopped')]);
      threadId = hit.body.threadId;
      for (let inCrunch = true; inCrunch && times.length < WARMUP + STEPS; ) {
        const t0 = performance.now();
        await Promise.all([dc.nextRequest({ threadId }), dc.waitForEvent('stopped')]);
        const threads = await dc.threadsRequest();
        if (threads.body.threads.length !== cpus) throw new Error(`expected ${cpus} threads`);
        const frames = await dc.stackTraceRequest({ threadId, startFrame: 0, levels: 20 });
        const top = frames.body.stackFrames[0];
        const scopes = await dc.scopesRequest({ frameId: top.id });
        for (const name of EXPANDED) {
          const s = scopes.body.scopes.find((x) => x.name === name);
          if (!s) continue;
          const vars = await dc.variablesRequest({ variablesReference: s.variablesReference });
          expanded.add(name);
          if (name === 'Locals') maxLocals = Math.max(maxLocals, vars.body.variables.length);
        }
        const t = performance.now() - t0;
        inCrunch = /^crunch\b/.test(top.name);
        if (inCrunch) times.push(t);
      }
    }
    const measured = times.slice(WARMUP);
    measured.sort((a, b) => a - b);
    return { cpus, steps: measured.length, p50: percentile(measured, 50), p99: percentile(measured, 99), expanded: [...expanded], maxLocals };
  } finally {
    await dc.disconnectRequest({});
  }
}

const dir = mkdtempSync(join(tmpdir(), 'hvisor-bench-c-'));
const results = [];
try {
  const elf = buildGuest(dir);
  for (const cpus of [4, 64]) {
    const r = await measure(cpus, elf);
    results.push(r);
    console.log(`${String(cpus).padStart(2)} CPUs: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (${r.steps} steps; scopes expanded: ${r.expanded.join(', ')}; Locals ${r.maxLocals ? `up to ${r.maxLocals} variables` : 'not offered'})`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

appendToBenchmarks(
  '## DAP step round trip in a C frame',
  'What one source-line step costs in VS Code in a C function with twenty locals: `next` → `stopped` → `threads` →\n' +
    '`stackTrace` → `scopes` → `variables` of the scopes VS Code shows expanded (Locals, PerCpu, Registers; those the\n' +
    'session offers), in `crunch()` of test/guests/dwarf/frame-values.c (riscv64-linux-gnu-gcc -g -O0) as zone 1 of the\n' +
    'riscv64-zones sample. The session runs in-process (its engine in a worker thread, behind comlink) and talks to\n' +
    "`@vscode/debugadapter-testsupport`'s DebugClient through in-memory streams; milliseconds per round trip after 40\n" +
    'warm-up steps, counting only steps that stop in crunch.\n' +
    'Target: p50 at most 5 ms at 64 CPUs.\n',
  `### ${today()}: \`node bench/dap-c-roundtrip.mjs --steps ${STEPS}\`\n\n${hostLine()}\n\n` +
    '| CPUs | steps | p50 (ms) | p99 (ms) | scopes expanded | Locals |\n|---:|---:|---:|---:|---|---:|\n' +
    results.map((r) => `| ${r.cpus} | ${r.steps} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.expanded.join(', ')} | ${r.maxLocals || 'not offered'} |`).join('\n'),
);
