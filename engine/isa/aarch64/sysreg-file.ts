// Every system register this CPU has, by objdump name: its value as the
// hypervisor (EL2) sees it, the guest's view where that differs (ICC_* go to
// the virtual interface while HCR_EL2.IMO is set; MIDR/MPIDR read VPIDR and
// VMPIDR), and who may reach it by MRS/MSR. system.ts applies the access
// rules; the core's readSysreg/writeSysreg use the hypervisor's view.

import type { GenericTimer, TimerKind } from '../../machine/devices/generic-timer';
import type { Gicv3 } from '../../machine/devices/gicv3/gic';
import { flagsFromFpsr, fpsrFromFlags, setArmFpcr } from '../float';
import type { CpuState } from './cpu';
import { CTR_EL0, DCZID_EL0, ID_REGISTERS, MIDR_EL1, cacheSizeId } from './id-registers';
import type { StorageName } from './system-registers';

export type SysregGroup = 'el0' | 'el1' | 'el2' | 'timer' | 'gic' | 'id';

/** What the registers reach besides the CPU state. */
export interface SysregHost {
  readonly id: number;
  readonly state: CpuState;
  readonly gic: Gicv3;
  readonly timer: GenericTimer;
  /** MPIDR_EL1 as the hardware reports it. */
  readonly mpidr: bigint;
  /** The GIC CPU interface's IRQ output and the virtual interface's VIRQ (or HCR_EL2.VI). */
  readonly irqPending: boolean;
  readonly virqPending: boolean;
  translationChanged(): void;
  interruptsChanged(): void;
  timerChanged(): void;
}

/**
 * How EL0 may reach a register: 'yes', 'read' (writes are UNDEFINED), or a
 * check returning 'ok', 'trap' (EC 0x18 to EL1) or 'undefined'.
 */
export type El0Access = 'yes' | 'read' | ((h: SysregHost, write: boolean) => 'ok' | 'trap' | 'undefined');

export interface Sysreg {
  readonly name: string;
  readonly group: SysregGroup;
  /** 2: only the hypervisor (an MRS/MSR from EL1 is UNDEFINED); 1: EL1; 0: EL0 too, as `el0` allows. */
  readonly level: 0 | 1 | 2;
  readonly el0?: El0Access;
  readonly read?: (h: SysregHost) => bigint;
  readonly write?: (h: SysregHost, v: bigint) => void;
  /** The guest's view, where it differs from the hypervisor's. */
  readonly guestRead?: (h: SysregHost) => bigint;
  readonly guestWrite?: (h: SysregHost, v: bigint) => void;
  /** An FP/SIMD register: accesses trap while FP is disabled. */
  readonly fp?: boolean;
  /** Shown in sysregNames(): false where reading has side effects or the register is write-only. */
  readonly listed: boolean;
}

const regs = new Map<string, Sysreg>();
const define = (r: Sysreg): void => {
  regs.set(r.name, r);
};

const u32 = (v: bigint): number => Number(v & 0xffffffffn);
const big = (v: number): bigint => BigInt(v >>> 0);

/** A register that is plain storage in SystemRegisters, with an optional write mask and effect. */
function storage(name: string, field: StorageName, group: SysregGroup, level: 0 | 1 | 2, opts: { mask?: bigint; effect?: (h: SysregHost) => void; el0?: El0Access; fp?: boolean } = {}): void {
  define({
    name, group, level, listed: true,
    ...(opts.el0 ? { el0: opts.el0 } : {}),
    ...(opts.fp ? { fp: true } : {}),
    read: (h) => h.state.sr[field],
    write: (h, v) => {
      const mask = opts.mask ?? 0xffff_ffff_ffff_ffffn;
      h.state.sr[field] = v & mask;
      opts.effect?.(h);
    },
  });
}

const translation = (h: SysregHost): void => {
  h.state.controlsChanged();
  h.translationChanged();
};
const controls = (h: SysregHost): void => h.state.controlsChanged();

// ---- EL1 and EL0 state -------------------------------------------------------------

