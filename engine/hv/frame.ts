// The hypervisor's frame pool: physical pages it owns for page tables and its
// own data, carved from a region of DRAM that no zone maps.

import { PAGE_SIZE } from './consts';
import type { PhysicalMemory } from '../machine/memory';

export class FrameAllocator {
  private next: number;
  private readonly free: number[] = [];

  constructor(private readonly memory: PhysicalMemory, readonly start: number, readonly end: number) {
    this.next = start;
  }

  /** Allocate `count` contiguous zeroed pages aligned to `align` bytes. */
  alloc(count = 1, align = PAGE_SIZE): number {
    if (count === 1 && align === PAGE_SIZE && this.free.length) return this.zeroed(this.free.pop()!, 1);
    const base = Math.ceil(this.next / align) * align;
    if (base + count * PAGE_SIZE > this.end) throw new Error('hvisor frame pool exhausted');
    this.next = base + count * PAGE_SIZE;
    return this.zeroed(base, count);
  }

  dealloc(pa: number): void {
    this.free.push(pa);
  }

  private zeroed(pa: number, count: number): number {
    this.memory.load(pa, new Uint8Array(count * PAGE_SIZE));
    return pa;
  }
}
