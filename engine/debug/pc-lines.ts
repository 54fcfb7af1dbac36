// The C line an address of a CPU is on, from the DWARF of the image the
// address translates into: the line entry's file, line and address range,
// what a line step steps through; and where the function there starts its
// body, past the prologue, where a step into a call stops.

import type { Engine } from '../api';
import { fileLines, lineOfPc, type LineAtPc } from '../dwarf/file-lines';
import { imageAt } from './call-stack';
import { bodyStart } from './line-binding';

/** The line entry covering `pc` in `cpu`'s image, or undefined where no DWARF line covers it. */
export function lineEntryAt(e: Engine, cpu: number, pc: bigint): LineAtPc | undefined {
  const found = imageAt(e, cpu, pc);
  const unit = found?.info.unitAt(pc);
  return found && unit && lineOfPc(fileLines(found.info, unit), pc);
}

/** The first address past the prologue of the function at `pc`, where its DWARF says. */
export function bodyStartAt(e: Engine, cpu: number, pc: bigint): bigint | undefined {
  const found = imageAt(e, cpu, pc);
  return found && bodyStart(found.info, pc);
}