storage('sctlr_el1', 'sctlr', 'el1', 1, { effect: translation });
storage('actlr_el1', 'actlr', 'el1', 1);
storage('cpacr_el1', 'cpacr', 'el1', 1, { mask: 0x3n << 20n, effect: controls });
storage('ttbr0_el1', 'ttbr0', 'el1', 1, { effect: translation });
storage('ttbr1_el1', 'ttbr1', 'el1', 1, { effect: translation });
storage('tcr_el1', 'tcr', 'el1', 1, { effect: translation });
storage('mair_el1', 'mair', 'el1', 1, { effect: translation });
storage('amair_el1', 'amair', 'el1', 1);
storage('vbar_el1', 'vbar', 'el1', 1, { mask: ~0x7ffn & 0xffff_ffff_ffff_ffffn });
storage('elr_el1', 'elr', 'el1', 1);
storage('spsr_el1', 'spsr', 'el1', 1, { mask: 0xffff_ffffn });
storage('esr_el1', 'esr', 'el1', 1, { mask: 0xffff_ffffn });
storage('far_el1', 'far', 'el1', 1);
storage('par_el1', 'par', 'el1', 1);
storage('afsr0_el1', 'afsr0', 'el1', 1);
storage('afsr1_el1', 'afsr1', 'el1', 1);
storage('contextidr_el1', 'contextidr', 'el1', 1, { mask: 0xffff_ffffn });
storage('tpidr_el1', 'tpidrEl1', 'el1', 1);
storage('csselr_el1', 'csselr', 'el1', 1, { mask: 0xfn });
storage('cntkctl_el1', 'cntkctl', 'el1', 1, { mask: 0x3ffn });
storage('mdscr_el1', 'mdscr', 'el1', 1);
storage('osdlr_el1', 'osdlr', 'el1', 1, { mask: 1n });
storage('tpidr_el0', 'tpidrEl0', 'el0', 0, { el0: 'yes' });
storage('tpidrro_el0', 'tpidrroEl0', 'el0', 0, { el0: 'read' });
// FPCR: AHP, DN, FZ, RMode, Stride, Len. No FZ16 (no half-precision arithmetic); the trap
// enables read as zero because this CPU does not trap FP exceptions.
define({
  name: 'fpcr', group: 'el0', level: 0, el0: 'yes', fp: true, listed: true,
  read: (h) => h.state.sr.fpcr,
  write: (h, v) => {
    h.state.sr.fpcr = v & 0x07f7_0000n;
    setArmFpcr(h.state.fpe, Number(h.state.sr.fpcr));
  },
});
// FPSR: NZCV and QC are kept here; the cumulative exception flags (IOC, DZC, OFC, UFC, IXC,
// IDC) live in the CPU's float environment, where the FP instructions accumulate them.
const FPSR_FLAGS = 0x9fn;
define({
  name: 'fpsr', group: 'el0', level: 0, el0: 'yes', fp: true, listed: true,
  read: (h) => h.state.sr.fpsr | BigInt(fpsrFromFlags(h.state.fpe.flags)),
  write: (h, v) => {
    h.state.sr.fpsr = v & 0xf800_0000n;
    h.state.fpe.flags = flagsFromFpsr(Number(v & FPSR_FLAGS));
  },
});
// This CPU has no PMU (ID_AA64DFR0_EL1.PMUVer = 0); PMCR_EL0 is kept as storage because hvisor resets it.
storage('pmcr_el0', 'pmcr', 'el0', 2);

define({
  name: 'oslar_el1', group: 'el1', level: 1, listed: false,
  write: (h, v) => void (h.state.sr.oslk = v & 1n),
});
define({ name: 'oslsr_el1', group: 'el1', level: 1, listed: true, read: (h) => 0x8n | (h.state.sr.oslk << 1n) });
for (let n = 0; n < 16; n++) {
  for (const kind of ['dbgbvr', 'dbgbcr', 'dbgwvr', 'dbgwcr']) {
    const name = `${kind}${n}_el1`;
    define({
      name, group: 'el1', level: 1, listed: false,
      read: (h) => h.state.sr.debug.get(name) ?? 0n,
      write: (h, v) => void h.state.sr.debug.set(name, v),
    });
  }
}

// ---- PSTATE and the stack pointers -----------------------------------------------------

define({
  name: 'nzcv', group: 'el0', level: 0, el0: 'yes', listed: true,
  read: (h) => h.state.getPstate() & 0xf000_0000n,
  write: (h, v) => {
    const s = h.state, f = u32(v);
    s.nf = (f >>> 31) & 1; s.zf = (f >>> 30) & 1; s.cf = (f >>> 29) & 1; s.vf = (f >>> 28) & 1;
  },
});
const uma = (h: SysregHost): 'ok' | 'trap' => ((h.state.sr.sctlr >> 9n) & 1n ? 'ok' : 'trap');
define({
  name: 'daif', group: 'el0', level: 0, el0: uma, listed: true,
  read: (h) => BigInt(h.state.daif << 6),
  write: (h, v) => {
    h.state.daif = (u32(v) >>> 6) & 0xf;
    h.interruptsChanged();
  },
});
define({
  name: 'spsel', group: 'el1', level: 1, listed: true,
  read: (h) => BigInt(h.state.spsel),
  write: (h, v) => h.state.setMode(h.state.el, Number(v & 1n)),
});
define({ name: 'currentel', group: 'el1', level: 1, listed: true, read: (h) => BigInt(h.state.el << 2) });
define({
  name: 'sp_el0', group: 'el1', level: 1, listed: true,
  read: (h) => h.state.getBankedSp(0),
  write: (h, v) => h.state.setBankedSp(0, v),
});
define({
  name: 'sp_el1', group: 'el2', level: 2, listed: true,
  read: (h) => h.state.getBankedSp(1),
  write: (h, v) => h.state.setBankedSp(1, v),
});

