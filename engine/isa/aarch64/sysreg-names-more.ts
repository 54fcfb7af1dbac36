// The rest of the system registers objdump names (trace unit, branch record
// buffer, statistical profiling, MPAM, RAS error records, SVE/SME controls,
// the Armv8-R MPU and others this CPU does not have), each `name:key`, the key
// being MRS/MSR's 16-bit op0:op1:CRn:CRm:op2 field in hex. Only their names
// are known here: accessing one is UNDEFINED, as for any register the CPU lacks.

const parse = (list: string): (readonly [string, number])[] => list.trim().split(/\s+/).map((entry) => {
  const [name, key] = entry.split(':') as [string, string];
  return [name, parseInt(key, 16)] as const;
});

/** Names gas takes too. */
export const moreSysregNames = parse(`
osdtrrx_el1:8002 mdccint_el1:8010 osdtrtx_el1:801a oseccr_el1:8032 mdrar_el1:8080 dbgprcr_el1:80a4
dbgclaimset_el1:83c6 dbgclaimclr_el1:83ce dbgauthstatus_el1:83f6 csrcr_el1:8400 csrptr_el1:8401
csrptridx_el1:8403 trctraceidr:8801 trcvictlr:8802 trcseqevr0:8804 trcidr8:8806 trcimspec0:8807 trcprgctlr:8808
trcqctlr:8809 trcviiectlr:880a trcseqevr1:880c trcidr9:880e trcimspec1:880f trcprocselr:8810 trcvissctlr:8812
trcseqevr2:8814 trcidr10:8816 trcimspec2:8817 trcstatr:8818 trcvipcssctlr:881a trcidr11:881e trcimspec3:881f
trccntctlr0:8825 trcidr12:8826 trcimspec4:8827 trccntctlr1:882d trcidr13:882e trcimspec5:882f trcauxctlr:8830
trcseqrstevr:8834 trccntctlr2:8835 trcimspec6:8837 trcseqstr:883c trccntctlr3:883d trcimspec7:883f
trceventctl0r:8840 trcvdctlr:8842 trcextinselr0:8844 trccntvr0:8845 trcidr0:8847 trceventctl1r:8848
trcvdsacctlr:884a trcextinselr1:884c trccntvr1:884d trcidr1:884f trcrsr:8850 trcvdarcctlr:8852
trcextinselr2:8854 trccntvr2:8855 trcidr2:8857 trcstallctlr:8858 trcextinselr3:885c trccntvr3:885d trcidr3:885f
trctsctlr:8860 trcidr4:8867 trcsyncpr:8868 trcidr5:886f trcccctlr:8870 trcidr6:8877 trcbbctlr:8878 trcidr7:887f
trcssccr0:8882 trcsspcicr0:8883 trcoslar:8884 trcssccr1:888a trcsspcicr1:888b trcoslsr:888c trcssccr2:8892
trcsspcicr2:8893 trcssccr3:889a trcsspcicr3:889b trcssccr4:88a2 trcsspcicr4:88a3 trcpdcr:88a4 trcssccr5:88aa
trcsspcicr5:88ab trcpdsr:88ac trcssccr6:88b2 trcsspcicr6:88b3 trcssccr7:88ba trcsspcicr7:88bb trcacvr0:8900
trcacvr8:8901 trcacatr0:8902 trcacatr8:8903 trcdvcvr0:8904 trcdvcvr4:8905 trcdvcmr0:8906 trcdvcmr4:8907
trcacvr1:8910 trcacvr9:8911 trcacatr1:8912 trcacatr9:8913 trcacvr2:8920 trcacvr10:8921 trcacatr2:8922
trcacatr10:8923 trcdvcvr1:8924 trcdvcvr5:8925 trcdvcmr1:8926 trcdvcmr5:8927 trcacvr3:8930 trcacvr11:8931
trcacatr3:8932 trcacatr11:8933 trcacvr4:8940 trcacvr12:8941 trcacatr4:8942 trcacatr12:8943 trcdvcvr2:8944
trcdvcvr6:8945 trcdvcmr2:8946 trcdvcmr6:8947 trcacvr5:8950 trcacvr13:8951 trcacatr5:8952 trcacatr13:8953
trcacvr6:8960 trcacvr14:8961 trcacatr6:8962 trcacatr14:8963 trcdvcvr3:8964 trcdvcvr7:8965 trcdvcmr3:8966
trcdvcmr7:8967 trcacvr7:8970 trcacvr15:8971 trcacatr7:8972 trcacatr15:8973 trccidcvr0:8980 trcvmidcvr0:8981
trccidcctlr0:8982 trccidcctlr1:898a trccidcvr1:8990 trcvmidcvr1:8991 trcvmidcctlr0:8992 trcvmidcctlr1:899a
trccidcvr2:89a0 trcvmidcvr2:89a1 trccidcvr3:89b0 trcvmidcvr3:89b1 trccidcvr4:89c0 trcvmidcvr4:89c1
trccidcvr5:89d0 trcvmidcvr5:89d1 trccidcvr6:89e0 trcvmidcvr6:89e1 trccidcvr7:89f0 trcvmidcvr7:89f1
trcitctrl:8b84 trcdevtype:8b9f trcpidr4:8ba7 trcpidr5:8baf trcpidr6:8bb7 trcpidr7:8bbf trcclaimset:8bc6
trcpidr0:8bc7 trcclaimclr:8bce trcpidr1:8bcf trcdevaff0:8bd6 trcpidr2:8bd7 trcdevaff1:8bde trcpidr3:8bdf
trccidr0:8be7 trclsr:8bee trccidr1:8bef trcauthstatus:8bf6 trccidr2:8bf7 trcdevarch:8bfe trccidr3:8bff
brbinf0_el1:8c00 brbsrc0_el1:8c01 brbtgt0_el1:8c02 brbinf16_el1:8c04 brbsrc16_el1:8c05 brbtgt16_el1:8c06
brbinf1_el1:8c08 brbsrc1_el1:8c09 brbtgt1_el1:8c0a brbinf17_el1:8c0c brbsrc17_el1:8c0d brbtgt17_el1:8c0e
brbinf2_el1:8c10 brbsrc2_el1:8c11 brbtgt2_el1:8c12 brbinf18_el1:8c14 brbsrc18_el1:8c15 brbtgt18_el1:8c16
brbinf3_el1:8c18 brbsrc3_el1:8c19 brbtgt3_el1:8c1a brbinf19_el1:8c1c brbsrc19_el1:8c1d brbtgt19_el1:8c1e
brbinf4_el1:8c20 brbsrc4_el1:8c21 brbtgt4_el1:8c22 brbinf20_el1:8c24 brbsrc20_el1:8c25 brbtgt20_el1:8c26
brbinf5_el1:8c28 brbsrc5_el1:8c29 brbtgt5_el1:8c2a brbinf21_el1:8c2c brbsrc21_el1:8c2d brbtgt21_el1:8c2e
brbinf6_el1:8c30 brbsrc6_el1:8c31 brbtgt6_el1:8c32 brbinf22_el1:8c34 brbsrc22_el1:8c35 brbtgt22_el1:8c36
brbinf7_el1:8c38 brbsrc7_el1:8c39 brbtgt7_el1:8c3a brbinf23_el1:8c3c brbsrc23_el1:8c3d brbtgt23_el1:8c3e
brbinf8_el1:8c40 brbsrc8_el1:8c41 brbtgt8_el1:8c42 brbinf24_el1:8c44 brbsrc24_el1:8c45 brbtgt24_el1:8c46
brbinf9_el1:8c48 brbsrc9_el1:8c49 brbtgt9_el1:8c4a brbinf25_el1:8c4c brbsrc25_el1:8c4d brbtgt25_el1:8c4e
brbinf10_el1:8c50 brbsrc10_el1:8c51 brbtgt10_el1:8c52 brbinf26_el1:8c54 brbsrc26_el1:8c55 brbtgt26_el1:8c56
brbinf11_el1:8c58 brbsrc11_el1:8c59 brbtgt11_el1:8c5a brbinf27_el1:8c5c brbsrc27_el1:8c5d brbtgt27_el1:8c5e
brbinf12_el1:8c60 brbsrc12_el1:8c61 brbtgt12_el1:8c62 brbinf28_el1:8c64 brbsrc28_el1:8c65 brbtgt28_el1:8c66
brbinf13_el1:8c68 brbsrc13_el1:8c69 brbtgt13_el1:8c6a brbinf29_el1:8c6c brbsrc29_el1:8c6d brbtgt29_el1:8c6e
brbinf14_el1:8c70 brbsrc14_el1:8c71 brbtgt14_el1:8c72 brbinf30_el1:8c74 brbsrc30_el1:8c75 brbtgt30_el1:8c76
brbinf15_el1:8c78 brbsrc15_el1:8c79 brbtgt15_el1:8c7a brbinf31_el1:8c7c brbsrc31_el1:8c7d brbtgt31_el1:8c7e
brbcr_el1:8c80 brbfcr_el1:8c81 brbts_el1:8c82 brbinfinj_el1:8c88 brbsrcinj_el1:8c89 brbtgtinj_el1:8c8a
brbidr0_el1:8c90 teecr32_el1:9000 teehbr32_el1:9080 mdccsr_el0:9808 dbgdtr_el0:9820 csrcr_el0:9c00
csrptr_el0:9c01 csridr_el0:9c02 csrptridx_el0:9c03 dbgvcr32_el2:a038 csrcr_el2:a400 csrptr_el2:a401
csrptridx_el2:a403 brbcr_el2:a480 csrcr_el12:ac00 csrptr_el12:ac01 brbcr_el12:ac80 rgsr_el1:c085 gcr_el1:c086
zcr_el1:c090 trfcr_el1:c091 smpri_el1:c094 smcr_el1:c096 apiakeylo_el1:c108 apiakeyhi_el1:c109
apibkeylo_el1:c10a apibkeyhi_el1:c10b apdakeylo_el1:c110 apdakeyhi_el1:c111 apdbkeylo_el1:c112
apdbkeyhi_el1:c113 apgakeylo_el1:c118 apgakeyhi_el1:c119 allint:c218 erridr_el1:c298 errselr_el1:c299
erxfr_el1:c2a0 erxctlr_el1:c2a1 erxstatus_el1:c2a2 erxaddr_el1:c2a3 erxpfgf_el1:c2a4 erxpfgctl_el1:c2a5
erxpfgcdn_el1:c2a6 erxmisc0_el1:c2a8 erxmisc1_el1:c2a9 erxmisc2_el1:c2aa erxmisc3_el1:c2ab tfsr_el1:c2b0
tfsre0_el1:c2b1 pmsnevfr_el1:c4c9 trblimitr_el1:c4d8 trbptr_el1:c4d9 trbbaser_el1:c4da trbmar_el1:c4dc
trbtrg_el1:c4de trbidr_el1:c4df pmintenset_el1:c4f1 pmintenclr_el1:c4f2 pmmir_el1:c4f6 lorsa_el1:c520
lorea_el1:c521 lorn_el1:c522 lorc_el1:c523 mpamidr_el1:c524 lorid_el1:c527 mpam1_el1:c528 mpam0_el1:c529
mpamsm_el1:c52b rvbar_el1:c601 rmr_el1:c602 disr_el1:c609 icc_nmiar1_el1:c64d accdata_el1:c685 scxtnum_el1:c687
ccsidr2_el1:c802 gmid_el1:c804 smidr_el1:c806 svcr:da12 tco:da17 dspsr_el0:da28 dlr_el0:da29 pmcr_el0:dce0
pmcntenset_el0:dce1 pmcntenclr_el0:dce2 pmovsclr_el0:dce3 pmswinc_el0:dce4 pmselr_el0:dce5 pmceid0_el0:dce6
pmceid1_el0:dce7 pmccntr_el0:dce8 pmxevtyper_el0:dce9 pmxevcntr_el0:dcea pmuserenr_el0:dcf0 pmovsset_el0:dcf3
tpidr2_el0:de85 scxtnum_el0:de87 amcr_el0:de90 amcfgr_el0:de91 amcgcr_el0:de92 amuserenr_el0:de93
amcntenclr0_el0:de94 amcntenset0_el0:de95 amcg1idr_el0:de96 amcntenclr1_el0:de98 amcntenset1_el0:de99
cntpctss_el0:df05 cntvctss_el0:df06 hfgrtr_el2:e08c hfgwtr_el2:e08d hfgitr_el2:e08e zcr_el2:e090 trfcr_el2:e091
hcrx_el2:e092 smprimap_el2:e095 smcr_el2:e096 sder32_el2:e099 ttbr1_el2:e101 vncr_el2:e110 vsttbr_el2:e130
vstcr_el2:e132 dacr32_el2:e180 hdfgrtr_el2:e18c hdfgwtr_el2:e18d hafgrtr_el2:e18e spsr_irq:e218 spsr_abt:e219
spsr_und:e21a spsr_fiq:e21b ifsr32_el2:e281 afsr0_el2:e288 afsr1_el2:e289 vsesr_el2:e293 fpexc32_el2:e298
tfsr_el2:e2b0 amair_el2:e518 mpamvpmv_el2:e521 mpam2_el2:e528 mpamvpm0_el2:e530 mpamvpm1_el2:e531
mpamvpm2_el2:e532 mpamvpm3_el2:e533 mpamvpm4_el2:e534 mpamvpm5_el2:e535 mpamvpm6_el2:e536 mpamvpm7_el2:e537
rvbar_el2:e601 rmr_el2:e602 vdisr_el2:e609 ich_ap0r0_el2:e640 ich_ap0r1_el2:e641 ich_ap0r2_el2:e642
ich_ap0r3_el2:e643 ich_ap1r0_el2:e648 ich_ap1r1_el2:e649 ich_ap1r2_el2:e64a ich_ap1r3_el2:e64b
contextidr_el2:e681 scxtnum_el2:e687 cntpoff_el2:e706 cnthp_tval_el2:e710 cnthp_ctl_el2:e711 cnthp_cval_el2:e712
cnthv_tval_el2:e718 cnthv_ctl_el2:e719 cnthv_cval_el2:e71a cnthvs_tval_el2:e720 cnthvs_ctl_el2:e721
cnthvs_cval_el2:e722 cnthps_tval_el2:e728 cnthps_ctl_el2:e729 cnthps_cval_el2:e72a zcr_el12:e890 trfcr_el12:e891
smcr_el12:e896 tfsr_el12:eab0 mpam1_el12:ed28 scxtnum_el12:ee87 sctlr_el3:f080 actlr_el3:f081 scr_el3:f088
sder32_el3:f089 cptr_el3:f08a zcr_el3:f090 smcr_el3:f096 mdcr_el3:f099 ttbr0_el3:f100 tcr_el3:f102
gptbr_el3:f10c gpccr_el3:f10e spsr_el3:f200 elr_el3:f201 sp_el2:f208 afsr0_el3:f288 afsr1_el3:f289 esr_el3:f290
tfsr_el3:f2b0 far_el3:f300 mfar_el3:f305 mair_el3:f510 amair_el3:f518 mpam3_el3:f528 vbar_el3:f600
rvbar_el3:f601 rmr_el3:f602 icc_ctlr_el3:f664 icc_sre_el3:f665 icc_igrpen1_el3:f667 tpidr_el3:f682
scxtnum_el3:f687 cntps_tval_el1:ff10 cntps_ctl_el1:ff11 cntps_cval_el1:ff12
`);

/** Names gas takes only for other architecture profiles or extensions (SPE, RNG, Armv8-R): printed, never assembled. */
export const morePrintedOnlySysregNames = parse(`
mpuir_el1:c004 prenr_el1:c309 prselr_el1:c311 prbar_el1:c340 prlar_el1:c341 pmscr_el1:c4c8 pmsicr_el1:c4ca
pmsirr_el1:c4cb pmsfcr_el1:c4cc pmsevfr_el1:c4cd pmslatfr_el1:c4ce pmsidr_el1:c4cf pmblimitr_el1:c4d0
pmbptr_el1:c4d1 pmbsr_el1:c4d3 pmbidr_el1:c4d7 rndr:d920 rndrrs:d921 mpuir_el2:e004 prenr_el2:e309
prselr_el2:e311 prbar_el2:e340 prlar_el2:e341 pmscr_el2:e4c8 pmscr_el12:ecc8
`);
