// Final values of symbols and expressions, once every section has an
// address. Each problem is reported once per source position.

import type { Assembler } from './assembler';
import type { SourcePos } from './diagnostics';
import { evaluate, type EvalResult, type Expr } from './expr';
import type { ResolveContext, Section } from './sections';

/** Final values of symbols and expressions once every section has an address. */
export class FinalResolver implements ResolveContext {
  private readonly reported = new Set<string>();
  private readonly evaluating = new Set<string>();

  constructor(
    private readonly asm: Assembler,
    private readonly start: ReadonlyMap<Section, bigint>,
  ) {}

  error(at: SourcePos, message: string): void {
    const key = `${at.line}:${at.column}:${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.asm.diag.error(at, message);
  }

  private lookup(name: string, at: SourcePos): EvalResult {
    const e = this.asm.symbols.get(name);
    const def = e?.def;
    if (!e || !def) return { ok: false, col: at.column, message: `undefined symbol \`${e?.display ?? name}\`` };
    switch (def.kind) {
      case 'value':
        return { ok: true, value: def.value };
      case 'label':
        return { ok: true, value: BigInt.asIntN(64, this.start.get(def.section)! + BigInt(def.frag.address + def.offset)) };
      case 'expr': {
        if (this.evaluating.has(name)) return { ok: false, col: at.column, message: `symbol \`${e.display}\` is defined in terms of itself` };
        this.evaluating.add(name);
        const r = evaluate(def.expr, (n, col) => this.lookup(n, { line: def.line, column: col }));
        this.evaluating.delete(name);
        return r.ok || r.line !== undefined ? r : { ...r, line: def.line };
      }
    }
  }

  symbolAddress(name: string, at: SourcePos): bigint | undefined {
    const r = this.lookup(name, at);
    if (r.ok) return r.value;
    this.error({ line: r.line ?? at.line, column: r.col }, r.message);
    return undefined;
  }

  value(expr: Expr, line: number): bigint | undefined {
    const r = evaluate(expr, (n, col) => this.lookup(n, { line, column: col }));
    if (r.ok) return r.value;
    this.error({ line: r.line ?? line, column: r.col }, r.message);
    return undefined;
  }
}
