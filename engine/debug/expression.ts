// The debugger's expression language, as C reads it: a lexer and a parser to a
// tree. Evaluate, watch, hover, breakpoint conditions and logpoints all parse
// through here; evaluate.ts gives the tree its 64-bit values.
//
//   a0, x10, pc, sepc, v3.s[1]      registers and their lanes or fields
//   cpu_on_entry, arch_cpu.sepc     PerCpu and ArchCpu fields of the CPU
//   counter, &counter               a symbol's address
//   1.5, 2e-3, 1.5f, 0x1p3          floating-point literals: double, or float with f
//   *(u32*)addr, ((u64*)sym)[2]     memory through a typed pointer
//   count, p->next->key, s.f, a[3]  the program's C variables where the pc has DWARF
//   *p, &x, sizeof x, sizeof(struct node), (struct node *)0x..., (node_t *)p, (unsigned long)x
//   $a0, $sp                        always a register, even where a C variable has its name
//   - ~ ! * & · * / % · + - · << >> · < <= > >= · == != · & · ^ · | · && · || · ?: · (u8)..(i64)
//   a0 = expr                       assignment to a register (where the caller allows it)

import { decimalValue, scaledInteger } from './float-bits';

/** Longer expressions are refused rather than parsed (the limits keep the recursion shallow). */
export const MAX_EXPRESSION_LENGTH = 4096;
export const MAX_NESTING = 256;

/** A C integer type of 1, 2, 4 or 8 bytes, behind `pointer` levels of indirection. */
export interface CType {
  readonly width: 1 | 2 | 4 | 8;
  readonly signed: boolean;
  readonly pointer: number;
}

export type UnaryOp = '-' | '~' | '!' | '*' | '&' | '+';
export type BinaryOp = '*' | '/' | '%' | '+' | '-' | '<<' | '>>' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&' | '^' | '|' | '&&' | '||';

/** The truth of a comparison operator on two numbers of one kind; undefined for other operators. */
export function comparison<T extends number | bigint>(op: BinaryOp, x: T, y: T): boolean | undefined {
  switch (op) {
    case '==': return x === y;
    case '!=': return x !== y;
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    case '>=': return x >= y;
  }
  return undefined;
}

/** Columns count from 1, as the client shows them. */
export type Expr =
  | { readonly kind: 'num'; readonly value: bigint; readonly col: number }
  /** A floating-point literal: a double, or a float (`size` 4, its value already rounded to one) with the f suffix. */
  | { readonly kind: 'float'; readonly value: number; readonly size: 4 | 8; readonly col: number }
  | { readonly kind: 'name'; readonly name: string; readonly col: number }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly arg: Expr; readonly col: number }
  | { readonly kind: 'cast'; readonly type: TypeSpec; readonly arg: Expr; readonly col: number }
  | { readonly kind: 'index'; readonly base: Expr; readonly index: Expr; readonly col: number }
  /** `base.name` after a closing bracket or parenthesis, or `base->name` (a dotted name is one 'name'). */
  | { readonly kind: 'member'; readonly base: Expr; readonly name: string; readonly arrow: boolean; readonly col: number }
  | { readonly kind: 'sizeof'; readonly of: Expr | TypeSpec; readonly col: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly col: number }
  | { readonly kind: 'cond'; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr; readonly col: number }
  | { readonly kind: 'assign'; readonly target: Expr; readonly value: Expr; readonly col: number };

/**
 * A type as a cast or sizeof spells it: `u32` (the debugger's own integer
 * names, `machine`), or a C type name the program's DWARF resolves
 * (`struct node`, `node_t`, `unsigned long`), behind `pointer` stars.
 */
export interface TypeSpec {
  readonly name: string;
  readonly pointer: number;
  readonly machine?: Omit<CType, 'pointer'>;
}

/** Words that start a C type name in a cast. */
const C_TYPE_WORDS = new Set(['struct', 'union', 'enum', 'unsigned', 'signed', 'char', 'short', 'int', 'long', 'float', 'double', '_Bool', 'void']);

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}

