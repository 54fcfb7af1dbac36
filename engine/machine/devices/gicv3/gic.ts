// A GICv3 as QEMU's `arm-gicv3` behaves with affinity routing on and a single
// security state (GICD_CTLR.DS = 1, no LPIs): the distributor and
// redistributors as MMIO, and per CPU the ICC system-register state and the
// ICH/ICV virtual interface. Only Group 1 interrupts reach a CPU: Group 0
// would be signalled as FIQ, which this board does not wire.

import type { IrqLine } from '../../device';
import { GicCpuInterface, type GicCpuInterfaceSnapshot } from './cpu-interface';
import { GicDistributor } from './distributor';
import { IrqBank } from './irq-state';
import { GicRedistributors, type GicRedistributorSnapshot } from './redistributor';
import { GIC_INTERNAL, GIC_MAX_CPUS, GIC_NUM_INTIDS, GICD_CTLR_ARE, GICD_CTLR_DS, GICD_CTLR_EN_GRP1, INTID_SPURIOUS, DEFAULT_LIST_REGS } from './registers';
import { GicVirtualInterface, type GicVirtualInterfaceSnapshot } from './virtual-interface';

export interface Gicv3CpuLines {
  /** The CPU's physical IRQ input. */
  readonly irq: IrqLine;
  /** The CPU's virtual IRQ input (taken at EL1 when HCR_EL2.IMO is set). */
  readonly virq: IrqLine;
  /** Observes the maintenance interrupt level; the GIC also feeds it to the CPU's PPI 25. */
  readonly maintenance?: IrqLine;
}

export interface Gicv3Options {
  readonly cpus: readonly Gicv3CpuLines[];
  /**
   * Each CPU's MPIDR affinity as Aff3<<24 | Aff2<<16 | Aff1<<8 | Aff0. Default:
   * QEMU virt's clusters of 16 (Aff1 = cpu >> 4, Aff0 = cpu & 15).
   */
  readonly affinities?: readonly number[];
  /**
   * Reset every interrupt to Group 1, as QEMU does when it boots a kernel
   * without firmware (there is no secure firmware here to do it). Default true.
   */
  readonly group1AtReset?: boolean;
  /** List registers per CPU (default 4). */
  readonly listRegisters?: number;
}

export interface GicIrqSnapshot {
  readonly intid: number;
  readonly enabled: boolean;
  readonly pending: boolean;
  readonly active: boolean;
  readonly level: boolean;
  readonly edge: boolean;
  readonly group: number;
  readonly priority: number;
  /** SPIs only: the IROUTER affinity and the CPU it names (-1 if none). */
  readonly route?: { readonly affinity: number; readonly cpu: number };
}

export interface Gicv3Snapshot {
  readonly ctlr: number;
  /** SPIs that are enabled, pending or active, or whose input is high. */
  readonly spis: readonly GicIrqSnapshot[];
  readonly cpus: readonly {
    readonly affinity: number;
    readonly redistributor: GicRedistributorSnapshot;
    /** SGIs and PPIs that are enabled, pending or active, or whose input is high. */
    readonly private: readonly GicIrqSnapshot[];
    readonly cpuInterface: GicCpuInterfaceSnapshot;
    readonly virtual: GicVirtualInterfaceSnapshot;
    /** The INTID an acknowledge would consider now (1023 if none). */
    readonly highestPending: number;
  }[];
}

export class Gicv3 {
  readonly cpuCount: number;
  readonly distributor: GicDistributor;
  readonly redistributors: GicRedistributors;
  readonly shared = new IrqBank(GIC_NUM_INTIDS);
  readonly banks: readonly IrqBank[];
  /** IROUTER affinity per SPI, packed as in `affinities`. */
  readonly routes = new Uint32Array(GIC_NUM_INTIDS);
  ctlr = 0;
  private readonly affinity: readonly number[];
  private readonly cpuByAffinity = new Map<number, number>();
  private readonly cpuInterfaces: readonly GicCpuInterface[];
  private readonly virtualInterfaces: readonly GicVirtualInterface[];
  private readonly group1AtReset: boolean;
  /** Highest-priority candidate per CPU, recomputed on every change. */
  private readonly bestId: Uint16Array;
  private readonly bestPriority: Uint16Array;

