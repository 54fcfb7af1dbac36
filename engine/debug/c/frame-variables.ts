// The C variables of guest frames as the Variables pane asks for them, one
// level at a time: a frame's Locals and Globals, then on expansion a value's
// members, elements (paged) or pointee. The engine keeps each expandable
// value behind a numeric handle, so a stop costs only the scopes the client
// opens; the handles last until the machine runs again (reset()).

import type { Engine } from '../../api';
import { resolved, sizeOf, type CType } from '../../dwarf/types';
import { readOnlyReason, store } from './assign';
import { cast } from './operations';
import { cpuContext, frameContext } from '../cpu-context';
import { evaluate } from '../evaluate';
import { parseExpression } from '../expression';
import { floatBits } from '../float-bits';
import { inspect, type Inspection } from '../inspect';
import { formatValue, typeName } from './format';
import { programScope, type NamedValue, type ProgramScope } from './scope';
import { addressOf, elementValue, memberValue, rawBits, type CValue } from './value';
import { valueFrame, type ValueFrame } from './value-frame';

/** One C value as the Variables pane shows it (see engine-protocol.ts). */
export interface CVariableView {
  readonly name: string;
  /** As gdb's `info locals` prints it. */
  readonly value: string;
  /** As gdb's `whatis` prints it. */
  readonly type: string;
  /** valueChildren(handle) lists its members, elements or pointee; 0 when it has none. */
  readonly handle: number;
  readonly namedChildren?: number;
  /** An array's element count (the client pages them). */
  readonly indexedChildren?: number;
  /** The guest virtual address it lives at. */
  readonly address?: bigint;
  /** An expression that evaluates to it in its frame. */
  readonly evaluateName: string;
  /** Why setValue refuses it; undefined when it can be written. */
  readonly readOnly?: string;
  /** In a Locals scope: a parameter of the function (gdb's `info args`) rather than a local. */
  readonly parameter?: boolean;
}

/** A frame's C scopes: the handles of its Locals and Globals. */
export interface FrameScopes {
  readonly function: string | undefined;
  readonly locals: { readonly handle: number; readonly count: number };
  readonly globals: { readonly handle: number; readonly count: number };
}

interface Child {
  readonly name: string;
  readonly value: CValue;
  readonly evaluateName: string;
  /** The pointer expression this value is the pointee of (its members read `p->m`). */
  readonly pointee?: string;
  readonly parameter?: boolean;
}

type Node =
  | { readonly kind: 'scope'; readonly frame: ValueFrame; readonly children: () => Child[] }
  | { readonly kind: 'value'; readonly frame: ValueFrame; readonly child: Child };

/** Larger arrays are refused as children beyond this (the client pages them). */
const MAX_PAGE = 10_000;

/** `e` in a postfix position: simple names and postfix chains stand alone; anything else is parenthesized. */
const postfix = (e: string): string => (/^[\w$]+(?:(?:\.|->)[\w$]+|\[\d+\])*$/.test(e) ? e : `(${e})`);

export class FrameVariables {
  private readonly nodes = new Map<number, Node>();
  private next = 1;

  constructor(private readonly engine: Engine) {}

  /** Forget every handle: the machine ran, so every value may have changed. */
  reset(): void {
    this.nodes.clear();
    this.next = 1;
  }

  /** Frame `index` (0 innermost) of `cpu`'s guest stack as a value frame and its scope; undefined without DWARF there. */
  frame(cpu: number, index: number): { frame: ValueFrame; scope: ProgramScope } | undefined {
    const frames = this.engine.guestFrames(cpu, index + 1).frames;
    const frame = valueFrame(this.engine, cpu, frames, index);
    const scope = frame && programScope(frame);
    return frame && scope ? { frame, scope } : undefined;
  }

