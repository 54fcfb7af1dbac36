// One aarch64 CPU as an EL1/EL0 guest sees it: x0..x30 and SP as 32-bit
// halves, the pc, PSTATE (NZCV as separate fields), the V registers, the
// system registers, and the software TLBs that give loads, stores and
// fetches their fast path into RAM. Exceptions raised while an instruction
// runs are recorded in `pending` and taken by the core afterwards.

import type { PhysicalMemory } from '../../machine/memory';
import { EC, FSC, ISS_S1PTW, ISS_WNR } from './exception-classes';
import type { ExclusiveMonitor } from './exclusive-monitor';
import { Access, translate, type TranslationFault, type TranslationRegs } from './mmu';
import type { Prepared } from './interpreter';
import { CPTR_TFP, HCR, SCTLR, SystemRegisters } from './system-registers';
import { PAGE_FRACTION, SoftwareTlb, TLB_MASK } from '../software-tlb';
import { LeafCache } from '../leaf-cache';
import { ARM_POLICY, FloatEnv } from '../float';

/** Executes the instructions that need more than registers and memory (system, exceptions). */
export interface SystemHooks {
  /** Returns the next pc. */
  execute(c: CpuState, insn: Prepared, pc: number): number;
}


const UNPRIVILEGED = { unprivileged: true } as const;

/** Slots of `x`: x0..x30 at 2r, the current SP, a zero register and a sink for writes to XZR. */
export const SP_SLOT = 62;
export const ZR_SLOT = 64;
export const SINK_SLOT = 66;

/** A synchronous exception raised by an instruction, taken by the core when it returns. */
export interface PendingException {
  ec: number;
  iss: number;
  /** 1: taken to EL1 through VBAR_EL1; 2: an exit to the hypervisor. */
  target: 1 | 2;
  /** The preferred return address is this instruction (0) or the next (4). */
  advance: 0 | 4;
  /** The faulting virtual address for FAR, or NaN. */
  far: number;
  /** Stage-2 aborts: the faulting IPA (HPFAR_EL2), else -1. */
  ipa: number;
  /** A data abort whose instruction syndrome the core fills in from the instruction. */
  dataAbort: boolean;
}

export class CpuState extends SoftwareTlb {
  /** x[2r] = low half, x[2r+1] = high half; see SP_SLOT, ZR_SLOT, SINK_SLOT. */
  readonly x = new Int32Array(68);
  /** V0..V31, four little-endian words each. */
  readonly v = new Int32Array(128);
  /** FPCR's rounding mode, FZ, DN and AHP as the FP instructions read them, and FPSR's cumulative exception flags. */
  readonly fpe = new FloatEnv(ARM_POLICY);
  /** Program counter: the signed 64-bit value as a JS number. */
  pc = 0;
  /** Exception level of the guest: the hypervisor model is EL2. */
  el: 0 | 1 = 1;
  /** PSTATE.SPSel: at EL1, SP_EL1 (1) or SP_EL0 (0). */
  spsel = 1;
  nf = 0;
  zf = 0;
  cf = 0;
  vf = 0;
  /** PSTATE.{D,A,I,F} as bits 3..0. */
  daif = 0xf;
  /** PSTATE.IL: set by an illegal exception return. */
  il = 0;
  /** The event register WFE consumes: set by SEV (any CPU), SEVL and exception returns. */
  event = 0;
  /** The SP not currently in x[SP_SLOT]: SP_EL0 or SP_EL1 as halves. */
  private otherSpLo = 0;
  private otherSpHi = 0;
  /** Which SP x[SP_SLOT] holds: 0 = SP_EL0, 1 = SP_EL1. */
  private spBank = 1;

  instret = 0;
  sleptCycles = 0;
  wfi = false;

  /** Non-zero while an exception raised by the current instruction is pending. */
  fault = 0;
  readonly pending: PendingException = { ec: 0, iss: 0, target: 1, advance: 0, far: NaN, ipa: -1, dataAbort: false };