  constructor(options: Gicv3Options) {
    const n = options.cpus.length;
    if (n < 1 || n > GIC_MAX_CPUS) throw new RangeError(`GICv3 has room for 1..${GIC_MAX_CPUS} CPUs, not ${n}`);
    this.cpuCount = n;
    this.affinity = options.affinities ?? Array.from({ length: n }, (_, i) => ((i >>> 4) << 8) | (i & 15));
    if (this.affinity.length !== n) throw new RangeError('one affinity per CPU');
    this.affinity.forEach((a, i) => this.cpuByAffinity.set(a >>> 0, i));
    this.group1AtReset = options.group1AtReset ?? true;
    this.banks = Array.from({ length: n }, () => new IrqBank(GIC_INTERNAL));
    this.bestId = new Uint16Array(n);
    this.bestPriority = new Uint16Array(n);
    this.cpuInterfaces = options.cpus.map((lines, i) => new GicCpuInterface(this, i, lines.irq));
    const lrs = options.listRegisters ?? DEFAULT_LIST_REGS;
    this.virtualInterfaces = options.cpus.map((lines, i) => new GicVirtualInterface(this, i, lrs, lines.virq, lines.maintenance));
    this.distributor = new GicDistributor(this);
    this.redistributors = new GicRedistributors(this);
    this.reset();
  }

  reset(): void {
    this.ctlr = GICD_CTLR_ARE | GICD_CTLR_DS;
    this.shared.reset(this.group1AtReset, false);
    for (const bank of this.banks) bank.reset(this.group1AtReset, true);
    this.routes.fill(0);
    this.redistributors.reset();
    for (const c of this.cpuInterfaces) c.reset();
    for (const v of this.virtualInterfaces) v.reset();
    this.update();
  }

  /** The ICC_* state of `cpu`, for its MRS/MSR. */
  cpu(cpu: number): GicCpuInterface {
    return this.cpuInterfaces[this.checkCpu(cpu)]!;
  }

  /** The ICH_* registers of `cpu` and the ICV_* view its EL1 guest gets. */
  vcpu(cpu: number): GicVirtualInterface {
    return this.virtualInterfaces[this.checkCpu(cpu)]!;
  }

  /** The MPIDR affinity of `cpu` (Aff3<<24 | Aff2<<16 | Aff1<<8 | Aff0). */
  affinityOf(cpu: number): number {
    return this.affinity[this.checkCpu(cpu)]!;
  }

  /** The CPU with affinity `aff`, or -1. */
  cpuWithAffinity(aff: number): number {
    return this.cpuByAffinity.get(aff >>> 0) ?? -1;
  }

  /** The input of SPI `intid` (32..1019). Level-sensitive or edge by ICFGR. */
  spi(intid: number): IrqLine {
    if (!Number.isInteger(intid) || intid < GIC_INTERNAL || intid >= GIC_NUM_INTIDS) throw new RangeError(`SPI ${intid} is not in 32..1019`);
    return { set: (level: boolean) => this.setInput(this.shared, intid, level) };
  }

  /** The input of PPI `intid` (16..31) of `cpu`. */
  ppi(cpu: number, intid: number): IrqLine {
    if (!Number.isInteger(intid) || intid < 16 || intid >= GIC_INTERNAL) throw new RangeError(`PPI ${intid} is not in 16..31`);
    const bank = this.banks[this.checkCpu(cpu)]!;
    return { set: (level: boolean) => this.setInput(bank, intid, level) };
  }

  /** The bank holding `intid` as seen by `cpu`. */
  bank(cpu: number, intid: number): IrqBank {
    return intid < GIC_INTERNAL ? this.banks[cpu]! : this.shared;
  }

  /** The CPU an SPI is routed to, or -1 if its IROUTER names no CPU. */
  target(intid: number): number {
    return this.cpuWithAffinity(this.routes[intid]!);
  }

  /** The best candidate for `cpu`: INTID (1023 if none) and priority. */
  highestPending(cpu: number): { readonly intid: number; readonly priority: number } {
    return { intid: this.bestId[cpu]!, priority: this.bestPriority[cpu]! };
  }

