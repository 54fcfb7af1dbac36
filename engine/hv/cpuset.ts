// CpuSet (src/cpu_data.rs): a 64-bit bitmap of logical CPU ids.

export class CpuSet {
  constructor(readonly maxCpuId: number, public bitmap: bigint = 0n) {}

  setBit(id: number): void {
    this.bitmap |= 1n << BigInt(id);
  }

  containsCpu(id: number): boolean {
    return id <= this.maxCpuId && ((this.bitmap >> BigInt(id)) & 1n) === 1n;
  }

  firstCpu(): number | undefined {
    for (let id = 0; id < 64; id++) if (this.containsCpu(id)) return id;
    return undefined;
  }

  *iter(): Generator<number> {
    for (let id = 0; id < 64; id++) if (this.containsCpu(id)) yield id;
  }

  *iterExcept(except: number): Generator<number> {
    for (const id of this.iter()) if (id !== except) yield id;
  }

  toArray(): number[] {
    return [...this.iter()];
  }
}
