// Zone (src/zone.rs): the unit of static partitioning: its CPUs, its
// guest-physical memory (gpm) and the interrupts it owns.

import { CpuSet } from './cpuset';
import type { MemorySet } from './memory-set';

/** A trapped guest-physical window and the model's handler for it (src/memory/mmio.rs). */
export interface MmioConfig {
  readonly start: number;
  readonly size: number;
  readonly handlerName: string;
  readonly arg: number;
}

export class Zone {
  readonly mmio: MmioConfig[] = [];
  cpuNum = 0;
  readonly cpuSet: CpuSet;
  /** 1024 interrupt bits as 32 words, as hvisor keeps them. */
  readonly irqBitmap = new Uint32Array(32);
  isErr = false;

  constructor(readonly id: number, readonly name: string, readonly gpm: MemorySet, maxCpuNum: number) {
    this.cpuSet = new CpuSet(maxCpuNum);
  }

  irqInZone(irq: number): boolean {
    return ((this.irqBitmap[irq >>> 5]! >>> (irq & 31)) & 1) === 1;
  }

  /** The owned interrupt numbers, ascending. */
  irqs(): number[] {
    const out: number[] = [];
    for (let i = 0; i < 1024; i++) if (this.irqInZone(i)) out.push(i);
    return out;
  }
}
