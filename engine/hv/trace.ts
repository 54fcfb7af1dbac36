// What the hypervisor model reports as it works: every SBI call, hypercall,
// stage-2 fault, IPI, zone change and stop, stamped with the CPU and its
// instruction count so two runs can be compared line by line.

export type TraceKind = 'boot' | 'sbi' | 'psci' | 'hypercall' | 'ipi' | 'event' | 'stage2' | 'mmio' | 'zone' | 'lock' | 'stop' | 'beyond-hvisor';

export interface TraceEvent {
  readonly cpu: number;
  /** The CPU's retired-instruction count when the event happened. */
  readonly icount: number;
  readonly kind: TraceKind;
  readonly text: string;
}

export type TraceSink = (event: TraceEvent) => void;

/** The one text form of a trace event, as the runner's --trace and the adapter's trace output show it (no newline). */
export function formatTraceLine(e: TraceEvent): string {
  return `[${String(e.icount).padStart(12)}] cpu${e.cpu} ${e.kind}: ${e.text}`;
}
