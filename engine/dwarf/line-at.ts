// The source line of an address: the line-table row whose address range
// holds it, found by binary search over an index built once per table.

import type { DebugInfo } from './debug-info';
import type { LineTable } from './line-program';

interface RangeIndex {
  /** [start, end) and row index of every row that covers addresses, by start. */
  readonly starts: bigint[];
  readonly ends: bigint[];
  readonly rows: number[];
}

const indexes = new WeakMap<LineTable, RangeIndex>();

function indexOf(table: LineTable): RangeIndex {
  let index = indexes.get(table);
  if (index) return index;
  const spans: [bigint, bigint, number][] = [];
  const rows = table.rows;
  // A row covers up to the next row of its sequence. Of rows at one address, the last that starts a statement
  // covers it (the line a debugger shows there), else the last.
  let first = 0;
  for (let i = 0; i + 1 < rows.length; i++) {
    const row = rows[i]!;
    const next = rows[i + 1]!;
    if (i === 0 || rows[i - 1]!.endSequence || rows[i - 1]!.address !== row.address) first = i;
    if (row.endSequence || next.address <= row.address) continue;
    let shown = i;
    for (let j = i; j >= first && !rows[shown]!.isStmt; j--) if (rows[j]!.isStmt) shown = j;
    spans.push([row.address, next.address, shown]);
  }
  spans.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  index = { starts: spans.map((s) => s[0]), ends: spans.map((s) => s[1]), rows: spans.map((s) => s[2]) };
  indexes.set(table, index);
  return index;
}

/** The file and line of `pc`, or undefined where no line-table row covers it. */
export function lineAt(info: DebugInfo, pc: bigint): { file: string | undefined; line: number } | undefined {
  const unit = info.unitAt(pc);
  const table = unit && info.lineTable(unit);
  if (!table) return undefined;
  const { starts, ends, rows } = indexOf(table);
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= pc) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  if (i < 0 || pc >= ends[i]!) return undefined;
  const row = table.rows[rows[i]!]!;
  return { file: table.file(row.file), line: row.line };
}
