// CSR numbers and bit positions the hart implements. A hart in this engine runs
// only with V=1 (VS- or VU-mode): HS-mode is the TypeScript hypervisor model,
// so the HS CSRs below are state the model reads and writes directly.

export const CSR = {
  // Floating point
  fflags: 0x001, frm: 0x002, fcsr: 0x003,
  // Unprivileged counters
  cycle: 0xc00, time: 0xc01, instret: 0xc02,
  // Supervisor (VS-mode sees the vs* state under these numbers)
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, senvcfg: 0x10a,
  sscratch: 0x140, sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144, stimecmp: 0x14d,
  satp: 0x180,
  // Virtual supervisor
  vsstatus: 0x200, vsie: 0x204, vstvec: 0x205, vsscratch: 0x240, vsepc: 0x241, vscause: 0x242,
  vstval: 0x243, vsip: 0x244, vstimecmp: 0x24d, vsatp: 0x280,
  // Hypervisor
  hstatus: 0x600, hedeleg: 0x602, hideleg: 0x603, hie: 0x604, htimedelta: 0x605, hcounteren: 0x606,
  hgeie: 0x607, henvcfg: 0x60a, htval: 0x643, hip: 0x644, hvip: 0x645, htinst: 0x64a, hgatp: 0x680,
  hgeip: 0xe07,
} as const;

/** sstatus / vsstatus bits. */
export const STATUS = {
  SIE: 1n << 1n, SPIE: 1n << 5n, SPP: 1n << 8n, FS: 3n << 13n, XS: 3n << 15n, SUM: 1n << 18n, MXR: 1n << 19n,
  UXL64: 2n << 32n, SD: 1n << 63n,
} as const;

/** The FS field (bits 14:13): floating-point state Off, Initial, Clean or Dirty. */
export const FS_SHIFT = 13n;
export const FS = { off: 0, initial: 1, clean: 2, dirty: 3 } as const;

/** Writable vsstatus bits (VS and XS read as zero: no V extension, no custom extension state). */
export const VSSTATUS_WRITABLE = STATUS.SIE | STATUS.SPIE | STATUS.SPP | STATUS.FS | STATUS.SUM | STATUS.MXR;

/** hstatus bits. */
export const HSTATUS = {
  GVA: 1n << 6n, SPV: 1n << 7n, SPVP: 1n << 8n, HU: 1n << 9n,
  VTVM: 1n << 20n, VTW: 1n << 21n, VTSR: 1n << 22n, VSXL64: 2n << 32n,
} as const;

/** Interrupt bit numbers (hip / hie / hvip / hideleg layout). */
export const IRQ = { SSI: 1, VSSI: 2, STI: 5, VSTI: 6, SEI: 9, VSEI: 10, SGEI: 12 } as const;
export const VS_IRQ_MASK = (1 << IRQ.VSSI) | (1 << IRQ.VSTI) | (1 << IRQ.VSEI);
export const HS_IRQ_MASK = (1 << IRQ.SSI) | (1 << IRQ.STI) | (1 << IRQ.SEI);

/** Exception causes. */
export const CAUSE = {
  instructionMisaligned: 0, instructionAccessFault: 1, illegalInstruction: 2, breakpoint: 3,
  loadMisaligned: 4, loadAccessFault: 5, storeMisaligned: 6, storeAccessFault: 7,
  ecallFromU: 8, ecallFromS: 9, ecallFromVS: 10, ecallFromM: 11,
  instructionPageFault: 12, loadPageFault: 13, storePageFault: 15,
  instructionGuestPageFault: 20, loadGuestPageFault: 21, virtualInstruction: 22, storeGuestPageFault: 23,
} as const;

export const CAUSE_NAMES: Readonly<Record<number, string>> = {
  0: 'instruction address misaligned', 1: 'instruction access fault', 2: 'illegal instruction', 3: 'breakpoint',
  4: 'load address misaligned', 5: 'load access fault', 6: 'store/AMO address misaligned', 7: 'store/AMO access fault',
  8: 'environment call from U/VU-mode', 9: 'environment call from HS-mode', 10: 'environment call from VS-mode',
  11: 'environment call from M-mode', 12: 'instruction page fault', 13: 'load page fault', 15: 'store/AMO page fault',
  20: 'instruction guest-page fault', 21: 'load guest-page fault', 22: 'virtual instruction', 23: 'store/AMO guest-page fault',
};

export const INTERRUPT_NAMES: Readonly<Record<number, string>> = {
  1: 'supervisor software interrupt', 2: 'virtual supervisor software interrupt', 5: 'supervisor timer interrupt',
  6: 'virtual supervisor timer interrupt', 9: 'supervisor external interrupt', 10: 'virtual supervisor external interrupt',
  12: 'supervisor guest external interrupt',
};

/** Exceptions hedeleg can delegate to VS-mode (the others are read-only zero). */
export const HEDELEG_WRITABLE = 0b1011_0001_1111_1111n;

/** satp / vsatp / hgatp modes. */
export const ATP_MODE = { bare: 0, sv39: 8, sv48: 9 } as const;
