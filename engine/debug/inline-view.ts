// The frame a line step is in, as gdb identifies it where calls are
// inlined: the real frame's CFA and which of the inlined calls in it (or
// the function they are inlined into) is the frame shown. At the first instruction of an inlined call the stop shows the
// function it is inlined into, at the call's line, until a step into enters
// it (inlinedCallsStartingAt).

import type { Engine } from '../api';
import { guestCallStack, imageAt } from './call-stack';
import { functionLevels, inlinedCallsStartingAt, type FunctionLevel } from './inlined-frames';
import { lineEntryAt } from './pc-lines';

export interface InlineView {
  /** The CFA of the real frame the pc is in. */
  readonly cfa: bigint | undefined;
  /** How many of the innermost of them start at the pc, hidden at a stop there. */
  readonly starting: number;
  /** The function levels, innermost first: the pc's line, then each call's (functionLevels). */
  readonly levels: readonly FunctionLevel[];
}

/** A frame as shown: the CFA of its real frame and the DWARF scope of its level (its subprogram or inlined call). */
export interface ShownFrame {
  readonly cfa: bigint | undefined;
  readonly scope: number | undefined;
}

export const sameFrame = (a: ShownFrame, b: ShownFrame): boolean => a.cfa === b.cfa && a.scope === b.scope;

/** The frame shown with the innermost `hidden` levels of `view` hidden. */
export function shownFrame(view: InlineView | undefined, hidden: number): ShownFrame {
  return { cfa: view?.cfa, scope: view?.levels[hidden]?.scope };
}

/** Whether the level shown (with `hidden` hidden) is an inlined call made, directly or through others, from `frame`'s level. */
export function inlinedFrom(view: InlineView | undefined, hidden: number, frame: ShownFrame): boolean {
  if (!view?.levels[hidden]?.inlined || view.cfa !== frame.cfa) return false;
  return view.levels.slice(hidden + 1).some((l) => l.scope === frame.scope);
}

/** The inlined calls at `cpu`'s pc, or undefined where no DWARF function covers it. */
export function inlineViewAt(e: Engine, cpu: number): InlineView | undefined {
  const pc = e.cpu(cpu).pc;
  const info = imageAt(e, cpu, pc)?.info;
  const entry = lineEntryAt(e, cpu, pc);
  const levels = info && functionLevels(info, pc, { file: entry?.file, line: entry?.line });
  if (!info || !levels) return undefined;
  return { cfa: guestCallStack(e, cpu, 1).frames[0]?.cfa, starting: inlinedCallsStartingAt(info, pc), levels };
}
