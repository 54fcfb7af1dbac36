// Deterministic round-robin over the CPUs, in quanta counted in instructions.
// Sleeping CPUs (WFI, or parked by the hypervisor) let their time pass with
// the round; when every CPU sleeps, time jumps to the next timer, and with no
// timer armed the machine is quiescent. Pause is a flag in a SharedArrayBuffer
// so another thread can stop a busy run.

import type { Riscv64Core } from '../isa/riscv64/core';
import type { HvStop } from '../hv/stop';

export type StopReason =
  | { readonly kind: 'breakpoint'; readonly cpu: number; readonly pc: number }
  | { readonly kind: 'step'; readonly cpu: number }
  | { readonly kind: 'limit' }
  | { readonly kind: 'quiescent' }
  | { readonly kind: 'pause' }
  | { readonly kind: 'wfi'; readonly cpu: number }
  | { readonly kind: 'poweroff'; readonly cpu: number; readonly reason: string }
  | { readonly kind: 'panic'; readonly cpu: number; readonly reason: string };

export const DEFAULT_QUANTUM = 10_000;

export interface RunOptions {
  /** Stop once this many instructions have been retired machine-wide (counted from machine start). */
  readonly maxInstructions?: number;
  /** Only these CPUs run; the others stay frozen. */
  readonly cpus?: ReadonlySet<number>;
}

export class Scheduler {
  quantum = DEFAULT_QUANTUM;
  /** Index 0 is the pause flag; non-zero asks a run to stop. */
  readonly pauseFlag: Int32Array;
  /** Where each CPU stopped at a breakpoint, so continuing does not stop there again at once. */
  private readonly resumeFrom: number[];
  private next = 0;

  constructor(private readonly cores: readonly Riscv64Core[], private readonly hvStop: () => HvStop | undefined, pauseBuffer = new SharedArrayBuffer(4)) {
    this.pauseFlag = new Int32Array(pauseBuffer);
    this.resumeFrom = cores.map(() => NaN);
  }

  /** Instructions retired by every CPU together. */
  totalInstructions(): number {
    let n = 0;
    for (const c of this.cores) n += c.hart.instret;
    return n;
  }

  private stopped(): StopReason | undefined {
    const s = this.hvStop();
    return s ? { kind: s.kind, cpu: s.cpu, reason: s.reason } : undefined;
  }

  run(options: RunOptions = {}): StopReason {
    const limit = options.maxInstructions ?? Infinity;
    const n = this.cores.length;
    let total = this.totalInstructions();
    for (;;) {
      const stop = this.stopped();
      if (stop) return stop;
      if (Atomics.exchange(this.pauseFlag, 0, 0) !== 0) return { kind: 'pause' };
      if (total >= limit) return { kind: 'limit' };
      let ran = false;
      let slept = 0;
      for (let k = 0; k < n; k++) {
        const id = (this.next + k) % n;
        if (options.cpus && !options.cpus.has(id)) continue;
        const core = this.cores[id]!;
        if (core.inHypervisor) continue;
        if (core.hart.wfi && !core.wakeCheck()) {
          slept++;
          continue;
        }
        ran = true;
        const before = core.hart.instret;
        const budget = Math.min(this.quantum, limit - total);
        const exit = core.run(before + budget, this.resumeFrom[id]);
        this.resumeFrom[id] = NaN;
        total += core.hart.instret - before;
        const after = this.stopped();
        if (after) return after;
        if (exit === 'breakpoint') {
          this.resumeFrom[id] = core.hart.pc;
          this.next = id;
          return { kind: 'breakpoint', cpu: id, pc: core.hart.pc };
        }
        if (total >= limit) {
          this.next = (id + 1) % n;
          return { kind: 'limit' };
        }
      }
      this.next = (this.next + 1) % n;
      if (ran) {
        if (slept) this.letSleepersSleep(options, this.quantum);
        continue;
      }
      // Everyone sleeps: jump to the earliest timer, or the machine is quiescent.
      const wait = this.timeToNextTimer(options);
      if (wait === Infinity) return { kind: 'quiescent' };
      this.letSleepersSleep(options, Math.max(1, wait));
    }
  }

  /** Run one CPU alone for `count` instructions (the others stay frozen). */
  stepCpu(cpu: number, count = 1): StopReason {
    const core = this.cores[cpu]!;
    const stop = this.stopped();
    if (stop) return stop;
    const target = core.hart.instret + count;
    while (core.hart.instret < target) {
      if (core.hart.wfi && !core.wakeCheck()) {
        const wait = core.nextTimerCycle - core.hart.cycles;
        if (wait === Infinity) return { kind: 'wfi', cpu };
        core.sleep(Math.max(1, wait));
        continue;
      }
      const exit = core.run(target, core.hart.pc);
      const after = this.stopped();
      if (after) return after;
      if (exit === 'hypervisor') return { kind: 'step', cpu };
    }
    this.resumeFrom[cpu] = NaN;
    return { kind: 'step', cpu };
  }

  private letSleepersSleep(options: RunOptions, cycles: number): void {
    for (const [id, core] of this.cores.entries()) {
      if (options.cpus && !options.cpus.has(id)) continue;
      if (core.hart.wfi) core.sleep(cycles);
    }
  }

  private timeToNextTimer(options: RunOptions): number {
    let wait = Infinity;
    for (const [id, core] of this.cores.entries()) {
      if (options.cpus && !options.cpus.has(id)) continue;
      if (!core.hart.wfi) continue;
      wait = Math.min(wait, core.nextTimerCycle - core.hart.cycles);
    }
    return wait;
  }
}
