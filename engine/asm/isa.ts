// What an instruction set plugs into the ISA-independent assembler.

import type { StatementContext } from './statement';
import type { LexerConfig } from './lexer';

/** What an instruction set contributes to the assembler. */
export interface IsaBackend {
  readonly lexer: LexerConfig;
  readonly relocOperators: ReadonlySet<string>;
  /** Alignment in bytes that .text starts with. */
  readonly textAlignment: number;
  /** Whether a code section's end is padded to its alignment, as riscv gas does (default true). */
  readonly padCodeSectionEnd?: boolean;
  /** `size` bytes of padding for a code section. */
  codeFill(size: number): Uint8Array;
  /**
   * Alignments of at most this many bytes in a code section, without an
   * explicit fill, insert no padding (gas assumes instructions are aligned).
   */
  implicitCodeAlignment(): number;
  /** Handle an ISA-specific directive; false if `name` is not one. */
  directive(name: string, stmt: StatementContext): boolean;
  instruction(stmt: StatementContext): void;
}
