// System instructions as a hart executes them in VS- or VU-mode: CSR access
// (VS-mode's s* CSRs are the vs* state; fflags, frm and fcsr while FS is on), sret, wfi, fences and ecall/ebreak.
// Whatever the H extension reserves for HS-mode raises a virtual instruction
// exception; what only M-mode may do raises an illegal instruction exception.

import { CAUSE, CSR, FS, HSTATUS, IRQ, STATUS, VS_IRQ_MASK, VSSTATUS_WRITABLE } from './csr';
import type { Decoded } from './decode';
import type { Hart, SystemHooks } from './hart';
import { ticksAt } from './timebase';

/** What the core does when system instructions change state it caches. */
export interface SystemEvents {
  /** Interrupt enables or pending bits may have changed. */
  interruptsChanged(): void;
  /** The hart executed WFI. */
  waitForInterrupt(): void;
  /** Translation changed (satp, sfence.vma, privilege): flush TLBs and block maps. */
  translationChanged(): void;
  /** sfence.vma of one address: flush what the TLBs and block map hold for its page. */
  translationChangedAt(va: number): void;
  /** The VS timer compare value changed. */
  timerChanged(): void;
}

const u64 = (v: number): bigint => BigInt.asUintN(64, BigInt(v));

/** Moves VS-level bits (2, 6, 10) down to their S-level positions (1, 5, 9), and back. */
const vsToS = (v: bigint): bigint => (v & BigInt(VS_IRQ_MASK)) >> 1n;
const sToVs = (v: bigint): bigint => (v << 1n) & BigInt(VS_IRQ_MASK);

export class Riscv64System implements SystemHooks {
  constructor(private readonly events: SystemEvents) {}

  execute(hart: Hart, d: Decoded, pc: number, next: number): number {
    switch (d.op) {
      case 'ecall':
        hart.raise(hart.priv ? CAUSE.ecallFromVS : CAUSE.ecallFromU, 0);
        return next;
      case 'ebreak':
        hart.raise(CAUSE.breakpoint, pc);
        return next;
      case 'sret':
        if (hart.priv === 0 || (hart.hstatus & HSTATUS.VTSR) !== 0n) return this.virtualInstruction(hart, d, next);
        return this.sret(hart);
      case 'mret':
        hart.raise(CAUSE.illegalInstruction, d.raw);
        return next;
      case 'wfi':
        if (hart.priv === 0 || (hart.hstatus & HSTATUS.VTW) !== 0n) return this.virtualInstruction(hart, d, next);
        this.events.waitForInterrupt();
        return next;
      case 'fence.i':
        // Stores already invalidated any translated code they overwrote.
        return next;
      case 'sfence.vma':
        if (hart.priv === 0 || (hart.hstatus & HSTATUS.VTVM) !== 0n) return this.virtualInstruction(hart, d, next);
        // An address names one page (whatever the ASID: entries are not tagged with it).
        if (d.rs1 !== 0) this.events.translationChangedAt(hart.x[2 * d.rs1 + 1]! * 4294967296 + (hart.x[2 * d.rs1]! >>> 0));
        else this.events.translationChanged();
        return next;
      case 'csrrw': case 'csrrs': case 'csrrc': case 'csrrwi': case 'csrrsi': case 'csrrci':
        return this.csrInstruction(hart, d, next);
      default:
        // hfence.*, hlv.*, hsv.*: HS-mode only.
        return this.virtualInstruction(hart, d, next);
    }
  }

  private virtualInstruction(hart: Hart, d: Decoded, next: number): number {
    hart.raise(CAUSE.virtualInstruction, d.raw);
    return next;
  }

  private sret(hart: Hart): number {
    let s = hart.vsstatus;
    const toPriv = (s & STATUS.SPP) !== 0n ? 1 : 0;
    s = (s & ~STATUS.SIE) | ((s & STATUS.SPIE) !== 0n ? STATUS.SIE : 0n);
    hart.vsstatus = (s | STATUS.SPIE) & ~STATUS.SPP;
    hart.reservations.release(hart);
    if (toPriv !== hart.priv) {
      hart.priv = toPriv;
      this.events.translationChanged();
    }
    this.events.interruptsChanged();
    return Number(BigInt.asIntN(64, hart.vsepc));
  }

