// Nanoseconds per call of the float library's operations (engine/isa/float),
// as the cores' translated blocks call them, in round to nearest and round
// toward zero: the fast paths on normal operands, and the exact path that
// denormals, NaNs and overflow take.
//
//   node bench/float-ops.mjs [--calls N] [--no-append]
//
// Prints a table and appends it to BENCHMARKS.md under "## float operations".

import { build } from 'esbuild';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { appendToBenchmarks, hostLine, today } from './benchmarks-file.mjs';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const CALLS = arg('--calls', 2_000_000);

const bundle = await build({
  entryPoints: [join(ROOT, 'engine/isa/float/index.ts')], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20',
});
const fl = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);

// Normal operands of moderate size, from a fixed LCG (deterministic runs).
let seed = 12345;
const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
const N = 1024;
const f32 = Array.from({ length: N }, () => ((rand() & 0x80000000) | ((100 + (rand() % 56)) << 23) | (rand() & 0x7fffff)) >>> 0);
const f16 = Array.from({ length: N }, () => (rand() & 0x8000) | ((10 + (rand() % 10)) << 10) | (rand() & 0x3ff));
const f64lo = Array.from({ length: N }, () => rand() | 0);
const f64hi = Array.from({ length: N }, () => (rand() & 0x80000000) | ((1000 + (rand() % 46)) << 20) | (rand() & 0xfffff));
const pos = (v) => v & 0x7fffffff;

const env = new fl.FloatEnv(fl.RISCV_POLICY);
const cases = {
  'f32 add': (i, rm) => fl.f32Add(env, f32[i], f32[(i + 1) & 1023], rm),
  'f32 mul': (i, rm) => fl.f32Mul(env, f32[i], f32[(i + 1) & 1023], rm),
  'f32 div': (i, rm) => fl.f32Div(env, f32[i], f32[(i + 1) & 1023], rm),
  'f32 sqrt': (i, rm) => fl.f32Sqrt(env, pos(f32[i]), rm),
  'f32 fma': (i, rm) => fl.f32MulAdd(env, f32[i], f32[(i + 1) & 1023], f32[(i + 2) & 1023], rm),
  'f64 add': (i, rm) => fl.f64Add(env, f64lo[i], f64hi[i], f64lo[(i + 1) & 1023], f64hi[(i + 1) & 1023], rm),
  'f64 mul': (i, rm) => fl.f64Mul(env, f64lo[i], f64hi[i], f64lo[(i + 1) & 1023], f64hi[(i + 1) & 1023], rm),
  'f64 div': (i, rm) => fl.f64Div(env, f64lo[i], f64hi[i], f64lo[(i + 1) & 1023], f64hi[(i + 1) & 1023], rm),
  'f64 sqrt': (i, rm) => fl.f64Sqrt(env, f64lo[i], pos(f64hi[i]), rm),
  'f64 fma': (i, rm) => fl.f64MulAdd(env, f64lo[i], f64hi[i], f64lo[(i + 1) & 1023], f64hi[(i + 1) & 1023], f64lo[(i + 2) & 1023], f64hi[(i + 2) & 1023], rm),
  'f64 compare': (i) => fl.f64Compare(env, f64lo[i], f64hi[i], f64lo[(i + 1) & 1023], f64hi[(i + 1) & 1023], false),
  'f64 to f32': (i, rm) => fl.f64ToF32(env, f64lo[i], f64hi[i], rm),
  'f32 to f64': (i) => fl.f32ToF64(env, f32[i]),
  'f64 to i32': (i, rm) => fl.f64ToI32(env, f64lo[i], f64hi[i] & 0x43ffffff, rm),
  'i32 to f32': (i, rm) => fl.i32ToF32(env, f64lo[i], rm),
  'f64 add, denormal operand (exact path)': (i, rm) => fl.f64Add(env, f64lo[i], f64hi[i] & 0x800fffff, f64lo[(i + 1) & 1023], f64hi[(i + 1) & 1023] & 0x800fffff, rm),
  'f32 mul, denormal operand (exact path)': (i, rm) => fl.f32Mul(env, f32[i] & 0x807fffff, f32[(i + 1) & 1023], rm),
  'f16 add': (i, rm) => fl.f16Add(env, f16[i], f16[(i + 1) & 1023], rm),
  'f16 fma': (i, rm) => fl.f16MulAdd(env, f16[i], f16[(i + 1) & 1023], f16[(i + 2) & 1023], rm),
};

function measure(fn, rm, calls) {
  let acc = 0;
  const t0 = performance.now();
  for (let k = 0; k < calls; k++) acc ^= fn(k & 1023, rm);
  return [((performance.now() - t0) * 1e6) / calls, acc];
}

const rows = [];
for (const [name, fn] of Object.entries(cases)) {
  const row = [name];
  for (const rm of [fl.RNE, fl.RTZ]) {
    measure(fn, rm, Math.min(CALLS, 200_000)); // warm up
    const [ns] = measure(fn, rm, rm === fl.RNE ? CALLS : Math.max(1, CALLS / 10));
    row.push(ns.toFixed(1));
  }
  rows.push(row);
  console.log(row.join('\t'));
}

if (!args.includes('--no-append')) {
  const entry = [
    `### ${today()}: \`node bench/float-ops.mjs${CALLS === 2_000_000 ? '' : ` --calls ${CALLS}`}\``,
    '',
    hostLine(),
    '',
    '| operation | RNE (ns) | RTZ (ns) |',
    '|---|---:|---:|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  appendToBenchmarks(
    '## float operations',
    "Nanoseconds per call of engine/isa/float's operations, as the cores' blocks call them, in round to\nnearest and round toward zero. Normal operands take the host-double fast paths (inexact and the\ndirection of a directed rounding decided by TwoSum and Dekker's product); denormal operands, NaNs and\noverflow take the exact BigInt path.\n",
    entry,
  );
}
