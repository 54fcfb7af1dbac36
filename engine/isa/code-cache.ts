// Translated blocks and decoded instructions, shared by all CPUs of a machine,
// for either ISA. Blocks are keyed by physical address and remember their
// virtual address (translated code embeds its pc). A store to a page holding
// code drops that page's blocks; CPUs keep stores to such pages off their TLB
// fast path until then.

import type { PhysicalMemory } from '../machine/memory';
import { PAGE_SHIFT } from '../machine/memory';

/** What the cache needs of a translated block. */
export interface CachedBlock {
  readonly va: number;
  readonly pa: number;
  valid: boolean;
}

/** A CPU whose TLB must send stores to code pages down the slow path. */
export interface CodeWatcher {
  protectCodePage(pageOffset: number): void;
}

/**
 * Reaches of a block start before it is translated: most of a kernel's boot
 * code runs too few times to repay compiling it (BENCHMARKS.md, "Debian
 * firmware and Linux boots"), while a hot loop pays 256 interpreted passes once.
 */
const HOT_BLOCK = 256;

export class CodeCache<Block extends CachedBlock, Prepared> {
  private readonly byPa = new Map<number, Block[]>();
  private readonly byPage = new Map<number, Block[]>();
  /**
   * Physical addresses where no block can start (an instruction that crosses
   * a page, or one the translator leaves to the interpreter), by RAM page: the
   * translator is not asked again until the page is written.
   */
  private readonly untranslatable = new Map<number, Set<number>>();
  /** How often each block start not yet translated has been reached, by RAM page, then physical address. */
  private readonly heat = new Map<number, Map<number, number>>();
  /** Decoded instructions for the interpreter, by RAM page, then physical address. */
  private readonly prepared = new Map<number, Map<number, Prepared>>();
  private readonly cpus: CodeWatcher[] = [];
  /** Bumped whenever blocks are invalidated, so CPUs drop their own maps. */
  generation = 0;

  constructor(private readonly memory: PhysicalMemory) {
    memory.onCodeWrite((page) => this.invalidatePage(page));
  }

  attach(cpu: CodeWatcher): void {
    this.cpus.push(cpu);
  }

  lookup(va: number, pa: number): Block | undefined {
    const list = this.byPa.get(pa);
    if (list) for (const b of list) if (b.va === va) return b;
    return undefined;
  }

  /**
   * Whether code at physical `pa` has been reached often enough to translate:
   * compiling a block costs as much as interpreting it thousands of times, and
   * much of an operating system's boot code runs only a few times.
   */
  hot(pa: number): boolean {
    const page = (pa - this.memory.ram.base) >>> PAGE_SHIFT;
    let counts = this.heat.get(page);
    if (!counts) this.heat.set(page, (counts = new Map()));
    const n = (counts.get(pa) ?? 0) + 1;
    if (n >= HOT_BLOCK) {
      counts.delete(pa);
      return true;
    }
    counts.set(pa, n);
    return false;
  }

  /** Whether the translator found no block to start at physical `pa`. */
  noBlockAt(pa: number): boolean {
    return this.untranslatable.get((pa - this.memory.ram.base) >>> PAGE_SHIFT)?.has(pa) === true;
  }

  /** Remember that no block starts at physical `pa`, until its page is written. */
  markNoBlock(pa: number): void {
    const page = (pa - this.memory.ram.base) >>> PAGE_SHIFT;
    let set = this.untranslatable.get(page);
    if (!set) this.untranslatable.set(page, (set = new Set()));
    set.add(pa);
    this.markCode(page);
  }

  /** A decoded instruction at physical `pa` in RAM, if the interpreter has seen it. */
  preparedAt(pa: number): Prepared | undefined {
    return this.prepared.get((pa - this.memory.ram.base) >>> PAGE_SHIFT)?.get(pa);
  }

  /** Remember a decoded instruction wholly inside the RAM page at `pa`. */
  storePrepared(pa: number, insn: Prepared): void {
    const page = (pa - this.memory.ram.base) >>> PAGE_SHIFT;
    let map = this.prepared.get(page);
    if (!map) this.prepared.set(page, (map = new Map()));
    map.set(pa, insn);
    this.markCode(page);
  }

  insert(block: Block): void {
    const ram = this.memory.ram;
    const page = (block.pa - ram.base) >>> PAGE_SHIFT;
    let list = this.byPa.get(block.pa);
    if (!list) this.byPa.set(block.pa, (list = []));
    list.push(block);
    let pageList = this.byPage.get(page);
    if (!pageList) this.byPage.set(page, (pageList = []));
    pageList.push(block);
    this.markCode(page);
  }

  /** Stores to a page with translated or decoded code must take the slow path that invalidates it. */
  private markCode(page: number): void {
    const ram = this.memory.ram;
    if (!ram.codePages[page]) {
      ram.codePages[page] = 1;
      for (const c of this.cpus) c.protectCodePage(page << PAGE_SHIFT);
    }
  }

  private invalidatePage(page: number): void {
    this.prepared.delete(page);
    this.untranslatable.delete(page);
    this.heat.delete(page);
    const list = this.byPage.get(page);
    if (!list) return;
    for (const b of list) {
      b.valid = false;
      const same = this.byPa.get(b.pa);
      if (same) {
        const rest = same.filter((x) => x !== b);
        if (rest.length) this.byPa.set(b.pa, rest);
        else this.byPa.delete(b.pa);
      }
    }
    this.byPage.delete(page);
    this.generation++;
  }

  /** Drop everything (breakpoints changed: blocks must end before the new ones). */
  clear(): void {
    for (const list of this.byPage.values()) for (const b of list) b.valid = false;
    const ram = this.memory.ram;
    for (const page of this.byPage.keys()) ram.codePages[page] = 0;
    for (const page of this.prepared.keys()) ram.codePages[page] = 0;
    for (const page of this.untranslatable.keys()) ram.codePages[page] = 0;
    this.byPa.clear();
    this.byPage.clear();
    this.prepared.clear();
    this.untranslatable.clear();
    this.heat.clear();
    this.generation++;
  }
}
