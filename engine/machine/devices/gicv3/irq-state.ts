// Per-INTID state of the GIC: SGIs and PPIs are banked per CPU (held by the
// redistributors), SPIs are shared (held by the distributor). Both MMIO views
// and the CPU interfaces work on this one store.

import { GIC_INTERNAL, GIC_NUM_INTIDS } from './registers';

/** One bank of interrupt state, indexed by INTID. */
export class IrqBank {
  readonly enabled: Uint8Array;
  /** The latch set by an edge or ISPENDR; a level input is pending through `level` as well. */
  readonly pending: Uint8Array;
  readonly active: Uint8Array;
  readonly level: Uint8Array;
  readonly edge: Uint8Array;
  readonly group: Uint8Array;
  readonly priority: Uint8Array;

  constructor(readonly size: number) {
    this.enabled = new Uint8Array(size);
    this.pending = new Uint8Array(size);
    this.active = new Uint8Array(size);
    this.level = new Uint8Array(size);
    this.edge = new Uint8Array(size);
    this.group = new Uint8Array(size);
    this.priority = new Uint8Array(size);
  }

  /** Input levels are wires from outside and survive a reset. */
  reset(group1: boolean, sgisEdge: boolean): void {
    for (const a of [this.enabled, this.pending, this.active, this.edge, this.priority]) a.fill(0);
    this.group.fill(group1 ? 1 : 0);
    // SGIs are always edge-triggered.
    if (sgisEdge) this.edge.fill(1, 0, 16);
  }

  /** Pending as the architecture sees it: the latch, or a level-sensitive input held high. */
  isPending(id: number): boolean {
    return this.pending[id] !== 0 || (this.edge[id] === 0 && this.level[id] !== 0);
  }
}

/** The 1-bit-per-INTID registers, by the field they show and the way a write changes it. */
export type BitRegister = 'group' | 'set-enable' | 'clear-enable' | 'set-pending' | 'clear-pending' | 'set-active' | 'clear-active';

/** Read 32 INTIDs' worth of a bit register starting at `base` (a multiple of 32). */
export function readBits(bank: IrqBank, reg: BitRegister, base: number): number {
  let word = 0;
  for (let i = 0; i < 32; i++) {
    const id = base + i;
    if (id >= bank.size || id >= GIC_NUM_INTIDS) break;
    let bit: boolean;
    switch (reg) {
      case 'group':
        bit = bank.group[id] !== 0;
        break;
      case 'set-enable':
      case 'clear-enable':
        bit = bank.enabled[id] !== 0;
        break;
      case 'set-pending':
      case 'clear-pending':
        bit = bank.isPending(id);
        break;
      default:
        bit = bank.active[id] !== 0;
    }
    if (bit) word |= 1 << i;
  }
  return word >>> 0;
}

/** Apply a write of `value` to the bits of `mask` (the bytes the access covered). */
export function writeBits(bank: IrqBank, reg: BitRegister, base: number, value: number, mask: number): void {
  for (let i = 0; i < 32; i++) {
    const id = base + i;
    if (id >= bank.size || id >= GIC_NUM_INTIDS) break;
    if (!((mask >>> i) & 1)) continue;
    const one = ((value >>> i) & 1) !== 0;
    switch (reg) {
      case 'group':
        bank.group[id] = one ? 1 : 0;
        break;
      case 'set-enable':
        if (one) bank.enabled[id] = 1;
        break;
      case 'clear-enable':
        if (one) bank.enabled[id] = 0;
        break;
      case 'set-pending':
        if (one) bank.pending[id] = 1;
        break;
      case 'clear-pending':
        // Only the latch clears: a level input still high keeps the interrupt pending.
        if (one) bank.pending[id] = 0;
        break;
      case 'set-active':
        if (one) bank.active[id] = 1;
        break;
      case 'clear-active':
        if (one) bank.active[id] = 0;
    }
  }
}

/** ICFGR: two bits per INTID from `base` (a multiple of 16); bit 1 of each pair is "edge". */
export function readConfig(bank: IrqBank, base: number): number {
  let word = 0;
  for (let i = 0; i < 16; i++) {
    const id = base + i;
    if (id >= bank.size || id >= GIC_NUM_INTIDS) break;
    if (bank.edge[id]) word |= 2 << (2 * i);
  }
  return word >>> 0;
}

export function writeConfig(bank: IrqBank, base: number, value: number, mask: number): void {
  for (let i = 0; i < 16; i++) {
    const id = base + i;
    // SGI configuration is fixed at edge.
    if (id < 16 || id >= bank.size || id >= GIC_NUM_INTIDS) continue;
    if (!((mask >>> (2 * i + 1)) & 1)) continue;
    bank.edge[id] = (value >>> (2 * i + 1)) & 1;
  }
}

/** Byte-lane helpers: the mask of the bytes an access of `size` at `offset` covers, and its value in place. */
export function laneMask(offset: number, size: 1 | 2 | 4): number {
  const bytes = size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
  return (bytes << (8 * (offset & 3))) >>> 0;
}

export function laneValue(offset: number, value: number, size: 1 | 2 | 4): number {
  return ((value & (size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff)) << (8 * (offset & 3))) >>> 0;
}

/** The whole-register value read back through an access of `size` at `offset`. */
export function laneRead(offset: number, word: number, size: 1 | 2 | 4): number {
  const shifted = word >>> (8 * (offset & 3));
  return size === 4 ? shifted >>> 0 : size === 2 ? shifted & 0xffff : shifted & 0xff;
}

export const isInternal = (id: number): boolean => id < GIC_INTERNAL;
