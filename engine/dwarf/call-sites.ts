// Call sites (DW_TAG_call_site, and DW_TAG_GNU_call_site of DWARF 4 GNU
// extensions): what the caller passed in a register, as an expression over
// the caller's frame. Optimized code describes a parameter by its value on
// entry (DW_OP_entry_value of the register it arrived in) once the register
// is reused; the caller's call site at the return address says how to
// recompute that value.

import { DW_AT, DW_TAG } from './constants';
import type { DebugInfo } from './debug-info';
import type { Die, Unit } from './info';
import type { FunctionInfo } from './scopes';

const CALL_SITES = new Set<number>([DW_TAG.call_site, DW_TAG.GNU_call_site]);
const PARAMETERS = new Set<number>([DW_TAG.call_site_parameter, DW_TAG.GNU_call_site_parameter]);
/** Scopes a call site may sit in inside its function. */
const NESTING = new Set<number>([DW_TAG.lexical_block, DW_TAG.inlined_subroutine]);

/** The register DW_OP_entry_value's sub-expression names (DW_OP_regN, DW_OP_regx, or DW_OP_regval_type and its GNU form), or undefined for other forms. */
export function entryRegister(expression: Uint8Array): number | undefined {
  const op = expression[0];
  if (op === undefined) return undefined;
  if (op >= 0x50 && op <= 0x6f) return expression.length === 1 ? op - 0x50 : undefined;
  const operands = op === 0x90 ? 1 : op === 0xa5 || op === 0xf5 ? 2 : 0;
  const values: number[] = [];
  let n = 0;
  let shift = 0;
  for (let i = 1; i < expression.length && values.length < operands; i++) {
    n += (expression[i]! & 0x7f) * 2 ** shift;
    shift += 7;
    if ((expression[i]! & 0x80) === 0) {
      values.push(n);
      if (values.length === operands) return i === expression.length - 1 ? values[0] : undefined;
      n = 0;
      shift = 0;
    }
  }
  return undefined;
}

function returnPc(unit: Unit, die: Die): bigint | undefined {
  const v = die.attributes.get(DW_AT.call_return_pc) ?? (die.tag === DW_TAG.GNU_call_site ? die.attributes.get(DW_AT.low_pc) : undefined);
  return v && unit.address(v);
}

/**
 * The expression (over the caller's frame) for what the caller `fn` passed in
 * `register` at its call returning to `returnAddress`; undefined when no call
 * site there describes that register.
 */
export function callSiteValue(info: DebugInfo, fn: FunctionInfo, returnAddress: bigint, register: number): Uint8Array | undefined {
  const stack: Die[] = [...fn.die.children];
  while (stack.length) {
    const die = stack.pop()!;
    if (NESTING.has(die.tag)) stack.push(...die.children);
    if (!CALL_SITES.has(die.tag) || info.guard('call site', () => returnPc(fn.unit, die), undefined) !== returnAddress) continue;
    for (const p of die.children) {
      if (!PARAMETERS.has(p.tag)) continue;
      const where = p.attributes.get(DW_AT.location);
      if (where?.kind !== 'block' || entryRegister(where.bytes) !== register) continue;
      const value = p.attributes.get(DW_AT.call_value) ?? p.attributes.get(DW_AT.GNU_call_site_value);
      return value?.kind === 'block' ? value.bytes : undefined;
    }
    return undefined;
  }
  return undefined;
}
