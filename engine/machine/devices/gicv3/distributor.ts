// GICD: global control and the SPIs' state. With affinity routing on, the
// registers for INTIDs 0-31 read as zero here (the redistributors hold them).

import type { MmioDevice } from '../../device';
import type { Gicv3 } from './gic';
import { laneMask, laneRead, laneValue, readBits, readConfig, writeBits, writeConfig, type BitRegister } from './irq-state';
import {
  GIC_IIDR,
  GIC_IDREGS,
  GIC_INTERNAL,
  GIC_NUM_INTIDS,
  GICD_CTLR,
  GICD_CTLR_EN_GRP0,
  GICD_CTLR_EN_GRP1,
  GICD_ICFGR,
  GICD_ID_BYTES,
  GICD_IGROUPR,
  GICD_IIDR,
  GICD_IPRIORITYR,
  GICD_IROUTER,
  GICD_SIZE,
  GICD_TYPER,
} from './registers';

/** The 1-bit registers from IGROUPR to ICACTIVER, 0x80 bytes apart. */
const BIT_REGISTERS: readonly BitRegister[] = ['group', 'set-enable', 'clear-enable', 'set-pending', 'clear-pending', 'set-active', 'clear-active'];

export class GicDistributor implements MmioDevice {
  readonly name = 'gicv3-distributor';

  constructor(private readonly gic: Gicv3) {}

  /**
   * ITLinesNumber = 31 (1020 INTIDs), CPUNumber, IDbits = 16, A3V, and No1N:
   * an SPI goes only to the CPU its IROUTER names.
   */
  typer(): number {
    const cpus = Math.min(this.gic.cpuCount, 8) - 1;
    return ((1 << 25) | (1 << 24) | (15 << 19) | (cpus << 5) | 31) >>> 0;
  }

  read(offset: number, size: 1 | 2 | 4): number {
    if (offset >= GICD_SIZE) return 0;
    if (offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + GIC_NUM_INTIDS) {
      let v = 0;
      for (let i = 0; i < size; i++) {
        const id = offset - GICD_IPRIORITYR + i;
        if (id >= GIC_INTERNAL && id < GIC_NUM_INTIDS) v |= this.gic.shared.priority[id]! << (8 * i);
      }
      return v >>> 0;
    }
    return laneRead(offset, this.read32(offset & ~3), size);
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (offset >= GICD_SIZE) return;
    if (offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + GIC_NUM_INTIDS) {
      for (let i = 0; i < size; i++) {
        const id = offset - GICD_IPRIORITYR + i;
        if (id >= GIC_INTERNAL && id < GIC_NUM_INTIDS) this.gic.shared.priority[id] = (value >>> (8 * i)) & 0xff;
      }
      this.gic.update();
      return;
    }
    const word = offset & ~3;
    const mask = laneMask(offset, size);
    const v = laneValue(offset, value, size);
    if (word === GICD_CTLR) {
      // ARE and DS are fixed at one; only the group enables are writable.
      if (mask & 0xff) this.gic.ctlr = (this.gic.ctlr & ~(GICD_CTLR_EN_GRP0 | GICD_CTLR_EN_GRP1)) | (v & (GICD_CTLR_EN_GRP0 | GICD_CTLR_EN_GRP1));
    } else if (word >= GICD_IGROUPR && word < GICD_IGROUPR + 7 * 0x80) {
      const reg = BIT_REGISTERS[(word - GICD_IGROUPR) >>> 7]!;
      const base = ((word - GICD_IGROUPR) & 0x7f) * 8;
      if (base < GIC_INTERNAL) return;
      writeBits(this.gic.shared, reg, base, v, mask);
    } else if (word >= GICD_ICFGR && word < GICD_ICFGR + 0x100) {
      const base = (word - GICD_ICFGR) * 4;
      if (base < GIC_INTERNAL) return;
      writeConfig(this.gic.shared, base, v, mask);
    } else if (word >= GICD_IROUTER && word < GICD_IROUTER + 8 * GIC_NUM_INTIDS) {
      const id = (word - GICD_IROUTER) >>> 3;
      if (id < GIC_INTERNAL) return;
      const old = this.gic.routes[id]!;
      // Low word: Aff2.Aff1.Aff0 (IRM is RAZ/WI, as No1N says). High word: Aff3.
      if (word & 4) this.gic.routes[id] = ((old & 0x00ffffff) | ((v & mask & 0xff) << 24)) >>> 0;
      else this.gic.routes[id] = ((old & ~(mask & 0x00ffffff)) | (v & mask & 0x00ffffff)) >>> 0;
    } else return;
    this.gic.update();
  }

  private read32(word: number): number {
    if (word === GICD_CTLR) return this.gic.ctlr;
    if (word === GICD_TYPER) return this.typer();
    if (word === GICD_IIDR) return GIC_IIDR;
    if (word >= GICD_IGROUPR && word < GICD_IGROUPR + 7 * 0x80) {
      const reg = BIT_REGISTERS[(word - GICD_IGROUPR) >>> 7]!;
      const base = ((word - GICD_IGROUPR) & 0x7f) * 8;
      return base < GIC_INTERNAL ? 0 : readBits(this.gic.shared, reg, base);
    }
    if (word >= GICD_ICFGR && word < GICD_ICFGR + 0x100) {
      const base = (word - GICD_ICFGR) * 4;
      return base < GIC_INTERNAL ? 0 : readConfig(this.gic.shared, base);
    }
    if (word >= GICD_IROUTER && word < GICD_IROUTER + 8 * GIC_NUM_INTIDS) {
      const id = (word - GICD_IROUTER) >>> 3;
      if (id < GIC_INTERNAL) return 0;
      const route = this.gic.routes[id]!;
      return word & 4 ? route >>> 24 : route & 0x00ffffff;
    }
    if (word >= GIC_IDREGS) return GICD_ID_BYTES[(word - GIC_IDREGS) >>> 2] ?? 0;
    return 0;
  }
}
