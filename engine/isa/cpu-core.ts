// What the scheduler and the hypervisor model need from a CPU of any ISA: its
// counters, how it runs guest code, and the hooks the hypervisor uses when it
// hands the CPU back to the guest.

/** Why `run` returned; 'stuck' when exceptions recur without an instruction completing (see CpuCore.stuckReason). */
export type RunExit = 'limit' | 'wfi' | 'breakpoint' | 'hypervisor' | 'stuck';

/** The architectural state every core keeps in the same form. */
export interface CpuCounters {
  /** Instructions retired. */
  instret: number;
  /** The pc as a signed 64-bit value in a JS number. */
  pc: number;
  /** Asleep in WFI. */
  wfi: boolean;
  /** Local time: instructions retired plus cycles slept. */
  readonly cycles: number;
  /** The integer registers as the core lays them out (compared, never interpreted, outside the ISA). */
  readonly x: Int32Array;
}

export interface CpuCore {
  readonly id: number;
  readonly state: CpuCounters;
  /** The hypervisor model owns the CPU until it returns to the guest. */
  inHypervisor: boolean;
  /** Run until instret reaches `limit`, the CPU sleeps, enters the hypervisor or reaches a breakpoint (not the one at `resumeFrom`). */
  run(limit: number, resumeFrom?: number): RunExit;
  step(): RunExit;
  /** Let `cycles` pass asleep. */
  sleep(cycles: number): void;
  /** Re-evaluate interrupts of a sleeping CPU; true if it woke. */
  wakeCheck(): boolean;
  /** The cycle count at which a timer interrupt next becomes pending (Infinity if none). */
  readonly nextTimerCycle: number;
  /** Leave the hypervisor: resume the guest where the trap's return state says. */
  returnToGuest(): void;
  translationChanged(): void;
  /** Translation changed for the virtual page of `va` only: drop what the CPU caches for it. */
  translationChangedAt(va: number): void;
  interruptsChanged(): void;
  /** After a 'stuck' exit: what keeps recurring, for the user. */
  readonly stuckReason: string;
}
