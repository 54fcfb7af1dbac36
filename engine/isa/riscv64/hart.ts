// One riscv64 hart as the guest sees it under a hypervisor: x1..x31 and
// f0..f31 as 32-bit halves, the pc, fcsr, the VS/VU privilege, its CSRs, and the software TLBs that
// give loads, stores and fetches their fast path into RAM.

import { FloatEnv, RISCV_POLICY } from '../float';
import { CAUSE, FS, FS_SHIFT, HSTATUS, STATUS } from './csr';
import { Access, translate, type GStageCache, type TranslationFault } from './mmu';
import type { PhysicalMemory } from '../../machine/memory';
import type { Decoded } from './decode';
import { PAGE_FRACTION, SoftwareTlb, TLB_MASK } from '../software-tlb';
import { LeafCache } from '../leaf-cache';

/** Executes system instructions (CSR access, sret, wfi, fences, ecall); returns the next pc. */
export interface SystemHooks {
  execute(hart: Hart, insn: Decoded, pc: number, next: number): number;
}

/** Register slot that absorbs writes to x0 (x0 itself stays zero). */
export const ZERO_SINK = 64;

/** A pending synchronous exception raised by a memory helper or an instruction. */
export interface PendingFault {
  cause: number;
  tval: number;
  gpa: number;
  htinst: number;
}

export class Hart extends SoftwareTlb {
  /** x[2r] = low half, x[2r+1] = high half of register r; slots 64/65 absorb writes to x0. */
  readonly x = new Int32Array(66);
  /** f[2r] = low half, f[2r+1] = high half of f register r (a single is NaN-boxed: high half all ones). */
  readonly f = new Int32Array(64);
  /** fcsr.frm, the dynamic rounding mode (3 bits; 5..7 make dynamic-rm instructions illegal). */
  frm = 0;
  /** The IEEE environment: its flags are fcsr.fflags (NV DZ OF UF NX in bits 4:0), which operations accrue. */
  readonly fenv = new FloatEnv(RISCV_POLICY);
  /** Program counter: the signed 64-bit value as a JS number (exact below 2^53 in magnitude). */
  pc = 0;
  /** 1 = VS-mode, 0 = VU-mode. V is always 1: HS-mode is the hypervisor model. */
  priv = 1;
  /** G-stage leaves the walks found; the core clears them whenever translation may have changed beyond VS-stage. */
  readonly gStageCache: GStageCache = new LeafCache();
  /** Instructions retired. */
  instret = 0;
  /** Cycles spent asleep in WFI; time advances with instret + sleptCycles. */
  sleptCycles = 0;
  /** Set when the hart sleeps in WFI. */
  wfi = false;

  /** Non-zero while a memory helper has reported a fault (cause + 1). */
  fault = 0;
  readonly pendingFault: PendingFault = { cause: 0, tval: 0, gpa: 0, htinst: 0 };

  // FS of vsstatus and of the HS-level sstatus, kept as numbers because every
  // floating-point instruction checks them (either Off makes it illegal with V=1)
  // and marks both Dirty when it changes the FP state.
  vsFs: number = FS.off;
  sFs: number = FS.off;
  private vsstatusRest = STATUS.UXL64;
  private sstatusRest = STATUS.UXL64;
  // VS-level CSRs (what the guest sees as its s* CSRs).
  vstvec = 0n; vsscratch = 0n; vsepc = 0n; vscause = 0n; vstval = 0n; vsatp = 0n;
  vstimecmp = 0xffff_ffff_ffff_ffffn;
  // HS-level and hypervisor CSRs, written by the hypervisor model.
  sie = 0n; stvec = 0n; sscratch = 0n; sepc = 0n; scause = 0n; stval = 0n; satp = 0n;
  stimecmp = 0xffff_ffff_ffff_ffffn;
  scounteren = 0n; senvcfg = 0n;
  hstatus = HSTATUS.VSXL64;
  hedeleg = 0n; hideleg = 0n; hie = 0n; htimedelta = 0n; hcounteren = 0n; hgeie = 0n; henvcfg = 0n;
  htval = 0n; htinst = 0n; hvip = 0n; hgatp = 0n;
  /** Interrupt lines driven by devices: SSIP (ACLINT SSWI), SEIP (PLIC S-context). */
  deviceIrqs = 0;

  /** LR reservation: physical address, or -1. */
  reservation = -1;

  /** Bumped on every translation flush; cached blocks compare against it. */

