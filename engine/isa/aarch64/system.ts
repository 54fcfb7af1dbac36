// System instructions as an EL1/EL0 guest executes them: exception
// generation (SVC, HVC, SMC, BRK), MRS/MSR with their access rules and traps,
// MSR to PSTATE fields, SYS (cache, TLB and address-translation operations),
// WFI and ERET. What the hypervisor owns leaves to EL2 (HVC, SMC with
// HCR_EL2.TSC, SGI generation with HCR_EL2.IMO, the physical timer with
// CNTHCTL_EL2 clear); what the CPU lacks is UNDEFINED.

import type { CpuState, SystemHooks } from './cpu';
import { EC, ISS_COND_AL } from './exception-classes';
import type { Prepared } from './interpreter';
import { Access, translate } from './mmu';
import { HINT } from './sem-system';
import { HCR, SCTLR } from './system-registers';
import { sysOperation, sysregNames } from './sysregs';
import { sysreg, type SysregHost } from './sysreg-file';

/** What system instructions need from the core besides the registers. */
export interface SystemHost extends SysregHost {
  /** The CPU executed WFI. */
  waitForInterrupt(): void;
  /** YIELD, or WFE with no event: the CPU gives the rest of its turn to the others. */
  yieldTurn(): void;
  /** SEV: every CPU's event register is set. */
  sendEvent(): void;
  /** A broadcast TLB invalidation (the *IS/*OS forms): every CPU of the board flushes, all or the page of `va`. */
  flushAllTlbs(va?: number): void;
  /** TLBI of one virtual address on this CPU. */
  translationChangedAt(va: number): void;
}

/** The EL1 TLBI operations by virtual address (any ASID, or all; last level or all): one page each. */
const BY_ADDRESS = /^tlbi va(a)?(l)?e1(is)?$/;

/**
 * The address a TLBI VA* operand names: VA[55:12] in bits 43:0, sign-extended
 * from VA bit 55 as the TLBs tag addresses (the ASID in bits 63:48 is ignored:
 * entries are not tagged with it, so any ASID's entry for the page goes).
 */
function tlbiAddress(operand: bigint): number {
  return Number(BigInt.asIntN(44, operand)) * 4096;
}

/** The EC 0x18 syndrome of an MRS/MSR (or SYS) access. */
function sysregIss(d: Prepared, read: boolean): number {
  const v = d.decoded.values;
  const sr = v.sysreg ?? 0;
  const op0 = sr >> 14, op1 = (sr >> 11) & 7, crn = (sr >> 7) & 15, crm = (sr >> 3) & 15, op2 = sr & 7;
  return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | ((v.rt ?? 0) << 5) | (crm << 1) | (read ? 1 : 0);
}

/** EC 0x18 syndrome of a SYS instruction or MSR (immediate) trapped at EL0. */
function encodedIss(op0: number, op1: number, crn: number, crm: number, op2: number, rt: number, read: boolean): number {
  return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (read ? 1 : 0);
}

/** Registers whose guest accesses trap to the hypervisor while HCR_EL2.IMO is set. */
const SGI_REGISTERS = new Set(['icc_sgi1r_el1', 'icc_asgi1r_el1', 'icc_sgi0r_el1']);
/** Physical counter and timer registers that CNTHCTL_EL2.EL1PCTEN / EL1PCEN guard. */
const PHYSICAL_COUNTER = 'cntpct_el0';
const PHYSICAL_TIMER = new Set(['cntp_ctl_el0', 'cntp_cval_el0', 'cntp_tval_el0']);
/** Cache maintenance EL0 may perform when SCTLR_EL1.UCI allows it. */
const EL0_CACHE_OPS = new Set(['dc cvau', 'dc civac', 'dc cvac', 'ic ivau']);
/** Operations of extensions the ID registers do not advertise (FEAT_DPB, FEAT_DPB2, FEAT_PAN2, FEAT_TLBIOS, FEAT_TLBIRANGE, FEAT_SPECRES): UNDEFINED. */
const ABSENT_OPERATIONS = /^(dc cvad?p|at s1e1[rw]p|tlbi \w+os|tlbi r\w+|(cfp|dvp|cpp) rctx)$/;
const SCTLR_UCI = 1n << 26n;
/** op0 = 3, op1 = 0, CRn = 0 in an MRS's 16-bit system register field; CRm and op2 are its low six bits. */
const ID_SPACE = 0xc000;

export class Aarch64System implements SystemHooks {
  constructor(private readonly host: SystemHost) {}

