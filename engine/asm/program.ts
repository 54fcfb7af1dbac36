// What an assembly produces: a linked image, its symbols and the line table.

import type { AsmDiagnostic } from './diagnostics';

/** One emitted instruction or data item and the source line it came from. */
export interface AsmLine {
  address: number;
  file: string;
  line: number;
  size: number;
}

export interface AsmSection {
  name: string;
  address: number;
  bytes: Uint8Array;
}

export interface AsmSymbol {
  address: number;
  size: number;
  global: boolean;
  type?: 'func' | 'object';
}

export interface AsmProgram {
  sections: AsmSection[];
  /** `_start` if defined, else the start of .text. */
  entry: number;
  symbols: Map<string, AsmSymbol>;
  /** Sorted by address. */
  lines: AsmLine[];
}

export interface AsmOptions {
  fileName: string;
  /** Load address of .text. */
  base: number;
}

export interface AsmResult {
  /** Present only when there are no errors. */
  program?: AsmProgram;
  errors: AsmDiagnostic[];
  /** Things gas also only warns about (a `.byte` value truncated to 8 bits). */
  warnings: AsmDiagnostic[];
}
