// Where a breakpoint on a C source line binds in one image's DWARF, as
// gdb's "break FILE:N" places its locations: every statement start of line
// N in every unit that has the file (the nearest later line with code when N
// has none), one per lexical block (a line split into several ranges of one
// block stops once), and a location at a function's entry moved past its
// prologue, where the function's arguments are in place.

import { DW_AT, DW_TAG } from '../dwarf/constants';
import type { DebugInfo } from '../dwarf/debug-info';
import { fileLines, lineOfPc, type FileLine } from '../dwarf/file-lines';
import type { Die, Unit } from '../dwarf/info';

export interface LineLocation {
  readonly address: bigint;
  /** The line the location really stops at. */
  readonly line: number;
}

interface Candidate {
  readonly unit: Unit;
  readonly address: bigint;
}

/** Every location of a breakpoint on `line` of the file `matches` accepts, lowest unit first. */
export function bindLine(info: DebugInfo, matches: (file: string) => boolean, line: number): LineLocation[] {
  const tables: { unit: Unit; lines: ReadonlyMap<string, readonly FileLine[]>; list: readonly FileLine[] }[] = [];
  // Only the units whose file table names the file run their line programs.
  for (const unit of info.units()) {
    if (!info.lineFiles(unit).some(matches)) continue;
    const lines = fileLines(info, unit);
    for (const [file, list] of lines) if (matches(file)) tables.push({ unit, lines, list });
  }
  const exact = (n: number): Candidate[] => tables.flatMap(({ unit, list }) => list.filter((e) => e.isStmt && e.line === n).map((e) => ({ unit, address: e.address })));
  let at = line;
  let found = exact(at);
  if (found.length === 0) {
    let next: number | undefined;
    for (const { list } of tables) for (const e of list) if (e.isStmt && e.line > line && (next === undefined || e.line < next)) next = e.line;
    if (next === undefined) return [];
    at = next;
    found = exact(at);
  }
  // One location per block: the first (lowest) of the starts that share one.
  const seen = new Set<Die>();
  const out: LineLocation[] = [];
  for (const c of found) {
    const scopes = scopesAt(info, c.unit, c.address);
    const block = scopes.at(-1);
    if (block) {
      if (seen.has(block)) continue;
      seen.add(block);
    }
    const fn = scopes.find((d) => d.tag === DW_TAG.subprogram);
    const lines = tables.find((t) => t.unit === c.unit)!.lines;
    const located = fn ? pastPrologue(info, c.unit, fn, lines, { address: c.address, line: at }) : { address: c.address, line: at };
    if (!out.some((o) => o.address === located.address)) out.push(located);
  }
  return out;
}

/** A location at or before the end of its function's prologue moves to that end, and takes the line found there. */
function pastPrologue(info: DebugInfo, unit: Unit, fn: Die, lines: ReadonlyMap<string, readonly FileLine[]>, at: LineLocation): LineLocation {
  const ranges = info.ranges(unit, fn);
  const first = ranges[0];
  if (!first) return at;
  const end = ranges.reduce((m, [, b]) => (b > m ? b : m), first[1]);
  const body = prologueEnd(info, unit, first[0], end, lines, true);
  if (body <= at.address) return at;
  return { address: body, line: lineOfPc(lines, body)?.line ?? at.line };
}

/** The first address past the prologue of the function `pc` is in, where the DWARF describes it. */
export function bodyStart(info: DebugInfo, pc: bigint): bigint | undefined {
  const unit = info.unitAt(pc);
  const fn = unit && scopesAt(info, unit, pc).find((d) => d.tag === DW_TAG.subprogram);
  const ranges = fn ? info.ranges(unit, fn) : [];
  const first = ranges[0];
  if (!unit || !first) return undefined;
  const end = ranges.reduce((m, [, b]) => (b > m ? b : m), first[1]);
  return prologueEnd(info, unit, first[0], end, fileLines(info, unit), false);
}

/**
 * The first address of a function's body after its prologue. With
 * `trustLocations`, optimized GCC code whose variables have location lists
 * (they describe the variables from the entry on) has none to skip; a
 * breakpoint trusts them, a step into the function does not.
 */
function prologueEnd(info: DebugInfo, unit: Unit, entry: bigint, end: bigint, lines: ReadonlyMap<string, readonly FileLine[]>, trustLocations: boolean): bigint {
  // The compiler's own mark, where it gives one.
  let marked: bigint | undefined;
  for (const list of lines.values()) {
    for (const e of list) if (e.prologueEnd && e.address >= entry && e.address < end && (marked === undefined || e.address < marked)) marked = e.address;
  }
  if (marked !== undefined) return marked;
  if (trustLocations && isGcc(info, unit) && hasLocationLists(info, unit)) return entry;
  const start = lineOfPc(lines, entry);
  if (!start || start.end === undefined) return entry;
  // Two lines starting at the entry: the function has no prologue of its own.
  for (const list of lines.values()) {
    const atEntry = list.filter((e) => e.address === entry && e.line !== 0);
    if (atEntry.length > 1) return entry;
  }
  // The prologue is the entry's line, and any lines after it numbered lower (code the scheduler moved into it).
  let prologue = start;
  while (prologue.end !== undefined && prologue.end < end) {
    const next = lineOfPc(lines, prologue.end);
    if (!next || next.line >= start.line || next.end === undefined) break;
    prologue = next;
  }
  if (prologue.end === undefined || prologue.end >= end) return entry;
  return prologue.end;
}

const producers = new WeakMap<Unit, boolean>();

function isGcc(info: DebugInfo, unit: Unit): boolean {
  let gcc = producers.get(unit);
  if (gcc === undefined) {
    const top = info.top(unit);
    const producer = top && info.guard('producer', () => unit.text(top, DW_AT.producer), undefined);
    gcc = producer !== undefined && /^GNU /.test(producer) && !/^GNU AS/.test(producer);
    producers.set(unit, gcc);
  }
  return gcc;
}

const locationLists = new WeakMap<Unit, boolean>();

/** Whether any variable or frame base of the unit is a location list. */
function hasLocationLists(info: DebugInfo, unit: Unit): boolean {
  let has = locationLists.get(unit);
  if (has === undefined) {
    has = false;
    const stack: Die[] = [...(info.root(unit)?.children ?? [])];
    while (stack.length && !has) {
      const die = stack.pop()!;
      for (const at of [DW_AT.location, DW_AT.frame_base]) {
        const v = die.attributes.get(at);
        if (v && (v.kind === 'offset' || v.kind === 'loclistx')) has = true;
      }
      stack.push(...die.children);
    }
    locationLists.set(unit, has);
  }
  return has;
}

/**
 * The scopes of the unit that cover `pc`, outermost first: the function, the
 * inlined calls and the lexical blocks that declare something.
 */
export function scopesAt(info: DebugInfo, unit: Unit, pc: bigint): Die[] {
  const out: Die[] = [];
  let level: readonly Die[] = info.root(unit)?.children ?? [];
  for (;;) {
    const inside = level.find((d) => isScope(d) && info.ranges(unit, d).some(([a, b]) => pc >= a && pc < b));
    if (!inside) return out;
    if (inside.tag !== DW_TAG.lexical_block || inside.children.some((c) => c.tag === DW_TAG.variable)) out.push(inside);
    level = inside.children;
  }
}

function isScope(d: Die): boolean {
  return d.tag === DW_TAG.subprogram || d.tag === DW_TAG.inlined_subroutine || d.tag === DW_TAG.lexical_block;
}
