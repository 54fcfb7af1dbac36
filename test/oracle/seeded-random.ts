// The fuzz tests' source of choices: a 32-bit generator (mulberry32) from a
// fixed seed, so a run's inputs are the same every time and a failure names
// the seed that reproduces it. Never Math.random.

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  unit(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.unit() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

/** The unit draws of a generator seeded with `seed`, as one function. */
export function unitsFrom(seed: number): () => number {
  const rng = new SeededRandom(seed);
  return () => rng.unit();
}
