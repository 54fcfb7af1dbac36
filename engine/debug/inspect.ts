// Evaluate as the client asks it (watch, hover, repl, clipboard): one
// expression's value as text, and the address it stands for, if any; a value
// of the program's with members, elements or a pointee comes with a handle
// to expand it.

import { parseExpression } from './expression';
import { evaluate, formatResult, type EvalContext } from './evaluate';
import type { CValue } from './c/value';

export interface Inspection {
  readonly result: string;
  /** The value's bits, zero-extended (a register wider than 64 bits keeps all of them). */
  readonly value: bigint;
  /** The guest address the value is (a register, symbol or pointer), or where it was read from, for a memory reference. */
  readonly address?: bigint;
  /** The value's C type, for a value of the program's. */
  readonly type?: string;
  /** Its children by valueChildren(handle): members, elements or pointee; absent when it has none. */
  readonly handle?: number;
  readonly namedChildren?: number;
  readonly indexedChildren?: number;
}

/** Gives a C value a handle for its children, with their counts (expandable() of c/frame-variables.ts). */
export type Expand = (value: CValue, expression: string) => Pick<Inspection, 'type' | 'handle' | 'namedChildren' | 'indexedChildren'>;

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/**
 * `context` is the DAP evaluate context: only `repl` may assign; a `hover`
 * on a data symbol without DWARF shows the value in memory there (as wide as
 * the symbol when it is 1, 2, 4 or 8 bytes, else 8) with its address.
 */
export function inspect(ctx: EvalContext, expression: string, context: string | undefined, hexFormat: boolean | undefined, expand?: Expand): Inspection {
  const text = expression.trim();
  const tree = parseExpression(text, context === 'repl', (name) => ctx.program?.type(name) !== undefined);
  if (context === 'hover' && tree.kind === 'name' && ctx.register(tree.name) === undefined && ctx.field(tree.name) === undefined && !ctx.program?.variable(tree.name)) {
    const sym = ctx.symbol(tree.name);
    if (sym?.data) {
      const width = [1, 2, 4, 8].includes(sym.size) ? (sym.size as 1 | 2 | 4 | 8) : 8;
      const bits = ctx.read(sym.address, width);
      if (bits !== undefined) {
        const value = formatResult({ bits, type: { width, signed: false, pointer: 0 }, address: false }, hexFormat);
        return { result: `${value} @ ${hex(sym.address)}`, value: bits, address: sym.address };
      }
    }
  }
  const v = evaluate(ctx, tree);
  const address = v.address ? BigInt.asUintN(64, v.bits) : v.location;
  const typed = v.c && expand ? expand(v.c, text) : {};
  return { result: formatResult(v, hexFormat, ctx.program), value: v.bits, ...(address !== undefined ? { address } : {}), ...typed };
}
