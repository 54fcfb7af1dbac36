// The GICv3 virtual CPU interface of one CPU: the ICH_*_EL2 registers the
// hypervisor programs (list registers and control) and the ICV_*_EL1 view an
// EL1 guest gets when HCR_EL2.IMO sends its ICC accesses here. Its VIRQ line
// follows the list registers; its maintenance interrupt drives the CPU's PPI 25.

import type { IrqLine } from '../../device';
import type { Gicv3 } from './gic';
import {
  BPR0_MIN,
  BPR1_MIN,
  GIC_NUM_INTIDS,
  ICC_CTLR_RO,
  ICH_HCR_EN,
  ICH_HCR_EOICOUNT_SHIFT,
  ICH_HCR_LRENPIE,
  ICH_HCR_NPIE,
  ICH_HCR_UIE,
  ICH_HCR_VGRP0DIE,
  ICH_HCR_VGRP0EIE,
  ICH_HCR_VGRP1DIE,
  ICH_HCR_VGRP1EIE,
  ICH_HCR_WRITABLE,
  ICH_MISR_EOI,
  ICH_MISR_LRENP,
  ICH_MISR_NP,
  ICH_MISR_U,
  ICH_MISR_VGRP0D,
  ICH_MISR_VGRP0E,
  ICH_MISR_VGRP1D,
  ICH_MISR_VGRP1E,
  ICH_VMCR_VBPR0_SHIFT,
  ICH_VMCR_VBPR1_SHIFT,
  ICH_VMCR_VCBPR,
  ICH_VMCR_VENG0,
  ICH_VMCR_VENG1,
  ICH_VMCR_VEOIM,
  ICH_VMCR_VPMR_SHIFT,
  ICH_VMCR_WRITABLE,
  INTID_SPURIOUS,
  LR_EOI,
  LR_GROUP,
  LR_HW,
  LR_PINTID_MASK,
  LR_PINTID_SHIFT,
  LR_PRIORITY_SHIFT,
  LR_STATE_ACTIVE,
  LR_STATE_PENDING,
  LR_STATE_SHIFT,
  LR_WRITABLE,
  PPI_MAINTENANCE,
  PRE_BITS,
  PRI_BITS,
} from './registers';

/** One list register, decoded for the debugger. */
export interface ListRegisterView {
  readonly raw: bigint;
  readonly vintid: number;
  readonly pintid: number;
  readonly priority: number;
  readonly group: number;
  readonly hw: boolean;
  readonly pending: boolean;
  readonly active: boolean;
}

export interface GicVirtualInterfaceSnapshot {
  readonly hcr: number;
  readonly vmcr: number;
  readonly vtr: number;
  readonly misr: number;
  readonly elrsr: number;
  readonly eisr: number;
  readonly ap1r0: number;
  readonly lrs: readonly ListRegisterView[];
  readonly virq: boolean;
  readonly maintenance: boolean;
}

const lrState = (lr: bigint): number => Number((lr >> LR_STATE_SHIFT) & 3n);
const lrPriority = (lr: bigint): number => Number((lr >> LR_PRIORITY_SHIFT) & 0xffn);
const lrVintid = (lr: bigint): number => Number(lr & 0xffffn);

export class GicVirtualInterface {
  private hcr = 0;
  private vmcr = 0;
  private ap1r0 = 0;
  private readonly lrs: bigint[];
  private virqLevel = false;
  private maintenanceLevel = false;

  constructor(
    private readonly gic: Gicv3,
    readonly cpu: number,
    readonly listRegisterCount: number,
    private readonly virq: IrqLine,
    private readonly maintenanceObserver?: IrqLine,
  ) {
    if (!Number.isInteger(listRegisterCount) || listRegisterCount < 1 || listRegisterCount > 16) throw new RangeError(`${listRegisterCount} list registers is not in 1..16`);
    this.lrs = new Array<bigint>(listRegisterCount).fill(0n);
  }

  reset(): void {
    this.hcr = 0;
    this.vmcr = (BPR0_MIN << ICH_VMCR_VBPR0_SHIFT) | (BPR1_MIN << ICH_VMCR_VBPR1_SHIFT);
    this.ap1r0 = 0;
    this.lrs.fill(0n);
    this.update();
  }

