// Functions and variables by address: the subprogram covering a pc, the
// parameters and locals in scope there (through nested lexical blocks), the
// globals of a unit, and where each variable lives at a pc.

import { callSiteValue, entryRegister } from './call-sites';
import { DW_AT, DW_TAG } from './constants';
import type { DebugInfo } from './debug-info';
import { evaluateLocation, type ExpressionContext, type Location } from './expression';
import type { AttrValue } from './forms';
import type { Die, Unit } from './info';
import { expressionAt } from './locations';
import { resolved, type CType } from './types';

export interface FunctionInfo {
  readonly unit: Unit;
  readonly die: Die;
  readonly name: string | undefined;
}

export interface Variable {
  readonly unit: Unit;
  readonly die: Die;
  readonly name: string;
  readonly kind: 'parameter' | 'local' | 'global';
  readonly type: CType;
}

/** What a frame knows to evaluate locations: its registers, memory and CFA, and its caller's frame where there is one. */
export type FrameContext = Omit<ExpressionContext, 'frameBase' | 'indexedAddress' | 'addressSize' | 'entryValue'> & {
  /** The calling frame: the address the call returns to, and what that frame knows. */
  caller?(): { readonly returnAddress: bigint; readonly frame: FrameContext } | undefined;
};

/** An attribute of the DIE, or of the DIE its abstract origin or specification names (a concrete copy of an inline or a definition of a declaration). */
export function attribute(info: DebugInfo, die: Die, at: number): { unit: Unit; value: AttrValue } | undefined {
  let current: Die | undefined = die;
  for (let hops = 0; current && hops < 8; hops++) {
    const v = current.attributes.get(at);
    if (v) {
      const unit = info.unitOf(current.offset);
      return unit && { unit, value: v };
    }
    const link: AttrValue | undefined = current.attributes.get(DW_AT.abstract_origin) ?? current.attributes.get(DW_AT.specification);
    current = link?.kind === 'ref' ? info.dieAt(link.offset)?.die : undefined;
  }
  return undefined;
}

function nameOf(info: DebugInfo, die: Die): string | undefined {
  const a = attribute(info, die, DW_AT.name);
  return a && info.guard('name', () => a.unit.string(a.value), undefined);
}

function covers(info: DebugInfo, unit: Unit, die: Die, pc: bigint): boolean {
  return info.ranges(unit, die).some(([a, b]) => pc >= a && pc < b);
}

/** The (outermost, not inlined) function whose code covers `pc`. */
export function functionAt(info: DebugInfo, pc: bigint): FunctionInfo | undefined {
  const unit = info.unitAt(pc);
  const root = unit && info.root(unit);
  if (!unit || !root) return undefined;
  const stack: Die[] = [...root.children];
  while (stack.length) {
    const die = stack.pop()!;
    if (die.tag === DW_TAG.subprogram && covers(info, unit, die, pc)) return { unit, die, name: nameOf(info, die) };
    // Functions nest inside namespaces and other scopes in some languages; C keeps them at the top.
    if (die.tag !== DW_TAG.subprogram) stack.push(...die.children);
  }
  return undefined;
}

function variable(info: DebugInfo, unit: Unit, die: Die, kind: Variable['kind']): Variable | undefined {
  const name = nameOf(info, die);
  if (!name) return undefined;
  const typeDie = attribute(info, die, DW_AT.type);
  const type: CType = typeDie?.value.kind === 'ref' ? info.types.typeAt(typeDie.value.offset) : { kind: 'unknown', reason: `${name} has no type` };
  return { unit, die, name, kind, type };
}

/** The parameters, then the locals of the lexical blocks that cover `pc`, outermost first. */
export function localsAt(info: DebugInfo, fn: FunctionInfo, pc: bigint): Variable[] {
  const out: Variable[] = [];
  const walk = (scope: Die, depth: number): void => {
    for (const child of scope.children) {
      if (child.tag === DW_TAG.formal_parameter && depth === 0) {
        const v = variable(info, fn.unit, child, 'parameter');
        if (v) out.push(v);
      } else if (child.tag === DW_TAG.variable) {
        const v = variable(info, fn.unit, child, 'local');
        if (v) out.push(v);
      } else if (child.tag === DW_TAG.lexical_block && depth < 64) {
        const hasRanges = child.attributes.has(DW_AT.low_pc) || child.attributes.has(DW_AT.ranges);
        if (!hasRanges || covers(info, fn.unit, child, pc)) walk(child, depth + 1);
      }
    }
  };
  walk(fn.die, 0);
  return out;
}

