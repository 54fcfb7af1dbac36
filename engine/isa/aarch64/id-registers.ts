// What this CPU reports about itself: a Cortex-A57 (as on QEMU's virt board)
// with the ARMv8.1 atomics and CRC32, a 4 KiB translation granule, 48-bit physical
// addresses, EL0-EL2 in AArch64 only, FP/AdvSIMD, the GICv3 system register
// interface, and no PMU, SVE, pointer authentication or MTE.

export const MIDR_EL1 = 0x411fd070n;
/** CTR_EL0: 64-byte lines (IminLine = DminLine = 4), ERG = CWG = 4, PIPT instruction cache. */
export const CTR_EL0 = 0x8444c004n;
/** DCZID_EL0: DZP = 1, so software does not use DC ZVA (its block size field says 64 bytes). */
export const DCZID_EL0 = 0x14n;

/** Constant ID registers, by name; anything not listed in AArch32's ID space reads as zero. */
export const ID_REGISTERS: Readonly<Record<string, bigint>> = {
  revidr_el1: 0n,
  // EL0, EL1 and EL2 AArch64 only, no EL3; FP and AdvSIMD; GIC CPU interface v3.
  id_aa64pfr0_el1: 0x0100_0111n,
  id_aa64pfr1_el1: 0n,
  id_aa64zfr0_el1: 0n,
  id_aa64smfr0_el1: 0n,
  // Debug architecture v8 with two breakpoints and two watchpoints; no PMU.
  id_aa64dfr0_el1: 0x0010_1006n,
  id_aa64dfr1_el1: 0n,
  id_aa64afr0_el1: 0n,
  id_aa64afr1_el1: 0n,
  // Atomic = 0b0010: the ARMv8.1 LSE instructions; CRC32 = 1: CRC32* and CRC32C*; SHA2 = 1 (SHA-256),
  // SHA1 = 1, AES = 2 (AES and 64-bit PMULL).
  id_aa64isar0_el1: 0x0021_1120n,
  id_aa64isar1_el1: 0n,
  id_aa64isar2_el1: 0n,
  // PARange 48 bits, 16-bit ASIDs, 4 KiB granule only (TGran16 = 0, TGran64 = 0xF), mixed-endian not supported.
  id_aa64mmfr0_el1: 0x0f00_0025n,
  id_aa64mmfr1_el1: 0n,
  id_aa64mmfr2_el1: 0n,
  // The AArch32 ID registers read 0: this CPU runs AArch64 only, at every EL (ID_AA64PFR0_EL1 says so).
  id_pfr0_el1: 0n, id_pfr1_el1: 0n, id_pfr2_el1: 0n, id_dfr0_el1: 0n, id_dfr1_el1: 0n, id_afr0_el1: 0n,
  id_mmfr0_el1: 0n, id_mmfr1_el1: 0n, id_mmfr2_el1: 0n, id_mmfr3_el1: 0n, id_mmfr4_el1: 0n, id_mmfr5_el1: 0n,
  id_isar0_el1: 0n, id_isar1_el1: 0n, id_isar2_el1: 0n, id_isar3_el1: 0n, id_isar4_el1: 0n, id_isar5_el1: 0n, id_isar6_el1: 0n,
  mvfr0_el1: 0n, mvfr1_el1: 0n, mvfr2_el1: 0n,
  // Cache hierarchy as a Cortex-A57 reports it: separate L1 I/D, unified L2; LoUIS = LoUU = 1, LoC = 2.
  clidr_el1: 0x0a20_0023n,
  aidr_el1: 0n,
};

/** CCSIDR_EL1 for the cache CSSELR_EL1 selects (Cortex-A57's geometry); zero for caches that do not exist. */
export function cacheSizeId(csselr: bigint): bigint {
  switch (Number(csselr & 0xfn)) {
    case 0: return 0x701f_e00an; // L1 data: 32 KiB, 2-way, 64-byte lines
    case 1: return 0x201f_e012n; // L1 instruction: 48 KiB, 3-way, 64-byte lines
    case 2: return 0x707f_e07an; // L2 unified: 2 MiB, 16-way, 64-byte lines
    default: return 0n;
  }
}
