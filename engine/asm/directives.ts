// The ISA-independent directives: sections, symbols, alignment and data.

import type { StatementContext } from './assembler';
import { describeToken, symbolsOf, type Expr } from './expr';
import type { Token } from './lexer';
import type { SectionKind } from './sections';

type Handler = (ctx: StatementContext) => void;

// ---- Operand helpers ------------------------------------------------------------

/** Parse comma-separated expressions up to the end of the statement. */
function exprList(ctx: StatementContext): Expr[] | undefined {
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

function comma(ctx: StatementContext): boolean {
  if (ctx.cursor.isPunct(',')) {
    ctx.cursor.next();
    return true;
  }
  ctx.error(ctx.cursor.col(), `expected \`,\`, found ${describeToken(ctx.cursor.peek())}`);
  return false;
}

function symbolName(ctx: StatementContext): { name: string; col: number } | undefined {
  const t = ctx.cursor.next();
  if (t?.kind === 'ident') return { name: t.text, col: t.col };
  ctx.error(t?.col ?? ctx.cursor.endCol, `expected a symbol name, found ${describeToken(t)}`);
  return undefined;
}

function nameList(ctx: StatementContext): { name: string; col: number }[] {
  const out: { name: string; col: number }[] = [];
  for (;;) {
    const s = symbolName(ctx);
    if (!s) return out;
    out.push(s);
    if (ctx.cursor.atEnd()) return out;
    if (!comma(ctx)) return out;
  }
}

function noOperands(ctx: StatementContext): boolean {
  return ctx.expectEnd();
}

// ---- Data -------------------------------------------------------------------------

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

// ---- Alignment --------------------------------------------------------------------

const MAX_ALIGN_LOG2 = 30;

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

// ---- Sections ---------------------------------------------------------------------

const ALLOCATED = ['.text', '.data', '.bss', '.rodata', '.sdata', '.sbss', '.srodata'];

function defaultKind(name: string): { kind: SectionKind; alloc: boolean } {
  const under = (p: string): boolean => name === p || name.startsWith(`${p}.`);
  if (under('.text')) return { kind: 'code', alloc: true };
  if (under('.bss') || under('.sbss')) return { kind: 'bss', alloc: true };
  return { kind: 'data', alloc: ALLOCATED.some(under) };
}

/** `.section name[, "flags"[, @type]]`. */
function sectionDirective(ctx: StatementContext, push: boolean): void {
  let name = '';
  const first = ctx.cursor.peek();
  if (first?.kind === 'string') {
    ctx.cursor.next();
    name = String.fromCharCode(...first.bytes);
  } else {
    // Names like .note.GNU-stack lex as several tokens.
    while (!ctx.cursor.atEnd() && !ctx.cursor.isPunct(',')) {
      const t = ctx.cursor.next()!;
      if (t.kind === 'ident') name += t.text;
      else if (t.kind === 'punct') name += t.text;
      else if (t.kind === 'number') name += String(t.value);
      else {
        ctx.error(t.col, `unexpected ${describeToken(t)} in section name`);
        return;
      }
    }
  }
  if (name === '') {
    ctx.error(ctx.cursor.col(), 'expected a section name');
    return;
  }
  let { kind, alloc } = defaultKind(name);
  if (ctx.cursor.isPunct(',')) {
    ctx.cursor.next();
    const flags = ctx.cursor.next();
    if (flags?.kind !== 'string') {
      ctx.error(flags?.col ?? ctx.cursor.endCol, `expected a flags string, found ${describeToken(flags)}`);
      return;
    }
    const text = String.fromCharCode(...flags.bytes);
    alloc = text.includes('a');
    kind = text.includes('x') ? 'code' : 'data';
    if (ctx.cursor.isPunct(',')) {
      ctx.cursor.next();
      const marker = ctx.cursor.next();
      const type = ctx.cursor.next();
      if (marker?.kind !== 'punct' || (marker.text !== '@' && marker.text !== '%') || type?.kind !== 'ident') {
        ctx.error(marker?.col ?? ctx.cursor.endCol, 'expected a section type such as @progbits or @nobits');
        return;
      }
      if (type.text === 'nobits') kind = 'bss';
      else if (type.text !== 'progbits' && type.text !== 'note' && type.text !== 'init_array' && type.text !== 'fini_array') {
        ctx.error(type.col, `unsupported section type @${type.text}`);
        return;
      }
      // Entity sizes, group names and the like do not affect the image.
      while (!ctx.cursor.atEnd()) ctx.cursor.next();
    }
  }
  if (!ctx.expectEnd()) return;
  const section = ctx.asm.sectionNamed(name, kind, alloc);
  if (push) ctx.asm.pushSection(section);
  else ctx.asm.switchTo(section);
}

const simpleSection = (name: string, kind: SectionKind): Handler => (ctx) => {
  if (!noOperands(ctx)) return;
  ctx.asm.switchTo(ctx.asm.sectionNamed(name, kind));
};

// ---- Symbols ----------------------------------------------------------------------

const binding = (global: boolean): Handler => (ctx) => {
  for (const { name } of nameList(ctx)) ctx.asm.symbols.entry(name).global = global;
};

function typeDirective(ctx: StatementContext): void {
  const sym = symbolName(ctx);
  if (!sym || !comma(ctx)) return;
  let t = ctx.cursor.next();
  if (t?.kind === 'punct' && (t.text === '@' || t.text === '%')) t = ctx.cursor.next();
  let type = t?.kind === 'ident' ? t.text : t?.kind === 'string' ? String.fromCharCode(...t.bytes) : undefined;
  if (type === undefined) {
    ctx.error(t?.col ?? ctx.cursor.endCol, `expected a symbol type, found ${describeToken(t)}`);
    return;
  }
  if (!ctx.expectEnd()) return;
  type = type.toLowerCase();
  const e = ctx.asm.symbols.entry(sym.name);
  if (type === 'function' || type === 'stt_func') e.type = 'func';
  else if (type === 'object' || type === 'stt_object') e.type = 'object';
  else if (type === 'notype' || type === 'stt_notype') e.type = undefined;
  else ctx.error(t!.col, `unsupported symbol type \`${type}\``);
}

function sizeDirective(ctx: StatementContext): void {
  const sym = symbolName(ctx);
  if (!sym || !comma(ctx)) return;
  const expr = ctx.parseExpr();
  if (!expr || !ctx.expectEnd()) return;
  ctx.asm.symbols.entry(sym.name).size = { expr, line: ctx.line };
}

const assignment = (redefinable: boolean): Handler => (ctx) => {
  const sym = symbolName(ctx);
  if (!sym || !comma(ctx)) return;
  const expr = ctx.parseExpr();
  if (!expr || !ctx.expectEnd()) return;
  if (symbolsOf(expr).includes(sym.name) && ctx.asm.symbols.get(sym.name)?.def?.kind !== 'value') {
    ctx.error(sym.col, `symbol \`${sym.name}\` is defined in terms of itself`);
    return;
  }
  ctx.asm.assign(sym.name, expr, ctx.at(sym.col), redefinable);
};

// ---- Table ------------------------------------------------------------------------

const ignored: Handler = (ctx) => {
  while (!ctx.cursor.atEnd()) ctx.cursor.next();
};

export const directives: Readonly<Record<string, Handler>> = {
  '.text': simpleSection('.text', 'code'),
  '.data': simpleSection('.data', 'data'),
  '.bss': simpleSection('.bss', 'bss'),
  '.rodata': simpleSection('.rodata', 'data'),
  '.section': (ctx) => sectionDirective(ctx, false),
  '.pushsection': (ctx) => sectionDirective(ctx, true),
  '.popsection': (ctx) => {
    if (noOperands(ctx) && !ctx.asm.popSection()) ctx.error(ctx.nameCol, '`.popsection` without `.pushsection`');
  },
  '.previous': (ctx) => {
    if (noOperands(ctx)) ctx.asm.swapPrevious();
  },

  '.globl': binding(true),
  '.global': binding(true),
  '.weak': binding(true),
  '.local': binding(false),
  '.hidden': ignored,
  '.protected': ignored,
  '.internal': ignored,
  '.type': typeDirective,
  '.size': sizeDirective,
  '.equ': assignment(true),
  '.set': assignment(true),
  '.equiv': assignment(false),

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

  '.file': ignored,
  '.ident': ignored,
  '.loc': ignored,
  '.end': (ctx) => {
    if (noOperands(ctx)) ctx.asm.end();
  },
  '.endr': (ctx) => ctx.error(ctx.nameCol, '`.endr` without `.rept`'),
};

/** Directives that only carry debugger metadata for other tools. */
export function isIgnoredDirective(name: string): boolean {
  return name.startsWith('.cfi_');
}
