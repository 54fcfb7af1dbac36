// The aarch64 stage-2 translation table (src/arch/aarch64/s2pt.rs over
// paging.rs), built in the hypervisor's own frames exactly as hvisor writes
// it: a one-frame root at level 1 (3 levels, 39-bit IPA) or level 0 (4
// levels), 1 GiB / 2 MiB blocks where alignment allows, leaves with VALID, AF
// and S2AP from READ/WRITE, MemAttr Normal WB inner-shareable for RAM and
// Device-nGnRE for IO. hvisor never sets XN, so EXECUTE changes nothing.

import { MemFlags } from '../../consts';
import type { FrameAllocator } from '../../frame';
import type { PhysicalMemory } from '../../../machine/memory';
import type { S2Leaf, Stage2Table } from '../hv-arch';

const VALID = 1n << 0n;
/** A table descriptor or a level-3 page (clear for 1 GiB / 2 MiB blocks). */
const NON_BLOCK = 1n << 1n;
const S2AP_R = 1n << 6n;
const S2AP_W = 1n << 7n;
const AF = 1n << 10n;
const XN = 1n << 54n;
const MEMATTR_MASK = 0b1111n << 2n;
/** MemAttr Normal, Outer and Inner Write-Back, with SH = 0b11 (inner shareable). */
const NORMAL = (0b1111n << 2n) | (1n << 8n) | (1n << 9n);
/** MemAttr Device-nGnRE. */
const DEVICE = 0b0001n << 2n;
const ADDRESS_MASK = 0xffff_ffff_f000n;

/** ID_AA64MMFR0_EL1.PARange encodings 0..5. */
const PARANGE_BITS = [32, 36, 40, 42, 44, 48];

const span = (level: number): number => 2 ** (12 + 9 * (3 - level));

/** Stage-2 levels hvisor uses for a PA size (is_s2_pt_level3). */
export function stage2LevelsFor(paBits: number): 3 | 4 {
  return paBits < 44 ? 3 : 4;
}

/** VTCR_EL2 as ArchCpu::activate_vmm writes it for the board's minimum PARange. */
export function vtcrFor(paBits: number): bigint {
  const ps = PARANGE_BITS.indexOf(paBits);
  if (ps < 0) throw new Error(`no PARange encoding for ${paBits} PA bits`);
  const levels = stage2LevelsFor(paBits);
  const t0sz = 64 - (levels === 3 ? 39 : paBits);
  const sl0 = levels === 3 ? 1 : 2;
  const wbRaWa = 0b01n;
  return BigInt(t0sz) | (BigInt(sl0) << 6n) | (wbRaWa << 8n) | (wbRaWa << 10n) | (0b11n << 12n) | (BigInt(ps) << 16n) | (1n << 21n);
}

export class Stage2PageTable implements Stage2Table {
  readonly root: number;

  constructor(private readonly memory: PhysicalMemory, private readonly frames: FrameAllocator, readonly levels: 3 | 4) {
    this.root = frames.alloc();
  }

  /** VTTBR_EL2 activating this table (VMID 0). */
  vttbr(): bigint {
    return BigInt(this.root);
  }

  /** VTCR_EL2 for this table on CPUs with `paBits` of physical address. */
  vtcr(paBits: number): bigint {
    if (stage2LevelsFor(paBits) !== this.levels) throw new Error(`a ${this.levels}-level stage-2 table cannot serve ${paBits} PA bits`);
    return vtcrFor(paBits);
  }

  private get startLevel(): number {
    return 4 - this.levels;
  }

  private readEntry(pa: number): bigint {
    return this.memory.read(pa, 8) ?? 0n;
  }

  private index(gpa: number, level: number): number {
    return Math.floor(gpa / span(level)) % 512;
  }

  /** Map [gpa, gpa+size) to [hpa, ...) with the largest blocks alignment allows. */
  map(gpa: number, hpa: number, size: number, flags: number): void {
    let off = 0;
    while (off < size) {
      let level = 3;
      if (!(flags & MemFlags.NO_HUGEPAGES)) {
        for (const l of [1, 2]) {
          const s = span(l);
          if ((gpa + off) % s === 0 && (hpa + off) % s === 0 && size - off >= s) {
            level = l;
            break;
          }
        }
      }
      this.mapOne(gpa + off, hpa + off, level, flags);
      off += span(level);
    }
  }

  private mapOne(gpa: number, hpa: number, leafLevel: number, flags: number): void {
    let table = this.root;
    for (let level = this.startLevel; level < leafLevel; level++) {
      const entry = table + this.index(gpa, level) * 8;
      let desc = this.readEntry(entry);
      if ((desc & VALID) === 0n) {
        // hvisor's set_table also writes Normal attributes, which table descriptors ignore.
        desc = BigInt(this.frames.alloc()) | VALID | NON_BLOCK | NORMAL;
        this.memory.write(entry, 8, desc);
      }
      table = Number(desc & ADDRESS_MASK);
    }
    let leaf = BigInt(hpa) | VALID | AF | (flags & MemFlags.IO ? DEVICE : NORMAL);
    if (leafLevel === 3) leaf |= NON_BLOCK;
    if (flags & MemFlags.READ) leaf |= S2AP_R;
    if (flags & MemFlags.WRITE) leaf |= S2AP_W;
    this.memory.write(table + this.index(gpa, leafLevel) * 8, 8, leaf);
  }

  /** Every leaf mapping in GPA order, with the permissions the hardware applies (for the debugger's stage-2 view). */
  leaves(): S2Leaf[] {
    const out: S2Leaf[] = [];
    const walk = (table: number, level: number, base: number): void => {
      for (let i = 0; i < 512; i++) {
        const desc = this.readEntry(table + i * 8);
        if ((desc & VALID) === 0n) continue;
        const gpa = base + i * span(level);
        const next = Number(desc & ADDRESS_MASK);
        if (level < 3 && (desc & NON_BLOCK)) {
          walk(next, level + 1, gpa);
          continue;
        }
        const flags = (desc & S2AP_R ? MemFlags.READ : 0) | (desc & S2AP_W ? MemFlags.WRITE : 0)
          | (desc & XN ? 0 : MemFlags.EXECUTE) | ((desc & MEMATTR_MASK) === DEVICE ? MemFlags.IO : 0);
        out.push({ gpa, hpa: next, size: span(level), flags });
      }
    };
    walk(this.root, this.startLevel, 0);
    return out;
  }
}