  // ---- ICH_*_EL2, for the hypervisor ----

  readHcr(): number {
    return this.hcr >>> 0;
  }

  writeHcr(value: number): void {
    this.hcr = (value & ICH_HCR_WRITABLE) >>> 0;
    this.update();
  }

  /** ICH_VTR_EL2: ListRegs, PREbits, PRIbits, with A3V, nV4 and TDS set. */
  readVtr(): number {
    return ((this.listRegisterCount - 1) | (1 << 19) | (1 << 20) | (1 << 21) | ((PRE_BITS - 1) << 26) | ((PRI_BITS - 1) << 29)) >>> 0;
  }

  readVmcr(): number {
    return this.vmcr >>> 0;
  }

  /** Binary points below the minimum read back as the minimum. */
  writeVmcr(value: number): void {
    let v = value & ICH_VMCR_WRITABLE;
    const bpr0 = Math.max((v >>> ICH_VMCR_VBPR0_SHIFT) & 7, BPR0_MIN);
    const bpr1 = Math.max((v >>> ICH_VMCR_VBPR1_SHIFT) & 7, BPR1_MIN);
    v = (v & ~((7 << ICH_VMCR_VBPR0_SHIFT) | (7 << ICH_VMCR_VBPR1_SHIFT))) | (bpr0 << ICH_VMCR_VBPR0_SHIFT) | (bpr1 << ICH_VMCR_VBPR1_SHIFT);
    this.vmcr = v >>> 0;
    this.update();
  }

  readLr(n: number): bigint {
    return this.lrs[this.checkLr(n)]!;
  }

  writeLr(n: number, value: bigint): void {
    this.lrs[this.checkLr(n)] = BigInt.asUintN(64, value) & LR_WRITABLE;
    this.update();
  }

  readAp1r0(): number {
    return this.ap1r0 >>> 0;
  }

  writeAp1r0(value: number): void {
    this.ap1r0 = value >>> 0;
    this.update();
  }

  /** ICH_ELRSR_EL2: LRs that hold nothing and owe no EOI maintenance. */
  readElrsr(): number {
    let bits = 0;
    this.lrs.forEach((lr, i) => {
      if (lrState(lr) === 0 && (lr & LR_HW || !(lr & LR_EOI))) bits |= 1 << i;
    });
    return bits >>> 0;
  }

  /** ICH_EISR_EL2: LRs whose software interrupt was deactivated with EOI maintenance requested. */
  readEisr(): number {
    let bits = 0;
    this.lrs.forEach((lr, i) => {
      if (lrState(lr) === 0 && !(lr & LR_HW) && lr & LR_EOI) bits |= 1 << i;
    });
    return bits >>> 0;
  }

  readMisr(): number {
    const hcr = this.hcr;
    const vmcr = this.vmcr;
    let misr = 0;
    if (this.readEisr()) misr |= ICH_MISR_EOI;
    if (hcr & ICH_HCR_UIE) {
      // Underflow: at most one LR still holds an interrupt.
      const valid = this.lrs.filter((lr) => lrState(lr) !== 0).length;
      if (valid <= 1) misr |= ICH_MISR_U;
    }
    if (hcr & ICH_HCR_LRENPIE && hcr >>> ICH_HCR_EOICOUNT_SHIFT) misr |= ICH_MISR_LRENP;
    if (hcr & ICH_HCR_NPIE && !this.lrs.some((lr) => lrState(lr) === LR_STATE_PENDING)) misr |= ICH_MISR_NP;
    if (hcr & ICH_HCR_VGRP0EIE && vmcr & ICH_VMCR_VENG0) misr |= ICH_MISR_VGRP0E;
    if (hcr & ICH_HCR_VGRP0DIE && !(vmcr & ICH_VMCR_VENG0)) misr |= ICH_MISR_VGRP0D;
    if (hcr & ICH_HCR_VGRP1EIE && vmcr & ICH_VMCR_VENG1) misr |= ICH_MISR_VGRP1E;
    if (hcr & ICH_HCR_VGRP1DIE && !(vmcr & ICH_VMCR_VENG1)) misr |= ICH_MISR_VGRP1D;
    return misr;
  }

