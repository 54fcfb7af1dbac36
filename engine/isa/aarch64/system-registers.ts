// Storage for the system registers of one CPU that are plain state: the EL1
// and EL0 registers a guest programs (and hvisor resets), and the EL2
// registers the hypervisor model writes. Registers with behaviour (the
// generic timer, the GIC interfaces, ID registers, PSTATE fields) live with
// their devices or are computed; see sysreg-file.ts.

/** SCTLR_EL1 at reset: its RES1 bits only (MMU, caches and alignment checks off). */
export const SCTLR_EL1_RESET = 0x30d00800n;

export const SCTLR = {
  M: 1n << 0n,
  A: 1n << 1n,
  SA: 1n << 3n,
  SA0: 1n << 4n,
  UMA: 1n << 9n,
  DZE: 1n << 14n,
  UCT: 1n << 15n,
  nTWI: 1n << 16n,
  nTWE: 1n << 18n,
} as const;

export const HCR = {
  VM: 1n << 0n,
  FMO: 1n << 3n,
  IMO: 1n << 4n,
  VI: 1n << 7n,
  TSC: 1n << 19n,
  RW: 1n << 31n,
} as const;

/** CPTR_EL2.TFP: FP/SIMD accesses from EL0/EL1 trap to EL2. */
export const CPTR_TFP = 1n << 10n;

export class SystemRegisters {
  // EL1 and EL0, as hvisor's reset_vm_regs leaves them.
  sctlr = SCTLR_EL1_RESET;
  actlr = 0n;
  cpacr = 0n;
  ttbr0 = 0n;
  ttbr1 = 0n;
  tcr = 0n;
  mair = 0n;
  amair = 0n;
  vbar = 0n;
  elr = 0n;
  spsr = 0n;
  esr = 0n;
  far = 0n;
  par = 0n;
  afsr0 = 0n;
  afsr1 = 0n;
  contextidr = 0n;
  tpidrEl1 = 0n;
  tpidrEl0 = 0n;
  tpidrroEl0 = 0n;
  csselr = 0n;
  cntkctl = 0n;
  pmcr = 0n;
  mdscr = 0n;
  osdlr = 0n;
  /** OS lock: set at reset, cleared by writing OSLAR_EL1. */
  oslk = 1n;
  fpcr = 0n;
  fpsr = 0n;
  // EL2: what the hypervisor model programs.
  hcr = 0n;
  vttbr = 0n;
  vtcr = 0n;
  elrEl2 = 0n;
  spsrEl2 = 0n;
  esrEl2 = 0n;
  farEl2 = 0n;
  hpfarEl2 = 0n;
  vbarEl2 = 0n;
  vpidr = 0n;
  vmpidr = 0n;
  /** EL1PCTEN | EL1PCEN: as firmware leaves it, EL1 may use the physical counter and timer. */
  cnthctl = 3n;
  sctlrEl2 = 0x30c50830n;
  actlrEl2 = 0n;
  mdcrEl2 = 0n;
  cptrEl2 = 0x33ffn;
  hstrEl2 = 0n;
  hacrEl2 = 0n;
  ttbr0El2 = 0n;
  tcrEl2 = 0n;
  mairEl2 = 0n;
  tpidrEl2 = 0n;
  /** Hardware breakpoint and watchpoint registers (values only; debug exceptions are not generated). */
  readonly debug = new Map<string, bigint>();
}

export type StorageName = { [K in keyof SystemRegisters]: SystemRegisters[K] extends bigint ? K : never }[keyof SystemRegisters];
