// The ISA-independent assembler: runs statements through directives or the
// ISA backend into section fragments, relaxes and lays out the sections, then
// resolves every deferred value into the final image.

import { Diagnostics, sortDiagnostics, type SourcePos } from './diagnostics';
import { directives, isIgnoredDirective } from './directives';
import { evaluate, TokenCursor, describeToken, type EvalResult, type Expr, type ExprScope } from './expr';
import { foldLabelDifferences } from './fixed-distance';
import type { IsaBackend } from './isa';
import { lex, type Statement } from './lexer';
import { layoutSections } from './layout';
import type { AsmLine, AsmOptions, AsmResult, AsmSection, AsmSymbol } from './program';
import { relaxSection } from './relax';
import { FinalResolver } from './resolver';
import { Section, type Resolver, type SectionKind } from './sections';
import { StatementContext } from './statement';
import { SymbolTable, type SymbolEntry } from './symbols';


interface SectionRef {
  readonly section: Section;
  readonly previous: Section | undefined;
}

export class Assembler {
  readonly diag: Diagnostics;
  readonly symbols = new SymbolTable();
  readonly sections: Section[] = [];
  section!: Section;
  private previous: Section | undefined;
  private readonly stack: SectionRef[] = [];
  private ended = false;

  constructor(
    readonly file: string,
    readonly isa: IsaBackend,
  ) {
    this.diag = new Diagnostics(file);
    // gas creates these three first, which fixes their order among siblings.
    this.section = this.sectionNamed('.text', 'code');
    this.sectionNamed('.data', 'data');
    this.sectionNamed('.bss', 'bss');
  }

  // ---- Sections ---------------------------------------------------------------

  sectionNamed(name: string, kind: SectionKind, alloc = true): Section {
    const existing = this.sections.find((s) => s.name === name);
    if (existing) return existing;
    const section = new Section(name, kind, this.sections.length, name === '.text' ? this.isa.textAlignment : 1, alloc);
    this.sections.push(section);
    return section;
  }

  switchTo(section: Section): void {
    if (section !== this.section) this.previous = this.section;
    this.section = section;
  }

  pushSection(section: Section): void {
    this.stack.push({ section: this.section, previous: this.previous });
    this.switchTo(section);
  }

  popSection(): boolean {
    const top = this.stack.pop();
    if (!top) return false;
    this.section = top.section;
    this.previous = top.previous;
    return true;
  }

  swapPrevious(): void {
    if (this.previous) this.switchTo(this.previous);
  }

  emit(size: number, line: number | undefined, content: { bytes: Uint8Array } | { resolve: Resolver }): void {
    this.section.add(size, line, content);
  }

  end(): void {
    this.ended = true;
  }

  // ---- Symbols ----------------------------------------------------------------

  scope(): ExprScope {
    return {
      relocOperators: this.isa.relocOperators,
      dot: () => this.defineAnchor('.'),
      localRef: (label, dir) => this.symbols.localRef(label, dir),
    };
  }

  defineAnchor(display: string): string {
    const e = this.symbols.anchor(display);
    this.placeLabel(e);
    return e.name;
  }

  private placeLabel(e: SymbolEntry): void {
    const frag = this.section.current;
    e.def = { kind: 'label', section: this.section, frag, offset: frag.fixedSize };
  }

  defineLabel(name: string, at: SourcePos, numeric: boolean): void {
    const e = numeric ? this.symbols.defineLocal(name) : this.symbols.entry(name);
    if (e.def && !numeric) {
      this.diag.error(at, `symbol \`${name}\` is already defined${e.defined ? ` (line ${e.defined.line})` : ''}`);
      return;
    }
    this.placeLabel(e);
    e.defined = at;
    e.fixed = true;
  }

