// Address → "name+0xoff" for a loaded image: the stack view, the disassembly
// and breakpoints by function name all go through here.

import { lastAtOrBelow } from '../../sorted';

/** What the table needs to know of a symbol; ElfSymbol has all of it. */
export interface SymbolEntry {
  readonly name: string;
  readonly value: bigint;
  readonly size: number;
  readonly type: 'func' | 'object' | 'notype';
  readonly binding: 'local' | 'global' | 'weak';
  /** Raw st_shndx; 0 means undefined. */
  readonly sectionIndex: number;
}

/** The address range a symbol-less-than-sized entry may extend to (its section). */
export interface SectionExtent {
  readonly addr: bigint;
  readonly size: number;
  /** Whether the section occupies memory at run time (SHF_ALLOC). */
  readonly allocated: boolean;
}

export interface SymbolHit {
  readonly name: string;
  /** Start address of the symbol. */
  readonly value: bigint;
  readonly offset: bigint;
}

interface Span {
  readonly name: string;
  readonly start: bigint;
  readonly end: bigint;
}

const TYPE_RANK = { func: 0, object: 1, notype: 2 } as const;
const BINDING_RANK = { global: 0, weak: 1, local: 2 } as const;

function preferred(a: SymbolEntry, b: SymbolEntry): number {
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return (
    TYPE_RANK[a.type] - TYPE_RANK[b.type] ||
    BINDING_RANK[a.binding] - BINDING_RANK[b.binding] ||
    b.size - a.size ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/**
 * Covers each defined function or data object: a sized symbol covers
 * [value, value + size); a size-0 one reaches the next symbol or the end of its
 * section. Where several symbols share an address, a global function wins.
 */
export class SymbolTable {
  private built: { spans: Span[]; named: SymbolEntry[]; byName: Map<string, SymbolEntry> } | undefined;

  /**
   * `symbols` may be a function giving them: the table is then built on its
   * first use (a large ELF opens without it); `present` says whether there
   * are any where that is known without reading them.
   */
  constructor(
    private readonly symbols: readonly SymbolEntry[] | (() => readonly SymbolEntry[]),
    private readonly sections: readonly SectionExtent[] = [],
    private readonly present?: boolean,
  ) {}

  /** Whether the table has any named symbol. */
  any(): boolean {
    return this.present ?? this.table.named.length > 0;
  }

  private get table(): { spans: Span[]; named: SymbolEntry[]; byName: Map<string, SymbolEntry> } {
    this.built ??= build(typeof this.symbols === 'function' ? this.symbols() : this.symbols, this.sections);
    return this.built;
  }

  /** The symbol covering `addr` (a number is the 64-bit pattern as a signed number, as the engine keeps addresses), if any. */
  lookup(addr: bigint | number): SymbolHit | undefined {
    const a = BigInt.asUintN(64, BigInt(addr));
    const spans = this.table.spans;
    const found = lastAtOrBelow(spans, a, (s) => s.start);
    if (found < 0) return undefined;
    const span = spans[found]!;
    if (a >= span.end) return undefined;
    return { name: span.name, value: span.start, offset: a - span.start };
  }

  /**
   * The symbol objdump -d names `addr` after in an executable: the nearest at
   * or below it, whatever its size or section; below every symbol, the lowest
   * one (a negative offset). Undefined for an empty table.
   */
  nearest(addr: bigint | number): SymbolHit | undefined {
    const named = this.table.named;
    if (named.length === 0) return undefined;
    const a = BigInt.asUintN(64, BigInt(addr));
    const i = lastAtOrBelow(named, a, (s) => s.value);
    let s = named[Math.max(i, 0)]!;
    // The first of several symbols at one address is the preferred one.
    for (let j = i - 1; j >= 0 && named[j]!.value === s.value; j--) s = named[j]!;
    return { name: s.name, value: s.value, offset: a - s.value };
  }

  /** Every defined symbol's name. */
  names(): string[] {
    return [...this.table.byName.keys()];
  }

  /** The defined symbol called `name`, with its address and size. */
  find(name: string): SymbolEntry | undefined {
    return this.table.byName.get(name);
  }

  /** "name" at a symbol's start, "name+0x1c" inside it, undefined elsewhere. */
  symbolize(addr: bigint | number): string | undefined {
    const hit = this.lookup(addr);
    if (!hit) return undefined;
    return hit.offset === 0n ? hit.name : `${hit.name}+0x${hit.offset.toString(16)}`;
  }
}

/**
 * Covers each defined function or data object: a sized symbol covers
 * [value, value + size); a size-0 one reaches the next symbol or the end of its
 * section. Where several symbols share an address, a global function wins.
 */
function build(symbols: readonly SymbolEntry[], sections: readonly SectionExtent[]): { spans: Span[]; named: SymbolEntry[]; byName: Map<string, SymbolEntry> } {
  const spans: Span[] = [];
  const byName = new Map<string, SymbolEntry>();
  const named = symbols.filter((s) => s.name !== '' && !s.name.startsWith('$') && s.sectionIndex !== 0).sort(preferred);
  for (const s of named) {
    const known = byName.get(s.name);
    if (!known || BINDING_RANK[s.binding] < BINDING_RANK[known.binding]) byName.set(s.name, s);
  }
  const candidates = symbols
    .filter((s) => (s.type === 'func' || s.type === 'object') && s.sectionIndex !== 0 && s.name !== '')
    .sort(preferred);
  const unique: SymbolEntry[] = [];
  for (const s of candidates) if (unique.length === 0 || unique[unique.length - 1]!.value !== s.value) unique.push(s);
  for (let i = 0; i < unique.length; i++) {
    const s = unique[i]!;
    let end: bigint;
    if (s.size > 0) end = s.value + BigInt(s.size);
    else {
      const next = unique[i + 1]?.value;
      const section = sections[s.sectionIndex];
      const sectionEnd = section?.allocated ? section.addr + BigInt(section.size) : undefined;
      if (next !== undefined && (sectionEnd === undefined || next < sectionEnd)) end = next;
      else end = sectionEnd !== undefined && sectionEnd > s.value ? sectionEnd : s.value + 1n;
    }
    spans.push({ name: s.name, start: s.value, end });
  }
  return { spans, named, byName };
}
