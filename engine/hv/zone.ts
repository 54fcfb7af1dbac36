// Zone (src/zone.rs): the unit of static partitioning: its CPUs, its
// guest-physical memory (gpm) and the interrupts it owns.

import { CpuSet } from './cpuset';
import type { RwLock } from './lock';
import type { MemorySet } from './memory-set';
import type { MmioHandler } from './mmio';

/** A trapped guest-physical window and the model's handler for it (src/memory/mmio.rs). */
export interface MmioConfig {
  readonly start: number;
  readonly size: number;
  readonly handlerName: string;
  /** Optional only until every registration goes through mmioRegionRegister. */
  readonly handler?: MmioHandler;
  readonly arg: number;
}

export class Zone {
  readonly mmio: MmioConfig[] = [];
  cpuNum = 0;
  readonly cpuSet: CpuSet;
  /** 1024 interrupt bits as 32 words, as hvisor keeps them. */
  readonly irqBitmap = new Uint32Array(32);
  isErr = false;

  /** The zone's RwLock: read for MMIO dispatch and activate_gpm, write for teardown. */
  constructor(readonly id: number, readonly name: string, readonly gpm: MemorySet, maxCpuNum: number, readonly lock: RwLock) {
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
