// Completions for the debug console and watch: the names an expression can
// use (the frame's C variables, registers, PerCpu and ArchCpu fields, symbols, cast types) that start
// with the word before the cursor.

import { TYPE_NAMES } from './expression';

export type CompletionKind = 'variable' | 'property' | 'reference' | 'keyword';

export interface Completion {
  readonly label: string;
  readonly type: CompletionKind;
}

export interface CompletionNames {
  /** The selected frame's C variables (locals first). */
  readonly variables?: readonly string[];
  readonly registers: readonly string[];
  readonly fields: readonly string[];
  readonly symbols: readonly string[];
}

/** At most this many items go back; a prefix narrows them. */
const MAX_ITEMS = 500;

/** The word being typed at `column` (0-based, exclusive): letters, digits, `_`, `$` and `.`. */
export function wordBefore(text: string, column: number): string {
  return /[\w$.]*$/.exec(text.slice(0, Math.max(0, column)))![0];
}

export function completions(names: CompletionNames, prefix: string): Completion[] {
  const out: Completion[] = [];
  const seen = new Set<string>();
  const add = (list: Iterable<string>, type: CompletionKind): void => {
    for (const label of list) {
      if (out.length >= MAX_ITEMS || seen.has(label) || !label.startsWith(prefix)) continue;
      seen.add(label);
      out.push({ label, type });
    }
  };
  add(names.variables ?? [], 'variable');
  add(names.registers, 'variable');
  add(names.fields, 'property');
  add(names.symbols, 'reference');
  add(TYPE_NAMES.keys(), 'keyword');
  return out;
}
