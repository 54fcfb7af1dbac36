// Why the hypervisor stopped the machine or a CPU.

export interface HvStop {
  readonly kind: 'poweroff' | 'panic';
  readonly cpu: number;
  readonly reason: string;
}
