// One aarch64 CPU of a machine: its state and the hardware side of
// exceptions and interrupts; it runs by the loop both ISAs share
// (BlockCore). Exceptions to EL1 go through VBAR_EL1; what
// EL2 owns (HVC, trapped SMC and system registers, stage-2 aborts, physical
// IRQs while HCR_EL2.IMO is set) is handed to the hypervisor model through
// El2Handler, with the syndrome in ESR_EL2, FAR_EL2 and HPFAR_EL2.

import type { GenericTimer } from '../../machine/devices/generic-timer';
import type { Gicv3 } from '../../machine/devices/gicv3/gic';
import type { PhysicalMemory } from '../../machine/memory';
import { BlockCore } from '../block-core';
import { TLB_MASK } from '../software-tlb';
import type { CpuCore } from '../cpu-core';
import type { CodeCache } from '../code-cache';
import { CpuState } from './cpu';
import { decode } from './decode';
import { EC, ESR_IL } from './exception-classes';
import type { ExclusiveMonitor } from './exclusive-monitor';
import { prepare, type Prepared } from './interpreter';
import { dataAbortSyndrome } from './syndrome';
import { allSysregs, sysreg, type SysregGroup } from './sysreg-file';
import { Aarch64System, type SystemHost } from './system';
import { HCR } from './system-registers';
import { MIDR_EL1 } from './id-registers';
import { cyclesForTicks } from './timebase';
import { translateBlock, type Block } from './translator';

/** VBAR_EL1 offsets: the source of the exception, then +0x80 for IRQ. */
const VECTOR_CURRENT_SP0 = 0x000;
const VECTOR_CURRENT_SPX = 0x200;
const VECTOR_LOWER_A64 = 0x400;
const VECTOR_IRQ = 0x80;
/** Why `run` returned. */
export type { RunExit } from '../cpu-core';

/** The machine's cache of A64 blocks and decoded instructions. */
export type Aarch64CodeCache = CodeCache<Block, Prepared>;

/** An exit to EL2; the syndrome is in ESR_EL2, FAR_EL2 and HPFAR_EL2. */
export interface El2Exit {
  readonly kind: 'sync' | 'irq';
}

/** The hypervisor side: receives every exception taken to EL2. */
export interface El2Handler {
  el2Exit(core: Aarch64Core, exit: El2Exit): void;
}

/** What a core shares with the rest of its board. */
export interface CoreBoard {
  readonly memory: PhysicalMemory;
  readonly code: Aarch64CodeCache;
  readonly breakpoints: ReadonlySet<number>;
  readonly monitor: ExclusiveMonitor;
  readonly gic: Gicv3;
  readonly timer: GenericTimer;
  /** Machine time in counter ticks. */
  now(): number;
  /** Every CPU flushes its TLBs (TLBI ...IS), or what they hold for the virtual page of `va`. */
  flushAllTlbs(va?: number): void;
  /** A CPU reprogrammed its timer: every CPU's next deadline (the earliest of all timers) may have moved. */
  timerChanged(): void;
  /** SEV: set every CPU's event register. */
  sendEvent(): void;
}

const u64 = (v: number): bigint => BigInt.asUintN(64, BigInt(v));

export class Aarch64Core extends BlockCore<CpuState, Block, Prepared> implements SystemHost, CpuCore {
  readonly mpidr: bigint;
  readonly gic: Gicv3;
  readonly timer: GenericTimer;
  /** Decoded instructions met outside the code cache's RAM pages, by instruction word. */
  private readonly byWord = new Map<number, Prepared>();
  private irqLine = false;
  private virqLine = false;

  constructor(
    readonly id: number,
    private readonly board: CoreBoard,
    private readonly el2: El2Handler,
  ) {
    super(new CpuState(id, board.memory, board.monitor), board.code, board.breakpoints, 2);
    this.gic = board.gic;
    this.timer = board.timer;
    this.state.sys = new Aarch64System(this);
    this.mpidr = (1n << 31n) | BigInt(board.gic.affinityOf(id) >>> 0);
    this.state.sr.vpidr = MIDR_EL1;
    this.state.sr.vmpidr = this.mpidr;
    board.code.attach(this.state);
  }

  // ---- lines and events -----------------------------------------------------------

  /** The GIC CPU interface's IRQ output. */
  setIrq(level: boolean): void {
    if (level !== this.irqLine) {
      this.irqLine = level;
      this.interruptsChanged();
    }
  }

  /** The GIC virtual interface's VIRQ output. */
  setVirq(level: boolean): void {
    if (level !== this.virqLine) {
      this.virqLine = level;
      this.interruptsChanged();
    }
  }

  get irqPending(): boolean {
    return this.irqLine;
  }

  get virqPending(): boolean {
    return this.virqLine || (this.state.sr.hcr & HCR.VI) !== 0n;
  }

  sendEvent(): void {
    this.board.sendEvent();
  }

