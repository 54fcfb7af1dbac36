// Run control's view of an A64 instruction: always 4 bytes, and a call when
// it is an unconditional branch whose semantics write the link register
// (BL, BLR). The rows that do are found by generating each branch row's
// code once and watching which registers it writes, so the table and its
// semantics stay the only description.

import { decode } from '../isa/aarch64/decode';
import { kindOf, semantics } from '../isa/aarch64/semantics';
import type { Operands } from '../isa/aarch64/fragment';
import type { Row } from '../isa/aarch64/table';
import type { InstructionFlow } from './target';

const linksByRow = new Map<string, boolean>();

/** Whether the row's code writes x30 through the `lr` operand. */
function writesLink(row: Row): boolean {
  let links = linksByRow.get(row.id);
  if (links === undefined) {
    links = false;
    const probe: Operands = {
      lo: () => '0', hi: () => '0', k: () => '0', known: () => 0, pc: '0', npc: '4', fault: '', insn: '',
      set: (r) => {
        if (r === 'lr') links = true;
        return '';
      },
    };
    semantics(row).body(probe);
    linksByRow.set(row.id, links);
  }
  return links;
}

export function aarch64Flow(bytes: readonly (number | undefined)[]): InstructionFlow | undefined {
  if (bytes.length < 4 || bytes.slice(0, 4).some((b) => b === undefined)) return undefined;
  const d = decode((bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0);
  if (!d) return undefined;
  const kind = kindOf(d.row, d.values);
  return { size: 4, call: (kind === 'jump' || kind === 'indirect') && writesLink(d.row) };
}