  readonly sr = new SystemRegisters();
  /** What the table walker reads; refreshed whenever one of its inputs changes. */
  readonly translation: TranslationRegs = { el: 1, sctlr: 0n, tcr: 0n, ttbr0: 0n, ttbr1: 0n, mair: 0n, hcr: 0n, vttbr: 0n, vtcr: 0n, stage2Cache: new LeafCache() };
  /** FP/SIMD accesses trap: 0 = no, 1 = to EL1 (CPACR_EL1.FPEN), 2 = to EL2 (CPTR_EL2.TFP). */
  fpTrap = 0;
  /** SCTLR_EL1.A: every unaligned access faults. */
  alignCheck = false;
  /** SCTLR_EL1.SA (EL1) or SA0 (EL0): SP-based accesses need a 16-byte aligned SP. */
  spAlignCheck = false;

  /** Whether the last successful `translateFor` found Device memory. */
  lastDevice = false;
  /** Set while an LDTR/STTR runs at EL1: translations check EL0's permissions and stay out of the TLBs. */
  private unprivileged = false;

  /** Set by the core that owns this state. */
  sys!: SystemHooks;
  /** Translated code leaves its self-loops once instret reaches this; 0 asks the core to look now. */
  stopAt = 0;

  constructor(readonly id: number, memory: PhysicalMemory, readonly monitor: ExclusiveMonitor) {
    super(memory, monitor);
    this.controlsChanged();
  }

  /** Local time in cycles: instructions retired plus time slept. */
  get cycles(): number {
    return this.instret + this.sleptCycles;
  }

  // ---- registers -----------------------------------------------------------------

  getX(r: number): bigint {
    return BigInt.asUintN(64, (BigInt(this.x[2 * r + 1]!) << 32n) | BigInt(this.x[2 * r]! >>> 0));
  }

  setX(r: number, value: bigint): void {
    if (r < 0 || r > 31) throw new RangeError(`x${r} is not a register`);
    if (r === 31) return;
    this.x[2 * r] = Number(BigInt.asIntN(32, value));
    this.x[2 * r + 1] = Number(BigInt.asIntN(32, value >> 32n));
  }

  /** The current SP. */
  getSp(): bigint {
    return this.getX(SP_SLOT / 2);
  }

  setSp(value: bigint): void {
    this.x[SP_SLOT] = Number(BigInt.asIntN(32, value));
    this.x[SP_SLOT + 1] = Number(BigInt.asIntN(32, value >> 32n));
  }

  /** SP_EL0 or SP_EL1, whichever is current or banked. */
  getBankedSp(el: 0 | 1): bigint {
    if (el === this.spBank) return this.getSp();
    return BigInt.asUintN(64, (BigInt(this.otherSpHi) << 32n) | BigInt(this.otherSpLo >>> 0));
  }

  setBankedSp(el: 0 | 1, value: bigint): void {
    if (el === this.spBank) this.setSp(value);
    else {
      this.otherSpLo = Number(BigInt.asIntN(32, value));
      this.otherSpHi = Number(BigInt.asIntN(32, value >> 32n));
    }
  }

  getPc(): bigint {
    return BigInt.asUintN(64, BigInt(this.pc));
  }

  setPc(value: bigint): void {
    this.pc = Number(BigInt.asIntN(64, value));
  }

  getV(r: number): bigint {
    let v = 0n;
    for (let k = 3; k >= 0; k--) v = (v << 32n) | BigInt(this.v[4 * r + k]! >>> 0);
    return v;
  }

  setV(r: number, value: bigint): void {
    for (let k = 0; k < 4; k++) this.v[4 * r + k] = Number(BigInt.asIntN(32, value >> BigInt(32 * k)));
  }

  /** PSTATE in SPSR format: NZCV, IL, DAIF and M[3:0] (EL0t 0, EL1t 4, EL1h 5). */
  getPstate(): bigint {
    const m = this.el === 0 ? 0 : 4 | this.spsel;
    const bits = (this.nf << 31) | (this.zf << 30) | (this.cf << 29) | (this.vf << 28) | (this.il << 20) | (this.daif << 6) | m;
    return BigInt(bits >>> 0);
  }

  /**
   * Set PSTATE from an SPSR-format value. Returns false (and changes nothing)
   * when M names no AArch64 EL0/EL1 mode.
   */
  setPstate(value: bigint): boolean {
    const v = Number(value & 0xffffffffn);
    const m = v & 0x1f;
    if (m !== 0 && m !== 4 && m !== 5) return false;
    this.nf = (v >>> 31) & 1;
    this.zf = (v >>> 30) & 1;
    this.cf = (v >>> 29) & 1;
    this.vf = (v >>> 28) & 1;
    this.il = (v >>> 20) & 1;
    this.daif = (v >>> 6) & 0xf;
    this.setMode(m === 0 ? 0 : 1, m & 1);
    return true;
  }

