// ArchCpu for aarch64 (src/arch/aarch64/cpu.rs): tiny in hvisor because the
// guest's registers stay in hardware between traps; the trap frame (x0..x30)
// lives at the top of the CPU's area. The model's core holds all of it, so
// the frame reads through to the core.

import { PER_CPU_SIZE } from '../../consts';
import type { Aarch64Core } from '../../../isa/aarch64/core';
import type { ArchCpuCommon, ArchCpuField } from '../hv-arch';

/** SPSR_EL2 for entering a guest: D, A, I, F masked, EL1h. */
export const SPSR_EL1H_MASKED = 0x3c5n;
/** SCTLR_EL1 with only its RES1 bits: MMU and caches off. */
const SCTLR_EL1_RESET = 0x30d00800n;
/** HCR_EL2 as activate_vmm sets it: RW | TSC | VM | IMO | FMO. */
export const HCR_EL2_RUN = (1n << 31n) | (1n << 19n) | (1n << 0n) | (1n << 4n) | (1n << 3n);

/** The EL1/EL0 registers reset_vm_regs zeroes (reference §2.1, reset step 3). */
const ZEROED_EL1 = [
  'cntkctl_el1', 'pmcr_el0', 'sp_el0', 'sp_el1', 'spsr_el1', 'afsr0_el1', 'afsr1_el1', 'amair_el1', 'contextidr_el1', 'cpacr_el1',
  'csselr_el1', 'esr_el1', 'far_el1', 'mair_el1', 'par_el1', 'tcr_el1', 'tpidrro_el0', 'tpidr_el0', 'tpidr_el1', 'ttbr0_el1',
  'ttbr1_el1', 'vbar_el1', 'cntvoff_el2', 'cntp_ctl_el0', 'cntp_cval_el0', 'cntp_tval_el0', 'cntv_ctl_el0', 'cntv_cval_el0', 'cntv_tval_el0',
] as const;

export class ArchCpu implements ArchCpuCommon {
  powerOn = false;
  isAarch32 = false;
  /** The GeneralRegisters frame's address: the top 256 bytes of the CPU's area. */
  readonly frameAddress: number;

  constructor(readonly cpuid: number, readonly core: Aarch64Core, perCpuAreaBase: number) {
    this.frameAddress = perCpuAreaBase + PER_CPU_SIZE - 256;
  }

  /** GeneralRegisters.usr: x0..x30 as saved on the last trap (the core's registers). */
  get x(): bigint[] {
    return Array.from({ length: 31 }, (_, r) => this.core.getX(r));
  }

  fields(): ArchCpuField[] {
    const core = this.core;
    return [
      { name: 'cpuid', value: this.cpuid }, { name: 'is_aarch32', value: this.isAarch32 }, { name: 'power_on', value: this.powerOn },
      { name: 'elr_el2', value: core.readSysreg('elr_el2') ?? 0n }, { name: 'spsr_el2', value: core.readSysreg('spsr_el2') ?? 0n },
      { name: 'hcr_el2', value: core.readSysreg('hcr_el2') ?? 0n }, { name: 'vttbr_el2', value: core.readSysreg('vttbr_el2') ?? 0n },
      { name: 'guest frame', value: this.x },
    ];
  }

  /** reset(entry, dtb): ELR/SPSR_EL2 for EL1h at `entry`, a cleared frame with x0 = dtb, reset_vm_regs, activate_vmm. */
  reset(entry: bigint, dtb: bigint, vtcr: bigint): void {
    const core = this.core;
    core.writeSysreg('elr_el2', entry);
    core.writeSysreg('spsr_el2', SPSR_EL1H_MASKED);
    for (let r = 0; r < 31; r++) core.setX(r, 0n);
    core.setX(0, dtb);
    for (const name of ZEROED_EL1) core.writeSysreg(name, 0n);
    core.writeSysreg('sctlr_el1', SCTLR_EL1_RESET);
    core.writeSysreg('vtcr_el2', vtcr);
    core.writeSysreg('hcr_el2', HCR_EL2_RUN);
    core.translationChanged();
    core.interruptsChanged();
  }
}
