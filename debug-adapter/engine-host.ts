// The engine's side of the comlink boundary: it owns the Engine in the worker
// and answers the session with plain data. It reads the engine's state and
// drives its run control; the emulation itself stays in engine/.

import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { Engine, type StopReason, type TraceEvent } from '../engine/api';
import { parseLaunch } from '../engine/hv/config/launch';
import { isHvEventKind } from '../engine/hv/events';
import { formatTraceLine } from '../engine/hv/trace';
import type { ConfigError } from '../engine/hv/config/config-error';
import { StopConditions, type StopSpec } from '../engine/debug/stop-conditions';
import { bindSource, sourceFiles } from '../engine/debug/source-breakpoints';
import { DwarfReports } from '../engine/debug/dwarf-reports';
import { describeUarts } from './uart-names';
import { cpuContext, declaredInProgram, fieldNames } from '../engine/debug/cpu-context';
import type { EvalContext } from '../engine/debug/evaluate';
import type { Inspection } from '../engine/debug/inspect';
import { completions, wordBefore, type Completion } from '../engine/debug/completions';
import { FrameVariables, type CVariableView, type FrameScopes } from '../engine/debug/c/frame-variables';
import type {
  CpuDetails, CpuStack, CpuSummary, DisassemblyLine, EngineApi, GuestFrame, LaunchAttributes, LaunchSummary,
  OutputChunk, ResolvedBreakpoint, RunResult,
} from './engine-protocol';

/** The name parse errors carry for the launch configuration; paths resolve beside it, in `cwd`. */
export const LAUNCH_CONFIGURATION = 'launch configuration';
/** Keys VS Code (or the session) adds to every launch configuration; they are not launch-file attributes. */
const CLIENT_KEYS = new Set([
  'type', 'request', 'name', 'cwd', 'noDebug', 'presentation', 'preLaunchTask', 'postDebugTask', 'internalConsoleOptions',
  'debugServer', 'suppressMultipleSessionWarning', 'serverReadyAction', 'windows', 'linux', 'osx', 'console',
]);
/** Output lines are sent at least this often while a run is busy. */
const OUTPUT_FLUSH_MS = 50;
/** Instructions between the run's turns of the worker's event loop, where UART input and other calls come in. */
const RUN_SLICE = 500_000;

export class EngineHost implements EngineApi {
  private engine: Engine | undefined;
  private pending: OutputChunk[] = [];
  private lastFlush = 0;
  /** UART bytes not yet sent to the UART's terminal. */
  private uartBytes: number[] = [];
  /** Per CPU: the unfinished output line, and whether its prefix was already sent. */
  private readonly lineBuffers = new Map<number, { text: string; open: boolean }>();
  /** The source files of the loaded images. */
  private readonly sourcePaths = new Set<string>();
  /** Conditions, hit counts and logpoints; a launch (or restart) starts them afresh. */
  private conditions = new StopConditions();
  /** Why the last stop's condition could not be decided. */
  private conditionNote: string | undefined;
  /** The loaded images' DWARF problems not yet shown. */
  private dwarfReports: DwarfReports | undefined;
  /** The C values the client may expand or set, by handle, until the machine runs. */
  private variables: FrameVariables | undefined;

  private get e(): Engine {
    if (!this.engine) throw new Error('the machine is not launched');
    return this.engine;
  }

  /** `sink` takes the output in the order it was printed; the worker posts it on the port its answers go by. */
  constructor(private readonly sink: (chunks: readonly OutputChunk[]) => void) {}

