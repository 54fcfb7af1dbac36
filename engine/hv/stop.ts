// Why the hypervisor stopped the machine or a CPU.

export interface HvStop {
  readonly kind: 'poweroff' | 'panic';
  readonly cpu: number;
  readonly reason: string;
  /** The CPU's hypervisor frames when it stopped, outermost first. */
  readonly frames: readonly string[];
}