  /** Set by the core that owns this hart. */
  sys!: SystemHooks;
  /** Translated code leaves its self-loops once instret reaches this. */
  stopAt = 0;

  constructor(readonly id: number, memory: PhysicalMemory, readonly reservations: ReservationSet) {
    super(memory, reservations);
  }

  // ---- status: FS lives apart, SD summarises it, XS is read-only zero ------------

  get vsstatus(): bigint {
    return withFs(this.vsstatusRest, this.vsFs);
  }
  set vsstatus(v: bigint) {
    this.vsFs = fsOf(v);
    this.vsstatusRest = v & ~(STATUS.FS | STATUS.XS | STATUS.SD);
  }
  get sstatus(): bigint {
    return withFs(this.sstatusRest, this.sFs);
  }
  set sstatus(v: bigint) {
    this.sFs = fsOf(v);
    this.sstatusRest = v & ~(STATUS.FS | STATUS.XS | STATUS.SD);
  }

  /** fcsr.fflags, the accrued exception flags. */
  get fflags(): number {
    return this.fenv.flags & FFLAGS_MASK;
  }
  set fflags(v: number) {
    this.fenv.flags = v & FFLAGS_MASK;
  }

  /** fcsr as the guest reads it: frm in bits 7:5, fflags in 4:0. */
  get fcsr(): number {
    return (this.frm << 5) | this.fflags;
  }

  // ---- registers -------------------------------------------------------------

  getReg(r: number): bigint {
    return BigInt.asUintN(64, (BigInt(this.x[2 * r + 1]!) << 32n) | BigInt(this.x[2 * r]! >>> 0));
  }

  setReg(r: number, value: bigint): void {
    if (r === 0) return;
    this.x[2 * r] = Number(BigInt.asIntN(32, value));
    this.x[2 * r + 1] = Number(BigInt.asIntN(32, value >> 32n));
  }

  /** f register r's 64 bits. */
  getFReg(r: number): bigint {
    return BigInt.asUintN(64, (BigInt(this.f[2 * r + 1]!) << 32n) | BigInt(this.f[2 * r]! >>> 0));
  }

  setFReg(r: number, value: bigint): void {
    this.f[2 * r] = Number(BigInt.asIntN(32, value));
    this.f[2 * r + 1] = Number(BigInt.asIntN(32, value >> 32n));
  }

  /** pc as an unsigned 64-bit value. */
  getPc(): bigint {
    return BigInt.asUintN(64, BigInt(this.pc));
  }

  setPc(value: bigint): void {
    this.pc = Number(BigInt.asIntN(64, value));
  }

  /** Which hgatp modes this hart implements (Bare, Sv39x4, Sv48x4). */
  supportsGStageMode(mode: number): boolean {
    return mode === 0 || mode === 8 || mode === 9;
  }

  /** Local time in cycles: the instruction count plus time slept. */
  get cycles(): number {
    return this.instret + this.sleptCycles;
  }

  // ---- translation -------------------------------------------------------------

  private raiseTranslation(f: TranslationFault): void {
    const p = this.pendingFault;
    p.cause = f.cause; p.tval = f.tval; p.gpa = f.gpa; p.htinst = f.htinst;
    this.fault = f.cause + 1;
  }

  raise(cause: number, tval: number): void {
    const p = this.pendingFault;
    p.cause = cause; p.tval = tval; p.gpa = 0; p.htinst = 0;
    this.fault = cause + 1;
  }

  /** Physical address for `va`, filling the TLB when it is RAM; -1 after raising a fault. */
  translateFor(va: number, access: Access): number {
    const r = translate(this, va, access);
    if (typeof r !== 'number') {
      this.raiseTranslation(r);
      return -1;
    }
    this.fillTlb(va, r, access);
    return r;
  }

  // ---- loads and stores (fast path inline, slow path below) --------------------

  lb(a: number): number {
    const p = Math.floor(a * PAGE_FRACTION);
    const i = p & TLB_MASK;
    if (this.readTag[i] === p) return (this.u8[this.readOff[i]! + (a & 4095)]! << 24) >> 24;
    return (this.loadSlow(a, 1) << 24) >> 24;
  }
  lh(a: number): number {
    const p = Math.floor(a * PAGE_FRACTION);
    const i = p & TLB_MASK;
    if (this.readTag[i] === p && (a & 1) === 0) return (this.u16[(this.readOff[i]! + (a & 4095)) >>> 1]! << 16) >> 16;
    return (this.loadSlow(a, 2) << 16) >> 16;
  }
  /** 8 bytes through the slow path as two words (each may be MMIO or cross a page). */
  protected loadSlow8(a: number): number {
    const lo = this.loadSlow(a, 4);
    if (this.fault) return 0;
    const hi = this.loadSlow(a + 4, 4);
    if (this.fault) return 0;
    this.hi32 = hi;
    return lo;
  }


