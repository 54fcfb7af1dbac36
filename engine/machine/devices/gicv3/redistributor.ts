// GICR: one 128 KiB frame per CPU, in CPU order, from one MMIO window. RD_base
// holds control, identity and wake state; SGI_base holds the CPU's SGI and
// PPI state.

import type { MmioDevice } from '../../device';
import type { Gicv3 } from './gic';
import { laneMask, laneRead, laneValue, readBits, readConfig, writeBits, writeConfig, type BitRegister } from './irq-state';
import {
  GIC_IIDR,
  GIC_IDREGS,
  GIC_INTERNAL,
  GICR_CTLR,
  GICR_FRAME_SIZE,
  GICR_ICFGR0,
  GICR_ICFGR1,
  GICR_ID_BYTES,
  GICR_IGROUPR0,
  GICR_IIDR,
  GICR_IPRIORITYR0,
  GICR_SGI_OFFSET,
  GICR_TYPER,
  GICR_TYPER_LAST,
  GICR_WAKER,
  GICR_WAKER_CHILDREN_ASLEEP,
  GICR_WAKER_PROCESSOR_SLEEP,
} from './registers';

const BIT_REGISTERS: readonly BitRegister[] = ['group', 'set-enable', 'clear-enable', 'set-pending', 'clear-pending', 'set-active', 'clear-active'];

export interface GicRedistributorSnapshot {
  readonly waker: number;
  readonly typer: bigint;
}

export class GicRedistributors implements MmioDevice {
  readonly name = 'gicv3-redistributors';
  /** ProcessorSleep per CPU; ChildrenAsleep follows it at once. */
  private readonly sleep: Uint8Array;

  constructor(private readonly gic: Gicv3) {
    this.sleep = new Uint8Array(gic.cpuCount);
  }

  /** The window the frames fill. */
  get size(): number {
    return this.gic.cpuCount * GICR_FRAME_SIZE;
  }

  reset(): void {
    this.sleep.fill(1);
  }

  /** GICR_TYPER of `cpu`: affinity in [63:32], Processor_Number, and Last on the final frame. */
  typer(cpu: number): bigint {
    const last = cpu === this.gic.cpuCount - 1 ? GICR_TYPER_LAST : 0;
    return (BigInt(this.gic.affinityOf(cpu) >>> 0) << 32n) | BigInt(((cpu << 8) | last) >>> 0);
  }

  read(offset: number, size: 1 | 2 | 4): number {
    const cpu = Math.floor(offset / GICR_FRAME_SIZE);
    if (cpu >= this.gic.cpuCount) return 0;
    const off = offset % GICR_FRAME_SIZE;
    if (off >= GICR_SGI_OFFSET + GICR_IPRIORITYR0 && off < GICR_SGI_OFFSET + GICR_IPRIORITYR0 + GIC_INTERNAL) {
      const bank = this.gic.banks[cpu]!;
      let v = 0;
      for (let i = 0; i < size; i++) {
        const id = off - GICR_SGI_OFFSET - GICR_IPRIORITYR0 + i;
        if (id < GIC_INTERNAL) v |= bank.priority[id]! << (8 * i);
      }
      return v >>> 0;
    }
    return laneRead(off, this.read32(cpu, off & ~3), size);
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const cpu = Math.floor(offset / GICR_FRAME_SIZE);
    if (cpu >= this.gic.cpuCount) return;
    const off = offset % GICR_FRAME_SIZE;
    const bank = this.gic.banks[cpu]!;
    if (off >= GICR_SGI_OFFSET + GICR_IPRIORITYR0 && off < GICR_SGI_OFFSET + GICR_IPRIORITYR0 + GIC_INTERNAL) {
      for (let i = 0; i < size; i++) {
        const id = off - GICR_SGI_OFFSET - GICR_IPRIORITYR0 + i;
        if (id < GIC_INTERNAL) bank.priority[id] = (value >>> (8 * i)) & 0xff;
      }
      this.gic.update();
      return;
    }
    const word = off & ~3;
    const mask = laneMask(off, size);
    const v = laneValue(off, value, size);
    if (word === GICR_WAKER) {
      if (mask & 0xff) this.sleep[cpu] = v & GICR_WAKER_PROCESSOR_SLEEP ? 1 : 0;
      return;
    }
    if (word < GICR_SGI_OFFSET) return;
    const sgi = word - GICR_SGI_OFFSET;
    if (sgi >= GICR_IGROUPR0 && sgi < GICR_IGROUPR0 + 7 * 0x80 && (sgi & 0x7f) === 0) {
      writeBits(bank, BIT_REGISTERS[(sgi - GICR_IGROUPR0) >>> 7]!, 0, v, mask);
    } else if (sgi === GICR_ICFGR0 || sgi === GICR_ICFGR1) {
      writeConfig(bank, sgi === GICR_ICFGR0 ? 0 : 16, v, mask);
    } else return;
    this.gic.update();
  }

  snapshot(cpu: number): GicRedistributorSnapshot {
    return { waker: this.waker(cpu), typer: this.typer(cpu) };
  }

  private waker(cpu: number): number {
    return this.sleep[cpu] ? GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP : 0;
  }

  private read32(cpu: number, word: number): number {
    const bank = this.gic.banks[cpu]!;
    switch (word) {
      case GICR_CTLR:
        // No LPIs, so EnableLPIs stays zero.
        return 0;
      case GICR_IIDR:
        return GIC_IIDR;
      case GICR_TYPER:
        return Number(this.typer(cpu) & 0xffffffffn);
      case GICR_TYPER + 4:
        return Number(this.typer(cpu) >> 32n);
      case GICR_WAKER:
        return this.waker(cpu);
    }
    if (word >= GIC_IDREGS && word < GICR_SGI_OFFSET) return GICR_ID_BYTES[(word - GIC_IDREGS) >>> 2] ?? 0;
    if (word < GICR_SGI_OFFSET) return 0;
    const sgi = word - GICR_SGI_OFFSET;
    if (sgi >= GICR_IGROUPR0 && sgi < GICR_IGROUPR0 + 7 * 0x80 && (sgi & 0x7f) === 0) {
      return readBits(bank, BIT_REGISTERS[(sgi - GICR_IGROUPR0) >>> 7]!, 0);
    }
    if (sgi === GICR_ICFGR0) return readConfig(bank, 0);
    if (sgi === GICR_ICFGR1) return readConfig(bank, 16);
    return 0;
  }
}
