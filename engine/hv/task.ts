// Hypervisor work as resumable steps. Whatever a CPU does in HS-mode (a trap
// handler, a hypercall, an event) runs as a generator that yields where the
// real hypervisor could be observed mid-way: at a point (where a debugger can
// stop the CPU), at the end of a spin iteration (so other CPUs get to run),
// or at a lock another CPU holds (the CPU really waits).

import type { HvEvent } from './events';
import type { ObservableLock } from './lock';

export type HvStep =
  /** A place the CPU can be stopped, optionally announcing an event. */
  | { readonly kind: 'point'; readonly event?: HvEvent }
  /** The CPU spins (polls shared state): let the other CPUs run before going on. */
  | { readonly kind: 'spin' }
  /** The CPU waits for a lock another CPU holds. */
  | { readonly kind: 'wait'; readonly lock: ObservableLock };

export type HvTask<T = void> = Generator<HvStep, T, void>;

/** A stopping place that announces `event`. */
export function* point(event?: HvEvent): HvTask {
  yield event ? { kind: 'point', event } : { kind: 'point' };
}
