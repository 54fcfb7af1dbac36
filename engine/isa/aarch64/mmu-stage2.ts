// The stage-2 walk (IPA to PA) of the EL1&0 regime under VTCR_EL2/VTTBR_EL2,
// 4 KiB granule. Used for the final IPA of every access and for every
// stage-1 descriptor read (s1ptw).

import {
  Access, DESC_AF, DESC_TABLE, DESC_VALID, Fsc, LEVEL_BITS, PA_BITS_MAX, descriptorAddress, levelSpan, outputBits,
  readDescriptor, startLevelBits, tableBase, writeDescriptorLow,
  type TranslationFault, type TranslationOk,
} from './mmu-descriptor';
import type { PhysicalMemory } from '../../machine/memory';

const VTCR_HA = 1n << 21n;
const S2AP_READ = 1 << 6;
const S2AP_WRITE = 1 << 7;
/** XN[1], descriptor bit 54 (ARMv8.0 has no separate EL0/EL1 stage-2 execute control). */
const S2_XN_HI = 1 << 22;

/** At most 16 concatenated tables at the starting level: 9 + 4 index bits. */
const MAX_START_BITS = LEVEL_BITS + 4;

export function stage2Translate(
  memory: PhysicalMemory, vtcr: bigint, vttbr: bigint, ipa: number, access: Access, s1ptw: boolean, setFlags: boolean,
): TranslationOk | TranslationFault {
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
    const allowed = access === Access.read ? (lo & S2AP_READ) !== 0
      : access === Access.write ? (lo & S2AP_WRITE) !== 0
      : (hi & S2_XN_HI) === 0;
    if (!allowed) return fault(Fsc.permission, level);
    if (!(lo & DESC_AF) && setFlags) writeDescriptorLow(memory, entry, lo | DESC_AF);
    // MemAttr[3:2] = 0b00 is Device memory.
    return { ok: true, pa: base + (ipa % span), device: ((lo >>> 4) & 3) === 0 };
  }
}
