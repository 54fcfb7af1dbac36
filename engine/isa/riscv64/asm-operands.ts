// Operand parsing against an operand syntax from the encoding table
// (`rd,imm(rs1)`, `csr,imm`, `rs1,target`, `fd,fs1,fs2,rm`): registers by ABI
// or xN/fN name, rounding modes by name,
// immediates as gas expressions, CSRs by name or number, fence sets, memory
// operands with an optional offset, and the relocation operators.

import type { StatementContext } from '../../asm/statement';
import { describeToken, ExprSyntaxError, TokenCursor, type Expr } from '../../asm/expr';
import type { Token } from '../../asm/lexer';
import { parseCsr } from './csr-names';
import { parseFRegister, parseRegister } from './registers';
import type { Slot } from './table';

/** A relocation-operator operand whose value is known only after layout. */
export interface RelocOperand {
  readonly slot: Slot;
  readonly op: string;
  readonly arg: Expr;
  readonly col: number;
}

export interface ParsedOperands {
  readonly slots: Partial<Record<Slot, number>>;
  /** Column of the operand that gave each slot, for errors found while encoding. */
  readonly cols: Partial<Record<Slot, number>>;
  readonly reloc?: RelocOperand;
  readonly target?: Expr;
}

/** Why a syntax did not fit; `depth` ranks how far it got, to pick the best message. */
export interface OperandFailure {
  readonly col: number;
  readonly message: string;
  readonly depth: number;
}

export type ParseResult = { readonly ok: true; readonly value: ParsedOperands } | { readonly ok: false; readonly failure: OperandFailure };

/** Relocation operators allowed in a 20-bit upper immediate and in a 12-bit one. */
const UPPER_RELOCS = new Set(['hi', 'pcrel_hi']);
const LOWER_RELOCS = new Set(['lo', 'pcrel_lo']);

/** One comma-separated operand; `col` is where it starts (just after the comma if it is empty). */
export interface Operand {
  readonly tokens: readonly Token[];
  readonly col: number;
}

/** Split operands at commas outside parentheses. */
export function splitOperands(tokens: readonly Token[]): Operand[] {
  if (tokens.length === 0) return [];
  const out: { tokens: Token[]; col: number }[] = [{ tokens: [], col: tokens[0]!.col }];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') depth--;
    if (depth === 0 && t.kind === 'punct' && t.text === ',') out.push({ tokens: [], col: t.col + 1 });
    else out[out.length - 1]!.tokens.push(t);
  }
  return out.map((o) => ({ tokens: o.tokens, col: o.tokens[0]?.col ?? o.col }));
}

const elementCache = new Map<string, readonly string[]>();

/** Syntax elements: `rd`, `imm(rs1)`, `(rs1)`, ... */
function elementsOf(syntax: string): readonly string[] {
  let elements = elementCache.get(syntax);
  if (!elements) {
    elements = syntax === '' ? [] : syntax.split(',');
    elementCache.set(syntax, elements);
  }
  return elements;
}

class Failure {
  constructor(
    readonly col: number,
    readonly message: string,
    /** A well-formed operand with a bad value ranks above a malformed one. */
    readonly valueError: boolean,
  ) {}
}

const REGISTER_SLOTS: ReadonlySet<string> = new Set(['rd', 'rs1', 'rs2']);
/** f register operands and the slots they fill. */
const F_REGISTER_SLOTS: Readonly<Record<string, Slot>> = { fd: 'rd', fs1: 'rs1', fs2: 'rs2', fs3: 'rs3' };
const ROUNDING_MODES: Readonly<Record<string, number>> = { rne: 0, rtz: 1, rdn: 2, rup: 3, rmm: 4, dyn: 7 };

function endCol(tokens: readonly Token[], fallback: number): number {
  const last = tokens[tokens.length - 1];
  if (!last) return fallback;
  return last.col + (last.kind === 'ident' ? last.text.length : last.kind === 'punct' ? last.text.length : 1);
}

function register(tokens: readonly Token[], col: number): number | Failure {
  const t = tokens[0];
  if (tokens.length === 1 && t?.kind === 'ident') {
    const n = parseRegister(t.text);
    if (n !== undefined) return n;
    return new Failure(t.col, `expected a register, found \`${t.text}\``, false);
  }
  return new Failure(t?.col ?? col, `expected a register, found ${describeToken(t)}`, false);
}

function fRegister(tokens: readonly Token[], col: number): number | Failure {
  const t = tokens[0];
  if (tokens.length === 1 && t?.kind === 'ident') {
    const n = parseFRegister(t.text);
    if (n !== undefined) return n;
    return new Failure(t.col, `expected a floating-point register, found \`${t.text}\``, false);
  }
  return new Failure(t?.col ?? col, `expected a floating-point register, found ${describeToken(t)}`, false);
}

function roundingMode(tokens: readonly Token[], col: number): number | Failure {
  const t = tokens[0];
  const mode = tokens.length === 1 && t?.kind === 'ident' ? ROUNDING_MODES[t.text] : undefined;
  if (mode !== undefined) return mode;
  return new Failure(t?.col ?? col, `expected a rounding mode (rne, rtz, rdn, rup, rmm or dyn), found ${describeToken(t)}`, false);
}