  // ---- ICV_*_EL1, what the guest reads through its ICC accesses ----

  /** ICV_IAR1_EL1: acknowledge the best pending Group 1 LR that may preempt, else 1023. */
  readIar1(): number {
    const n = this.bestLr();
    if (n < 0 || !this.canPreempt(lrPriority(this.lrs[n]!))) return INTID_SPURIOUS;
    const lr = this.lrs[n]!;
    this.ap1r0 |= 1 << ((lrPriority(lr) & this.groupMask()) >>> (8 - PRE_BITS));
    this.lrs[n] = (lr & ~(3n << LR_STATE_SHIFT)) | (BigInt(LR_STATE_ACTIVE) << LR_STATE_SHIFT);
    this.update();
    return lrVintid(lr);
  }

  /** ICV_EOIR1_EL1: drop the virtual running priority; with VEOIM 0 also deactivate. */
  writeEoir1(value: number): void {
    const vintid = value & 0xffffff;
    if (vintid >= GIC_NUM_INTIDS && vintid < 1024) return;
    if (this.ap1r0 === 0) return;
    this.ap1r0 &= this.ap1r0 - 1;
    if (!(this.vmcr & ICH_VMCR_VEOIM)) this.deactivate(vintid);
    this.update();
  }

  /** ICV_DIR_EL1: deactivate `vintid`; only meaningful with VEOIM 1. */
  writeDir(value: number): void {
    if (!(this.vmcr & ICH_VMCR_VEOIM)) return;
    this.deactivate(value & 0xffffff);
    this.update();
  }

  readHppir1(): number {
    if (!(this.vmcr & ICH_VMCR_VENG1)) return INTID_SPURIOUS;
    const n = this.bestLr();
    return n < 0 ? INTID_SPURIOUS : lrVintid(this.lrs[n]!);
  }

  readRpr(): number {
    return this.ap1r0 === 0 ? 0xff : (31 - Math.clz32(this.ap1r0 & -this.ap1r0)) << (8 - PRE_BITS);
  }

  /** ICV_PMR_EL1 is ICH_VMCR_EL2.VPMR. */
  readPmr(): number {
    return this.vmcr >>> ICH_VMCR_VPMR_SHIFT;
  }

  writePmr(value: number): void {
    const pmr = value & ((0xff << (8 - PRI_BITS)) & 0xff);
    this.writeVmcr((this.vmcr & 0x00ffffff) | (pmr << ICH_VMCR_VPMR_SHIFT));
  }

  /** ICV_BPR1_EL1 is VMCR.VBPR1. */
  readBpr1(): number {
    return (this.vmcr >>> ICH_VMCR_VBPR1_SHIFT) & 7;
  }

  writeBpr1(value: number): void {
    this.writeVmcr((this.vmcr & ~(7 << ICH_VMCR_VBPR1_SHIFT)) | ((value & 7) << ICH_VMCR_VBPR1_SHIFT));
  }

  /** ICV_IGRPEN1_EL1 is VMCR.VENG1. */
  readIgrpen1(): number {
    return this.vmcr & ICH_VMCR_VENG1 ? 1 : 0;
  }

  writeIgrpen1(value: number): void {
    this.writeVmcr(value & 1 ? this.vmcr | ICH_VMCR_VENG1 : this.vmcr & ~ICH_VMCR_VENG1);
  }

  /** ICV_CTLR_EL1: CBPR is VMCR.VCBPR, EOImode is VMCR.VEOIM. */
  readCtlr(): number {
    return (this.vmcr & ICH_VMCR_VCBPR ? 1 : 0) | (this.vmcr & ICH_VMCR_VEOIM ? 2 : 0) | ICC_CTLR_RO;
  }

  writeCtlr(value: number): void {
    let v = this.vmcr & ~(ICH_VMCR_VCBPR | ICH_VMCR_VEOIM);
    if (value & 1) v |= ICH_VMCR_VCBPR;
    if (value & 2) v |= ICH_VMCR_VEOIM;
    this.writeVmcr(v);
  }

