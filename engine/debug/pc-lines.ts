// The C line an address of a CPU is on, from the DWARF of the image the
// address translates into: the line entry's file, line and address range,
// what a line step steps through; and where the function there starts its
// body, past the prologue, where a step into a call stops; and the code of
// the inlined call it is in, which a step out leaves.

import type { Engine } from '../api';
import { fileLines, lineOfPc, type LineAtPc } from '../dwarf/file-lines';
import { imageAt } from './call-stack';
import { bodyStart, scopesAt } from './line-binding';
import { DW_TAG } from '../dwarf/constants';
import type { AddressRange } from '../dwarf/ranges';

/** The line entry covering `pc` in `cpu`'s image, or undefined where no DWARF line covers it. */
export function lineEntryAt(e: Engine, cpu: number, pc: bigint): LineAtPc | undefined {
  const found = imageAt(e, cpu, pc);
  const unit = found?.info.unitAt(pc);
  return found && unit && lineOfPc(fileLines(found.info, unit), pc);
}

/** The address ranges of the inlined call `cpu`'s pc is innermost in, or undefined where it is in no inlined code. */
export function inlinedCodeAt(e: Engine, cpu: number): AddressRange[] | undefined {
  const pc = e.cpu(cpu).pc;
  const info = imageAt(e, cpu, pc)?.info;
  const unit = info?.unitAt(pc);
  if (!info || !unit) return undefined;
  const inner = scopesAt(info, unit, pc).filter((d) => d.tag === DW_TAG.subprogram || d.tag === DW_TAG.inlined_subroutine).at(-1);
  return inner?.tag === DW_TAG.inlined_subroutine ? info.ranges(unit, inner) : undefined;
}

/** The first address past the prologue of the function at `pc`, where its DWARF says. */
export function bodyStartAt(e: Engine, cpu: number, pc: bigint): bigint | undefined {
  const found = imageAt(e, cpu, pc);
  return found && bodyStart(found.info, pc);
}
