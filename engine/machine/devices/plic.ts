// SiFive PLIC as on QEMU's riscv `virt` and as hvisor drives it: sources
// 1..ndev, two contexts per hart (2h = M-mode, 2h+1 = S-mode), level-triggered
// inputs, claim/complete per context.

import type { IrqLine, MmioDevice } from '../device';

export const PLIC_PRIORITY_BASE = 0x0000;
export const PLIC_PENDING_BASE = 0x1000;
export const PLIC_ENABLE_BASE = 0x2000;
export const PLIC_ENABLE_STRIDE = 0x80;
export const PLIC_CONTEXT_BASE = 0x200000;
export const PLIC_CONTEXT_STRIDE = 0x1000;
/** The whole register space the PLIC specification reserves. */
export const PLIC_WINDOW_SIZE = 0x4000000;
/** The largest source number the register layout has room for. */
export const PLIC_MAX_SOURCES = 1023;

export interface PlicOptions {
  /** Highest source number (sources are 1..ndev). */
  readonly ndev: number;
  /** One line per context, in context order: [hart0 M, hart0 S, hart1 M, …]. */
  readonly contexts: readonly IrqLine[];
  /** Bits of priority implemented (QEMU virt: 3, so priorities 0..7). */
  readonly priorityBits?: number;
  readonly name?: string;
}

/** Read-only view for the debugger. Arrays are indexed by source id or context. */
export interface PlicSnapshot {
  readonly ndev: number;
  /** priorities[id]; index 0 is unused and 0. */
  readonly priorities: readonly number[];
  /** Input line levels by source id. */
  readonly levels: readonly boolean[];
  /** Source ids whose pending bit is set. */
  readonly pending: readonly number[];
  /** Enabled source ids per context. */
  readonly enables: readonly (readonly number[])[];
  readonly thresholds: readonly number[];
  /** Sources claimed and not yet completed, with the context that claimed each. */
  readonly claimed: readonly { readonly id: number; readonly context: number }[];
  /** Each context's output line. */
  readonly outputs: readonly boolean[];
}

export class Plic implements MmioDevice {
  readonly name: string;
  readonly ndev: number;
  readonly contextCount: number;
  private readonly words: number;
  private readonly priorityMask: number;
  private readonly priority: Uint32Array;
  private readonly level: Uint8Array;
  private readonly pending: Uint32Array;
  /** -1 when not claimed, else the claiming context. */
  private readonly claimedBy: Int32Array;
  private readonly enable: Uint32Array;
  private readonly threshold: Uint32Array;
  private readonly outputs: Uint8Array;
  private readonly contexts: readonly IrqLine[];

  constructor(options: PlicOptions) {
    const { ndev, contexts } = options;
    if (!Number.isInteger(ndev) || ndev < 1 || ndev > PLIC_MAX_SOURCES) throw new RangeError(`PLIC ndev ${ndev} is not in 1..${PLIC_MAX_SOURCES}`);
    if (contexts.length > 15872) throw new RangeError(`PLIC has room for 15872 contexts, not ${contexts.length}`);
    this.name = options.name ?? 'plic';
    this.ndev = ndev;
    this.contexts = contexts;
    this.contextCount = contexts.length;
    this.words = (ndev + 1 + 31) >>> 5;
    this.priorityMask = (1 << (options.priorityBits ?? 3)) - 1;
    this.priority = new Uint32Array(ndev + 1);
    this.level = new Uint8Array(ndev + 1);
    this.pending = new Uint32Array(this.words);
    this.claimedBy = new Int32Array(ndev + 1).fill(-1);
    this.enable = new Uint32Array(this.words * this.contextCount);
    this.threshold = new Uint32Array(this.contextCount);
    this.outputs = new Uint8Array(this.contextCount);
  }

  /** The input line of source `id` (1..ndev). Level-triggered: pending follows the level. */
  source(id: number): IrqLine {
    if (!Number.isInteger(id) || id < 1 || id > this.ndev) throw new RangeError(`PLIC source ${id} is not in 1..${this.ndev}`);
    return { set: (level: boolean) => this.setLevel(id, level) };
  }