  /** Re-evaluate the VIRQ and maintenance lines. */
  update(): void {
    const n = this.bestLr();
    const virq = n >= 0 && this.canPreempt(lrPriority(this.lrs[n]!));
    if (virq !== this.virqLevel) {
      this.virqLevel = virq;
      this.virq.set(virq);
    }
    const maintenance = (this.hcr & ICH_HCR_EN) !== 0 && this.readMisr() !== 0;
    if (maintenance !== this.maintenanceLevel) {
      this.maintenanceLevel = maintenance;
      this.maintenanceObserver?.set(maintenance);
      this.gic.ppi(this.cpu, PPI_MAINTENANCE).set(maintenance);
    }
  }

  snapshot(): GicVirtualInterfaceSnapshot {
    return {
      hcr: this.hcr >>> 0,
      vmcr: this.vmcr >>> 0,
      vtr: this.readVtr(),
      misr: this.readMisr(),
      elrsr: this.readElrsr(),
      eisr: this.readEisr(),
      ap1r0: this.ap1r0 >>> 0,
      lrs: this.lrs.map((raw) => ({
        raw,
        vintid: lrVintid(raw),
        pintid: Number((raw >> LR_PINTID_SHIFT) & LR_PINTID_MASK),
        priority: lrPriority(raw),
        group: raw & LR_GROUP ? 1 : 0,
        hw: (raw & LR_HW) !== 0n,
        pending: (lrState(raw) & LR_STATE_PENDING) !== 0,
        active: (lrState(raw) & LR_STATE_ACTIVE) !== 0,
      })),
      virq: this.virqLevel,
      maintenance: this.maintenanceLevel,
    };
  }

  /** The pending Group 1 LR of highest priority (lowest index on a tie), or -1; none while disabled. */
  private bestLr(): number {
    if (!(this.hcr & ICH_HCR_EN) || !(this.vmcr & ICH_VMCR_VENG1)) return -1;
    let best = -1;
    let bestPriority = 0x100;
    this.lrs.forEach((lr, i) => {
      if (lrState(lr) !== LR_STATE_PENDING || !(lr & LR_GROUP)) return;
      const p = lrPriority(lr);
      if (p < bestPriority) {
        best = i;
        bestPriority = p;
      }
    });
    return best;
  }

  private groupMask(): number {
    return (0xff << this.readBpr1()) & 0xff;
  }

  private canPreempt(priority: number): boolean {
    if (priority >= this.readPmr()) return false;
    const running = this.readRpr();
    if (running === 0xff) return true;
    const mask = this.groupMask();
    return (priority & mask) < (running & mask);
  }

  /**
   * End an LR's active state. A HW LR deactivates its physical INTID too; an
   * EOI with no matching LR counts in ICH_HCR_EL2.EOIcount instead.
   */
  private deactivate(vintid: number): void {
    const n = this.lrs.findIndex((lr) => lrVintid(lr) === vintid && (lrState(lr) & LR_STATE_ACTIVE) !== 0);
    if (n < 0) {
      const count = ((this.hcr >>> ICH_HCR_EOICOUNT_SHIFT) + 1) & 31;
      this.hcr = ((this.hcr & ~(31 << ICH_HCR_EOICOUNT_SHIFT)) | (count << ICH_HCR_EOICOUNT_SHIFT)) >>> 0;
      return;
    }
    const lr = this.lrs[n]!;
    this.lrs[n] = lr & ~(BigInt(LR_STATE_ACTIVE) << LR_STATE_SHIFT);
    if (lr & LR_HW) {
      const pintid = Number((lr >> LR_PINTID_SHIFT) & LR_PINTID_MASK);
      if (pintid < GIC_NUM_INTIDS) this.gic.deactivate(this.cpu, pintid);
    }
  }

  private checkLr(n: number): number {
    if (!Number.isInteger(n) || n < 0 || n >= this.listRegisterCount) throw new RangeError(`no list register ${n}`);
    return n;
  }
}
