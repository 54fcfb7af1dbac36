// The DWARF of one ELF file behind one API that never throws: each piece is
// read on first use and cached, and malformed data becomes a message and
// "no source information" for the unit it belongs to.

import type { ElfImage } from '../machine/loaders/elf';
import { CallFrameInfo, type CfiRow, type CfiSection, type Fde } from './cfi';
import { DW_AT } from './constants';
import { readUnitHeaders, Unit, type Die } from './info';
import { lineProgramFiles, parseLineProgram, runLineProgram, type LineContext, type LineTable, type RowVisitor } from './line-program';
import { dieRanges, type AddressRange } from './ranges';
import { DwarfError } from './reader';
import { TypeReader } from './types';
import { elfSections, type DwarfSections } from './sections';

export class DebugInfo {
  private unitList: Unit[] | undefined;
  private readonly lineTables = new Map<Unit, LineTable | undefined>();
  private readonly unitRanges = new Map<Unit, AddressRange[]>();
  private readonly unitFiles = new Map<Unit, readonly string[]>();
  private readonly problems: string[] = [];
  private frameSections: CallFrameInfo[] | undefined;
  /** C types of every unit, resolved on demand. */
  readonly types = new TypeReader(this);

  constructor(
    readonly sections: DwarfSections,
    /** Prefixed to messages. */
    readonly fileName: string,
  ) {}

  static fromElf(elf: ElfImage): DebugInfo {
    return new DebugInfo(elfSections(elf), elf.fileName);
  }

  /** What could not be read so far, a line each, naming the file, section and offset. */
  get messages(): readonly string[] {
    return [...this.sections.messages, ...this.problems];
  }

  /** Runs `read`; a DwarfError becomes a message and `fallback`. */
  guard<T>(what: string, read: () => T, fallback: T): T {
    try {
      return read();
    } catch (e) {
      if (!(e instanceof DwarfError) && !(e instanceof RangeError)) throw e;
      this.note(`${what}: ${e.message}`);
      return fallback;
    }
  }

  private note(message: string): void {
    const line = `${this.fileName}: ${message}`;
    if (!this.problems.includes(line)) this.problems.push(line);
  }

  /** Every unit of .debug_info, by header only. */
  units(): readonly Unit[] {
    if (!this.unitList) {
      const info = this.sections.get('.debug_info');
      const found: string[] = [];
      this.unitList = info ? this.guard('.debug_info', () => readUnitHeaders(info, found), []).map((h) => new Unit(h, this.sections)) : [];
      for (const m of found) this.note(m);
    }
    return this.unitList;
  }

