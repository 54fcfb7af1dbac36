// The stage-2 walk (IPA to PA) of the EL1&0 regime under VTCR_EL2/VTTBR_EL2,
// 4 KiB granule. Used for the final IPA of every access and for every
// stage-1 descriptor read (s1ptw).

import {
  Access, DESC_AF, DESC_TABLE, DESC_VALID, Fsc, LEVEL_BITS, PA_BITS_MAX, descriptorAddress, levelSpan, outputBits,
  readDescriptor, startLevelBits, tableBase, writeDescriptorLow,
  type TranslationFault, type TranslationOk,
} from './mmu-descriptor';
import type { PhysicalMemory } from '../../machine/memory';
import type { LeafCache } from '../leaf-cache';

const VTCR_HA = 1n << 21n;
const S2AP_READ = 1 << 6;
const S2AP_WRITE = 1 << 7;
/** XN[1], descriptor bit 54 (ARMv8.0 has no separate EL0/EL1 stage-2 execute control). */
const S2_XN_HI = 1 << 22;

/** At most 16 concatenated tables at the starting level: 9 + 4 index bits. */
const MAX_START_BITS = LEVEL_BITS + 4;

/** A stage-2 leaf as a walk found it, for one 4 KiB IPA page: the page's PA and the descriptor's words. */
export interface Stage2Page {
  readonly pa: number;
  readonly lo: number;
  readonly hi: number;
}

/** The stage-2 leaves a CPU keeps. */
export type Stage2Cache = LeafCache<Stage2Page>;

function permitted(lo: number, hi: number, access: Access): boolean {
  return access === Access.read ? (lo & S2AP_READ) !== 0 : access === Access.write ? (lo & S2AP_WRITE) !== 0 : (hi & S2_XN_HI) === 0;
}

export function stage2Translate(
  memory: PhysicalMemory, vtcr: bigint, vttbr: bigint, ipa: number, access: Access, s1ptw: boolean, setFlags: boolean, cache?: Stage2Cache,
): TranslationOk | TranslationFault {
  const page = Math.floor(ipa / 4096);
  const hit = cache?.get(page);
  // A cached leaf answers permitted accesses; anything else walks again, to report the fault exactly.
  if (hit !== undefined && permitted(hit.lo, hit.hi, access)) return { ok: true, pa: hit.pa + (ipa % 4096), device: ((hit.lo >>> 4) & 3) === 0 };
  const fault = (kind: number, level: number): TranslationFault => ({ ok: false, stage: 2, fsc: kind | level, ipa, s1ptw });
  const t0sz = Number(vtcr & 0x3fn);
  const sl0 = Number((vtcr >> 6n) & 3n);
  const tg0 = Number((vtcr >> 14n) & 3n);
  const inputBits = 64 - t0sz;
  const startLevel = 2 - sl0;
  const startBits = startLevelBits(inputBits, startLevel);
  // A misprogrammed VTCR_EL2 (16/64 KiB granules, which this core lacks, a
  // reserved SL0, or a start level inconsistent with T0SZ) faults at level 0.
  if (tg0 !== 0 || sl0 === 3 || inputBits > PA_BITS_MAX || startBits < 1 || startBits > MAX_START_BITS) return fault(Fsc.translation, 0);
  if (ipa < 0 || ipa >= 2 ** inputBits) return fault(Fsc.translation, 0);
  const oaLimit = 2 ** outputBits(Number((vtcr >> 16n) & 7n));
  let table = tableBase(vttbr, 2 ** (startBits + 3));
  if (table >= oaLimit) return fault(Fsc.addressSize, 0);
  for (let level = startLevel; ; level++) {
    const span = levelSpan(level);
    const entries = level === startLevel ? 2 ** startBits : 512;
    const entry = table + (Math.floor(ipa / span) % entries) * 8;
    const desc = readDescriptor(memory, entry);
    if (!desc) return fault(Fsc.walkExternalAbort, level);
    const [lo, hi] = desc;
    if (!(lo & DESC_VALID)) return fault(Fsc.translation, level);
    const isTable = (lo & DESC_TABLE) !== 0;
    // Blocks exist at levels 1 and 2 only; bits[1:0] = 01 at level 3 is reserved.
    if ((level === 0 && !isTable) || (level === 3 && !isTable)) return fault(Fsc.translation, level);
    const oa = descriptorAddress(lo, hi);
    if (isTable && level < 3) {
      if (oa >= oaLimit) return fault(Fsc.addressSize, level);
      table = oa;
      continue;
    }
    const base = oa - (oa % span);
    if (base >= oaLimit) return fault(Fsc.addressSize, level);
    // VTCR_EL2.HA: the walker sets the Access flag instead of faulting, once the access is permitted.
    if (!(lo & DESC_AF) && (vtcr & VTCR_HA) === 0n) return fault(Fsc.accessFlag, level);
    if (!permitted(lo, hi, access)) return fault(Fsc.permission, level);
    if (!(lo & DESC_AF) && setFlags) writeDescriptorLow(memory, entry, lo | DESC_AF);
    const pa = base + (ipa % span);
    if ((lo & DESC_AF) !== 0) cache?.set(page, { pa: pa - (ipa % 4096), lo, hi });
    // MemAttr[3:2] = 0b00 is Device memory.
    return { ok: true, pa, device: ((lo >>> 4) & 3) === 0 };
  }
}
