// gas expressions: parsing into a tree and 64-bit evaluation. Operator
// precedence and results follow gas rather than C: `<<`/`>>` bind like `*`,
// the bitwise operators (including `!`, or-not) bind tighter than `+`,
// comparisons give -1 for true, and `>>` is a logical shift.

import type { Token } from './lexer';

export type UnaryOp = '-' | '~' | '!' | '+';
export type BinaryOp =
  | '*' | '/' | '%' | '<<' | '>>'
  | '|' | '&' | '^' | '!'
  | '+' | '-'
  | '==' | '!=' | '<>' | '<' | '>' | '<=' | '>='
  | '&&' | '||';

export type Expr =
  | { readonly kind: 'num'; readonly value: bigint; readonly col: number }
  | { readonly kind: 'sym'; readonly name: string; readonly col: number }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly arg: Expr; readonly col: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly col: number }
  /** `%hi(x)` and friends; only the ISA knows what they mean. */
  | { readonly kind: 'reloc'; readonly op: string; readonly arg: Expr; readonly col: number };

const RANK: Readonly<Record<BinaryOp, number>> = {
  '||': 1, '&&': 2,
  '==': 3, '!=': 3, '<>': 3, '<': 3, '>': 3, '<=': 3, '>=': 3,
  '+': 4, '-': 4,
  '|': 5, '&': 5, '^': 5, '!': 5,
  '*': 6, '/': 6, '%': 6, '<<': 6, '>>': 6,
};

/** How the parser names things that depend on where the expression is. */
export interface ExprScope {
  /** Symbol that the local label reference `1b`/`1f` denotes here (undefined: no earlier `1:`). */
  localRef(label: string, dir: 'b' | 'f'): string | undefined;
  /** A symbol standing for the current location (`.`). */
  dot(): string;
  /** Relocation operators (`%hi`) the ISA accepts. */
  readonly relocOperators: ReadonlySet<string>;
}

export class ExprSyntaxError {
  constructor(readonly col: number, readonly message: string) {}
}

/** A read position in a statement's tokens. */
export class TokenCursor {
  pos = 0;
  constructor(readonly tokens: readonly Token[], readonly endCol: number) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  next(): Token | undefined {
    return this.tokens[this.pos++];
  }

  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  /** Column of the next token, or of the end of the statement. */
  col(): number {
    return this.peek()?.col ?? this.endCol;
  }

  isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }
}

export function describeToken(t: Token | undefined): string {
  if (!t) return 'end of line';
  switch (t.kind) {
    case 'ident': return `\`${t.text}\``;
    case 'number': return `\`${t.value}\``;
    case 'localref': return `\`${t.label}${t.dir}\``;
    case 'string': return 'a string';
    case 'float': return `\`${t.text}\``;
    case 'punct': return `\`${t.text}\``;
  }
}

/**
 * The most operands and operators one expression may hold. Evaluating walks the
 * tree recursively, so this bounds its depth: a line of 20,000 terms is bad
 * input with a message, not a stack overflow.
 */
export const MAX_EXPR_TERMS = 4096;
/** The deepest nesting of parentheses and unary operators; parsing recurses on each. */
export const MAX_EXPR_NESTING = 256;

/** What is left of an expression's term budget, and how deep the parser is. */
interface Budget {
  terms: number;
  depth: number;
}

/** Parse a nested part of the expression one level deeper. */
function nested<T>(budget: Budget, col: number, parse: () => T): T {
  if (++budget.depth > MAX_EXPR_NESTING) throw new ExprSyntaxError(col, `expression nested more than ${MAX_EXPR_NESTING} levels deep`);
  const out = parse();
  budget.depth--;
  return out;
}

function spend(budget: Budget, col: number): void {
  if (--budget.terms < 0) throw new ExprSyntaxError(col, `expression has more than ${MAX_EXPR_TERMS} operands and operators`);
}

/** Parse one expression; throws ExprSyntaxError (caught by callers) on bad syntax. */
export function parseExpr(cursor: TokenCursor, scope: ExprScope): Expr {
  return parseBinary(cursor, scope, 1, { terms: MAX_EXPR_TERMS, depth: 0 });
}

function binaryOpAt(cursor: TokenCursor): BinaryOp | undefined {
  const t = cursor.peek();
  if (t?.kind !== 'punct') return undefined;
  return t.text in RANK ? (t.text as BinaryOp) : undefined;
}

function parseBinary(cursor: TokenCursor, scope: ExprScope, minRank: number, budget: Budget): Expr {
  let left = parseUnary(cursor, scope, budget);
  for (;;) {
    const op = binaryOpAt(cursor);
    if (op === undefined || RANK[op] < minRank) return left;
    const col = cursor.next()!.col;
    spend(budget, col);
    const right = parseBinary(cursor, scope, RANK[op] + 1, budget);
    left = { kind: 'binary', op, left, right, col };
  }
}

