// The global exclusive monitor of a board: which physical granule each CPU
// holds an exclusive reservation on (LDXR/LDAXR/LDXP). Any store to a
// reserved granule, by another CPU or by the holder itself, clears that
// reservation, so a later STXR fails; `count` lets stores skip the check when
// nobody holds one.

/** Reservation granule: CTR_EL0.ERG = 4, i.e. 16 words. */
export const EXCLUSIVE_GRANULE = 64;

export class ExclusiveMonitor {
  count = 0;
  /** Granule base per CPU id, or -1. */
  private readonly granules: number[] = [];
  private readonly holders = new Set<number>();

  reserve(cpu: number, pa: number): void {
    this.granules[cpu] = pa - (pa % EXCLUSIVE_GRANULE);
    this.holders.add(cpu);
    this.count = this.holders.size;
  }

  /** Whether `cpu` still holds a reservation covering `pa`. */
  holds(cpu: number, pa: number): boolean {
    return this.holders.has(cpu) && this.granules[cpu] === pa - (pa % EXCLUSIVE_GRANULE);
  }

  /** CLREX, exception entry and return, and the end of every STXR. */
  release(cpu: number): void {
    if (this.holders.delete(cpu)) this.count = this.holders.size;
  }

  /** A store of `size` bytes at physical `pa`: every reservation it touches is lost. */
  clobber(pa: number, size: number): void {
    for (const cpu of this.holders) {
      const g = this.granules[cpu]!;
      if (g < pa + size && pa < g + EXCLUSIVE_GRANULE) this.holders.delete(cpu);
    }
    this.count = this.holders.size;
  }
}
