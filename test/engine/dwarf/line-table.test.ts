// Line tables read by the engine's DWARF reader against readelf's decoded
// view, row by row: file, line, address, is_stmt and the end of each sequence.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { DebugInfo } from '../../../engine/dwarf/debug-info';
import { BUILDS, built, cleanBuilds, readelf } from './builds';

after(cleanBuilds);

/** readelf's rows: "file line address [view] [x]", "-" as the line of an end of sequence. */
function readelfRows(text: string): string[] {
  const rows: string[] = [];
  for (const m of text.matchAll(/^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+)(?:\s+\d+)?(\s+x)?\s*$/gm)) {
    rows.push(m[2] === '-' ? `end ${BigInt(m[3]!).toString(16)}` : `${m[1]} ${m[2]} ${BigInt(m[3]!).toString(16)}${m[4] ? ' stmt' : ''}`);
  }
  return rows;
}

for (const build of BUILDS) {
  describe(`line table of ${build.name}`, () => {
    test('every row matches readelf --debug-dump=decodedline', () => {
      const b = built(build);
      const dwarf = DebugInfo.fromElf(b.elf);
      const ours: string[] = [];
      for (const unit of dwarf.units()) {
        const table = dwarf.lineTable(unit);
        assert.ok(table, `unit at ${unit.header.offset} has a line table`);
        for (const row of table.rows) {
          const file = basename(table.file(row.file) ?? '?');
          ours.push(row.endSequence ? `end ${row.address.toString(16)}` : `${file} ${row.line} ${row.address.toString(16)}${row.isStmt ? ' stmt' : ''}`);
        }
      }
      assert.deepEqual(dwarf.messages, []);
      const theirs = readelfRows(readelf(b, '--debug-dump=decodedline'));
      assert.ok(theirs.length > 20, `readelf printed ${theirs.length} rows`);
      assert.deepEqual(ours, theirs);
    });
  });
}
