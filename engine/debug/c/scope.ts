// What a C name means at one frame: its parameters and locals (the innermost
// block first, so an inner declaration hides an outer one), then the
// globals and statics of its unit, then the other units' globals; and the
// program's types by the names a cast spells (`struct node`, a typedef,
// `unsigned long`).

import { DW_AT, DW_TAG } from '../../dwarf/constants';
import type { DebugInfo } from '../../dwarf/debug-info';
import type { Die, Unit } from '../../dwarf/info';
import { functionAt, globalsOf, localsAt, locate, type FrameContext, type FunctionInfo, type Variable } from '../../dwarf/scopes';
import type { CType } from '../../dwarf/types';
import { littleEndian, type CValue } from './value';
import type { ValueFrame } from './value-frame';

export interface NamedValue {
  readonly name: string;
  readonly value: CValue;
  /** A parameter of the frame's function (gdb's `info args`), not a local. */
  readonly parameter?: boolean;
}

export interface ProgramScope {
  readonly frame: ValueFrame;
  /** The function the frame is in. */
  readonly function: string | undefined;
  /** The frame's parameters and locals in scope at its pc, as the Locals scope lists them. */
  locals(): NamedValue[];
  /** Its unit's globals and statics, as the Globals scope lists them. */
  globals(): NamedValue[];
  /** The variable a name means here; undefined when the program has none. */
  variable(name: string): CValue | undefined;
  /** The type a cast names (`struct node`, `node_t`, `int`); undefined when the program has none. */
  type(name: string): CType | undefined;
  /** Every variable name visible here, for completions. */
  names(): string[];
}

const TYPE_TAGS: Record<number, string> = {
  [DW_TAG.structure_type]: 'struct ',
  [DW_TAG.union_type]: 'union ',
  [DW_TAG.enumeration_type]: 'enum ',
  [DW_TAG.typedef]: '',
  [DW_TAG.base_type]: '',
};

/** C's integer types on LP64 (riscv64 and aarch64, where plain char is unsigned), for casts in a unit that never names them, or without DWARF. */
export const LP64: Record<string, CType> = Object.fromEntries(
  ([
    ['char', 1, 'unsigned char'], ['signed char', 1, 'signed char'], ['unsigned char', 1, 'unsigned char'],
    ['short', 2, 'signed'], ['unsigned short', 2, 'unsigned'], ['int', 4, 'signed'], ['unsigned int', 4, 'unsigned'], ['unsigned', 4, 'unsigned'],
    ['long', 8, 'signed'], ['unsigned long', 8, 'unsigned'], ['long long', 8, 'signed'], ['unsigned long long', 8, 'unsigned'],
    ['_Bool', 1, 'boolean'], ['float', 4, 'float'], ['double', 8, 'float'],
  ] as const).map(([name, size, encoding]) => [name, { kind: 'base', name, size, encoding } as CType]),
);

function frameContext(frame: ValueFrame): FrameContext {
  return {
    register: (n) => frame.register(n),
    readMemory: (a, s) => {
      const b = frame.read(a, s);
      return b && littleEndian(b);
    },
    cfa: () => frame.cfa,
    caller: () => {
      const caller = frame.caller();
      return caller && { returnAddress: caller.pc, frame: frameContext(caller) };
    },
  };
}

interface UnitIndex {
  readonly types: Map<string, number>;
  readonly variables: Map<string, Die>;
  /** The offsets of the unit's top-level enumeration types, named or not: their enumerators are names too. */
  readonly enums: number[];
}

/** Names of a unit's top-level DIEs by kind, built once per unit. */
const unitIndex = new WeakMap<Unit, UnitIndex>();

