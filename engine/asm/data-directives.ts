// Data and alignment directives: .byte ... .quad, strings, .skip and
// .align/.p2align/.balign.

import { comma, exprList, type Handler } from './directive-operands';
import { describeToken, type Expr } from './expr';
import type { Token } from './lexer';
import type { StatementContext } from './statement';

function littleEndian(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** gas keeps the low bytes of a value too wide for its slot, with a warning. */
function truncate(ctx: StatementContext, value: bigint, size: number, col: number): Uint8Array {
  const bits = BigInt(size * 8);
  if (size < 8 && (value >= 1n << bits || value < -(1n << (bits - 1n)))) {
    const shown = BigInt.asUintN(64, value).toString(16);
    ctx.warn(col, `value 0x${shown} truncated to 0x${BigInt.asUintN(size * 8, value).toString(16)}`);
  }
  return littleEndian(value, size);
}

function hasReloc(e: Expr): boolean {
  switch (e.kind) {
    case 'reloc': return true;
    case 'unary': return hasReloc(e.arg);
    case 'binary': return hasReloc(e.left) || hasReloc(e.right);
    default: return false;
  }
}

function emitValue(ctx: StatementContext, size: number, expr: Expr): void {
  if (hasReloc(expr)) {
    ctx.error(expr.col, 'relocation operators are not allowed in data');
    return;
  }
  const now = ctx.tryConstant(expr);
  if (now.ok) {
    const bytes = truncate(ctx, now.value, size, expr.col);
    if (ctx.section.kind === 'bss' && bytes.some((b) => b !== 0)) {
      ctx.error(expr.col, `only zeros can go in the no-bits section ${ctx.section.name}`);
      return;
    }
    ctx.emitBytes(bytes);
    return;
  }
  if (ctx.section.kind === 'bss') {
    ctx.error(expr.col, `only zeros can go in the no-bits section ${ctx.section.name}`);
    return;
  }
  const line = ctx.line;
  ctx.emitDeferred(size, (final) => {
    const v = final.value(expr, line);
    return v === undefined ? undefined : littleEndian(v, size);
  });
}

const data = (size: number): Handler => (ctx) => {
  for (const e of exprList(ctx) ?? []) emitValue(ctx, size, e);
};

const strings = (terminate: boolean): Handler => (ctx) => {
  for (;;) {
    const t: Token | undefined = ctx.cursor.next();
    if (t?.kind !== 'string') {
      ctx.error(t?.col ?? ctx.cursor.endCol, `expected a string, found ${describeToken(t)}`);
      return;
    }
    const bytes = terminate ? [...t.bytes, 0] : [...t.bytes];
    if (ctx.section.kind === 'bss' && bytes.some((b) => b !== 0)) {
      ctx.error(t.col, `only zeros can go in the no-bits section ${ctx.section.name}`);
      return;
    }
    if (bytes.length > 0) ctx.emitBytes(Uint8Array.from(bytes));
    if (ctx.cursor.atEnd()) return;
    if (!comma(ctx)) return;
  }
};

/** `.skip size[, fill]` and friends. */
const space = (withFill: boolean): Handler => (ctx) => {
  const sizeExpr = ctx.parseExpr();
  if (!sizeExpr) return;
  const size = ctx.constant(sizeExpr);
  let fill = 0n;
  if (withFill && ctx.cursor.isPunct(',')) {
    ctx.cursor.next();
    const f = ctx.parseExpr();
    if (!f) return;
    const v = ctx.constant(f);
    if (v === undefined) return;
    fill = v;
  }
  if (size === undefined || !ctx.expectEnd()) return;
  if (size <= 0n) {
    ctx.warn(sizeExpr.col, `space size ${size} is not positive, ignored`);
    return;
  }
  if (size > 0x1000_0000n) {
    ctx.error(sizeExpr.col, `space size ${size} is too large`);
    return;
  }
  if (fill !== 0n && ctx.section.kind === 'bss') {
    ctx.error(sizeExpr.col, `only zeros can go in the no-bits section ${ctx.section.name}`);
    return;
  }
  ctx.section.close({ kind: 'space', size: Number(size), fill: Number(BigInt.asUintN(8, fill)), line: ctx.line });
};

const MAX_ALIGN_LOG2 = 28;

/** `.p2align log2[, fill[, max]]` (`bytes` false) or `.balign bytes[, fill[, max]]`. */
const align = (inBytes: boolean): Handler => (ctx) => {
  const amountExpr = ctx.parseExpr();
  if (!amountExpr) return;
  const amount = ctx.constant(amountExpr);
  if (amount === undefined) return;
  let fill: number | undefined;
  let maxSkip: number | undefined;
  if (ctx.cursor.isPunct(',')) {
    ctx.cursor.next();
    if (!ctx.cursor.isPunct(',') && !ctx.cursor.atEnd()) {
      const f = ctx.parseExpr();
      const v = f && ctx.constant(f);
      if (v === undefined) return;
      fill = Number(BigInt.asUintN(8, v));
    }
    if (ctx.cursor.isPunct(',')) {
      ctx.cursor.next();
      const m = ctx.parseExpr();
      const v = m && ctx.constant(m);
      if (v === undefined) return;
      if (v < 0n) {
        ctx.error(m!.col, 'maximum skip must not be negative');
        return;
      }
      maxSkip = Number(v);
    }
  }
  if (!ctx.expectEnd()) return;
  let log2: number;
  if (inBytes) {
    if (amount <= 0n) log2 = 0;
    else if ((amount & (amount - 1n)) !== 0n) {
      ctx.error(amountExpr.col, `alignment ${amount} is not a power of 2`);
      return;
    } else log2 = amount.toString(2).length - 1;
  } else {
    if (amount < 0n) {
      ctx.error(amountExpr.col, `alignment ${amount} is negative`);
      return;
    }
    log2 = Number(amount);
  }
  if (log2 > MAX_ALIGN_LOG2) {
    ctx.error(amountExpr.col, `alignment 2**${log2} is too large (at most 2**${MAX_ALIGN_LOG2})`);
    return;
  }
  const bytes = 2 ** log2;
  if (fill !== undefined && fill !== 0 && ctx.section.kind === 'bss') {
    ctx.error(amountExpr.col, `only zeros can go in the no-bits section ${ctx.section.name}`);
    return;
  }
  ctx.section.alignment = Math.max(ctx.section.alignment, bytes);
  const implicit = ctx.section.kind === 'code' && fill === undefined && bytes <= ctx.asm.isa.implicitCodeAlignment();
  if (bytes > 1 && !implicit) ctx.section.close({ kind: 'align', bytes, maxSkip, fill });
};

export const dataDirectives: Readonly<Record<string, Handler>> = {
  '.align': align(false),
  '.p2align': align(false),
  '.balign': align(true),
  '.byte': data(1),
  '.half': data(2),
  '.hword': data(2),
  '.2byte': data(2),
  '.short': data(2),
  '.word': data(4),
  '.4byte': data(4),
  '.long': data(4),
  '.int': data(4),
  '.dword': data(8),
  '.8byte': data(8),
  '.quad': data(8),
  '.ascii': strings(false),
  '.asciz': strings(true),
  '.string': strings(true),
  '.zero': space(false),
  '.skip': space(true),
  '.space': space(true),
};
