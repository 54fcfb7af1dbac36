// The VMSAv8-64 translation of the EL1&0 regime as an ARMv8.0 core (Cortex-A57)
// performs it: stage 1 under SCTLR_EL1/TCR_EL1/TTBRn_EL1/MAIR_EL1, then stage 2
// under HCR_EL2.VM/VTCR_EL2/VTTBR_EL2, 4 KiB granule. Pure: the core calls it
// on software-TLB misses, the debugger for look-ups. There is no hardware
// Access flag management at stage 1 (TCR_EL1.HA is ARMv8.1), so `setFlags`
// only matters for stage 2 with VTCR_EL2.HA.

import { stage2Translate, type Stage2Cache } from './mmu-stage2';
import {
  Access, DESC_AF, DESC_TABLE, DESC_VALID, Fsc, PA_BITS_MAX, descriptorAddress, levelSpan, outputBits,
  readDescriptor, startLevelBits, tableBase,
  type TranslationFault, type TranslationOk,
} from './mmu-descriptor';
import type { PhysicalMemory } from '../../machine/memory';

export { Access, Fsc } from './mmu-descriptor';
export type { TranslationFault, TranslationOk } from './mmu-descriptor';

/** The *_EL1 registers plus HCR_EL2/VTTBR_EL2/VTCR_EL2. */
export interface TranslationRegs {
  el: 0 | 1; sctlr: bigint; tcr: bigint; ttbr0: bigint; ttbr1: bigint; mair: bigint; hcr: bigint; vttbr: bigint; vtcr: bigint;
  /** The CPU's stage-2 leaves, when it keeps them. */
  readonly stage2Cache?: Stage2Cache;
}

const SCTLR_M = 1n;
const SCTLR_WXN = 1n << 19n;
const HCR_VM = 1n;

/** Upper-attribute bits of a descriptor, as bits of its high word. */
const PXN = 1 << 21, UXN = 1 << 22;
const PXN_TABLE = 1 << 27, UXN_TABLE = 1 << 28, AP_TABLE_NO_EL0 = 1 << 29, AP_TABLE_RO = 1 << 30;
/** AP[1] (EL0 access) and AP[2] (read-only) in the low word. */
const AP_EL0 = 1 << 6, AP_RO = 1 << 7;

/** Supported TxSZ range for the 4 KiB granule; other values are CONSTRAINED UNPREDICTABLE and are clamped, as QEMU's ARMv8.0 cores do. */
const TSZ_MIN = 16, TSZ_MAX = 39;

interface Stage1Ok { readonly ipa: number; readonly device: boolean }

/**
 * Translate `va` (the 64-bit VA as a signed number, exact below 2^53 in
 * magnitude: high-half addresses are negative; a tagged address, top byte
 * neither 0x00 nor 0xff, cannot be held and faults as out of range) for `access`. `unprivileged`
 * checks EL0 permissions for an EL1 data access (LDTR/STTR); `setFlags: false`
 * walks without writing Access flags (debugger look-ups).
 */
export function translate(
  memory: PhysicalMemory, regs: TranslationRegs, va: number, access: Access,
  options?: { unprivileged?: boolean; setFlags?: boolean },
): TranslationOk | TranslationFault {
  const setFlags = options?.setFlags !== false;
  const stage2 = (regs.hcr & HCR_VM) !== 0n;
  let ipa: number;
  let device: boolean;
  if ((regs.sctlr & SCTLR_M) === 0n) {
    // Stage 1 disabled: flat, data accesses are Device-nGnRnE, fetches Normal.
    if (!(va >= 0 && va < 2 ** PA_BITS_MAX)) return stage1Fault(Fsc.addressSize, 0);
    ipa = va;
    device = access !== Access.execute;
  } else {
    const s1 = stage1(memory, regs, va, access, options?.unprivileged === true && regs.el === 1, stage2, setFlags);
    if ('ok' in s1) return s1;
    ipa = s1.ipa;
    device = s1.device;
  }
  if (!stage2) return { ok: true, pa: ipa, device };
  const s2 = stage2Translate(memory, regs.vtcr, regs.vttbr, ipa, access, false, setFlags, regs.stage2Cache);
  if (!s2.ok) return s2;
  return { ok: true, pa: s2.pa, device: device || s2.device };
}

function stage1Fault(kind: number, level: number): TranslationFault {
  return { ok: false, stage: 1, fsc: kind | level, ipa: 0, s1ptw: false };
}