/** Parse all of `tokens` as one expression. */
function expression(ctx: StatementContext, tokens: readonly Token[], col: number): Expr | Failure {
  if (tokens.length === 0) return new Failure(col, 'missing operand', false);
  const only = tokens[0]!;
  if (tokens.length === 1 && only.kind === 'ident' && parseRegister(only.text) !== undefined) {
    return new Failure(only.col, `expected an immediate, found register \`${only.text}\``, false);
  }
  const cursor = new TokenCursor(tokens, endCol(tokens, col));
  const expr = ctx.parseExprFrom(cursor);
  if (expr instanceof ExprSyntaxError) return new Failure(expr.col, expr.message, false);
  if (!cursor.atEnd()) return new Failure(cursor.col(), `unexpected ${describeToken(cursor.peek())}`, false);
  return expr;
}

function constant(ctx: StatementContext, expr: Expr): bigint | Failure {
  const r = ctx.tryConstant(expr);
  return r.ok ? r.value : new Failure(r.col, r.message, true);
}

const FENCE_BITS: Readonly<Record<string, number>> = { i: 8, o: 4, r: 2, w: 1 };

function fenceSet(tokens: readonly Token[], col: number): number | Failure {
  const t = tokens[0];
  if (tokens.length !== 1 || t?.kind !== 'ident') return new Failure(t?.col ?? col, `expected a fence set such as \`rw\` or \`iorw\`, found ${describeToken(t)}`, false);
  let set = 0;
  for (const c of t.text) {
    const bit = FENCE_BITS[c];
    if (bit === undefined || set & bit) return new Failure(t.col, `bad fence set \`${t.text}\` (use letters from i, o, r, w)`, false);
    set |= bit;
  }
  return set;
}

function csr(ctx: StatementContext, tokens: readonly Token[], col: number): number | Failure {
  const t = tokens[0];
  if (tokens.length === 1 && t?.kind === 'ident') {
    const n = parseCsr(t.text);
    if (n !== undefined) return n;
    const sym = ctx.asm.symbols.get(t.text);
    if (sym?.def?.kind !== 'value') return new Failure(t.col, `unknown CSR \`${t.text}\``, false);
  }
  const expr = expression(ctx, tokens, col);
  if (expr instanceof Failure) return expr;
  const v = constant(ctx, expr);
  if (v instanceof Failure) return v;
  if (v < 0n || v > 0xfffn) return new Failure(expr.col, `CSR number ${v} is out of range 0..4095`, true);
  return Number(v);
}

const isParen = (t: Token | undefined, text: string): boolean => t?.kind === 'punct' && t.text === text;

/** `imm(rs1)` or `(rs1)`: returns the offset tokens and the register. */
function memory(tokens: readonly Token[], col: number): { offset: Token[]; base: number } | Failure {
  const n = tokens.length;
  if (n < 3 || !isParen(tokens[n - 1], ')') || !isParen(tokens[n - 3], '(')) {
    return new Failure(tokens[0]?.col ?? col, `expected a memory operand such as \`8(sp)\`, found ${describeToken(tokens[0])}`, false);
  }
  const base = register([tokens[n - 2]!], tokens[n - 2]!.col);
  if (base instanceof Failure) return base;
  return { offset: tokens.slice(0, n - 3), base };
}

type Slots = Partial<Record<Slot, number>>;

interface Building {
  slots: Slots;
  reloc?: RelocOperand;
  target?: Expr;
}

/** An immediate operand: a constant now, or a relocation operator for later. */
function immediate(ctx: StatementContext, slot: Slot, tokens: readonly Token[], col: number, upper: boolean, out: Building): Failure | undefined {
  const expr = expression(ctx, tokens, col);
  if (expr instanceof Failure) return expr;
  if (expr.kind === 'reloc') {
    const allowed = upper ? UPPER_RELOCS : LOWER_RELOCS;
    if (!allowed.has(expr.op)) return new Failure(expr.col, `\`%${expr.op}\` is not allowed in this operand (use ${[...allowed].map((o) => `%${o}`).join(' or ')})`, true);
    out.reloc = { slot, op: expr.op, arg: expr.arg, col: expr.col };
    return undefined;
  }
  const v = constant(ctx, expr);
  if (v instanceof Failure) return v;
  if (upper) {
    if (v < 0n || v > 0xfffffn) return new Failure(expr.col, `upper immediate ${v} is out of range 0..0xfffff`, true);
    out.slots[slot] = (Number(v) << 12) | 0;
    return undefined;
  }
  // The instruction's field decides the real range; this only keeps numbers exact.
  if (v < -(2n ** 52n) || v > 2n ** 52n) return new Failure(expr.col, `immediate ${v} is out of range`, true);
  out.slots[slot] = Number(v);
  return undefined;
}

