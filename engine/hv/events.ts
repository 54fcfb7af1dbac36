// The hypervisor events a debugger can stop on, and a guest kernel's panic,
// declared once: the engine announces them, and the debug adapter offers each
// as an exception filter with this label, description and default.

export interface HvEventDeclaration {
  readonly kind: string;
  readonly label: string;
  readonly description: string;
  /** Stops on this event unless the user turns it off. */
  readonly default: boolean;
  /** One CPU raises it, so a condition can be decided on that CPU (false: a machine-wide stop). */
  readonly conditional: boolean;
}

export const HV_EVENTS = [
  { kind: 'hypercall', label: 'Hypercall', description: 'A guest makes an hvisor hypercall', default: false, conditional: true },
  { kind: 'sbi', label: 'SBI call', description: 'A guest makes an SBI call hvisor handles (riscv64)', default: false, conditional: true },
  { kind: 'psci', label: 'SMC / PSCI call', description: 'A guest makes an SMC (PSCI or SMCCC) call hvisor handles (aarch64)', default: false, conditional: true },
  { kind: 'stage2', label: 'Stage-2 fault', description: 'A guest access faults in the G-stage', default: false, conditional: true },
  { kind: 'mmio', label: 'MMIO emulation', description: 'hvisor emulates a guest MMIO access', default: false, conditional: true },
  { kind: 'ipi', label: 'IPI / event', description: 'hvisor sends an event to a CPU', default: false, conditional: true },
  { kind: 'zone-start', label: 'Zone start', description: 'HvZoneStart creates and wakes a zone', default: false, conditional: true },
  { kind: 'zone-shutdown', label: 'Zone shutdown', description: 'HvZoneShutdown stops a zone', default: false, conditional: true },
  { kind: 'lock-wait', label: 'Lock wait', description: 'A CPU starts waiting for a hypervisor lock', default: false, conditional: true },
  { kind: 'deadlock', label: 'Deadlock', description: 'CPUs wait for each other', default: false, conditional: false },
  { kind: 'would-panic', label: 'Would panic', description: 'hvisor would panic here', default: true, conditional: false },
  // The guest's own panic, caught at its kernel's `panic` function (symbols needed), beside hvisor's.
  { kind: 'guest-panic', label: 'Guest kernel panic', description: "A guest kernel calls panic (needs the kernel's symbols: System.map or vmlinux)", default: true, conditional: true },
] as const satisfies readonly HvEventDeclaration[];

/** A hypervisor event a debugger can stop on. */
export type HvEventKind = (typeof HV_EVENTS)[number]['kind'];

export interface HvEvent {
  readonly kind: HvEventKind;
  readonly cpu: number;
  readonly text: string;
}

export function isHvEventKind(kind: string): kind is HvEventKind {
  return HV_EVENTS.some((e) => e.kind === kind);
}
