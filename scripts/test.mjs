// Bundles every test/**/*.test.ts with esbuild and runs them with Node's test runner.
// Arguments filter test files by substring: `node scripts/test.mjs disasm elf`.
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

const filters = process.argv.slice(2);
const entries = walk('test').filter((p) => filters.length === 0 || filters.some((f) => p.includes(f)));
if (entries.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(2);
}
// A directory per run, so concurrent runs never delete each other's bundles.
const outdir = `out/test-${process.pid}`;
await build({
  entryPoints: entries,
  outdir,
  outbase: 'test',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
});
const files = entries.map((p) => join(outdir, relative('test', p)).replace(/\.ts$/, '.js'));
// The spec reporter shows each test; test-summary.mjs ends with one count of them all.
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${join(import.meta.dirname, 'test-summary.mjs')}`, '--test-reporter-destination=stdout'];
const result = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=2', ...reporters, ...files], { stdio: 'inherit' });
rmSync(outdir, { recursive: true, force: true });
process.exit(result.status ?? 1);