/** The integer type names casts take. */
export const TYPE_NAMES: ReadonlyMap<string, Omit<CType, 'pointer'>> = new Map(
  ([1, 2, 4, 8] as const).flatMap((width): [string, Omit<CType, 'pointer'>][] => {
    const bits = width * 8;
    return [
      [`u${bits}`, { width, signed: false }], [`uint${bits}_t`, { width, signed: false }],
      [`i${bits}`, { width, signed: true }], [`int${bits}_t`, { width, signed: true }],
    ];
  }),
);

/** A number literal: decimal, 0x hex or 0b binary, `_` allowed between digits; undefined if `text` is not one. */
export function parseNumber(text: string): bigint | undefined {
  const t = text.trim().replace(/_/g, '');
  const m = /^(-?)(0x[0-9a-f]+|0b[01]+|0o[0-7]+|\d+)$/i.exec(t);
  if (!m) return undefined;
  const v = BigInt(m[2]!.toLowerCase());
  return m[1] ? -v : v;
}

type Token =
  | { readonly kind: 'num'; readonly value: bigint; readonly col: number }
  | { readonly kind: 'float'; readonly value: number; readonly size: 4 | 8; readonly text: string; readonly col: number }
  | { readonly kind: 'name'; readonly text: string; readonly col: number }
  | { readonly kind: 'op'; readonly text: string; readonly col: number };

const OPERATORS = ['->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '(', ')', '[', ']', '*', '/', '%', '+', '-', '<', '>', '&', '^', '|', '?', ':', '~', '!', '=', '.'];

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const col = i + 1;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const float = floatLiteral(rest, col);
    if (float) {
      tokens.push(float);
      i += float.text.length;
      continue;
    }
    const number = /^(0x[0-9a-f_]+|0b[01_]+|0o[0-7_]+|\d[\d_]*)(?![\w$])/i.exec(rest);
    if (number) {
      tokens.push({ kind: 'num', value: parseNumber(number[1]!)!, col });
      i += number[1]!.length;
      continue;
    }
    if (/^\d/.test(rest)) throw new ExpressionError(`column ${col}: "${/^[\w$]+/.exec(rest)![0]}" is not a number`);
    // Dotted names reach fields: arch_cpu.sepc, fpcr.rmode, v3.s.
    const name = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], col });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (!op) throw new ExpressionError(`column ${col}: unexpected "${c}"`);
    tokens.push({ kind: 'op', text: op, col });
    i += op.length;
  }
  return tokens;
}

/** Decimal with a point or an exponent, or hex with a binary exponent (0x1.8p3), then an f (float) or l (long double) suffix. */
const FLOAT_LITERAL = /^(?:((?:\d+\.\d*|\.\d+)(?:e[+-]?\d+)?|\d+e[+-]?\d+)|0x([0-9a-f]*)(?:\.([0-9a-f]*))?p([+-]?\d+))([fl]?)(?![\w$.])/i;

/** The floating-point literal `rest` starts with, if any. */
function floatLiteral(rest: string, col: number): (Token & { kind: 'float' }) | undefined {
  const m = FLOAT_LITERAL.exec(rest);
  if (!m) return undefined;
  const [text, decimal, whole, fraction, exponent] = m;
  const suffix = m[5]!;
  if (decimal === undefined && !whole && !fraction) return undefined;
  if (suffix.toLowerCase() === 'l') throw new ExpressionError(`column ${col}: "${text}" is a long double, which the debugger does not compute with: drop the l for a double`);
  const size = suffix ? 4 : 8;
  const x = decimal !== undefined ? decimalValue(decimal, size) : hexFloat(whole ?? '', fraction ?? '', Number(exponent), size);
  return { kind: 'float', value: size === 4 ? Math.fround(x) : x, size, text, col };
}

/** 0x{whole}.{fraction}p{exponent}: the hex digits scaled by a power of two, rounded once to the literal's type. */
function hexFloat(whole: string, fraction: string, exponent: number, size: 4 | 8): number {
  return scaledInteger(BigInt(`0x${whole}${fraction}`), exponent - 4 * fraction.length, size);
}

