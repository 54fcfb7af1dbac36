// Every table row's semantics, by row id.

import { atomicSemantics } from './sem-atomic';
import { branchSemantics } from './sem-branch';
import { dataSemantics } from './sem-data';
import { fpMoveSemantics } from './sem-fp-move';
import { fpScalarSemantics } from './sem-fp-scalar';
import { fpVectorSemantics } from './sem-fp-vector';
import { memorySemantics } from './sem-memory';
import { simdSemantics } from './sem-simd';
import { systemSemantics } from './sem-system';
import { table, type Row, type Values } from './table';
import type { Kind, Semantics } from './fragment';

function semanticsOf(row: Row): Semantics | undefined {
  // Advanced SIMD rows first: their ids reuse integer names (orr.imm, bic.imm).
  return simdSemantics(row) ?? dataSemantics(row) ?? memorySemantics(row) ?? atomicSemantics(row) ?? branchSemantics(row) ?? systemSemantics(row) ?? fpMoveSemantics(row) ?? fpScalarSemantics(row) ?? fpVectorSemantics(row);
}

const byId = new Map<string, Semantics>();
for (const row of table) {
  const s = semanticsOf(row);
  if (!s) throw new Error(`no semantics for A64 row ${row.id}`);
  byId.set(row.id, s);
}

export function semantics(row: Row): Semantics {
  return byId.get(row.id)!;
}

/** The kind of one instruction of `row`. */
export function kindOf(row: Row, values: Values): Kind {
  const k = byId.get(row.id)!.kind;
  return typeof k === 'function' ? k(values) : k;
}
