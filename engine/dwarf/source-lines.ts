// The statement rows of every unit's line table as the engine's address →
// source line entries: where breakpoints on C lines bind, and the file and
// line that frames and disassembly show.

import type { SourceLine } from '../machine/loaders/image';
import type { DebugInfo } from './debug-info';

/** Every is_stmt row with a file and a line, in table order (rows at one address keep their order). */
export function statementLines(info: DebugInfo): SourceLine[] {
  const out: SourceLine[] = [];
  for (const unit of info.units()) {
    const table = info.lineTable(unit);
    if (!table) continue;
    let last: SourceLine | undefined;
    for (const row of table.rows) {
      if (row.endSequence || !row.isStmt || row.line === 0) continue;
      const file = table.file(row.file);
      if (!file || row.address > BigInt(Number.MAX_SAFE_INTEGER)) continue;
      const address = Number(row.address);
      // A row repeating the one before it (a new view of the same place) adds nothing.
      if (last && last.address === address && last.file === file && last.line === row.line) continue;
      last = { address, file, line: row.line };
      out.push(last);
    }
  }
  return out;
}
