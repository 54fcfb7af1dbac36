// The ISA-independent directives: sections and symbols here, data and
// alignment in data-directives.ts.

import { dataDirectives } from './data-directives';
import { comma, nameList, noOperands, symbolName, type Handler } from './directive-operands';
import { describeToken, symbolsOf } from './expr';
import type { SectionKind } from './sections';
import type { StatementContext } from './statement';

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

const binding = (global: boolean, weak = false): Handler => (ctx) => {
  for (const { name } of nameList(ctx)) {
    const e = ctx.asm.symbols.entry(name);
    e.global = global;
    e.weak = weak;
  }
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
  '.weak': binding(true, true),
  '.local': binding(false),
  '.hidden': ignored,
  '.protected': ignored,
  '.internal': ignored,
  '.type': typeDirective,
  '.size': sizeDirective,
  '.equ': assignment(true),
  '.set': assignment(true),
  '.equiv': assignment(false),

  ...dataDirectives,

  '.file': ignored,
  '.ident': ignored,
  '.loc': ignored,
  '.end': (ctx) => {
    if (noOperands(ctx)) ctx.asm.end();
  },
  '.endr': (ctx) => ctx.error(ctx.nameCol, '`.endr` without `.rept`'),
};

/** Call-frame directives only describe the code for debuggers' unwinders. */
export function isIgnoredDirective(name: string): boolean {
  return name.startsWith('.cfi_');
}
