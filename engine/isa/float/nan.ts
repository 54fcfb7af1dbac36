// NaN results: RISC-V's canonical NaN, or Arm's propagation (the first
// signalling operand, quieted, else the first quiet one; FPCR.DN forces the
// default NaN). A signalling operand raises invalid under both.

import { FLAG_INVALID, type FloatEnv } from './env';
import { QNAN, SNAN, type Format, type Unpacked } from './format';

/** The NaN an operation with these operands returns, in the Arm ARM's operand order; undefined when none is a NaN. */
export function processNaNs(f: Format, env: FloatEnv, ...ops: Unpacked[]): bigint | undefined {
  let firstS: Unpacked | undefined;
  let firstQ: Unpacked | undefined;
  for (const u of ops) {
    if (u.cls === SNAN) firstS ??= u;
    else if (u.cls === QNAN) firstQ ??= u;
  }
  if (firstS === undefined && firstQ === undefined) return undefined;
  if (firstS !== undefined) env.flags |= FLAG_INVALID;
  if (env.policy.canonicalNan || env.dn) return f.defaultNan;
  return firstS !== undefined ? firstS.bits | f.quietBit : firstQ!.bits;
}

/** The default NaN with invalid raised (invalid operations on numbers). */
export function invalidNan(f: Format, env: FloatEnv): bigint {
  env.flags |= FLAG_INVALID;
  return f.defaultNan;
}
