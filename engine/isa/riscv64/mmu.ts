// Two-stage address translation for a hart running with V=1: the guest's
// VS-stage (vsatp: Bare, Sv39, Sv48) and then the zone's G-stage (hgatp: Bare,
// Sv39x4, Sv48x4). A/D bits are set by hardware, as QEMU does. Faults report
// the cause, stval, and for guest-page faults htval (GPA >> 2) and htinst.

import { ATP_MODE, CAUSE } from './csr';
import type { PhysicalMemory } from '../../machine/memory';
import type { LeafCache } from '../leaf-cache';

export const enum Access { read = 0, write = 1, execute = 2 }

/** Pseudo-instructions written to htinst for faults on implicit VS-stage PTE accesses. */
const HTINST_PTE_READ = 0x3000;
const HTINST_PTE_WRITE = 0x3020;

export interface TranslationContext {
  readonly memory: PhysicalMemory;
  /** False for debugger look-ups: walk without setting A/D bits. */
  readonly updatesAccessed?: boolean;
  /** VS-mode (1) or VU-mode (0). */
  priv: number;
  vsatp: bigint;
  hgatp: bigint;
  vsstatus: bigint;
  sstatus: bigint;
  /** The hart's G-stage leaves, when it keeps them. */
  readonly gStageCache?: GStageCache;
}

/** A G-stage leaf as a walk found it, for one 4 KiB guest-physical page: the page's address and the PTE's low word. */
export interface GStagePage {
  readonly pa: number;
  readonly lo: number;
}

/** The G-stage leaves a hart keeps. */
export type GStageCache = LeafCache<GStagePage>;

/** Whether a G-stage leaf's permissions allow the access (an implicit PTE access reads, or writes A/D). */
function gStagePermits(lo: number, effectiveWrite: boolean, implicitWrite: boolean | undefined, access: Access, sstatus: bigint): boolean {
  if (effectiveWrite) return (lo & PTE_W) !== 0;
  if (implicitWrite === false || access !== Access.execute) return (lo & PTE_R) !== 0 || (((sstatus >> 19n) & 1n) !== 0n && (lo & PTE_X) !== 0);
  return (lo & PTE_X) !== 0;
}

export interface TranslationFault {
  cause: number;
  tval: number;
  /** Guest physical address for guest-page faults (htval = gpa >> 2), else 0. */
  gpa: number;
  /** Non-zero for implicit accesses (the pseudo-instruction); explicit accesses fill it in later. */
  htinst: number;
}

const PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_A = 64, PTE_D = 128;

function pageFault(access: Access): number {
  return access === Access.execute ? CAUSE.instructionPageFault : access === Access.write ? CAUSE.storePageFault : CAUSE.loadPageFault;
}
function guestPageFault(access: Access): number {
  return access === Access.execute ? CAUSE.instructionGuestPageFault : access === Access.write ? CAUSE.storeGuestPageFault : CAUSE.loadGuestPageFault;
}
function accessFault(access: Access): number {
  return access === Access.execute ? CAUSE.instructionAccessFault : access === Access.write ? CAUSE.storeAccessFault : CAUSE.loadAccessFault;
}

/** Reads a PTE as [low word, high word]; undefined if the address is not RAM. */
function readPte(memory: PhysicalMemory, pa: number): [number, number] | undefined {
  const ram = memory.ram;
  if (pa % 8 !== 0 || !ram.contains(pa, 8)) return undefined;
  const i = (pa - ram.base) >>> 2;
  return [ram.i32[i]!, ram.i32[i + 1]!];
}

function writePteLow(memory: PhysicalMemory, pa: number, low: number): void {
  const ram = memory.ram;
  const off = pa - ram.base;
  ram.i32[off >>> 2] = low;
  memory.noteRamWrite(off, 4);
}

/** PPN of a PTE (bits 53:10) as a number of pages. */
function ptePpn(lo: number, hi: number): number {
  return (hi & 0x3fffff) * 4194304 + (lo >>> 10);
}

export type Result = number | TranslationFault;

/**
 * G-stage: guest physical to host physical. `access` is the access type the
 * fault reports; `implicit` marks a VS-stage PTE access.
 */
