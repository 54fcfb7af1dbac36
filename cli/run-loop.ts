// The runner's loop: the machine runs in slices of instructions, and between
// slices (at round boundaries, which do not change the schedule) the event
// loop reads stdin and the guest's output is written. Input enters the
// UART's backlog at the instruction count it arrived at; the guest takes it
// when it receives. A machine that stops because no CPU can make progress
// waits for input while stdin is open: a byte may wake it.

import type { Engine, StopReason } from '../engine/api';
import type { GuestInput } from './stdin';

/** About a few tens of milliseconds of guest time between looks at stdin. */
const SLICE = 500_000;

export type RunEnd = StopReason | { readonly kind: 'quit' } | { readonly kind: 'refused'; readonly reason: string };

export async function runWithInput(engine: Engine, maxInstructions: number | undefined, input: GuestInput, flush: () => void): Promise<RunEnd> {
  for (;;) {
    if (input.problem) return { kind: 'refused', reason: input.problem };
    if (input.quit) return { kind: 'quit' };
    const yieldAt = engine.totalInstructions() + SLICE;
    const stop = engine.run(maxInstructions !== undefined ? { maxInstructions, yieldAt } : { yieldAt });
    if (stop.kind === 'yield') {
      flush();
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    if (stop.kind === 'quiescent' && !input.ended) {
      flush();
      await input.changed();
      continue;
    }
    return stop;
  }
}