  launch(attributes: LaunchAttributes): LaunchSummary {
    const cwd = typeof attributes.cwd === 'string' && attributes.cwd !== '' ? attributes.cwd : process.cwd();
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(attributes)) {
      if (!CLIENT_KEYS.has(key) && !key.startsWith('__')) own[key] = value;
    }
    const fileName = join(cwd, LAUNCH_CONFIGURATION);
    const { launch, errors } = parseLaunch(JSON.stringify(own), fileName, (p) => readFileSync(p, 'utf8'));
    if (!launch) throw new Error(errors.map((e) => describeConfigError(e, fileName)).join('\n'));
    this.engine = undefined;
    this.lineBuffers.clear();
    this.uartBytes = [];
    const engine = Engine.launch(launch, {
      onUart: (b, cpu) => this.uartByte(b, cpu),
      readFile: (p) => readFileSync(p),
      ...(launch.trace ? { trace: (t: TraceEvent) => this.traceLine(t) } : {}),
    });
    this.engine = engine;
    this.variables = new FrameVariables(engine);
    this.dwarfReports = new DwarfReports(engine.images);
    this.sourcePaths.clear();
    for (const file of sourceFiles(engine.images)) this.sourcePaths.add(normalize(file));
    this.conditions = new StopConditions();
    this.conditionNote = undefined;
    return {
      cpus: launch.cpus, runMode: launch.runMode, stopOnEntry: launch.stopOnEntry, trace: launch.trace,
      pauseBuffer: engine.pauseBuffer, sources: [...this.sourcePaths],
      images: engine.images.map((image, i) => ({
        path: launch.images[i]!.path,
        // An image that occupies nothing (no sections) spans its entry alone.
        start: image.extents.reduce((m, [start]) => Math.min(m, start), image.extents[0]?.[0] ?? image.entry),
        end: image.extents.reduce((m, [, end]) => Math.max(m, end), image.extents[0]?.[1] ?? image.entry),
        hasSymbols: image.symbols.any(),
      })),
      uarts: describeUarts(launch, engine),
    };
  }

  // ---- output ------------------------------------------------------------------------

  private uartByte(byte: number, cpu: number): void {
    this.uartBytes.push(byte);
    let buf = this.lineBuffers.get(cpu);
    if (!buf) this.lineBuffers.set(cpu, (buf = { text: '', open: false }));
    buf.text += String.fromCharCode(byte);
    if (byte === 0x0a) {
      this.emitLine(cpu, buf);
      if (Date.now() - this.lastFlush >= OUTPUT_FLUSH_MS) this.flushOutput();
    }
  }

  private emitLine(cpu: number, buf: { text: string; open: boolean }): void {
    if (buf.text === '') return;
    const prefix = buf.open ? '' : this.prefix(cpu);
    this.pending.push({ category: 'stdout', text: prefix + buf.text });
    buf.open = !buf.text.endsWith('\n');
    buf.text = '';
  }

  /** `[zone 1] ` when the writing CPU belongs to a zone; nothing when the writer is unknown. */
  private prefix(cpu: number): string {
    if (cpu < 0 || !this.engine) return '';
    const zone = this.engine.cpu(cpu).zone;
    return zone === undefined ? '' : `[zone ${zone}] `;
  }

  private traceLine(t: TraceEvent): void {
    this.pending.push({ category: 'trace', text: `${formatTraceLine(t)}\n` });
    if (this.pending.length >= 256) this.flushOutput();
  }

  flushOutput(): void {
    for (const [cpu, buf] of this.lineBuffers) this.emitLine(cpu, buf);
    if (this.uartBytes.length) this.pending.push({ category: 'uart', uart: 0, text: Buffer.from(this.uartBytes.splice(0)).toString('latin1') });
    for (const m of this.dwarfReports?.news() ?? []) this.pending.push({ category: 'console', text: `${m}\n` });
    this.lastFlush = Date.now();
    if (this.pending.length === 0) return;
    const chunks = this.pending;
    this.pending = [];
    this.sink(chunks);
  }

  // ---- state ---------------------------------------------------------------------------

  cpus(): CpuSummary[] {
    return Array.from({ length: this.e.cpuCount }, (_, id) => this.summary(id));
  }

  private summary(id: number): CpuSummary {
    const e = this.e;
    const c = e.cpu(id);
    const zoneName = c.zone === undefined ? undefined : e.zones().find((z) => z.id === c.zone)?.name;
    return {
      id, pc: c.pc, instructions: c.instructions, state: c.state, zone: c.zone, zoneName,
      powerOn: e.perCpu(id).archCpu.powerOn, hvFrames: [...e.hypervisorFrames(id)].reverse(),
    };
  }

  stack(cpu: number): CpuStack {
    const summary = this.summary(cpu);
    let top: GuestFrame = { pc: summary.pc, symbol: this.e.symbolize(summary.pc), source: this.e.sourceAt(summary.pc) };
    if (summary.state === 'parked') return { cpu: summary, guest: [top], endsWithoutCfi: false };
    const stack = this.e.guestFrames(cpu);
    // An inlined function is the innermost frame by its own name, above the function it is inlined into;
    // at the first instruction of an inlined call a step stopped at, the innermost frame stands at the call.
    const inner = stack.frames[0];
    if (inner?.inlined || stack.atInlinedCall) top = { pc: summary.pc, symbol: inner.function, source: inner.file === undefined || inner.line === undefined ? undefined : { file: inner.file, line: inner.line } };
    const callers = stack.frames.slice(1).map((f): GuestFrame => ({ pc: f.pc, symbol: f.function, source: f.file === undefined || f.line === undefined ? undefined : { file: f.file, line: f.line }, registers: f.registers }));
    return { cpu: summary, guest: [top, ...callers], endsWithoutCfi: stack.endsWithoutCfi && callers.length > 0 };
  }

  details(cpu: number): CpuDetails {
    const e = this.e;
    const perCpu = e.perCpu(cpu);
    const zones = e.zones();
    return {
      arch: e.arch, perCpu, registers: e.registers(cpu), systemRegisters: e.systemRegisters(cpu), fpRegisters: e.fpRegisters(cpu),
      zone: zones.find((z) => z.id === perCpu.zone), locks: e.locks(), hypervisor: e.hypervisor(),
      zoneNames: zones.map((z) => ({ id: z.id, name: z.name })),
    };
  }

  stage2(zone: number): { gpa: number; hpa: number; size: number; flags: number }[] {
    return this.e.stage2(zone).map((l) => ({ ...l }));
  }

  register(cpu: number, name: string): bigint | undefined {
    const n = name.toLowerCase();
    const value = this.e.readRegister(cpu, n);
    if (value !== undefined) return value;
    for (const group of this.e.systemRegisters(cpu)) {
      const reg = group.registers.find((r) => r.name === n);
      if (reg) return reg.value;
    }
    return undefined;
  }

  setRegister(cpu: number, name: string, value: bigint): void {
    this.e.setRegister(cpu, name, value);
  }

  setSystemRegister(cpu: number, group: string, name: string, value: bigint): bigint | undefined {
    this.e.setSystemRegister(cpu, group, name, value);
    return this.e.systemRegisters(cpu).find((g) => g.id === group)?.registers.find((r) => r.name === name)?.value;
  }

  // ---- run control ---------------------------------------------------------------------

  private powered(): boolean[] {
    const e = this.e;
    return Array.from({ length: e.cpuCount }, (_, id) => e.perCpu(id).archCpu.powerOn);
  }

  private result(before: boolean[], stop: StopReason): RunResult {
    this.values.reset();
    this.flushOutput();
    const after = this.powered();
    const note = this.conditionNote;
    this.conditionNote = undefined;
    return { stop, poweredOn: after.flatMap((on, i) => (on && !before[i] ? [i] : [])), ...(note ? { note } : {}) };
  }

  async run(cpus: readonly number[] | undefined): Promise<RunResult> {
    const before = this.powered();
    // The first line a run prints goes out at once, however soon after the last stop.
    this.lastFlush = 0;
    const e = this.e;
    const only = cpus ? { cpus: new Set(cpus) } : {};
    for (;;) {
      const stop = e.run({ ...only, yieldAt: e.totalInstructions() + RUN_SLICE });
      if (stop.kind !== 'yield') return this.result(before, stop);
      // What the guest echoed goes out while it runs on, not only at newlines.
      if (Date.now() - this.lastFlush >= OUTPUT_FLUSH_MS) this.flushOutput();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  uartInput(uart: number, bytes: Uint8Array): number {
    if (uart !== 0) throw new Error(`there is no UART ${uart}: the board has one, UART 0`);
    this.e.uartInput(bytes);
    return bytes.length;
  }

  stepInstruction(cpu: number, over: boolean): RunResult {
    const before = this.powered();
    return this.result(before, this.e.stepInstruction(cpu, over));
  }

  stepLine(cpu: number, over: boolean): RunResult {
    const before = this.powered();
    return this.result(before, this.e.stepLine(cpu, over));
  }

  stepOutProblem(cpu: number): string | undefined {
    return this.e.stepOutProblem(cpu);
  }

  stepOut(cpu: number): RunResult {
    const before = this.powered();
    return this.result(before, this.e.stepOut(cpu));
  }

  // ---- breakpoints ------------------------------------------------------------------------

  setInstructionBreakpoints(addresses: readonly bigint[]): void {
    this.e.setInstructionBreakpoints(addresses);
  }

  setEventStops(kinds: readonly string[]): void {
    this.e.setHypervisorEventStops(kinds.filter(isHvEventKind));
  }

  setStopSpecs(specs: readonly StopSpec[]): (string | undefined)[] {
    const e = this.e;
    const errors = this.conditions.replace(specs, { ...this.context(0), declared: (name: string) => declaredInProgram(e, name) });
    const conditions = this.conditions;
    const log = (text: string, spec: StopSpec): void => {
      this.pending.push({ category: 'console', text: `${text}\n`, ...(spec.source ? { source: spec.source } : {}) });
      if (Date.now() - this.lastFlush >= OUTPUT_FLUSH_MS) this.flushOutput();
    };
    e.setStopFilter({
      addresses: new Set(conditions.addresses().map((a) => Number(BigInt.asIntN(64, a)))),
      events: new Set(conditions.events().filter(isHvEventKind)),
      decide: (stop) => {
        const at = stop.kind === 'breakpoint' ? { address: BigInt.asUintN(64, BigInt(stop.pc)) } : { event: stop.event.kind };
        const d = conditions.decide(at, this.context(stop.cpu), log);
        if (d.stop && d.note) this.conditionNote = d.note;
        return d.stop;
      },
    });
    return errors;
  }

  private context(cpu: number): EvalContext {
    return cpuContext(this.e, cpu);
  }

  evaluate(cpu: number, expression: string, context: string | undefined, hex: boolean | undefined, frame = 0): Inspection {
    return this.values.evaluate(cpu, frame, expression, context, hex);
  }

  frameScopes(cpu: number, frame: number): FrameScopes | undefined {
    return this.values.scopes(cpu, frame);
  }

  valueChildren(handle: number, start: number, count: number): CVariableView[] {
    return this.values.children(handle, start, count);
  }

  setValue(handle: number, name: string, expression: string): CVariableView {
    return this.values.set(handle, name, expression);
  }

  private get values(): FrameVariables {
    if (!this.variables) throw new Error('the machine is not launched');
    return this.variables;
  }

  completions(cpu: number, text: string, column: number, frame = 0): { items: Completion[]; prefix: string } {
    const e = this.e;
    const prefix = wordBefore(text, column);
    const registers = [
      ...e.registers(cpu).map((r) => r.name),
      ...e.systemRegisters(cpu).flatMap((g) => g.registers.map((r) => r.name)),
      ...e.fpRegisters(cpu).map((n) => n.setName ?? n.name),
    ];
    const program = frame === 0 ? this.context(cpu).program : this.values.frame(cpu, frame)?.scope;
    return { items: completions({ variables: program?.names() ?? [], registers, fields: fieldNames(e, cpu), symbols: e.symbolNames() }, prefix), prefix };
  }

  resolveLines(file: string, lines: readonly number[]): (ResolvedBreakpoint | undefined)[] {
    const wanted = normalize(file);
    return lines.map((line) => bindSource(this.e.images, (f) => normalize(f) === wanted, line));
  }

  symbolAddress(name: string): bigint | undefined {
    return this.e.findSymbol(name)?.value;
  }

  // ---- memory -----------------------------------------------------------------------------

  readMemory(cpu: number | undefined, address: bigint, length: number): (number | undefined)[] {
    return cpu === undefined ? this.e.readPhysical(Number(address), length) : this.e.readVirtual(cpu, virtualKey(address), length);
  }

  writeMemory(cpu: number | undefined, address: bigint, bytes: Uint8Array): number {
    const e = this.e;
    const a = cpu === undefined ? Number(address) : virtualKey(address);
    if (cpu === undefined) {
      if (e.readPhysical(a, bytes.length).some((b) => b === undefined)) return 0;
      e.writePhysical(a, bytes);
      return bytes.length;
    }
    let written = 0;
    for (const [i, byte] of bytes.entries()) {
      const pa = e.translate(cpu, a + i, 'write');
      if (pa === undefined || e.readPhysical(pa, 1)[0] === undefined) break;
      e.writePhysical(pa, Uint8Array.of(byte));
      written++;
    }
    return written;
  }

  disassemble(cpu: number, address: bigint, offset: number, count: number): DisassemblyLine[] {
    const e = this.e;
    return e.disassembleAround(cpu, Number(BigInt.asIntN(64, address)), offset, count).map((l) => ({ ...l, source: l.invalid ? undefined : e.sourceAt(l.address) }));
  }
}

/** A launch-configuration problem names the attribute alone; a problem in a zone config names its file too. */
function describeConfigError(e: ConfigError, launchFile: string): string {
  if (e.file !== launchFile) return e.toString();
  return e.path ? `launch attribute "${e.path}": ${e.message}` : `launch configuration: ${e.message}`;
}

/** A virtual address as the engine takes it: the 64-bit pattern as a signed number, exact for a high-half address. */
function virtualKey(address: bigint): number {
  return Number(BigInt.asIntN(64, address));
}
