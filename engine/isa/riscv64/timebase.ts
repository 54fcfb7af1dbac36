// Time is the instruction count: the `time` CSR ticks once every
// CYCLES_PER_TICK cycles of the hart (retired instructions plus time asleep in
// WFI), which makes a nominal 100 MIPS hart against QEMU virt's 10 MHz timebase.

export const TIMEBASE_HZ = 10_000_000;
export const CYCLES_PER_TICK = 10;

export const ticksAt = (cycles: number): number => Math.floor(cycles / CYCLES_PER_TICK);

/** First cycle count at which the time reaches `ticks` (Infinity if never). */
export function cyclesForTicks(ticks: bigint): number {
  if (ticks >= 1n << 52n) return Infinity;
  if (ticks <= 0n) return 0;
  return Number(ticks) * CYCLES_PER_TICK;
}
