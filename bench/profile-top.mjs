// Prints a CPU profile's functions with the most self time as a Markdown
// table, for BENCHMARKS.md; translated guest code (functions made at run time)
// is one line.
//
// Usage: node bench/profile-top.mjs FILE.cpuprofile [--top N]
import { parseArgs } from 'node:util';
import { topSelfTime } from './cpu-profile.mjs';

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' } }, allowPositionals: true });
if (positionals.length !== 1) {
  console.error('usage: node bench/profile-top.mjs FILE.cpuprofile [--top N]');
  process.exit(2);
}
console.log('| self % | function | where |\n|---:|---|---|');
for (const { name, where, share } of topSelfTime(positionals[0], Number(values.top))) {
  console.log(`| ${(100 * share).toFixed(1)} | ${where === 'generated' ? '(translated guest code)' : name} | ${where} |`);
}
