// MemorySet (src/memory/mm.rs): a zone's guest-physical regions and the
// stage-2 table that maps them.

import { HvErrno, PAGE_SIZE } from './consts';
import type { Stage2Table } from './arch/hv-arch';

export interface MemoryRegion {
  /** Guest physical start. */
  readonly start: number;
  readonly size: number;
  readonly flags: number;
  /** Host physical start (hvisor's Offset mapper: hpa = gpa - offset). */
  readonly hpa: number;
}

/** An error hvisor returns to its caller as -errno. */
export class HvError extends Error {
  constructor(readonly errno: number, message: string) {
    super(message);
  }
}

/** A failure hvisor unwraps: the model stops the CPU with this reason. */
export class HvPanic extends Error {}

export class MemorySet {
  readonly regions: MemoryRegion[] = [];

  constructor(readonly pt: Stage2Table) {}

  insert(region: MemoryRegion): void {
    if (region.start % PAGE_SIZE || region.hpa % PAGE_SIZE || region.size % PAGE_SIZE) {
      throw new HvError(HvErrno.EINVAL, `region 0x${region.start.toString(16)}+0x${region.size.toString(16)} is not page aligned`);
    }
    if (region.size === 0) return;
    for (const r of this.regions) {
      if (region.start < r.start + r.size && r.start < region.start + region.size) {
        throw new HvError(HvErrno.EINVAL, `region 0x${region.start.toString(16)}+0x${region.size.toString(16)} overlaps 0x${r.start.toString(16)}+0x${r.size.toString(16)}`);
      }
    }
    this.pt.map(region.start, region.hpa, region.size, region.flags);
    this.regions.push(region);
    this.regions.sort((a, b) => a.start - b.start);
  }
}
