// System register names beyond the ones this CPU's own code reaches: the
// self-hosted debug, trace unit, branch record buffer, statistical profiling,
// RAS, memory tagging, pointer authentication, EL3 and the rest of the
// architected register index. They only name encodings for the disassembler
// and assembler; which registers the CPU implements is the system register file.

/** [name, op0, op1, CRn, CRm, op2] */
export type SysregEntry = [string, number, number, number, number, number];

/** Names gas takes with the extensions the assembler enables. */
export const indexEntries: SysregEntry[] = [];
/** Names objdump prints that gas takes only for other architecture profiles or extra extensions (v8-R, SPE, RNG). */
export const printedOnlyEntries: SysregEntry[] = [];

/** Rows [name, CRm, op2] sharing op0, op1 and CRn. */
const group = (into: SysregEntry[], op0: number, op1: number, crn: number, rows: [string, number, number][]): void => {
  for (const [name, crm, op2] of rows) into.push([name, op0, op1, crn, crm, op2]);
};
const add = (op0: number, op1: number, crn: number, rows: [string, number, number][]): void => group(indexEntries, op0, op1, crn, rows);

// Self-hosted debug and the debug communications channel.
add(2, 0, 0, [['osdtrrx_el1', 0, 2], ['mdccint_el1', 2, 0], ['osdtrtx_el1', 3, 2], ['oseccr_el1', 6, 2]]);
add(2, 0, 1, [['mdrar_el1', 0, 0], ['dbgprcr_el1', 4, 4]]);
add(2, 0, 7, [['dbgclaimset_el1', 8, 6], ['dbgclaimclr_el1', 9, 6], ['dbgauthstatus_el1', 14, 6]]);
add(2, 3, 0, [['mdccsr_el0', 1, 0], ['dbgdtr_el0', 4, 0], ['dbgdtrrx_el0', 5, 0]]);
add(2, 4, 0, [['dbgvcr32_el2', 7, 0]]);
add(2, 2, 0, [['teecr32_el1', 0, 0]]);
add(2, 2, 1, [['teehbr32_el1', 0, 0]]);

/** The debug channel's receive register reads where its transmit register is written: MSR names the latter. */
export const writtenNames: SysregEntry[] = [['dbgdtrtx_el0', 2, 3, 0, 5, 0]];

// Call stack recorder.
add(2, 0, 8, [['csrcr_el1', 0, 0], ['csrptr_el1', 0, 1], ['csrptridx_el1', 0, 3]]);
add(2, 3, 8, [['csrcr_el0', 0, 0], ['csrptr_el0', 0, 1], ['csridr_el0', 0, 2], ['csrptridx_el0', 0, 3]]);
add(2, 4, 8, [['csrcr_el2', 0, 0], ['csrptr_el2', 0, 1], ['csrptridx_el2', 0, 3]]);
add(2, 5, 8, [['csrcr_el12', 0, 0], ['csrptr_el12', 0, 1]]);

// Branch record buffer: records 0-15 in op2 0-2, 16-31 in op2 4-6, CRm the record number mod 16.
for (let n = 0; n < 32; n++) {
  const op2 = (n >> 4) << 2;
  add(2, 1, 8, [[`brbinf${n}_el1`, n & 15, op2], [`brbsrc${n}_el1`, n & 15, op2 + 1], [`brbtgt${n}_el1`, n & 15, op2 + 2]]);
}
add(2, 1, 9, [['brbcr_el1', 0, 0], ['brbfcr_el1', 0, 1], ['brbts_el1', 0, 2], ['brbinfinj_el1', 1, 0], ['brbsrcinj_el1', 1, 1], ['brbtgtinj_el1', 1, 2], ['brbidr0_el1', 2, 0]]);
add(2, 4, 9, [['brbcr_el2', 0, 0]]);
add(2, 5, 9, [['brbcr_el12', 0, 0]]);

