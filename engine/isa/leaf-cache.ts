// The second-stage leaves a CPU has walked (aarch64 stage 2, riscv64 G-stage),
// by guest-physical page number. Every first-stage walk reads its descriptors
// through the second stage, so a CPU repeats the same few. The owner clears it
// whenever the second stage may have changed (its base register, its control
// register, the hypervisor's tables): at every TLB flush but one by virtual address.

/** Pages a cache holds before it starts afresh. */
const PAGES = 1 << 16;

export class LeafCache<Leaf> {
  private readonly leaves = new Map<number, Leaf>();

  get(page: number): Leaf | undefined {
    return this.leaves.get(page);
  }

  set(page: number, leaf: Leaf): void {
    if (this.leaves.size >= PAGES) this.leaves.clear();
    this.leaves.set(page, leaf);
  }

  clear(): void {
    this.leaves.clear();
  }
}