  private csrInstruction(hart: Hart, d: Decoded, next: number): number {
    const immediate = d.op.endsWith('i');
    const source = immediate ? BigInt(d.imm) : hart.getReg(d.rs1);
    const kind = d.op.slice(4, 5); // w, s, c
    const writes = kind === 'w' || (immediate ? d.imm !== 0 : d.rs1 !== 0);
    const reads = kind !== 'w' || d.rd !== 0;
    const denied = this.checkAccess(hart, d.csr, writes);
    if (denied !== undefined) {
      hart.raise(denied, d.raw);
      return next;
    }
    const old = reads || kind !== 'w' ? this.read(hart, d.csr) : 0n;
    if (old === undefined) {
      hart.raise(CAUSE.illegalInstruction, d.raw);
      return next;
    }
    if (writes) {
      const value = kind === 'w' ? source : kind === 's' ? old | source : old & ~source;
      this.write(hart, d.csr, BigInt.asUintN(64, value));
    }
    if (reads) hart.setReg(d.rd, old);
    return next;
  }

  /** The exception an access raises, or undefined if it is allowed. */
  private checkAccess(hart: Hart, csr: number, writes: boolean): number | undefined {
    const level = (csr >> 8) & 3;
    if (level === 3) return CAUSE.illegalInstruction;
    if (writes && (csr >> 10) === 3) return CAUSE.illegalInstruction;
    if (!this.exists(csr)) return CAUSE.illegalInstruction;
    // With V=1, either vsstatus.FS or the HS-level sstatus.FS being Off turns the FP CSRs off.
    if (FP_CSRS.has(csr) && (hart.vsFs === FS.off || hart.sFs === FS.off)) return CAUSE.illegalInstruction;
    if (level === 2) return CAUSE.virtualInstruction;
    if (level === 1 && hart.priv === 0) return CAUSE.virtualInstruction;
    if (csr >= CSR.cycle && csr <= 0xc1f) {
      const bit = 1n << BigInt(csr - CSR.cycle);
      if ((hart.hcounteren & bit) === 0n) return CAUSE.virtualInstruction;
      if (hart.priv === 0 && (hart.scounteren & bit) === 0n) return CAUSE.virtualInstruction;
    }
    if (csr === CSR.satp && (hart.hstatus & HSTATUS.VTVM) !== 0n) return CAUSE.virtualInstruction;
    if (csr === CSR.stimecmp && (hart.henvcfg >> 63n) === 0n) return CAUSE.virtualInstruction;
    return undefined;
  }

  private exists(csr: number): boolean {
    if (csr >= CSR.cycle && csr <= 0xc1f) return true;
    return FP_CSRS.has(csr) || SUPERVISOR_CSRS.has(csr) || HYPERVISOR_CSRS.has(csr);
  }

  /** The value the guest reads (VS-mode view). */
  read(hart: Hart, csr: number): bigint | undefined {
    switch (csr) {
      case CSR.fflags: return BigInt(hart.fflags);
      case CSR.frm: return BigInt(hart.frm);
      case CSR.fcsr: return BigInt(hart.fcsr);
      case CSR.cycle: return u64(hart.cycles);
      case CSR.instret: return u64(hart.instret);
      case CSR.time: return BigInt.asUintN(64, BigInt(ticksAt(hart.cycles)) + hart.htimedelta);
      case CSR.sstatus: return hart.vsstatus;
      case CSR.sie: return vsToS(hart.hie & hart.hideleg);
      case CSR.sip: return vsToS(this.vsPending(hart) & hart.hideleg);
      case CSR.stvec: return hart.vstvec;
      case CSR.scounteren: return hart.scounteren;
      case CSR.senvcfg: return hart.senvcfg;
      case CSR.sscratch: return hart.vsscratch;
      case CSR.sepc: return hart.vsepc;
      case CSR.scause: return hart.vscause;
      case CSR.stval: return hart.vstval;
      case CSR.stimecmp: return hart.vstimecmp;
      case CSR.satp: return hart.vsatp;
      default: return csr >= CSR.cycle && csr <= 0xc1f ? 0n : undefined;
    }
  }

