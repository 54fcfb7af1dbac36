// The statement rows of every unit's line table as the engine's address →
// source line entries: where breakpoints on C lines bind, and the file and
// line that frames and disassembly show.

import type { SourceLine } from '../machine/loaders/image';
import type { DebugInfo } from './debug-info';

/**
 * Every is_stmt row with a file and a line, in table order (rows at one
 * address keep their order). The rows go straight from the line programs to
 * these entries; no unit's full table is kept.
 */
export function statementLines(info: DebugInfo): SourceLine[] {
  const out: SourceLine[] = [];
  for (const unit of info.units()) {
    const start = out.length;
    // address, file index, line: three numbers a row, no object per row.
    const rows: number[] = [];
    const names = info.visitLines(unit, (address, wide, file, line, _column, isStmt, endSequence) => {
      if (endSequence || !isStmt || line === 0 || wide !== undefined) return;
      rows.push(address, file, line);
    });
    if (!names) continue;
    // File names resolve once per file index, after the program has defined them all.
    let last: SourceLine | undefined = out[start - 1];
    for (let i = 0; i < rows.length; i += 3) {
      const address = rows[i]!;
      const line = rows[i + 2]!;
      const file = names.file(rows[i + 1]!);
      if (!file) continue;
      // A row repeating the one before it (a new view of the same place) adds nothing.
      if (last && last.address === address && last.file === file && last.line === line) continue;
      last = { address, file, line };
      out.push(last);
    }
  }
  return out;
}
