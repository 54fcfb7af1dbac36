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
/** In PageCode.heat: no block can start here (an instruction across a page, or one the translator leaves to the interpreter). */
const NO_BLOCK = 0xffff;
/** Instructions are at least 2 bytes: a page has 2048 places one may start. */
const SLOTS_PER_PAGE = 4096 >>> 1;

/** What the cache knows of one RAM page's instructions, by 2-byte slot. */
interface PageCode<Prepared> {
  /** Decoded instructions for the interpreter. */
  readonly prepared: (Prepared | undefined)[];
  /** How often each block start not yet translated has been reached; NO_BLOCK where none can start. */
  readonly heat: Uint16Array;
}

export class CodeCache<Block extends CachedBlock, Prepared> {
  private readonly byPa = new Map<number, Block[]>();
  private readonly byPage = new Map<number, Block[]>();
  /** Decoded instructions, heat and untranslatable places, by RAM page; a page's go when it is written. */
  private readonly pages = new Map<number, PageCode<Prepared>>();
  /** The page last looked up: the interpreter mostly stays in one page. */
  private lastPage = -1;
  private lastCode: PageCode<Prepared> | undefined;
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
    const code = this.pageCode(pa);
    const slot = this.slot(pa);
    const n = code.heat[slot]! + 1;
    code.heat[slot] = n >= HOT_BLOCK ? 0 : n;
    return n >= HOT_BLOCK;
  }

  /** Whether the translator found no block to start at physical `pa` (the page is not written since). */
  noBlockAt(pa: number): boolean {
    return this.existingPageCode(pa)?.heat[this.slot(pa)] === NO_BLOCK;
  }

  /** Remember that no block starts at physical `pa`, until its page is written. */
  markNoBlock(pa: number): void {
    this.pageCode(pa).heat[this.slot(pa)] = NO_BLOCK;
    this.markCode(this.pageOf(pa));
  }

  /** A decoded instruction at physical `pa` in RAM, if the interpreter has seen it. */
  preparedAt(pa: number): Prepared | undefined {
    return this.existingPageCode(pa)?.prepared[this.slot(pa)];
  }

  /** Remember a decoded instruction wholly inside the RAM page at `pa`. */
  storePrepared(pa: number, insn: Prepared): void {
    this.pageCode(pa).prepared[this.slot(pa)] = insn;
    this.markCode(this.pageOf(pa));
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

  private pageOf(pa: number): number {
    return (pa - this.memory.ram.base) >>> PAGE_SHIFT;
  }

  private slot(pa: number): number {
    return ((pa - this.memory.ram.base) & 4095) >>> 1;
  }

  private existingPageCode(pa: number): PageCode<Prepared> | undefined {
    const page = this.pageOf(pa);
    if (page === this.lastPage) return this.lastCode;
    const code = this.pages.get(page);
    if (code !== undefined) {
      this.lastPage = page;
      this.lastCode = code;
    }
    return code;
  }

  private pageCode(pa: number): PageCode<Prepared> {
    const known = this.existingPageCode(pa);
    if (known !== undefined) return known;
    const page = this.pageOf(pa);
    const code: PageCode<Prepared> = { prepared: [], heat: new Uint16Array(SLOTS_PER_PAGE) };
    this.pages.set(page, code);
    this.lastPage = page;
    this.lastCode = code;
    return code;
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
    this.pages.delete(page);
    if (page === this.lastPage) this.forgetLastPage();
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
    for (const page of this.pages.keys()) ram.codePages[page] = 0;
    this.byPa.clear();
    this.byPage.clear();
    this.pages.clear();
    this.forgetLastPage();
    this.generation++;
  }

  private forgetLastPage(): void {
    this.lastPage = -1;
    this.lastCode = undefined;
  }
}
