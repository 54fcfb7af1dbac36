// Literal pools for `ldr Rt, =value`, as gas keeps them: one pool per
// section and entry size (4, 8 or 16 bytes), equal entries shared, emitted
// at `.ltorg`/`.pool` or after the section's last statement, each size's
// pool aligned to that size with zero bytes, the 4-byte pool first.

import type { Assembler } from '../../asm/assembler';
import type { Expr } from '../../asm/expr';
import type { Section } from '../../asm/sections';

export interface PoolEntry {
  readonly expr: Expr;
  readonly line: number;
  /** Internal symbol at the entry, once its pool is emitted. */
  anchor: string | undefined;
}

const SIZES = [4, 8, 16] as const;

function littleEndian(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export class LiteralPools {
  private readonly pending = new Map<Section, Map<number, Map<string, PoolEntry>>>();
  private unique = 0;

  /** The entry for `expr` in the current section's pool of `size`-byte entries. */
  add(asm: Assembler, size: number, expr: Expr, line: number): PoolEntry {
    const bySize = this.pending.get(asm.section) ?? new Map<number, Map<string, PoolEntry>>();
    this.pending.set(asm.section, bySize);
    const pool = bySize.get(size) ?? new Map<string, PoolEntry>();
    bySize.set(size, pool);
    const key = this.key(asm, expr);
    let entry = pool.get(key);
    if (!entry) {
      entry = { expr, line, anchor: undefined };
      pool.set(key, entry);
    }
    return entry;
  }

  /** Equal constants, and equal `symbol + constant`, share an entry. */
  private key(asm: Assembler, expr: Expr): string {
    const now = asm.evaluateNow(expr);
    if (now.ok) return `#${now.value}`;
    const l = asm.linear(expr);
    return typeof l === 'string' ? `?${this.unique++}` : `${l.symbol ?? ''}+${l.addend}`;
  }

  /** Emit the current section's pools at the current location. */
  flush(asm: Assembler): void {
    const section = asm.section;
    const bySize = this.pending.get(section);
    if (!bySize) return;
    this.pending.delete(section);
    for (const size of SIZES) {
      const pool = bySize.get(size);
      if (!pool || pool.size === 0) continue;
      section.close({ kind: 'align', bytes: size, maxSkip: undefined, fill: 0 });
      section.alignment = Math.max(section.alignment, size);
      for (const entry of pool.values()) {
        entry.anchor = asm.defineAnchor('.');
        const now = asm.evaluateNow(entry.expr);
        if (now.ok) {
          asm.emit(size, undefined, { bytes: littleEndian(now.value, size) });
          continue;
        }
        asm.emit(size, undefined, {
          resolve: (ctx) => {
            const v = ctx.value(entry.expr, entry.line);
            return v === undefined ? undefined : littleEndian(v, size);
          },
        });
      }
    }
  }

  /** Emit every pool still pending, each at the end of its section. */
  flushAll(asm: Assembler): void {
    for (const section of [...this.pending.keys()]) {
      asm.switchTo(section);
      this.flush(asm);
    }
  }
}