// Trace unit (op0 2, op1 1).
add(2, 1, 0, [
  ['trcprgctlr', 1, 0], ['trcprocselr', 2, 0], ['trcstatr', 3, 0], ['trcauxctlr', 6, 0], ['trceventctl0r', 8, 0], ['trceventctl1r', 9, 0],
  ['trcrsr', 10, 0], ['trcstallctlr', 11, 0], ['trctsctlr', 12, 0], ['trcsyncpr', 13, 0], ['trcccctlr', 14, 0], ['trcbbctlr', 15, 0],
  ['trctraceidr', 0, 1], ['trcqctlr', 1, 1],
  ['trcvictlr', 0, 2], ['trcviiectlr', 1, 2], ['trcvissctlr', 2, 2], ['trcvipcssctlr', 3, 2], ['trcvdctlr', 8, 2], ['trcvdsacctlr', 9, 2], ['trcvdarcctlr', 10, 2],
  ['trcseqrstevr', 6, 4], ['trcseqstr', 7, 4],
]);
for (let n = 0; n < 8; n++) {
  if (n < 3) add(2, 1, 0, [[`trcseqevr${n}`, n, 4]]);
  if (n < 4) add(2, 1, 0, [[`trcextinselr${n}`, 8 + n, 4], [`trccntctlr${n}`, 4 + n, 5], [`trccntvr${n}`, 8 + n, 5]]);
  if (n < 6) add(2, 1, 0, [[`trcidr${8 + n}`, n, 6]]);
  add(2, 1, 0, [[`trcimspec${n}`, n, 7], [`trcidr${n}`, 8 + n, 7]]);
  add(2, 1, 1, [[`trcssccr${n}`, n, 2], [`trcsspcicr${n}`, n, 3]]);
  // Address comparators 0-7 and 8-15 share a CRm, told apart by op2's low bit.
  for (const m of [n, n + 8]) add(2, 1, 2, [[`trcacvr${m}`, 2 * n, m >> 3], [`trcacatr${m}`, 2 * n, 2 + (m >> 3)]]);
  // Data value comparators 0-3 and 4-7 likewise.
  add(2, 1, 2, [[`trcdvcvr${n}`, 4 * (n & 3), 4 + (n >> 2)], [`trcdvcmr${n}`, 4 * (n & 3), 6 + (n >> 2)]]);
  add(2, 1, 3, [[`trccidcvr${n}`, 2 * n, 0], [`trcvmidcvr${n}`, 2 * n, 1]]);
}
add(2, 1, 1, [['trcoslar', 0, 4], ['trcoslsr', 1, 4], ['trcpdcr', 4, 4], ['trcpdsr', 5, 4]]);
add(2, 1, 3, [['trccidcctlr0', 0, 2], ['trccidcctlr1', 1, 2], ['trcvmidcctlr0', 2, 2], ['trcvmidcctlr1', 3, 2]]);
add(2, 1, 7, [
  ['trcitctrl', 0, 4], ['trcdevtype', 3, 7], ['trcclaimset', 8, 6], ['trcclaimclr', 9, 6], ['trcdevaff0', 10, 6], ['trcdevaff1', 11, 6],
  ['trclsr', 13, 6], ['trcauthstatus', 14, 6], ['trcdevarch', 15, 6],
]);
// Peripheral ID 4-7 come before 0-3 in CRm; the component IDs follow.
for (let n = 0; n < 4; n++) add(2, 1, 7, [[`trcpidr${4 + n}`, 4 + n, 7], [`trcpidr${n}`, 8 + n, 7], [`trccidr${n}`, 12 + n, 7]]);

