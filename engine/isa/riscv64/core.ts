// One riscv64 CPU of a machine: its hart, how it runs (translated blocks when
// it can, the interpreter when it must), and the hardware side of traps and
// interrupts. Traps that are not delegated to the guest are handed to the
// hypervisor model through HsTrapHandler.

import type { PhysicalMemory } from '../../machine/memory';
import type { CpuCore, RunExit } from '../cpu-core';
import { CAUSE } from './csr';
import type { CodeCache } from '../code-cache';
import { decode } from './decode';
import { Hart, type ReservationSet } from './hart';
import { prepare, type Prepared } from './interpreter';
import { Access } from './mmu';
import { Riscv64System, type SystemEvents } from './system';
import { cyclesForTicks, ticksAt } from './timebase';
import { transformedInstruction } from './transformed-insn';
import { translateBlock, type Block } from './translator';
import { delegatedToVs, enterHs, enterVs, pendingInterrupts, returnFromHs, selectInterrupt, wakesFromWfi, type TrapInfo } from './traps';

const BLOCK_SLOTS = 4096;
/** pc bits that pick a slot (pc is 2-byte aligned). */
const SLOT_MASK = (BLOCK_SLOTS - 1) << 1;

/** The hypervisor side: receives every trap taken into HS-mode. */
export interface HsTrapHandler {
  hsTrap(core: Riscv64Core, trap: TrapInfo): void;
}

export type { RunExit } from '../cpu-core';

/** The machine's cache of riscv64 blocks and decoded instructions. */
export type Riscv64CodeCache = CodeCache<Block, Prepared>;

export class Riscv64Core implements SystemEvents, CpuCore {
  readonly hart: Hart;
  readonly system: Riscv64System;
  /** In HS-mode: the hypervisor model owns the CPU until it returns to the guest. */
  inHypervisor = false;
  /** Blocks this hart has entered, direct-mapped by pc; valid for translationEpoch `mapEpoch`. */
  private readonly blocks: (Block | undefined)[] = new Array<Block | undefined>(BLOCK_SLOTS).fill(undefined);
  private mapEpoch = -1;
  private irqDirty = true;
  /** Cycle count at which a timer next fires. */
  private timerDeadline = Infinity;

  constructor(
    readonly id: number,
    memory: PhysicalMemory,
    reservations: ReservationSet,
    private readonly code: Riscv64CodeCache,
    private readonly breakpoints: ReadonlySet<number>,
    private readonly hs: HsTrapHandler,
  ) {
    this.hart = new Hart(id, memory, reservations);
    this.system = new Riscv64System(this);
    this.hart.sys = this.system;
    code.attach(this.hart);
  }

  /** Never set: every riscv64 trap that could recur without progress goes to the hypervisor model. */
  readonly stuckReason = '';

  /** The counters the scheduler reads: the hart itself. */
  get state(): Hart {
    return this.hart;
  }

  // ---- SystemEvents -----------------------------------------------------------

  interruptsChanged(): void {
    this.irqDirty = true;
    this.hart.stopAt = 0;
  }
  waitForInterrupt(): void {
    this.hart.wfi = true;
    this.irqDirty = true;
    this.hart.stopAt = 0;
  }
  translationChanged(): void {
    this.hart.flushTlb();
    this.hart.stopAt = 0;
  }
  timerChanged(): void {
    this.irqDirty = true;
    this.hart.stopAt = 0;
  }

  /** A device drives an interrupt line of this hart (hip bit `bit`). */
  setIrqLine(bit: number, level: boolean): void {
    const h = this.hart;
    const before = h.deviceIrqs;
    h.deviceIrqs = level ? before | (1 << bit) : before & ~(1 << bit);
    if (h.deviceIrqs !== before) this.interruptsChanged();
  }


  /** Next cycle count at which a timer interrupt becomes pending (Infinity if none is armed). */
  get nextTimerCycle(): number {
    if (this.irqDirty) this.evaluateInterrupts();
    return this.timerDeadline;
  }

  // ---- running ----------------------------------------------------------------