const BINARY_RANK: Readonly<Record<BinaryOp, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

function tokenText(t: Token): string {
  return t.kind === 'num' ? String(t.value) : t.text;
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[], private readonly endCol: number, private readonly isType: (name: string) => boolean) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'op' && t.text === text;
  }

  private col(): number {
    return this.peek()?.col ?? this.endCol;
  }

  private expect(text: string): void {
    if (!this.isOp(text)) {
      const t = this.peek();
      throw new ExpressionError(`column ${this.col()}: expected "${text}" but found ${t ? `"${tokenText(t)}"` : 'the end'}`);
    }
    this.pos++;
  }

  private nest<T>(col: number, f: () => T): T {
    if (++this.depth > MAX_NESTING) throw new ExpressionError(`column ${col}: nested more than ${MAX_NESTING} deep`);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  parseTop(allowAssignment: boolean): Expr {
    const e = this.conditional();
    if (this.isOp('=')) {
      const col = this.col();
      if (!allowAssignment) throw new ExpressionError(`column ${col}: assignment is only allowed in the debug console`);
      this.pos++;
      const value = this.conditional();
      this.end();
      return { kind: 'assign', target: e, value, col };
    }
    this.end();
    return e;
  }

  private end(): void {
    const t = this.peek();
    if (t) throw new ExpressionError(`column ${t.col}: unexpected "${tokenText(t)}" after a complete expression`);
  }

  private conditional(): Expr {
    const col = this.col();
    const test = this.binary(1);
    if (!this.isOp('?')) return test;
    this.pos++;
    const then = this.nest(col, () => this.conditional());
    this.expect(':');
    const otherwise = this.nest(col, () => this.conditional());
    return { kind: 'cond', test, then, otherwise, col };
  }

  private binary(minRank: number): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t?.kind !== 'op' || !(t.text in BINARY_RANK)) return left;
      const op = t.text as BinaryOp;
      const rank = BINARY_RANK[op];
      if (rank < minRank) return left;
      this.pos++;
      const right = this.binary(rank + 1);
      left = { kind: 'binary', op, left, right, col: t.col };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (!t) throw new ExpressionError(`column ${this.endCol}: the expression ends where an operand should be`);
    if (t.kind === 'op' && ['-', '~', '!', '*', '&', '+'].includes(t.text)) {
      this.pos++;
      return this.nest(t.col, () => ({ kind: 'unary', op: t.text as UnaryOp, arg: this.unary(), col: t.col }));
    }
    if (t.kind === 'op' && t.text === '(' && this.castAhead(1)) {
      this.pos++;
      const type = this.type();
      this.expect(')');
      return this.nest(t.col, () => ({ kind: 'cast', type, arg: this.unary(), col: t.col }));
    }
    if (t.kind === 'name' && t.text === 'sizeof') {
      this.pos++;
      if (this.isOp('(') && this.castAhead(1)) {
        this.pos++;
        const type = this.type();
        this.expect(')');
        return { kind: 'sizeof', of: type, col: t.col };
      }
      return this.nest(t.col, () => ({ kind: 'sizeof', of: this.unary(), col: t.col }));
    }
    return this.postfix();
  }

  /**
   * A type name starts at `offset`: the debugger's integer names, C's type
   * words, a name the program declares as a type, or any name followed by
   * stars and the closing parenthesis (`(node_t *)p`: nothing else reads so).
   */
  private castAhead(offset: number): boolean {
    const t = this.peek(offset);
    if (t?.kind !== 'name') return false;
    if (TYPE_NAMES.has(t.text) || C_TYPE_WORDS.has(t.text) || this.isType(t.text)) return true;
    let k = offset + 1;
    while (this.isOp('*', k)) k++;
    return k > offset + 1 && this.isOp(')', k);
  }

  private type(): TypeSpec {
    const words: string[] = [];
    const first = this.peek() as Token & { kind: 'name' };
    words.push(first.text);
    this.pos++;
    if (first.text === 'struct' || first.text === 'union' || first.text === 'enum') {
      const tag = this.peek();
      if (tag?.kind !== 'name') throw new ExpressionError(`column ${this.col()}: expected the ${first.text}'s name`);
      words.push(tag.text);
      this.pos++;
    } else if (C_TYPE_WORDS.has(first.text)) {
      for (let t = this.peek(); t?.kind === 'name' && C_TYPE_WORDS.has(t.text); t = this.peek()) {
        words.push(t.text);
        this.pos++;
      }
    }
    let pointer = 0;
    while (this.isOp('*')) {
      this.pos++;
      pointer++;
    }
    const name = words.join(' ');
    const machine = TYPE_NAMES.get(name);
    return { name, pointer, ...(machine ? { machine } : {}) };
  }

  private postfix(): Expr {
    let e = this.primary();
    for (;;) {
      const col = this.col();
      if (this.isOp('[')) {
        this.pos++;
        const index = this.nest(col, () => this.conditional());
        this.expect(']');
        e = { kind: 'index', base: e, index, col };
      } else if (this.isOp('.') || this.isOp('->')) {
        const arrow = this.isOp('->');
        this.pos++;
        const member = this.peek();
        if (member?.kind !== 'name') throw new ExpressionError(`column ${this.col()}: expected a member name after "${arrow ? '->' : '.'}"`);
        this.pos++;
        // A dotted name after the operator is a chain of members: p->a.b.
        const [head, ...rest] = member.text.split('.');
        e = { kind: 'member', base: e, name: head!, arrow, col };
        for (const m of rest) e = { kind: 'member', base: e, name: m, arrow: false, col };
      } else return e;
    }
  }

  private primary(): Expr {
    const t = this.peek()!;
    if (t.kind === 'num') {
      this.pos++;
      return { kind: 'num', value: t.value, col: t.col };
    }
    if (t.kind === 'float') {
      this.pos++;
      return { kind: 'float', value: t.value, size: t.size, col: t.col };
    }
    if (t.kind === 'name') {
      this.pos++;
      if (TYPE_NAMES.has(t.text)) throw new ExpressionError(`column ${t.col}: the type "${t.text}" is only a cast, as in (${t.text})x or *(${t.text}*)x`);
      return { kind: 'name', name: t.text, col: t.col };
    }
    if (t.text === '(') {
      this.pos++;
      const e = this.nest(t.col, () => this.conditional());
      this.expect(')');
      return e;
    }
    throw new ExpressionError(`column ${t.col}: unexpected "${t.text}" where an operand should be`);
  }
}