// EL1 (op0 3, op1 0).
add(3, 0, 1, [['rgsr_el1', 0, 5], ['gcr_el1', 0, 6], ['zcr_el1', 2, 0], ['trfcr_el1', 2, 1], ['smpri_el1', 2, 4], ['smcr_el1', 2, 6]]);
// Pointer authentication keys: instruction A/B, data A/B, generic.
add(3, 0, 2, [
  ['apiakeylo_el1', 1, 0], ['apiakeyhi_el1', 1, 1], ['apibkeylo_el1', 1, 2], ['apibkeyhi_el1', 1, 3],
  ['apdakeylo_el1', 2, 0], ['apdakeyhi_el1', 2, 1], ['apdbkeylo_el1', 2, 2], ['apdbkeyhi_el1', 2, 3],
  ['apgakeylo_el1', 3, 0], ['apgakeyhi_el1', 3, 1],
]);
add(3, 0, 4, [['allint', 3, 0]]);
// RAS error records, and the tag check fault status.
add(3, 0, 5, [
  ['erridr_el1', 3, 0], ['errselr_el1', 3, 1], ['erxfr_el1', 4, 0], ['erxctlr_el1', 4, 1], ['erxstatus_el1', 4, 2], ['erxaddr_el1', 4, 3],
  ['erxpfgf_el1', 4, 4], ['erxpfgctl_el1', 4, 5], ['erxpfgcdn_el1', 4, 6], ['tfsr_el1', 6, 0], ['tfsre0_el1', 6, 1],
]);
for (let n = 0; n < 4; n++) add(3, 0, 5, [[`erxmisc${n}_el1`, 5, n]]);
add(3, 0, 9, [
  ['pmsnevfr_el1', 9, 1],
  ['trblimitr_el1', 11, 0], ['trbptr_el1', 11, 1], ['trbbaser_el1', 11, 2], ['trbmar_el1', 11, 4], ['trbtrg_el1', 11, 6], ['trbidr_el1', 11, 7],
  ['pmintenset_el1', 14, 1], ['pmintenclr_el1', 14, 2], ['pmmir_el1', 14, 6],
]);
// Limited ordering regions and MPAM.
add(3, 0, 10, [
  ['lorsa_el1', 4, 0], ['lorea_el1', 4, 1], ['lorn_el1', 4, 2], ['lorc_el1', 4, 3], ['mpamidr_el1', 4, 4], ['lorid_el1', 4, 7],
  ['mpam1_el1', 5, 0], ['mpam0_el1', 5, 1], ['mpamsm_el1', 5, 3],
]);
add(3, 0, 12, [['rvbar_el1', 0, 1], ['rmr_el1', 0, 2], ['disr_el1', 1, 1], ['icc_nmiar1_el1', 9, 5]]);
add(3, 0, 13, [['accdata_el1', 0, 5], ['scxtnum_el1', 0, 7]]);
add(3, 1, 0, [['ccsidr2_el1', 0, 2], ['gmid_el1', 0, 4], ['smidr_el1', 0, 6]]);

// EL0 (op0 3, op1 3): PSTATE fields, debug state, the PMU and the activity monitors.
add(3, 3, 4, [['svcr', 2, 2], ['tco', 2, 7], ['dspsr_el0', 5, 0], ['dlr_el0', 5, 1]]);
add(3, 3, 9, [
  ['pmcr_el0', 12, 0], ['pmcntenset_el0', 12, 1], ['pmcntenclr_el0', 12, 2], ['pmovsclr_el0', 12, 3], ['pmswinc_el0', 12, 4], ['pmselr_el0', 12, 5],
  ['pmceid0_el0', 12, 6], ['pmceid1_el0', 12, 7], ['pmccntr_el0', 13, 0], ['pmxevtyper_el0', 13, 1], ['pmxevcntr_el0', 13, 2],
  ['pmuserenr_el0', 14, 0], ['pmovsset_el0', 14, 3],
]);
add(3, 3, 13, [
  ['tpidr2_el0', 0, 5], ['scxtnum_el0', 0, 7],
  ['amcr_el0', 2, 0], ['amcfgr_el0', 2, 1], ['amcgcr_el0', 2, 2], ['amuserenr_el0', 2, 3], ['amcntenclr0_el0', 2, 4], ['amcntenset0_el0', 2, 5],
  ['amcg1idr_el0', 2, 6], ['amcntenclr1_el0', 3, 0], ['amcntenset1_el0', 3, 1],
]);
add(3, 3, 14, [['cntpctss_el0', 0, 5], ['cntvctss_el0', 0, 6]]);

