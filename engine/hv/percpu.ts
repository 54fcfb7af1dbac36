// PerCpu (src/cpu_data.rs): the per-physical-CPU record hvisor keeps at the
// bottom of each CPU's 512 KiB area.

import { INVALID_ADDRESS, PER_CPU_SIZE } from './consts';
import type { ArchCpu } from './arch/riscv64/cpu';
import type { Zone } from './zone';

/** ctrl_lock: serialises power-state changes of this CPU made by other CPUs. */
export class CtrlLock {
  owner: number | undefined;
}

export class PerCpu {
  cpuOnEntry = INVALID_ADDRESS;
  dtbIpa = INVALID_ADDRESS;
  zone: Zone | undefined;
  readonly ctrlLock = new CtrlLock();
  bootCpu = false;

  constructor(readonly id: number, readonly archCpu: ArchCpu) {}
}

/** Base address of a CPU's area: the PerCpu struct at the bottom, its stack at the top. */
export const perCpuBase = (coreEnd: number, id: number): number => coreEnd + id * PER_CPU_SIZE;
