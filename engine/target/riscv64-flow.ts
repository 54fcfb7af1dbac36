// Run control's view of a riscv64 instruction: its size (2 for RVC) and
// whether it is a call. A call is a jump that links (jal or jalr, their RVC
// forms included, as the semantics' kinds say) into x1 or x5: the registers
// the ISA's return-address-stack hints treat as links.

import { decode } from '../isa/riscv64/decode';
import { semanticsFor } from '../isa/riscv64/semantics';
import type { InstructionFlow } from './target';

/** ra and t0 (the alternate link register of millicode calls). */
const LINK_REGISTERS: ReadonlySet<number> = new Set([1, 5]);

export function riscv64Flow(bytes: readonly (number | undefined)[]): InstructionFlow | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === undefined || b1 === undefined) return undefined;
  const low = b0 | (b1 << 8);
  const wide = (low & 3) === 3;
  if (wide && (b2 === undefined || b3 === undefined)) return undefined;
  const d = decode(wide ? (low | (b2! << 16) | (b3! << 24)) >>> 0 : low);
  if (!d) return undefined;
  const kind = semanticsFor(d.op).kind;
  return { size: d.size, call: (kind === 'jump' || kind === 'indirect') && LINK_REGISTERS.has(d.rd) };
}