  /** The unit holding `offset` of .debug_info. */
  unitOf(offset: number): Unit | undefined {
    const units = this.units();
    let lo = 0;
    let hi = units.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (units[mid]!.header.offset <= offset) lo = mid + 1;
      else hi = mid;
    }
    const unit = units[lo - 1];
    return unit?.contains(offset) ? unit : undefined;
  }

  /** The DIE at `offset` of .debug_info, parsing its unit if need be. */
  dieAt(offset: number): { unit: Unit; die: Die } | undefined {
    const unit = this.unitOf(offset);
    if (!unit || !this.root(unit)) return undefined;
    const die = unit.dieAt(offset);
    return die && { unit, die };
  }

  /** The unit's root DIE, or undefined (with a message) when the unit cannot be read. */
  root(unit: Unit): Die | undefined {
    const root = this.guard(`unit at 0x${unit.header.offset.toString(16)}`, () => unit.root(), undefined);
    if (!root && unit.error) this.note(`${unit.error}; no source information for it`);
    return root;
  }

  /** The unit's root DIE without its children (cheap), or undefined (with a message) when the unit cannot be read. */
  top(unit: Unit): Die | undefined {
    const top = this.guard(`unit at 0x${unit.header.offset.toString(16)}`, () => unit.top(), undefined);
    if (!top && unit.error) this.note(`${unit.error}; no source information for it`);
    return top;
  }

  /** The unit's name (its primary source file). */
  unitName(unit: Unit): string | undefined {
    const root = this.top(unit);
    return root && this.guard('unit name', () => unit.text(root, DW_AT.name), undefined);
  }

  /** The unit's line table, or undefined (with a message) when it has none or it is malformed. */
  lineTable(unit: Unit): LineTable | undefined {
    if (this.lineTables.has(unit)) return this.lineTables.get(unit);
    const table = this.withLineProgram(unit, (bytes, offset, context) => parseLineProgram(bytes, offset, context));
    this.lineTables.set(unit, table);
    return table;
  }

  /**
   * Runs the unit's line program, handing each row to `visit` without keeping
   * the table (what a one-pass reader of every row wants); returns the file
   * names, or undefined (with a message) when there is no program or it is
   * malformed, in which case `visit` may have seen some rows.
   */
  visitLines(unit: Unit, visit: RowVisitor): Pick<LineTable, 'file'> | undefined {
    return this.withLineProgram(unit, (bytes, offset, context) => runLineProgram(bytes, offset, context, visit));
  }

  /** The paths of the unit's line-table file table, read from the program's header alone; empty when it has none. */
  lineFiles(unit: Unit): readonly string[] {
    let files = this.unitFiles.get(unit);
    if (!files) {
      files = this.withLineProgram(unit, (bytes, offset, context) => lineProgramFiles(bytes, offset, context)) ?? [];
      this.unitFiles.set(unit, files);
    }
    return files;
  }

  private withLineProgram<T>(unit: Unit, run: (bytes: Uint8Array, offset: number, context: LineContext) => T): T | undefined {
    const result = this.guard(
      `line program of the unit at 0x${unit.header.offset.toString(16)}`,
      () => {
        const root = unit.top();
        const stmt = root?.attributes.get(DW_AT.stmt_list);
        if (!root || !stmt) return undefined;
        if (stmt.kind !== 'offset' && stmt.kind !== 'constant') throw new DwarfError(`DW_AT_stmt_list has form ${stmt.kind}, not a section offset`);
        const bytes = this.sections.get('.debug_line');
        if (!bytes) throw new DwarfError('.debug_line is missing, but DW_AT_stmt_list refers to it');
        return run(bytes, Number(stmt.value), {
          compDir: unit.text(root, DW_AT.comp_dir),
          addressSize: unit.header.addressSize,
          string: (v) => unit.string(v),
        });
      },
      undefined,
    );
    if (unit.error) this.note(`${unit.error}; no source information for it`);
    return result;
  }

  /** The addresses a DIE covers; empty (with a message) when its ranges are malformed. */
  ranges(unit: Unit, die: Die): AddressRange[] {
    return this.guard(`ranges of the DIE at 0x${die.offset.toString(16)}`, () => dieRanges(unit, die, this.sections), []);
  }

  /** The call frame information of the file: .debug_frame first, then .eh_frame. */
  callFrames(): readonly CallFrameInfo[] {
    if (!this.frameSections) {
      this.frameSections = [];
      for (const name of ['.debug_frame', '.eh_frame'] as CfiSection[]) {
        const bytes = this.sections.get(name);
        if (bytes && bytes.length > 0) this.frameSections.push(new CallFrameInfo(bytes, name, this.sections.address(name), 8));
      }
    }
    return this.frameSections;
  }

  /** The CFI row covering `pc`, from the first section with an FDE for it; undefined (with a message when malformed) otherwise. */
  frameRowAt(pc: bigint): { fde: Fde; row: CfiRow } | undefined {
    for (const cfi of this.callFrames()) {
      const fde = this.guard(cfi.section, () => cfi.fdeFor(pc), undefined);
      for (const m of cfi.messages.splice(0)) this.note(m);
      if (!fde) continue;
      const table = this.guard(`FDE at 0x${fde.offset.toString(16)}`, () => cfi.table(fde), []);
      const row = table.find((r) => pc >= r.start && pc < r.end);
      return row && { fde, row };
    }
    return undefined;
  }

  /** The unit whose code covers `address`. */
  unitAt(address: bigint): Unit | undefined {
    for (const unit of this.units()) {
      let ranges = this.unitRanges.get(unit);
      if (!ranges) {
        const root = this.top(unit);
        ranges = root ? this.ranges(unit, root) : [];
        this.unitRanges.set(unit, ranges);
      }
      if (ranges.some(([a, b]) => address >= a && address < b)) return unit;
    }
    return undefined;
  }
}
