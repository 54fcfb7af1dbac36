// One riscv64 CPU of a machine: its hart and the hardware side of traps and
// interrupts; it runs by the loop both ISAs share (BlockCore). Traps that are
// not delegated to the guest are handed to the hypervisor model through
// HsTrapHandler.

import type { PhysicalMemory } from '../../machine/memory';
import { BlockCore } from '../block-core';
import { TLB_MASK } from '../software-tlb';
import type { CpuCore } from '../cpu-core';
import { CAUSE } from './csr';
import type { CodeCache } from '../code-cache';
import { decode } from './decode';
import { Hart, type ReservationSet } from './hart';
import { prepare, type Prepared } from './interpreter';
import { Riscv64System, type SystemEvents } from './system';
import { cyclesForTicks, ticksAt } from './timebase';
import { transformedInstruction } from './transformed-insn';
import { translateBlock, type Block } from './translator';
import { delegatedToVs, enterHs, enterVs, pendingInterrupts, returnFromHs, selectInterrupt, wakesFromWfi, type TrapInfo } from './traps';

/** The hypervisor side: receives every trap taken into HS-mode. */
export interface HsTrapHandler {
  hsTrap(core: Riscv64Core, trap: TrapInfo): void;
}

export type { RunExit } from '../cpu-core';

/** The machine's cache of riscv64 blocks and decoded instructions. */
export type Riscv64CodeCache = CodeCache<Block, Prepared>;

export class Riscv64Core extends BlockCore<Hart, Block, Prepared> implements SystemEvents, CpuCore {
  /** The hart: the same object as `state`, under its riscv64 name. */
  readonly hart: Hart;
  readonly system: Riscv64System;

  constructor(
    readonly id: number,
    memory: PhysicalMemory,
    reservations: ReservationSet,
    code: Riscv64CodeCache,
    breakpoints: ReadonlySet<number>,
    private readonly hs: HsTrapHandler,
  ) {
    super(new Hart(id, memory, reservations), code, breakpoints, 1);
    this.hart = this.state;
    this.system = new Riscv64System(this);
    this.hart.sys = this.system;
    code.attach(this.hart);
  }

  // ---- SystemEvents -----------------------------------------------------------

  translationChanged(): void {
    this.hart.flushTlb();
    this.hart.gStageCache.clear();
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

  /** The hypervisor finished handling a trap: sret back into the guest at sepc. */
  returnToGuest(): void {
    returnFromHs(this.hart);
    this.inHypervisor = false;
    this.irqDirty = true;
  }

  // ---- internals ----------------------------------------------------------------

  protected translate(pc: number, pa: number, offset: number, stopBefore: (va: number) => boolean): Block | undefined {
    return translateBlock(this.hart.memory.ram.u16, pc, pa, offset, stopBefore);
  }

  protected blockMayStartAt(): boolean {
    return true;
  }

  /** PSTATE.IL has no riscv64 counterpart. */
  protected takeDueException(): boolean {
    return false;
  }

  protected sizeOf(e: Prepared): number {
    return e.decoded.size;
  }

  protected describeStuck(): string {
    const h = this.hart;
    const hex = (v: bigint | number): string => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;
    return `CPU ${this.id} takes trap cause ${hex(h.vscause)} at ${hex(h.pc)} over and over without completing an instruction: ` +
      `its vector (vstvec ${hex(h.vstvec)}) faults too`;
  }

  private fetchInstruction(pc: number): number {
    const h = this.hart;
    const low = h.fetch16(pc);
    if (low < 0 || (low & 3) !== 3) return low;
    const high = h.fetch16(pc + 2);
    return high < 0 ? -1 : (low | (high << 16)) >>> 0;
  }

  /** The decoded instruction at pc, from the cache when it is in RAM; undefined after raising a fault. */
  protected preparedAt(pc: number): Prepared | undefined {
    const h = this.hart;
    const ram = h.memory.ram;
    const vpn = Math.floor(pc / 4096);
    const i = vpn & TLB_MASK;
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

  protected handleFault(): void {
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

  protected evaluateInterrupts(): void {
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
