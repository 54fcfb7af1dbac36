// Hit conditions as VS Code and gdb users write them: `N` or `== N` stops on
// the Nth hit, `>= N`, `> N`, `< N`, `<= N` compare the count, `% N` stops on
// every Nth hit. Hits are counted only when the breakpoint's condition holds.

import { ExpressionError, parseNumber } from './expression';

export type HitCondition = (hits: number) => boolean;

const TESTS: Readonly<Record<string, (hits: number, n: number) => boolean>> = {
  '==': (h, n) => h === n,
  '>=': (h, n) => h >= n,
  '>': (h, n) => h > n,
  '<': (h, n) => h < n,
  '<=': (h, n) => h <= n,
  '%': (h, n) => h % n === 0,
};

/** Parse a hit condition; ExpressionError names what is wrong with it. */
export function parseHitCondition(text: string): HitCondition {
  const m = /^\s*(==|>=|<=|>|<|%)?\s*([^\s].*?)\s*$/.exec(text);
  const n = m ? parseNumber(m[2]!) : undefined;
  if (!m || n === undefined || n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ExpressionError(`hit condition "${text}" is not N, == N, >= N, > N, < N, <= N or % N with N a whole number`);
  }
  const op = m[1] ?? '==';
  if (op === '%' && n === 0n) throw new ExpressionError(`hit condition "${text}": % 0 would never stop`);
  const test = TESTS[op]!;
  const count = Number(n);
  return (hits) => test(hits, count);
}
