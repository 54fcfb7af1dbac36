// A kernel's System.map: one `ADDRESS TYPE NAME` line per symbol, as nm
// prints them. It has no sizes and no sections, so each function or object
// reaches the next symbol.

import type { SymbolEntry } from './symbol-table';

export interface SystemMap {
  readonly symbols: readonly SymbolEntry[];
  /** The first malformed line, with how many more there are; each file's are reported once. */
  readonly problem?: string;
}

/** nm's type letters that name code; the rest of the defined ones are data or absolute values. */
const CODE = new Set(['t', 'w']);
const DATA = new Set(['d', 'b', 'r', 'g', 's', 'v']);
/** A symbol with no address in the image (undefined, or a debugging entry). */
const NOT_PLACED = new Set(['u', 'n']);

const LINE = /^([0-9a-fA-F]{1,16})\s+([A-Za-z?])\s+(\S+)\s*$/;
/** nm leaves the address blank for a symbol the file only refers to. */
const UNDEFINED = /^\s+[UuwvVW]\s+\S+\s*$/;

/** Parses `text`; `fileName` names the file in the problem it reports. */
export function parseSystemMap(text: string, fileName: string): SystemMap {
  const symbols: SymbolEntry[] = [];
  let first: string | undefined;
  let bad = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '' || UNDEFINED.test(line)) continue;
    const m = LINE.exec(line);
    if (!m) {
      bad++;
      first ??= `${fileName}:${i + 1}: not a System.map line (ADDRESS TYPE NAME): ${JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}...` : line)}`;
      continue;
    }
    const letter = m[2]!;
    const lower = letter.toLowerCase();
    if (NOT_PLACED.has(lower)) continue;
    symbols.push({
      name: m[3]!,
      value: BigInt(`0x${m[1]}`),
      size: 0,
      type: CODE.has(lower) ? 'func' : DATA.has(lower) ? 'object' : 'notype',
      binding: lower === 'w' || lower === 'v' ? 'weak' : letter === lower ? 'local' : 'global',
      // Defined, in no section the file names.
      sectionIndex: 1,
    });
  }
  if (first === undefined) return { symbols };
  return { symbols, problem: bad > 1 ? `${first} (and ${bad - 1} more bad line${bad > 2 ? 's' : ''})` : first };
}
