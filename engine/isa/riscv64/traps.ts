// Trap entry for a hart running with V=1. Exceptions delegated by hedeleg and
// VS-level interrupts delegated by hideleg go to the guest's VS-mode handler;
// everything else is taken into HS-mode, where the hypervisor model gets it.

import { CAUSE, HS_IRQ_MASK, HSTATUS, IRQ, STATUS, VS_IRQ_MASK } from './csr';
import type { Hart } from './hart';

export interface TrapInfo {
  readonly interrupt: boolean;
  readonly cause: number;
  readonly tval: number;
  /** Guest physical address of a guest-page fault (htval = gpa >> 2). */
  readonly gpa: number;
  readonly htinst: number;
}

const INTERRUPT_BIT = 1n << 63n;
const u64 = (v: number): bigint => BigInt.asUintN(64, BigInt(v));

/** Causes whose tval holds a guest virtual address (so hstatus.GVA is set). */
const ADDRESS_CAUSES = new Set<number>([
  CAUSE.instructionMisaligned, CAUSE.instructionAccessFault, CAUSE.loadMisaligned, CAUSE.loadAccessFault,
  CAUSE.storeMisaligned, CAUSE.storeAccessFault, CAUSE.instructionPageFault, CAUSE.loadPageFault,
  CAUSE.storePageFault, CAUSE.instructionGuestPageFault, CAUSE.loadGuestPageFault, CAUSE.storeGuestPageFault,
  CAUSE.breakpoint,
]);

/** Whether the trap goes to VS-mode (true) or to the hypervisor (false). */
export function delegatedToVs(hart: Hart, trap: TrapInfo): boolean {
  if (trap.interrupt) return trap.cause < 64 && ((hart.hideleg >> BigInt(trap.cause)) & 1n) === 1n && (VS_IRQ_MASK & (1 << trap.cause)) !== 0;
  return ((hart.hedeleg >> BigInt(trap.cause)) & 1n) === 1n;
}

/** Take a trap into the guest's VS-mode handler. */
export function enterVs(hart: Hart, trap: TrapInfo): void {
  // VS-level interrupt numbers appear to the guest as their S-level equivalents.
  const cause = trap.interrupt ? trap.cause - 1 : trap.cause;
  hart.vscause = (trap.interrupt ? INTERRUPT_BIT : 0n) | BigInt(cause);
  hart.vsepc = u64(hart.pc);
  hart.vstval = trap.interrupt ? 0n : u64(trap.tval);
  let s = hart.vsstatus;
  s = (s & ~STATUS.SPP) | (hart.priv ? STATUS.SPP : 0n);
  s = (s & ~STATUS.SPIE) | ((s & STATUS.SIE) !== 0n ? STATUS.SPIE : 0n);
  hart.vsstatus = s & ~STATUS.SIE;
  const base = Number(BigInt.asIntN(64, hart.vstvec & ~3n));
  const vectored = (hart.vstvec & 3n) === 1n && trap.interrupt;
  hart.pc = base + (vectored ? 4 * cause : 0);
  if (hart.priv !== 1) {
    hart.priv = 1;
    hart.flushTlb();
  }
}

/** Record a trap into HS-mode in the HS CSRs, as hardware would before the hypervisor runs. */
export function enterHs(hart: Hart, trap: TrapInfo): void {
  hart.scause = (trap.interrupt ? INTERRUPT_BIT : 0n) | BigInt(trap.cause);
  hart.sepc = u64(hart.pc);
  hart.stval = trap.interrupt ? 0n : u64(trap.tval);
  hart.htval = trap.interrupt ? 0n : BigInt(Math.floor(trap.gpa / 4));
  hart.htinst = trap.interrupt ? 0n : BigInt(trap.htinst >>> 0);
  let hs = hart.hstatus | HSTATUS.SPV;
  hs = (hs & ~HSTATUS.SPVP) | (hart.priv ? HSTATUS.SPVP : 0n);
  hs = (hs & ~HSTATUS.GVA) | (!trap.interrupt && ADDRESS_CAUSES.has(trap.cause) ? HSTATUS.GVA : 0n);
  hart.hstatus = hs;
  let s = hart.sstatus;
  s = (s & ~STATUS.SPP) | (hart.priv ? STATUS.SPP : 0n);
  s = (s & ~STATUS.SPIE) | ((s & STATUS.SIE) !== 0n ? STATUS.SPIE : 0n);
  hart.sstatus = s & ~STATUS.SIE;
}

/** sret from HS-mode back into the guest at sepc (the hypervisor's return path). */
export function returnFromHs(hart: Hart): void {
  const toPriv = (hart.sstatus & STATUS.SPP) !== 0n ? 1 : 0;
  let s = hart.sstatus;
  s = (s & ~STATUS.SIE) | ((s & STATUS.SPIE) !== 0n ? STATUS.SIE : 0n);
  hart.sstatus = (s | STATUS.SPIE) & ~STATUS.SPP;
  hart.pc = Number(BigInt.asIntN(64, hart.sepc));
  if (toPriv !== hart.priv) {
    // TLB entries carry the U-bit check of the privilege they were filled at.
    hart.priv = toPriv;
    hart.flushTlb();
  }
}

/** Interrupt pending bits as hip shows them, given the VS timer state. */
export function pendingInterrupts(hart: Hart, vsTimerFired: boolean, hsTimerFired: boolean): number {
  let pending = Number(hart.hvip & BigInt(VS_IRQ_MASK)) | hart.deviceIrqs;
  if (vsTimerFired) pending |= 1 << IRQ.VSTI;
  if (hsTimerFired) pending |= 1 << IRQ.STI;
  return pending;
}

const HS_PRIORITY = [IRQ.SEI, IRQ.SSI, IRQ.STI, IRQ.SGEI, IRQ.VSEI, IRQ.VSSI, IRQ.VSTI];
const VS_PRIORITY = [IRQ.VSEI, IRQ.VSSI, IRQ.VSTI];

/**
 * The interrupt to take now, or -1. HS-level interrupts (and VS-level ones
 * not delegated by hideleg) preempt the guest whenever they are enabled in
 * sie/hie; delegated VS-level ones need vsstatus.SIE in VS-mode.
 */
export function selectInterrupt(hart: Hart, pending: number): number {
  const sie = Number(hart.sie & BigInt(HS_IRQ_MASK | VS_IRQ_MASK));
  const hie = Number(hart.hie & BigInt(VS_IRQ_MASK));
  const hideleg = Number(hart.hideleg & BigInt(VS_IRQ_MASK));
  const toHs = pending & ((sie & HS_IRQ_MASK) | (hie & ~hideleg & VS_IRQ_MASK));
  for (const bit of HS_PRIORITY) if (toHs & (1 << bit)) return bit;
  const vsEnabled = hart.priv === 0 || (hart.vsstatus & STATUS.SIE) !== 0n;
  const toVs = pending & hie & hideleg;
  if (vsEnabled) for (const bit of VS_PRIORITY) if (toVs & (1 << bit)) return bit;
  return -1;
}

/** Whether any locally enabled interrupt is pending, which ends WFI even with SIE clear. */
export function wakesFromWfi(hart: Hart, pending: number): boolean {
  const sie = Number(hart.sie & BigInt(HS_IRQ_MASK));
  const hie = Number(hart.hie & BigInt(VS_IRQ_MASK));
  return (pending & (sie | hie)) !== 0;
}
