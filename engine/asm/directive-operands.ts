// Operand parsing shared by the directives.

import { describeToken, type Expr } from './expr';
import type { StatementContext } from './statement';

export type Handler = (ctx: StatementContext) => void;

/** Parse comma-separated expressions up to the end of the statement. */
export function exprList(ctx: StatementContext): Expr[] | undefined {
  const list: Expr[] = [];
  if (ctx.cursor.atEnd()) return list;
  for (;;) {
    const e = ctx.parseExpr();
    if (!e) return undefined;
    list.push(e);
    if (ctx.cursor.atEnd()) return list;
    if (!ctx.cursor.isPunct(',')) {
      ctx.error(ctx.cursor.col(), `expected \`,\`, found ${describeToken(ctx.cursor.peek())}`);
      return undefined;
    }
    ctx.cursor.next();
  }
}

export function comma(ctx: StatementContext): boolean {
  if (ctx.cursor.isPunct(',')) {
    ctx.cursor.next();
    return true;
  }
  ctx.error(ctx.cursor.col(), `expected \`,\`, found ${describeToken(ctx.cursor.peek())}`);
  return false;
}

export function symbolName(ctx: StatementContext): { name: string; col: number } | undefined {
  const t = ctx.cursor.next();
  if (t?.kind === 'ident') return { name: t.text, col: t.col };
  ctx.error(t?.col ?? ctx.cursor.endCol, `expected a symbol name, found ${describeToken(t)}`);
  return undefined;
}

export function nameList(ctx: StatementContext): { name: string; col: number }[] {
  const out: { name: string; col: number }[] = [];
  for (;;) {
    const s = symbolName(ctx);
    if (!s) return out;
    out.push(s);
    if (ctx.cursor.atEnd()) return out;
    if (!comma(ctx)) return out;
  }
}

export function noOperands(ctx: StatementContext): boolean {
  return ctx.expectEnd();
}
