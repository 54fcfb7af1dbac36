// PerCpu (src/cpu_data.rs): the per-physical-CPU record hvisor keeps at the
// bottom of each CPU's 512 KiB area.

import { INVALID_ADDRESS, PER_CPU_SIZE } from './consts';
import type { ArchCpuCommon } from './arch/hv-arch';
import type { SpinMutex } from './lock';
import type { Zone } from './zone';

export class PerCpu {
  cpuOnEntry = INVALID_ADDRESS;
  dtbIpa = INVALID_ADDRESS;
  zone: Zone | undefined;
  bootCpu = false;

  /** ctrl_lock serialises power-state changes of this CPU made by other CPUs. */
  constructor(readonly id: number, readonly archCpu: ArchCpuCommon, readonly ctrlLock: SpinMutex) {}
}

/** Base address of a CPU's area: the PerCpu struct at the bottom, its stack at the top. */
export const perCpuBase = (coreEnd: number, id: number): number => coreEnd + id * PER_CPU_SIZE;