  /** Translation changed (the model wrote VTTBR/HCR, or a TLBI): flush TLBs and block maps. */
  translationChanged(): void {
    this.state.controlsChanged();
    this.state.flushTlb();
    this.state.translation.stage2Cache?.clear();
    this.state.stopAt = 0;
  }

  timerChanged(): void {
    this.board.timerChanged();
  }

  flushAllTlbs(va?: number): void {
    this.board.flushAllTlbs(va);
  }

  /** The hypervisor finished: ERET from EL2 to ELR_EL2 with PSTATE from SPSR_EL2. */
  returnToGuest(): void {
    const c = this.state;
    if (!c.setPstate(c.sr.spsrEl2)) throw new RangeError(`SPSR_EL2 0x${c.sr.spsrEl2.toString(16)} names no EL0/EL1 AArch64 mode`);
    c.pc = Number(BigInt.asIntN(64, c.sr.elrEl2));
    c.monitor.release(this.id);
    // An exception return sets the event register, as from EL1.
    c.event = 1;
    this.inHypervisor = false;
    this.irqDirty = true;
  }

  // ---- registers, for the hypervisor model and the debugger ---------------------------

  getX(r: number): bigint {
    if (!Number.isInteger(r) || r < 0 || r > 30) throw new RangeError(`x${r} is not a register`);
    return this.state.getX(r);
  }
  setX(r: number, v: bigint): void {
    if (!Number.isInteger(r) || r < 0 || r > 30) throw new RangeError(`x${r} is not a register`);
    this.state.setX(r, v);
  }
  getSp(): bigint {
    return this.state.getSp();
  }
  setSp(v: bigint): void {
    this.state.setSp(v);
  }
  getPc(): bigint {
    return this.state.getPc();
  }
  setPc(v: bigint): void {
    this.state.setPc(v);
  }
  getPstate(): bigint {
    return this.state.getPstate();
  }
  setPstate(v: bigint): void {
    if (!this.state.setPstate(v)) throw new RangeError(`PSTATE 0x${v.toString(16)} names no EL0/EL1 AArch64 mode`);
    this.interruptsChanged();
  }
  getV(r: number): bigint {
    if (!Number.isInteger(r) || r < 0 || r > 31) throw new RangeError(`v${r} is not a register`);
    return this.state.getV(r);
  }
  setV(r: number, v: bigint): void {
    if (!Number.isInteger(r) || r < 0 || r > 31) throw new RangeError(`v${r} is not a register`);
    this.state.setV(r, BigInt.asUintN(128, v));
  }

  /** A system register as EL2 sees it (ICC_* are the physical interface); undefined for unknown or write-only names. */
  readSysreg(name: string): bigint | undefined {
    return sysreg(name)?.read?.(this);
  }

  /** Write a system register as EL2 would; false for unknown or read-only names. */
  writeSysreg(name: string, value: bigint): boolean {
    const write = sysreg(name)?.write;
    if (!write) return false;
    write(this, BigInt.asUintN(64, value));
    return true;
  }

  /** Registers worth showing: readable without side effects. */
  sysregNames(): readonly { name: string; group: SysregGroup }[] {
    const lrs = this.gic.vcpu(this.id).listRegisterCount;
    return allSysregs
      .filter((r) => r.listed && r.read !== undefined && !(r.name.startsWith('ich_lr') && Number(r.name.slice(6, -4)) >= lrs))
      .map((r) => ({ name: r.name, group: r.group }));
  }

  // ---- internals --------------------------------------------------------------------------

  protected translate(pc: number, pa: number, offset: number, stopBefore: (va: number) => boolean): Block | undefined {
    return translateBlock(this.state.memory.ram.i32, pc, pa, offset, stopBefore);
  }

  /** Aligned code in RAM: code outside RAM (firmware in flash) is interpreted, with no walk repeated for every instruction. */
  protected blockMayStartAt(pc: number): boolean {
    return (pc & 3) === 0 && !this.state.inDeviceFetchPage(pc);
  }

  /** PSTATE.IL set (an illegal exception return): the next instruction takes the Illegal State exception. */
  protected takeDueException(): boolean {
    const c = this.state;
    if (c.il === 0) return false;
    this.takeException(EC.illegalState, 0, c.pc, NaN, false);
    return true;
  }

  protected sizeOf(): number {
    return 4;
  }

  protected describeStuck(): string {
    const esr = this.readSysreg('esr_el1') ?? 0n;
    const hex = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;
    return `CPU ${this.id} takes exception class ${hex(esr >> 26n)} (ESR_EL1 ${hex(esr)}) at ${hex(this.getPc())} over and over ` +
      `without completing an instruction: its vector (VBAR_EL1 ${hex(this.readSysreg('vbar_el1') ?? 0n)}) faults too`;
  }