  read(offset: number, size: 1 | 2 | 4): number {
    // The PLIC has only 32-bit registers; narrower accesses read as zero.
    if (size !== 4 || offset & 3) return 0;
    if (offset < PLIC_PENDING_BASE) {
      const id = offset >>> 2;
      return id <= this.ndev ? this.priority[id]! : 0;
    }
    if (offset < PLIC_ENABLE_BASE) {
      const word = (offset - PLIC_PENDING_BASE) >>> 2;
      return word < this.words ? this.pending[word]! : 0;
    }
    if (offset < PLIC_CONTEXT_BASE) {
      const ctx = Math.floor((offset - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE);
      const word = ((offset - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE) >>> 2;
      return ctx < this.contextCount && word < this.words ? this.enable[ctx * this.words + word]! : 0;
    }
    const ctx = Math.floor((offset - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE);
    if (ctx >= this.contextCount) return 0;
    const reg = (offset - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
    if (reg === 0) return this.threshold[ctx]!;
    if (reg === 4) return this.claim(ctx);
    return 0;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    if (size !== 4 || offset & 3) return;
    const v = value >>> 0;
    if (offset < PLIC_PENDING_BASE) {
      const id = offset >>> 2;
      // Source 0 does not exist; its priority stays 0.
      if (id === 0 || id > this.ndev) return;
      this.priority[id] = v & this.priorityMask;
      this.update();
      return;
    }
    // Pending bits are read-only.
    if (offset < PLIC_ENABLE_BASE) return;
    if (offset < PLIC_CONTEXT_BASE) {
      const ctx = Math.floor((offset - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE);
      const word = ((offset - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE) >>> 2;
      if (ctx >= this.contextCount || word >= this.words) return;
      this.enable[ctx * this.words + word] = v & this.implementedMask(word);
      this.update();
      return;
    }
    const ctx = Math.floor((offset - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE);
    if (ctx >= this.contextCount) return;
    const reg = (offset - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
    if (reg === 0) {
      this.threshold[ctx] = v & this.priorityMask;
      this.update();
    } else if (reg === 4) this.complete(v);
  }

  snapshot(): PlicSnapshot {
    const ids = (bits: Uint32Array, base: number): number[] => {
      const out: number[] = [];
      for (let id = 1; id <= this.ndev; id++) if ((bits[base + (id >>> 5)]! >>> (id & 31)) & 1) out.push(id);
      return out;
    };
    const claimed: { id: number; context: number }[] = [];
    for (let id = 1; id <= this.ndev; id++) if (this.claimedBy[id]! >= 0) claimed.push({ id, context: this.claimedBy[id]! });
    return {
      ndev: this.ndev,
      priorities: Array.from(this.priority),
      levels: Array.from(this.level, (l) => l !== 0),
      pending: ids(this.pending, 0),
      enables: Array.from({ length: this.contextCount }, (_, ctx) => ids(this.enable, ctx * this.words)),
      thresholds: Array.from(this.threshold),
      claimed,
      outputs: Array.from(this.outputs, (o) => o !== 0),
    };
  }

  /** The source a claim by `ctx` would return now (0 if none), without claiming it. */
  peekClaim(ctx: number): number {
    const base = ctx * this.words;
    let best = 0;
    let bestPriority = this.threshold[ctx]!;
    for (let w = 0; w < this.words; w++) {
      let bits = this.pending[w]! & this.enable[base + w]!;
      while (bits) {
        const bit = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const id = (w << 5) | bit;
        // Strictly greater: on equal priority the lower id, found first, wins.
        if (this.claimedBy[id]! < 0 && this.priority[id]! > bestPriority) {
          best = id;
          bestPriority = this.priority[id]!;
        }
      }
    }
    return best;
  }

  /** Bits of `word` that name real sources (1..ndev). */
  private implementedMask(word: number): number {
    let mask = 0xffffffff;
    if (word === 0) mask &= ~1;
    const last = this.ndev - (word << 5);
    if (last < 31) mask &= (2 ** (last + 1) - 1) | 0;
    return mask >>> 0;
  }

  private setLevel(id: number, level: boolean): void {
    this.level[id] = level ? 1 : 0;
    this.setPending(id, level);
    this.update();
  }

  private setPending(id: number, on: boolean): void {
    const w = id >>> 5;
    const bit = 1 << (id & 31);
    this.pending[w] = on ? this.pending[w]! | bit : this.pending[w]! & ~bit;
  }

  private claim(ctx: number): number {
    const id = this.peekClaim(ctx);
    if (id !== 0) {
      this.setPending(id, false);
      this.claimedBy[id] = ctx;
    }
    this.update();
    return id;
  }

  /**
   * Ends service of `id` from any context (QEMU does not check the enable bit);
   * a line still high is pending again.
   */
  private complete(id: number): void {
    if (id === 0 || id > this.ndev || this.claimedBy[id]! < 0) return;
    this.claimedBy[id] = -1;
    if (this.level[id]) this.setPending(id, true);
    this.update();
  }

  private update(): void {
    for (let ctx = 0; ctx < this.contextCount; ctx++) {
      const level = this.peekClaim(ctx) !== 0 ? 1 : 0;
      if (level !== this.outputs[ctx]) {
        this.outputs[ctx] = level;
        this.contexts[ctx]!.set(level === 1);
      }
    }
  }
}
