// The diagnostics checks both assemblers' error tests run: each case's bad
// source must be refused with an error at its file, line and column.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AsmDiagnostic } from '../../engine/asm/diagnostics';
import type { AsmOptions, AsmResult } from '../../engine/asm/program';

export interface DiagnosticCase {
  readonly name: string;
  readonly source: string;
  /** 1-based position of the offending token. */
  readonly line: number;
  readonly column: number;
  readonly message: RegExp;
}

/** The errors of assembling `source` as bad.S at `base`, which must produce no program. */
export function assemblyErrors(assemble: (source: string, options: AsmOptions) => AsmResult, source: string, base: number): AsmDiagnostic[] {
  const r = assemble(source, { fileName: 'bad.S', base });
  assert.equal(r.program, undefined, 'no program when there are errors');
  return r.errors;
}

/** One test per case: an error matching its message at its line and column. */
export function testDiagnosticCases(cases: readonly DiagnosticCase[], errors: (source: string) => AsmDiagnostic[]): void {
  for (const c of cases) {
    test(`${c.name}: bad.S:${c.line}:${c.column}`, () => {
      const found = errors(c.source);
      const hit = found.find((e) => c.message.test(e.message));
      assert.ok(hit, `no error matching ${c.message}; got:\n${found.map((e) => `  ${e.line}:${e.column}: ${e.message}`).join('\n')}`);
      assert.equal(hit.file, 'bad.S');
      assert.deepEqual([hit.line, hit.column], [c.line, c.column], hit.message);
    });
  }
}

/** Deterministic pseudo-random 32-bit values (numerical-recipes LCG), for fuzzing. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
}
