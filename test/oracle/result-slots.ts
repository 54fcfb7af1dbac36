// The results of the per-instruction tests of both ISAs: a program stores one
// 64-bit word per case (a slot); QEMU's words and ours are compared slot by slot.

import assert from 'node:assert/strict';
import { hex, u64 } from './corner-values';

export interface Slot {
  /** The case: instruction text and operands. */
  readonly what: string;
  /** Compare the value minus this symbol's address (for pc-relative results). */
  readonly rel?: string;
}

export interface QemuRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export const describeQemu = (r: QemuRun): string => `${r.signal ? `signal ${r.signal}` : `exit ${r.status}`}${r.stderr ? `: ${r.stderr.trim()}` : ''}`;

/** The little-endian dwords the user program wrote to stdout. */
export function dwordsOf(buf: Buffer): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i + 8 <= buf.length; i += 8) out.push(buf.readBigUInt64LE(i));
  return out;
}

/** `count` little-endian dwords from guest memory, whose bytes `bytes` are (undefined where unmapped). */
export function dwordsAt(bytes: ArrayLike<number | undefined>, address: bigint, count: number): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    let v = 0n;
    for (let k = 7; k >= 0; k--) {
      const b = bytes[i * 8 + k];
      assert.ok(b !== undefined, `guest memory at ${hex(address + BigInt(i * 8 + k))} is not mapped`);
      v = (v << 8n) | BigInt(b);
    }
    out.push(v);
  }
  return out;
}

/** Values adjusted for the slots that compare pc-relative. */
export function normalize(slots: readonly Slot[], values: readonly bigint[], syms: ReadonlyMap<string, bigint>): bigint[] {
  return values.map((v, i) => {
    const rel = slots[i]?.rel;
    if (rel === undefined) return v;
    const at = syms.get(rel);
    assert.ok(at !== undefined, `no symbol ${rel} in the image`);
    return u64(v - at);
  });
}

/** Readable list of the slots where `a` and `b` differ (at most `limit`). */
export function mismatches(slots: readonly Slot[], a: readonly bigint[], b: readonly bigint[], names: [string, string], limit = 40): string[] {
  const out: string[] = [];
  let total = 0;
  for (let i = 0; i < slots.length; i++) {
    if (a[i] === b[i]) continue;
    total++;
    if (out.length < limit) {
      const fmt = (v: bigint | undefined): string => (v === undefined ? 'missing' : hex(v));
      out.push(`#${i} ${slots[i]!.what}: ${names[0]} ${fmt(a[i])}, ${names[1]} ${fmt(b[i])}`);
    }
  }
  if (total > out.length) out.push(`... and ${total - out.length} more`);
  return out;
}