  /** `.set`/`.equ` (redefinable), `.equiv` (not), `sym = expr`. */
  assign(name: string, expr: Expr, at: SourcePos, redefinable: boolean): void {
    const e = this.symbols.entry(name);
    if (e.def && (e.fixed || !redefinable)) {
      this.diag.error(at, `symbol \`${name}\` is already defined${e.defined ? ` (line ${e.defined.line})` : ''}`);
      return;
    }
    const now = this.evaluateNow(expr);
    e.def = now.ok ? { kind: 'value', value: now.value } : { kind: 'expr', expr, line: at.line };
    e.defined = at;
    e.fixed = !redefinable;
  }

  /** Value of an expression from what is known at this point of the source. */
  evaluateNow(expr: Expr): EvalResult {
    const lookup = (name: string, col: number): EvalResult => this.lookupNow(name, col);
    const r = evaluate(expr, lookup);
    if (r.ok) return r;
    return foldLabelDifferences(expr, this.symbols, lookup) ?? r;
  }

  /** A symbol's value if it is a constant already known here. */
  lookupNow(name: string, col: number, depth = 0): EvalResult {
    const e = this.symbols.get(name);
    const shown = e?.display ?? name;
    const def = e?.def;
    if (def?.kind === 'value') return { ok: true, value: def.value };
    if (def?.kind === 'label') return { ok: false, col, message: `\`${shown}\` is an address, but a constant is needed here` };
    if (def?.kind === 'expr') {
      // An expression symbol whose parts have become known since its definition.
      const r = depth < 32 ? evaluate(def.expr, (n) => this.lookupNow(n, col, depth + 1)) : undefined;
      return r?.ok ? r : { ok: false, col, message: `\`${shown}\` is not a constant known at this point` };
    }
    return { ok: false, col, message: `\`${shown}\` is not defined (a constant is needed here, so it must be defined earlier)` };
  }

  /** Split an expression into symbol + constant, or explain why it cannot be. */
  linear(expr: Expr, depth = 0): { symbol: string | undefined; addend: bigint } | string {
    const constant = (e: Expr): bigint | string => {
      const r = this.evaluateNow(e);
      return r.ok ? r.value : r.message;
    };
    switch (expr.kind) {
      case 'num':
      case 'unary': {
        const v = constant(expr);
        return typeof v === 'string' ? 'expected `symbol`, `symbol + constant` or a constant' : { symbol: undefined, addend: v };
      }
      case 'sym': {
        const e = this.symbols.get(expr.name);
        if (e?.def?.kind === 'value') return { symbol: undefined, addend: e.def.value };
        if (e?.def?.kind === 'expr' && depth < 32) return this.linear(e.def.expr, depth + 1);
        return { symbol: expr.name, addend: 0n };
      }
      case 'reloc':
        return `\`%${expr.op}\` is not allowed here`;
      case 'binary': {
        if (expr.op !== '+' && expr.op !== '-') {
          const v = constant(expr);
          return typeof v === 'string' ? 'expected `symbol`, `symbol + constant` or a constant' : { symbol: undefined, addend: v };
        }
        const l = this.linear(expr.left, depth);
        if (typeof l === 'string') return l;
        const r = this.linear(expr.right, depth);
        if (typeof r === 'string') return r;
        if (expr.op === '-') {
          if (r.symbol !== undefined) return 'cannot subtract a symbol here';
          return { symbol: l.symbol, addend: BigInt.asIntN(64, l.addend - r.addend) };
        }
        if (l.symbol !== undefined && r.symbol !== undefined) return 'cannot add two symbols';
        return { symbol: l.symbol ?? r.symbol, addend: BigInt.asIntN(64, l.addend + r.addend) };
      }
    }
  }

  // ---- Statements -------------------------------------------------------------

  run(source: string): void {
    const statements = lex(source, this.isa.lexer, this.diag);
    this.runStatements(statements);
  }

  private runStatements(statements: readonly Statement[]): void {
    for (let i = 0; i < statements.length && !this.ended; i++) {
      const stmt = statements[i]!;
      const head = stmt.tokens[0];
      if (head?.kind === 'ident' && head.text.toLowerCase() === '.rept') {
        i = this.rept(statements, i);
        continue;
      }
      this.statement(stmt);
    }
  }