// EL2 (op0 3, op1 4).
add(3, 4, 1, [
  ['hfgrtr_el2', 1, 4], ['hfgwtr_el2', 1, 5], ['hfgitr_el2', 1, 6], ['zcr_el2', 2, 0], ['trfcr_el2', 2, 1], ['hcrx_el2', 2, 2],
  ['smprimap_el2', 2, 5], ['smcr_el2', 2, 6], ['sder32_el2', 3, 1],
]);
add(3, 4, 2, [['ttbr1_el2', 0, 1], ['vncr_el2', 2, 0], ['vsttbr_el2', 6, 0], ['vstcr_el2', 6, 2]]);
add(3, 4, 3, [['dacr32_el2', 0, 0], ['hdfgrtr_el2', 1, 4], ['hdfgwtr_el2', 1, 5], ['hafgrtr_el2', 1, 6]]);
add(3, 4, 4, [['spsr_irq', 3, 0], ['spsr_abt', 3, 1], ['spsr_und', 3, 2], ['spsr_fiq', 3, 3]]);
add(3, 4, 5, [['ifsr32_el2', 0, 1], ['afsr0_el2', 1, 0], ['afsr1_el2', 1, 1], ['vsesr_el2', 2, 3], ['fpexc32_el2', 3, 0], ['tfsr_el2', 6, 0]]);
add(3, 4, 10, [['amair_el2', 3, 0], ['mpamvpmv_el2', 4, 1], ['mpam2_el2', 5, 0]]);
add(3, 4, 12, [['rvbar_el2', 0, 1], ['rmr_el2', 0, 2], ['vdisr_el2', 1, 1]]);
add(3, 4, 13, [['contextidr_el2', 0, 1], ['scxtnum_el2', 0, 7]]);
add(3, 4, 14, [['cntpoff_el2', 0, 6]]);
for (let n = 0; n < 8; n++) {
  add(3, 4, 10, [[`mpamvpm${n}_el2`, 6, n]]);
  if (n < 4) add(3, 4, 12, [[`ich_ap0r${n}_el2`, 8, n], [`ich_ap1r${n}_el2`, 9, n]]);
}
// The EL2 physical, virtual and their secure timers, CRm 2-5.
['cnthp', 'cnthv', 'cnthvs', 'cnthps'].forEach((timer, i) => add(3, 4, 14, [[`${timer}_tval_el2`, 2 + i, 0], [`${timer}_ctl_el2`, 2 + i, 1], [`${timer}_cval_el2`, 2 + i, 2]]));

// EL1 registers reached from EL2 with HCR_EL2.E2H set (op1 5).
add(3, 5, 1, [['zcr_el12', 2, 0], ['trfcr_el12', 2, 1], ['smcr_el12', 2, 6]]);
add(3, 5, 5, [['tfsr_el12', 6, 0]]);
add(3, 5, 10, [['mpam1_el12', 5, 0]]);
add(3, 5, 13, [['scxtnum_el12', 0, 7]]);

// EL3 (op0 3, op1 6).
add(3, 6, 1, [
  ['sctlr_el3', 0, 0], ['actlr_el3', 0, 1], ['scr_el3', 1, 0], ['sder32_el3', 1, 1], ['cptr_el3', 1, 2], ['zcr_el3', 2, 0], ['smcr_el3', 2, 6], ['mdcr_el3', 3, 1],
]);
add(3, 6, 2, [['ttbr0_el3', 0, 0], ['tcr_el3', 0, 2], ['gptbr_el3', 1, 4], ['gpccr_el3', 1, 6]]);
add(3, 6, 4, [['spsr_el3', 0, 0], ['elr_el3', 0, 1], ['sp_el2', 1, 0]]);
add(3, 6, 5, [['afsr0_el3', 1, 0], ['afsr1_el3', 1, 1], ['esr_el3', 2, 0], ['tfsr_el3', 6, 0]]);
add(3, 6, 6, [['far_el3', 0, 0], ['mfar_el3', 0, 5]]);
add(3, 6, 10, [['mair_el3', 2, 0], ['amair_el3', 3, 0], ['mpam3_el3', 5, 0]]);
add(3, 6, 12, [['vbar_el3', 0, 0], ['rvbar_el3', 0, 1], ['rmr_el3', 0, 2], ['icc_ctlr_el3', 12, 4], ['icc_sre_el3', 12, 5], ['icc_igrpen1_el3', 12, 7]]);
add(3, 6, 13, [['tpidr_el3', 0, 2], ['scxtnum_el3', 0, 7]]);
// The secure EL1 physical timer (op1 7).
add(3, 7, 14, [['cntps_tval_el1', 2, 0], ['cntps_ctl_el1', 2, 1], ['cntps_cval_el1', 2, 2]]);