function gStage(ctx: TranslationContext, gpa: number, access: Access, va: number, implicitWrite: boolean | undefined): Result {
  const mode = Number(ctx.hgatp >> 60n);
  const fault = (): TranslationFault => ({
    cause: guestPageFault(access), tval: va, gpa,
    htinst: implicitWrite === undefined ? 0 : implicitWrite ? HTINST_PTE_WRITE : HTINST_PTE_READ,
  });
  if (mode === ATP_MODE.bare) return gpa;
  const effectiveWrite = implicitWrite === true || (implicitWrite === undefined && access === Access.write);
  const page = Math.floor(gpa / 4096);
  const hit = ctx.gStageCache?.get(page);
  // A cached leaf answers accesses it permits with A (and D for a write) already set; anything else walks.
  if (hit !== undefined && (!effectiveWrite || (hit.lo & PTE_D) !== 0) && gStagePermits(hit.lo, effectiveWrite, implicitWrite, access, ctx.sstatus)) {
    return hit.pa + (gpa % 4096);
  }
  const levels = mode === ATP_MODE.sv39 ? 3 : mode === ATP_MODE.sv48 ? 4 : 0;
  if (levels === 0) return fault();
  const gpaBits = 12 + 9 * levels + 2;
  if (gpa < 0 || gpa >= 2 ** gpaBits) return fault();
  let table = Number(ctx.hgatp & 0xfff_ffff_ffffn) * 4096;
  for (let level = levels - 1; level >= 0; level--) {
    const shift = 12 + 9 * level;
    const width = level === levels - 1 ? 11 : 9;
    const index = Math.floor(gpa / 2 ** shift) & ((1 << width) - 1);
    const pteAddr = table + index * 8;
    const pte = readPte(ctx.memory, pteAddr);
    if (!pte) return { cause: accessFault(access), tval: va, gpa: 0, htinst: 0 };
    let [lo] = pte;
    const hi = pte[1];
    if (!(lo & PTE_V) || (!(lo & PTE_R) && lo & PTE_W) || hi >>> 22) return fault();
    if (lo & (PTE_R | PTE_X)) {
      if (!(lo & PTE_U)) return fault();
      if (!gStagePermits(lo, effectiveWrite, implicitWrite, access, ctx.sstatus)) return fault();
      const ppn = ptePpn(lo, hi);
      const pageSpan = 2 ** (9 * level);
      if (ppn % pageSpan !== 0) return fault();
      const wantD = effectiveWrite ? PTE_D : 0;
      if ((lo & (PTE_A | wantD)) !== (PTE_A | wantD) && ctx.updatesAccessed !== false) {
        lo |= PTE_A | wantD;
        writePteLow(ctx.memory, pteAddr, lo);
      }
      const pa = ppn * 4096 + (gpa % (pageSpan * 4096));
      if ((lo & PTE_A) !== 0) ctx.gStageCache?.set(page, { pa: pa - (gpa % 4096), lo });
      return pa;
    }
    if (level === 0) return fault();
    table = ptePpn(lo, hi) * 4096;
  }
  return fault();
}

/** Translate a guest virtual address for an explicit access (or an instruction fetch). */
export function translate(ctx: TranslationContext, va: number, access: Access): Result {
  const mode = Number(ctx.vsatp >> 60n);
  if (mode === ATP_MODE.bare) return gStage(ctx, va, access, va, undefined);
  const levels = mode === ATP_MODE.sv39 ? 3 : 4;
  const vaBits = 12 + 9 * levels;
  const limit = 2 ** (vaBits - 1);
  if (va < -limit || va >= limit) return { cause: pageFault(access), tval: va, gpa: 0, htinst: 0 };
  const vaU = va < 0 ? va + 2 ** vaBits : va;
  let table = Number(ctx.vsatp & 0xfff_ffff_ffffn) * 4096;
  for (let level = levels - 1; level >= 0; level--) {
    const shift = 12 + 9 * level;
    const index = Math.floor(vaU / 2 ** shift) & 511;
    const pteGpa = table + index * 8;
    const ptePa = gStage(ctx, pteGpa, access, va, false);
    if (typeof ptePa !== 'number') return ptePa;
    const pte = readPte(ctx.memory, ptePa);
    if (!pte) return { cause: accessFault(access), tval: va, gpa: 0, htinst: 0 };
    let [lo] = pte;
    const hi = pte[1];
    if (!(lo & PTE_V) || (!(lo & PTE_R) && lo & PTE_W) || hi >>> 22) return { cause: pageFault(access), tval: va, gpa: 0, htinst: 0 };
    if (lo & (PTE_R | PTE_X)) {
      const pf: TranslationFault = { cause: pageFault(access), tval: va, gpa: 0, htinst: 0 };
      const user = (lo & PTE_U) !== 0;
      if (ctx.priv === 0 && !user) return pf;
      if (ctx.priv === 1 && user && (access === Access.execute || !((ctx.vsstatus >> 18n) & 1n))) return pf;
      const mxr = ((ctx.vsstatus | ctx.sstatus) >> 19n) & 1n;
      const allowed = access === Access.write ? lo & PTE_W : access === Access.execute ? lo & PTE_X : lo & PTE_R || (mxr && lo & PTE_X);
      if (!allowed) return pf;
      const ppn = ptePpn(lo, hi);
      const pageSpan = 2 ** (9 * level);
      if (ppn % pageSpan !== 0) return pf;
      const wantD = access === Access.write ? PTE_D : 0;
      if ((lo & (PTE_A | wantD)) !== (PTE_A | wantD) && ctx.updatesAccessed !== false) {
        const writablePte = gStage(ctx, pteGpa, access, va, true);
        if (typeof writablePte !== 'number') return writablePte;
        lo |= PTE_A | wantD;
        writePteLow(ctx.memory, writablePte, lo);
      }
      const gpa = ppn * 4096 + (vaU % (pageSpan * 4096));
      return gStage(ctx, gpa, access, va, undefined);
    }
    if (level === 0) return { cause: pageFault(access), tval: va, gpa: 0, htinst: 0 };
    table = ptePpn(lo, hi) * 4096;
  }
  return { cause: pageFault(access), tval: va, gpa: 0, htinst: 0 };
}