// ---- identification ------------------------------------------------------------------------

for (const [name, value] of Object.entries(ID_REGISTERS)) define({ name, group: 'id', level: 1, listed: true, read: () => value });
define({ name: 'midr_el1', group: 'id', level: 1, listed: true, read: () => MIDR_EL1, guestRead: (h) => h.state.sr.vpidr });
define({ name: 'mpidr_el1', group: 'id', level: 1, listed: true, read: (h) => h.mpidr, guestRead: (h) => h.state.sr.vmpidr });
define({ name: 'ccsidr_el1', group: 'id', level: 1, listed: true, read: (h) => cacheSizeId(h.state.sr.csselr) });
const uct = (h: SysregHost): 'ok' | 'trap' => ((h.state.sr.sctlr >> 15n) & 1n ? 'ok' : 'trap');
define({ name: 'ctr_el0', group: 'id', level: 0, el0: (h, w) => (w ? 'undefined' : uct(h)), listed: true, read: () => CTR_EL0 });
define({ name: 'dczid_el0', group: 'id', level: 0, el0: 'read', listed: true, read: () => DCZID_EL0 });
define({
  name: 'isr_el1', group: 'el1', level: 1, listed: true,
  read: (h) => (((h.state.sr.hcr >> 4n) & 1n ? h.virqPending : h.irqPending) ? 1n << 7n : 0n),
});

// ---- EL2, written by the hypervisor model ---------------------------------------------------

storage('hcr_el2', 'hcr', 'el2', 2, {
  effect: (h) => {
    translation(h);
    h.interruptsChanged();
  },
});
storage('vttbr_el2', 'vttbr', 'el2', 2, { effect: translation });
storage('vtcr_el2', 'vtcr', 'el2', 2, { effect: translation });
storage('elr_el2', 'elrEl2', 'el2', 2);
storage('spsr_el2', 'spsrEl2', 'el2', 2, { mask: 0xffff_ffffn });
storage('esr_el2', 'esrEl2', 'el2', 2, { mask: 0xffff_ffffn });
storage('far_el2', 'farEl2', 'el2', 2);
storage('hpfar_el2', 'hpfarEl2', 'el2', 2);
storage('vbar_el2', 'vbarEl2', 'el2', 2, { mask: ~0x7ffn & 0xffff_ffff_ffff_ffffn });
storage('vpidr_el2', 'vpidr', 'el2', 2, { mask: 0xffff_ffffn });
storage('vmpidr_el2', 'vmpidr', 'el2', 2);
storage('cnthctl_el2', 'cnthctl', 'el2', 2, { mask: 0x3ffn });
storage('sctlr_el2', 'sctlrEl2', 'el2', 2);
storage('actlr_el2', 'actlrEl2', 'el2', 2);
storage('mdcr_el2', 'mdcrEl2', 'el2', 2);
storage('cptr_el2', 'cptrEl2', 'el2', 2, { effect: controls });
storage('hstr_el2', 'hstrEl2', 'el2', 2);
storage('hacr_el2', 'hacrEl2', 'el2', 2);
storage('ttbr0_el2', 'ttbr0El2', 'el2', 2);
storage('tcr_el2', 'tcrEl2', 'el2', 2);
storage('mair_el2', 'mairEl2', 'el2', 2);
storage('tpidr_el2', 'tpidrEl2', 'el2', 2);

// ---- the generic timer ------------------------------------------------------------------------

/** CNTKCTL_EL1 bit that lets EL0 reach a timer register. */
const el0Timer = (bits: bigint) => (h: SysregHost): 'ok' | 'trap' => ((h.state.sr.cntkctl & bits) !== 0n ? 'ok' : 'trap');
const EL0PCTEN = 1n, EL0VCTEN = 2n, EL0VTEN = 1n << 8n, EL0PTEN = 1n << 9n;
const readOnly = (check: (h: SysregHost) => 'ok' | 'trap') => (h: SysregHost, write: boolean): 'ok' | 'trap' | 'undefined' => (write ? 'undefined' : check(h));

