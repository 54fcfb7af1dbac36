// Deterministic round-robin over the CPUs, in quanta counted in instructions.
// A CPU's turn runs its guest code, or its hypervisor task when it is in
// HS-mode. Sleeping CPUs (WFI, or parked by the hypervisor) let their time
// pass with the round; when every CPU sleeps, time jumps to the next timer,
// and with no timer armed the machine is quiescent. CPUs that only wait for
// locks held by one another are a deadlock. Pause is a flag in a
// SharedArrayBuffer so another thread can stop a busy run.

import type { CpuCore } from '../isa/cpu-core';
import type { HvStop } from '../hv/stop';
import type { HvEvent } from '../hv/events';
import type { ResumeResult } from '../hv/executor';

export type StopReason =
  | { readonly kind: 'breakpoint'; readonly cpu: number; readonly pc: number }
  | { readonly kind: 'step'; readonly cpu: number }
  | { readonly kind: 'limit' }
  /** `reason` names the CPUs that spin for ever, when some do. */
  | { readonly kind: 'quiescent'; readonly reason?: string }
  | { readonly kind: 'pause' }
  /** The run reached RunOptions.yieldAt at a round boundary; running again goes on exactly as if it had not stopped. */
  | { readonly kind: 'yield' }
  | { readonly kind: 'wfi'; readonly cpu: number }
  | { readonly kind: 'event'; readonly cpu: number; readonly event: HvEvent }
  | { readonly kind: 'lock-wait'; readonly cpu: number; readonly reason: string }
  | { readonly kind: 'deadlock'; readonly cpus: readonly number[]; readonly reason: string }
  | { readonly kind: 'stuck'; readonly cpu: number; readonly reason: string }
  | { readonly kind: 'poweroff'; readonly cpu: number; readonly reason: string }
  | { readonly kind: 'panic'; readonly cpu: number; readonly reason: string };

export const DEFAULT_QUANTUM = 10_000;

export interface RunOptions {
  /** Stop once this many instructions have been retired machine-wide (counted from machine start). */
  readonly maxInstructions?: number;
  /** Only these CPUs run; the others stay frozen. */
  readonly cpus?: ReadonlySet<number>;
  /**
   * Stop with `yield` at the first round boundary once this many
   * instructions have been retired machine-wide, so the caller's thread can
   * take input between rounds. Nothing else changes: the next run picks up
   * the schedule where this one left it.
   */
  readonly yieldAt?: number;
}

/** What the scheduler needs from the hypervisor model. */
export interface HypervisorHost {
  stop(): HvStop | undefined;
  /** Advance a CPU's hypervisor task (see HvExecutor.resume). */
  resume(cpu: number, single: boolean): ResumeResult;
  /** CPUs that hold what `cpu` waits for. */
  blockers(cpu: number): readonly number[];
  /** "waits for ctrl_lock(2) held by CPU 0". */
  describeWait(cpu: number): string;
}

type TurnEnd = 'ran' | 'slept' | 'waited' | StopReason;

export class Scheduler {
  quantum = DEFAULT_QUANTUM;
  /** The CPU whose turn it is (guest code or its hypervisor work), or -1 between turns. */
  running = -1;
  /** Index 0 is the pause flag; non-zero asks a run to stop. */
  readonly pauseFlag: Int32Array;
  /** Where each CPU stopped at a breakpoint, so continuing does not stop there again at once. */
  private readonly resumeFrom: number[];
  /** Each running CPU's pc at the end of the last round (NaN: it was not running), to spot one that stands still. */
  private readonly lastPc: Float64Array;
  /** Its integer registers then (copied into, so that a round allocates nothing). */
  private readonly lastX: Int32Array[];
  /** The instruction count at which a turn a breakpoint or event cut short ends (NaN: none). */
  private readonly turnEnd: number[];
  /**
   * The round a breakpoint or event stopped: the next run finishes it (the
   * stopped CPU's turn, then the CPUs after it), so a run that goes on past a
   * stop schedules every CPU as if it had never stopped. Only a run of the same CPUs finishes it.
   */
  private pending: {
    readonly cpus: ReadonlySet<number> | undefined; readonly start: number; readonly k: number; readonly ran: boolean; readonly slept: boolean; readonly waiting: number[];
  } | undefined;
  private next = 0;

