// Problems found while assembling. Nothing in the assembler throws for bad
// input: every problem is recorded here with its source position and the
// assembler carries on, so one run reports every error in the file.

export interface AsmDiagnostic {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based; points at the offending token. */
  column: number;
  message: string;
}

/** A position in the source: a line and a 1-based column on it. */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
}

export class Diagnostics {
  readonly errors: AsmDiagnostic[] = [];
  readonly warnings: AsmDiagnostic[] = [];

  constructor(readonly file: string) {}

  error(at: SourcePos, message: string): void {
    this.errors.push({ file: this.file, line: at.line, column: at.column, message });
  }

  warn(at: SourcePos, message: string): void {
    this.warnings.push({ file: this.file, line: at.line, column: at.column, message });
  }
}

/** Errors sorted by position, as an editor lists them. */
export function sortDiagnostics(list: readonly AsmDiagnostic[]): AsmDiagnostic[] {
  return [...list].sort((a, b) => a.line - b.line || a.column - b.column);
}
