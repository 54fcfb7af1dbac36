// Summarises a V8 CPU profile (node --cpu-prof) as the functions with the most
// self time, and the translated guest blocks (functions compiled from guest
// code, which have no script) summed into one line, for BENCHMARKS.md.
//
// Usage: node bench/profile-top.mjs FILE.cpuprofile [--top N]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../scripts/build-guests.mjs';

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' } }, allowPositionals: true });
if (positionals.length !== 1) {
  console.error('usage: node bench/profile-top.mjs FILE.cpuprofile [--top N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]);
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(node, (self.get(node) ?? 0) + dt);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const rows = new Map();
for (const [node, us] of self) {
  const f = node.callFrame;
  const where = f.url === '' ? (f.functionName === '' || /^block_|^anonymous$/.test(f.functionName) ? '(translated guest code)' : `(${f.functionName})`) : `${f.functionName || '(anonymous)'} ${relative(ROOT, f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}`;
  rows.set(where, (rows.get(where) ?? 0) + us);
}
const top = [...rows].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
console.log(`| self % | self ms | function |\n|---:|---:|---|`);
for (const [where, us] of top) console.log(`| ${((100 * us) / total).toFixed(1)} | ${(us / 1000).toFixed(0)} | ${where.replace(/\|/g, '\\|')} |`);
console.log(`\n${(total / 1e6).toFixed(1)} s sampled`);
