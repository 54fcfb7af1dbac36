// Address → source line for the loaded images: an assembled source's lines,
// kept whole (they are few), and an ELF's DWARF line tables, asked on
// demand (one unit's table indexed when an address in it is first looked
// up), so opening a large ELF reads no line program at all.

import { lastAtOrBelow } from '../sorted';
import { lineAt } from '../dwarf/line-at';
import { fileLines, lineOfPc } from '../dwarf/file-lines';
import type { DebugInfo } from '../dwarf/debug-info';
import type { LoadedImage, SourceLine } from '../machine/loaders/image';
import type { SymbolHit } from '../machine/loaders/symbol-table';

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** How far above the nearest entry below it an address in the same symbol still counts as that entry's line. */
const LINE_REACH = 64;

export class LineTable {
  /** The assembled images' lines, by address. */
  readonly lines: readonly SourceLine[];
  private readonly dwarf: readonly DebugInfo[];

  constructor(images: readonly LoadedImage[], private readonly lookupSymbol: (address: number) => SymbolHit | undefined) {
    this.lines = images.flatMap((i) => i.lines).slice().sort((a, b) => a.address - b.address);
    this.dwarf = images.flatMap((i) => (i.debugInfo ? [i.debugInfo] : []));
  }

  /**
   * The line of `pc` (a number is the 64-bit pattern as a signed number, as
   * the engine keeps addresses): the DWARF line covering it, else an
   * assembled line at it or just below it in the same symbol.
   */
  at(address: bigint | number): SourceLocation | undefined {
    const pc = Number(BigInt.asIntN(64, BigInt(address)));
    for (const info of this.dwarf) {
      const found = lineAt(info, BigInt.asUintN(64, BigInt(address)));
      if (found?.file !== undefined) return { file: found.file, line: found.line };
    }
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

  /** The highest line start at or below `address`: an instruction boundary. */
  entryAtOrBelow(address: number): number | undefined {
    let best: number | undefined;
    const found = lastAtOrBelow(this.lines, address, (l) => l.address);
    if (found >= 0) best = this.lines[found]!.address;
    const wide = BigInt.asUintN(64, BigInt(address));
    for (const info of this.dwarf) {
      const unit = info.unitAt(wide);
      const start = unit && lineOfPc(fileLines(info, unit), wide)?.start;
      if (start !== undefined && (best === undefined || Number(BigInt.asIntN(64, start)) > best)) best = Number(BigInt.asIntN(64, start));
    }
    return best;
  }
}
