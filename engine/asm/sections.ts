// Sections as chains of fragments, the way gas lays out code: a fragment is a
// run of fixed-size bytes followed by an optional variable part (alignment
// padding, a `.skip` block, or a branch whose size depends on its distance).
// Labels point into a fragment, so they move with it while branches relax.

import type { Expr } from './expr';
import type { SourcePos } from './diagnostics';

export type SectionKind = 'code' | 'data' | 'bss';

/** Everything that can compute bytes once every address is known. */
export interface ResolveContext {
  /** Final value of an expression (errors are reported at `at`). */
  value(expr: Expr, line: number): bigint | undefined;
  /** Final address of a symbol (errors are reported at `at`). */
  symbolAddress(name: string, at: SourcePos): bigint | undefined;
  error(at: SourcePos, message: string): void;
}

/** Computes a fixed-size item's bytes after layout; `pc` is its address. */
export type Resolver = (ctx: ResolveContext, pc: bigint) => Uint8Array | undefined;

export interface Chunk {
  /** Offset within the fragment's fixed part. */
  readonly offset: number;
  readonly size: number;
  /** Source line, for the line table; undefined for bytes that are not an item. */
  readonly line: number | undefined;
  readonly bytes?: Uint8Array;
  readonly resolve?: Resolver;
}

/** The symbol (if any) plus constant a branch targets. */
export interface RelaxTarget {
  readonly symbol: string | undefined;
  readonly addend: bigint;
  readonly at: SourcePos;
}

/** ISA rules for one relaxable instruction. */
export interface RelaxPolicy {
  /**
   * Size for a target `distance` bytes from the instruction's start, or
   * undefined when the target is not a label in the same section.
   */
  size(distance: number | undefined): number;
  /** Bytes at the final size, and the size of each instruction they hold. */
  encode(size: number, pc: bigint, target: bigint, ctx: ResolveContext, at: SourcePos): { bytes: Uint8Array; parts: readonly number[] } | undefined;
}

export type FragTail =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'align';
      /** Power of two, in bytes. */
      readonly bytes: number;
      /** Skip the padding entirely if it would exceed this many bytes. */
      readonly maxSkip: number | undefined;
      /** Fill byte; undefined means the section's default (no-ops in code). */
      readonly fill: number | undefined;
    }
  | { readonly kind: 'space'; readonly size: number; readonly fill: number; readonly line: number }
  | { readonly kind: 'relax'; readonly target: RelaxTarget; readonly policy: RelaxPolicy; readonly line: number };

export class Frag {
  readonly chunks: Chunk[] = [];
  fixedSize = 0;
  tail: FragTail = { kind: 'none' };
  /** Section-relative address, maintained by relaxation. */
  address = 0;
  tailSize = 0;
}

export class Section {
  readonly frags: Frag[] = [new Frag()];
  /** Alignment in bytes (a power of two), raised by `.align`. */
  alignment: number;

  constructor(
    readonly name: string,
    readonly kind: SectionKind,
    /** Creation order, which is the order members of an output section are placed. */
    readonly order: number,
    alignment: number,
    /** Non-allocated sections (`.section .comment`) are not part of the image. */
    readonly alloc = true,
  ) {
    this.alignment = alignment;
  }

  get current(): Frag {
    return this.frags[this.frags.length - 1]!;
  }

  /** Append an item to the fixed part of the current fragment. */
  add(size: number, line: number | undefined, content: { bytes: Uint8Array } | { resolve: Resolver }): void {
    const frag = this.current;
    frag.chunks.push({ offset: frag.fixedSize, size, line, ...content });
    frag.fixedSize += size;
  }

  /** End the current fragment with a variable part and start a new one. */
  close(tail: FragTail): void {
    this.current.tail = tail;
    this.frags.push(new Frag());
  }

  /** Size after relaxation. */
  size(): number {
    const last = this.current;
    return last.address + last.fixedSize + last.tailSize;
  }
}