  execute(c: CpuState, e: Prepared, pc: number): number {
    const next = pc + 4;
    const v = e.decoded.values;
    switch (e.decoded.row.id) {
      case 'svc':
        c.raise(EC.svc, v.imm!, 1, 4);
        return next;
      case 'hvc':
        if (c.el === 0) c.undefinedInstruction();
        else c.raise(EC.hvc, v.imm!, 2, 4);
        return next;
      case 'smc':
        if (c.el === 1 && (c.sr.hcr & HCR.TSC) !== 0n) c.raise(EC.smc, v.imm!, 2, 0);
        else c.undefinedInstruction();
        return next;
      case 'brk':
        c.raise(EC.brk, v.imm!);
        return next;
      case 'hint':
        return this.hint(c, v.imm!, next);
      case 'eret':
        return this.exceptionReturn(c, next);
      case 'msr.pstate':
        this.pstateField(c, e);
        return next;
      case 'sys':
        this.sysOperation(c, e);
        return next;
      case 'mrs':
        this.moveSysreg(c, e, true);
        return next;
      case 'msr.reg':
        this.moveSysreg(c, e, false);
        return next;
      default:
        // HLT (halting debug is off), UDF, SYSL (none implemented).
        c.undefinedInstruction();
        return next;
    }
  }

  /**
   * WFE consumes the event register or yields, as QEMU's does: the CPU never
   * sleeps on it, so no wake-up source can be missed; spinning CPUs give the
   * CPU holding the lock its turn.
   */
  private hint(c: CpuState, imm: number, next: number): number {
    switch (imm) {
      case HINT.WFI:
        return this.waitForInterrupt(c, next);
      case HINT.WFE:
        if (c.event) c.event = 0;
        else if (c.el === 0 && (c.sr.sctlr & SCTLR.nTWE) === 0n) c.raise(EC.wfx, ISS_COND_AL | 1);
        else this.host.yieldTurn();
        return next;
      case HINT.YIELD:
        this.host.yieldTurn();
        return next;
      case HINT.SEV:
        this.host.sendEvent();
        return next;
      case HINT.SEVL:
        c.event = 1;
        return next;
      default:
        return next;
    }
  }

  private waitForInterrupt(c: CpuState, next: number): number {
    if (c.el === 0 && (c.sr.sctlr & SCTLR.nTWI) === 0n) c.raise(EC.wfx, ISS_COND_AL);
    else this.host.waitForInterrupt();
    return next;
  }

  /** ERET from EL1: PSTATE from SPSR_EL1, pc from ELR_EL1; an illegal return sets PSTATE.IL instead of changing mode. */
  private exceptionReturn(c: CpuState, next: number): number {
    if (c.el === 0) {
      c.undefinedInstruction();
      return next;
    }
    const spsr = c.sr.spsr;
    const target = Number(BigInt.asIntN(64, c.sr.elr));
    c.monitor.release(c.id);
    c.event = 1;
    if (!c.setPstate(spsr)) {
      // Keep EL and SP; restore the rest; the next instruction takes an Illegal Execution State exception.
      const bits = Number(spsr & 0xffffffffn);
      c.nf = (bits >>> 31) & 1; c.zf = (bits >>> 30) & 1; c.cf = (bits >>> 29) & 1; c.vf = (bits >>> 28) & 1;
      c.daif = (bits >>> 6) & 0xf;
      c.il = 1;
    }
    this.host.interruptsChanged();
    return target;
  }

  private pstateField(c: CpuState, e: Prepared): void {
    const { op1 = 0, op2 = 0, crm = 0 } = e.decoded.values;
    if (op1 === 0 && op2 === 5) {
      if (c.el === 0) return c.undefinedInstruction();
      c.setMode(c.el, crm & 1);
      return;
    }
    if (op1 === 3 && (op2 === 6 || op2 === 7)) {
      if (c.el === 0 && (c.sr.sctlr & SCTLR.UMA) === 0n) return c.raise(EC.sysreg, encodedIss(0, op1, 4, crm, op2, 31, false));
      c.daif = op2 === 6 ? c.daif | crm : c.daif & ~crm;
      this.host.interruptsChanged();
      return;
    }
    // PAN, UAO, DIT, SSBS, TCO: later extensions this CPU does not have (its ID registers say so), so UNDEFINED.
    c.undefinedInstruction();
  }

