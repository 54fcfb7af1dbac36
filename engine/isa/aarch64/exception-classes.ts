// ESR_ELx exception classes and the fixed syndrome bits this core reports.

export const EC = {
  unknown: 0x00,
  wfx: 0x01,
  fpAccess: 0x07,
  illegalState: 0x0e,
  svc: 0x15,
  hvc: 0x16,
  smc: 0x17,
  sysreg: 0x18,
  iabtLower: 0x20,
  iabtSame: 0x21,
  pcAlignment: 0x22,
  dabtLower: 0x24,
  dabtSame: 0x25,
  spAlignment: 0x26,
  brk: 0x3c,
} as const;

/** ESR.IL: every A64 instruction is 32 bits. */
export const ESR_IL = 1 << 25;

/** ISS of WFx and FP traps from AArch64: CV = 1, COND = 0b1110 (as QEMU reports them). */
export const ISS_COND_AL = 0x1e00000;

/** Fault status codes (DFSC/IFSC). */
export const FSC = {
  externalAbort: 0x10,
  alignment: 0x21,
} as const;

// ISS bits of data aborts.
export const ISS_ISV = 1 << 24;
export const ISS_SSE = 1 << 21;
export const ISS_SF = 1 << 15;
export const ISS_AR = 1 << 14;
export const ISS_S1PTW = 1 << 7;
export const ISS_WNR = 1 << 6;
export const ISS_SAS_SHIFT = 22;
export const ISS_SRT_SHIFT = 16;
