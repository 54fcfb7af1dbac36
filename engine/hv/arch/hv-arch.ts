// The small interface between hvisor's shared flow (hvisor.ts, hypercall.ts)
// and each architecture's part of it, named after hvisor's arch functions.
// One object per Hvisor instance: it keeps the architecture's own state
// (virtual interrupt controllers, board constants).

import type { AnyHvZoneConfig } from '../config/zone-config';
import type { Hvisor } from '../hvisor';
import type { Zone } from '../zone';
import type { CpuCore } from '../../isa/cpu-core';

/** One leaf mapping of a stage-2 table. */
export interface S2Leaf {
  gpa: number;
  hpa: number;
  size: number;
  flags: number;
}

/** A zone's stage-2 translation table, written into hypervisor frames. */
export interface Stage2Table {
  readonly root: number;
  map(gpa: number, hpa: number, size: number, flags: number): void;
  /** Every leaf mapping in GPA order (for the debugger). */
  leaves(): S2Leaf[];
}

/** A named field of ArchCpu as the debugger shows it. */
export interface ArchCpuField {
  readonly name: string;
  readonly value: bigint | number | boolean | readonly bigint[];
}

/** The ArchCpu fields hvisor's shared code reads. */
export interface ArchCpuCommon {
  readonly cpuid: number;
  powerOn: boolean;
  /** Every field under hvisor's name, for the debugger. */
  fields(): ArchCpuField[];
}

export interface HvArch<C extends CpuCore = CpuCore> {
  readonly name: 'riscv64' | 'aarch64';
  /** ArchCpu::new for a CPU entering the hypervisor. */
  newArchCpu(hv: Hvisor<C>, cpu: number): ArchCpuCommon;
  /** primary_init_late: the interrupt controller's global set-up after every CPU entered. */
  primaryInitLate(hv: Hvisor<C>): void;
  /** Levels of the stage-2 tables this board's CPUs support (stage2_mode_detect / VTCR set-up). */
  stage2Levels(hv: Hvisor<C>): 3 | 4;
  /** The name of that stage-2 format, for the debugger. */
  stage2ModeName(levels: 3 | 4): string;
  newStage2Table(hv: Hvisor<C>, levels: 3 | 4): Stage2Table;
  /** Point the CPU's stage-2 translation at `table` and flush its TLB (activate_gpm's register writes). */
  activateStage2(hv: Hvisor<C>, cpu: number, table: Stage2Table): void;
  /** Whether `table` is the CPU's active stage-2 table. */
  isStage2Active(hv: Hvisor<C>, cpu: number, table: Stage2Table): boolean;
  /** Guest code run by idle CPUs at guest address 0 (a WFI loop). */
  readonly parkingCode: Uint8Array;
  /** ArchCpu::run's register set-up: enter cpu_on_entry with the DTB. */
  resetForRun(hv: Hvisor<C>, cpu: number): void;
  /** ArchCpu::idle's register set-up: park at guest address 0. */
  resetForIdle(hv: Hvisor<C>, cpu: number): void;
  /** The zone's virtual interrupt controller and its MMIO windows (mmio_init + virqc_init). */
  zoneIrqchipInit(hv: Hvisor<C>, zone: Zone, config: AnyHvZoneConfig): void;
  /** arch_irqchip_reset for a zone being torn down; a reason when hvisor would panic. */
  irqchipReset(hv: Hvisor<C>, zone: Zone): string | undefined;
  /** arch_send_event: raise the hypervisor IPI on `cpu`. */
  sendEvent(hv: Hvisor<C>, cpu: number, ipiId: number): void;
  /** arch_check_events for events the shared code does not handle. */
  checkEvent(hv: Hvisor<C>, cpu: number, event: number): boolean;
}