  constructor(private readonly cores: readonly CpuCore[], private readonly hv: HypervisorHost, pauseBuffer = new SharedArrayBuffer(4)) {
    this.pauseFlag = new Int32Array(pauseBuffer);
    this.resumeFrom = cores.map(() => NaN);
    this.turnEnd = cores.map(() => NaN);
    this.lastPc = new Float64Array(cores.length).fill(NaN);
    this.lastX = cores.map((c) => new Int32Array(c.state.x.length));
  }

  /** Instructions retired by every CPU together. */
  totalInstructions(): number {
    let n = 0;
    for (const c of this.cores) n += c.state.instret;
    return n;
  }

  private stopped(): StopReason | undefined {
    const s = this.hv.stop();
    return s ? { kind: s.kind, cpu: s.cpu, reason: s.reason } : undefined;
  }

  run(options: RunOptions = {}): StopReason {
    const limit = options.maxInstructions ?? Infinity;
    const n = this.cores.length;
    for (;;) {
      const stop = this.stopped();
      if (stop) return stop;
      if (Atomics.exchange(this.pauseFlag, 0, 0) !== 0) return { kind: 'pause' };
      const retired = this.totalInstructions();
      if (retired >= limit) return { kind: 'limit' };
      if (options.yieldAt !== undefined && retired >= options.yieldAt) return { kind: 'yield' };
      const resumed = this.pending && sameCpus(this.pending.cpus, options.cpus) ? this.pending : undefined;
      this.pending = undefined;
      const start = resumed?.start ?? this.next;
      let ran = resumed?.ran ?? false;
      let slept = resumed?.slept ?? false;
      const waiting: number[] = resumed?.waiting ?? [];
      for (let k = resumed?.k ?? 0; k < n; k++) {
        const id = (start + k) % n;
        if (options.cpus && !options.cpus.has(id)) continue;
        const end = this.turn(id, limit);
        if (end === 'ran') ran = true;
        else if (end === 'slept') slept = true;
        else if (end === 'waited') waiting.push(id);
        else {
          if (end.kind === 'breakpoint' || end.kind === 'event') {
            this.pending = { cpus: options.cpus, start, k, ran, slept, waiting };
            this.next = start;
          } else this.next = end.kind === 'limit' ? (id + 1) % n : id;
          return end;
        }
      }
      this.next = (start + 1) % n;
      // A cycle of waiters never moves again, whatever the other CPUs do.
      if (waiting.length) {
        const stuck = this.stuck(waiting, options);
        if (stuck) return stuck;
      }
      if (ran) {
        if (slept) this.letSleepersSleep(options, this.quantum);
        if (waiting.length === 0) {
          const still = this.stillness(options, limit);
          if (still) return still;
        }
        continue;
      }
      // Everyone sleeps: jump to the earliest timer, or the machine is quiescent.
      const wait = this.timeToNextTimer(options);
      if (wait === Infinity) return waiting.length ? this.stuck(waiting, options, true)! : { kind: 'quiescent' };
      if (wait === undefined) continue;
      this.letSleepersSleep(options, Math.max(1, wait));
    }
  }

  /** One CPU's turn: up to a quantum of guest instructions, and its hypervisor work. */
  private turn(id: number, limit: number): TurnEnd {
    this.running = id;
    try {
      return this.turnOf(id, limit);
    } finally {
      this.running = -1;
    }
  }

