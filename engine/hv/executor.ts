// Runs each CPU's hypervisor task: to completion, to a lock it must wait
// for, to the end of a spin iteration, or to an event the debugger stops on.
// It keeps the frames (what the CPU is doing inside the hypervisor) that a
// debugger shows above the guest frame.

import type { ObservableLock } from './lock';
import type { HvEvent } from './events';
import type { HvTask } from './task';

export type ResumeResult =
  | { readonly kind: 'done' }
  | { readonly kind: 'event'; readonly event: HvEvent }
  | { readonly kind: 'point' }
  | { readonly kind: 'spin' }
  | { readonly kind: 'wait'; readonly lock: ObservableLock };

export class HvExecutor {
  private readonly tasks: (HvTask | undefined)[];
  /** Hypervisor frames per CPU, outermost first. */
  readonly frames: string[][];
  /** The lock each CPU waits for, if any. */
  readonly waitingOn: (ObservableLock | undefined)[];

  constructor(ncpus: number) {
    this.tasks = new Array<HvTask | undefined>(ncpus).fill(undefined);
    this.frames = Array.from({ length: ncpus }, () => []);
    this.waitingOn = new Array<ObservableLock | undefined>(ncpus).fill(undefined);
  }

  busy(cpu: number): boolean {
    return this.tasks[cpu] !== undefined;
  }

  start(cpu: number, task: HvTask): void {
    this.tasks[cpu] = task;
  }

  /** Drop a CPU's task (the CPU stopped for good). */
  abandon(cpu: number): void {
    this.tasks[cpu] = undefined;
    this.waitingOn[cpu] = undefined;
  }

  /**
   * Advance a CPU's task. With `single`, stop at the next point of any kind
   * (a debugger step inside the hypervisor); otherwise run on through points
   * unless `stopOn` wants the point's event.
   */
  resume(cpu: number, single: boolean, stopOn: (event: HvEvent) => boolean): ResumeResult {
    const task = this.tasks[cpu];
    if (!task) return { kind: 'done' };
    for (;;) {
      const r = task.next();
      if (r.done) {
        this.tasks[cpu] = undefined;
        this.waitingOn[cpu] = undefined;
        return { kind: 'done' };
      }
      const step = r.value;
      if (step.kind === 'wait') {
        this.waitingOn[cpu] = step.lock;
        return step;
      }
      this.waitingOn[cpu] = undefined;
      if (step.kind === 'spin') return step;
      if (step.event && stopOn(step.event)) return { kind: 'event', event: step.event };
      if (single) return { kind: 'point' };
    }
  }

  /** Run `body` inside a named frame. */
  *frame<T>(cpu: number, name: string, body: HvTask<T>): HvTask<T> {
    const stack = this.frames[cpu]!;
    stack.push(name);
    try {
      return yield* body;
    } finally {
      stack.pop();
    }
  }
}
