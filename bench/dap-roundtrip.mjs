// The DAP round trip one step costs in VS Code: next (instruction) → stopped
// → threads → stackTrace → scopes → variables (PerCpu and Registers) for the
// stepped CPU. The session runs in this process (its engine in its worker
// thread) connected to @vscode/debugadapter-testsupport's DebugClient through
// a pair of in-memory streams, on the riscv64-zones sample with 4 and with 64 CPUs.
//
// Usage: npm run build && node bench/dap-roundtrip.mjs [--steps N]
// Prints p50/p99 and appends them to BENCHMARKS.md under "## DAP step round trip".

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { inMemorySession, percentile } from './in-memory-session.mjs';
import { appendToBenchmarks, hostLine, today } from './benchmarks-file.mjs';

const ROOT = resolve(new URL('..', import.meta.url).pathname);

const USAGE = 'usage: node bench/dap-roundtrip.mjs [--steps N]';
let values;
try {
  ({ values } = parseArgs({ options: { steps: { type: 'string', default: '400' } } }));
} catch (e) {
  console.error(`dap-roundtrip: ${e.message}\n${USAGE}`);
  process.exit(2);
}
if (!/^[1-9][0-9]*$/.test(values.steps)) {
  console.error(`dap-roundtrip: --steps takes a positive whole number, not '${values.steps}'\n${USAGE}`);
  process.exit(2);
}
const STEPS = Number(values.steps);
const WARMUP = 40;
const SAMPLE = join(ROOT, 'samples/riscv64-zones');

async function measure(cpus) {
  const dc = inMemorySession();
  try {
    const launch = JSON.parse(readFileSync(join(SAMPLE, 'launch.json'), 'utf8'));
    await Promise.all([
      dc.configurationSequence(),
      dc.launch({ ...launch, cwd: SAMPLE, cpus, stopOnEntry: true }),
      dc.waitForEvent('stopped'),
    ]);
    const threadId = 1;
    const times = [];
    for (let i = 0; i < WARMUP + STEPS; i++) {
      const t0 = performance.now();
      await Promise.all([dc.nextRequest({ threadId, granularity: 'instruction' }), dc.waitForEvent('stopped')]);
      const threads = await dc.threadsRequest();
      if (threads.body.threads.length !== cpus) throw new Error(`expected ${cpus} threads`);
      const frames = await dc.stackTraceRequest({ threadId });
      const scopes = await dc.scopesRequest({ frameId: frames.body.stackFrames[0].id });
      for (const s of scopes.body.scopes.filter((x) => x.name === 'PerCpu' || x.name === 'Registers')) {
        await dc.variablesRequest({ variablesReference: s.variablesReference });
      }
      const t = performance.now() - t0;
      if (i >= WARMUP) times.push(t);
    }
    times.sort((a, b) => a - b);
    return { cpus, steps: STEPS, p50: percentile(times, 50), p99: percentile(times, 99) };
  } finally {
    await dc.disconnectRequest({});
  }
}

const results = [];
for (const cpus of [4, 64]) {
  const r = await measure(cpus);
  results.push(r);
  console.log(`${String(cpus).padStart(2)} CPUs: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (${r.steps} steps)`);
}

appendToBenchmarks(
  '## DAP step round trip',
  'What one step costs in VS Code: `next` (instruction granularity) → `stopped` → `threads` → `stackTrace` →\n' +
    '`scopes` → `variables` of PerCpu and Registers, for the stepped CPU (CPU 0 of the riscv64-zones sample).\n' +
    'The session runs in-process (its engine in a worker thread, behind comlink) and talks to\n' +
    '`@vscode/debugadapter-testsupport`\'s DebugClient through in-memory streams; milliseconds per round trip\n' +
    'after 40 warm-up steps.\n' +
    'Target: p50 below 5 ms at 64 CPUs.\n',
  `### ${today()}: \`node bench/dap-roundtrip.mjs --steps ${STEPS}\`\n\n${hostLine()}\n\n` +
    '| CPUs | steps | p50 (ms) | p99 (ms) |\n|---:|---:|---:|---:|\n' +
    results.map((r) => `| ${r.cpus} | ${r.steps} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`).join('\n'),
);