  /** The Locals and Globals of frame `index` of `cpu`; undefined when its pc has no DWARF. */
  scopes(cpu: number, index: number): FrameScopes | undefined {
    const found = this.frame(cpu, index);
    if (!found) return undefined;
    const { frame, scope } = found;
    const asChildren = (list: NamedValue[]): Child[] => list.map((v) => ({ name: v.name, value: v.value, evaluateName: v.name, ...(v.parameter ? { parameter: true } : {}) }));
    const locals = asChildren(scope.locals());
    const globals = asChildren(scope.globals());
    return {
      function: scope.function,
      locals: { handle: this.add({ kind: 'scope', frame, children: () => locals }), count: locals.length },
      globals: { handle: this.add({ kind: 'scope', frame, children: () => globals }), count: globals.length },
    };
  }

  /** The children of a handle from scopes() or a view, `count` of them from `start` (all when count is 0 or absent). */
  children(handle: number, start = 0, count = 0): CVariableView[] {
    const node = this.node(handle);
    const all = node.kind === 'scope' ? node.children() : undefined;
    if (all) return all.slice(start, count ? start + count : undefined).map((c) => this.view(node.frame, c));
    const { frame, child } = node as Node & { kind: 'value' };
    const t = resolved(child.value.type);
    if (t.kind === 'array') {
      const total = t.counts[0] ?? 0;
      const end = Math.min(total, count ? start + count : total);
      if (end - start > MAX_PAGE) throw new RangeError(`${child.name} has ${total} elements: ask for at most ${MAX_PAGE} at a time ("start" and "count")`);
      const out: CVariableView[] = [];
      for (let i = start; i < end; i++) out.push(this.view(frame, { name: `[${i}]`, value: elementValue(frame, child.value, i), evaluateName: `${postfix(child.evaluateName)}[${i}]` }));
      return out;
    }
    return this.namedChildren(frame, child).slice(start, count ? start + count : undefined).map((c) => this.view(frame, c));
  }

  /**
   * Writes child `name` of `handle` with the value of `text` (an expression
   * in the child's frame; a decimal with a point for a float); returns its
   * view afterwards, or throws with the reason it cannot be written.
   */
  set(handle: number, name: string, text: string): CVariableView {
    const node = this.node(handle);
    const { frame } = node;
    const child = this.childNamed(node, name);
    const reason = readOnlyReason(frame, child.value);
    if (reason) throw new Error(`${name} cannot be set: ${reason}`);
    const t = resolved(child.value.type);
    const float = t.kind === 'base' && t.encoding === 'float' ? floatBits(text, t.size === 4 ? 32 : 64) : undefined;
    let bits = float;
    if (bits === undefined) {
      const scope = programScope(frame);
      const ctx = frameContext(this.engine, frame.cpu, frame, scope);
      bits = cast(evaluate(ctx, parseExpression(text.trim(), false, (n) => scope?.type(n) !== undefined)), child.value.type, 1).bits;
    }
    const failed = store(frame, child.value, bits);
    if (failed) throw new Error(`${name} cannot be set: ${failed}`);
    return this.view(frame, child);
  }

  /**
   * An expression's value in guest frame `frame` of `cpu` (0: the innermost,
   * which evaluates without DWARF too; a caller's reads the registers the
   * unwinder recovered for it), as the DAP evaluate request asks it; a C
   * result of a struct, array or pointer comes with a handle for children().
   */
  evaluate(cpu: number, frame: number, expression: string, context: string | undefined, hex: boolean | undefined): Inspection {
    let ctx = cpuContext(this.engine, cpu);
    if (frame > 0) {
      const found = this.frame(cpu, frame);
      if (!found) throw new Error(`frame ${frame} of CPU ${cpu} has no DWARF: only the innermost frame evaluates without it`);
      ctx = frameContext(this.engine, cpu, found.frame, found.scope);
    }
    const valueFrame = ctx.program?.frame;
    return inspect(ctx, expression, context, hex, valueFrame && ((value, text) => this.expandable(valueFrame, value, text)));
  }

