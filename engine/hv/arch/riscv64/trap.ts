// Traps that reach HS-mode (src/arch/riscv64/trap.rs): ecalls from VS-mode go
// to the SBI; IPIs drain the event queue; what hvisor cannot handle stops the
// CPU with hvisor's reason.

import { hex } from '../../../hex';
import { CAUSE, CAUSE_NAMES, INTERRUPT_NAMES, IRQ } from '../../../isa/riscv64/csr';
import type { Riscv64Core } from '../../../isa/riscv64/core';
import type { TrapInfo } from '../../../isa/riscv64/traps';
import type { RiscvHvisor } from './arch';
import { sbiVsHandler } from './sbi';
import { decodeMmioInstruction, guestPageFaultGpa, mmioLoadResult } from './mmio-decode';
import { HostPlic, physicalSContext } from './vplic';
import { mmioHandleAccess, type MmioAccess } from '../../mmio';
import { Access, translate } from '../../../isa/riscv64/mmu';
import type { Hart } from '../../../isa/riscv64/hart';
import type { HvTask } from '../../task';


export function* handleTrap(hv: RiscvHvisor, core: Riscv64Core, trap: TrapInfo): HvTask {
  const cpu = core.id;
  const hart = core.hart;
  if (trap.interrupt) {
    yield* interrupt(hv, core, trap.cause);
    return;
  }
  switch (trap.cause) {
    case CAUSE.ecallFromVS:
      yield* hv.frame(cpu, 'sbi_vs_handler', sbiVsHandler(hv, cpu));
      if (hv.stop || !core.inHypervisor) return;
      hart.sepc += 4n;
      core.returnToGuest();
      return;
    case CAUSE.loadGuestPageFault:
    case CAUSE.storeGuestPageFault:
      yield* hv.frame(cpu, 'guest_page_fault_handler', guestPageFault(hv, core, trap));
      return;
    default:
      hv.panic(cpu, `unhandled trap from the guest: scause ${trap.cause} (${CAUSE_NAMES[trap.cause] ?? 'reserved'}), sepc ${hex(hart.sepc)}, stval ${hex(hart.stval)}`);
  }
}

/** A load or store the zone's stage 2 does not map: emulate it as MMIO (guest_page_fault_handler). */
function* guestPageFault(hv: RiscvHvisor, core: Riscv64Core, trap: TrapInfo): HvTask {
  const cpu = core.id;
  const hart = core.hart;
  const gpa = guestPageFaultGpa(hart.htval, hart.stval);
  const sepc = Number(BigInt.asIntN(64, hart.sepc));
  const decoded = decodeMmioInstruction(hart.htinst, (offset) => fetchGuestHalf(hart, sepc + offset));
  if (!decoded.ok) {
    hv.panic(cpu, `${CAUSE_NAMES[trap.cause]} at GPA ${hex(gpa)}, sepc ${hex(hart.sepc)}: ${decoded.reason}`);
    return;
  }
  const zone = hv.zoneOf(cpu);
  if (!zone) {
    hv.panic(cpu, `MMIO on CPU ${cpu}, which has no zone (this_zone() unwraps None)`);
    return;
  }
  const access: MmioAccess = { address: Number(gpa), size: decoded.size, isWrite: decoded.isWrite, value: decoded.isWrite ? hart.getReg(decoded.reg) : 0n };
  yield* hv.frame(cpu, `zone(${zone.id}).read()`, zone.lock.read(cpu));
  let result;
  try {
    yield* hv.event(cpu, 'mmio', `${decoded.isWrite ? 'write' : 'read'} ${decoded.size} bytes at GPA ${hex(gpa)}${decoded.isWrite ? ` value ${hex(access.value)}` : ''} (sepc ${hex(hart.sepc)})`);
    result = mmioHandleAccess(zone, access);
  } finally {
    zone.lock.unlockRead(cpu);
  }
  if (hv.stop) return;
  if (!result.ok) {
    hv.panic(cpu, `MMIO ${decoded.isWrite ? 'write' : 'read'} at GPA ${hex(gpa)}, sepc ${hex(hart.sepc)} failed (${result.message}); riscv64 hvisor panics on MMIO errors`);
    return;
  }
  if (!decoded.isWrite) {
    const value = mmioLoadResult(access.value, decoded);
    hv.log(cpu, 'mmio', `read ${hex(gpa)} -> ${hex(value)}`);
    if (decoded.reg !== 0) hart.setReg(decoded.reg, value);
  }
  hart.sepc += BigInt(decoded.insnSize);
  core.returnToGuest();
}

/** hlvx.hu: 16 bits of the guest's code at a guest virtual address, through both translation stages. */
function fetchGuestHalf(hart: Hart, va: number): number | undefined {
  const pa = translate({ memory: hart.memory, priv: 1, vsatp: hart.vsatp, hgatp: hart.hgatp, vsstatus: hart.vsstatus, sstatus: hart.sstatus, updatesAccessed: false }, va, Access.execute);
  if (typeof pa !== 'number') return undefined;
  const bytes = hart.memory.readBytes(pa, 2);
  return bytes[0] === undefined || bytes[1] === undefined ? undefined : bytes[0] | (bytes[1] << 8);
}

function* interrupt(hv: RiscvHvisor, core: Riscv64Core, cause: number): HvTask {
  const cpu = core.id;
  const hart = core.hart;
  switch (cause) {
    case IRQ.SSI:
      while (yield* hv.checkEvents(cpu)) if (!core.inHypervisor || hv.stop) return;
      core.setIrqLine(IRQ.SSI, false);
      core.returnToGuest();
      return;
    case IRQ.SEI: {
      // Claim from this CPU's physical S-mode context and hand the IRQ to the zone's vPLIC.
      const irq = new HostPlic(hv.arch.physicalPlic).claim(physicalSContext(cpu));
      if (irq !== 0) {
        const zone = hv.zoneOf(cpu);
        const vplic = zone ? hv.arch.vplics.get(zone.id) : undefined;
        yield* hv.event(cpu, 'mmio', `external interrupt ${irq} from the PLIC for zone ${zone?.id ?? 'none'}`);
        if (vplic) vplic.injectIrq(irq, true);
      }
      core.returnToGuest();
      return;
    }
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
