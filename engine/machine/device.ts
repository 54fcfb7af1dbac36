// What the physical address space dispatches to outside RAM.

/** A memory-mapped device. Offsets are relative to the device's base. */
export interface MmioDevice {
  readonly name: string;
  /** Read 1, 2 or 4 bytes (little-endian, zero-extended). 8-byte accesses arrive as two 4-byte ones. */
  read(offset: number, size: 1 | 2 | 4): number;
  write(offset: number, size: 1 | 2 | 4, value: number): void;
}

/** A device whose window can hold code, such as a flash in read-array mode. */
export interface FetchableDevice extends MmioDevice {
  /** The 32-bit word an instruction fetch at `offset` reads; undefined while the device cannot be executed from. */
  fetch32(offset: number): number | undefined;
}

/** An interrupt line into an interrupt controller or a hart. */
export interface IrqLine {
  set(level: boolean): void;
}

/** The instruction-count clock every device and timer runs on. */
export interface Clock {
  /** Machine time in timebase ticks (see TIMEBASE_HZ). */
  now(): number;
}