  private sysOperation(c: CpuState, e: Prepared): void {
    const { op1 = 0, crn = 0, crm = 0, op2 = 0, rt = 31 } = e.decoded.values;
    const op = sysOperation(op1, crn, crm, op2);
    if (!op) return c.undefinedInstruction();
    const name = op.name;
    if (ABSENT_OPERATIONS.test(name)) return c.undefinedInstruction();
    if (c.el === 0) {
      if (!EL0_CACHE_OPS.has(name)) return c.undefinedInstruction();
      if ((c.sr.sctlr & SCTLR_UCI) === 0n) c.raise(EC.sysreg, encodedIss(1, op1, crn, crm, op2, rt, false));
      return;
    }
    // EL2 and EL3 operations, DC ZVA (DCZID_EL0.DZP) and the MTE tag operations do not exist for the guest.
    if (op1 >= 4 || name === 'dc zva' || /^dc (c?i?g|g)/.test(name)) return c.undefinedInstruction();
    if (name.startsWith('tlbi ')) {
      const va = BY_ADDRESS.test(name) ? tlbiAddress(rt === 31 ? 0n : c.getX(rt)) : undefined;
      if (/(is|os)$/.test(name)) this.host.flushAllTlbs(va);
      else if (va !== undefined) this.host.translationChangedAt(va);
      else this.host.translationChanged();
      return;
    }
    if (name.startsWith('at ')) return this.addressTranslation(c, name, rt);
    // DC/IC maintenance: translated code is invalidated by stores already; caches are not modelled.
  }

  /** AT S1E0*, S1E1*: a stage 1 walk whose result goes to PAR_EL1. */
  private addressTranslation(c: CpuState, name: string, rt: number): void {
    const va = rt === 31 ? 0 : Number(BigInt.asIntN(64, c.getX(rt)));
    const write = name.endsWith('w') || name.endsWith('wp');
    const unprivileged = name.startsWith('at s1e0');
    const regs = { ...c.translation, hcr: c.translation.hcr & ~HCR.VM };
    const r = translate(c.memory, regs, va, write ? Access.write : Access.read, { unprivileged, setFlags: false });
    if (r.ok) {
      const attr = r.device ? 0x00n : 0xffn;
      const sh = r.device ? 2n : 3n;
      c.sr.par = (attr << 56n) | (BigInt(Math.floor(r.pa / 4096)) << 12n) | (sh << 7n);
    } else {
      c.sr.par = 1n | (BigInt(r.fsc) << 1n) | (r.s1ptw ? 1n << 8n : 0n) | (r.stage === 2 ? 1n << 9n : 0n);
    }
  }

  private moveSysreg(c: CpuState, e: Prepared, read: boolean): void {
    const v = e.decoded.values;
    const name = sysregNames.get(v.sysreg!);
    const reg = name === undefined ? undefined : sysreg(name);
    // The rest of the ID register space (op0 3, op1 0, CRn 0, CRm 1..7) reads as zero from EL1.
    if (!reg && read && c.el === 1 && (v.sysreg! & ~0x3f) === ID_SPACE && (v.sysreg! & 0x38) !== 0) {
      c.setX(v.rt!, 0n);
      return;
    }
    if (!reg || reg.level === 2) return c.undefinedInstruction();
    const host = this.host;
    if (c.el === 0) {
      const rule = reg.level === 0 ? reg.el0 ?? 'yes' : undefined;
      const verdict = rule === undefined ? 'undefined' : rule === 'yes' ? 'ok' : rule === 'read' ? (read ? 'ok' : 'undefined') : rule(host, !read);
      if (verdict === 'undefined') return c.undefinedInstruction();
      if (verdict === 'trap') return c.raise(EC.sysreg, sysregIss(e, read));
    }
    if (name === 'sp_el0' && c.spsel === 0) return c.undefinedInstruction();
    if (reg.fp && c.fpTrap !== 0) return c.raise(EC.fpAccess, ISS_COND_AL, c.fpTrap === 2 ? 2 : 1);
    if (!read && SGI_REGISTERS.has(name!) && c.imo) return c.raise(EC.sysreg, sysregIss(e, false), 2);
    const cnthctl = c.sr.cnthctl;
    if ((name === PHYSICAL_COUNTER && (cnthctl & 1n) === 0n) || (PHYSICAL_TIMER.has(name!) && (cnthctl & 2n) === 0n)) {
      return c.raise(EC.sysreg, sysregIss(e, read), 2);
    }
    const rt = v.rt!;
    if (read) {
      const get = reg.guestRead ?? reg.read;
      if (!get) return c.undefinedInstruction();
      c.setX(rt, get(host));
    } else {
      const set = reg.guestWrite ?? reg.write;
      if (!set) return c.undefinedInstruction();
      set(host, rt === 31 ? 0n : c.getX(rt));
    }
  }
}
