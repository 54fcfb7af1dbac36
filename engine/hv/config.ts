// A zone's configuration, as hvisor's HvZoneConfig carries it (reference §5.1),
// in the form the model uses. The JSON reader and the binary encoder produce
// and consume this shape.

export const MemType = { ram: 0, io: 1, virtio: 2 } as const;
export type MemTypeName = keyof typeof MemType;

export interface HvConfigMemoryRegion {
  readonly memType: number;
  readonly physicalStart: number;
  readonly virtualStart: number;
  readonly size: number;
}

export interface HvZoneConfig {
  readonly zoneId: number;
  readonly name: string;
  /** Bitmap of logical CPU ids. */
  readonly cpus: bigint;
  readonly memoryRegions: readonly HvConfigMemoryRegion[];
  /** Interrupt numbers owned by the zone. */
  readonly interrupts: readonly number[];
  readonly entryPoint: number;
  readonly kernelLoadPaddr: number;
  readonly dtbLoadPaddr: number;
  readonly archConfig: { readonly plicBase: number; readonly plicSize: number; readonly aplicBase: number; readonly aplicSize: number };
}
