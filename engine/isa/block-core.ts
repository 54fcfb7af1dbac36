// How a CPU of either ISA runs: translated blocks while they can run, the
// interpreter one instruction at a time where they cannot, interrupts and
// timers looked at between them, and a stop when exceptions recur without an
// instruction completing. Each ISA's core supplies its state, its translator
// and decoder, and how it takes faults and interrupts.

import type { CachedBlock, CodeCache } from './code-cache';
import type { CpuCounters, RunExit } from './cpu-core';
import type { PhysicalMemory } from '../machine/memory';
import { TLB_MASK } from './software-tlb';

/** What the run loop reads and writes of an ISA's CPU state (its SoftwareTlb and counters). */
export interface CoreState extends CpuCounters {
  /** The instruction count at which translated code must hand back to the loop; 0 asks for attention now. */
  stopAt: number;
  /** Non-zero when an instruction raised a fault that the core must take. */
  fault: number;
  sleptCycles: number;
  readonly translationEpoch: number;
  readonly fetchTag: Float64Array;
  readonly fetchOff: Float64Array;
  readonly memory: PhysicalMemory;
  flushTlb(): void;
  flushTlbPage(va: number): void;
  /** The physical address of `va` for an instruction fetch, or negative after raising the fault. */
  translateFor(va: number, access: number): number;
}

/** A translated block: it runs from `va`, retiring at most `length` instructions per pass. */
export interface RunnableBlock<S> extends CachedBlock {
  readonly length: number;
  readonly run: (c: S, x: Int32Array) => void;
}

/** A decoded instruction the interpreter runs: it returns the next pc. */
export interface PreparedInstruction<S, P> {
  readonly run: (c: S, x: Int32Array, e: P, pc: number) => number;
}

/** The block map's size: blocks entered, direct-mapped by pc. */
const BLOCK_SLOTS = 4096;
/** The fetch access, in the numbering both ISAs' TLBs use. */
const EXECUTE = 2;
/** Exceptions in a row without an instruction retiring after which `run` returns anyway. */
const STUCK_EXCEPTIONS = 256;

export abstract class BlockCore<S extends CoreState, B extends RunnableBlock<S>, P extends PreparedInstruction<S, P>> {
  /** The hypervisor model owns the CPU until it returns to the guest. */
  inHypervisor = false;
  /** After a 'stuck' exit: what keeps recurring, for the user. */
  stuckReason = '';
  /** Interrupt lines, masks or timers changed since interrupts were last evaluated. */
  protected irqDirty = true;
  /** Cycle count at which a timer next fires. */
  protected timerDeadline = Infinity;
  /** The pc the last interpreted instruction fell through to (NaN after a jump or branch taken). */
  private fellThrough = NaN;
  /** The instruction about to be interpreted can start no block (it crosses a page): what follows it may. */
  private noBlockHere = false;
  private readonly blocks: (B | undefined)[] = new Array<B | undefined>(BLOCK_SLOTS).fill(undefined);
  /** The translationEpoch the block map is valid for. */
  private mapEpoch = -1;
  /** pc bits that pick a block slot. */
  private readonly slotMask: number;
  /** Set by a yield (YIELD, an event-less WFE): run() ends the turn at the next instruction boundary. */
  private yielded = false;
  // The current run's breakpoint to pass (its resumeFrom, while nothing has retired) and its
  // count of exceptions without progress: fields, so that the loop's locals capture nothing.
  private resumeFrom = NaN;
  private startInstret = 0;
  private progressMark = 0;
  private exceptionsWithoutProgress = 0;

  /** `alignShift`: log2 of the smallest instruction (1 for RVC, 2 for A64). */
  protected constructor(
    readonly state: S,
    protected readonly code: CodeCache<B, P>,
    private readonly breakpoints: ReadonlySet<number>,
    private readonly alignShift: 1 | 2,
  ) {
    this.slotMask = (BLOCK_SLOTS - 1) << alignShift;
  }

  // ---- what each ISA supplies ------------------------------------------------------------------