function parseUnary(cursor: TokenCursor, scope: ExprScope, budget: Budget): Expr {
  const t = cursor.peek();
  if (!t) throw new ExprSyntaxError(cursor.endCol, 'missing expression');
  spend(budget, t.col);
  if (t.kind === 'punct') {
    if (t.text === '-' || t.text === '~' || t.text === '!' || t.text === '+') {
      cursor.next();
      return { kind: 'unary', op: t.text, arg: nested(budget, t.col, () => parseUnary(cursor, scope, budget)), col: t.col };
    }
    if (t.text === '(') {
      cursor.next();
      const inner = nested(budget, t.col, () => parseBinary(cursor, scope, 1, budget));
      if (!cursor.isPunct(')')) throw new ExprSyntaxError(cursor.col(), `expected \`)\`, found ${describeToken(cursor.peek())}`);
      cursor.next();
      return inner;
    }
    if (t.text === '%') {
      const name = cursor.peek(1);
      if (name?.kind === 'ident' && cursor.isPunct('(', 2)) {
        if (!scope.relocOperators.has(name.text)) throw new ExprSyntaxError(name.col, `unknown relocation operator \`%${name.text}\``);
        cursor.pos += 3;
        const arg = nested(budget, t.col, () => parseBinary(cursor, scope, 1, budget));
        if (!cursor.isPunct(')')) throw new ExprSyntaxError(cursor.col(), `expected \`)\`, found ${describeToken(cursor.peek())}`);
        cursor.next();
        return { kind: 'reloc', op: name.text, arg, col: t.col };
      }
    }
  }
  cursor.next();
  switch (t.kind) {
    case 'number':
      return { kind: 'num', value: t.value, col: t.col };
    case 'ident':
      return { kind: 'sym', name: t.text === '.' ? scope.dot() : t.text, col: t.col };
    case 'localref': {
      const name = scope.localRef(t.label, t.dir);
      if (name === undefined) throw new ExprSyntaxError(t.col, `no earlier definition of local label \`${t.label}\``);
      return { kind: 'sym', name, col: t.col };
    }
    default:
      throw new ExprSyntaxError(t.col, `expected an expression, found ${describeToken(t)}`);
  }
}

export type EvalResult =
  | { readonly ok: true; readonly value: bigint }
  /** `line` is set when the problem is on another line (inside a `.equ` used here). */
  | { readonly ok: false; readonly col: number; readonly message: string; readonly line?: number };

/** Resolves a symbol's value, or explains why it has none. */
export type SymbolLookup = (name: string, col: number) => EvalResult;

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);
const truth = (b: boolean): bigint => (b ? -1n : 0n);

/** Evaluate with 64-bit wrap-around, as gas does for its offsetT values. */
export function evaluate(expr: Expr, lookup: SymbolLookup): EvalResult {
  switch (expr.kind) {
    case 'num':
      if (expr.value > 0xffff_ffff_ffff_ffffn) return { ok: false, col: expr.col, message: `constant ${expr.value} does not fit in 64 bits` };
      return { ok: true, value: wrap(expr.value) };
    case 'sym':
      return lookup(expr.name, expr.col);
    case 'reloc':
      return { ok: false, col: expr.col, message: `\`%${expr.op}\` is not allowed here` };
    case 'unary': {
      const a = evaluate(expr.arg, lookup);
      if (!a.ok) return a;
      const v = a.value;
      const value = expr.op === '-' ? -v : expr.op === '~' ? ~v : expr.op === '!' ? (v === 0n ? 1n : 0n) : v;
      return { ok: true, value: wrap(value) };
    }
    case 'binary': {
      const a = evaluate(expr.left, lookup);
      if (!a.ok) return a;
      const b = evaluate(expr.right, lookup);
      if (!b.ok) return b;
      return binary(expr.op, a.value, b.value, expr.col);
    }
  }
}

function binary(op: BinaryOp, l: bigint, r: bigint, col: number): EvalResult {
  const ok = (v: bigint): EvalResult => ({ ok: true, value: wrap(v) });
  const unsigned = (v: bigint): bigint => BigInt.asUintN(64, v);
  switch (op) {
    case '*': return ok(l * r);
    case '/':
    case '%':
      if (r === 0n) return { ok: false, col, message: 'division by zero' };
      return ok(op === '/' ? l / r : l % r);
    case '<<': return ok(unsigned(r) >= 64n ? 0n : l << r);
    case '>>': return ok(unsigned(r) >= 64n ? 0n : unsigned(l) >> r);
    case '|': return ok(l | r);
    case '&': return ok(l & r);
    case '^': return ok(l ^ r);
    case '!': return ok(l | ~r);
    case '+': return ok(l + r);
    case '-': return ok(l - r);
    case '==': return ok(truth(l === r));
    case '!=':
    case '<>': return ok(truth(l !== r));
    case '<': return ok(truth(l < r));
    case '>': return ok(truth(l > r));
    case '<=': return ok(truth(l <= r));
    case '>=': return ok(truth(l >= r));
    case '&&': return ok(l !== 0n && r !== 0n ? 1n : 0n);
    case '||': return ok(l !== 0n || r !== 0n ? 1n : 0n);
  }
}

/** Every symbol name the expression mentions. */
export function symbolsOf(expr: Expr, out: string[] = []): string[] {
  switch (expr.kind) {
    case 'sym': out.push(expr.name); break;
    case 'unary':
    case 'reloc': symbolsOf(expr.arg, out); break;
    case 'binary': symbolsOf(expr.left, out); symbolsOf(expr.right, out); break;
    case 'num': break;
  }
  return out;
}
