// What crosses the comlink boundary between the debug session (host) and the
// engine worker: plain, structured-clone-friendly data only (bigints are fine).

import type { StopSpec } from '../engine/debug/stop-conditions';
import type { Completion } from '../engine/debug/completions';
import type { Inspection } from '../engine/debug/inspect';
import type { CVariableView, FrameScopes } from '../engine/debug/c/frame-variables';
import type { UartDescription } from '../protocol/uart';
import type { Arch, StopReason, PerCpuView, ZoneView, LockState, HypervisorView, DisassembledLine, RegisterGroup, RegisterNode, RegisterValue, SourceLocation } from '../engine/api';

/** A launch configuration: the launch-file attributes, plus `cwd` (the workspace folder). */
export interface LaunchAttributes {
  readonly [key: string]: unknown;
}

export interface LaunchSummary {
  readonly cpus: number;
  readonly runMode: 'all' | 'solo';
  readonly stopOnEntry: boolean;
  readonly trace: boolean;
  /** The engine's pause flag: the session sets it without waiting for the busy worker. */
  readonly pauseBuffer: SharedArrayBuffer;
  /** Every assembled source file, for breakpoints and stack frames. */
  readonly sources: readonly string[];
  /** The loaded images, in launch order, for the modules view. */
  readonly images: readonly ImageSummary[];
  /** The board UARTs, each named for its terminal. */
  readonly uarts: readonly UartDescription[];
}

/** One loaded image: its file, the span of guest-physical memory it occupies, and whether it has symbols. */
export interface ImageSummary {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly hasSymbols: boolean;
}

export type { StopSpec, Completion, Inspection, CVariableView, FrameScopes };

/**
 * Output the worker streams to the session while it runs: guest UART lines
 * (stdout), hypervisor trace, logpoint messages, and a UART's raw bytes for
 * its terminal (uart: `text` holds one byte per char code).
 */
export interface OutputChunk {
  readonly category: 'stdout' | 'trace' | 'console' | 'uart';
  readonly text: string;
  /** Where a logpoint message comes from. */
  readonly source?: SourceLocation;
  /** The UART of a `uart` chunk. */
  readonly uart?: number;
}

/**
 * Output as the worker posts it on its own port, beside comlink's answers
 * rather than on a port of its own: one port delivers in order, so the output
 * a run printed always reaches the session before the run's result (a
 * power-off's last console lines before the session's `terminated`).
 */
export interface OutputMessage {
  readonly output: readonly OutputChunk[];
}

export function isOutputMessage(message: unknown): message is OutputMessage {
  return typeof message === 'object' && message !== null && Array.isArray((message as { output?: unknown }).output);
}

export interface CpuSummary {
  readonly id: number;
  readonly pc: bigint;
  readonly instructions: number;
  readonly state: 'running' | 'wfi' | 'parked' | 'hypervisor' | 'stopped';
  readonly zone: number | undefined;
  readonly zoneName: string | undefined;
  readonly powerOn: boolean;
  /** Innermost first. */
  readonly hvFrames: readonly string[];
}

export type { SourceLocation };

export interface GuestFrame {
  readonly pc: bigint;
  /** The innermost frame's symbol and offset; a caller's function. */
  readonly symbol: string | undefined;
  /** The pc's line; in a caller, the line of the call. */
  readonly source: SourceLocation | undefined;
  /** A caller's general registers as call frame information recovers them, pc last. */
  readonly registers?: readonly RegisterValue[];
}

export interface CpuStack {
  readonly cpu: CpuSummary;
  /** The guest's frames by call frame information, innermost first; never empty. */
  readonly guest: readonly GuestFrame[];
  /** The walk stopped at a caller frame without call frame information: there may be callers it cannot show. */
  readonly endsWithoutCfi: boolean;
}

/** A zone as the Zone scope shows it; its stage-2 mappings are walked only when expanded (Engine.stage2). */
export type ZoneSummary = ZoneView;

/** Everything the Variables pane shows for one CPU, fetched in one round trip. */
export interface CpuDetails {
  readonly arch: Arch;
  readonly perCpu: PerCpuView;
  readonly registers: readonly RegisterValue[];
  /** CSRs or system registers, grouped as the Registers scope shows them. */
  readonly systemRegisters: readonly RegisterGroup[];
  /** FP/SIMD registers with their lane and field views (empty where the CPU shows none). */
  readonly fpRegisters: readonly RegisterNode[];
  readonly zone: ZoneSummary | undefined;
  readonly locks: readonly LockState[];
  readonly hypervisor: HypervisorView;
  readonly zoneNames: readonly { readonly id: number; readonly name: string }[];
}

