// Where a breakpoint on each line of the test program's files binds, from the
// statement rows the ELF loader gives the engine, against gdb-multiarch's
// "info line FILE:N". The binding is the adapter's rule: the first line at or
// after N that has statement rows, at its lowest address; gdb reports that
// address for a line without code too ("is at address ... but contains no code").
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { DebugInfo } from '../../../engine/dwarf/debug-info';
import { statementLines } from '../../../engine/dwarf/source-lines';
import { bindLine } from '../../../engine/debug/line-binding';
import { BUILDS, built, cleanBuilds, gdb } from './builds';

after(cleanBuilds);

for (const build of BUILDS) {
  describe(`line binding of ${build.name}`, () => {
    test('every line of each file with statement rows binds where gdb says', () => {
      const b = built(build);
      const lines = statementLines(DebugInfo.fromElf(b.elf));
      // shapes.h has rows only where its inline function keeps lines of its own (at -O0).
      const files = [...new Set(lines.map((l) => basename(l.file)))].sort();
      assert.deepEqual(files.filter((f) => f === 'shapes.c'), ['shapes.c']);
      for (const file of files) {
        const rows = lines.filter((l) => basename(l.file) === file);
        const last = Math.max(...rows.map((r) => r.line));
        const numbers = Array.from({ length: last }, (_, i) => i + 1);
        const ours = numbers.map((n) => {
          const at = Math.min(...rows.filter((r) => r.line >= n).map((r) => r.line));
          const address = Math.min(...rows.filter((r) => r.line === at).map((r) => r.address));
          return `${file}:${n} 0x${address.toString(16)}`;
        });
        const theirs = gdb(b, numbers.map((n) => `info line ${file}:${n}`)).map((text, i) => {
          const m = /(?:starts at|is at) address (0x[0-9a-f]+)/.exec(text);
          return `${file}:${numbers[i]} ${m ? m[1] : text}`;
        });
        assert.deepEqual(ours, theirs);
      }
    });
  });
}

/** gdb's locations of each breakpoint in `info breakpoints`, as "0xaddr:line" lists by breakpoint number. */
function gdbLocations(text: string): string[][] {
  const out: string[][] = [];
  for (const row of text.split('\n')) {
    const m = /^(\d+)(?:\.\d+)?\s.*?(0x[0-9a-f]+) in \S+ at \S+:(\d+)$/.exec(row.trim());
    if (!m) continue;
    const n = Number(m[1]);
    (out[n - 1] ??= []).push(`0x${BigInt(m[2]!).toString(16)}:${m[3]}`);
  }
  return out;
}

for (const build of BUILDS) {
  describe(`breakpoint locations of ${build.name}`, () => {
    test('every line of shapes.c and shapes.h binds where gdb-multiarch\'s break FILE:N puts its locations', () => {
      const b = built(build);
      const info = DebugInfo.fromElf(b.elf);
      const rows = statementLines(info);
      for (const name of ['shapes.c', 'shapes.h']) {
        const path = rows.find((l) => basename(l.file) === name)?.file;
        // shapes.h has rows only where its inline function keeps lines of its own.
        if (path === undefined) continue;
        const last = Math.max(...rows.filter((l) => l.file === path).map((l) => l.line));
        const numbers = Array.from({ length: last }, (_, i) => i + 1);
        const ours = numbers.map((n) => `${name}:${n} ${bindLine(info, (f) => f === path, n).map((l) => `0x${l.address.toString(16)}:${l.line}`).join(' ')}`);
        const listed = gdbLocations(gdb(b, [...numbers.map((n) => `break ${name}:${n}`), 'info breakpoints']).at(-1)!);
        const theirs = numbers.map((n, i) => `${name}:${n} ${(listed[i] ?? []).join(' ')}`);
        assert.deepEqual(ours, theirs);
      }
    });
  });
}