  /** VS-level pending bits as hip shows them (hvip plus the Sstc timer). */
  private vsPending(hart: Hart): bigint {
    let p = hart.hvip & BigInt(VS_IRQ_MASK);
    const stce = (hart.henvcfg >> 63n) === 1n;
    if (stce && BigInt(ticksAt(hart.cycles)) + hart.htimedelta >= hart.vstimecmp) p |= 1n << BigInt(IRQ.VSTI);
    return p;
  }

  /** Write a CSR as the guest would (VS-mode view, WARL masks and side effects), bypassing permission checks. */
  writeAsGuest(hart: Hart, csr: number, value: bigint): void {
    this.write(hart, csr, BigInt.asUintN(64, value));
  }

  private write(hart: Hart, csr: number, value: bigint): void {
    switch (csr) {
      case CSR.fflags: case CSR.frm: case CSR.fcsr: {
        const v = Number(value & 0xffn);
        if (csr !== CSR.frm) hart.fflags = v & 0x1f;
        if (csr === CSR.fcsr) hart.frm = v >> 5;
        if (csr === CSR.frm) hart.frm = v & 7;
        // Changing FP state with V=1 marks both FS fields Dirty.
        hart.vsFs = FS.dirty;
        hart.sFs = FS.dirty;
        return;
      }
      case CSR.sstatus: {
        const old = hart.vsstatus;
        hart.vsstatus = (old & ~VSSTATUS_WRITABLE) | (value & VSSTATUS_WRITABLE);
        if (((old ^ hart.vsstatus) & (STATUS.SUM | STATUS.MXR)) !== 0n) this.events.translationChanged();
        this.events.interruptsChanged();
        return;
      }
      case CSR.sie: {
        const mask = hart.hideleg & BigInt(VS_IRQ_MASK);
        hart.hie = (hart.hie & ~mask) | (sToVs(value) & mask);
        this.events.interruptsChanged();
        return;
      }
      case CSR.sip: {
        // Only SSIP is writable; it aliases hvip.VSSIP when delegated.
        const bit = 1n << BigInt(IRQ.VSSI);
        if ((hart.hideleg & bit) !== 0n) hart.hvip = (hart.hvip & ~bit) | (sToVs(value) & bit);
        this.events.interruptsChanged();
        return;
      }
      case CSR.stvec: hart.vstvec = value & ~2n; return;
      case CSR.scounteren: hart.scounteren = value & 0xffff_ffffn; return;
      case CSR.senvcfg: hart.senvcfg = value & 1n; return;
      case CSR.sscratch: hart.vsscratch = value; return;
      case CSR.sepc: hart.vsepc = value & ~1n; return;
      case CSR.scause: hart.vscause = value; return;
      case CSR.stval: hart.vstval = value; return;
      case CSR.stimecmp:
        hart.vstimecmp = value;
        this.events.timerChanged();
        return;
      case CSR.satp: {
        const mode = Number(value >> 60n);
        if (mode !== 0 && mode !== 8 && mode !== 9) return; // WARL: unsupported modes leave satp unchanged
        hart.vsatp = value;
        this.events.translationChanged();
        return;
      }
    }
  }
}

const FP_CSRS = new Set<number>([CSR.fflags, CSR.frm, CSR.fcsr]);
const SUPERVISOR_CSRS = new Set<number>([
  CSR.sstatus, CSR.sie, CSR.stvec, CSR.scounteren, CSR.senvcfg, CSR.sscratch, CSR.sepc, CSR.scause,
  CSR.stval, CSR.sip, CSR.stimecmp, CSR.satp,
]);
const HYPERVISOR_CSRS = new Set<number>([
  CSR.vsstatus, CSR.vsie, CSR.vstvec, CSR.vsscratch, CSR.vsepc, CSR.vscause, CSR.vstval, CSR.vsip,
  CSR.vstimecmp, CSR.vsatp, CSR.hstatus, CSR.hedeleg, CSR.hideleg, CSR.hie, CSR.htimedelta, CSR.hcounteren,
  CSR.hgeie, CSR.henvcfg, CSR.htval, CSR.hip, CSR.hvip, CSR.htinst, CSR.hgatp, CSR.hgeip,
]);
