// hvisor's aarch64 arch layer behind HvArch: ArchCpu and activate_vmm, stage-2
// tables through VTTBR_EL2/VTCR_EL2, the GICv3 (the physical side hvisor
// drives, each zone's emulated GICD/GICR, list-register injection) and SGI 7
// for events.

import { IPI_EVENT_NAMES } from '../../consts';
import type { AnyHvZoneConfig, Gicv3Config } from '../../config/zone-config';
import type { Hvisor } from '../../hvisor';
import { HvPanic } from '../../memory-set';
import { perCpuBase } from '../../percpu';
import type { HvTask } from '../../task';
import type { Zone } from '../../zone';
import type { HvArch, Stage2Table } from '../hv-arch';
import { ArchCpu } from './cpu';
import { Stage2PageTable, stage2LevelsFor, vtcrFor } from './s2pt';
import { registerVgicMmio, irqchipReset } from './vgic';
import { HostGic } from './vgic-host';
import { gicv3HandleIrqEl1 } from './vgic-inject';
import type { Aarch64Core } from '../../../isa/aarch64/core';
import type { Gicv3 } from '../../../machine/devices/gicv3/gic';

/** The qemu-gicv3 board constants hvisor is built with (platform/aarch64/qemu-gicv3/board.rs). */
export interface Aarch64Board {
  /** BOARD_MPIDR_MAPPINGS: logical CPU id → MPIDR affinity. */
  readonly mpidrMap: readonly number[];
  readonly gic: Gicv3;
  /** The physical GICD/GICR windows (the root zone's GICv3 config on this board). */
  readonly gicLayout: Gicv3Config;
  /** The smallest PARange of the CPUs, in bits. */
  readonly paBits: number;
}

/** The parking code every idle CPU runs at guest address 0: `wfi; b .-4`. */
const PARKING_CODE = Uint8Array.from([0x7f, 0x20, 0x03, 0xd5, 0xff, 0xff, 0xff, 0x17]);

/** The Hvisor instance of an aarch64 machine. */
export type ArmHvisor = Hvisor<Aarch64Core, Aarch64HvArch>;

export class Aarch64HvArch implements HvArch<Aarch64Core> {
  readonly name = 'aarch64';
  readonly parkingCode = PARKING_CODE;
  private hostGic: HostGic | undefined;

  constructor(readonly board: Aarch64Board) {}

  get gic(): Gicv3 {
    return this.board.gic;
  }

  /** mpidr_to_cpuid; -1 when no CPU has that affinity. */
  mpidrToCpuid(mpidr: bigint): number {
    const aff = Number(mpidr & 0xff_00ff_ffffn);
    return this.board.mpidrMap.findIndex((m) => m === aff);
  }

  /** The GIC as hvisor keeps it, built when the primary CPU first needs it (primary_init_early). */
  host(hv: ArmHvisor): HostGic {
    if (!this.hostGic) {
      this.hostGic = new HostGic(hv.memory, this.board.gic, this.board.gicLayout, this.board.mpidrMap, {
        currentCpu: () => hv.currentCpu,
        zoneOf: (cpu) => hv.zoneOf(cpu),
        checkEvents: (cpu) => hv.checkEvents(cpu),
        trapEnded: (cpu) => hv.stop !== undefined || !hv.core(cpu).inHypervisor,
        log: (text) => hv.log(hv.currentCpu, 'mmio', text),
        announce: (cpu, text) => hv.event(cpu, 'mmio', text),
        panic: (reason) => hv.panic(hv.currentCpu, reason),
      });
      this.hostGic.initLpiProp(hv.frames);
    }
    return this.hostGic;
  }

  /** primary_init_late: the distributor's Group 1 on once every CPU has set up its interface. */
  primaryInitLate(hv: ArmHvisor): void {
    this.host(hv).primaryInitLate();
  }

  /** ArchCpu::new plus this CPU's GIC set-up (gicc_init, enable_ipi). */
  newArchCpu(hv: ArmHvisor, cpu: number): ArchCpu {
    this.host(hv).percpuInit(cpu);
    return new ArchCpu(cpu, hv.core(cpu), perCpuBase(hv.board.coreEnd, cpu));
  }