/** Parse one expression; `allowAssignment` admits a top-level `target = value`. */
export function parseExpression(text: string, allowAssignment = false, isType: (name: string) => boolean = () => false): Expr {
  if (text.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError(`the expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`);
  const tokens = lex(text);
  if (tokens.length === 0) throw new ExpressionError('the expression is empty');
  return new Parser(tokens, text.length + 1, isType).parseTop(allowAssignment);
}

/** Every name the expression mentions (with `lane`, its `name[N]` form where it is indexed by a number). */
export function namesIn(e: Expr): { name: string; col: number; lane?: string }[] {
  const out: { name: string; col: number; lane?: string }[] = [];
  const walk = (x: Expr): void => {
    switch (x.kind) {
      case 'name': out.push({ name: x.name, col: x.col }); return;
      case 'num': case 'float': return;
      case 'unary': case 'cast': walk(x.arg); return;
      case 'member': walk(x.base); return;
      case 'sizeof': if ('kind' in x.of) walk(x.of); return;
      case 'index':
        if (x.base.kind === 'name' && x.index.kind === 'num') out.push({ name: x.base.name, col: x.base.col, lane: `${x.base.name}[${x.index.value}]` });
        else walk(x.base);
        walk(x.index);
        return;
      case 'binary': walk(x.left); walk(x.right); return;
      case 'cond': walk(x.test); walk(x.then); walk(x.otherwise); return;
      case 'assign': walk(x.target); walk(x.value); return;
    }
  };
  walk(e);
  return out;
}
