// The riscv64 G-stage page table (Sv39x4 / Sv48x4), built in the hypervisor's
// own frames exactly as hardware walks it: a 16 KiB root, 4 KiB tables below,
// and leaves with V, A, D and U always set.

import { MemFlags, PAGE_SIZE } from '../../consts';
import type { FrameAllocator } from '../../frame';
import type { PhysicalMemory } from '../../../machine/memory';
import type { S2Leaf, Stage2Table } from '../hv-arch';

const PTE_V = 1n, PTE_R = 2n, PTE_W = 4n, PTE_X = 8n, PTE_U = 16n, PTE_A = 64n, PTE_D = 128n;

/** hgatp MODE values. */
export const GStageMode = { Sv39x4: 8, Sv48x4: 9, Sv57x4: 10 } as const;

export class Stage2PageTable implements Stage2Table {
  readonly root: number;

  constructor(private readonly memory: PhysicalMemory, private readonly frames: FrameAllocator, readonly levels: 3 | 4) {
    this.root = frames.alloc(4, 4 * PAGE_SIZE);
  }

  /** hgatp value activating this table (VMID 0). */
  hgatp(): bigint {
    const mode = this.levels === 3 ? GStageMode.Sv39x4 : GStageMode.Sv48x4;
    return (BigInt(mode) << 60n) | BigInt(this.root / PAGE_SIZE);
  }

  private readPte(pa: number): bigint {
    return this.memory.read(pa, 8) ?? 0n;
  }

  private writePte(pa: number, pte: bigint): void {
    this.memory.write(pa, 8, pte);
  }

  private index(gpa: number, level: number): number {
    const width = level === this.levels - 1 ? 11 : 9;
    return Math.floor(gpa / 2 ** (12 + 9 * level)) & ((1 << width) - 1);
  }

  /** Map [gpa, gpa+size) to [hpa, ...) with the largest pages alignment allows. */
  map(gpa: number, hpa: number, size: number, flags: number): void {
    let off = 0;
    while (off < size) {
      let level = 0;
      if (!(flags & MemFlags.NO_HUGEPAGES)) {
        for (const l of [2, 1]) {
          const span = 2 ** (12 + 9 * l);
          if ((gpa + off) % span === 0 && (hpa + off) % span === 0 && size - off >= span) {
            level = l;
            break;
          }
        }
      }
      this.mapOne(gpa + off, hpa + off, level, flags);
      off += 2 ** (12 + 9 * level);
    }
  }

  private mapOne(gpa: number, hpa: number, leafLevel: number, flags: number): void {
    let table = this.root;
    for (let level = this.levels - 1; level > leafLevel; level--) {
      const entry = table + this.index(gpa, level) * 8;
      let pte = this.readPte(entry);
      if ((pte & PTE_V) === 0n) {
        const next = this.frames.alloc();
        pte = (BigInt(next / PAGE_SIZE) << 10n) | PTE_V;
        this.writePte(entry, pte);
      }
      table = Number(pte >> 10n) * PAGE_SIZE;
    }
    let leaf = (BigInt(hpa / PAGE_SIZE) << 10n) | PTE_V | PTE_U | PTE_A | PTE_D;
    if (flags & MemFlags.READ) leaf |= PTE_R;
    if (flags & MemFlags.WRITE) leaf |= PTE_W;
    if (flags & MemFlags.EXECUTE) leaf |= PTE_X;
    this.writePte(table + this.index(gpa, leafLevel) * 8, leaf);
  }

  /** Every leaf mapping, in GPA order (for the debugger's stage-2 view). */
  leaves(): S2Leaf[] {
    const out: S2Leaf[] = [];
    const walk = (table: number, level: number, base: number): void => {
      const count = level === this.levels - 1 ? 2048 : 512;
      for (let i = 0; i < count; i++) {
        const pte = this.readPte(table + i * 8);
        if ((pte & PTE_V) === 0n) continue;
        const gpa = base + i * 2 ** (12 + 9 * level);
        const next = Number(pte >> 10n) * PAGE_SIZE;
        if ((pte & (PTE_R | PTE_W | PTE_X)) === 0n) {
          walk(next, level - 1, gpa);
          continue;
        }
        const flags = ((pte & PTE_R) ? MemFlags.READ : 0) | ((pte & PTE_W) ? MemFlags.WRITE : 0) | ((pte & PTE_X) ? MemFlags.EXECUTE : 0);
        out.push({ gpa, hpa: next, size: 2 ** (12 + 9 * level), flags });
      }
    };
    walk(this.root, this.levels - 1, 0);
    return out;
  }
}
