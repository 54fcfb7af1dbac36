// Evaluate as the client asks it (watch, hover, repl, clipboard): one
// expression's value as text, and the address it stands for, if any.

import { parseExpression } from './expression';
import { evaluate, formatResult, type EvalContext } from './evaluate';

export interface Inspection {
  readonly result: string;
  /** The value's bits, zero-extended (a register wider than 64 bits keeps all of them). */
  readonly value: bigint;
  /** The guest address the value is (a register, symbol or pointer), or where it was read from, for a memory reference. */
  readonly address?: bigint;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/**
 * `context` is the DAP evaluate context: only `repl` may assign; a `hover`
 * on a data symbol shows the value in memory there (as wide as the symbol
 * when it is 1, 2, 4 or 8 bytes, else 8) with its address.
 */
export function inspect(ctx: EvalContext, expression: string, context: string | undefined, hexFormat: boolean | undefined): Inspection {
  const tree = parseExpression(expression.trim(), context === 'repl');
  if (context === 'hover' && tree.kind === 'name' && ctx.register(tree.name) === undefined && ctx.field(tree.name) === undefined) {
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
  return { result: formatResult(v, hexFormat), value: v.bits, ...(address !== undefined ? { address } : {}) };
}
