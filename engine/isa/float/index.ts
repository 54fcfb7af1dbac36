// IEEE 754 binary16, binary32 and binary64 arithmetic, bit-exact, for both
// CPU cores. Values are raw bits: binary16 and binary32 in an unsigned 32-bit
// number, binary64 and 64-bit integers as int32 halves (lo, hi), a 64-bit
// result returned as its low word with the high word left in env.hi. Every
// operation takes the FloatEnv of its CPU (flags accumulate there; the
// architecture's policy and Arm's FPCR switches are read from it) and, where
// it rounds, the rounding mode explicitly (env.rm for the dynamic one).
//
// Zero and normal operands take fast paths on host doubles (binary*.ts,
// host-round.ts, half-host.ts), whose inexactness and rounding direction come
// from error-free transformations; denormals, infinities, NaNs, overflow and
// underflow take the exact path (arith.ts, compare.ts, convert.ts, estimate.ts
// on BigInt significands, ending in round.ts's one rounding routine).

export {
  RNE, RTZ, RDN, RUP, RMM, ROD, type RoundingMode,
  FLAG_INEXACT, FLAG_UNDERFLOW, FLAG_OVERFLOW, FLAG_DIVZERO, FLAG_INVALID, FLAG_INPUT_DENORMAL,
  type FloatPolicy, ARM_POLICY, RISCV_POLICY, FloatEnv,
  setArmFpcr, armRoundingMode, armRMode, fpsrFromFlags, flagsFromFpsr,
} from './env';
export { CMP_LESS, CMP_EQUAL, CMP_GREATER, CMP_UNORDERED, type CompareResult, armNzcv } from './compare';
export { unsignedRecipEstimate, unsignedRsqrtEstimate } from './estimate';
export * from './binary16';
export * from './binary32';
export * from './binary64';
