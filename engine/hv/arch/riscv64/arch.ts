// hvisor's riscv64 arch layer behind HvArch: the hart's ArchCpu, Sv39x4/Sv48x4
// G-stage tables through hgatp, the per-zone virtual PLIC and ACLINT IPIs.

import { IpiEvent, SGI_IPI_ID } from '../../consts';
import type { AnyHvZoneConfig } from '../../config/zone-config';
import type { Hvisor } from '../../hvisor';
import { HvPanic } from '../../memory-set';
import { perCpuBase } from '../../percpu';
import type { Zone } from '../../zone';
import type { HvArch, Stage2Table } from '../hv-arch';
import { ArchCpu } from './cpu';
import { archCheckEvent, archSendEvent } from './ipi';
import { GStageMode, Stage2PageTable } from './s2pt';
import { plicIrqchipReset, registerVplicMmio, setHartVseip, VirtualPlic, type PhysicalPlicPort, type VplicHost } from './vplic';
import type { Riscv64Core } from '../../../isa/riscv64/core';
import type { PhysicalMemory } from '../../../machine/memory';
import type { Uart16550 } from '../../../machine/devices/uart16550';

/** The qemu-plic board constants hvisor is built with (platform/riscv64/qemu-plic/board.rs). */
export interface Riscv64Board {
  /** Logical CPU id → physical hart id. */
  readonly hartIdMap: readonly number[];
  readonly aclintSswiBase: number;
  readonly plicBase: number;
  /** Interrupts backed by the physical PLIC (HW_IRQS). */
  readonly hwIrqs: readonly number[];
  /** The console SBI putchar/getchar reach. */
  readonly uart: Uart16550;
}

/** The parking code every idle CPU runs at guest address 0: `wfi; j .-4`. */
const PARKING_CODE = Uint8Array.from([0x73, 0x00, 0x50, 0x10, 0x6f, 0xf0, 0xdf, 0xff]);

/** The Hvisor instance of a riscv64 machine. */
export type RiscvHvisor = Hvisor<Riscv64Core, Riscv64HvArch>;

export class Riscv64HvArch implements HvArch<Riscv64Core> {
  readonly name = 'riscv64';
  readonly parkingCode = PARKING_CODE;
  /** VPLIC_MAP: each zone's virtual PLIC by zone id. */
  readonly vplics = new Map<number, VirtualPlic>();
  /** The board PLIC's registers, as hvisor reaches them through physical memory. */
  readonly physicalPlic: PhysicalPlicPort;

  constructor(readonly board: Riscv64Board, memory: PhysicalMemory) {
    this.physicalPlic = {
      read: (offset) => Number(memory.read(board.plicBase + offset, 4) ?? 0n),
      write: (offset, value) => void memory.write(board.plicBase + offset, 4, BigInt(value >>> 0)),
    };
  }

  newArchCpu(hv: RiscvHvisor, cpu: number): ArchCpu {
    return new ArchCpu(cpu, hv.core(cpu), perCpuBase(hv.board.coreEnd, cpu));
  }

  /** primary_init_late: the PLIC needs nothing global beyond its reset state here. */
  primaryInitLate(): void {}

  /** stage2_mode_detect: the deepest G-stage mode the harts accept, at most Sv48x4. */
  stage2Levels(hv: RiscvHvisor): 3 | 4 {
    const h = hv.core(hv.masterCpu).hart;
    return h.supportsGStageMode(GStageMode.Sv57x4) || h.supportsGStageMode(GStageMode.Sv48x4) ? 4 : 3;
  }

  stage2ModeName(levels: 3 | 4): string {
    return levels === 4 ? 'Sv48x4' : 'Sv39x4';
  }

  newStage2Table(hv: RiscvHvisor, levels: 3 | 4): Stage2PageTable {
    return new Stage2PageTable(hv.memory, hv.frames, levels);
  }

  activateStage2(hv: RiscvHvisor, cpu: number, table: Stage2Table): void {
    const core = hv.core(cpu);
    core.hart.hgatp = (table as Stage2PageTable).hgatp();
    core.translationChanged();
  }

  isStage2Active(hv: RiscvHvisor, cpu: number, table: Stage2Table): boolean {
    return hv.core(cpu).hart.hgatp === (table as Stage2PageTable).hgatp();
  }

  /** ArchCpu::run: a0 = hartid, a1 = dtb_ipa, VS interrupts delegated. */
  resetForRun(hv: RiscvHvisor, cpu: number): void {
    const pc = hv.perCpu[cpu]!;
    const arch = pc.archCpu as ArchCpu;
    arch.init = true;
    arch.initInterrupt();
    arch.resetRegs(pc.cpuOnEntry, BigInt(this.board.hartIdMap[cpu]!), pc.dtbIpa, perCpuBase(hv.board.coreEnd, cpu));
  }

  /** ArchCpu::idle: nothing delegated, only IPIs wake the parked hart. */
  resetForIdle(hv: RiscvHvisor, cpu: number): void {
    const pc = hv.perCpu[cpu]!;
    const arch = pc.archCpu as ArchCpu;
    arch.resetRegs(0n, BigInt(cpu), pc.dtbIpa, perCpuBase(hv.board.coreEnd, cpu));
    arch.resetInterrupt();
  }

  /** mmio_init + virqc_init: the vPLIC over the zone's PLIC window. */
  zoneIrqchipInit(hv: RiscvHvisor, zone: Zone, config: AnyHvZoneConfig): void {
    const arch = config.archConfig;
    if (arch.arch === 'aarch64' || arch.plicSize === 0) return;
    if (this.vplics.has(zone.id)) throw new HvPanic(`vplic_init: VPLIC_MAP already has an entry for zone ${zone.id}`);
    const vplic = VirtualPlic.forZone(zone, this.vplicHost(hv), this.board.hwIrqs);
    registerVplicMmio(zone, vplic, arch.plicBase, arch.plicSize);
    this.vplics.set(zone.id, vplic);
  }

  /** The PLIC part of arch_irqchip_reset (reference §3.6). */
  irqchipReset(hv: RiscvHvisor, zone: Zone): string | undefined {
    return plicIrqchipReset(zone, this.physicalPlic, (cpu) => void (hv.events[cpu]!.length = 0), this.vplics, this.board.hwIrqs);
  }

  sendEvent(hv: RiscvHvisor, cpu: number, ipiId: number): void {
    archSendEvent(hv, cpu, ipiId);
  }

  checkEvent(hv: RiscvHvisor, cpu: number, event: number): boolean {
    return archCheckEvent(hv, cpu, event);
  }

  private vplicHost(hv: RiscvHvisor): VplicHost {
    return {
      currentCpu: () => hv.currentCpu,
      setVseip: (cpu, level) => setHartVseip(hv.core(cpu), level),
      sendUpdateHartLine: (cpu) => {
        hv.log(hv.currentCpu, 'ipi', `send_event(cpu=${cpu}, UPDATE_HART_LINE)`);
        hv.postEvent(cpu, SGI_IPI_ID, IpiEvent.UPDATE_HART_LINE);
      },
      physical: this.physicalPlic,
      log: (text) => hv.log(hv.currentCpu, 'mmio', text),
      panic: (reason) => hv.panic(hv.currentCpu, reason),
    };
  }
}