  private turnOf(id: number, limit: number): TurnEnd {
    const core = this.cores[id]!;
    const cut = this.turnEnd[id]!;
    this.turnEnd[id] = NaN;
    // A cut-short turn goes on to where it would have ended; one already used up (steps since) starts afresh.
    const end = Math.min(cut > core.state.instret ? cut : core.state.instret + this.quantum, core.state.instret + (limit - this.totalInstructions()));
    let ran = false;
    for (;;) {
      const stop = this.stopped();
      if (stop) return stop;
      if (core.inHypervisor) {
        const r = this.hv.resume(id, false);
        const after = this.stopped();
        if (after) return after;
        if (r.kind === 'event') {
          this.turnEnd[id] = end;
          return { kind: 'event', cpu: id, event: r.event };
        }
        if (r.kind === 'wait') return ran ? 'ran' : 'waited';
        if (r.kind === 'spin') {
          core.sleep(this.quantum);
          return 'ran';
        }
        ran = true;
        continue;
      }
      if (core.state.wfi && !core.wakeCheck()) return ran ? 'ran' : 'slept';
      if (core.inHypervisor) continue;
      if (core.state.instret >= end) return ran ? 'ran' : limit <= this.totalInstructions() ? { kind: 'limit' } : 'ran';
      const exit = core.run(end, this.resumeFrom[id]);
      this.resumeFrom[id] = NaN;
      ran = true;
      if (exit === 'hypervisor') continue;
      if (exit === 'stuck') return { kind: 'stuck', cpu: id, reason: core.stuckReason };
      if (exit === 'breakpoint') {
        this.resumeFrom[id] = core.state.pc;
        this.turnEnd[id] = end;
        return { kind: 'breakpoint', cpu: id, pc: core.state.pc };
      }
      if (this.totalInstructions() >= limit) return { kind: 'limit' };
      return 'ran';
    }
  }

  /**
   * Nobody made progress this round and some CPUs wait for locks: a cycle of
   * waiters is a deadlock; a wait on a frozen CPU's lock stops at once.
   */
  private stuck(waiting: readonly number[], options: RunOptions, nothingElse = false): StopReason | undefined {
    const set = new Set(waiting);
    for (const cpu of waiting) {
      const frozenHolder = this.hv.blockers(cpu).find((b) => options.cpus !== undefined && !options.cpus.has(b));
      if (frozenHolder !== undefined) return { kind: 'lock-wait', cpu, reason: this.hv.describeWait(cpu) };
    }
    for (const start of waiting) {
      const path: number[] = [];
      let cpu: number | undefined = start;
      while (cpu !== undefined && set.has(cpu) && !path.includes(cpu)) {
        path.push(cpu);
        cpu = this.hv.blockers(cpu)[0];
      }
      if (cpu !== undefined && path.includes(cpu)) {
        const cycle = path.slice(path.indexOf(cpu));
        return { kind: 'deadlock', cpus: cycle, reason: `deadlock: ${cycle.map((c) => `CPU ${c} ${this.hv.describeWait(c)}`).join('; ')}` };
      }
    }
    if (nothingElse) {
      const cpu = waiting[0]!;
      return { kind: 'lock-wait', cpu, reason: this.hv.describeWait(cpu) };
    }
    return undefined;
  }

  /**
   * After a round: the machine can no longer change when every running CPU
   * sleeps with no timer armed and nothing pending to wake it, or spins on
   * an instruction that branches to itself, changes nothing else, and has no
   * interrupt it could take (none enabled and pending, no timer armed). No
   * CPU then does anything that could wake or interrupt another, so the
   * machine is quiescent. A spinning CPU is confirmed by running its next two
   * instructions, as its next turn would; that is tried only when its pc and
   * registers were the same at the end of the previous round.
   */
  private stillness(options: RunOptions, limit: number): StopReason | undefined {
    const cpus: number[] = [];
    const spinners: number[] = [];
    let idle = true;
    // Looks only, so that a machine at work is left exactly as it was.
    for (const [id, core] of this.cores.entries()) {
      if (options.cpus && !options.cpus.has(id)) continue;
      const s = core.state;
      const running = !core.inHypervisor && !s.wfi;
      const lastX = this.lastX[id]!;
      const same = running && this.lastPc[id] === s.pc && sameRegisters(lastX, s.x);
      this.lastPc[id] = running ? s.pc : NaN;
      if (running) lastX.set(s.x);
      if (core.inHypervisor || (running && !same)) idle = false;
      cpus.push(id);
      if (running) spinners.push(id);
    }
    if (!idle || spinners.length === 0 || this.totalInstructions() + 2 * spinners.length > limit) return undefined;
    // Bringing interrupts up to date may wake a sleeper or interrupt a spinner: then it is not still.
    for (const id of cpus) {
      const core = this.cores[id]!;
      const s = core.state;
      const asleep = s.wfi;
      const pc = s.pc;
      if (core.nextTimerCycle !== Infinity || core.inHypervisor || s.wfi !== asleep || s.pc !== pc || (s.wfi && core.wakeCheck())) return undefined;
    }
    for (const id of spinners) {
      this.running = id;
      try {
        if (!this.spinsForever(this.cores[id]!)) return undefined;
      } finally {
        this.running = -1;
      }
    }
    const at = (id: number): string => `CPU ${id} at 0x${BigInt.asUintN(64, BigInt(this.cores[id]!.state.pc)).toString(16)}`;
    return { kind: 'quiescent', reason: `${spinners.map(at).join(', ')} ${spinners.length === 1 ? 'spins' : 'spin'} on a branch to itself with no interrupt to take` };
  }

