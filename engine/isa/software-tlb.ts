// The software TLBs every CPU model keeps: for reads, writes and fetches, the
// RAM page each recently used virtual page maps to. Loads, stores and fetches
// look here first and go through the full translation only on a miss. Pages
// holding translated code never enter the write TLB, so a store to them takes
// the slow path that invalidates the code.

import type { PhysicalMemory } from '../machine/memory';

export const TLB_ENTRIES = 256;
export const TLB_MASK = TLB_ENTRIES - 1;
/** 1/4096: multiplying by it is exact and cheaper than dividing by the page size. */
export const PAGE_FRACTION = 1 / 4096;

/** Which TLB an access fills: the numbering both ISAs' `Access` enums use. */
const READ = 0;
const EXECUTE = 2;

/** What a store to RAM must tell: the LR reservations or exclusive monitors it may break. */
export interface StoreWatcher {
  /** How many are held; stores skip the check at 0. */
  readonly count: number;
  clobber(pa: number, size: number, writer: SoftwareTlb): void;
}

export abstract class SoftwareTlb {
  // tag = virtual page number (NaN = empty), off = RAM byte offset of the page.
  readonly readTag = new Float64Array(TLB_ENTRIES).fill(NaN);
  readonly readOff = new Float64Array(TLB_ENTRIES);
  readonly writeTag = new Float64Array(TLB_ENTRIES).fill(NaN);
  readonly writeOff = new Float64Array(TLB_ENTRIES);
  readonly fetchTag = new Float64Array(TLB_ENTRIES).fill(NaN);
  readonly fetchOff = new Float64Array(TLB_ENTRIES);
  /** Bumped on every flush; cached blocks and block maps compare against it. */
  translationEpoch = 0;
  protected readonly u8: Uint8Array;
  protected readonly u16: Uint16Array;
  protected readonly i32: Int32Array;
  protected readonly ramBase: number;

  /** The high word of the last 64-bit value a load or an arithmetic helper produced. */
  hi32 = 0;

  constructor(readonly memory: PhysicalMemory, private readonly watcher: StoreWatcher) {
    const ram = memory.ram;
    this.u8 = ram.u8;
    this.u16 = ram.u16;
    this.i32 = ram.i32;
    this.ramBase = ram.base;
  }

  flushTlb(): void {
    this.readTag.fill(NaN);
    this.writeTag.fill(NaN);
    this.fetchTag.fill(NaN);
    this.translationEpoch++;
  }

  /** Drop what the TLBs hold for the virtual page of `va`: a flush of one address (sfence.vma rs1, TLBI VA*). */
  flushTlbPage(va: number): void {
    const vpn = Math.floor(va * PAGE_FRACTION);
    const i = vpn & TLB_MASK;
    if (this.readTag[i] === vpn) this.readTag[i] = NaN;
    if (this.writeTag[i] === vpn) this.writeTag[i] = NaN;
    if (this.fetchTag[i] === vpn) this.fetchTag[i] = NaN;
  }

  /** Drop write-TLB entries for a RAM page that now holds translated code. */
  protectCodePage(pageOffset: number): void {
    for (let i = 0; i < TLB_ENTRIES; i++) if (this.writeOff[i] === pageOffset) this.writeTag[i] = NaN;
  }

  /** A load of up to 4 bytes through translation, devices and misalignment; 0 after raising a fault. */
  abstract loadSlow(a: number, size: 1 | 2 | 4): number;
  /** The same for 8 bytes: the low word, the high one in hi32. */
  protected abstract loadSlow8(a: number): number;
  /** A store through translation, devices and misalignment; 8-byte values come as two halves. */
  abstract storeSlow(a: number, size: 1 | 2 | 4 | 8, lo: number, hi: number): void;

