// The statement being assembled, as directive and instruction handlers see
// it: its tokens, expression helpers, error reporting and emission.

import type { Assembler } from './assembler';
import type { SourcePos } from './diagnostics';
import { describeToken, ExprSyntaxError, parseExpr, type EvalResult, type Expr, type TokenCursor } from './expr';
import type { RelaxPolicy, RelaxTarget, Resolver, Section } from './sections';

/** The statement being assembled, as the directive and instruction handlers see it. */
export class StatementContext {
  constructor(
    readonly asm: Assembler,
    readonly line: number,
    /** Mnemonic or directive name as written. */
    readonly name: string,
    readonly nameCol: number,
    readonly cursor: TokenCursor,
  ) {}

  get section(): Section {
    return this.asm.section;
  }

  at(col: number): SourcePos {
    return { line: this.line, column: col };
  }

  error(col: number, message: string): void {
    this.asm.diag.error(this.at(col), message);
  }

  warn(col: number, message: string): void {
    this.asm.diag.warn(this.at(col), message);
  }

  parseExpr(): Expr | undefined {
    try {
      return parseExpr(this.cursor, this.asm.scope());
    } catch (e) {
      if (!(e instanceof ExprSyntaxError)) throw e;
      this.error(e.col, e.message);
      return undefined;
    }
  }

  /** Parse an expression from another token range, returning errors instead of reporting them. */
  parseExprFrom(cursor: TokenCursor): Expr | ExprSyntaxError {
    try {
      return parseExpr(cursor, this.asm.scope());
    } catch (e) {
      if (e instanceof ExprSyntaxError) return e;
      throw e;
    }
  }

  /** Value of an expression that must be known at this point of the source. */
  tryConstant(expr: Expr): EvalResult {
    return this.asm.evaluateNow(expr);
  }

  constant(expr: Expr): bigint | undefined {
    const r = this.tryConstant(expr);
    if (r.ok) return r.value;
    this.error(r.col, r.message);
    return undefined;
  }

  /** `symbol + constant` form of a branch target; reports other shapes. */
  target(expr: Expr): RelaxTarget | undefined {
    const r = this.asm.linear(expr);
    if (typeof r === 'string') {
      this.error(expr.col, r);
      return undefined;
    }
    return { ...r, at: this.at(expr.col) };
  }

  /** Report anything left on the line; true if nothing was. */
  expectEnd(): boolean {
    if (this.cursor.atEnd()) return true;
    this.error(this.cursor.col(), `unexpected ${describeToken(this.cursor.peek())}`);
    return false;
  }

  emitBytes(bytes: Uint8Array, line: number | undefined = this.line): void {
    this.asm.emit(bytes.length, line, { bytes });
  }

  emitDeferred(size: number, resolve: Resolver, line: number | undefined = this.line): void {
    this.asm.emit(size, line, { resolve });
  }

  emitRelaxable(target: RelaxTarget, policy: RelaxPolicy): void {
    this.asm.section.close({ kind: 'relax', target, policy, line: this.line });
  }

  /** An internal symbol at the current location. */
  anchor(): string {
    return this.asm.defineAnchor('.');
  }
}
