// ArchCpu for riscv64 (src/arch/riscv64/cpu.rs). hvisor saves the guest's
// registers into this struct on every trap; in the model the hart holds them,
// so the guest-register fields read through to the hart.

import { PER_CPU_SIZE } from '../../consts';
import type { Riscv64Core } from '../../../isa/riscv64/core';
import type { Hart } from '../../../isa/riscv64/hart';
import type { ArchCpuCommon, ArchCpuField } from '../hv-arch';

const HSTATUS_RUN = 0x2_0000_0080n; // SPV | VSXL = 64-bit
const SSTATUS_RUN = 0x8000_0000_0001_e100n; // SPP | FS | XS | SD
const HIDELEG_RUN = 0x444n; // VSSI | VSTI | VSEI
const HEDELEG_RUN = 0xb108n; // breakpoint, ecall from VU, instruction/load/store page faults
const SIE_RUN = 0x222n; // SSIE | STIE | SEIE
const SIE_SSIE = 0x2n;
const HENVCFG_STCE = 1n << 63n;
const HCOUNTEREN_TM = 0x2n;
const MAX = 0xffff_ffff_ffff_ffffn;

export class ArchCpu implements ArchCpuCommon {
  stackTop: number;
  powerOn = false;
  init = false;
  readonly sstc = true;

  constructor(readonly cpuid: number, readonly core: Riscv64Core, perCpuAreaBase: number) {
    this.stackTop = perCpuAreaBase + PER_CPU_SIZE - 8;
  }

  private get hart(): Hart {
    return this.core.hart;
  }

  /** x[0..32] as saved on the last trap (the hart's registers). */
  get x(): bigint[] {
    return Array.from({ length: 32 }, (_, r) => this.hart.getReg(r));
  }
  get hstatus(): bigint { return this.hart.hstatus; }
  get sstatus(): bigint { return this.hart.sstatus; }
  get sepc(): bigint { return this.hart.sepc; }

  fields(): ArchCpuField[] {
    return [
      { name: 'cpuid', value: this.cpuid }, { name: 'power_on', value: this.powerOn }, { name: 'init', value: this.init },
      { name: 'sstc', value: this.sstc }, { name: 'stack_top', value: this.stackTop },
      { name: 'hstatus', value: this.hstatus }, { name: 'sstatus', value: this.sstatus }, { name: 'sepc', value: this.sepc }, { name: 'x', value: this.x },
    ];
  }

  /** reset_regs(entry, a0, a1). */
  resetRegs(entry: bigint, a0: bigint, a1: bigint, sscratch: number): void {
    const h = this.hart;
    h.sscratch = BigInt(sscratch);
    h.sepc = entry;
    h.hstatus = HSTATUS_RUN;
    h.sstatus = SSTATUS_RUN;
    for (let r = 1; r < 32; r++) h.setReg(r, 0n);
    h.setReg(10, a0);
    h.setReg(11, a1);
    if (this.sstc) {
      h.stimecmp |= MAX;
      h.henvcfg |= HENVCFG_STCE;
      h.vstimecmp |= MAX;
    }
    h.hcounteren |= HCOUNTEREN_TM;
    h.htimedelta = 0n;
    h.hie = 0n;
    h.vstvec = 0n;
    h.vsscratch = 0n;
    h.vsepc = 0n;
    h.vscause = 0n;
    h.vstval = 0n;
    h.hvip = 0n;
    h.vsatp = 0n;
    this.core.timerChanged();
  }

  /** init_interrupt(): delegate VS interrupts and guest exceptions, enable HS interrupts. */
  initInterrupt(): void {
    const h = this.hart;
    h.hideleg |= HIDELEG_RUN;
    h.hedeleg |= HEDELEG_RUN;
    h.sie |= SIE_RUN;
    this.core.interruptsChanged();
  }

  /** reset_interrupt(): nothing delegated to a parked CPU; only IPIs wake it. */
  resetInterrupt(): void {
    const h = this.hart;
    h.hideleg = 0n;
    h.hedeleg = 0n;
    h.sie |= SIE_SSIE;
    this.core.interruptsChanged();
  }
}