  /** `.rept n` ... `.endr`: returns the index of the `.endr`. */
  private rept(statements: readonly Statement[], start: number): number {
    const stmt = statements[start]!;
    let depth = 1;
    let end = start + 1;
    for (; end < statements.length; end++) {
      const t = statements[end]!.tokens[0];
      const name = t?.kind === 'ident' ? t.text.toLowerCase() : '';
      if (name === '.rept') depth++;
      if (name === '.endr' && --depth === 0) break;
    }
    for (const label of stmt.labels) this.defineLabel(label.name, { line: stmt.line, column: label.col }, label.numeric);
    const ctx = new StatementContext(this, stmt.line, '.rept', stmt.tokens[0]!.col, new TokenCursor(stmt.tokens.slice(1), stmt.endCol));
    if (end >= statements.length) ctx.error(ctx.nameCol, '`.rept` without a matching `.endr`');
    const expr = ctx.parseExpr();
    const count = expr && ctx.constant(expr);
    if (count !== undefined && ctx.expectEnd()) {
      if (count < 0n || count > 1_000_000n) ctx.error(expr!.col, `repeat count ${count} is out of range 0..1000000`);
      else for (let k = 0n; k < count; k++) this.runStatements(statements.slice(start + 1, end));
    }
    return end;
  }

  private statement(stmt: Statement): void {
    for (const label of stmt.labels) this.defineLabel(label.name, { line: stmt.line, column: label.col }, label.numeric);
    const [head, ...rest] = stmt.tokens;
    if (!head) return;
    if (head.kind !== 'ident') {
      this.diag.error({ line: stmt.line, column: head.col }, `expected a mnemonic or directive, found ${describeToken(head)}`);
      return;
    }
    const ctx = new StatementContext(this, stmt.line, head.text, head.col, new TokenCursor(rest, stmt.endCol));
    const eq = rest[0];
    if (eq?.kind === 'punct' && eq.text === '=') {
      ctx.cursor.next();
      const expr = ctx.parseExpr();
      if (expr && ctx.expectEnd()) this.assign(head.text, expr, ctx.at(head.col), true);
      return;
    }
    if (head.text.startsWith('.')) {
      const name = head.text.toLowerCase();
      const handler = directives[name];
      if (handler) handler(ctx);
      else if (isIgnoredDirective(name)) return;
      else if (!this.isa.directive(name, ctx)) ctx.error(head.col, `unknown directive \`${head.text}\``);
      return;
    }
    this.isa.instruction(ctx);
  }

  // ---- Finishing --------------------------------------------------------------

  finish(base: number): AsmResult {
    // riscv gas pads code sections to their alignment.
    const pad = this.isa.padCodeSectionEnd ?? true;
    for (const s of this.sections) if (pad && s.kind === 'code' && s.alignment > 1) s.close({ kind: 'align', bytes: s.alignment, maxSkip: undefined, fill: undefined });
    for (const s of this.sections) {
      if (!relaxSection(s, this.symbols)) this.diag.error({ line: 1, column: 1 }, `branch sizes in ${s.name} never settle`);
    }
    const { outputs, start } = layoutSections(this.sections, BigInt(base));
    const resolver = new FinalResolver(this, start);
    const lines: AsmLine[] = [];
    const sections: AsmSection[] = [];
    for (const out of outputs) {
      const bytes = new Uint8Array(out.size);
      for (const { section, offset } of out.members) this.writeSection(section, bytes, offset, out.address, resolver, lines);
      sections.push({ name: out.name, address: Number(out.address), bytes });
    }
    const symbols = this.programSymbols(resolver);
    const entrySym = this.symbols.get('_start')?.def?.kind === 'label' ? resolver.symbolAddress('_start', { line: 1, column: 1 }) : undefined;
    const text = this.sections.find((s) => s.name === '.text')!;
    const entry = Number(entrySym ?? start.get(text) ?? BigInt(base));
    const errors = sortDiagnostics(this.diag.errors);
    const warnings = sortDiagnostics(this.diag.warnings);
    if (errors.length > 0) return { errors, warnings };
    lines.sort((a, b) => a.address - b.address);
    return { program: { sections, entry, symbols, lines }, errors, warnings };
  }

