// The floating-point environment of one CPU: rounding modes, exception flags,
// the architecture's policy and the per-CPU switches (Arm FPCR.FZ/FZ16/DN/AHP).

/** Rounding modes. The first five are numbered as RISC-V's rm field (whose 5 and 6 are reserved: the caller rejects them). */
export type RoundingMode = number;
/** Round to nearest, ties to even (Arm RN, RISC-V rne). */
export const RNE: RoundingMode = 0;
/** Round toward zero (Arm RZ, RISC-V rtz). */
export const RTZ: RoundingMode = 1;
/** Round down, toward -infinity (Arm RM, RISC-V rdn). */
export const RDN: RoundingMode = 2;
/** Round up, toward +infinity (Arm RP, RISC-V rup). */
export const RUP: RoundingMode = 3;
/** Round to nearest, ties away from zero (Arm FRINTA/FCVTA*, RISC-V rmm). */
export const RMM: RoundingMode = 4;
/** Round to odd (von Neumann rounding): truncate, then set the last bit if inexact. Arm FCVTXN. */
export const ROD: RoundingMode = 5;

/** Exception flags, accumulated in FloatEnv.flags. The low five bits are RISC-V's fflags. */
export const FLAG_INEXACT = 1;
export const FLAG_UNDERFLOW = 2;
export const FLAG_OVERFLOW = 4;
export const FLAG_DIVZERO = 8;
export const FLAG_INVALID = 16;
/** Arm's input-denormal flag (FPSR.IDC): a denormal input was flushed to zero under FZ. */
export const FLAG_INPUT_DENORMAL = 32;

/** What an architecture fixes about IEEE 754's implementation-defined corners. */
export interface FloatPolicy {
  readonly name: 'arm' | 'riscv';
  /** Every NaN result is the default NaN (RISC-V); otherwise NaN operands propagate (Arm, unless FPCR.DN). */
  readonly canonicalNan: boolean;
  /** Tininess is detected before rounding (Arm) rather than after (RISC-V). */
  readonly tininessBeforeRounding: boolean;
  /** Float-to-integer conversion of a NaN gives the largest positive integer (RISC-V) rather than 0 (Arm). */
  readonly nanToMaxInteger: boolean;
}

export const ARM_POLICY: FloatPolicy = { name: 'arm', canonicalNan: false, tininessBeforeRounding: true, nanToMaxInteger: false };
export const RISCV_POLICY: FloatPolicy = { name: 'riscv', canonicalNan: true, tininessBeforeRounding: false, nanToMaxInteger: true };

/**
 * One CPU's floating-point state. Operations read the switches, add to
 * `flags`, and leave the high word of a 64-bit result in `hi`.
 */
export class FloatEnv {
  /** The dynamic rounding mode (Arm FPCR.RMode, RISC-V frm), for callers to pass as `rm`. */
  rm: RoundingMode = RNE;
  /** Accumulated FLAG_* bits (cumulative: operations only set them). */
  flags = 0;
  /** High word (int32) of the last 64-bit result; the function returned the low word. */
  hi = 0;
  /** Arm FPCR.FZ: flush denormal single and double inputs and results to zero. */
  fz = false;
  /** Arm FPCR.FZ16: the same for half precision. */
  fz16 = false;
  /** Arm FPCR.DN: NaN results are the default NaN. */
  dn = false;
  /** Arm FPCR.AHP: half-precision conversions use the alternative format (no infinities or NaNs). */
  ahp = false;

  constructor(readonly policy: FloatPolicy) {}
}

/** Load Arm's FPCR switches: AHP (bit 26), DN (25), FZ (24), RMode (23:22), FZ16 (19). */
export function setArmFpcr(env: FloatEnv, fpcr: number): void {
  env.ahp = ((fpcr >>> 26) & 1) !== 0;
  env.dn = ((fpcr >>> 25) & 1) !== 0;
  env.fz = ((fpcr >>> 24) & 1) !== 0;
  env.rm = armRoundingMode(fpcr >>> 22);
  env.fz16 = ((fpcr >>> 19) & 1) !== 0;
}

/** The rounding mode FPCR.RMode (bits 23:22) selects. */
export function armRoundingMode(rmode: number): RoundingMode {
  return [RNE, RUP, RDN, RTZ][rmode & 3]!;
}

/** FPCR.RMode for a rounding mode among RNE, RUP, RDN, RTZ. */
export function armRMode(rm: RoundingMode): number {
  return rm === RUP ? 1 : rm === RDN ? 2 : rm === RTZ ? 3 : 0;
}

/** The FPSR cumulative bits (IOC, DZC, OFC, UFC, IXC, IDC) for FLAG_* bits. */
export function fpsrFromFlags(flags: number): number {
  return ((flags & FLAG_INVALID) ? 1 : 0) | ((flags & FLAG_DIVZERO) ? 2 : 0) | ((flags & FLAG_OVERFLOW) ? 4 : 0) |
    ((flags & FLAG_UNDERFLOW) ? 8 : 0) | ((flags & FLAG_INEXACT) ? 16 : 0) | ((flags & FLAG_INPUT_DENORMAL) ? 128 : 0);
}

/** FLAG_* bits for the FPSR cumulative bits. */
export function flagsFromFpsr(fpsr: number): number {
  return ((fpsr & 1) ? FLAG_INVALID : 0) | ((fpsr & 2) ? FLAG_DIVZERO : 0) | ((fpsr & 4) ? FLAG_OVERFLOW : 0) |
    ((fpsr & 8) ? FLAG_UNDERFLOW : 0) | ((fpsr & 16) ? FLAG_INEXACT : 0) | ((fpsr & 128) ? FLAG_INPUT_DENORMAL : 0);
}