  /** Whether two steps of `core` each branch back to its pc, the second changing no register. */
  private spinsForever(core: CpuCore): boolean {
    const s = core.state;
    const pc = s.pc;
    const stepInPlace = (): boolean => {
      const before = s.instret;
      return core.run(before + 1) === 'limit' && s.instret === before + 1 && s.pc === pc && !core.inHypervisor && !s.wfi;
    };
    if (!stepInPlace()) return false;
    const x = s.x.slice();
    return stepInPlace() && sameRegisters(x, s.x) && core.nextTimerCycle === Infinity;
  }

  /** Run one CPU alone for `count` instructions, or one hypervisor step (the others stay frozen). */
  stepCpu(cpu: number, count = 1): StopReason {
    this.running = cpu;
    try {
      return this.stepCpuOf(cpu, count);
    } finally {
      this.running = -1;
    }
  }

  private stepCpuOf(cpu: number, count: number): StopReason {
    const core = this.cores[cpu]!;
    const stop = this.stopped();
    if (stop) return stop;
    if (core.inHypervisor) {
      const r = this.hv.resume(cpu, true);
      const after = this.stopped();
      if (after) return after;
      if (r.kind === 'wait') return { kind: 'lock-wait', cpu, reason: this.hv.describeWait(cpu) };
      if (r.kind === 'event') return { kind: 'event', cpu, event: r.event };
      return { kind: 'step', cpu };
    }
    const target = core.state.instret + count;
    while (core.state.instret < target) {
      if (core.state.wfi && !core.wakeCheck()) {
        const wait = core.nextTimerCycle - core.state.cycles;
        if (wait === Infinity) return { kind: 'wfi', cpu };
        core.sleep(Math.max(1, wait));
        continue;
      }
      if (core.inHypervisor) return { kind: 'step', cpu };
      const from = core.state.instret;
      const exit = core.run(target, core.state.pc);
      const after = this.stopped();
      if (after) return after;
      if (exit === 'stuck') return { kind: 'stuck', cpu, reason: core.stuckReason };
      if (exit === 'breakpoint' && core.state.instret !== from) {
        this.resumeFrom[cpu] = core.state.pc;
        return { kind: 'breakpoint', cpu, pc: core.state.pc };
      }
    }
    this.resumeFrom[cpu] = NaN;
    return { kind: 'step', cpu };
  }

  private letSleepersSleep(options: RunOptions, cycles: number): void {
    for (const [id, core] of this.cores.entries()) {
      if (options.cpus && !options.cpus.has(id)) continue;
      if (core.state.wfi) core.sleep(cycles);
    }
  }

  /** Cycles until the first sleeper's timer fires; undefined when a sleeper has just woken. */
  private timeToNextTimer(options: RunOptions): number | undefined {
    let wait = Infinity;
    for (const [id, core] of this.cores.entries()) {
      if (options.cpus && !options.cpus.has(id)) continue;
      if (!core.state.wfi) continue;
      const next = core.nextTimerCycle;
      // Reading the deadline brings interrupts up to date, which may wake the CPU now.
      if (!core.state.wfi || core.inHypervisor) return undefined;
      wait = Math.min(wait, next - core.state.cycles);
    }
    return wait;
  }
}

function sameRegisters(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameCpus(a: ReadonlySet<number> | undefined, b: ReadonlySet<number> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.size === b.size && [...a].every((c) => b.has(c));
}
