// The ICC_*_EL1 state of one CPU: priority mask, binary point, Group 1
// enable, EOI mode and the active-priority bitmap that gives the running
// priority. The CPU core calls these methods from its MRS/MSR.

import type { IrqLine } from '../../device';
import type { Gicv3 } from './gic';
import { BPR1_MIN, GIC_NUM_INTIDS, ICC_CTLR_CBPR, ICC_CTLR_EOIMODE, ICC_CTLR_RO, INTID_SPURIOUS, PRE_BITS, PRI_BITS } from './registers';

export interface GicCpuInterfaceSnapshot {
  readonly pmr: number;
  readonly bpr1: number;
  readonly igrpen1: boolean;
  readonly ctlr: number;
  /** ICC_AP1R0_EL1: bit n set while group priority n << 3 is active. */
  readonly ap1r0: number;
  readonly rpr: number;
  readonly irq: boolean;
}

/** The priority bits PMR keeps (the implemented ones). */
const PRIORITY_MASK = (0xff << (8 - PRI_BITS)) & 0xff;

export class GicCpuInterface {
  private pmr = 0;
  private bpr1 = BPR1_MIN;
  private igrpen1 = false;
  private ctlrBits = 0;
  private ap1r0 = 0;
  private irqLevel = false;

  constructor(
    private readonly gic: Gicv3,
    readonly cpu: number,
    private readonly irq: IrqLine,
  ) {}

  reset(): void {
    this.pmr = 0;
    this.bpr1 = BPR1_MIN;
    this.igrpen1 = false;
    this.ctlrBits = 0;
    this.ap1r0 = 0;
  }

  /** ICC_IAR1_EL1: acknowledge the highest-priority pending Group 1 interrupt that may preempt, else 1023. */
  readIar1(): number {
    const { intid, priority } = this.gic.highestPending(this.cpu);
    if (intid === INTID_SPURIOUS || !this.canPreempt(priority)) return INTID_SPURIOUS;
    this.ap1r0 |= 1 << ((priority & this.groupMask()) >>> (8 - PRE_BITS));
    this.gic.activate(this.cpu, intid);
    return intid;
  }

  /** ICC_EOIR1_EL1: drop the running priority; with EOImode 0 also deactivate `intid`. */
  writeEoir1(value: number): void {
    const intid = value & 0xffffff;
    if (intid >= GIC_NUM_INTIDS || this.ap1r0 === 0) return;
    this.ap1r0 &= this.ap1r0 - 1;
    if (!(this.ctlrBits & ICC_CTLR_EOIMODE)) this.gic.deactivate(this.cpu, intid);
    else this.gic.update();
  }

  /** ICC_DIR_EL1: deactivate `intid`; only meaningful with EOImode 1. */
  writeDir(value: number): void {
    if (!(this.ctlrBits & ICC_CTLR_EOIMODE)) return;
    this.gic.deactivate(this.cpu, value & 0xffffff);
  }

  /** ICC_HPPIR1_EL1: what an acknowledge would look at, ignoring the masks. */
  readHppir1(): number {
    return this.groupEnabled() ? this.gic.highestPending(this.cpu).intid : INTID_SPURIOUS;
  }

  /** ICC_RPR_EL1. */
  readRpr(): number {
    return this.ap1r0 === 0 ? 0xff : (31 - Math.clz32(this.ap1r0 & -this.ap1r0)) << (8 - PRE_BITS);
  }

  readPmr(): number {
    return this.pmr;
  }

  writePmr(value: number): void {
    this.pmr = value & PRIORITY_MASK;
    this.refresh();
  }

  readBpr1(): number {
    return this.bpr1;
  }

  writeBpr1(value: number): void {
    this.bpr1 = Math.max(value & 7, BPR1_MIN);
    this.refresh();
  }

  readIgrpen1(): number {
    return this.igrpen1 ? 1 : 0;
  }

  writeIgrpen1(value: number): void {
    this.igrpen1 = (value & 1) !== 0;
    this.refresh();
  }

  /** ICC_CTLR_EL1: CBPR and EOImode, plus the read-only PRIbits/IDbits/A3V fields. */
  readCtlr(): number {
    return this.ctlrBits | ICC_CTLR_RO;
  }

  writeCtlr(value: number): void {
    this.ctlrBits = value & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE);
  }

  readAp1r0(): number {
    return this.ap1r0 >>> 0;
  }

  writeAp1r0(value: number): void {
    this.ap1r0 = value >>> 0;
    this.refresh();
  }

  /**
   * ICC_SGI1R_EL1: SGI INTID [27:24] to the CPUs of Aff3.Aff2.Aff1 [55:48,39:32,23:16]
   * whose Aff0 is RS*16 + a set bit of TargetList [15:0] (RS in [47:44]); IRM [40]
   * sends to every CPU but this one instead.
   */
  writeSgi1r(value: bigint): void {
    const v = BigInt.asUintN(64, value);
    const intid = Number((v >> 24n) & 0xfn);
    if ((v >> 40n) & 1n) {
      for (let t = 0; t < this.gic.cpuCount; t++) if (t !== this.cpu) this.gic.raiseSgi(t, intid);
    } else {
      const upper = (Number((v >> 48n) & 0xffn) << 24) | (Number((v >> 32n) & 0xffn) << 16) | (Number((v >> 16n) & 0xffn) << 8);
      const rs = Number((v >> 44n) & 0xfn);
      const list = Number(v & 0xffffn);
      for (let bit = 0; bit < 16; bit++) {
        if (!((list >>> bit) & 1)) continue;
        const target = this.gic.cpuWithAffinity((upper | (rs * 16 + bit)) >>> 0);
        if (target >= 0) this.gic.raiseSgi(target, intid);
      }
    }
    this.gic.update();
  }

  /** Re-evaluate the IRQ line (called by the GIC after every state change). */
  refresh(): void {
    const { intid, priority } = this.gic.highestPending(this.cpu);
    const level = intid !== INTID_SPURIOUS && this.canPreempt(priority);
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }

  snapshot(): GicCpuInterfaceSnapshot {
    return {
      pmr: this.pmr,
      bpr1: this.bpr1,
      igrpen1: this.igrpen1,
      ctlr: this.readCtlr(),
      ap1r0: this.ap1r0 >>> 0,
      rpr: this.readRpr(),
      irq: this.irqLevel,
    };
  }

  private groupEnabled(): boolean {
    return this.igrpen1;
  }

  /** Group priority bits under BPR1: bits [7:BPR1]. */
  private groupMask(): number {
    return (0xff << this.bpr1) & 0xff;
  }

  /** Below PMR, and its group priority above (numerically below) the running priority. */
  private canPreempt(priority: number): boolean {
    if (!this.groupEnabled() || priority >= this.pmr) return false;
    const running = this.readRpr();
    if (running === 0xff) return true;
    const mask = this.groupMask();
    return (priority & mask) < (running & mask);
  }
}
