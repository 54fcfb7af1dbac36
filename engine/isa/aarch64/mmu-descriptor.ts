// VMSAv8-64 translation table descriptors with the 4 KiB granule, shared by
// the stage-1 and stage-2 walkers: reading them from RAM as two 32-bit halves
// (no BigInt on the walk), their output address, and the fault status codes.

import type { PhysicalMemory } from '../../machine/memory';

export const enum Access { read = 0, write = 1, execute = 2 }

export interface TranslationOk { readonly ok: true; readonly pa: number; readonly device: boolean }

/** `ipa` is the faulting IPA of a stage-2 fault (0 for stage-1 faults); `s1ptw` marks a stage-2 fault on a stage-1 descriptor read. */
export interface TranslationFault { readonly ok: false; readonly stage: 1 | 2; readonly fsc: number; readonly ipa: number; readonly s1ptw: boolean }

/** ESR_ELx DFSC/IFSC fault kinds; the level goes in the low two bits. */
export const Fsc = {
  addressSize: 0b000000,
  translation: 0b000100,
  accessFlag: 0b001000,
  permission: 0b001100,
  walkExternalAbort: 0b010100,
} as const;

/** This implementation's PARange (ID_AA64MMFR0_EL1.PARange = 0b0101, 48 bits). */
export const PA_BITS_MAX = 48;

const OUTPUT_BITS = [32, 36, 40, 42, 44, 48];

/** TCR_EL1.IPS / VTCR_EL2.PS to an address width; values above PARange behave as PARange. */
export function outputBits(ps: number): number {
  return OUTPUT_BITS[ps] ?? PA_BITS_MAX;
}

/** Descriptor bits in the low word. */
export const DESC_VALID = 1 << 0;
export const DESC_TABLE = 1 << 1;
export const DESC_AF = 1 << 10;

/** Entry size and index width of a 4 KiB-granule table. */
export const LEVEL_BITS = 9;

/** Bytes covered by one entry at `level` (0..3). */
export function levelSpan(level: number): number {
  return 2 ** (12 + LEVEL_BITS * (3 - level));
}

/** Address bits above the page offset that the starting table resolves, for an input of `inputBits`. */
export function startLevelBits(inputBits: number, startLevel: number): number {
  return inputBits - (12 + LEVEL_BITS * (3 - startLevel));
}

/** A descriptor as [bits 31:0, bits 63:32], or undefined when `pa` is not RAM (an external abort on the walk). */
export function readDescriptor(memory: PhysicalMemory, pa: number): [number, number] | undefined {
  const ram = memory.ram;
  if (!ram.contains(pa, 8)) return undefined;
  const i = (pa - ram.base) >>> 2;
  return [ram.i32[i]! >>> 0, ram.i32[i + 1]! >>> 0];
}

/** Rewrite the low word of a descriptor in RAM (hardware Access flag update). */
export function writeDescriptorLow(memory: PhysicalMemory, pa: number, low: number): void {
  const off = pa - memory.ram.base;
  memory.ram.i32[off >>> 2] = low;
  memory.noteRamWrite(off, 4);
}

/** Output address bits 47:12 of a descriptor. */
export function descriptorAddress(lo: number, hi: number): number {
  return (hi & 0xffff) * 2 ** 32 + (lo >>> 12) * 4096;
}

/** Translation table base address, bits 47:1 of TTBRn_EL1 / VTTBR_EL2, aligned down to the starting table's size. */
export function tableBase(ttbr: bigint, tableBytes: number): number {
  const base = Number(ttbr & 0xffff_ffff_fffen);
  return base - (base % Math.max(tableBytes, 8));
}
