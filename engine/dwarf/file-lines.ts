// A unit's line table split by source file, the way a debugger keeps it for
// "break FILE:N": per file, the rows that start a line, with an end marker
// (line 0) where the file's code stops, sorted by address. Rows that a file
// switch or a sequence end at the same address overrides are dropped, and a
// line repeated under a non-zero discriminator is kept once.

import type { DebugInfo } from './debug-info';
import type { Unit } from './info';

export interface FileLine {
  readonly address: bigint;
  /** 0 marks where the file's code stops. */
  readonly line: number;
  readonly isStmt: boolean;
  readonly prologueEnd: boolean;
}

/** The line entry covering an address: its file, line and [start, end), and whether it starts a statement. */
export interface LineAtPc {
  readonly file: string;
  readonly line: number;
  readonly start: bigint;
  /** Undefined past the last entry. */
  readonly end: bigint | undefined;
  readonly isStmt: boolean;
}

const cache = new WeakMap<Unit, ReadonlyMap<string, readonly FileLine[]>>();

/** The unit's line entries by file path; empty when it has no readable line table. */
export function fileLines(info: DebugInfo, unit: Unit): ReadonlyMap<string, readonly FileLine[]> {
  const hit = cache.get(unit);
  if (hit) return hit;
  const byFile = new Map<string, FileLine[]>();
  const table = info.lineTable(unit);
  const tableOf = (file: string): FileLine[] => {
    let list = byFile.get(file);
    if (!list) byFile.set(file, (list = []));
    return list;
  };
  /** Ends `file`'s code at `address`: entries at that same address give way to the marker. */
  const finish = (file: string | undefined, address: bigint): void => {
    if (file === undefined) return;
    const list = tableOf(file);
    let lastLine: number | undefined;
    while (list.length) {
      const last = list.at(-1)!;
      lastLine = last.line;
      if (last.address !== address) break;
      list.pop();
    }
    if (lastLine === undefined || lastLine === 0) return;
    list.push({ address, line: 0, isStmt: true, prologueEnd: false });
  };
  let lastFile: string | undefined;
  let lastLine = 0;
  let lastAddress: bigint | undefined;
  let discriminated = false;
  let first = true;
  for (const row of table?.rows ?? []) {
    const file = table!.file(row.file) ?? `#${row.file}`;
    // A sequence starts in its first file as though it had been there all along.
    if (first) {
      lastFile = file;
      lastLine = 0;
      discriminated = false;
      first = false;
    }
    if (row.endSequence) {
      finish(lastFile, row.address);
      first = true;
      continue;
    }
    discriminated = row.line === lastLine ? discriminated || row.discriminator !== 0 : row.discriminator !== 0;
    const switched = file !== lastFile;
    const ignored = (switched && row.address === lastAddress && !row.isStmt) || row.line === 0;
    if (switched && !ignored) finish(lastFile, row.address);
    if (!ignored) {
      if (switched || row.line !== lastLine || !discriminated) {
        tableOf(file).push({ address: row.address, line: row.line, isStmt: row.isStmt, prologueEnd: row.prologueEnd });
      }
      lastFile = file;
      lastLine = row.line;
    }
    lastAddress = row.address;
  }
  // By address; at one address the end marker first (it ends what came before).
  for (const list of byFile.values()) {
    list.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : (a.line === 0 ? 0 : 1) - (b.line === 0 ? 0 : 1)));
  }
  cache.set(unit, byFile);
  return byFile;
}

/**
 * The line of `pc` in the unit: the entry at the highest address at or below
 * it over all files (of several there, the last that starts a statement),
 * and where that line's code ends (the next entry's address in any file).
 */
export function lineOfPc(lines: ReadonlyMap<string, readonly FileLine[]>, pc: bigint): LineAtPc | undefined {
  let best: FileLine | undefined;
  let bestFile = '';
  let end: bigint | undefined;
  for (const [file, list] of lines) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.address <= pc) lo = mid + 1;
      else hi = mid;
    }
    // Of several entries at one address, the last that starts a statement, else the last.
    let at = lo - 1;
    for (let i = at; i > 0 && list[i]!.address === list[i - 1]!.address && !list[at]!.isStmt && list[i - 1]!.line !== 0; i--) {
      if (list[i - 1]!.isStmt) at = i - 1;
    }
    const prev = list[at];
    const next = list[lo];
    // An end marker gives way to another file's line starting at the same address.
    if (prev && (!best || prev.address > best.address || (prev.address === best.address && best.line === 0))) {
      best = prev;
      bestFile = file;
    }
    if (next && (end === undefined || next.address < end)) end = next.address;
  }
  if (!best || best.line === 0) return undefined;
  return { file: bestFile, line: best.line, start: best.address, end, isStmt: best.isStmt };
}