  private writeSection(section: Section, out: Uint8Array, at: number, outAddress: bigint, resolver: FinalResolver, lines: AsmLine[]): void {
    const sectionAddress = outAddress + BigInt(at);
    const put = (offset: number, bytes: Uint8Array, expected: number): void => {
      if (bytes.length !== expected) {
        this.diag.error({ line: 1, column: 1 }, `internal error: ${bytes.length} bytes for a ${expected}-byte item in ${section.name}`);
        return;
      }
      if (section.kind === 'bss') return;
      out.set(bytes, at + offset);
    };
    const line = (offset: number, size: number, source: number): void => {
      lines.push({ address: Number(sectionAddress + BigInt(offset)), file: this.file, line: source, size });
    };
    for (const frag of section.frags) {
      for (const chunk of frag.chunks) {
        const offset = frag.address + chunk.offset;
        const pc = sectionAddress + BigInt(offset);
        const bytes = chunk.bytes ?? chunk.resolve?.(resolver, pc);
        if (bytes) put(offset, bytes, chunk.size);
        if (chunk.line !== undefined) line(offset, chunk.size, chunk.line);
      }
      const tailAt = frag.address + frag.fixedSize;
      const tail = frag.tail;
      switch (tail.kind) {
        case 'none':
          break;
        case 'align': {
          const size = frag.tailSize;
          const fill = tail.fill === undefined && section.kind === 'code' ? this.isa.codeFill(size) : new Uint8Array(size).fill(tail.fill ?? 0);
          put(tailAt, fill, size);
          break;
        }
        case 'space':
          put(tailAt, new Uint8Array(tail.size).fill(tail.fill), tail.size);
          line(tailAt, tail.size, tail.line);
          break;
        case 'relax': {
          const pc = sectionAddress + BigInt(tailAt);
          const target = tail.target.symbol === undefined ? 0n : resolver.symbolAddress(tail.target.symbol, tail.target.at);
          if (target === undefined) break;
          const encoded = tail.policy.encode(frag.tailSize, pc, BigInt.asIntN(64, target + tail.target.addend), resolver, tail.target.at);
          if (!encoded) break;
          put(tailAt, encoded.bytes, frag.tailSize);
          let offset = tailAt;
          for (const size of encoded.parts) {
            line(offset, size, tail.line);
            offset += size;
          }
          break;
        }
      }
    }
  }

  /** Whether a symbol names a place in a section (a label, or `label + constant`), not a bare number. */
  private isAddress(e: SymbolEntry): boolean {
    if (e.def?.kind === 'label') return true;
    if (e.def?.kind !== 'expr') return false;
    const l = this.linear(e.def.expr);
    return typeof l !== 'string' && l.symbol !== undefined && this.symbols.get(l.symbol)?.def?.kind === 'label';
  }

  /** Labels and symbols defined as label + constant; `.L` labels and constants stay out. */
  private programSymbols(resolver: FinalResolver): Map<string, AsmSymbol> {
    const out = new Map<string, AsmSymbol>();
    for (const e of this.symbols.all()) {
      if (e.internal || !this.isAddress(e) || e.name.startsWith('.L')) continue;
      const at = e.defined ?? { line: 1, column: 1 };
      const address = resolver.symbolAddress(e.name, at);
      if (address === undefined) continue;
      const size = e.size ? resolver.value(e.size.expr, e.size.line) : 0n;
      const symbol: AsmSymbol = { address: Number(BigInt.asUintN(64, address)), size: Number(size ?? 0n), global: e.global };
      if (e.type) symbol.type = e.type;
      out.set(e.name, symbol);
    }
    return out;
  }
}

/** Assemble `source` for `isa` into a linked image at `options.base`. */
export function assemble(source: string, options: AsmOptions, isa: IsaBackend): AsmResult {
  const asm = new Assembler(options.fileName, isa);
  asm.run(source);
  return asm.finish(options.base);
}