define({ name: 'cntfrq_el0', group: 'timer', level: 0, el0: readOnly(el0Timer(EL0PCTEN | EL0VCTEN)), listed: true, read: (h) => h.timer.readCntfrq() });
define({ name: 'cntpct_el0', group: 'timer', level: 0, el0: readOnly(el0Timer(EL0PCTEN)), listed: true, read: (h) => h.timer.readCntpct() });
define({ name: 'cntvct_el0', group: 'timer', level: 0, el0: readOnly(el0Timer(EL0VCTEN)), listed: true, read: (h) => h.timer.readCntvct(h.id) });
for (const kind of ['phys', 'virt'] as const satisfies readonly TimerKind[]) {
  const p = kind === 'phys' ? 'cntp' : 'cntv';
  const el0 = el0Timer(kind === 'phys' ? EL0PTEN : EL0VTEN);
  const changed = (h: SysregHost): void => h.timerChanged();
  define({
    name: `${p}_ctl_el0`, group: 'timer', level: 0, el0, listed: true,
    read: (h) => big(h.timer.readCtl(h.id, kind)),
    write: (h, v) => { h.timer.writeCtl(h.id, kind, u32(v)); changed(h); },
  });
  define({
    name: `${p}_cval_el0`, group: 'timer', level: 0, el0, listed: true,
    read: (h) => h.timer.readCval(h.id, kind),
    write: (h, v) => { h.timer.writeCval(h.id, kind, v); changed(h); },
  });
  define({
    name: `${p}_tval_el0`, group: 'timer', level: 0, el0, listed: true,
    read: (h) => h.timer.readTval(h.id, kind),
    write: (h, v) => { h.timer.writeTval(h.id, kind, v); changed(h); },
  });
}
define({
  name: 'cntvoff_el2', group: 'timer', level: 2, listed: true,
  read: (h) => h.timer.readCntvoff(h.id),
  write: (h, v) => { h.timer.writeCntvoff(h.id, v); h.timerChanged(); },
});

// ---- the GIC CPU interface (ICC, physical; ICV for the guest while HCR_EL2.IMO) and ICH ----------