  // Zero-extending loads: the fast path into RAM inline, the ISA's slow path on a miss.
  lbu(a: number): number {
    const p = Math.floor(a * PAGE_FRACTION);
    const i = p & TLB_MASK;
    if (this.readTag[i] === p) return this.u8[this.readOff[i]! + (a & 4095)]!;
    return this.loadSlow(a, 1) & 0xff;
  }
  lhu(a: number): number {
    const p = Math.floor(a * PAGE_FRACTION);
    const i = p & TLB_MASK;
    if (this.readTag[i] === p && (a & 1) === 0) return this.u16[(this.readOff[i]! + (a & 4095)) >>> 1]!;
    return this.loadSlow(a, 2) & 0xffff;
  }
  /** 32 bits, as a signed 32-bit number. */
  lw(a: number): number {
    const p = Math.floor(a * PAGE_FRACTION);
    const i = p & TLB_MASK;
    if (this.readTag[i] === p && (a & 3) === 0) return this.i32[(this.readOff[i]! + (a & 4095)) >>> 2]!;
    return this.loadSlow(a, 4) | 0;
  }

  /** 64-bit load: returns the low word and leaves the high word in hi32. */
  ld(a: number): number {
    const p = Math.floor(a * PAGE_FRACTION);
    const i = p & TLB_MASK;
    if (this.readTag[i] === p && (a & 7) === 0) {
      const j = (this.readOff[i]! + (a & 4095)) >>> 2;
      this.hi32 = this.i32[j + 1]!;
      return this.i32[j]!;
    }
    return this.loadSlow8(a);
  }

  // Stores: the fast path into RAM pages without code inline, breaking reservations it touches.
  sb(a: number, v: number): void {
    const p = Math.floor(a * PAGE_FRACTION);
    const i = p & TLB_MASK;
    if (this.writeTag[i] === p) {
      const o = this.writeOff[i]! + (a & 4095);
      if (this.watcher.count) this.watcher.clobber(this.ramBase + o, 1, this);
      this.u8[o] = v;
      return;
    }
    this.storeSlow(a, 1, v, 0);
  }
  sh(a: number, v: number): void {
    const p = Math.floor(a * PAGE_FRACTION);
    const i = p & TLB_MASK;
    if (this.writeTag[i] === p && (a & 1) === 0) {
      const o = this.writeOff[i]! + (a & 4095);
      if (this.watcher.count) this.watcher.clobber(this.ramBase + o, 2, this);
      this.u16[o >>> 1] = v;
      return;
    }
    this.storeSlow(a, 2, v, 0);
  }
  sw(a: number, v: number): void {
    const p = Math.floor(a * PAGE_FRACTION);
    const i = p & TLB_MASK;
    if (this.writeTag[i] === p && (a & 3) === 0) {
      const o = this.writeOff[i]! + (a & 4095);
      if (this.watcher.count) this.watcher.clobber(this.ramBase + o, 4, this);
      this.i32[o >>> 2] = v;
      return;
    }
    this.storeSlow(a, 4, v, 0);
  }
  sd(a: number, lo: number, hi: number): void {
    const p = Math.floor(a * PAGE_FRACTION);
    const i = p & TLB_MASK;
    if (this.writeTag[i] === p && (a & 7) === 0) {
      const o = this.writeOff[i]! + (a & 4095);
      if (this.watcher.count) this.watcher.clobber(this.ramBase + o, 8, this);
      this.i32[o >>> 2] = lo;
      this.i32[(o >>> 2) + 1] = hi;
      return;
    }
    this.storeSlow(a, 8, lo, hi);
  }

  /** Remember that `va`'s page maps physical `pa` for `access` (0 read, 1 write, 2 execute) when it is RAM. */
  protected fillTlb(va: number, pa: number, access: number): void {
    const ram = this.memory.ram;
    const pageOffset = Math.floor(pa * PAGE_FRACTION) * 4096 - ram.base;
    if (pageOffset < 0 || pageOffset >= ram.size) return;
    const vpn = Math.floor(va * PAGE_FRACTION);
    const i = vpn & TLB_MASK;
    if (access === READ) { this.readTag[i] = vpn; this.readOff[i] = pageOffset; }
    else if (access === EXECUTE) { this.fetchTag[i] = vpn; this.fetchOff[i] = pageOffset; }
    else if (!ram.codePages[pageOffset / 4096]) { this.writeTag[i] = vpn; this.writeOff[i] = pageOffset; }
  }
}
