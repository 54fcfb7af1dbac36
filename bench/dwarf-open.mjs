// Opening a large ELF with DWARF: a riscv64 executable of generated C
// (UNITS compilation units of 2,000 functions each, gcc -g -O0; the default
// 48 units make a file of about 50 MB) is read from disk, and
// the engine is timed at what each step costs: parsing the ELF headers (the
// symbols wait for their first use), indexing the DWARF units by their
// headers (what opening the image does), the first address lookup (one
// unit's DIEs and line program), a breakpoint on a line of the last unit
// (the units' file tables, then that unit's line program), the first symbol
// lookup (every symbol read and sorted) and, for comparison, every unit's
// statement rows (what the ELF loader took at launch before lines were read
// on demand). Heap growth is reported after each step.
//
//   node bench/dwarf-open.mjs [--units N] [--no-append]
//
// The generated program is built once into out/bench/dwarf/ and reused.
// Prints a table and appends it to BENCHMARKS.md under "## Opening a large ELF with DWARF".
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { requireCommands } from '../scripts/external-tools.mjs';
import { appendToBenchmarks, hostLine, today } from './benchmarks-file.mjs';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const args = process.argv.slice(2);
const i = args.indexOf('--units');
const UNITS = i >= 0 ? Number(args[i + 1]) : 48;
if (!Number.isInteger(UNITS) || UNITS < 1) {
  console.error('dwarf-open: --units wants a whole number of at least 1\nusage: node bench/dwarf-open.mjs [--units N] [--no-append]');
  process.exit(2);
}

const OUT = join(ROOT, 'out/bench/dwarf');
const elf = join(OUT, `big-${UNITS}.elf`);
if (!existsSync(elf)) {
  requireCommands('riscv64-linux-gnu-gcc');
  mkdirSync(OUT, { recursive: true });
  // Each unit is the same generated functions under its own prefix.
  const cc = (src, obj) => execFileSync('riscv64-linux-gnu-gcc', ['-g', '-O0', '-ffreestanding', '-c', '-o', obj, src]);
  writeFileSync(join(OUT, 'start.c'), 'void _start(void) { for (;;) {} }\n');
  cc(join(OUT, 'start.c'), join(OUT, 'start.o'));
  const objects = [join(OUT, 'start.o')];
  for (let u = 0; u < UNITS; u++) {
    const p = `u${u}_`;
    const lines = [`struct ${p}s { int a; long b; char c[8]; struct ${p}s *next; };`];
    for (let f = 0; f < 2000; f++) {
      lines.push(`int ${p}g${f};`, `int ${p}f${f}(struct ${p}s *p, int x) { int y = x * ${f}; long z = p->b + y; for (int k = 0; k < x; k++) { z += k * ${p}g${f}; } return (int)z + p->a; }`);
    }
    writeFileSync(join(OUT, `unit${u}.c`), `${lines.join('\n')}\n`);
    cc(join(OUT, `unit${u}.c`), join(OUT, `unit${u}.o`));
    objects.push(join(OUT, `unit${u}.o`));
  }
  execFileSync('riscv64-linux-gnu-gcc', ['-nostdlib', '-static', '-o', elf, ...objects]);
}

const bundle = await build({
  stdin: {
    contents: `export { parseElf } from './engine/machine/loaders/elf';
export { DebugInfo } from './engine/dwarf/debug-info';
export { statementLines } from './engine/dwarf/source-lines';
export { bindLine } from './engine/debug/line-binding';
export { SymbolTable } from './engine/machine/loaders/symbol-table';`,
    resolveDir: ROOT,
    loader: 'ts',
  },
  bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20',
});
const dwarf = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);

const bytes = new Uint8Array(readFileSync(elf));
const heap = () => process.memoryUsage().heapUsed;
global.gc?.();
const heap0 = heap();
const rows = [];
const step = (name, f) => {
  const t = performance.now();
  const result = f();
  rows.push([name, (performance.now() - t).toFixed(1), ((heap() - heap0) / 2 ** 20).toFixed(1)]);
  return result;
};

const image = step('parse the ELF headers', () => dwarf.parseElf(bytes, elf, 'riscv64'));
const info = step('index the DWARF units by their headers', () => {
  const d = dwarf.DebugInfo.fromElf(image);
  d.units();
  return d;
});
// The address of the last unit's last function, from its DWARF (the symbols are not read yet).
const lastUnit = info.units().at(-1);
const pc = info.ranges(lastUnit, info.top(lastUnit)).at(-1)[0];
step('first lookup: the last unit\'s function and line at one address', () => {
  const unit = info.unitAt(pc);
  const table = info.lineTable(unit);
  if (!table.rows.some((r) => r.address >= pc)) throw new Error('no line rows at the looked-up address');
});
const lastFile = join(OUT, `unit${UNITS - 1}.c`);
step('a breakpoint on a line of the last unit\'s file', () => {
  if (dwarf.bindLine(info, (f) => f === lastFile, 2001).length === 0) throw new Error(`line 2001 of ${lastFile} did not bind`);
});
step('first symbol lookup (every symbol read and sorted)', () => {
  const table = new dwarf.SymbolTable(() => image.symbols, image.sections);
  if (!table.find(`u${UNITS - 1}_f1999`)) throw new Error('the last function has no symbol');
});
const lines = step('for comparison: every unit\'s statement rows (the launch\'s cost before lines were read on demand)', () => dwarf.statementLines(info));
if (info.messages.length) throw new Error(info.messages.join('\n'));

const size = (statSync(elf).size / 2 ** 20).toFixed(1);
console.log(`${elf}: ${size} MiB, ${info.units().length} units, ${lines.length} statement rows`);
for (const r of rows) console.log(`${r[0]}\t${r[1]} ms\theap +${r[2]} MiB`);

if (!args.includes('--no-append')) {
  const entry = [
    `### ${today()}: \`node bench/dwarf-open.mjs${UNITS === 48 ? '' : ` --units ${UNITS}`}\``,
    '',
    `${hostLine()} The ELF: ${size} MiB, ${info.units().length} units, ${lines.length} statement rows.`,
    '',
    '| step | ms | heap growth since the start (MiB) |',
    '|---|---:|---:|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  appendToBenchmarks(
    '## Opening a large ELF with DWARF',
    "The engine's DWARF reader on a generated riscv64 executable (bench/dwarf-open.mjs, 48 units of 2,000 functions by default). Opening indexes\nunits by their headers only; a unit's DIEs and line program are read when something asks for them, and the symbols on their first use.\n",
    entry,
  );
}