function indexOf(info: DebugInfo, unit: Unit): UnitIndex {
  let index = unitIndex.get(unit);
  if (index) return index;
  index = { types: new Map(), variables: new Map(), enums: [] };
  for (const die of info.root(unit)?.children ?? []) {
    if (die.tag === DW_TAG.enumeration_type && !die.attributes.has(DW_AT.declaration)) index.enums.push(die.offset);
    const name = info.guard('name', () => unit.text(die, DW_AT.name), undefined);
    if (!name) continue;
    const prefix = TYPE_TAGS[die.tag];
    if (prefix !== undefined && !die.attributes.has(DW_AT.declaration)) {
      if (!index.types.has(prefix + name)) index.types.set(prefix + name, die.offset);
    } else if (die.tag === DW_TAG.variable && die.attributes.has(DW_AT.location)) index.variables.set(name, die);
  }
  unitIndex.set(unit, index);
  return index;
}

/** The scope of `frame`, or undefined when its pc is in no function the DWARF describes. */
export function programScope(frame: ValueFrame): ProgramScope | undefined {
  const info = frame.info;
  const at = frame.index === 0 ? frame.pc : frame.pc - 1n;
  const fn: FunctionInfo | undefined = functionAt(info, at);
  const unit = fn?.unit ?? info.unitAt(at);
  if (!unit) return undefined;
  const ctx = frameContext(frame);
  const valueOf = (v: Variable): CValue => ({ type: v.type, location: locate(info, v, at, ctx, v.kind === 'global' ? undefined : fn) });
  let locals: Variable[] | undefined;
  const localVariables = (): Variable[] => (locals ??= fn ? localsAt(info, fn, at) : []);
  let globals: Variable[] | undefined;
  const unitGlobals = (): Variable[] => (globals ??= globalsOf(info, unit).filter((v) => !v.die.attributes.has(DW_AT.declaration)));
  return {
    frame,
    function: fn?.name,
    locals: () => localVariables().map((v) => ({ name: v.name, value: valueOf(v), ...(v.kind === 'parameter' ? { parameter: true } : {}) })),
    globals: () => unitGlobals().map((v) => ({ name: v.name, value: valueOf(v) })),
    variable(name) {
      const local = [...localVariables()].reverse().find((v) => v.name === name) ?? unitGlobals().find((v) => v.name === name);
      if (local) return valueOf(local);
      const others = info.units().filter((u) => u !== unit);
      for (const other of others) {
        const die = indexOf(info, other).variables.get(name);
        if (die) return valueOf({ unit: other, die, name, kind: 'global', type: info.types.typeOf(die) });
      }
      // An enumerator (`CPU_PARKED`) is a constant of its enumeration's type, this unit's first.
      for (const u of [unit, ...others]) {
        for (const offset of indexOf(info, u).enums) {
          const type = info.types.typeAt(offset);
          const e = type.kind === 'enum' ? type.enumerators.find((x) => x.name === name) : undefined;
          if (e) return { type, location: { kind: 'value', value: e.value } };
        }
      }
      return undefined;
    },
    type(name) {
      const spelled = name.replace(/\s+/g, ' ').trim();
      for (const u of [unit, ...info.units().filter((x) => x !== unit)]) {
        const offset = indexOf(info, u).types.get(spelled);
        if (offset !== undefined) return info.types.typeAt(offset);
      }
      return LP64[spelled];
    },
    names() {
      const own = [...localVariables(), ...unitGlobals()].map((v) => v.name);
      return [...new Set(own)];
    },
  };
}

const declaredNames = new WeakMap<DebugInfo, Set<string>>();

/** Whether any unit declares a variable, parameter or enumerator by this name (a breakpoint's condition may name a local of the function it stops in). */
export function declaresVariable(info: DebugInfo, name: string): boolean {
  let names = declaredNames.get(info);
  if (!names) {
    names = new Set();
    const found = names;
    for (const unit of info.units()) {
      const walk = (die: Die, depth: number): void => {
        if (die.tag === DW_TAG.variable || die.tag === DW_TAG.formal_parameter || die.tag === DW_TAG.enumerator) {
          const n = info.guard('name', () => unit.text(die, DW_AT.name), undefined);
          if (n) found.add(n);
        }
        if (depth < 64) for (const child of die.children) walk(child, depth + 1);
      };
      const root = info.root(unit);
      if (root) walk(root, 0);
    }
    declaredNames.set(info, names);
  }
  return names.has(name);
}
