// The symbol table: labels (a place in a section fragment), absolute values
// from `.equ`/`.set`, and expressions that can only be evaluated after layout
// (`.equ len, end - start`). Numeric local labels and `.` get internal names
// that cannot collide with identifiers.

import type { SourcePos } from './diagnostics';
import type { Expr } from './expr';
import type { Frag, Section } from './sections';

export type SymbolDef =
  | { readonly kind: 'label'; readonly section: Section; readonly frag: Frag; readonly offset: number }
  | { readonly kind: 'value'; readonly value: bigint }
  | { readonly kind: 'expr'; readonly expr: Expr; readonly line: number };

export interface SymbolEntry {
  readonly name: string;
  /** How messages name it (`1f` for a numeric local label). */
  readonly display: string;
  /** Numeric local labels and `.` anchors are not program symbols. */
  readonly internal: boolean;
  def: SymbolDef | undefined;
  defined: SourcePos | undefined;
  /** `.equiv` symbols may not be redefined; labels never may. */
  fixed: boolean;
  global: boolean;
  /** `.weak`: may be overridden at link time, so branches to it are not shortened. */
  weak: boolean;
  type: 'func' | 'object' | undefined;
  size: { expr: Expr; line: number } | undefined;
}

export class SymbolTable {
  private readonly entries = new Map<string, SymbolEntry>();
  private readonly localCounts = new Map<string, number>();
  private dotCount = 0;

  get(name: string): SymbolEntry | undefined {
    return this.entries.get(name);
  }

  entry(name: string, display = name, internal = false): SymbolEntry {
    let e = this.entries.get(name);
    if (!e) {
      e = { name, display, internal, def: undefined, defined: undefined, fixed: false, global: false, weak: false, type: undefined, size: undefined };
      this.entries.set(name, e);
    }
    return e;
  }

  all(): IterableIterator<SymbolEntry> {
    return this.entries.values();
  }

  private static localName(label: string, instance: number): string {
    return `${label}\u0002${instance}`;
  }

  /** The entry a new definition `N:` creates. */
  defineLocal(label: string): SymbolEntry {
    const n = (this.localCounts.get(label) ?? 0) + 1;
    this.localCounts.set(label, n);
    return this.entry(SymbolTable.localName(label, n), `${label}`, true);
  }

  /** Name for `Nb` (undefined if there is no earlier `N:`) or `Nf`. */
  localRef(label: string, dir: 'b' | 'f'): string | undefined {
    const n = this.localCounts.get(label) ?? 0;
    if (dir === 'b') return n === 0 ? undefined : SymbolTable.localName(label, n);
    return this.entry(SymbolTable.localName(label, n + 1), `${label}f`, true).name;
  }

  /** A fresh internal symbol (for `.` and instruction anchors). */
  anchor(display: string): SymbolEntry {
    this.dotCount++;
    return this.entry(`\u0001${this.dotCount}`, display, true);
  }
}