  stage2Levels(): 3 | 4 {
    return stage2LevelsFor(this.board.paBits);
  }

  stage2ModeName(levels: 3 | 4): string {
    return levels === 4 ? `4 levels, ${this.board.paBits}-bit IPA` : '3 levels, 39-bit IPA';
  }

  newStage2Table(hv: ArmHvisor, levels: 3 | 4): Stage2PageTable {
    return new Stage2PageTable(hv.memory, hv.frames, levels);
  }

  /** activate_gpm: VTTBR_EL2 := the table (VMID 0), then tlbi vmalls12e1is. */
  activateStage2(hv: ArmHvisor, cpu: number, table: Stage2Table): void {
    const core = hv.core(cpu);
    core.writeSysreg('vttbr_el2', (table as Stage2PageTable).vttbr());
    core.translationChanged();
  }

  isStage2Active(hv: ArmHvisor, cpu: number, table: Stage2Table): boolean {
    return hv.core(cpu).readSysreg('vttbr_el2') === (table as Stage2PageTable).vttbr();
  }

  /** ArchCpu::run: reset(cpu_on_entry, dtb_ipa); AArch32 guests are not modelled. */
  resetForRun(hv: ArmHvisor, cpu: number): void {
    const pc = hv.perCpu[cpu]!;
    const arch = pc.archCpu as ArchCpu;
    if (arch.isAarch32) throw new HvPanic('the zone is AArch32 (is_aarch32), which the model does not run');
    arch.reset(pc.cpuOnEntry, pc.dtbIpa, vtcrFor(this.board.paBits));
  }

  /** ArchCpu::idle: reset(0, dtb_ipa) so the CPU spins in the parking page. */
  resetForIdle(hv: ArmHvisor, cpu: number): void {
    const pc = hv.perCpu[cpu]!;
    (pc.archCpu as ArchCpu).reset(0n, pc.dtbIpa, vtcrFor(this.board.paBits));
  }

  /** vgicv3_mmio_init for the zone, and is_aarch32 from its config. */
  zoneIrqchipInit(hv: ArmHvisor, zone: Zone, config: AnyHvZoneConfig): void {
    const arch = config.archConfig;
    if (arch.arch !== 'aarch64') throw new HvPanic(`zone ${zone.id} has a riscv64 arch config on an aarch64 machine`);
    for (const cpu of zone.cpuSet.iter()) (hv.perCpu[cpu]!.archCpu as ArchCpu).isAarch32 = arch.isAarch32;
    if (arch.gic.version !== 'v3') throw new HvPanic(`zone ${zone.id} configures a GICv2; the qemu-gicv3 board has a GICv3`);
    registerVgicMmio(zone, this.host(hv), arch.gic);
  }

  irqchipReset(hv: ArmHvisor, zone: Zone): string | undefined {
    irqchipReset(this.host(hv), zone);
    return undefined;
  }

  /** gic_send_event: ICC_SGI1R_EL1 with the target's Aff3..Aff1 and the bit of its Aff0. */
  sendEvent(hv: ArmHvisor, cpu: number, ipiId: number): void {
    const mpidr = BigInt(this.board.mpidrMap[cpu]!);
    const aff0 = mpidr & 0xffn, aff1 = (mpidr >> 8n) & 0xffn, aff2 = (mpidr >> 16n) & 0xffn, aff3 = (mpidr >> 32n) & 0xffn;
    const value = (aff3 << 48n) | (aff2 << 32n) | (BigInt(ipiId & 0xf) << 24n) | (aff1 << 16n) | (1n << aff0);
    this.gic.cpu(hv.currentCpu).writeSgi1r(value);
  }

  /** arch_check_events: hvisor only logs events the shared code does not know. */
  checkEvent(hv: ArmHvisor, cpu: number, event: number): boolean {
    hv.log(cpu, 'event', `arch_check_events: ${IPI_EVENT_NAMES[event] ?? `event ${event}`} is not handled on aarch64`);
    return true;
  }

  /** The IRQ exit: gicv3_handle_irq_el1 on this CPU. */
  *handleIrq(hv: ArmHvisor, cpu: number): HvTask {
    yield* gicv3HandleIrqEl1(this.host(hv), cpu);
  }
}