  /** Change EL and SPSel, banking the SP, and flush the TLBs when the EL changes (they hold its permission checks). */
  setMode(el: 0 | 1, spsel: number): void {
    const elChanged = el !== this.el;
    this.el = el;
    this.spsel = spsel;
    const bank = el === 0 || spsel === 0 ? 0 : 1;
    if (bank !== this.spBank) {
      const lo = this.x[SP_SLOT]!, hi = this.x[SP_SLOT + 1]!;
      this.x[SP_SLOT] = this.otherSpLo;
      this.x[SP_SLOT + 1] = this.otherSpHi;
      this.otherSpLo = lo;
      this.otherSpHi = hi;
      this.spBank = bank;
    }
    if (elChanged) {
      this.controlsChanged();
      this.flushTlb();
    }
  }

  /**
   * Recompute what the fast paths derive from control registers (SCTLR,
   * CPACR, CPTR, the translation registers). Call after any of them changes;
   * flush the TLBs too if translation may have changed.
   */
  controlsChanged(): void {
    const sr = this.sr;
    const t = this.translation;
    t.el = this.el;
    t.sctlr = sr.sctlr;
    t.tcr = sr.tcr;
    t.ttbr0 = sr.ttbr0;
    t.ttbr1 = sr.ttbr1;
    t.mair = sr.mair;
    t.hcr = sr.hcr;
    t.vttbr = sr.vttbr;
    t.vtcr = sr.vtcr;
    const fpen = Number((sr.cpacr >> 20n) & 3n);
    const el1Trap = fpen === 0 || fpen === 2 || (fpen === 1 && this.el === 0);
    this.fpTrap = el1Trap ? 1 : (sr.cptrEl2 & CPTR_TFP) !== 0n ? 2 : 0;
    this.alignCheck = (sr.sctlr & SCTLR.A) !== 0n;
    this.spAlignCheck = (sr.sctlr & (this.el === 0 ? SCTLR.SA0 : SCTLR.SA)) !== 0n;
  }

  get imo(): boolean {
    return (this.sr.hcr & HCR.IMO) !== 0n;
  }

  // ---- exceptions raised by instructions --------------------------------------------

  /** Record a synchronous exception of the current instruction. */
  raise(ec: number, iss: number, target: 1 | 2 = 1, advance: 0 | 4 = 0, far = NaN, ipa = -1, dataAbort = false): void {
    const p = this.pending;
    p.ec = ec; p.iss = iss; p.target = target; p.advance = advance; p.far = far; p.ipa = ipa; p.dataAbort = dataAbort;
    this.fault = 1;
  }

  undefinedInstruction(): void {
    this.raise(EC.unknown, 0);
  }

  /** A data abort at `va`: syndrome bits beyond DFSC/WnR/S1PTW come from the instruction. */
  dataAbort(va: number, fsc: number, write: boolean, stage: 1 | 2 = 1, ipa = -1, s1ptw = false): void {
    const iss = fsc | (write ? ISS_WNR : 0) | (s1ptw ? ISS_S1PTW : 0);
    if (stage === 2) this.raise(EC.dabtLower, iss, 2, 0, va, ipa, !s1ptw);
    else this.raise(this.el === 0 ? EC.dabtLower : EC.dabtSame, iss, 1, 0, va, -1, true);
  }

  alignmentFault(va: number, write: boolean): void {
    this.dataAbort(va, FSC.alignment, write);
  }

  private translationFault(f: TranslationFault, va: number, access: Access): void {
    if (access === Access.execute) {
      const iss = f.fsc | (f.s1ptw ? ISS_S1PTW : 0);
      if (f.stage === 2) this.raise(EC.iabtLower, iss, 2, 0, va, f.ipa);
      else this.raise(this.el === 0 ? EC.iabtLower : EC.iabtSame, f.fsc, 1, 0, va);
      return;
    }
    this.dataAbort(va, f.fsc, access === Access.write, f.stage, f.ipa, f.s1ptw);
  }

  // ---- translation ---------------------------------------------------------------------

