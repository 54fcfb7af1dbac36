// htinst for guest-page faults on explicit loads and stores: the "transformed
// instruction", i.e. the trapping load/store with its address fields zeroed
// and, for a compressed original, its 32-bit equivalent with bit 1 cleared.

import type { Decoded } from './decode';

const LOAD_F3: Readonly<Record<string, number>> = { lb: 0, lh: 1, lw: 2, ld: 3, lbu: 4, lhu: 5, lwu: 6 };
const STORE_F3: Readonly<Record<string, number>> = { sb: 0, sh: 1, sw: 2, sd: 3 };

export function transformedInstruction(d: Decoded): number {
  let insn: number;
  const lf3 = LOAD_F3[d.op];
  const sf3 = STORE_F3[d.op];
  if (lf3 !== undefined) insn = 0x03 | (lf3 << 12) | (d.rd << 7);
  else if (sf3 !== undefined) insn = 0x23 | (sf3 << 12) | (d.rs2 << 20);
  else if (d.size === 4 && (d.raw & 0x7f) === 0x2f) insn = d.raw & ~(0x1f << 15);
  else return 0;
  return (d.size === 2 ? insn & ~2 : insn) >>> 0;
}