  /** What evaluate adds for a C value: its type, and a handle for its children when it has any. */
  expandable(frame: ValueFrame, value: CValue, expression: string): Pick<Inspection, 'type' | 'handle' | 'namedChildren' | 'indexedChildren'> {
    const v = this.view(frame, { name: expression, value, evaluateName: expression });
    return {
      type: v.type,
      ...(v.handle ? { handle: v.handle } : {}),
      ...(v.namedChildren !== undefined ? { namedChildren: v.namedChildren } : {}),
      ...(v.indexedChildren !== undefined ? { indexedChildren: v.indexedChildren } : {}),
    };
  }

  private childNamed(node: Node, name: string): Child {
    if (node.kind === 'scope') {
      const found = node.children().find((c) => c.name === name);
      if (!found) throw new Error(`there is no variable named "${name}" in this scope`);
      return found;
    }
    const t = resolved(node.child.value.type);
    const index = /^\[(\d+)\]$/.exec(name);
    if (t.kind === 'array' && index && Number(index[1]) < (t.counts[0] ?? 0)) {
      const i = Number(index[1]);
      return { name, value: elementValue(node.frame, node.child.value, i), evaluateName: `${postfix(node.child.evaluateName)}[${i}]` };
    }
    const found = this.namedChildren(node.frame, node.child).find((c) => c.name === name);
    if (!found) throw new Error(`${node.child.name} has no member or element named "${name}"`);
    return found;
  }

  private node(handle: number): Node {
    const node = this.nodes.get(handle);
    if (!node) throw new RangeError(`value handle ${handle} is not known: handles last until the machine runs again`);
    return node;
  }

  private add(node: Node): number {
    const handle = this.next++;
    this.nodes.set(handle, node);
    return handle;
  }

  private namedChildren(frame: ValueFrame, parent: Child): Child[] {
    const t = resolved(parent.value.type);
    if (t.kind === 'struct' || t.kind === 'union') {
      const base = parent.pointee !== undefined ? `${postfix(parent.pointee)}->` : `${postfix(parent.evaluateName)}.`;
      return t.members.map((m) => ({ name: m.name ?? '<anonymous>', value: memberValue(frame, parent.value, m), evaluateName: m.name === undefined ? parent.evaluateName : `${base}${m.name}` }));
    }
    if (t.kind === 'pointer' && hasPointee(t.target)) {
      const address = rawBits(frame, parent.value);
      if (typeof address === 'string' || address === 0n) return [];
      return [{ name: `*${parent.name}`, value: { type: t.target, location: { kind: 'memory', address } }, evaluateName: `*${postfix(parent.evaluateName)}`, pointee: parent.evaluateName }];
    }
    return [];
  }

  private view(frame: ValueFrame, c: Child): CVariableView {
    const t = resolved(c.value.type);
    const address = addressOf(c.value);
    const readOnly = readOnlyReason(frame, c.value);
    const base = { name: c.name, value: formatValue(frame, c.value), type: typeName(c.value.type), evaluateName: c.evaluateName, ...(address !== undefined ? { address } : {}), ...(readOnly ? { readOnly } : {}), ...(c.parameter ? { parameter: true } : {}) };
    if (c.value.location.kind === 'unavailable') return { ...base, handle: 0 };
    if (t.kind === 'array' && (t.counts[0] ?? 0) > 0) return { ...base, handle: this.add({ kind: 'value', frame, child: c }), indexedChildren: t.counts[0]! };
    if (t.kind === 'struct' || t.kind === 'union') return t.members.length ? { ...base, handle: this.add({ kind: 'value', frame, child: c }), namedChildren: t.members.length } : { ...base, handle: 0 };
    if (t.kind === 'pointer' && hasPointee(t.target)) {
      const bits = rawBits(frame, c.value);
      if (typeof bits !== 'string' && bits !== 0n) return { ...base, handle: this.add({ kind: 'value', frame, child: c }), namedChildren: 1 };
    }
    return { ...base, handle: 0 };
  }
}

/** A pointer to this type has a pointee worth showing: not void, a function or a type without a size. */
function hasPointee(t: CType): boolean {
  const r = resolved(t);
  return r.kind !== 'void' && r.kind !== 'function' && r.kind !== 'unknown' && sizeOf(t) !== undefined;
}
