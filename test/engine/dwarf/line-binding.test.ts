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