  /** Bring interrupt and timer state up to date: wake from WFI, take an interrupt, set timerDeadline. */
  protected abstract evaluateInterrupts(): void;
  /** Take the fault the last instruction raised (state.fault is set). */
  protected abstract handleFault(): void;
  /** Take an exception due before the next instruction (aarch64's PSTATE.IL); true when one was taken. */
  protected abstract takeDueException(): boolean;
  /** Whether a block may start at `pc` (aligned, fetched from RAM). */
  protected abstract blockMayStartAt(pc: number): boolean;
  /** Translate the block at `pc` (RAM byte `offset`); undefined when its first instruction must be interpreted. */
  protected abstract translate(pc: number, pa: number, offset: number, stopBefore: (va: number) => boolean): B | undefined;
  /** The decoded instruction at pc; undefined after raising a fault. */
  protected abstract preparedAt(pc: number): P | undefined;
  protected abstract sizeOf(e: P): number;
  /** The sentence that explains a 'stuck' exit. */
  protected abstract describeStuck(): string;

  // ---- events ---------------------------------------------------------------------------------

  interruptsChanged(): void {
    this.irqDirty = true;
    this.state.stopAt = 0;
  }

  waitForInterrupt(): void {
    this.state.wfi = true;
    this.interruptsChanged();
  }

  yieldTurn(): void {
    this.yielded = true;
    this.state.stopAt = 0;
  }

  /** Translation changed for the virtual page of `va` only: drop what the CPU caches for it. */
  translationChangedAt(va: number): void {
    this.state.flushTlbPage(va);
    // Blocks never leave their page: only the page's block-map slots can hold its blocks.
    const first = (va & this.slotMask & ~4095) >>> this.alignShift;
    this.blocks.fill(undefined, first, first + (4096 >>> this.alignShift));
  }

  /** Next cycle count at which a timer interrupt becomes pending (Infinity if none is armed). */
  get nextTimerCycle(): number {
    if (this.irqDirty) this.evaluateInterrupts();
    return this.timerDeadline;
  }

  // ---- running ---------------------------------------------------------------------------------

  /**
   * Run until instret reaches `limit`, the CPU sleeps in WFI, it enters the
   * hypervisor and stays there, or a breakpoint is reached. A breakpoint at
   * `resumeFrom` is not reported when execution starts there (the user is
   * continuing from it).
   */
  run(limit: number, resumeFrom = NaN): RunExit {
    const c = this.state;
    const blocks = this.blocks;
    const breakpoints = this.breakpoints;
    const slotMask = this.slotMask;
    const shift = this.alignShift;
    this.resumeFrom = resumeFrom;
    this.startInstret = c.instret;
    this.progressMark = c.instret;
    this.exceptionsWithoutProgress = 0;
    for (;;) {
      if (this.yielded) {
        this.yielded = false;
        return 'limit';
      }
      if (this.inHypervisor) return 'hypervisor';
      if (this.irqDirty || c.cycles >= this.timerDeadline) {
        this.evaluateInterrupts();
        if (this.inHypervisor) continue;
      }
      if (c.wfi) return 'wfi';
      if (c.instret >= limit) return 'limit';
      if (breakpoints.size !== 0 && this.stopsAt(c.pc)) return 'breakpoint';
      if (this.takeDueException()) continue;
      if (c.translationEpoch !== this.mapEpoch) {
        blocks.fill(undefined);
        this.mapEpoch = c.translationEpoch;
      }
      // Anything that needs this loop's attention (an interrupt line, a system
      // register write, WFI, a translation change) sets stopAt to 0.
      c.stopAt = Math.min(limit, this.timerDeadline - c.sleptCycles);
      for (;;) {
        const pc = c.pc;
        let block = blocks[(pc & slotMask) >>> shift];
        if (block === undefined || block.va !== pc || !block.valid) {
          // A single step never pays for translating a block.
          if (c.stopAt - c.instret <= 1) break;
          block = this.findBlock(pc);
          if (block === undefined) break;
        }
        if (block.length > c.stopAt - c.instret) break;
        block.run(c, c.x);
        if (c.fault !== 0 || c.instret >= c.stopAt) break;
        if (breakpoints.size !== 0 && this.stopsAt(c.pc)) break;
      }
      if (c.fault !== 0) {
        if (this.takeFault()) return this.stuck();
        continue;
      }
      if (c.stopAt === 0 || c.instret >= c.stopAt || c.translationEpoch !== this.mapEpoch) continue;
      if (breakpoints.size !== 0 && this.stopsAt(c.pc)) continue;
      // The next instruction cannot run as a block (untranslatable, outside
      // RAM, not yet hot, or the budget ends inside the block): interpret it.
      this.interpretOne();
      if (c.fault !== 0 && this.takeFault()) return this.stuck();
    }
  }

