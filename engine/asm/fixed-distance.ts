// Label differences that are already constant while assembling. Like gas, a
// difference such as `end - start` counts as a constant before layout when no
// alignment or relaxable branch lies between the two labels, so it can size a
// `.skip` or feed an immediate.

import { evaluate, symbolsOf, type EvalResult, type Expr, type SymbolLookup } from './expr';
import type { Frag, Section } from './sections';
import type { SymbolTable } from './symbols';

/** Where a label sits within its run of fixed-size fragments. */
function fixedPosition(section: Section, frag: Frag, offset: number): { run: number; pos: number } {
  let run = 0;
  let pos = 0;
  for (const f of section.frags) {
    if (f === frag) return { run, pos: pos + offset };
    const tail = f.tail;
    if (tail.kind === 'align' || tail.kind === 'relax') {
      run++;
      pos = 0;
    } else {
      pos += f.fixedSize + (tail.kind === 'space' ? tail.size : 0);
    }
  }
  return { run, pos: pos + offset };
}

/**
 * Evaluate with labels placed at their offset in their fixed run, shifted by
 * a different amount per run in two trials: a result that does not depend
 * on the shifts is a constant.
 */
export function foldLabelDifferences(expr: Expr, symbols: SymbolTable, known: SymbolLookup): EvalResult | undefined {
  if (!symbolsOf(expr).some((n) => symbols.get(n)?.def?.kind === 'label')) return undefined;
  const trial = (shift: bigint): EvalResult =>
    evaluate(expr, (name, col) => {
      const def = symbols.get(name)?.def;
      if (def?.kind !== 'label') return known(name, col);
      const { run, pos } = fixedPosition(def.section, def.frag, def.offset);
      const key = BigInt(def.section.order * 65536 + run + 1);
      return { ok: true, value: BigInt(pos) + shift * key * 0x1_0000_0000n };
    });
  const a = trial(0n);
  const b = trial(1n);
  const c = trial(7n);
  if (a.ok && b.ok && c.ok && a.value === b.value && a.value === c.value) return a;
  return undefined;
}