/** How a run or step ended, with the CPUs that changed power state on the way. */
export interface RunResult {
  readonly stop: StopReason;
  readonly poweredOn: readonly number[];
  /** Why a breakpoint's condition could not be decided, when that is what stopped the run. */
  readonly note?: string;
}

export interface DisassemblyLine extends DisassembledLine {
  readonly source: SourceLocation | undefined;
}

/** A source breakpoint's locations (a line may have code in several places) and the line they are on. */
export interface ResolvedBreakpoint {
  readonly addresses: readonly bigint[];
  readonly line: number;
}

/** The worker's API (implemented by EngineHost). */
export interface EngineApi {
  launch(attributes: LaunchAttributes): LaunchSummary;
  cpus(): CpuSummary[];
  stack(cpu: number): CpuStack;
  details(cpu: number): CpuDetails;
  /** Runs until a stop; between slices it lets other calls in (uartInput above all) and sends output. */
  run(cpus: readonly number[] | undefined): Promise<RunResult>;
  /** One instruction; with `over`, a call runs until it returns. */
  stepInstruction(cpu: number, over: boolean): RunResult;
  stepLine(cpu: number, over: boolean): RunResult;
  /** Why stepOut cannot run (the return address is unknown), or undefined when it can. */
  stepOutProblem(cpu: number): string | undefined;
  stepOut(cpu: number): RunResult;
  setRegister(cpu: number, name: string, value: bigint): void;
  /** Write a system register of a group from CpuDetails.systemRegisters; returns its value afterwards. */
  setSystemRegister(cpu: number, group: string, name: string, value: bigint): bigint | undefined;
  register(cpu: number, name: string): bigint | undefined;
  setInstructionBreakpoints(addresses: readonly bigint[]): void;
  setEventStops(kinds: readonly string[]): void;
  /**
   * Every breakpoint and event filter with what the client set on it
   * (condition, hit condition, log message); returns, per spec, why it
   * cannot be armed, or undefined.
   */
  setStopSpecs(specs: readonly StopSpec[]): (string | undefined)[];
  /**
   * An expression's value on `cpu` (expression.ts) in guest frame `frame`
   * (0, the default: the innermost; a caller's evaluates with the registers
   * the unwinder recovered for it); throws with the reason it has none.
   */
  evaluate(cpu: number, expression: string, context: string | undefined, hex: boolean | undefined, frame?: number): Inspection;
  /** The names an expression may use that start with the word before `column` (0-based) of `text`, with frame `frame`'s C variables. */
  completions(cpu: number, text: string, column: number, frame?: number): { items: Completion[]; prefix: string };
  /**
   * The C Locals and Globals of guest frame `frame` (0: innermost) of `cpu`,
   * as handles for valueChildren; undefined when its pc has no DWARF. Handles
   * last until the machine runs again.
   */
  frameScopes(cpu: number, frame: number): FrameScopes | undefined;
  /** The children of a handle (a scope's variables, a value's members, elements or pointee), `count` from `start` (all when 0). */
  valueChildren(handle: number, start: number, count: number): CVariableView[];
  /** Writes child `name` of `handle` with the value of `expression` in its frame, through its location; its view afterwards. Throws with the reason it cannot. */
  setValue(handle: number, name: string, expression: string): CVariableView;
  resolveLines(file: string, lines: readonly number[]): (ResolvedBreakpoint | undefined)[];
  symbolAddress(name: string): bigint | undefined;
  readMemory(cpu: number | undefined, address: bigint, length: number): (number | undefined)[];
  writeMemory(cpu: number | undefined, address: bigint, bytes: Uint8Array): number;
  /** Exactly `count` lines from `offset` instructions after `address` (before it when negative), unreadable ones marked invalid. */
  disassemble(cpu: number, address: bigint, offset: number, count: number): DisassemblyLine[];
  /** A zone's stage-2 leaves (gpa, hpa, size, flags). */
  stage2(zone: number): { gpa: number; hpa: number; size: number; flags: number }[];
  flushOutput(): void;
  /** Queue bytes on a board UART's receiver; they wait in its backlog until the guest receives. Returns how many. */
  uartInput(uart: number, bytes: Uint8Array): number;
}
