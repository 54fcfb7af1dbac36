// The Arm generic timer of each CPU: the system counter (CNTPCT, and CNTVCT
// = CNTPCT - CNTVOFF) and the EL1 physical and virtual timers. The counter is
// the Clock itself, one tick per count at CNTFRQ. A timer's output is
// ENABLE && ISTATUS && !IMASK; it drives PPI 30 (physical) or PPI 27 (virtual)
// of its CPU. Nothing fires by itself: a scheduler asks for nextDeadline()
// and calls update().

import type { Clock, IrqLine } from '../device';

/** QEMU virt's counter frequency. */
export const CNTFRQ_HZ = 62_500_000;

export const CNT_CTL_ENABLE = 1;
export const CNT_CTL_IMASK = 2;
export const CNT_CTL_ISTATUS = 4;

export type TimerKind = 'phys' | 'virt';

export interface GenericTimerLines {
  /** CNTP, the non-secure EL1 physical timer (PPI 30 on the board). */
  readonly phys: IrqLine;
  /** CNTV, the virtual timer (PPI 27 on the board). */
  readonly virt: IrqLine;
}

export interface TimerSnapshot {
  readonly ctl: number;
  readonly cval: bigint;
  readonly tval: bigint;
  readonly output: boolean;
}

export interface GenericTimerSnapshot {
  readonly frequency: number;
  readonly cntpct: bigint;
  readonly cpus: readonly {
    readonly cntvoff: bigint;
    readonly cntvct: bigint;
    readonly phys: TimerSnapshot;
    readonly virt: TimerSnapshot;
  }[];
}

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);

class Timer {
  ctl = 0;
  cval = 0n;
  output = false;

  constructor(readonly line: IrqLine) {}
}

export class GenericTimer {
  readonly frequency = CNTFRQ_HZ;
  private readonly timers: readonly { readonly phys: Timer; readonly virt: Timer }[];
  private readonly cntvoff: bigint[];

  constructor(
    private readonly clock: Clock,
    lines: readonly GenericTimerLines[],
    readonly name = 'generic-timer',
  ) {
    this.timers = lines.map((l) => ({ phys: new Timer(l.phys), virt: new Timer(l.virt) }));
    this.cntvoff = lines.map(() => 0n);
  }

  get cpuCount(): number {
    return this.timers.length;
  }

  /** CNTFRQ_EL0. */
  readCntfrq(): bigint {
    return BigInt(this.frequency);
  }

  /** CNTPCT_EL0: the clock in counter ticks. */
  readCntpct(): bigint {
    return U64(BigInt(this.clock.now()));
  }

  /** CNTVCT_EL0 of `cpu`. */
  readCntvct(cpu: number): bigint {
    return U64(this.readCntpct() - this.cntvoff[this.check(cpu)]!);
  }

  readCntvoff(cpu: number): bigint {
    return this.cntvoff[this.check(cpu)]!;
  }

  /** CNTVOFF_EL2 moves the virtual count, so the virtual timer's condition is re-evaluated. */
  writeCntvoff(cpu: number, value: bigint): void {
    this.cntvoff[this.check(cpu)] = U64(value);
    this.recalc(cpu, 'virt', this.clock.now());
  }

  /** CNTx_CTL_EL0, with ISTATUS as of now (zero while disabled). */
  readCtl(cpu: number, kind: TimerKind): number {
    const t = this.timer(cpu, kind);
    return (t.ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) | (this.status(cpu, kind, this.clock.now()) ? CNT_CTL_ISTATUS : 0);
  }

  /** ENABLE and IMASK are writable; ISTATUS is read-only. */
  writeCtl(cpu: number, kind: TimerKind, value: number): void {
    this.timer(cpu, kind).ctl = value & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
    this.recalc(cpu, kind, this.clock.now());
  }

  readCval(cpu: number, kind: TimerKind): bigint {
    return this.timer(cpu, kind).cval;
  }

  writeCval(cpu: number, kind: TimerKind, value: bigint): void {
    this.timer(cpu, kind).cval = U64(value);
    this.recalc(cpu, kind, this.clock.now());
  }

  /** CNTx_TVAL_EL0: (CVAL - count) as a signed 32-bit value, zero-extended into the register. */
  readTval(cpu: number, kind: TimerKind): bigint {
    const t = this.timer(cpu, kind);
    return BigInt.asUintN(32, t.cval - this.count(cpu, kind, this.clock.now()));
  }

  /** Writing TVAL sets CVAL to the count plus the sign-extended low 32 bits. */
  writeTval(cpu: number, kind: TimerKind, value: bigint): void {
    const t = this.timer(cpu, kind);
    t.cval = U64(this.count(cpu, kind, this.clock.now()) + BigInt.asIntN(32, value));
    this.recalc(cpu, kind, this.clock.now());
  }

  /**
   * The earliest clock time at which an enabled, unmasked timer whose output
   * is low will raise it, or undefined if none will within a number's range.
   */
  nextDeadline(): number | undefined {
    let best: bigint | undefined;
    this.timers.forEach((pair, cpu) => {
      for (const kind of ['phys', 'virt'] as const) {
        const t = pair[kind];
        if (t.output || (t.ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) !== CNT_CTL_ENABLE) continue;
        const at = t.cval + (kind === 'virt' ? this.cntvoff[cpu]! : 0n);
        if (best === undefined || at < best) best = at;
      }
    });
    if (best === undefined || best > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    return best < 0n ? 0 : Number(best);
  }

  /** Set every timer output for clock time `now`. */
  update(now: number): void {
    for (let cpu = 0; cpu < this.timers.length; cpu++) {
      this.recalc(cpu, 'phys', now);
      this.recalc(cpu, 'virt', now);
    }
  }

  snapshot(): GenericTimerSnapshot {
    const now = this.clock.now();
    const one = (cpu: number, kind: TimerKind): TimerSnapshot => {
      const t = this.timer(cpu, kind);
      return { ctl: this.readCtl(cpu, kind), cval: t.cval, tval: BigInt.asUintN(32, t.cval - this.count(cpu, kind, now)), output: t.output };
    };
    return {
      frequency: this.frequency,
      cntpct: this.readCntpct(),
      cpus: this.timers.map((_, cpu) => ({
        cntvoff: this.cntvoff[cpu]!,
        cntvct: this.readCntvct(cpu),
        phys: one(cpu, 'phys'),
        virt: one(cpu, 'virt'),
      })),
    };
  }

  private count(cpu: number, kind: TimerKind, now: number): bigint {
    const pct = U64(BigInt(now));
    return kind === 'virt' ? U64(pct - this.cntvoff[cpu]!) : pct;
  }

  private status(cpu: number, kind: TimerKind, now: number): boolean {
    const t = this.timer(cpu, kind);
    return (t.ctl & CNT_CTL_ENABLE) !== 0 && this.count(cpu, kind, now) >= t.cval;
  }

  private recalc(cpu: number, kind: TimerKind, now: number): void {
    const t = this.timer(cpu, kind);
    const level = this.status(cpu, kind, now) && !(t.ctl & CNT_CTL_IMASK);
    if (level !== t.output) {
      t.output = level;
      t.line.set(level);
    }
  }

  private timer(cpu: number, kind: TimerKind): Timer {
    return this.timers[this.check(cpu)]![kind];
  }

  private check(cpu: number): number {
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= this.timers.length) throw new RangeError(`no generic timer for CPU ${cpu}`);
    return cpu;
  }
}
