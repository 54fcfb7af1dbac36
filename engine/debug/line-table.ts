// Address → source line for the loaded images' assembled sources: where a
// CPU stands in its .S file, for the stack view, line steps and disassembly.

import { lastAtOrBelow } from '../sorted';
import type { LoadedImage, SourceLine } from '../machine/loaders/image';
import type { SymbolHit } from '../machine/loaders/symbol-table';

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** How far above the nearest entry below it an address in the same symbol still counts as that entry's line. */
const LINE_REACH = 64;

export class LineTable {
  /** Every image's lines, by address. */
  readonly lines: readonly SourceLine[];

  constructor(images: readonly LoadedImage[], private readonly lookupSymbol: (address: number) => SymbolHit | undefined) {
    this.lines = images.flatMap((i) => i.lines).slice().sort((a, b) => a.address - b.address);
  }

  /** The entry for `pc`: exact, else the nearest below it within the same symbol. */
  at(pc: number): SourceLocation | undefined {
    const found = lastAtOrBelow(this.lines, pc, (l) => l.address);
    if (found < 0) return undefined;
    const l = this.lines[found]!;
    if (l.address !== pc) {
      const here = this.lookupSymbol(pc);
      const there = this.lookupSymbol(l.address);
      if (!here || !there || here.value !== there.value || pc - l.address > LINE_REACH) return undefined;
    }
    return { file: l.file, line: l.line };
  }

  /** The highest line-table address at or below `address`. */
  entryAtOrBelow(address: number): number | undefined {
    const found = lastAtOrBelow(this.lines, address, (l) => l.address);
    return found < 0 ? undefined : this.lines[found]!.address;
  }
}