// Printed only: Armv8-R's MPU (region 0 has no number in its names), SPE and the random number registers.
const printedOnly = (op0: number, op1: number, crn: number, rows: [string, number, number][]): void => group(printedOnlyEntries, op0, op1, crn, rows);
for (const [el, op1] of [[1, 0], [2, 4]] as const) {
  printedOnly(3, op1, 0, [[`mpuir_el${el}`, 0, 4]]);
  printedOnly(3, op1, 6, [[`prenr_el${el}`, 1, 1], [`prselr_el${el}`, 2, 1]]);
  for (let n = 0; n < 16; n++) {
    const region = n === 0 ? '' : `${n}`;
    printedOnly(3, op1, 6, [[`prbar${region}_el${el}`, 8 | (n >> 1), (n & 1) << 2], [`prlar${region}_el${el}`, 8 | (n >> 1), ((n & 1) << 2) | 1]]);
  }
}
printedOnly(3, 0, 9, [
  ['pmscr_el1', 9, 0], ['pmsicr_el1', 9, 2], ['pmsirr_el1', 9, 3], ['pmsfcr_el1', 9, 4], ['pmsevfr_el1', 9, 5], ['pmslatfr_el1', 9, 6], ['pmsidr_el1', 9, 7],
  ['pmblimitr_el1', 10, 0], ['pmbptr_el1', 10, 1], ['pmbsr_el1', 10, 3], ['pmbidr_el1', 10, 7],
]);
printedOnly(3, 4, 9, [['pmscr_el2', 9, 0]]);
printedOnly(3, 5, 9, [['pmscr_el12', 9, 0]]);
printedOnly(3, 3, 2, [['rndr', 4, 0], ['rndrrs', 4, 1]]);

// Registers MRS may not name (write-only) and MSR may not (read-only); gas
// warns about either use. The identification block (op0 3, op1 0-1, CRn 0),
// read-only throughout, is recognised by its encoding in sysregs.ts.
export const writeOnlyNames: ReadonlySet<string> = new Set([
  'oslar_el1', 'trcoslar', 'trclar', 'pmswinc_el0', 'dbgdtrtx_el0',
  'icc_eoir0_el1', 'icc_eoir1_el1', 'icc_dir_el1', 'icc_sgi0r_el1', 'icc_sgi1r_el1', 'icc_asgi1r_el1',
]);
export const readOnlyNames: ReadonlySet<string> = (() => {
  const out = new Set([
    'mdrar_el1', 'oslsr_el1', 'dbgauthstatus_el1', 'mdccsr_el0', 'dbgdtrrx_el0',
    'csrptridx_el1', 'csridr_el0', 'csrptridx_el0', 'csrptridx_el2',
    'trcstatr', 'trcoslsr', 'trcpdsr', 'trcdevid', 'trcdevtype', 'trcdevaff0', 'trcdevaff1', 'trclsr', 'trcauthstatus', 'trcdevarch',
    'brbidr0_el1', 'currentel', 'isr_el1', 'rvbar_el1', 'rvbar_el2', 'rvbar_el3',
    'erridr_el1', 'erxfr_el1', 'erxpfgf_el1', 'trbidr_el1', 'pmmir_el1', 'mpamidr_el1', 'lorid_el1',
    'icc_iar0_el1', 'icc_iar1_el1', 'icc_hppir0_el1', 'icc_hppir1_el1', 'icc_nmiar1_el1', 'icc_rpr_el1',
    'ich_vtr_el2', 'ich_misr_el2', 'ich_eisr_el2', 'ich_elrsr_el2',
    'ctr_el0', 'dczid_el0', 'pmceid0_el0', 'pmceid1_el0', 'amcfgr_el0', 'amcgcr_el0', 'amcg1idr_el0',
    'cntpct_el0', 'cntvct_el0', 'cntpctss_el0', 'cntvctss_el0',
  ]);
  for (let n = 0; n < 32; n++) for (const r of ['inf', 'src', 'tgt']) out.add(`brb${r}${n}_el1`);
  for (let n = 0; n < 14; n++) out.add(`trcidr${n}`);
  for (let n = 0; n < 8; n++) out.add(`trcpidr${n}`);
  for (let n = 0; n < 4; n++) out.add(`trccidr${n}`);
  // The architected activity monitors count fixed events; the auxiliary ones' types are writable.
  for (let n = 0; n < 4; n++) out.add(`amevtyper0${n}_el0`);
  return out;
})();
