// Time is the instruction count: the generic timer's counter runs at QEMU
// virt's 62.5 MHz and a CPU retires 100 million instructions a second, so
// every 8 cycles (instructions retired plus time asleep in WFI) are 5 ticks.

export const ticksAt = (cycles: number): number => Math.floor((cycles * 5) / 8);

/** First cycle count at which the counter reaches `ticks`. */
export const cyclesForTicks = (ticks: number): number => (ticks <= 0 ? 0 : Math.ceil((ticks * 8) / 5));
