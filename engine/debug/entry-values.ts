// DW_OP_entry_value: what a register held when the function was entered,
// from the call site in its caller that returns to the caller frame's pc.
// The caller's DW_TAG_call_site (DWARF 5, or GNU's extension in DWARF 4)
// lists, per register that carries a parameter, an expression for the value
// it was given there, evaluated in the caller frame.

import { DW_AT, DW_TAG } from '../dwarf/constants';
import { evaluateLocation } from '../dwarf/expression';
import type { Die, Unit } from '../dwarf/info';
import { functionAt } from '../dwarf/scopes';
import { littleEndian } from './c-value';
import type { ValueFrame } from './value-frame';

const CALL_SITES = new Set<number>([DW_TAG.call_site, DW_TAG.GNU_call_site]);
const PARAMETERS = new Set<number>([DW_TAG.call_site_parameter, DW_TAG.GNU_call_site_parameter]);

/** The register an entry value's expression names (DW_OP_regN, DW_OP_regx); undefined for anything else. */
function registerOf(expression: Uint8Array): number | undefined {
  const op = expression[0];
  if (op === undefined) return undefined;
  if (op >= 0x50 && op <= 0x6f && expression.length === 1) return op - 0x50;
  if (op !== 0x90) return undefined;
  let n = 0;
  let shift = 0;
  for (let i = 1; i < expression.length; i++) {
    n |= (expression[i]! & 0x7f) << shift;
    shift += 7;
    if ((expression[i]! & 0x80) === 0) return i === expression.length - 1 ? n : undefined;
  }
  return undefined;
}

/** The call site under `fn` whose return address is `returnPc`. */
function callSite(unit: Unit, fn: Die, returnPc: bigint): Die | undefined {
  const stack: Die[] = [...fn.children];
  while (stack.length) {
    const die = stack.pop()!;
    if (CALL_SITES.has(die.tag)) {
      const at = die.attributes.get(DW_AT.call_return_pc) ?? (die.tag === DW_TAG.GNU_call_site ? die.attributes.get(DW_AT.low_pc) : undefined);
      if (at && unit.address(at) === returnPc) return die;
    } else stack.push(...die.children);
  }
  return undefined;
}

/** The value `expression` (a register) had on entry to `frame`'s function; undefined when its caller's call site does not say. */
export function entryValue(frame: ValueFrame, expression: Uint8Array): bigint | undefined {
  const register = registerOf(expression);
  const caller = frame.caller();
  if (register === undefined || !caller) return undefined;
  const fn = functionAt(caller.info, caller.pc - 1n);
  const site = fn && callSite(fn.unit, fn.die, caller.pc);
  if (!fn || !site) return undefined;
  for (const parameter of site.children) {
    if (!PARAMETERS.has(parameter.tag)) continue;
    const location = parameter.attributes.get(DW_AT.location);
    if (location?.kind !== 'block' || registerOf(location.bytes) !== register) continue;
    const value = parameter.attributes.get(DW_AT.call_value) ?? parameter.attributes.get(DW_AT.GNU_call_site_value);
    if (value?.kind !== 'block') return undefined;
    const where = evaluateLocation(value.bytes, {
      addressSize: fn.unit.header.addressSize,
      register: (n) => caller.register(n),
      readMemory: (a, s) => {
        const b = caller.read(a, s);
        return b && littleEndian(b);
      },
      cfa: () => caller.cfa,
      indexedAddress: (i) => fn.unit.indexedAddress(i),
      entryValue: (e) => entryValue(caller, e),
    });
    // The expression's result is the value itself: on the stack (an address-like result) or in a register.
    if (where.kind === 'memory') return where.address;
    if (where.kind === 'value') return where.value;
    if (where.kind === 'register') return caller.register(where.register);
    return undefined;
  }
  return undefined;
}