  /** Acknowledge: the interrupt becomes active and its latch clears (a level input stays pending). */
  activate(cpu: number, intid: number): void {
    const bank = this.bank(cpu, intid);
    bank.active[intid] = 1;
    bank.pending[intid] = 0;
    this.update();
  }

  deactivate(cpu: number, intid: number): void {
    if (intid >= GIC_NUM_INTIDS) return;
    this.bank(cpu, intid).active[intid] = 0;
    this.update();
  }

  /** Make SGI `intid` pending on `target` if it is Group 1 there (ICC_SGI1R only generates Group 1). */
  raiseSgi(target: number, intid: number): void {
    const bank = this.banks[target]!;
    if (bank.group[intid]) bank.pending[intid] = 1;
  }

  /** Recompute every CPU's best candidate and its IRQ line. */
  update(): void {
    this.bestId.fill(INTID_SPURIOUS);
    this.bestPriority.fill(0x100);
    if (this.ctlr & GICD_CTLR_EN_GRP1) {
      for (let cpu = 0; cpu < this.cpuCount; cpu++) {
        const bank = this.banks[cpu]!;
        for (let id = 0; id < GIC_INTERNAL; id++) if (this.candidate(bank, id)) this.offer(cpu, id, bank.priority[id]!);
      }
      const spis = this.shared;
      for (let id = GIC_INTERNAL; id < GIC_NUM_INTIDS; id++) {
        if (!this.candidate(spis, id)) continue;
        const cpu = this.target(id);
        if (cpu >= 0) this.offer(cpu, id, spis.priority[id]!);
      }
    }
    for (const c of this.cpuInterfaces) c.refresh();
  }

  snapshot(): Gicv3Snapshot {
    const spis: GicIrqSnapshot[] = [];
    for (let id = GIC_INTERNAL; id < GIC_NUM_INTIDS; id++) {
      if (this.interesting(this.shared, id)) spis.push({ ...this.irqSnapshot(this.shared, id), route: { affinity: this.routes[id]!, cpu: this.target(id) } });
    }
    return {
      ctlr: this.ctlr,
      spis,
      cpus: this.banks.map((bank, cpu) => {
        const priv: GicIrqSnapshot[] = [];
        for (let id = 0; id < GIC_INTERNAL; id++) if (this.interesting(bank, id)) priv.push(this.irqSnapshot(bank, id));
        return {
          affinity: this.affinity[cpu]!,
          redistributor: this.redistributors.snapshot(cpu),
          private: priv,
          cpuInterface: this.cpuInterfaces[cpu]!.snapshot(),
          virtual: this.virtualInterfaces[cpu]!.snapshot(),
          highestPending: this.bestId[cpu]!,
        };
      }),
    };
  }

  private candidate(bank: IrqBank, id: number): boolean {
    return bank.enabled[id] !== 0 && bank.group[id] !== 0 && bank.active[id] === 0 && bank.isPending(id);
  }

  /** Strictly lower priority wins, so on a tie the lower INTID, seen first, stays. */
  private offer(cpu: number, id: number, priority: number): void {
    if (priority < this.bestPriority[cpu]!) {
      this.bestPriority[cpu] = priority;
      this.bestId[cpu] = id;
    }
  }

  private setInput(bank: IrqBank, id: number, level: boolean): void {
    const was = bank.level[id] !== 0;
    bank.level[id] = level ? 1 : 0;
    // An edge-triggered interrupt latches on the rising edge only.
    if (level && !was && bank.edge[id]) bank.pending[id] = 1;
    if (level !== was) this.update();
  }

  private interesting(bank: IrqBank, id: number): boolean {
    return bank.enabled[id] !== 0 || bank.active[id] !== 0 || bank.level[id] !== 0 || bank.isPending(id);
  }

  private irqSnapshot(bank: IrqBank, id: number): GicIrqSnapshot {
    return {
      intid: id,
      enabled: bank.enabled[id] !== 0,
      pending: bank.isPending(id),
      active: bank.active[id] !== 0,
      level: bank.level[id] !== 0,
      edge: bank.edge[id] !== 0,
      group: bank.group[id]!,
      priority: bank.priority[id]!,
    };
  }

  private checkCpu(cpu: number): number {
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= this.cpuCount) throw new RangeError(`GIC has no CPU ${cpu}`);
    return cpu;
  }
}
