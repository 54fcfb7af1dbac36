// hvisor's side of the physical GICv3 (src/device/irqchip/gicv3/{mod.rs,
// gicd.rs,gicr.rs}): where the distributor and each CPU's redistributor frame
// are, volatile accesses to them (mmio_perform_access), the set-up every CPU
// runs at boot (gicc_init + enable_ipi), GICD_CTLR at the end of boot, and the
// LPI property table shared by all zones. ICC/ICH system registers go straight
// to the CPU's interface in the GIC model.

import type { Gicv3Config } from '../../config/zone-config';
import type { FrameAllocator } from '../../frame';
import { SGI_IPI_ID } from '../../consts';
import { HvPanic } from '../../memory-set';
import type { MmioAccess } from '../../mmio';
import type { HvTask } from '../../task';
import type { Zone } from '../../zone';
import type { Gicv3 } from '../../../machine/devices/gicv3/gic';
import { ICH_HCR_EN, ICH_VMCR_VENG1, ICH_VMCR_VPMR_SHIFT, PPI_MAINTENANCE } from '../../../machine/devices/gicv3/registers';
import type { PhysicalMemory } from '../../../machine/memory';

/** MAINTENACE_INTERRUPT (hvisor's spelling): the GIC maintenance PPI. */
export const MAINTENANCE_INTERRUPT = PPI_MAINTENANCE;
/** PER_GICR_SIZE: RD_base and SGI_base frames of one CPU. */
export const PER_GICR_SIZE = 0x20000;
export const GICR_SGI_BASE = 0x10000;
/** MAX_ZONE_NUM: the size of the per-zone LPI and ITS tables. */
export const MAX_ZONE_NUM = 4;

const GICD_CTLR = 0x0000;
const GICD_TYPER = 0x0004;
const GICD_CTLR_ARE_NS = 1 << 5;
const GICD_CTLR_GRP1NS_ENA = 1 << 1;
const GICR_TYPER = 0x0008;
const GICR_WAKER = 0x0014;
const GICR_PROPBASER = 0x0070;
const GICR_IGROUPR0 = 0x0080;
const GICR_ISENABLER0 = 0x0100;
const GICR_IPRIORITYR0 = 0x0400;
/** The first LPI INTID. */
const LPI_BASE = 8192;

/** What the GIC code needs from the rest of the model. */
export interface VgicHost {
  /** this_cpu_id: the CPU running the hypervisor code. */
  currentCpu(): number;
  /** get_cpu_data(cpu).zone. */
  zoneOf(cpu: number): Zone | undefined;
  /** check_events on `cpu`: true if it consumed an event that needs no SGI in the guest. */
  checkEvents(cpu: number): HvTask<boolean>;
  /** Whether the trap on `cpu` is over (check_events entered arch_cpu.run/idle, which never return) or the model stopped. */
  trapEnded(cpu: number): boolean;
  /** hvisor's warn!/error! lines. */
  log(text: string): void;
  /** Trace a device interrupt's IRQ exit and offer it as a stopping point (the model's own, not hvisor's). */
  announce?(cpu: number, text: string): HvTask;
  /** Where hvisor would panic (todo!, unwrap of None, assert). */
  panic(reason: string): void;
}

/** One virtual interrupt waiting for a free list register (PENDING_VIRQS entry). */
export interface PendingVirq {
  readonly intid: number;
  readonly isHw: boolean;
}

/** The per-zone GICR_PROPBASER values and the one physical LPI property table (LpiPropTable). */
export interface LpiPropTable {
  readonly phyAddr: number;
  readonly pages: number;
  readonly baserList: bigint[];
}

export class HostGic {
  /** CPU_GICR_BASE: each logical CPU's redistributor frame, found by affinity. */
  readonly gicrBases: readonly number[];
  /** PENDING_VIRQS: per CPU, virtual interrupts no list register had room for. */
  readonly pendingVirqs: PendingVirq[][];
  lpt: LpiPropTable | undefined;

  /**
   * primary_init_early's GIC record from the root zone's GICv3 config.
   * `mpidrs` is BOARD_MPIDR_MAPPINGS. Throws HvPanic when some CPU has no
   * redistributor frame (hvisor panics building CPU_GICR_BASE).
   */
  constructor(
    readonly memory: PhysicalMemory,
    readonly gic: Gicv3,
    readonly layout: Gicv3Config,
    readonly mpidrs: readonly number[],
    readonly host: VgicHost,
  ) {
    const bases = new Array<number>(mpidrs.length).fill(0);
    let found = 0;
    for (let frame = 0; frame < mpidrs.length; frame++) {
      const base = layout.gicrBase + frame * PER_GICR_SIZE;
      const affinity = Number((this.readPhys(base + GICR_TYPER, 8) >> 32n) & 0xffff_ffffn);
      const cpu = mpidrs.findIndex((_, id) => this.affinityOf(id) === affinity);
      if (cpu >= 0) {
        bases[cpu] = base;
        found++;
      }
    }
    if (found !== mpidrs.length) throw new HvPanic(`Could not find GICR for all CPUs, only found ${found}`);
    this.gicrBases = bases;
    this.pendingVirqs = mpidrs.map(() => []);
  }

  get gicdBase(): number {
    return this.layout.gicdBase;
  }

  gicrBase(cpu: number): number {
    return this.gicrBases[cpu]!;
  }

  /** cpuid_to_mpidr_affinity packed as GICR_TYPER[63:32] holds it. */
  affinityOf(cpu: number): number {
    const mpidr = this.mpidrs[cpu]!;
    const aff3 = Math.floor(mpidr / 2 ** 32) & 0xff;
    return ((aff3 << 24) | (mpidr & 0xff_ffff)) >>> 0;
  }