  /** Execute exactly one instruction (or take one pending interrupt first, as hardware would). */
  step(): RunExit {
    return this.run(this.state.instret + 1, this.state.pc);
  }

  /**
   * Add time spent asleep (the scheduler's way of letting time pass in WFI).
   * A CPU in WFI sleeps no further than the next timer deadline, where it may
   * wake: otherwise it would take the interrupt up to a scheduling quantum
   * late, and the time a guest sees would depend on the quantum. A deadline
   * already reached is dealt with first, which may wake the CPU (no time passes).
   */
  sleep(cycles: number): void {
    const c = this.state;
    if (c.wfi) {
      if (this.irqDirty || c.cycles >= this.timerDeadline) this.evaluateInterrupts();
      // A deadline that moved behind this CPU's time (another CPU's timer) is due now.
      if (c.wfi && c.cycles >= this.timerDeadline) this.evaluateInterrupts();
      if (!c.wfi) return;
      cycles = Math.min(cycles, Math.max(0, this.timerDeadline - c.cycles));
    }
    c.sleptCycles += cycles;
    if (c.cycles >= this.timerDeadline) this.irqDirty = true;
  }

  /** Re-evaluate interrupts for a sleeping CPU; true if it woke. */
  wakeCheck(): boolean {
    if (this.irqDirty || this.state.cycles >= this.timerDeadline) this.evaluateInterrupts();
    return !this.state.wfi;
  }

  // ---- internals --------------------------------------------------------------------------------

  /** Whether a breakpoint stops the run at pc (not the one it resumed from, before anything retired). */
  private stopsAt(pc: number): boolean {
    return this.breakpoints.has(pc) && !(pc === this.resumeFrom && this.state.instret === this.startInstret);
  }

  /**
   * Take the pending fault; true when faults keep recurring without progress:
   * an exception whose vector itself faults would never reach the limit.
   */
  private takeFault(): boolean {
    this.handleFault();
    const instret = this.state.instret;
    if (instret !== this.progressMark) {
      this.progressMark = instret;
      this.exceptionsWithoutProgress = 0;
      return false;
    }
    return ++this.exceptionsWithoutProgress >= STUCK_EXCEPTIONS;
  }

  private stuck(): RunExit {
    this.stuckReason = this.describeStuck();
    return 'stuck';
  }

  /** The block at pc: from the code cache, or translated once its start is hot; undefined to interpret. */
  private findBlock(pc: number): B | undefined {
    if (!this.blockMayStartAt(pc)) return undefined;
    const c = this.state;
    const ram = c.memory.ram;
    const vpn = Math.floor(pc / 4096);
    const i = vpn & TLB_MASK;
    let offset: number;
    if (c.fetchTag[i] === vpn) {
      offset = c.fetchOff[i]! + (pc & 4095);
    } else {
      const pa = c.translateFor(pc, EXECUTE);
      if (pa < 0 || !ram.contains(pa, 1 << this.alignShift)) return undefined;
      offset = pa - ram.base;
    }
    const pa = ram.base + offset;
    const code = this.code;
    let block = code.lookup(pc, pa);
    if (block === undefined) {
      if (code.noBlockAt(pa)) {
        this.noBlockHere = true;
        return undefined;
      }
      if (pc === this.fellThrough || !code.hot(pa)) return undefined;
      block = this.translate(pc, pa, offset, (va) => this.breakpoints.has(va));
      if (block === undefined) {
        code.markNoBlock(pa);
        this.noBlockHere = true;
        return undefined;
      }
      code.insert(block);
    }
    if (c.translationEpoch === this.mapEpoch) this.blocks[(pc & this.slotMask) >>> this.alignShift] = block;
    return block;
  }

  private interpretOne(): void {
    const c = this.state;
    const pc = c.pc;
    const noBlock = this.noBlockHere;
    this.noBlockHere = false;
    const e = this.preparedAt(pc);
    if (e === undefined) return;
    const next = e.run(c, c.x, e, pc);
    if (c.fault) return;
    c.pc = next;
    c.instret++;
    // Only code reached by a jump or branch, or past an instruction no block can
    // hold, counts towards starting a block there.
    this.fellThrough = next === pc + this.sizeOf(e) && !noBlock ? next : NaN;
  }
}