  /**
   * Run until instret reaches `limit`, the hart sleeps in WFI, it enters the
   * hypervisor and stays there, or a breakpoint is reached. A breakpoint at `resumeFrom` is not reported when execution
   * starts there (the user is continuing from it).
   */
  run(limit: number, resumeFrom = NaN): RunExit {
    const h = this.hart;
    const blocks = this.blocks;
    const breakpoints = this.breakpoints;
    // A breakpoint at resumeFrom does not stop the CPU until it has executed something.
    const startInstret = h.instret;
    const stopsAt = (pc: number): boolean => breakpoints.size !== 0 && breakpoints.has(pc) && !(pc === resumeFrom && h.instret === startInstret);
    for (;;) {
      if (this.inHypervisor) return 'hypervisor';
      if (this.irqDirty || h.cycles >= this.timerDeadline) {
        this.evaluateInterrupts();
        if (this.inHypervisor) continue;
      }
      if (h.wfi) return 'wfi';
      if (h.instret >= limit) return 'limit';
      if (stopsAt(h.pc)) return 'breakpoint';
      if (h.translationEpoch !== this.mapEpoch) {
        blocks.fill(undefined);
        this.mapEpoch = h.translationEpoch;
      }
      // Anything that needs this loop's attention (an interrupt line, a CSR
      // write, WFI, a translation change) sets stopAt to 0.
      h.stopAt = Math.min(limit, this.timerDeadline - h.sleptCycles);
      // Fast path: chain translated blocks until one can't run or attention is needed.
      for (;;) {
        const pc = h.pc;
        let block = blocks[(pc & SLOT_MASK) >>> 1];
        if (block === undefined || block.va !== pc || !block.valid) {
          // A single step never pays for translating a block.
          if (h.stopAt - h.instret <= 1) break;
          block = this.findBlock(pc);
          if (block === undefined) break;
        }
        if (block.length > h.stopAt - h.instret) break;
        block.run(h, h.x);
        if (h.fault !== 0 || h.instret >= h.stopAt) break;
        if (stopsAt(h.pc)) break;
      }
      if (h.fault !== 0) {
        this.handleFault();
        continue;
      }
      if (h.stopAt === 0 || h.instret >= h.stopAt || h.translationEpoch !== this.mapEpoch) continue;
      if (stopsAt(h.pc)) continue;
      // The next instruction cannot run as a block (untranslatable, or the
      // budget ends inside the block): interpret one instruction.
      this.interpretOne();
      if (h.fault !== 0) this.handleFault();
    }
  }

  /** Execute exactly one instruction (or take one pending interrupt first, as hardware would). */
  step(): RunExit {
    return this.run(this.hart.instret + 1, this.hart.pc);
  }

  /** Add time spent asleep (the scheduler's way of letting time pass in WFI). */
  sleep(cycles: number): void {
    const h = this.hart;
    if (h.wfi) {
      // A hart in WFI sleeps no further than its next timer deadline, where it wakes.
      if (this.irqDirty || h.cycles >= this.timerDeadline) this.evaluateInterrupts();
      if (!h.wfi) return;
      cycles = Math.min(cycles, Math.max(0, this.timerDeadline - h.cycles));
    }
    h.sleptCycles += cycles;
    if (h.cycles >= this.timerDeadline) this.irqDirty = true;
  }

  /** Re-evaluate interrupts for a sleeping hart; true if it woke. */
  wakeCheck(): boolean {
    if (this.irqDirty || this.hart.cycles >= this.timerDeadline) this.evaluateInterrupts();
    return !this.hart.wfi;
  }

  /** The hypervisor finished handling a trap: sret back into the guest at sepc. */
  returnToGuest(): void {
    returnFromHs(this.hart);
    this.inHypervisor = false;
    this.irqDirty = true;
  }

  // ---- internals ----------------------------------------------------------------

