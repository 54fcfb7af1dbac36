// Fragment addresses by iterative relaxation, reproducing gas's algorithm so
// that branch sizes come out exactly as gas chooses them. gas first sizes
// every variable part in one pass in which fragments not yet reached still
// read as address 0, then repeats passes until nothing changes; in each pass a
// fragment sees the new addresses of fragments before it and the previous
// pass's addresses of those after it. Where several consistent layouts exist
// this history decides which one gas picks, so it is kept as is.

import type { SymbolTable } from './symbols';
import type { Frag, Section } from './sections';

/** gas gives up long before this; a well-formed program settles in a few passes. */
const MAX_PASSES = 1000;

/** Padding that aligns `address` to `bytes`, or 0 if it would exceed `maxSkip`. */
export function alignPadding(address: number, bytes: number, maxSkip: number | undefined): number {
  const pad = (bytes - (address % bytes)) % bytes;
  return maxSkip !== undefined && pad > maxSkip ? 0 : pad;
}

function tailSize(frag: Frag, section: Section, symbols: SymbolTable): number {
  const tail = frag.tail;
  const end = frag.address + frag.fixedSize;
  switch (tail.kind) {
    case 'none':
      return 0;
    case 'space':
      return tail.size;
    case 'align':
      return alignPadding(end, tail.bytes, tail.maxSkip);
    case 'relax': {
      const sym = tail.target.symbol === undefined ? undefined : symbols.get(tail.target.symbol);
      const def = sym?.def;
      // gas sizes branches to weak symbols as if the target were elsewhere.
      if (def?.kind !== 'label' || def.section !== section || sym?.weak) return tail.policy.size(undefined);
      const target = def.frag.address + def.offset + Number(tail.target.addend);
      return tail.policy.size(target - end);
    }
  }
}

/** Assign section-relative addresses to every fragment; false if it never settles. */
export function relaxSection(section: Section, symbols: SymbolTable): boolean {
  const frags = section.frags;
  for (const frag of frags) frag.address = 0;
  let address = 0;
  for (const frag of frags) {
    frag.address = address;
    frag.tailSize = tailSize(frag, section, symbols);
    address += frag.fixedSize + frag.tailSize;
  }
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let stretch = 0;
    let changed = false;
    for (const frag of frags) {
      frag.address += stretch;
      const size = tailSize(frag, section, symbols);
      if (size !== frag.tailSize) {
        stretch += size - frag.tailSize;
        frag.tailSize = size;
        changed = true;
      }
    }
    if (!changed) return true;
  }
  return false;
}