/** The unit's file-scope variables (globals and statics). */
export function globalsOf(info: DebugInfo, unit: Unit): Variable[] {
  const root = info.root(unit);
  if (!root) return [];
  return root.children.filter((d) => d.tag === DW_TAG.variable).flatMap((d) => variable(info, unit, d, 'global') ?? []);
}

/** Where `v` lives at `pc` in the frame `frame` describes (the function `fn`, for locals). */
export function locate(info: DebugInfo, v: Variable, pc: bigint, frame: FrameContext, fn?: FunctionInfo): Location {
  const loc = attribute(info, v.die, DW_AT.location);
  if (!loc) {
    const constant = v.die.attributes.get(DW_AT.const_value);
    if (constant?.kind === 'constant') return { kind: 'value', value: constant.value };
    if (constant?.kind === 'block' || constant?.kind === 'data16') return { kind: 'implicit', bytes: constant.bytes };
    return { kind: 'unavailable', reason: 'optimized out' };
  }
  const expression = info.guard(`location of ${v.name}`, () => expressionAt(loc.unit, loc.value, pc, info.sections), undefined);
  if (!expression) return { kind: 'unavailable', reason: 'optimized out' };
  return evaluateLocation(expression, contextFor(info, loc.unit, frame, () => (fn ? frameBase(info, fn, pc, frame) : undefined)));
}

function contextFor(info: DebugInfo, unit: Unit, frame: FrameContext, base?: () => bigint | undefined): ExpressionContext {
  return {
    addressSize: unit.header.addressSize,
    register: (n) => frame.register(n),
    readMemory: (a, s) => frame.readMemory(a, s),
    cfa: () => frame.cfa?.(),
    indexedAddress: (i) => unit.indexedAddress(i),
    baseType: (offset) => {
      const t = resolved(info.types.typeAt(unit.header.offset + offset));
      return t.kind === 'base' ? { size: t.size, signed: t.encoding === 'signed' || t.encoding === 'signed char', float: t.encoding === 'float' } : undefined;
    },
    ...(base ? { frameBase: base } : {}),
    entryValue: (expression) => entryValue(info, expression, frame),
  };
}

/** What the register DW_OP_entry_value names held on entry: the caller's call site parameter for it, evaluated in the caller's frame. */
function entryValue(info: DebugInfo, expression: Uint8Array, frame: FrameContext): bigint | { readonly unavailable: string } {
  const register = entryRegister(expression);
  if (register === undefined) return { unavailable: 'its expression is not a register' };
  const caller = frame.caller?.();
  if (!caller) return { unavailable: 'no caller is known' };
  // The call is the instruction before the return address.
  const pc = caller.returnAddress - 1n;
  const fn = functionAt(info, pc);
  const value = fn && callSiteValue(info, fn, caller.returnAddress, register);
  if (!fn || !value) return { unavailable: `the caller's call site does not give register ${register}` };
  const where = evaluateLocation(value, contextFor(info, fn.unit, caller.frame, () => frameBase(info, fn, pc, caller.frame)));
  // DW_AT_call_value is a value: the top of the stack, or a register's contents.
  if (where.kind === 'memory') return where.address;
  if (where.kind === 'value') return where.value;
  const contents = where.kind === 'register' ? caller.frame.register(where.register) : undefined;
  if (contents !== undefined) return contents;
  return { unavailable: `the caller's value for register ${register}: ${where.kind === 'unavailable' ? where.reason : `a ${where.kind} location`}` };
}

/** The value of the function's DW_AT_frame_base at `pc`. */
function frameBase(info: DebugInfo, fn: FunctionInfo, pc: bigint, frame: FrameContext): bigint | undefined {
  const fb = attribute(info, fn.die, DW_AT.frame_base);
  if (!fb) return undefined;
  const expression = info.guard('frame base', () => expressionAt(fb.unit, fb.value, pc, info.sections), undefined);
  if (!expression) return undefined;
  const where = evaluateLocation(expression, contextFor(info, fb.unit, frame));
  // A frame base in memory is that address; in a register, the register's contents.
  if (where.kind === 'memory') return where.address;
  if (where.kind === 'register') return frame.register(where.register);
  return undefined;
}