  /** Physical address for `va`, filling the TLB when it is RAM; -1 after raising the fault. */
  translateFor(va: number, access: Access): number {
    const r = translate(this.memory, this.translation, va, access, this.unprivileged ? UNPRIVILEGED : undefined);
    if (!r.ok) {
      this.translationFault(r, va, access);
      return -1;
    }
    this.lastDevice = r.device;
    // Device-typed RAM is cached too: the fast paths only take aligned accesses, which Device allows.
    if (!this.unprivileged) this.fillTlb(va, r.pa, access);
    return r.pa;
  }

  // ---- unprivileged loads and stores (LDTR*, STTR*) ---------------------------------------

  /**
   * A load of `size` bytes as EL0 would make it: at EL1 it takes the slow path
   * with EL0's stage-1 permissions (the TLBs hold EL1's); at EL0 it is an
   * ordinary load. Zero-extended; an 8-byte load leaves the high word in hi32.
   */
  loadUnprivileged(a: number, size: 1 | 2 | 4 | 8): number {
    if (this.el === 0) return size === 1 ? this.lbu(a) : size === 2 ? this.lhu(a) : size === 4 ? this.lw(a) : this.ld(a);
    this.unprivileged = true;
    const v = size === 8 ? this.loadSlow8(a) : this.loadSlow(a, size);
    this.unprivileged = false;
    return size === 1 ? v & 0xff : size === 2 ? v & 0xffff : v;
  }

  /** A store of `size` bytes as EL0 would make it (see loadUnprivileged). */
  storeUnprivileged(a: number, size: 1 | 2 | 4 | 8, lo: number, hi: number): void {
    if (this.el === 0) {
      if (size === 1) this.sb(a, lo);
      else if (size === 2) this.sh(a, lo);
      else if (size === 4) this.sw(a, lo);
      else this.sd(a, lo, hi);
      return;
    }
    this.unprivileged = true;
    this.storeSlow(a, size, lo, hi);
    this.unprivileged = false;
  }

  // ---- loads and stores (fast path inline, slow path below) ------------------------------



  /** Unaligned accesses fault with SCTLR.A, and always to Device memory (checked after translation). */
  private misaligned(a: number, size: number): boolean {
    return (a & (size - 1)) !== 0;
  }

  protected loadSlow8(a: number): number {
    if (this.misaligned(a, 8) && this.alignCheck) {
      this.alignmentFault(a, false);
      return 0;
    }
    const lo = this.loadSlow(a, 4, 8);
    if (this.fault) return 0;
    const hi = this.loadSlow(a + 4, 4, 8, a);
    if (this.fault) return 0;
    this.hi32 = hi;
    return lo;
  }

  /**
   * Load of up to 4 bytes through translation, MMIO and misalignment
   * (part of a `whole`-byte access at `start`). Returns 0 after a fault.
   */
  loadSlow(a: number, size: 1 | 2 | 4, whole: number = size, start = a): number {
    const misaligned = this.misaligned(start, whole);
    if (misaligned && this.alignCheck) {
      this.alignmentFault(a, false);
      return 0;
    }
    if (this.misaligned(a, size) && Math.floor(a * PAGE_FRACTION) !== Math.floor((a + size - 1) * PAGE_FRACTION)) {
      let v = 0;
      for (let k = 0; k < size; k++) {
        const b = this.loadSlow(a + k, 1);
        if (this.fault) return 0;
        v |= (b & 0xff) << (8 * k);
      }
      return v;
    }
    const pa = this.translateFor(a, Access.read);
    if (pa < 0) return 0;
    if (misaligned && this.lastDevice) {
      this.alignmentFault(a, false);
      return 0;
    }
    const ram = this.memory.ram;
    if (ram.contains(pa, size)) {
      const o = pa - ram.base;
      let v = 0;
      for (let k = size - 1; k >= 0; k--) v = (v << 8) | this.u8[o + k]!;
      return v;
    }
    const value = this.memory.read(pa, size);
    if (value === undefined) {
      this.dataAbort(a, FSC.externalAbort, false);
      return 0;
    }
    return Number(value) | 0;
  }