function element(ctx: StatementContext, el: string, tokens: readonly Token[], col: number, out: Building): Failure | undefined {
  if (REGISTER_SLOTS.has(el)) {
    const r = register(tokens, col);
    if (r instanceof Failure) return r;
    out.slots[el as Slot] = r;
    return undefined;
  }
  const fSlot = F_REGISTER_SLOTS[el];
  if (fSlot) {
    const r = fRegister(tokens, col);
    if (r instanceof Failure) return r;
    out.slots[fSlot] = r;
    return undefined;
  }
  switch (el) {
    case 'rm': {
      const m = roundingMode(tokens, col);
      if (m instanceof Failure) return m;
      out.slots.rm = m;
      return undefined;
    }
    case 'imm':
      return immediate(ctx, 'imm', tokens, col, false, out);
    case 'uimm':
      return immediate(ctx, 'imm', tokens, col, true, out);
    case 'target': {
      const expr = expression(ctx, tokens, col);
      if (expr instanceof Failure) return expr;
      if (expr.kind === 'reloc') return new Failure(expr.col, `\`%${expr.op}\` is not allowed in a branch target`, true);
      out.target = expr;
      return undefined;
    }
    case 'csr': {
      const c = csr(ctx, tokens, col);
      if (c instanceof Failure) return c;
      out.slots.csr = c;
      return undefined;
    }
    case 'pred':
    case 'succ': {
      const s = fenceSet(tokens, col);
      if (s instanceof Failure) return s;
      out.slots[el] = s;
      return undefined;
    }
  }
  const mem = /^(imm)?\((rs1|rs2|rd)\)$/.exec(el);
  if (mem) {
    const m = memory(tokens, col);
    if (m instanceof Failure) return m;
    out.slots[mem[2] as Slot] = m.base;
    if (m.offset.length === 0) {
      out.slots.imm ??= 0;
      return undefined;
    }
    if (mem[1]) return immediate(ctx, 'imm', m.offset, col, false, out);
    // `(rs1)` also accepts an explicit zero offset, as gas does.
    const expr = expression(ctx, m.offset, col);
    if (expr instanceof Failure) return expr;
    const v = constant(ctx, expr);
    if (v instanceof Failure) return v;
    if (v !== 0n) return new Failure(expr.col, 'this instruction takes no offset; only `0(reg)` or `(reg)`', true);
    return undefined;
  }
  return new Failure(col, `internal error: the encoding table uses an operand syntax \`${el}\` the assembler does not know`, true);
}

/** Parse the statement's operands against `syntax`. */
export function parseOperands(ctx: StatementContext, operands: readonly Operand[], syntax: string): ParseResult {
  const elements = elementsOf(syntax);
  if (operands.length !== elements.length) {
    const col = operands[elements.length]?.col ?? ctx.cursor.endCol;
    const message = `expected ${elements.length} operand${elements.length === 1 ? '' : 's'} (${syntax || 'none'}), found ${operands.length}`;
    return { ok: false, failure: { col: operands.length > elements.length ? col : ctx.cursor.endCol, message, depth: -1 } };
  }
  const out: Building = { slots: {} };
  const cols: Partial<Record<Slot, number>> = {};
  for (let i = 0; i < elements.length; i++) {
    const { tokens, col } = operands[i]!;
    if (tokens.length === 0) return { ok: false, failure: { col, message: `missing operand ${i + 1}`, depth: 2 * i } };
    const before = new Set(Object.keys(out.slots));
    const failure = element(ctx, elements[i]!, tokens, col, out);
    if (failure) return { ok: false, failure: { col: failure.col, message: failure.message, depth: 2 * i + (failure.valueError ? 1 : 0) } };
    for (const slot of Object.keys(out.slots) as Slot[]) if (!before.has(slot)) cols[slot] = col;
    if (out.reloc && out.reloc.slot === 'imm' && cols.imm === undefined) cols.imm = out.reloc.col;
  }
  const value: ParsedOperands = { slots: out.slots, cols, ...(out.reloc ? { reloc: out.reloc } : {}), ...(out.target ? { target: out.target } : {}) };
  return { ok: true, value };
}

/** A single register operand, reporting problems; for pseudo-instructions. */
export function registerOperand(ctx: StatementContext, operand: Operand): number | undefined {
  const r = register(operand.tokens, operand.col);
  if (!(r instanceof Failure)) return r;
  ctx.error(r.col, r.message);
  return undefined;
}

/** The same for an f register. */
export function fRegisterOperand(ctx: StatementContext, operand: Operand): number | undefined {
  const r = fRegister(operand.tokens, operand.col);
  if (!(r instanceof Failure)) return r;
  ctx.error(r.col, r.message);
  return undefined;
}

/** A single expression operand, reporting problems; for pseudo-instructions. */
export function expressionOperand(ctx: StatementContext, operand: Operand): Expr | undefined {
  const e = expression(ctx, operand.tokens, operand.col);
  if (!(e instanceof Failure)) return e;
  ctx.error(e.col, e.message);
  return undefined;
}

/** Whether an operand is written as a memory reference, `off(reg)`. */
export function isMemoryOperand(operand: Operand): boolean {
  return isParen(operand.tokens[operand.tokens.length - 1], ')');
}