  /** Load of up to 4 bytes through translation, MMIO and misalignment. Returns 0 after a fault. */
  loadSlow(a: number, size: 1 | 2 | 4): number {
    if ((a & (size - 1)) !== 0 && Math.floor(a * PAGE_FRACTION) !== Math.floor((a + size - 1) / 4096)) {
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
    const ram = this.memory.ram;
    if (ram.contains(pa, size)) {
      const o = pa - ram.base;
      let v = 0;
      for (let k = size - 1; k >= 0; k--) v = (v << 8) | this.u8[o + k]!;
      return v;
    }
    const value = this.memory.read(pa, size);
    if (value === undefined) {
      this.raise(CAUSE.loadAccessFault, a);
      return 0;
    }
    return Number(value) | 0;
  }

  /** Store through translation, MMIO and misalignment. 8-byte values come as two halves. */
  storeSlow(a: number, size: 1 | 2 | 4 | 8, lo: number, hi: number): void {
    const crosses = Math.floor(a * PAGE_FRACTION) !== Math.floor((a + size - 1) / 4096);
    if (crosses) {
      // Translate both pages before writing anything, so a fault leaves memory untouched.
      if (this.translateFor(a, Access.write) < 0 || this.translateFor(a + size - 1, Access.write) < 0) return;
      for (let k = 0; k < size; k++) {
        const byte = k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4));
        this.storeSlow(a + k, 1, byte & 0xff, 0);
      }
      return;
    }
    const pa = this.translateFor(a, Access.write);
    if (pa < 0) return;
    const ram = this.memory.ram;
    if (ram.contains(pa, size)) {
      const o = pa - ram.base;
      if (this.reservations.count) this.reservations.clobber(pa, size, this);
      for (let k = 0; k < size; k++) this.u8[o + k] = k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4));
      this.memory.noteRamWrite(o, size);
      return;
    }
    const value = size === 8 ? (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0) : BigInt(lo >>> 0) & ((1n << BigInt(size * 8)) - 1n);
    if (!this.memory.write(pa, size, value)) this.raise(CAUSE.storeAccessFault, a);
  }

  /** Fetch 16 bits for execution; -1 after a fault. */
  fetch16(a: number): number {
    const p = Math.floor(a * PAGE_FRACTION);
    const i = p & TLB_MASK;
    if (this.fetchTag[i] === p) return this.u16[(this.fetchOff[i]! + (a & 4095)) >>> 1]!;
    const pa = this.translateFor(a, Access.execute);
    if (pa < 0) return -1;
    const v = this.memory.read(pa, 2);
    if (v === undefined) {
      this.raise(CAUSE.instructionAccessFault, a);
      return -1;
    }
    return Number(v);
  }
}

const FFLAGS_MASK = 0x1f;
const fsOf = (status: bigint): number => Number((status & STATUS.FS) >> FS_SHIFT);
const withFs = (rest: bigint, fs: number): bigint => rest | (BigInt(fs) << FS_SHIFT) | (fs === FS.dirty ? STATUS.SD : 0n);

/**
 * LR reservations of all harts. A store by any hart to a reserved range breaks
 * the reservation; `count` lets stores skip the check when none are held.
 */
export class ReservationSet {
  count = 0;
  private readonly holders = new Set<Hart>();

  reserve(hart: Hart, pa: number): void {
    if (hart.reservation < 0) {
      this.holders.add(hart);
      this.count = this.holders.size;
    }
    hart.reservation = pa;
  }

  release(hart: Hart): void {
    if (hart.reservation >= 0) {
      hart.reservation = -1;
      this.holders.delete(hart);
      this.count = this.holders.size;
    }
  }

  /** A store of `size` bytes at `pa` by `writer`. */
  clobber(pa: number, size: number, writer: Hart): void {
    for (const h of this.holders) {
      if (h !== writer && h.reservation < pa + size && pa < h.reservation + 8) this.release(h);
    }
  }
}