  /** Store through translation, MMIO and misalignment. 8-byte values come as two halves. */
  storeSlow(a: number, size: 1 | 2 | 4 | 8, lo: number, hi: number): void {
    const misaligned = this.misaligned(a, size);
    if (misaligned && this.alignCheck) {
      this.alignmentFault(a, true);
      return;
    }
    const crosses = Math.floor(a * PAGE_FRACTION) !== Math.floor((a + size - 1) * PAGE_FRACTION);
    if (crosses) {
      // Translate both pages before writing anything, so a fault leaves memory untouched;
      // a fault on the second page reports its first byte.
      if (this.translateFor(a, Access.write) < 0) return;
      if (this.lastDevice) return this.alignmentFault(a, true);
      if (this.translateFor((Math.floor(a * PAGE_FRACTION) + 1) * 4096, Access.write) < 0) return;
      if (this.lastDevice) return this.alignmentFault(a, true);
      for (let k = 0; k < size; k++) {
        const byte = k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4));
        this.storeSlow(a + k, 1, byte & 0xff, 0);
      }
      return;
    }
    const pa = this.translateFor(a, Access.write);
    if (pa < 0) return;
    if (misaligned && this.lastDevice) return this.alignmentFault(a, true);
    const ram = this.memory.ram;
    if (ram.contains(pa, size)) {
      const o = pa - ram.base;
      if (this.monitor.count) this.monitor.clobber(pa, size);
      for (let k = 0; k < size; k++) this.u8[o + k] = k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4));
      this.memory.noteRamWrite(o, size);
      return;
    }
    const value = size === 8 ? (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0) : BigInt(lo >>> 0) & ((1n << BigInt(size * 8)) - 1n);
    if (!this.memory.write(pa, size, value)) this.dataAbort(a, FSC.externalAbort, true);
  }

  /**
   * The last page fetched from outside RAM (the fetch TLB holds RAM only): its
   * virtual page, physical base, and the translation epoch it was made in.
   */
  private deviceFetchPage = NaN;
  private deviceFetchPa = 0;
  private deviceFetchEpoch = -1;

  override flushTlbPage(va: number): void {
    super.flushTlbPage(va);
    if (Math.floor(va * PAGE_FRACTION) === this.deviceFetchPage) this.deviceFetchPage = NaN;
  }

  /** Whether `a` lies in the page last fetched from outside RAM, under the current translation. */
  inDeviceFetchPage(a: number): boolean {
    return Math.floor(a * PAGE_FRACTION) === this.deviceFetchPage && this.deviceFetchEpoch === this.translationEpoch;
  }

  /** Fetch the instruction word at `a` (4-byte aligned); -1 after raising the abort. */
  fetch32(a: number): number {
    const p = Math.floor(a * PAGE_FRACTION);
    const i = p & TLB_MASK;
    if (this.fetchTag[i] === p) return this.i32[(this.fetchOff[i]! + (a & 4095)) >>> 2]! >>> 0;
    if (p === this.deviceFetchPage && this.deviceFetchEpoch === this.translationEpoch) {
      const word = this.memory.fetch32(this.deviceFetchPa + (a & 4095));
      if (word !== undefined) return word;
    }
    const pa = this.translateFor(a, Access.execute);
    if (pa < 0) return -1;
    const ram = this.memory.ram;
    if (!ram.contains(pa, 4)) {
      // Code outside RAM (firmware in flash) is fetched word by word from its device.
      const word = this.memory.fetch32(pa);
      if (word !== undefined) {
        this.deviceFetchPage = p;
        this.deviceFetchPa = pa - (a & 4095);
        this.deviceFetchEpoch = this.translationEpoch;
        return word;
      }
      this.raise(this.el === 0 ? EC.iabtLower : EC.iabtSame, FSC.externalAbort, 1, 0, a);
      return -1;
    }
    return this.i32[(pa - ram.base) >>> 2]! >>> 0;
  }

  /** RAM byte offset for an access that must be RAM, aligned, and in one page (exclusives, atomics); -1 after a fault. */
  ramOffsetFor(a: number, size: number, access: Access): number {
    const write = access === Access.write;
    if (this.misaligned(a, size)) {
      this.alignmentFault(a, write);
      return -1;
    }
    const pa = this.translateFor(a, access);
    if (pa < 0) return -1;
    const ram = this.memory.ram;
    if (!ram.contains(pa, size)) {
      this.dataAbort(a, FSC.externalAbort, write);
      return -1;
    }
    return pa - ram.base;
  }
}
