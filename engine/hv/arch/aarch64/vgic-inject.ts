// Virtual interrupt delivery through the GICv3 list registers and the IRQ exit
// (src/device/irqchip/gicv3/mod.rs): inject_irq, the per-CPU PENDING_VIRQS
// queue drained by the maintenance interrupt, and gicv3_handle_irq_el1.

import type { HvTask } from '../../task';
import { ICH_HCR_UIE, INTID_SPURIOUS, LR_GROUP, LR_HW, LR_PINTID_SHIFT, LR_STATE_PENDING, LR_STATE_SHIFT } from '../../../machine/devices/gicv3/registers';
import { MAINTENANCE_INTERRUPT, type HostGic } from './vgic-host';
import { SGI_IPI_ID } from '../../consts';

const LR_VIRTIRQ_MASK = 0xffff_ffffn;
const PPI_VIRT_TIMER = 27;

/**
 * inject_irq on `cpu`: into the first free list register (ICH_ELRSR_EL2)
 * unless a busy one already holds `intid`. Hardware non-SGI interrupts are
 * HW-mapped with pINTID = vINTID, so the guest's deactivation reaches the
 * physical one. With no free LR the interrupt waits in PENDING_VIRQS and the
 * underflow maintenance interrupt is enabled. False when it had to wait.
 */
export function injectIrq(hg: HostGic, cpu: number, intid: number, isHw: boolean): boolean {
  const ich = hg.gic.vcpu(cpu);
  const elrsr = ich.readElrsr();
  const lrs = (ich.readVtr() & 0xf) + 1;
  let free = -1;
  for (let i = 0; i < lrs; i++) {
    if ((elrsr >>> i) & 1) {
      if (free < 0) free = i;
      continue;
    }
    if ((ich.readLr(i) & LR_VIRTIRQ_MASK) === BigInt(intid)) return true;
  }
  if (free < 0) {
    hg.pendingVirqs[cpu]!.push({ intid, isHw });
    enableMaintenanceInterrupt(hg, cpu, true);
    return false;
  }
  let lr = BigInt(intid) | LR_GROUP | (BigInt(LR_STATE_PENDING) << LR_STATE_SHIFT);
  if (intid >= 16 && isHw) lr |= LR_HW | (BigInt(intid) << LR_PINTID_SHIFT);
  ich.writeLr(free, lr);
  return true;
}

/** enable_maintenace_interrupt: ICH_HCR_EL2.UIE on or off. */
function enableMaintenanceInterrupt(hg: HostGic, cpu: number, on: boolean): void {
  const ich = hg.gic.vcpu(cpu);
  const hcr = ich.readHcr();
  ich.writeHcr(on ? hcr | ICH_HCR_UIE : hcr & ~ICH_HCR_UIE);
}

/**
 * handle_maintenace_interrupt: refill LRs from the queue. One that still
 * finds no room is queued twice, as in hvisor: by inject_irq and again here.
 */
export function handleMaintenanceInterrupt(hg: HostGic, cpu: number): void {
  const queue = hg.pendingVirqs[cpu]!;
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (!injectIrq(hg, cpu, next.intid, next.isHw)) {
      queue.push(next);
      enableMaintenanceInterrupt(hg, cpu, true);
      return;
    }
  }
  enableMaintenanceInterrupt(hg, cpu, false);
}

/** deactivate_irq: EOI (priority drop); SGIs and the maintenance PPI are also deactivated at once. */
function deactivateIrq(hg: HostGic, cpu: number, intid: number): void {
  const icc = hg.gic.cpu(cpu);
  icc.writeEoir1(intid);
  if (intid < 16 || intid === MAINTENANCE_INTERRUPT) icc.writeDir(intid);
}

/**
 * gicv3_handle_irq_el1: acknowledge until ICC_IAR1_EL1 reads 1023. SGIs 0-7
 * are forwarded to the guest, except SGI 7 when check_events consumed an
 * event; SGIs 8-15 are dropped; the maintenance PPI refills the LRs; every
 * other INTID is injected HW-mapped and only priority-dropped here.
 */
export function* gicv3HandleIrqEl1(hg: HostGic, cpu: number): HvTask {
  const icc = hg.gic.cpu(cpu);
  for (let intid = icc.readIar1(); intid !== INTID_SPURIOUS; intid = icc.readIar1()) {
    if (intid < 8) {
      deactivateIrq(hg, cpu, intid);
      let handled = false;
      if (intid === SGI_IPI_ID) {
        handled = yield* hg.host.checkEvents(cpu);
        if (hg.host.trapEnded(cpu)) return;
      }
      if (!handled) injectIrq(hg, cpu, intid, false);
    } else if (intid < 16) {
      hg.host.log(`skip sgi ${intid}`);
      deactivateIrq(hg, cpu, intid);
    } else {
      if (intid === MAINTENANCE_INTERRUPT) handleMaintenanceInterrupt(hg, cpu);
      else {
        if (intid < 32 && intid !== PPI_VIRT_TIMER) hg.host.log(`not konw irq id = ${intid}`);
        const already = lrHolding(hg, cpu, intid) >= 0;
        const injected = injectIrq(hg, cpu, intid, true);
        // Device interrupts (SPIs) are worth a trace line; the timer PPI would flood it.
        if (intid >= 32 && hg.host.announce) yield* hg.host.announce(cpu, describeInjection(hg, cpu, intid, already, injected));
      }
      deactivateIrq(hg, cpu, intid);
    }
  }
}

/** The list register holding vINTID `intid` in any state, or -1. */
function lrHolding(hg: HostGic, cpu: number, intid: number): number {
  const ich = hg.gic.vcpu(cpu);
  const elrsr = ich.readElrsr();
  const lrs = (ich.readVtr() & 0xf) + 1;
  for (let i = 0; i < lrs; i++) if (!((elrsr >>> i) & 1) && (ich.readLr(i) & LR_VIRTIRQ_MASK) === BigInt(intid)) return i;
  return -1;
}

/** "IRQ exit: SPI 33 for zone 0: injected HW-mapped (pINTID 33) into LR0", or why it was not. */
function describeInjection(hg: HostGic, cpu: number, intid: number, already: boolean, injected: boolean): string {
  const zone = hg.host.zoneOf(cpu);
  const head = `IRQ exit: SPI ${intid} for zone ${zone ? zone.id : 'none'}`;
  if (!injected) return `${head}: no free list register, queued in PENDING_VIRQS`;
  const lr = lrHolding(hg, cpu, intid);
  return already ? `${head}: already in LR${lr}, not injected again` : `${head}: injected HW-mapped (pINTID ${intid}) into LR${lr}`;
}
