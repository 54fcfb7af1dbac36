// System register and system instruction names as objdump prints them. Keys
// pack op0:op1:CRn:CRm:op2 the way MRS/MSR encode them in bits 20..5.

import { indexEntries, printedOnlyEntries, readOnlyNames, writeOnlyNames, writtenNames, type SysregEntry } from './sysreg-names';

const key = (op0: number, op1: number, crn: number, crm: number, op2: number): number => (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;

const entries: SysregEntry[] = [
  // Identification.
  ['midr_el1', 3, 0, 0, 0, 0], ['mpidr_el1', 3, 0, 0, 0, 5], ['revidr_el1', 3, 0, 0, 0, 6],
  ['id_pfr0_el1', 3, 0, 0, 1, 0], ['id_pfr1_el1', 3, 0, 0, 1, 1], ['id_dfr0_el1', 3, 0, 0, 1, 2], ['id_afr0_el1', 3, 0, 0, 1, 3],
  ['id_mmfr0_el1', 3, 0, 0, 1, 4], ['id_mmfr1_el1', 3, 0, 0, 1, 5], ['id_mmfr2_el1', 3, 0, 0, 1, 6], ['id_mmfr3_el1', 3, 0, 0, 1, 7],
  ['id_isar0_el1', 3, 0, 0, 2, 0], ['id_isar1_el1', 3, 0, 0, 2, 1], ['id_isar2_el1', 3, 0, 0, 2, 2], ['id_isar3_el1', 3, 0, 0, 2, 3],
  ['id_isar4_el1', 3, 0, 0, 2, 4], ['id_isar5_el1', 3, 0, 0, 2, 5], ['id_mmfr4_el1', 3, 0, 0, 2, 6], ['id_isar6_el1', 3, 0, 0, 2, 7],
  ['mvfr0_el1', 3, 0, 0, 3, 0], ['mvfr1_el1', 3, 0, 0, 3, 1], ['mvfr2_el1', 3, 0, 0, 3, 2], ['id_pfr2_el1', 3, 0, 0, 3, 4],
  ['id_dfr1_el1', 3, 0, 0, 3, 5], ['id_mmfr5_el1', 3, 0, 0, 3, 6],
  ['id_aa64pfr0_el1', 3, 0, 0, 4, 0], ['id_aa64pfr1_el1', 3, 0, 0, 4, 1], ['id_aa64zfr0_el1', 3, 0, 0, 4, 4], ['id_aa64smfr0_el1', 3, 0, 0, 4, 5],
  ['id_aa64dfr0_el1', 3, 0, 0, 5, 0], ['id_aa64dfr1_el1', 3, 0, 0, 5, 1], ['id_aa64afr0_el1', 3, 0, 0, 5, 4], ['id_aa64afr1_el1', 3, 0, 0, 5, 5],
  ['id_aa64isar0_el1', 3, 0, 0, 6, 0], ['id_aa64isar1_el1', 3, 0, 0, 6, 1], ['id_aa64isar2_el1', 3, 0, 0, 6, 2],
  ['id_aa64mmfr0_el1', 3, 0, 0, 7, 0], ['id_aa64mmfr1_el1', 3, 0, 0, 7, 1], ['id_aa64mmfr2_el1', 3, 0, 0, 7, 2],
  ['ccsidr_el1', 3, 1, 0, 0, 0], ['clidr_el1', 3, 1, 0, 0, 1], ['aidr_el1', 3, 1, 0, 0, 7], ['csselr_el1', 3, 2, 0, 0, 0],
  ['ctr_el0', 3, 3, 0, 0, 1], ['dczid_el0', 3, 3, 0, 0, 7],
  // EL1 control, translation and exceptions.
  ['sctlr_el1', 3, 0, 1, 0, 0], ['actlr_el1', 3, 0, 1, 0, 1], ['cpacr_el1', 3, 0, 1, 0, 2],
  ['ttbr0_el1', 3, 0, 2, 0, 0], ['ttbr1_el1', 3, 0, 2, 0, 1], ['tcr_el1', 3, 0, 2, 0, 2],
  ['spsr_el1', 3, 0, 4, 0, 0], ['elr_el1', 3, 0, 4, 0, 1], ['sp_el0', 3, 0, 4, 1, 0],
  ['spsel', 3, 0, 4, 2, 0], ['currentel', 3, 0, 4, 2, 2], ['pan', 3, 0, 4, 2, 3], ['uao', 3, 0, 4, 2, 4],
  ['icc_pmr_el1', 3, 0, 4, 6, 0],
  ['afsr0_el1', 3, 0, 5, 1, 0], ['afsr1_el1', 3, 0, 5, 1, 1], ['esr_el1', 3, 0, 5, 2, 0],
  ['far_el1', 3, 0, 6, 0, 0], ['par_el1', 3, 0, 7, 4, 0],
  ['mair_el1', 3, 0, 10, 2, 0], ['amair_el1', 3, 0, 10, 3, 0],
  ['vbar_el1', 3, 0, 12, 0, 0], ['isr_el1', 3, 0, 12, 1, 0],
  ['contextidr_el1', 3, 0, 13, 0, 1], ['tpidr_el1', 3, 0, 13, 0, 4], ['cntkctl_el1', 3, 0, 14, 1, 0],
  // GIC CPU interface.
  ['icc_iar0_el1', 3, 0, 12, 8, 0], ['icc_eoir0_el1', 3, 0, 12, 8, 1], ['icc_hppir0_el1', 3, 0, 12, 8, 2], ['icc_bpr0_el1', 3, 0, 12, 8, 3],
  ['icc_ap0r0_el1', 3, 0, 12, 8, 4], ['icc_ap0r1_el1', 3, 0, 12, 8, 5], ['icc_ap0r2_el1', 3, 0, 12, 8, 6], ['icc_ap0r3_el1', 3, 0, 12, 8, 7],
  ['icc_ap1r0_el1', 3, 0, 12, 9, 0], ['icc_ap1r1_el1', 3, 0, 12, 9, 1], ['icc_ap1r2_el1', 3, 0, 12, 9, 2], ['icc_ap1r3_el1', 3, 0, 12, 9, 3],
  ['icc_dir_el1', 3, 0, 12, 11, 1], ['icc_rpr_el1', 3, 0, 12, 11, 3], ['icc_sgi1r_el1', 3, 0, 12, 11, 5], ['icc_asgi1r_el1', 3, 0, 12, 11, 6],
  ['icc_sgi0r_el1', 3, 0, 12, 11, 7], ['icc_iar1_el1', 3, 0, 12, 12, 0], ['icc_eoir1_el1', 3, 0, 12, 12, 1], ['icc_hppir1_el1', 3, 0, 12, 12, 2],
  ['icc_bpr1_el1', 3, 0, 12, 12, 3], ['icc_ctlr_el1', 3, 0, 12, 12, 4], ['icc_sre_el1', 3, 0, 12, 12, 5], ['icc_igrpen0_el1', 3, 0, 12, 12, 6],
  ['icc_igrpen1_el1', 3, 0, 12, 12, 7],
  // EL0 state, thread pointers and the generic timer.
  ['nzcv', 3, 3, 4, 2, 0], ['daif', 3, 3, 4, 2, 1], ['dit', 3, 3, 4, 2, 5], ['ssbs', 3, 3, 4, 2, 6],
  ['fpcr', 3, 3, 4, 4, 0], ['fpsr', 3, 3, 4, 4, 1],
  ['tpidr_el0', 3, 3, 13, 0, 2], ['tpidrro_el0', 3, 3, 13, 0, 3],
  ['cntfrq_el0', 3, 3, 14, 0, 0], ['cntpct_el0', 3, 3, 14, 0, 1], ['cntvct_el0', 3, 3, 14, 0, 2],
  ['cntp_tval_el0', 3, 3, 14, 2, 0], ['cntp_ctl_el0', 3, 3, 14, 2, 1], ['cntp_cval_el0', 3, 3, 14, 2, 2],
  ['cntv_tval_el0', 3, 3, 14, 3, 0], ['cntv_ctl_el0', 3, 3, 14, 3, 1], ['cntv_cval_el0', 3, 3, 14, 3, 2],
  // Trace buffer status (FEAT_TRBE), which objdump names.
  ['trbsr_el1', 3, 0, 9, 11, 3],
  // Registers this CPU lacks (trace, MPAM) that objdump still names.
  ['trclar', 2, 1, 7, 12, 6], ['trcconfigr', 2, 1, 0, 4, 0], ['trcdevid', 2, 1, 7, 2, 7],
  ['trccntrldvr0', 2, 1, 0, 0, 5], ['trccntrldvr1', 2, 1, 0, 1, 5], ['trccntrldvr2', 2, 1, 0, 2, 5], ['trccntrldvr3', 2, 1, 0, 3, 5], ['mpamhcr_el2', 3, 4, 10, 4, 0],
  // Debug registers a kernel touches.
  ['mdscr_el1', 2, 0, 0, 2, 2], ['oslar_el1', 2, 0, 1, 0, 4], ['oslsr_el1', 2, 0, 1, 1, 4], ['osdlr_el1', 2, 0, 1, 3, 4],
  // EL2, as hvisor programs it.
  ['vpidr_el2', 3, 4, 0, 0, 0], ['vmpidr_el2', 3, 4, 0, 0, 5],
  ['sctlr_el2', 3, 4, 1, 0, 0], ['actlr_el2', 3, 4, 1, 0, 1], ['hcr_el2', 3, 4, 1, 1, 0], ['mdcr_el2', 3, 4, 1, 1, 1],
  ['cptr_el2', 3, 4, 1, 1, 2], ['hstr_el2', 3, 4, 1, 1, 3], ['hacr_el2', 3, 4, 1, 1, 7],
  ['ttbr0_el2', 3, 4, 2, 0, 0], ['tcr_el2', 3, 4, 2, 0, 2], ['vttbr_el2', 3, 4, 2, 1, 0], ['vtcr_el2', 3, 4, 2, 1, 2],
  ['spsr_el2', 3, 4, 4, 0, 0], ['elr_el2', 3, 4, 4, 0, 1], ['sp_el1', 3, 4, 4, 1, 0],
  ['esr_el2', 3, 4, 5, 2, 0], ['far_el2', 3, 4, 6, 0, 0], ['hpfar_el2', 3, 4, 6, 0, 4],
  ['mair_el2', 3, 4, 10, 2, 0], ['vbar_el2', 3, 4, 12, 0, 0], ['tpidr_el2', 3, 4, 13, 0, 2],
  ['cntvoff_el2', 3, 4, 14, 0, 3], ['cnthctl_el2', 3, 4, 14, 1, 0],
  ['ich_hcr_el2', 3, 4, 12, 11, 0], ['ich_vtr_el2', 3, 4, 12, 11, 1], ['ich_misr_el2', 3, 4, 12, 11, 2], ['ich_eisr_el2', 3, 4, 12, 11, 3],
  ['ich_elrsr_el2', 3, 4, 12, 11, 5], ['ich_vmcr_el2', 3, 4, 12, 11, 7], ['icc_sre_el2', 3, 4, 12, 9, 5],
  // The EL1 and EL0 registers as EL2 reaches them with HCR_EL2.E2H set.
  ['sctlr_el12', 3, 5, 1, 0, 0], ['cpacr_el12', 3, 5, 1, 0, 2], ['ttbr0_el12', 3, 5, 2, 0, 0], ['ttbr1_el12', 3, 5, 2, 0, 1],
  ['tcr_el12', 3, 5, 2, 0, 2], ['spsr_el12', 3, 5, 4, 0, 0], ['elr_el12', 3, 5, 4, 0, 1], ['afsr0_el12', 3, 5, 5, 1, 0],
  ['afsr1_el12', 3, 5, 5, 1, 1], ['esr_el12', 3, 5, 5, 2, 0], ['far_el12', 3, 5, 6, 0, 0], ['mair_el12', 3, 5, 10, 2, 0],
  ['amair_el12', 3, 5, 10, 3, 0], ['vbar_el12', 3, 5, 12, 0, 0], ['contextidr_el12', 3, 5, 13, 0, 1], ['cntkctl_el12', 3, 5, 14, 1, 0],
  ['cntp_tval_el02', 3, 5, 14, 2, 0], ['cntp_ctl_el02', 3, 5, 14, 2, 1], ['cntp_cval_el02', 3, 5, 14, 2, 2],
  ['cntv_tval_el02', 3, 5, 14, 3, 0], ['cntv_ctl_el02', 3, 5, 14, 3, 1], ['cntv_cval_el02', 3, 5, 14, 3, 2],
];
for (let n = 0; n < 8; n++) entries.push([`trcsscsr${n}`, 2, 1, 1, 8 + n, 2]);
for (let n = 0; n < 16; n++) {
  entries.push([`ich_lr${n}_el2`, 3, 4, 12, 12 + (n >> 3), n & 7]);
  // Activity monitors' virtual offsets (FEAT_AMUv1p1), which objdump names.
  entries.push([`amevcntvoff0${n}_el2`, 3, 4, 13, 8 + (n >> 3), n & 7], [`amevcntvoff1${n}_el2`, 3, 4, 13, 10 + (n >> 3), n & 7]);
  // Activity monitors' auxiliary counters and their types; the architected group has four.
  entries.push([`amevcntr1${n}_el0`, 3, 3, 13, 12 + (n >> 3), n & 7], [`amevtyper1${n}_el0`, 3, 3, 13, 14 + (n >> 3), n & 7]);
  if (n < 4) entries.push([`amevcntr0${n}_el0`, 3, 3, 13, 4, n], [`amevtyper0${n}_el0`, 3, 3, 13, 6, n]);
  entries.push([`dbgbvr${n}_el1`, 2, 0, 0, n, 4], [`dbgbcr${n}_el1`, 2, 0, 0, n, 5], [`dbgwvr${n}_el1`, 2, 0, 0, n, 6], [`dbgwcr${n}_el1`, 2, 0, 0, n, 7]);
}
// PMU event counters and their types; the 32nd type register is the cycle counter's filter.
for (let n = 0; n < 31; n++) entries.push([`pmevcntr${n}_el0`, 3, 3, 14, 8 + (n >> 3), n & 7], [`pmevtyper${n}_el0`, 3, 3, 14, 12 + (n >> 3), n & 7]);
entries.push(['pmccfiltr_el0', 3, 3, 14, 15, 7]);
// Trace unit resource selectors (pairs 0 and 1 have none).
for (let n = 2; n < 32; n++) entries.push([`trcrsctlr${n}`, 2, 1, 1, n & 15, n >> 4]);

entries.push(...indexEntries);

const byKey = (list: readonly SysregEntry[]): Map<number, string> => new Map(list.map(([name, op0, op1, crn, crm, op2]) => [key(op0, op1, crn, crm, op2), name]));
const names = byKey(entries);
const printedOnly = byKey(printedOnlyEntries);
const written = byKey(writtenNames);

/**
 * objdump's text for the system register an MRS/MSR names (its 16-bit
 * o0:op1:CRn:CRm:op2 plus op0's high bit); `write` is true for MSR.
 */
export function sysregName(sysreg: number, write = false): string {
  const known = (write ? written.get(sysreg) : undefined) ?? names.get(sysreg) ?? printedOnly.get(sysreg);
  if (known !== undefined) return known;
  const op0 = sysreg >> 14;
  const op1 = (sysreg >> 11) & 7;
  const crn = (sysreg >> 7) & 15;
  const crm = (sysreg >> 3) & 15;
  const op2 = sysreg & 7;
  return `s${op0}_${op1}_c${crn}_c${crm}_${op2}`;
}

/** The name of each encoding gas assembles, as MRS prints it. */
export const sysregNames: ReadonlyMap<number, string> = names;

/** Every name the assembler takes, MSR's own spellings included, with its encoding. */
export const sysregByName: ReadonlyMap<string, number> = new Map([...names, ...written].map(([value, name]) => [name, value]));

/**
 * Why gas warns about MRS (`write` false) or MSR (`write` true) naming a
 * register this way: it is write-only or read-only. gas goes by the spelling,
 * so the debug channel's two names for one encoding differ.
 */
export function sysregMisuse(name: string, write: boolean): string | undefined {
  const sysreg = sysregByName.get(name);
  if (sysreg === undefined) return undefined;
  // The identification block: op0 3, op1 0 or 1, CRn 0.
  const identification = sysreg >> 7 === 0x180 || sysreg >> 7 === 0x190;
  if (write && (readOnlyNames.has(name) || identification)) return 'specified register cannot be written to';
  if (!write && writeOnlyNames.has(name)) return 'specified register cannot be read from';
  return undefined;
}

/** SYS operations with names, keyed by op1:CRn:CRm:op2; `reg` says whether the name takes Xt. */
interface SysOp {
  readonly name: string;
  readonly reg: boolean;
}
const sysKey = (op1: number, crn: number, crm: number, op2: number): number => (op1 << 11) | (crn << 7) | (crm << 3) | op2;
const sysOps = new Map<number, SysOp>();
const sys = (name: string, reg: boolean, op1: number, crn: number, crm: number, op2: number): void => {
  sysOps.set(sysKey(op1, crn, crm, op2), { name, reg });
};
sys('ic ialluis', false, 0, 7, 1, 0); sys('ic iallu', false, 0, 7, 5, 0); sys('ic ivau', true, 3, 7, 5, 1);
sys('dc ivac', true, 0, 7, 6, 1); sys('dc isw', true, 0, 7, 6, 2); sys('dc csw', true, 0, 7, 10, 2); sys('dc cisw', true, 0, 7, 14, 2);
sys('dc zva', true, 3, 7, 4, 1); sys('dc cvac', true, 3, 7, 10, 1); sys('dc cvau', true, 3, 7, 11, 1); sys('dc civac', true, 3, 7, 14, 1);
sys('dc cvap', true, 3, 7, 12, 1); sys('dc cvadp', true, 3, 7, 13, 1);
// Memory tagging maintenance.
const tagOps: [string, number, number, number][] = [
  ['igvac', 0, 6, 3], ['igsw', 0, 6, 4], ['igdvac', 0, 6, 5], ['igdsw', 0, 6, 6], ['cgsw', 0, 10, 4], ['cgdsw', 0, 10, 6],
  ['cigsw', 0, 14, 4], ['cigdsw', 0, 14, 6], ['gva', 3, 4, 3], ['gzva', 3, 4, 4], ['cgvac', 3, 10, 3], ['cgdvac', 3, 10, 5],
  ['cgvap', 3, 12, 3], ['cgdvap', 3, 12, 5], ['cgvadp', 3, 13, 3], ['cgdvadp', 3, 13, 5], ['cigvac', 3, 14, 3], ['cigdvac', 3, 14, 5],
];
for (const [name, op1, crm, op2] of tagOps) sys(`dc ${name}`, true, op1, 7, crm, op2);
sys('at s1e1r', true, 0, 7, 8, 0); sys('at s1e1w', true, 0, 7, 8, 1); sys('at s1e0r', true, 0, 7, 8, 2); sys('at s1e0w', true, 0, 7, 8, 3);
sys('at s1e1rp', true, 0, 7, 9, 0); sys('at s1e1wp', true, 0, 7, 9, 1);
sys('at s1e2r', true, 4, 7, 8, 0); sys('at s1e2w', true, 4, 7, 8, 1); sys('at s12e1r', true, 4, 7, 8, 4); sys('at s12e1w', true, 4, 7, 8, 5);
sys('at s12e0r', true, 4, 7, 8, 6); sys('at s12e0w', true, 4, 7, 8, 7); sys('at s1e3r', true, 6, 7, 8, 0); sys('at s1e3w', true, 6, 7, 8, 1);
const tlbi: [string, boolean, number, number, number][] = [
  ['vmalle1is', false, 0, 3, 0], ['vae1is', true, 0, 3, 1], ['aside1is', true, 0, 3, 2], ['vaae1is', true, 0, 3, 3], ['vale1is', true, 0, 3, 5], ['vaale1is', true, 0, 3, 7],
  ['vmalle1', false, 0, 7, 0], ['vae1', true, 0, 7, 1], ['aside1', true, 0, 7, 2], ['vaae1', true, 0, 7, 3], ['vale1', true, 0, 7, 5], ['vaale1', true, 0, 7, 7],
  ['vmalle1os', false, 0, 1, 0], ['vae1os', true, 0, 1, 1], ['aside1os', true, 0, 1, 2], ['vaae1os', true, 0, 1, 3], ['vale1os', true, 0, 1, 5], ['vaale1os', true, 0, 1, 7],
  ['ipas2e1is', true, 4, 0, 1], ['ipas2le1is', true, 4, 0, 5], ['alle2is', false, 4, 3, 0], ['vae2is', true, 4, 3, 1], ['alle1is', false, 4, 3, 4],
  ['vale2is', true, 4, 3, 5], ['vmalls12e1is', false, 4, 3, 6], ['ipas2e1', true, 4, 4, 1], ['ipas2le1', true, 4, 4, 5], ['alle2', false, 4, 7, 0],
  ['vae2', true, 4, 7, 1], ['alle1', false, 4, 7, 4], ['vale2', true, 4, 7, 5], ['vmalls12e1', false, 4, 7, 6],
  ['alle2os', false, 4, 1, 0], ['vae2os', true, 4, 1, 1], ['alle1os', false, 4, 1, 4], ['vale2os', true, 4, 1, 5], ['vmalls12e1os', false, 4, 1, 6],
  ['ipas2e1os', true, 4, 4, 0], ['ipas2le1os', true, 4, 4, 4],
  ['alle3is', false, 6, 3, 0], ['vae3is', true, 6, 3, 1], ['vale3is', true, 6, 3, 5], ['alle3', false, 6, 7, 0], ['vae3', true, 6, 7, 1], ['vale3', true, 6, 7, 5],
];
for (const [name, reg, op1, crm, op2] of tlbi) sys(`tlbi ${name}`, reg, op1, 8, crm, op2);
// TLB range invalidation: CRm 2 (inner shareable), 5 (outer), 6 (non-shareable); EL1 has all four VA forms, EL2 and EL3 two.
for (const [crm, sh] of [[2, 'is'], [5, 'os'], [6, '']] as const) {
  for (const [name, op2] of [['rvae1', 1], ['rvaae1', 3], ['rvale1', 5], ['rvaale1', 7]] as const) sys(`tlbi ${name}${sh}`, true, 0, 8, crm, op2);
  for (const [name, op2] of [['rvae', 1], ['rvale', 5]] as const) for (const [el, op1] of [[2, 4], [3, 6]] as const) sys(`tlbi ${name}${el}${sh}`, true, op1, 8, crm, op2);
}
// Stage 2 range invalidation by IPA.
for (const [name, crm, op2] of [['ripas2e1is', 0, 2], ['ripas2le1is', 0, 6], ['ripas2e1', 4, 2], ['ripas2e1os', 4, 3], ['ripas2le1', 4, 6], ['ripas2le1os', 4, 7]] as const) sys(`tlbi ${name}`, true, 4, 8, crm, op2);
// EL3's outer shareable forms and the Realm Management Extension's physical address invalidations.
sys('tlbi alle3os', false, 6, 8, 1, 0); sys('tlbi vae3os', true, 6, 8, 1, 1); sys('tlbi vale3os', true, 6, 8, 1, 5);
sys('tlbi paallos', false, 6, 8, 1, 4); sys('tlbi paall', false, 6, 8, 7, 4); sys('tlbi rpaos', true, 6, 8, 4, 3); sys('tlbi rpalos', true, 6, 8, 4, 7);
sys('dc cipapa', true, 6, 7, 14, 1); sys('dc cigdpapa', true, 6, 7, 14, 5);
// Prediction restriction by context.
sys('cfp rctx', true, 3, 7, 3, 4); sys('dvp rctx', true, 3, 7, 3, 5); sys('cpp rctx', true, 3, 7, 3, 7);

export function sysOperation(op1: number, crn: number, crm: number, op2: number): SysOp | undefined {
  return sysOps.get(sysKey(op1, crn, crm, op2));
}
