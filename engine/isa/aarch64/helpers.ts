// The helper functions that instruction fragments call as `h.*`.

import * as F from '../float';
import { div64, mulh, mulhs32, mulhu32, rbit32, rev32 } from './arith';
import { atomic, compareAndSwap, compareAndSwapPair, loadExclusive, loadExclusivePair, storeExclusive, storeExclusivePair, words } from './atomics';
import type { CpuState } from './cpu';
import { crc32 } from './crc32';
import { EC, ISS_COND_AL } from './exception-classes';
import { fpLanes } from './fp-lanes';
import { across, long, narrow, pairLong, pairwise, same } from './simd-drivers';
import { dupElement, dupGeneral, ext, insElement, insGeneral, moveToGeneral, permute, reverse, tableLookup } from './simd-moves';
import { laneOps } from './simd-ops';
import { clearScratch, commit, scratch, views } from './simd-lanes';
import { multiple, replicate, single } from './simd-structures';
import { aesMix, aesRound, pmull64, sha1h, sha1Rounds, sha1su0, sha1su1, sha256h, sha256su0, sha256su1 } from './simd-crypto';

/** Whether condition `cond` (0..15) holds for the current flags. */
function holds(c: CpuState, cond: number): boolean {
  let r: boolean;
  switch (cond >> 1) {
    case 0: r = c.zf === 1; break;
    case 1: r = c.cf === 1; break;
    case 2: r = c.nf === 1; break;
    case 3: r = c.vf === 1; break;
    case 4: r = c.cf === 1 && c.zf === 0; break;
    case 5: r = c.nf === c.vf; break;
    case 6: r = c.zf === 0 && c.nf === c.vf; break;
    default: return true;
  }
  return (cond & 1) === 1 ? !r : r;
}

/** FP/SIMD disabled: to EL1 by CPACR_EL1.FPEN, or to the hypervisor by CPTR_EL2.TFP. */
function fpTrap(c: CpuState): void {
  c.raise(EC.fpAccess, ISS_COND_AL, c.fpTrap === 2 ? 2 : 1);
}

function spAlignmentFault(c: CpuState): void {
  c.raise(EC.spAlignment, 0);
}

/** The Advanced SIMD lane helpers. */
/** Set bits of each byte value, for CNT. */
const pop8 = Uint8Array.from({ length: 256 }, (_, i) => i.toString(2).replace(/0/g, '').length);

const sv = {
  ops: laneOps, views, out: scratch.u, clear: clearScratch, commit, pop8, same, pairwise, long, narrow, across, pairLong,
  dupElement, dupGeneral, insGeneral, insElement, moveToGeneral, permute, ext, tableLookup, reverse, multiple, single, replicate,
  aesRound, aesMix, sha1Rounds, sha1h, sha1su0, sha1su1, sha256h, sha256su0, sha256su1, pmull64,
} as const;

export const helpers = {
  holds, mulhu32, mulhs32, mulh, div64, rbit32, rev32, fpTrap, spAlignmentFault,
  crc32, loadExclusive, storeExclusive, loadExclusivePair, storeExclusivePair, compareAndSwap, compareAndSwapPair, atomic, words, sv,
  /** The IEEE arithmetic of engine/isa/float, run in the CPU's environment c.fpe. */
  F,
  /** The lanes of the Advanced SIMD floating-point instructions. */
  fv: fpLanes,
} as const;
export type Helpers = typeof helpers;
