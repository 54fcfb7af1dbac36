// The functions inlined at an address: where the pc is inside
// DW_TAG_inlined_subroutine, the call stack shows the inlined function as a
// frame of its own above the function it is inlined into, whose line is the
// call site (DW_AT_call_file, DW_AT_call_line), as gdb's backtrace does.
// These frames share the registers of the real frame they are in.

import { DW_AT, DW_TAG } from '../dwarf/constants';
import type { DebugInfo } from '../dwarf/debug-info';
import type { Die, Unit } from '../dwarf/info';
import { attribute } from '../dwarf/scopes';
import { scopesAt } from './line-binding';

export interface FunctionLevel {
  /** The .debug_info offset of the subprogram or inlined_subroutine DIE: the scope of the level's locals. */
  readonly scope: number;
  readonly function: string | undefined;
  readonly file: string | undefined;
  readonly line: number | undefined;
  /** An inlined call, inside the real frame of the level below it. */
  readonly inlined: boolean;
}

/**
 * The function levels at `at` (the pc, or a caller's pc - 1), innermost
 * first: each inlined call, then the function they are all in. The innermost
 * stands at `where`; each outer level at the call of the one inside it.
 * Undefined where no DWARF function covers the address.
 */
export function functionLevels(info: DebugInfo, at: bigint, where: { file: string | undefined; line: number | undefined }): FunctionLevel[] | undefined {
  const unit = info.unitAt(at);
  if (!unit) return undefined;
  const chain = scopesAt(info, unit, at).filter((d) => d.tag === DW_TAG.subprogram || d.tag === DW_TAG.inlined_subroutine);
  if (chain.length === 0) return undefined;
  const levels: FunctionLevel[] = [];
  let file = where.file;
  let line = where.line;
  for (let i = chain.length - 1; i >= 0; i--) {
    const die = chain[i]!;
    levels.push({ scope: die.offset, function: nameOf(info, die), file, line, inlined: die.tag === DW_TAG.inlined_subroutine });
    file = callFile(info, unit, die);
    line = constant(die, DW_AT.call_line);
  }
  return levels;
}

function nameOf(info: DebugInfo, die: Die): string | undefined {
  const a = attribute(info, die, DW_AT.name);
  return a && info.guard('name', () => a.unit.string(a.value), undefined);
}

function constant(die: Die, at: number): number | undefined {
  const v = die.attributes.get(at);
  return v?.kind === 'constant' ? Number(v.value) : undefined;
}

/** The file an inlined call is made from, by the unit's line-table file index. */
function callFile(info: DebugInfo, unit: Unit, die: Die): string | undefined {
  const index = constant(die, DW_AT.call_file);
  return index === undefined ? undefined : info.lineTable(unit)?.file(index);
}

/**
 * How many of the innermost inlined calls at `pc` a stop there shows as
 * their call rather than as their code: those whose code starts at `pc`,
 * at their entry (the start of their first range) or where the address
 * before is outside them, as gdb does. A step into shows them one by one.
 */
export function inlinedCallsStartingAt(info: DebugInfo, pc: bigint): number {
  const unit = info.unitAt(pc);
  if (!unit) return 0;
  const chain = scopesAt(info, unit, pc).filter((d) => d.tag === DW_TAG.subprogram || d.tag === DW_TAG.inlined_subroutine);
  let starting = 0;
  for (let i = chain.length - 1; i >= 0 && chain[i]!.tag === DW_TAG.inlined_subroutine; i--) {
    const ranges = info.ranges(unit, chain[i]!);
    const entry = ranges[0]?.[0] === pc;
    if (!entry && ranges.some(([a, b]) => pc - 1n >= a && pc - 1n < b)) break;
    starting++;
  }
  return starting;
}