  /** The decoded instruction at pc, from the cache when it is in RAM; undefined after raising an exception. */
  protected preparedAt(pc: number): Prepared | undefined {
    const c = this.state;
    if ((pc & 3) !== 0) {
      c.raise(EC.pcAlignment, 0, 1, 0, pc);
      return undefined;
    }
    const ram = c.memory.ram;
    const vpn = Math.floor(pc / 4096);
    const i = vpn & TLB_MASK;
    let pa = -1;
    if (c.fetchTag[i] === vpn) {
      pa = ram.base + c.fetchOff[i]! + (pc & 4095);
      const cached = this.board.code.preparedAt(pa);
      if (cached) return cached;
    }
    const raw = c.fetch32(pc);
    if (raw < 0) return undefined;
    // Code the cache does not hold by address (firmware in flash) is kept by its word: a decoding depends on nothing else.
    const known = pa < 0 ? this.byWord.get(raw) : undefined;
    if (known) return known;
    const d = decode(raw);
    if (!d) {
      c.undefinedInstruction();
      return undefined;
    }
    const e = prepare(d);
    if (pa >= 0) this.board.code.storePrepared(pa, e);
    else this.byWord.set(raw, e);
    return e;
  }

  protected handleFault(): void {
    const c = this.state;
    const p = c.pending;
    c.fault = 0;
    // SVC and HVC complete: the exception returns to the next instruction.
    if (p.advance === 4) c.instret++;
    let iss = p.iss;
    // Only stage-2 aborts taken to EL2 carry the instruction syndrome (ISV = 1);
    // stage-1 aborts taken to EL1 report ISV = 0, as QEMU's CPUs do.
    if (p.dataAbort && p.target === 2) {
      const e = this.preparedAt(c.pc);
      c.fault = 0;
      if (e) iss |= dataAbortSyndrome(e.decoded);
    }
    const returnTo = c.pc + p.advance;
    if (p.target === 2) this.exitToHypervisor('sync', p.ec, iss, returnTo, p.far, p.ipa);
    else this.takeException(p.ec, iss, returnTo, p.far, false);
  }

  /** Take an exception to EL1 through VBAR_EL1 (a synchronous one with its syndrome, or an IRQ). */
  private takeException(ec: number, iss: number, returnTo: number, far: number, irq: boolean): void {
    const c = this.state;
    const sr = c.sr;
    const offset = c.el === 0 ? VECTOR_LOWER_A64 : c.spsel ? VECTOR_CURRENT_SPX : VECTOR_CURRENT_SP0;
    sr.spsr = c.getPstate();
    sr.elr = u64(returnTo);
    if (!irq) {
      sr.esr = BigInt(((ec << 26) | ESR_IL | iss) >>> 0);
      if (!Number.isNaN(far)) sr.far = u64(far);
    }
    c.il = 0;
    c.daif = 0xf;
    c.setMode(1, 1);
    c.pc = Number(BigInt.asIntN(64, sr.vbar)) + offset + (irq ? VECTOR_IRQ : 0);
    c.monitor.release(this.id);
    c.wfi = false;
    this.irqDirty = true;
  }

  /** Leave to the hypervisor: SPSR_EL2/ELR_EL2 saved, the syndrome recorded, then the handler runs. */
  private exitToHypervisor(kind: 'sync' | 'irq', ec: number, iss: number, returnTo: number, far: number, ipa: number): void {
    const c = this.state;
    const sr = c.sr;
    sr.spsrEl2 = c.getPstate();
    sr.elrEl2 = u64(returnTo);
    if (kind === 'sync') {
      sr.esrEl2 = BigInt(((ec << 26) | ESR_IL | iss) >>> 0);
      if (!Number.isNaN(far)) sr.farEl2 = u64(far);
      if (ipa >= 0) sr.hpfarEl2 = BigInt(Math.floor(ipa / 4096)) << 4n;
    }
    c.monitor.release(this.id);
    c.wfi = false;
    this.inHypervisor = true;
    this.el2.el2Exit(this, { kind });
  }

  protected evaluateInterrupts(): void {
    const c = this.state;
    this.irqDirty = false;
    const timer = this.board.timer;
    if (c.cycles >= this.timerDeadline) timer.update(this.board.now());
    const deadline = timer.nextDeadline();
    this.timerDeadline = deadline === undefined ? Infinity : cyclesForTicks(deadline);
    // Lines the timer update just raised reached us through setIrq and set irqDirty again.
    this.irqDirty = false;
    // At EL2 the hypervisor model decides; interrupts are looked at again when it returns.
    if (this.inHypervisor) return;
    const imo = c.imo;
    const irq = this.irqLine;
    const virq = imo && this.virqPending;
    if (c.wfi) {
      if (!irq && !virq) return;
      c.wfi = false;
    }
    const masked = (c.daif & 2) !== 0;
    if (irq && imo) this.exitToHypervisor('irq', 0, 0, c.pc, NaN, -1);
    else if ((irq || virq) && !masked) this.takeException(0, 0, c.pc, NaN, true);
  }
}