  /** mmio_perform_access: the guest's access replayed at `base` + its offset. */
  performAccess(base: number, access: MmioAccess): void {
    const pa = base + access.address;
    if (access.isWrite) {
      if (!this.memory.write(pa, access.size, BigInt.asUintN(8 * access.size, access.value))) this.abort(pa, 'write');
    } else {
      access.value = this.readPhys(pa, access.size);
    }
  }

  /** gicc_init + enable_ipi on `cpu` (percpu_init). */
  percpuInit(cpu: number): void {
    const icc = this.gic.cpu(cpu);
    const ich = this.gic.vcpu(cpu);
    // EOImode 1: EOIR only drops priority, DIR deactivates.
    icc.writeCtlr(0x2);
    const pmr = icc.readPmr();
    icc.writePmr(0xf0);
    icc.writeIgrpen1(1);
    // gicv3_clear_pending_irqs: empty every LR and the active priorities (5 priority bits: AP1R0 only).
    const lrs = (ich.readVtr() & 0xf) + 1;
    for (let i = 0; i < lrs; i++) ich.writeLr(i, 0n);
    ich.writeAp1r0(0);
    // VPMR takes the PMR read before hvisor wrote 0xf0 (0 out of reset), as hvisor's code does.
    ich.writeVmcr(((pmr & 0xff) << ICH_VMCR_VPMR_SHIFT) | ICH_VMCR_VENG1);
    ich.writeHcr(ICH_HCR_EN);
    this.enableIpi(cpu);
  }

  /** primary_init_late's enable_gic_are_ns. */
  primaryInitLate(): void {
    this.writePhys(this.gicdBase + GICD_CTLR, 4, BigInt(GICD_CTLR_ARE_NS | GICD_CTLR_GRP1NS_ENA));
  }

  /** init_lpi_prop: one property table for 2^(IDbits+1) - 8192 LPIs, its address in every GICR_PROPBASER. */
  initLpiProp(frames: FrameAllocator): void {
    const idBits = (Number(this.readPhys(this.gicdBase + GICD_TYPER, 4)) >>> 19) & 0x1f;
    const pages = (2 ** (idBits + 1) - LPI_BASE) / 4096;
    const phyAddr = frames.alloc(pages);
    for (let cpu = 0; cpu < this.gicrBases.length; cpu++) this.writePhys(this.gicrBase(cpu) + GICR_PROPBASER, 8, BigInt(phyAddr | 0x78f));
    this.lpt = { phyAddr, pages, baserList: new Array<bigint>(MAX_ZONE_NUM).fill(0n) };
  }

  /** set_prop_baser / read_prop_baser: a zone's own GICR_PROPBASER value. Undefined where hvisor panics. */
  propBaser(zoneId: number, value?: bigint): bigint | undefined {
    const lpt = this.lpt;
    if (!lpt) return this.fail('LPT used before init_lpi_prop (unwrap of None)');
    if (zoneId >= MAX_ZONE_NUM) return this.fail(`Invalid zone id! (zone ${zoneId}, MAX_ZONE_NUM ${MAX_ZONE_NUM})`);
    if (value !== undefined) lpt.baserList[zoneId] = value;
    return lpt.baserList[zoneId]!;
  }

  /** enable_one_lpi: property byte 1 (enabled, priority 0) for `lpi`, counted from 8192. */
  enableOneLpi(intid: number): void {
    const lpt = this.lpt;
    if (!lpt) {
      this.fail('LPT used before init_lpi_prop (unwrap of None)');
      return;
    }
    this.writePhys(lpt.phyAddr + intid - LPI_BASE, 1, 1n);
  }

  readPhys(pa: number, size: 1 | 2 | 4 | 8): bigint {
    const v = this.memory.read(pa, size);
    if (v === undefined) {
      this.abort(pa, 'read');
      return 0n;
    }
    return v;
  }

  writePhys(pa: number, size: 1 | 2 | 4 | 8, value: bigint): void {
    if (!this.memory.write(pa, size, value)) this.abort(pa, 'write');
  }

  /** enable_ipi: SGI 7 in Group 1, SGI 7 and the maintenance PPI at priority 1 and enabled. */
  private enableIpi(cpu: number): void {
    const sgiBase = this.gicrBase(cpu) + GICR_SGI_BASE;
    // hvisor addresses GICR_WAKER from SGI_base, a reserved offset there: the
    // redistributor's real WAKER is left as it was and the poll reads zero.
    const waker = this.readPhys(sgiBase + GICR_WAKER, 4);
    this.writePhys(sgiBase + GICR_WAKER, 4, waker & ~2n);
    if (this.readPhys(sgiBase + GICR_WAKER, 4) & 4n) {
      this.host.panic('enable_ipi spins forever waiting for GICR_WAKER.ChildrenAsleep to clear');
      return;
    }
    const group = this.readPhys(sgiBase + GICR_IGROUPR0, 4);
    this.writePhys(sgiBase + GICR_IGROUPR0, 4, group | (1n << BigInt(SGI_IPI_ID)));
    for (const irq of [SGI_IPI_ID, MAINTENANCE_INTERRUPT]) {
      const reg = sgiBase + GICR_IPRIORITYR0 + 4 * Math.floor(irq / 4);
      const shift = BigInt((irq % 4) * 8);
      const prio = this.readPhys(reg, 4);
      this.writePhys(reg, 4, (prio & ~(0xffn << shift)) | (1n << shift));
      this.writePhys(sgiBase + GICR_ISENABLER0, 4, 1n << BigInt(irq));
    }
  }

  private abort(pa: number, what: string): void {
    this.host.panic(`EL2 data abort: ${what} of GIC register at 0x${pa.toString(16)} hits no device`);
  }

  private fail(reason: string): undefined {
    this.host.panic(reason);
    return undefined;
  }
}
