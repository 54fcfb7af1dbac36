// The session's breakpoints: source, function and instruction breakpoints and
// the conditions set on exception filters, each with the condition, hit
// condition or log message the client sent. The engine decides them at the
// stop (engine/debug/stop-conditions.ts); this book only keeps them and
// hands them over whole.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { EngineApi, SourceLocation, StopSpec } from './engine-protocol';
import type * as Comlink from 'comlink';
import { HV_EVENTS } from '../engine/hv/events';

export type BreakpointKind = 'source' | 'function' | 'instruction';

export interface LiveBreakpoint {
  readonly id: number;
  /** Where it stops: one address, or each location of a source line. */
  readonly addresses: readonly bigint[];
  readonly kind: BreakpointKind;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
  readonly source?: SourceLocation;
}

/** The hypervisor events offered as exception filters; ids are the engine's event kinds. */
export const EVENT_FILTERS: readonly DebugProtocol.ExceptionBreakpointsFilter[] = HV_EVENTS.map((e) => ({
  filter: e.kind, label: e.label, description: e.description, default: e.default,
  ...(e.conditional ? { supportsCondition: true, conditionDescription: 'An expression on the CPU that raised the event, e.g. id == 2 && a0 == 3' } : {}),
}));

export class BreakpointBook {
  private readonly bySource = new Map<string, LiveBreakpoint[]>();
  private functions: LiveBreakpoint[] = [];
  private instructions: LiveBreakpoint[] = [];
  /** The exception filters that take conditions, each with its condition ('' where it has none). */
  private eventConditions: StopSpec[] = [];
  private nextId = 1;

  newId(): number {
    return this.nextId++;
  }

  setSource(path: string, list: LiveBreakpoint[]): void {
    this.bySource.set(path, list);
  }

  setFunctions(list: LiveBreakpoint[]): void {
    this.functions = list;
  }

  setInstructions(list: LiveBreakpoint[]): void {
    this.instructions = list;
  }

  setEventConditions(list: readonly { filterId: string; condition: string }[]): StopSpec[] {
    this.eventConditions = list.map((o) => ({ id: this.newId(), event: o.filterId, condition: o.condition }));
    return this.eventConditions;
  }

  all(): LiveBreakpoint[] {
    return [...[...this.bySource.values()].flat(), ...this.functions, ...this.instructions];
  }

  at(address: bigint): LiveBreakpoint[] {
    const a = BigInt.asUintN(64, address);
    return this.all().filter((b) => b.addresses.includes(a));
  }

  /**
   * Send every breakpoint to the engine: the addresses, then the specs the
   * stop filter decides. Returns why each breakpoint that cannot be armed cannot, by id.
   */
  async arm(engine: Comlink.Remote<EngineApi>): Promise<Map<number, string>> {
    const all = this.all();
    const specs: StopSpec[] = [
      ...all.map(({ id, addresses, condition, hitCondition, logMessage, source }) => ({ id, addresses, condition, hitCondition, logMessage, source })),
      ...this.eventConditions,
    ];
    const errors = await engine.setStopSpecs(specs);
    const out = new Map<number, string>();
    specs.forEach((s, i) => {
      const error = errors[i];
      if (error) out.set(s.id, error);
    });
    // A breakpoint whose condition is bad is not armed at all: it would stop unconditionally.
    await engine.setInstructionBreakpoints([...new Set(all.filter((b) => !out.has(b.id)).flatMap((b) => b.addresses))]);
    return out;
  }
}
