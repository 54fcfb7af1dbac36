// Traps that reach HS-mode (src/arch/riscv64/trap.rs): ecalls from VS-mode go
// to the SBI; IPIs drain the event queue; what hvisor cannot handle stops the
// CPU with hvisor's reason.

import { CAUSE, CAUSE_NAMES, INTERRUPT_NAMES, IRQ } from '../../../isa/riscv64/csr';
import type { Riscv64Core } from '../../../isa/riscv64/core';
import type { TrapInfo } from '../../../isa/riscv64/traps';
import type { Hvisor } from '../../hvisor';
import { sbiVsHandler } from './sbi';

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

export function handleTrap(hv: Hvisor, core: Riscv64Core, trap: TrapInfo): void {
  const cpu = core.id;
  const hart = core.hart;
  if (trap.interrupt) {
    interrupt(hv, core, trap.cause);
    return;
  }
  switch (trap.cause) {
    case CAUSE.ecallFromVS:
      sbiVsHandler(hv, cpu);
      if (hv.stop || !core.inHypervisor) return;
      hart.sepc += 4n;
      core.returnToGuest();
      return;
    case CAUSE.loadGuestPageFault:
    case CAUSE.storeGuestPageFault: {
      const gpa = (hart.htval << 2n) | (hart.stval & 3n);
      hv.log(cpu, 'stage2', `${CAUSE_NAMES[trap.cause]} at GPA ${hex(gpa)} (sepc ${hex(hart.sepc)}, htinst ${hex(hart.htinst)})`);
      hv.panic(cpu, `MMIO access to GPA ${hex(gpa)} at sepc ${hex(hart.sepc)} matches no MMIO region of zone ${hv.zoneOf(cpu)?.id ?? 'none'} (mmio_handle_access fails, and riscv64 panics on MMIO errors)`);
      return;
    }
    default:
      hv.panic(cpu, `unhandled trap from the guest: scause ${trap.cause} (${CAUSE_NAMES[trap.cause] ?? 'reserved'}), sepc ${hex(hart.sepc)}, stval ${hex(hart.stval)}`);
  }
}

function interrupt(hv: Hvisor, core: Riscv64Core, cause: number): void {
  const cpu = core.id;
  const hart = core.hart;
  switch (cause) {
    case IRQ.SSI:
      while (hv.checkEvents(cpu)) if (!core.inHypervisor || hv.stop) return;
      core.setIrqLine(IRQ.SSI, false);
      core.returnToGuest();
      return;
    case IRQ.STI:
      hart.hvip |= 1n << BigInt(IRQ.VSTI);
      hart.sie &= ~(1n << BigInt(IRQ.STI));
      core.interruptsChanged();
      core.returnToGuest();
      return;
    default:
      hv.panic(cpu, `unhandled interrupt ${cause} (${INTERRUPT_NAMES[cause] ?? 'reserved'}) at sepc ${hex(hart.sepc)}`);
  }
}