function stage1(
  memory: PhysicalMemory, regs: TranslationRegs, va: number, access: Access, unprivileged: boolean, stage2: boolean, setFlags: boolean,
): Stage1Ok | TranslationFault {
  const tcr = regs.tcr;
  // Bit 55 selects TTBR1; a negative number has it set (and every bit above).
  const upper = va < 0;
  const tsz = Math.min(TSZ_MAX, Math.max(TSZ_MIN, Number((upper ? tcr >> 16n : tcr) & 0x3fn)));
  const disabled = ((upper ? tcr >> 23n : tcr >> 7n) & 1n) !== 0n;
  const granule = Number(((upper ? tcr >> 30n : tcr >> 14n) & 3n));
  const inputBits = 64 - tsz;
  const rangeSize = 2 ** inputBits;
  // Out of both VA ranges, a walk disabled by EPDn, or a 16/64 KiB granule
  // (not built into this core): translation fault at level 0.
  if (upper ? !(va >= -rangeSize) : !(va < rangeSize)) return stage1Fault(Fsc.translation, 0);
  if (disabled || granule !== (upper ? 0b10 : 0b00)) return stage1Fault(Fsc.translation, 0);
  const addr = upper ? va + rangeSize : va;
  const oaLimit = 2 ** outputBits(Number((tcr >> 32n) & 7n));
  const startLevel = 4 - Math.ceil((inputBits - 12) / 9);
  const startBits = startLevelBits(inputBits, startLevel);
  let table = tableBase(upper ? regs.ttbr1 : regs.ttbr0, 2 ** (startBits + 3));
  if (table >= oaLimit) return stage1Fault(Fsc.addressSize, 0);
  // APTable/UXNTable/PXNTable accumulate down the walk.
  let inherited = 0;
  for (let level = startLevel; ; level++) {
    const span = levelSpan(level);
    const entryIpa = table + (Math.floor(addr / span) % 512) * 8;
    let entry = entryIpa;
    if (stage2) {
      const s2 = stage2Translate(memory, regs.vtcr, regs.vttbr, entryIpa, Access.read, true, setFlags, regs.stage2Cache);
      if (!s2.ok) return s2;
      entry = s2.pa;
    }
    const desc = readDescriptor(memory, entry);
    if (!desc) return stage1Fault(Fsc.walkExternalAbort, level);
    const [lo, hi] = desc;
    if (!(lo & DESC_VALID)) return stage1Fault(Fsc.translation, level);
    const isTable = (lo & DESC_TABLE) !== 0;
    // Blocks exist at levels 1 and 2 only; bits[1:0] = 01 at level 3 is reserved.
    if ((level === 0 || level === 3) && !isTable) return stage1Fault(Fsc.translation, level);
    const oa = descriptorAddress(lo, hi);
    if (isTable && level < 3) {
      if (oa >= oaLimit) return stage1Fault(Fsc.addressSize, level);
      inherited |= hi;
      table = oa;
      continue;
    }
    const base = oa - (oa % span);
    if (base >= oaLimit) return stage1Fault(Fsc.addressSize, level);
    if (!(lo & DESC_AF)) return stage1Fault(Fsc.accessFlag, level);
    if (!permitted(regs, lo, hi, inherited, access, regs.el === 0 || (unprivileged && access !== Access.execute))) {
      return stage1Fault(Fsc.permission, level);
    }
    const attrIndex = (lo >>> 2) & 7;
    const attr = Number((regs.mair >> BigInt(8 * attrIndex)) & 0xffn);
    return { ipa: base + (addr % span), device: (attr & 0xf0) === 0 };
  }
}

/** Stage-1 access permissions of the EL1&0 regime (no PAN: EL1 data accesses to EL0 pages are allowed). */
function permitted(regs: TranslationRegs, lo: number, hi: number, inherited: number, access: Access, user: boolean): boolean {
  const el0Access = (lo & AP_EL0) !== 0 && !(inherited & AP_TABLE_NO_EL0);
  const readOnly = (lo & AP_RO) !== 0 || (inherited & AP_TABLE_RO) !== 0;
  if (access === Access.read) return !user || el0Access;
  if (access === Access.write) return !readOnly && (!user || el0Access);
  const wxn = (regs.sctlr & SCTLR_WXN) !== 0n;
  const el0Writable = el0Access && !readOnly;
  if (user) return !(hi & UXN) && !(inherited & UXN_TABLE) && !(wxn && el0Writable);
  // AArch64 treats any region writable at EL0 as PXN for EL1.
  return !(hi & PXN) && !(inherited & PXN_TABLE) && !el0Writable && !(wxn && !readOnly);
}