  private findBlock(pc: number): Block | undefined {
    const h = this.hart;
    const ram = h.memory.ram;
    const vpn = Math.floor(pc / 4096);
    const i = vpn & 255;
    let offset: number;
    if (h.fetchTag[i] === vpn) {
      offset = h.fetchOff[i]! + (pc & 4095);
    } else {
      const pa = h.translateFor(pc, Access.execute);
      if (pa < 0 || !ram.contains(pa, 2)) return undefined;
      offset = pa - ram.base;
    }
    const pa = ram.base + offset;
    let block = this.code.lookup(pc, pa);
    if (block === undefined) {
      block = translateBlock(ram.u16, pc, pa, offset, (va) => this.breakpoints.has(va));
      if (block === undefined) return undefined;
      this.code.insert(block);
    }
    if (h.translationEpoch === this.mapEpoch) this.blocks[(pc & SLOT_MASK) >>> 1] = block;
    return block;
  }

  private fetchInstruction(pc: number): number {
    const h = this.hart;
    const low = h.fetch16(pc);
    if (low < 0 || (low & 3) !== 3) return low;
    const high = h.fetch16(pc + 2);
    return high < 0 ? -1 : (low | (high << 16)) >>> 0;
  }

  private interpretOne(): void {
    const h = this.hart;
    const pc = h.pc;
    const e = this.preparedAt(pc);
    if (e === undefined) return;
    const next = e.run(h, h.x, e, pc);
    if (h.fault) return;
    h.pc = next;
    h.instret++;
  }

  /** The decoded instruction at pc, from the cache when it is in RAM; undefined after raising a fault. */
  private preparedAt(pc: number): Prepared | undefined {
    const h = this.hart;
    const ram = h.memory.ram;
    const vpn = Math.floor(pc / 4096);
    const i = vpn & 255;
    const inPage = pc & 4095;
    let pa = -1;
    if (h.fetchTag[i] === vpn && inPage <= 4092) {
      pa = ram.base + h.fetchOff[i]! + inPage;
      const cached = this.code.preparedAt(pa);
      if (cached) return cached;
    }
    const raw = this.fetchInstruction(pc);
    if (raw < 0) return undefined;
    const d = decode(raw);
    if (!d) {
      h.raise(CAUSE.illegalInstruction, raw);
      return undefined;
    }
    const e = prepare(d);
    if (pa >= 0) this.code.storePrepared(pa, e);
    return e;
  }

  private handleFault(): void {
    const h = this.hart;
    const f = h.pendingFault;
    h.fault = 0;
    let htinst = f.htinst;
    if (htinst === 0 && (f.cause === CAUSE.loadGuestPageFault || f.cause === CAUSE.storeGuestPageFault)) {
      const raw = this.fetchInstruction(h.pc);
      h.fault = 0;
      const d = raw >= 0 ? decode(raw) : undefined;
      if (d) htinst = transformedInstruction(d);
    }
    this.takeTrap({ interrupt: false, cause: f.cause, tval: f.tval, gpa: f.gpa, htinst });
  }

  private takeTrap(trap: TrapInfo): void {
    const h = this.hart;
    h.wfi = false;
    if (delegatedToVs(h, trap)) {
      enterVs(h, trap);
      this.irqDirty = true;
      return;
    }
    enterHs(h, trap);
    this.inHypervisor = true;
    this.hs.hsTrap(this, trap);
  }

  private evaluateInterrupts(): void {
    const h = this.hart;
    this.irqDirty = false;
    const ticks = BigInt(ticksAt(h.cycles));
    const stce = h.henvcfg >> 63n === 1n;
    const vsFired = stce && ticks + h.htimedelta >= h.vstimecmp;
    const hsFired = ticks >= h.stimecmp;
    let deadline = Infinity;
    if (stce && !vsFired) deadline = cyclesForTicks(h.vstimecmp - h.htimedelta);
    if (!hsFired) deadline = Math.min(deadline, cyclesForTicks(h.stimecmp));
    this.timerDeadline = deadline;
    const pending = pendingInterrupts(h, vsFired, hsFired);
    if (h.wfi) {
      if (!wakesFromWfi(h, pending)) return;
      h.wfi = false;
    }
    const bit = selectInterrupt(h, pending);
    if (bit >= 0) this.takeTrap({ interrupt: true, cause: bit, tval: 0, gpa: 0, htinst: 0 });
  }
}
