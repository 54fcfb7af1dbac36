// Logpoint messages: text with `{expr}` parts, each an expression of the
// language in expression.ts; `{{` and `}}` stand for literal braces.

import { ExpressionError, parseExpression, type Expr } from './expression';
import { evaluate, logText, type EvalContext } from './evaluate';

export type LogPart = string | Expr;

/** Parse a logpoint message; ExpressionError names the column of a bad part. */
export function parseLogMessage(text: string): LogPart[] {
  const parts: LogPart[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ((c === '{' || c === '}') && text[i + 1] === c) {
      literal += c;
      i++;
      continue;
    }
    if (c === '}') throw new ExpressionError(`log message column ${i + 1}: "}" without "{" (write }} for a brace)`);
    if (c !== '{') {
      literal += c;
      continue;
    }
    const close = text.indexOf('}', i + 1);
    if (close < 0) throw new ExpressionError(`log message column ${i + 1}: "{" is never closed`);
    try {
      parts.push(literal, parseExpression(text.slice(i + 1, close)));
    } catch (e) {
      throw new ExpressionError(`log message {${text.slice(i + 1, close)}} at column ${i + 1}: ${(e as Error).message}`);
    }
    literal = '';
    i = close;
  }
  parts.push(literal);
  return parts.filter((p) => p !== '');
}

/** The message with each expression's value; a part that cannot be evaluated shows its error. */
export function formatLogMessage(ctx: EvalContext, parts: readonly LogPart[]): string {
  return parts.map((p) => {
    if (typeof p === 'string') return p;
    try {
      return logText(evaluate(ctx, p), ctx.program);
    } catch (e) {
      return `<${e instanceof Error ? e.message : String(e)}>`;
    }
  }).join('');
}