const imo = (h: SysregHost): boolean => ((h.state.sr.hcr >> 4n) & 1n) === 1n;
/** A register with a physical (ICC) side and a virtual (ICV) side. */
function gicRegister(name: string, listed: boolean, phys: { read?: (h: SysregHost) => number; write?: (h: SysregHost, v: number) => void }, virt: { read?: (h: SysregHost) => number; write?: (h: SysregHost, v: number) => void }): void {
  const pr = phys.read, pw = phys.write, vr = virt.read, vw = virt.write;
  define({
    name, group: 'gic', level: 1, listed,
    ...(pr ? { read: (h: SysregHost) => big(pr(h)) } : {}),
    ...(pw ? { write: (h: SysregHost, v: bigint) => pw(h, u32(v)) } : {}),
    ...(pr && vr ? { guestRead: (h: SysregHost) => big(imo(h) ? vr(h) : pr(h)) } : {}),
    ...(pw && vw ? { guestWrite: (h: SysregHost, v: bigint) => (imo(h) ? vw(h, u32(v)) : pw(h, u32(v))) } : {}),
  });
}
const cpu = (h: SysregHost) => h.gic.cpu(h.id);
const vcpu = (h: SysregHost) => h.gic.vcpu(h.id);
gicRegister('icc_iar1_el1', false, { read: (h) => cpu(h).readIar1() }, { read: (h) => vcpu(h).readIar1() });
gicRegister('icc_eoir1_el1', false, { write: (h, v) => cpu(h).writeEoir1(v) }, { write: (h, v) => vcpu(h).writeEoir1(v) });
gicRegister('icc_dir_el1', false, { write: (h, v) => cpu(h).writeDir(v) }, { write: (h, v) => vcpu(h).writeDir(v) });
gicRegister('icc_hppir1_el1', true, { read: (h) => cpu(h).readHppir1() }, { read: (h) => vcpu(h).readHppir1() });
gicRegister('icc_rpr_el1', true, { read: (h) => cpu(h).readRpr() }, { read: (h) => vcpu(h).readRpr() });
gicRegister('icc_pmr_el1', true, { read: (h) => cpu(h).readPmr(), write: (h, v) => cpu(h).writePmr(v) }, { read: (h) => vcpu(h).readPmr(), write: (h, v) => vcpu(h).writePmr(v) });
gicRegister('icc_bpr1_el1', true, { read: (h) => cpu(h).readBpr1(), write: (h, v) => cpu(h).writeBpr1(v) }, { read: (h) => vcpu(h).readBpr1(), write: (h, v) => vcpu(h).writeBpr1(v) });
gicRegister('icc_ctlr_el1', true, { read: (h) => cpu(h).readCtlr(), write: (h, v) => cpu(h).writeCtlr(v) }, { read: (h) => vcpu(h).readCtlr(), write: (h, v) => vcpu(h).writeCtlr(v) });
gicRegister('icc_igrpen1_el1', true, { read: (h) => cpu(h).readIgrpen1(), write: (h, v) => cpu(h).writeIgrpen1(v) }, { read: (h) => vcpu(h).readIgrpen1(), write: (h, v) => vcpu(h).writeIgrpen1(v) });
gicRegister('icc_ap1r0_el1', true, { read: (h) => cpu(h).readAp1r0(), write: (h, v) => cpu(h).writeAp1r0(v) }, { read: (h) => vcpu(h).readAp1r0(), write: (h, v) => vcpu(h).writeAp1r0(v) });
// Group 0 would be signalled as FIQ, which this board does not wire: its registers read as zero (IAR/HPPIR as spurious).
const zero = { read: () => 0, write: () => undefined };
for (const name of ['icc_igrpen0_el1', 'icc_ap0r0_el1', 'icc_ap0r1_el1', 'icc_ap0r2_el1', 'icc_ap0r3_el1', 'icc_ap1r1_el1', 'icc_ap1r2_el1', 'icc_ap1r3_el1', 'icc_eoir0_el1']) {
  gicRegister(name, true, zero, zero);
}
gicRegister('icc_bpr0_el1', true, { read: () => 2, write: () => undefined }, { read: () => 2, write: () => undefined });
gicRegister('icc_iar0_el1', false, { read: () => 1023 }, { read: () => 1023 });
gicRegister('icc_hppir0_el1', true, { read: () => 1023 }, { read: () => 1023 });
// The system register interface is always enabled (SRE, DFB, DIB read as one).
for (const name of ['icc_sre_el1', 'icc_sre_el2']) {
  define({ name, group: 'gic', level: name.endsWith('el2') ? 2 : 1, listed: true, read: () => (name.endsWith('el2') ? 0xfn : 0x7n), write: () => undefined });
}
// SGI generation: from EL1 with HCR_EL2.IMO these trap to the hypervisor (system.ts).
define({ name: 'icc_sgi1r_el1', group: 'gic', level: 1, listed: false, write: (h, v) => cpu(h).writeSgi1r(v) });
define({ name: 'icc_asgi1r_el1', group: 'gic', level: 1, listed: false, write: () => undefined });
define({ name: 'icc_sgi0r_el1', group: 'gic', level: 1, listed: false, write: () => undefined });

define({ name: 'ich_hcr_el2', group: 'gic', level: 2, listed: true, read: (h) => big(vcpu(h).readHcr()), write: (h, v) => vcpu(h).writeHcr(u32(v)) });
define({ name: 'ich_vtr_el2', group: 'gic', level: 2, listed: true, read: (h) => big(vcpu(h).readVtr()) });
define({ name: 'ich_misr_el2', group: 'gic', level: 2, listed: true, read: (h) => big(vcpu(h).readMisr()) });
define({ name: 'ich_eisr_el2', group: 'gic', level: 2, listed: true, read: (h) => big(vcpu(h).readEisr()) });
define({ name: 'ich_elrsr_el2', group: 'gic', level: 2, listed: true, read: (h) => big(vcpu(h).readElrsr()) });
define({ name: 'ich_vmcr_el2', group: 'gic', level: 2, listed: true, read: (h) => big(vcpu(h).readVmcr()), write: (h, v) => vcpu(h).writeVmcr(u32(v)) });
define({ name: 'ich_ap1r0_el2', group: 'gic', level: 2, listed: true, read: (h) => big(vcpu(h).readAp1r0()), write: (h, v) => vcpu(h).writeAp1r0(u32(v)) });
for (let n = 0; n < 16; n++) {
  define({
    name: `ich_lr${n}_el2`, group: 'gic', level: 2, listed: true,
    read: (h) => (n < vcpu(h).listRegisterCount ? vcpu(h).readLr(n) : 0n),
    write: (h, v) => {
      if (n < vcpu(h).listRegisterCount) vcpu(h).writeLr(n, v);
    },
  });
}

export function sysreg(name: string): Sysreg | undefined {
  return regs.get(name);
}

export const allSysregs: readonly Sysreg[] = [...regs.values()];
