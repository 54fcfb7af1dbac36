// HvisorDebugSession: DAP for the hvisor model. One thread per physical CPU
// (thread id = CPU + 1), the engine in a worker thread behind comlink.
//
// Launch configuration: the launch-file attributes (arch, board, cpus,
// rootZone, zones, images, stopOnEntry, runMode, trace) plus `cwd`, the
// folder relative paths resolve against (the workspace folder; default: the
// adapter's working directory).
//
// Output events: guest UART output has category `stdout`, each line prefixed
// `[zone N] ` by the zone of the CPU that wrote it. With `trace: true` every
// hypervisor trace line is an output event as protocol/trace-output.ts
// declares it, which the extension routes to an output channel.
//
// Evaluate (watch, hover, repl, clipboard), completions, and the conditions,
// hit conditions and log messages of breakpoints and exception filters go to
// the engine's expression language (engine/debug/): the worker evaluates them
// where the run stops, and the session only keeps the breakpoints
// (breakpoints.ts) and turns the answers into DAP.
//
// Custom requests (freezeCpu, thawCpu, runOnlyCpu, setRunMode, getRunState,
// uartInput) are declared in protocol/custom-requests.ts; the UART events
// that go with uartInput in protocol/uart.ts. Guest output goes both to the
// Debug Console (lines, with the writing zone) and, raw, to the UART's
// terminal in the extension. Each freeze or thaw sends a thread event, so
// VS Code shows the new thread names, which carry "frozen".

import type { ResourceLimits } from 'node:worker_threads';
import { basename, join } from 'node:path';
import * as Comlink from 'comlink';
import {
  Breakpoint, ContinuedEvent, DebugSession, Event, Handles, InitializedEvent, InvalidatedEvent, MemoryEvent, OutputEvent,
  Response, Scope, Source, StoppedEvent, TerminatedEvent, Thread, ThreadEvent, ExitedEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { StopReason } from '../engine/api';
import type { CpuDetails, CpuSummary, EngineApi, LaunchAttributes, LaunchSummary, OutputChunk, RunResult } from './engine-protocol';
import { FRAMES_PER_THREAD, callerIndex, guestFrameIndex, stackFrames } from './stack-frames';
import { buildScopes, cVariable, formatValue, stage2Items, type VarItem } from './variables';
import { guestReference, hex, parseMemoryReference } from './memory-reference';
import { floatBits } from '../engine/debug/float-bits';
import { BreakpointBook, EVENT_FILTERS, type LiveBreakpoint } from './breakpoints';
import { functionBreakpoints, instructionBreakpoints, optionalString, sourceBreakpoints, sourcePath } from './breakpoint-arguments';
import {
  CustomArgumentError, isCustomRequest, readCustomArguments, type CustomArguments, type CustomRequestHandlers, type CustomRequestName,
} from '../protocol/custom-requests';
import { TRACE_OUTPUT_CATEGORY, TRACE_OUTPUT_DATA } from '../protocol/trace-output';
import { UARTS_EVENT, UART_OUTPUT_EVENT, type UartOutputEventBody, type UartsEventBody } from '../protocol/uart';
import { DEFAULT_WORKER_LIMITS, EngineConnection, failureText } from './engine-connection';
import { checkMessage, reportMalformed } from './message-shape';
import { unsupportedRequest } from './unsupported';
import { ArgumentError, base64, integer, launchArguments, optionalBoolean, optionalChoice, optionalInteger, string, thread } from './arguments';

/** The most bytes one readMemory returns; a larger count is cut to this and the client told. */
const MAX_READ_BYTES = 1 << 20;
/** The most bytes one writeMemory may write. */
const MAX_WRITE_BYTES = 1 << 20;
/** The most instructions one disassemble request may ask for, and the furthest its instructionOffset may reach. */
const MAX_DISASSEMBLY = 10_000;

/** A variables reference: a tree built here, a zone's stage-2 leaves, or C values the engine keeps by handle. */
type VarNode = { readonly items: readonly VarItem[] } | { readonly stage2Of: number } | { readonly cValues: number; readonly cpu: number };

export interface HvisorDebugSessionOptions {
  /** The compiled worker entry; by default engine-worker.js beside this bundle. */
  readonly workerPath?: string;
  /** The worker's resource limits; by default a heap limit below the host's. */
  readonly workerLimits?: ResourceLimits;
}

export class HvisorDebugSession extends DebugSession {
  /** The running machine's worker; undefined before launch and after it ends. */
  private connection: EngineConnection | undefined;
  /** Every worker started and not yet exited, the machine's and any being replaced or stopped. */
  private readonly workers = new Set<EngineConnection>();
  private workersGone: () => void = () => {};
  /** Launch, restart and terminate, one at a time. */
  private lifecycle: Promise<void> = Promise.resolve();
  private pauseFlag: Int32Array | undefined;
  private launchArgs: LaunchAttributes | undefined;
  private cpuCount = 0;
  private runMode: 'all' | 'solo' = 'all';
  private readonly frozen = new Set<number>();
  /** The CPU the user last looked at or acted on. */
  private focusCpu = 0;
  private running = false;
  /** A continue that ended quiescent: typed UART input takes it up again, as input wakes an idle board. */
  private idleRun: (() => void) | undefined;
  private lastCpus: CpuSummary[] = [];
  private readonly details = new Map<number, Promise<CpuDetails>>();
  private readonly handles = new Handles<VarNode>();
  private readonly breakpoints = new BreakpointBook();
  private eventFilters: string[] = EVENT_FILTERS.filter((f) => f.default).map((f) => f.filter);
  private configured: (() => void) | undefined;
  private readonly workerPath: string;
  private readonly workerLimits: ResourceLimits;

  /** Answer a request whose handler failed. */
  answerWithError(response: DebugProtocol.Response, e: unknown): void {
    if (e instanceof ArgumentError) {
      this.sendErrorResponse(response, { id: 1020, format: `${response.command}: ${e.message}`, showUser: true });
      return;
    }
    this.sendErrorResponse(response, { id: 1100, format: `${response.command} failed: ${errorText(e)}`, showUser: true });
  }

  constructor(options: HvisorDebugSessionOptions = {}) {
    super();
    guardRequestHandlers(this);
    this.workerPath = options.workerPath ?? join(__dirname, 'engine-worker.js');
    this.workerLimits = options.workerLimits ?? DEFAULT_WORKER_LIMITS;
    // The client went away without a disconnect: the machine goes with it.
    this.on('close', () => this.dispose());
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  private get api(): Comlink.Remote<EngineApi> | undefined {
    return this.connection?.api;
  }

  /** Engine workers still alive; a server counts them to see that closed sessions let theirs go. */
  workerCount(): number {
    return this.workers.size;
  }

  /** Call `listener` each time the last of this session's workers exits. */
  onWorkersGone(listener: () => void): void {
    this.workersGone = listener;
  }

  /** Every incoming message is checked before it is dispatched: a malformed one is reported, never fatal. */
  override handleMessage(message: DebugProtocol.ProtocolMessage): void {
    const checked = checkMessage(message);
    if (checked.ok) super.handleMessage(checked.message);
    else reportMalformed(this, checked.problem, message);
  }

  /** A request this session does not implement is refused; `modules`, which the library does not route, is answered here. */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const refusal = unsupportedRequest(this, request.command);
    if (refusal !== undefined) this.sendErrorResponse(new Response(request), 1030, refusal);
    else if (request.command === 'modules') void this.modulesRequest(new Response(request) as DebugProtocol.ModulesResponse, request.arguments as DebugProtocol.ModulesArguments | undefined);
    // Handlers read fields of their arguments: a request sent without any has none of them.
    else super.dispatchRequest(request.arguments === undefined || request.arguments === null ? { ...request, arguments: {} } : request);
  }

  private get engine(): Comlink.Remote<EngineApi> {
    if (!this.api) throw new Error('no machine is running; launch first');
    return this.api;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsExceptionFilterOptions: true,
      supportsCompletionsRequest: true,
      supportsInstructionBreakpoints: true,
      supportsDisassembleRequest: true,
      supportsSteppingGranularity: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsSetVariable: true,
      supportsEvaluateForHovers: true,
      supportsValueFormattingOptions: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsSingleThreadExecutionRequests: true,
      supportsExceptionInfoRequest: true,
      supportsLoadedSourcesRequest: true,
      supportsModulesRequest: true,
      exceptionBreakpointFilters: [...EVENT_FILTERS],
    };
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    try {
      await this.serially(() => this.startMachine(launchArguments(args)));
    } catch (e) {
      this.sendErrorResponse(response, { id: 1001, format: errorText(e), showUser: true });
      return;
    }
    const configured = new Promise<void>((resolve) => {
      this.configured = resolve;
      setTimeout(resolve, 5000);
    });
    this.sendEvent(new InitializedEvent());
    for (let cpu = 0; cpu < this.cpuCount; cpu++) this.sendEvent(new ThreadEvent('started', cpu + 1));
    await configured;
    this.sendResponse(response);
    await this.begin();
  }

  /** Run a lifecycle step after the ones before it have finished. */
  private serially<T>(step: () => Promise<T>): Promise<T> {
    const done = this.lifecycle.then(step);
    this.lifecycle = done.then(() => {}, () => {});
    return done;
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configured?.();
  }

  private stopOnEntry = false;

  /**
   * Launch a machine in a new worker. Only once it is up does it replace the
   * current one, so a launch that fails leaves the current machine as it was.
   */
  private async startMachine(args: LaunchAttributes): Promise<void> {
    if (this.ended) throw new Error('the session has ended');
    const connection: EngineConnection = new EngineConnection(this.workerPath, this.workerLimits, (reason) => this.engineDied(connection, reason), () => {
      this.workers.delete(connection);
      if (this.workers.size === 0) this.workersGone();
    }, (chunks) => {
      if (connection === this.connection) this.output(chunks);
    });
    this.workers.add(connection);
    let summary: LaunchSummary;
    let cpus: CpuSummary[];
    try {
      const api = connection.api;
      summary = await api.launch(args);
      cpus = await api.cpus();
      if (this.ended) throw new Error('the session has ended');
    } catch (e) {
      connection.close();
      throw e;
    }
    this.stopWorker();
    this.connection = connection;
    this.launchArgs = args;
    this.cpuCount = summary.cpus;
    this.runMode = summary.runMode;
    this.stopOnEntry = summary.stopOnEntry;
    this.pauseFlag = new Int32Array(summary.pauseBuffer);
    this.frozen.clear();
    this.details.clear();
    this.lastCpus = cpus;
    this.loaded = summary;
    this.focusCpu = this.lastCpus.find((c) => c.state !== 'parked')?.id ?? 0;
    this.sendEvent(new Event(UARTS_EVENT, { uarts: summary.uarts } satisfies UartsEventBody));
  }

  /** What the running machine loaded, for the loadedSources and modules requests. */
  private loaded: Pick<LaunchSummary, 'sources' | 'images'> = { sources: [], images: [] };

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    response.body = { sources: this.loaded.sources.map((path) => new Source(basename(path), path)) };
    this.sendResponse(response);
  }

  /** The images the machine loaded: one module each, named by file, with the memory it occupies. */
  protected modulesRequest(response: DebugProtocol.ModulesResponse, args: DebugProtocol.ModulesArguments | undefined): void {
    const start = integer(args, 'startModule', { min: 0 }, 0);
    const count = integer(args, 'moduleCount', { min: 0 }, 0);
    const modules = this.loaded.images.map((image, i): DebugProtocol.Module => ({
      id: i, name: basename(image.path), path: image.path,
      addressRange: `${hex(BigInt(image.start))}-${hex(BigInt(image.end))}`,
      symbolStatus: image.hasSymbols ? 'Symbols loaded.' : 'No symbols.',
    }));
    response.body = { modules: modules.slice(start, count ? start + count : undefined), totalModules: modules.length };
    this.sendResponse(response);
  }

  /** The adapter itself failed where no request can answer for it: say why and where, and end the session. */
  adapterFailed(e: unknown): void {
    this.stopWorker();
    this.sendEvent(new OutputEvent(`${failureText(e, 'the debug adapter')}\n`, 'stderr'));
    this.sendEvent(new TerminatedEvent());
  }

  /** The machine's worker died by itself: say why, and end the session. */
  private engineDied(connection: EngineConnection, reason: string): void {
    if (connection !== this.connection) return;
    this.stopWorker();
    this.sendEvent(new OutputEvent(`${reason}\n`, 'stderr'));
    this.sendEvent(new TerminatedEvent());
  }

  /** Start the machine after configuration: stop on entry or run. */
  private async begin(): Promise<void> {
    // The machine may have died, or the session ended, while the client configured it.
    if (!this.connection) return;
    if (this.stopOnEntry) {
      this.sendEvent(stopped('entry', this.focusCpu, { description: `CPU ${this.focusCpu} at the guest's entry`, allThreadsStopped: true }));
      return;
    }
    const cpus = this.runCpus(this.focusCpu, false);
    await this.runOn(this.focusCpu, cpus, cpus === undefined || cpus.length === this.cpuCount);
  }

  private output(chunks: readonly OutputChunk[]): void {
    for (const c of chunks) {
      if (c.category === 'stdout') this.sendEvent(new OutputEvent(c.text, 'stdout'));
      else if (c.category === 'uart') this.sendEvent(new Event(UART_OUTPUT_EVENT, { uart: c.uart ?? 0, data: Buffer.from(c.text, 'latin1').toString('base64') } satisfies UartOutputEventBody));
      else if (c.category === 'console') {
        const e = new OutputEvent(c.text, 'console') as DebugProtocol.OutputEvent;
        if (c.source) {
          e.body.source = new Source(basename(c.source.file), c.source.file);
          e.body.line = c.source.line;
        }
        this.sendEvent(e);
      } else {
        this.sendEvent(new OutputEvent(c.text, TRACE_OUTPUT_CATEGORY, TRACE_OUTPUT_DATA));
      }
    }
  }

  /** Let the machine go: its worker stops, and the session has no threads until the next launch. */
  private stopWorker(): void {
    this.connection?.close();
    this.connection = undefined;
    this.running = false;
    this.cpuCount = 0;
    this.lastCpus = [];
    this.loaded = { sources: [], images: [] };
    this.details.clear();
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments | undefined): Promise<void> {
    return this.serially(() => this.restart(response, args));
  }

  private async restart(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments | undefined): Promise<void> {
    const config = args?.arguments !== undefined ? launchArguments(args.arguments) : this.launchArgs;
    if (!config) {
      this.sendErrorResponse(response, 1002, 'nothing to restart: the session never launched');
      return;
    }
    try {
      await this.startMachine(config);
      await this.breakpoints.arm(this.engine);
      await this.engine.setEventStops(this.eventFilters);
    } catch (e) {
      if (this.connection) {
        this.sendErrorResponse(response, { id: 1001, format: `restart failed, the machine runs on as it was: ${errorText(e)}`, showUser: true });
        return;
      }
      this.sendErrorResponse(response, { id: 1001, format: `restart failed, and there is no machine left: ${errorText(e)}`, showUser: true });
      this.sendEvent(new TerminatedEvent());
      return;
    }
    this.sendResponse(response);
    this.sendEvent(new InvalidatedEvent(['all']));
    // Not awaited: a run may last until paused, and later restarts must not wait for it.
    void this.begin();
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    return this.serially(async () => {
      this.stopWorker();
      this.sendResponse(response);
      this.sendEvent(new TerminatedEvent());
    });
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.ended = true;
    this.stopWorker();
    this.sendResponse(response);
  }

  /** Set by disconnect or a closed connection: a launch still under way stops its worker instead of running it. */
  private ended = false;

  /** The session is over: its machine stops, and no launch under way starts one. */
  override dispose(): void {
    this.ended = true;
    this.stopWorker();
  }

  // ---- threads and stacks ---------------------------------------------------------------------

  protected override async threadsRequest(response: DebugProtocol.ThreadsResponse): Promise<void> {
    // While a run is busy the worker cannot answer: name the CPUs as last seen.
    if (this.api && !this.running) this.lastCpus = await this.engine.cpus();
    response.body = { threads: this.lastCpus.map((c) => new Thread(c.id + 1, this.threadName(c))) };
    this.sendResponse(response);
  }

  private threadName(c: CpuSummary): string {
    const parts = [`CPU ${c.id}`];
    if (c.state === 'parked') parts.push('parked');
    else {
      parts.push(c.zone === undefined ? 'no zone' : c.zone === 0 ? 'root' : `zone ${c.zone}`);
      if (c.hvFrames.length) parts.push(`hv: ${c.hvFrames[0]}`);
      else parts.push(c.state === 'wfi' ? 'guest (wfi)' : 'guest');
    }
    if (this.frozen.has(c.id)) parts.push('frozen');
    return parts.join(' · ');
  }

  protected override async stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): Promise<void> {
    const cpu = thread(args, this.cpuCount);
    const start = integer(args, 'startFrame', { min: 0 }, 0);
    const levels = integer(args, 'levels', { min: 0 }, 0);
    if (this.running) {
      response.body = { stackFrames: [], totalFrames: 0 };
      this.sendResponse(response);
      return;
    }
    this.focusCpu = cpu;
    const frames = stackFrames(cpu, await this.engine.stack(cpu));
    response.body = { stackFrames: frames.slice(start, start + (levels || frames.length)), totalFrames: frames.length };
    this.sendResponse(response);
  }

  /** The CPU whose stack a frame id belongs to. */
  private frameCpu(frameId: number): number {
    const cpu = Math.floor(frameId / FRAMES_PER_THREAD) - 1;
    if (this.cpuCount === 0) throw new ArgumentError('no machine is running; launch first');
    if (cpu < 0 || cpu >= this.cpuCount) throw new ArgumentError(`"frameId" ${frameId} is not a stack frame of any thread`);
    return cpu;
  }

  private cpuOf(threadId: number | undefined): number | undefined {
    if (threadId === undefined) return undefined;
    const cpu = threadId - 1;
    return Number.isInteger(cpu) && cpu >= 0 && cpu < this.cpuCount ? cpu : undefined;
  }

  // ---- variables ------------------------------------------------------------------------------

  private cpuDetails(cpu: number): Promise<CpuDetails> {
    let d = this.details.get(cpu);
    if (!d) {
      d = this.engine.details(cpu);
      this.details.set(cpu, d);
    }
    return d;
  }

  protected override async scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): Promise<void> {
    const frameId = integer(args, 'frameId');
    const cpu = this.frameCpu(frameId);
    if (this.running) {
      response.body = { scopes: [] };
      this.sendResponse(response);
      return;
    }
    const caller = callerIndex(cpu, frameId);
    const frameRegisters = caller === undefined ? undefined : (await this.engine.stack(cpu)).guest[caller]?.registers;
    const trees = buildScopes(cpu, await this.cpuDetails(cpu), frameRegisters);
    const frame = guestFrameIndex(cpu, frameId);
    const c = frame === undefined ? undefined : await this.engine.frameScopes(cpu, frame);
    const cScopes = c ? [cScope('Locals', this.handles.create({ cValues: c.locals.handle, cpu }), c.locals.count, 'locals'), cScope('Globals', this.handles.create({ cValues: c.globals.handle, cpu }), c.globals.count)] : [];
    response.body = {
      scopes: [...cScopes, ...trees.map((t) => {
        const s: DebugProtocol.Scope = new Scope(t.name, this.handles.create({ items: t.items }), false);
        if (t.presentationHint) s.presentationHint = t.presentationHint;
        s.namedVariables = t.items.length;
        return s;
      })],
    };
    this.sendResponse(response);
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    const reference = integer(args, 'variablesReference');
    const start = integer(args, 'start', { min: 0 }, 0);
    const count = optionalInteger(args, 'count', { min: 0 });
    const node = this.handles.get(reference);
    if (!node) throw new ArgumentError(`"variablesReference" ${reference} is not known: references last until the machine runs again`);
    const hexFormat = args.format?.hex;
    if ('cValues' in node) {
      if (this.busy(response)) return;
      const views = await this.engine.valueChildren(node.cValues, start, count ?? 0);
      response.body = { variables: views.map((v) => cVariable(node.cpu, v, (handle) => this.handles.create({ cValues: handle, cpu: node.cpu }))) };
      this.sendResponse(response);
      return;
    }
    let items: readonly VarItem[] = [];
    if ('items' in node) items = node.items;
    else if (this.api && !this.running) items = stage2Items(await this.engine.stage2(node.stage2Of));
    if (start !== 0 || count !== undefined) items = items.slice(start, start + (count || items.length));
    response.body = { variables: items.map((item) => this.toVariable(item, hexFormat)) };
    this.sendResponse(response);
  }

  private toVariable(item: VarItem, hexFormat: boolean | undefined): DebugProtocol.Variable {
    const v: DebugProtocol.Variable = {
      name: item.name,
      value: formatValue(item.value, hexFormat),
      variablesReference: item.stage2Of !== undefined ? this.handles.create({ stage2Of: item.stage2Of }) : item.children && item.children.length ? this.handles.create({ items: item.children }) : 0,
    };
    if (item.type) v.type = item.type;
    if (item.memoryReference) v.memoryReference = item.memoryReference;
    if (item.evaluateName) v.evaluateName = item.evaluateName;
    if (!item.register) v.presentationHint = { attributes: ['readOnly'] };
    return v;
  }

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    const reference = integer(args, 'variablesReference');
    string(args, 'name');
    string(args, 'value');
    const node = this.handles.get(reference);
    if (!node) throw new ArgumentError(`"variablesReference" ${reference} is not known: references last until the machine runs again`);
    if (this.busy(response)) return;
    if ('cValues' in node) {
      try {
        const v = await this.engine.setValue(node.cValues, args.name, args.value);
        const set = cVariable(node.cpu, v, (handle) => this.handles.create({ cValues: handle, cpu: node.cpu }));
        response.body = { value: set.value, type: v.type, variablesReference: set.variablesReference, ...(set.memoryReference ? { memoryReference: set.memoryReference } : {}) };
      } catch (e) {
        this.sendErrorResponse(response, 1003, errorText(e));
        return;
      }
      this.details.delete(node.cpu);
      this.sendResponse(response);
      this.sendEvent(new InvalidatedEvent(['variables']));
      return;
    }
    const item = 'items' in node ? node.items.find((i) => i.name === args.name) : undefined;
    if (!item?.register) {
      this.sendErrorResponse(response, 1003, `${args.name} is read-only: only registers can be set`);
      return;
    }
    const { cpu, group } = item.register;
    // A decimal with a point is a float for FP lanes; anything else is an expression on the register's CPU.
    let value = floatBits(args.value, item.register.float);
    if (value === undefined && floatBits(args.value, 64) !== undefined) {
      this.sendErrorResponse(response, 1003, `"${args.value}" is not a number ${args.name} takes: it takes integers and bit patterns`);
      return;
    }
    if (value === undefined) {
      try {
        value = (await this.engine.evaluate(cpu, args.value, 'watch', true)).value;
      } catch (e) {
        this.sendErrorResponse(response, 1003, `${args.name}: "${args.value}": ${errorText(e)}`);
        return;
      }
    }
    const name = item.register.name ?? args.name;
    let now: bigint;
    if (group) {
      now = (await this.engine.setSystemRegister(cpu, group, name, value)) ?? value;
    } else {
      await this.engine.setRegister(cpu, name, value);
      now = (await this.engine.register(cpu, name)) ?? value;
    }
    this.details.delete(cpu);
    // FP/SIMD registers (named nodes) are up to 128 bits wide and never addresses.
    response.body = item.register.name
      ? { value: `0x${BigInt.asUintN(128, now).toString(16)}` }
      : { value: formatValue({ kind: 'number', value: now, hexOnly: true }, args.format?.hex), memoryReference: guestReference(cpu, now) };
    this.sendResponse(response);
    this.sendEvent(new InvalidatedEvent(['variables']));
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    const expression = string(args, 'expression');
    const context = optionalString(args, 'context');
    const cpu = args.frameId !== undefined ? this.frameCpu(integer(args, 'frameId')) : this.focusCpu;
    const frame = args.frameId !== undefined ? guestFrameIndex(cpu, args.frameId) ?? 0 : 0;
    if (this.busy(response)) return;
    try {
      const r = await this.engine.evaluate(cpu, expression, context, optionalBoolean(args.format, 'hex'), frame);
      if (context === 'repl') {
        this.details.delete(cpu);
        if (/(^|[^=!<>])=($|[^=])/.test(expression)) this.sendEvent(new InvalidatedEvent(['variables']));
      }
      response.body = {
        result: r.result, variablesReference: r.handle ? this.handles.create({ cValues: r.handle, cpu }) : 0,
        ...(r.type ? { type: r.type } : {}), ...(r.namedChildren !== undefined ? { namedVariables: r.namedChildren } : {}), ...(r.indexedChildren !== undefined ? { indexedVariables: r.indexedChildren } : {}),
        ...(r.address !== undefined ? { memoryReference: guestReference(cpu, r.address) } : {}),
      };
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, 1005, errorText(e));
    }
  }

  protected override async completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): Promise<void> {
    const text = string(args, 'text');
    const column = this.convertClientColumnToDebugger(integer(args, 'column', { min: this.convertDebuggerColumnToClient(1) })) - 1;
    const cpu = args.frameId !== undefined ? this.frameCpu(integer(args, 'frameId')) : this.focusCpu;
    const frame = args.frameId !== undefined ? guestFrameIndex(cpu, args.frameId) ?? 0 : 0;
    if (this.busy(response)) return;
    const { items, prefix } = await this.engine.completions(cpu, text, column, frame);
    const start = this.convertDebuggerColumnToClient(column - prefix.length + 1);
    response.body = { targets: items.map((i) => ({ label: i.label, type: i.type, start, length: prefix.length })) };
    this.sendResponse(response);
  }

  // ---- run control ----------------------------------------------------------------------------

  /** The CPUs a `continue` of `cpu` runs; undefined means every CPU. */
  private runCpus(cpu: number, singleThread: boolean): number[] | undefined {
    if (singleThread || this.runMode === 'solo') return [cpu];
    if (this.frozen.size === 0) return undefined;
    return Array.from({ length: this.cpuCount }, (_, i) => i).filter((i) => !this.frozen.has(i));
  }

  /** Run a job in the worker without holding up the session, then report how it stopped. */
  private async resume(job: () => Promise<RunResult>, allThreads: boolean, again?: () => void): Promise<void> {
    this.running = true;
    this.idleRun = undefined;
    this.details.clear();
    this.handles.reset();
    if (this.pauseFlag) Atomics.store(this.pauseFlag, 0, 0);
    const connection = this.connection;
    let result: RunResult;
    try {
      result = await job();
    } catch (e) {
      // A machine replaced, stopped or dead meanwhile has nothing more to report here.
      if (connection !== this.connection) return;
      this.running = false;
      // An engine bug: say what and where, and show the machine stopped where the run broke off.
      this.sendEvent(new OutputEvent(`${failureText(e)}\n`, 'stderr'));
      this.lastException = { id: 'engine-error', description: `the engine failed: ${errorText(e)}` };
      this.sendEvent(stopped('exception', this.focusCpu, { allThreadsStopped: true, description: this.lastException.description, text: 'engine error' }));
      return;
    }
    if (connection !== this.connection) return;
    this.running = false;
    this.report(result, allThreads);
    if (result.stop.kind === 'quiescent') this.idleRun = again;
  }

  private busy(response: DebugProtocol.Response): boolean {
    if (!this.api) {
      this.sendErrorResponse(response, 1006, 'no machine is running; launch first');
      return true;
    }
    if (this.running) {
      this.sendErrorResponse(response, 1007, 'the machine is already running');
      return true;
    }
    return false;
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    thread(args, this.cpuCount);
    this.runContinue(response, args.threadId, optionalBoolean(args, 'singleThread') === true);
  }

  private runContinue(response: DebugProtocol.Response, threadId: number, singleThread: boolean): void {
    if (this.busy(response)) return;
    const cpu = this.cpuOf(threadId) ?? this.focusCpu;
    this.focusCpu = cpu;
    const cpus = this.runCpus(cpu, singleThread);
    if (cpus && cpus.length === 0) {
      this.sendErrorResponse(response, 1008, 'every CPU is frozen: thaw one to continue');
      return;
    }
    const all = cpus === undefined || cpus.length === this.cpuCount;
    response.body = { allThreadsContinued: all };
    this.sendResponse(response);
    if (!all) for (const c of cpus) if (c !== cpu) this.sendEvent(new ContinuedEvent(c + 1, false));
    void this.runOn(cpu, cpus, all);
  }

  /** Run `cpus` (undefined: every CPU) until a stop; if the machine goes quiescent, typed input runs them on. */
  private runOn(cpu: number, cpus: number[] | undefined, all: boolean): Promise<void> {
    return this.resume(() => this.engine.run(cpus), all, () => {
      for (const c of all ? [cpu] : cpus ?? [cpu]) this.sendEvent(new ContinuedEvent(c + 1, all));
      void this.runOn(cpu, cpus, all);
    });
  }

  /**
   * Stepping is the engine's: `next` steps over calls by line or, with
   * granularity "instruction", by instruction (as gdb's nexti); `stepIn` by
   * instruction executes exactly one. A `stepOut` whose return address the
   * engine cannot know answers an error saying why, and nothing runs.
   */
  private async step(response: DebugProtocol.Response, threadId: number, kind: 'over' | 'in' | 'out', granularity: DebugProtocol.SteppingGranularity | undefined): Promise<void> {
    const cpu = thread({ threadId }, this.cpuCount);
    optionalChoice({ granularity }, 'granularity', ['statement', 'line', 'instruction']);
    if (this.busy(response)) return;
    this.focusCpu = cpu;
    const api = this.engine;
    if (kind === 'out') {
      const problem = await api.stepOutProblem(cpu);
      if (problem !== undefined) {
        this.sendErrorResponse(response, 1014, `cannot step out: ${problem}`);
        return;
      }
    }
    this.sendResponse(response);
    const job = kind === 'out' ? () => api.stepOut(cpu) : granularity === 'instruction' ? () => api.stepInstruction(cpu, kind === 'over') : () => api.stepLine(cpu, kind === 'over');
    void this.resume(job, false);
  }

  protected override async nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): Promise<void> {
    await this.step(response, args.threadId, 'over', args.granularity);
  }

  protected override async stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): Promise<void> {
    await this.step(response, args.threadId, 'in', args.granularity);
  }

  protected override async stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): Promise<void> {
    await this.step(response, args.threadId, 'out', args.granularity);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): void {
    const cpu = thread(args, this.cpuCount);
    this.sendResponse(response);
    if (this.running && this.pauseFlag) Atomics.store(this.pauseFlag, 0, 1);
    else this.sendEvent(stopped('pause', cpu, { allThreadsStopped: true }));
  }

  /** Turn an engine stop into DAP events. */
  private report(result: RunResult, allThreads: boolean): void {
    for (const cpu of result.poweredOn) this.sendEvent(new ThreadEvent('started', cpu + 1));
    const s: StopReason = result.stop;
    const all = { allThreadsStopped: allThreads };
    switch (s.kind) {
      case 'breakpoint': {
        const hits = this.breakpoints.at(BigInt(s.pc));
        const reason = hits[0]?.kind === 'function' ? 'function breakpoint' : hits[0]?.kind === 'instruction' ? 'instruction breakpoint' : 'breakpoint';
        const description = `CPU ${s.cpu} hit a breakpoint at ${hex(s.pc)}${result.note ? `: ${result.note}` : ''}`;
        this.sendEvent(stopped(reason, s.cpu, { ...all, description, hitBreakpointIds: hits.map((h) => h.id), ...(result.note ? { text: result.note } : {}) }));
        return;
      }
      case 'step':
        this.sendEvent(stopped('step', s.cpu, all));
        return;
      case 'wfi':
        this.sendEvent(stopped('step', s.cpu, { ...all, description: `CPU ${s.cpu} waits for an interrupt (wfi) and none is due`, text: 'wfi' }));
        return;
      case 'pause':
        this.sendEvent(stopped('pause', this.focusCpu, { allThreadsStopped: true }));
        return;
      case 'limit':
        this.sendEvent(stopped('pause', this.focusCpu, { allThreadsStopped: true, description: 'the instruction limit is reached' }));
        return;
      case 'quiescent':
        this.sendEvent(stopped('pause', this.focusCpu, { allThreadsStopped: true, description: `quiescent: ${s.reason ?? 'every running CPU waits for an interrupt that cannot arrive'}` }));
        return;
      case 'event': {
        const description = `CPU ${s.cpu}: ${s.event.kind}: ${s.event.text}${result.note ? ` (${result.note})` : ''}`;
        this.lastException = { id: s.event.kind, description };
        this.sendEvent(stopped('exception', s.cpu, { ...all, description, text: s.event.kind }));
        return;
      }
      case 'lock-wait':
        this.lastException = { id: 'lock-wait', description: `CPU ${s.cpu} ${s.reason}` };
        this.sendEvent(stopped('lock wait', s.cpu, { ...all, description: `CPU ${s.cpu} ${s.reason}`, text: s.reason }));
        return;
      case 'deadlock':
        this.lastException = { id: 'deadlock', description: s.reason };
        this.sendEvent(stopped('exception', s.cpus[0] ?? this.focusCpu, { allThreadsStopped: true, description: s.reason, text: 'deadlock' }));
        return;
      case 'stuck':
        this.lastException = { id: 'guest-stuck', description: s.reason };
        this.sendEvent(stopped('exception', s.cpu, { allThreadsStopped: true, description: s.reason, text: 'stuck in an exception loop' }));
        return;
      case 'panic':
        this.lastException = { id: 'would-panic', description: `CPU ${s.cpu}: ${s.reason}` };
        this.sendEvent(stopped('exception', s.cpu, { allThreadsStopped: true, description: `CPU ${s.cpu}: ${s.reason}`, text: 'would panic' }));
        return;
      case 'poweroff':
        this.sendEvent(new OutputEvent(`power-off by CPU ${s.cpu} (${s.reason})\n`, 'console'));
        this.sendEvent(new ExitedEvent(0));
        this.sendEvent(new TerminatedEvent());
        return;
    }
  }

  private lastException: { id: string; description: string } | undefined;

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const e = this.lastException ?? { id: 'none', description: 'no hypervisor event' };
    response.body = { exceptionId: e.id, description: e.description, breakMode: 'always' };
    this.sendResponse(response);
  }

  protected override async customRequest(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    if (!isCustomRequest(command)) {
      super.customRequest(command, response, args);
      return;
    }
    let body;
    try {
      body = await this.dispatchCustom(command, readCustomArguments(command, args), response);
    } catch (e) {
      this.sendErrorResponse(response, e instanceof CustomArgumentError ? 1011 : 1010, errorText(e));
      return;
    }
    if (body === undefined) return;
    response.body = body;
    this.sendResponse(response);
  }

  private dispatchCustom<K extends CustomRequestName>(command: K, args: CustomArguments<K>, response: DebugProtocol.Response): ReturnType<CustomRequestHandlers<DebugProtocol.Response>[K]> {
    return this.customHandlers[command](args, response) as ReturnType<CustomRequestHandlers<DebugProtocol.Response>[K]>;
  }

  private readonly customHandlers: CustomRequestHandlers<DebugProtocol.Response> = {
    freezeCpu: ({ threadId }) => this.setFrozen(threadId, true),
    thawCpu: ({ threadId }) => this.setFrozen(threadId, false),
    runOnlyCpu: ({ threadId }, response) => {
      this.threadCpu(threadId);
      this.runContinue(response, threadId, true);
      return undefined;
    },
    setRunMode: ({ mode }) => {
      this.runMode = mode;
      return { mode };
    },
    getRunState: () => ({ mode: this.runMode, frozen: this.frozenList(), running: this.running }),
    // Not refused while running: the worker takes it between slices of the run.
    uartInput: async ({ uart, data }) => {
      const bytes = await this.engine.uartInput(uart, Uint8Array.from(Buffer.from(data, 'base64')));
      const idle = this.idleRun;
      this.idleRun = undefined;
      if (idle && bytes > 0 && !this.running) idle();
      return { bytes };
    },
  };

  private frozenList(): number[] {
    return [...this.frozen].sort((x, y) => x - y);
  }

  private setFrozen(threadId: number, frozen: boolean): { frozen: number[] } {
    const cpu = this.threadCpu(threadId);
    if (frozen) this.frozen.add(cpu);
    else this.frozen.delete(cpu);
    // A thread event, after the response, makes VS Code fetch the thread names
    // again; an invalidated event would also drop every thread's stopped state.
    setImmediate(() => this.sendEvent(new ThreadEvent('started', cpu + 1)));
    return { frozen: this.frozenList() };
  }

  /** The CPU of a thread id from a request; throws naming the thread when there is none. */
  private threadCpu(threadId: number): number {
    const cpu = this.cpuOf(threadId);
    if (cpu === undefined) throw new Error(`there is no thread ${threadId}`);
    return cpu;
  }

  // ---- breakpoints ----------------------------------------------------------------------------

  /** Arm every breakpoint; a breakpoint in `list` that cannot be armed becomes unverified with the reason. */
  private async armBreakpoints(list: DebugProtocol.Breakpoint[]): Promise<void> {
    if (!this.api) return;
    const errors = await this.breakpoints.arm(this.engine);
    for (const bp of list) {
      const error = bp.id !== undefined ? errors.get(bp.id) : undefined;
      if (error) {
        bp.verified = false;
        bp.message = error;
      }
    }
  }

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    const path = sourcePath(args);
    const requested = sourceBreakpoints(args);
    const resolved = this.api ? await this.engine.resolveLines(path, requested.map((b) => b.line)) : [];
    const live: LiveBreakpoint[] = [];
    const breakpoints = requested.map((b, i) => {
      const r = resolved[i];
      if (!r) {
        const bp: DebugProtocol.Breakpoint = new Breakpoint(false, b.line);
        bp.message = 'no instruction at or after this line in any loaded image';
        return bp;
      }
      const id = this.breakpoints.newId();
      live.push({ id, addresses: r.addresses, kind: 'source', source: { file: path, line: r.line }, ...b.conditions });
      const bp: DebugProtocol.Breakpoint = new Breakpoint(true, r.line, 1, new Source(basename(path), path));
      bp.id = id;
      bp.instructionReference = hex(r.addresses[0]!);
      return bp;
    });
    this.breakpoints.setSource(path, live);
    await this.armBreakpoints(breakpoints);
    response.body = { breakpoints };
    this.sendResponse(response);
  }

  protected override async setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): Promise<void> {
    const live: LiveBreakpoint[] = [];
    const breakpoints: DebugProtocol.Breakpoint[] = [];
    for (const f of functionBreakpoints(args)) {
      const address = this.api ? await this.engine.symbolAddress(f.name.trim()) : undefined;
      if (address === undefined) {
        breakpoints.push({ verified: false, message: `no symbol named "${f.name}"` });
        continue;
      }
      const id = this.breakpoints.newId();
      live.push({ id, addresses: [address], kind: 'function', ...f.conditions });
      breakpoints.push({ id, verified: true, instructionReference: hex(address) });
    }
    this.breakpoints.setFunctions(live);
    await this.armBreakpoints(breakpoints);
    response.body = { breakpoints };
    this.sendResponse(response);
  }

  protected override async setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): Promise<void> {
    const live: LiveBreakpoint[] = [];
    const breakpoints: DebugProtocol.Breakpoint[] = instructionBreakpoints(args).map((b) => {
      const target = parseMemoryReference(b.instructionReference, this.focusCpu);
      if (!target) return { verified: false, message: `cannot read "${b.instructionReference}" as an address` };
      const address = BigInt.asUintN(64, target.address + BigInt(b.offset));
      const id = this.breakpoints.newId();
      live.push({ id, addresses: [address], kind: 'instruction', ...b.conditions });
      return { id, verified: true, instructionReference: hex(address) };
    });
    this.breakpoints.setInstructions(live);
    await this.armBreakpoints(breakpoints);
    response.body = { breakpoints };
    this.sendResponse(response);
  }

  protected override async setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<void> {
    const checked = checkExceptionFilters(args);
    if (typeof checked === 'string') throw new ArgumentError(checked);
    this.eventFilters = checked.enabled;
    const specs = this.breakpoints.setEventConditions(checked.conditions);
    const breakpoints: DebugProtocol.Breakpoint[] = checked.results.map((r) => ({ ...r }));
    // Each condition's breakpoint is the one of its filterOptions entry.
    specs.forEach((spec, i) => {
      const bp = breakpoints[checked.conditionIndex[i]!]!;
      bp.id = spec.id;
    });
    if (this.api) {
      await this.engine.setEventStops(this.eventFilters);
      await this.armBreakpoints(breakpoints);
      for (const bp of breakpoints) delete bp.id;
    }
    response.body = { breakpoints };
    this.sendResponse(response);
  }

  // ---- memory and code ------------------------------------------------------------------------

  protected override async readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): Promise<void> {
    const reference = string(args, 'memoryReference');
    const offset = integer(args, 'offset', {}, 0);
    const requested = integer(args, 'count', { min: 0 });
    const target = parseMemoryReference(reference, this.focusCpu);
    if (!target || this.busy(response)) {
      if (!target) this.sendErrorResponse(response, 1012, `cannot read "${reference}" as a memory reference`);
      return;
    }
    const address = BigInt.asUintN(64, target.address + BigInt(offset));
    const count = Math.min(requested, MAX_READ_BYTES);
    if (count < requested) this.sendEvent(new OutputEvent(`readMemory: "count" ${requested} is over the limit of ${MAX_READ_BYTES} bytes a request; read the first ${count}\n`, 'console'));
    const bytes = await this.engine.readMemory(target.cpu, address, count);
    let readable = bytes.findIndex((b) => b === undefined);
    if (readable < 0) readable = bytes.length;
    response.body = {
      address: hex(address),
      data: Buffer.from(bytes.slice(0, readable) as number[]).toString('base64'),
      unreadableBytes: count - readable,
    };
    this.sendResponse(response);
  }

  protected override async writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): Promise<void> {
    const reference = string(args, 'memoryReference');
    const offset = integer(args, 'offset', {}, 0);
    const data = base64(args, 'data');
    if (data.length > MAX_WRITE_BYTES) throw new ArgumentError(`"data" holds ${data.length} bytes, over the limit of ${MAX_WRITE_BYTES} bytes a request`);
    const allowPartial = optionalBoolean(args, 'allowPartial') === true;
    const target = parseMemoryReference(reference, this.focusCpu);
    if (!target || this.busy(response)) {
      if (!target) this.sendErrorResponse(response, 1012, `cannot read "${reference}" as a memory reference`);
      return;
    }
    const address = BigInt.asUintN(64, target.address + BigInt(offset));
    const written = await this.engine.writeMemory(target.cpu, address, data);
    if (written < data.length && !allowPartial) {
      this.sendErrorResponse(response, 1013, `only ${written} of ${data.length} bytes at ${hex(address)} are writable`);
      return;
    }
    this.details.clear();
    response.body = { bytesWritten: written };
    this.sendResponse(response);
    this.sendEvent(new MemoryEvent(reference, offset, written));
    this.sendEvent(new InvalidatedEvent(['variables']));
  }

  protected override async disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): Promise<void> {
    string(args, 'memoryReference');
    integer(args, 'offset', {}, 0);
    integer(args, 'instructionCount', { min: 0, max: MAX_DISASSEMBLY });
    integer(args, 'instructionOffset', { min: -MAX_DISASSEMBLY, max: MAX_DISASSEMBLY }, 0);
    const target = parseMemoryReference(args.memoryReference, this.focusCpu);
    if (!target || this.busy(response)) {
      if (!target) this.sendErrorResponse(response, 1012, `cannot read "${args.memoryReference}" as a memory reference`);
      return;
    }
    const cpu = target.cpu ?? this.focusCpu;
    const base = BigInt.asUintN(64, target.address + BigInt(args.offset ?? 0));
    const lines = await this.engine.disassemble(cpu, base, args.instructionOffset ?? 0, args.instructionCount);
    const out = lines.map((l): DebugProtocol.DisassembledInstruction => {
      if (l.invalid) return { address: hex(l.address), instruction: '', presentationHint: 'invalid' };
      let word = 0;
      for (let i = l.bytes.length - 1; i >= 0; i--) word = word * 256 + l.bytes[i]!;
      const d: DebugProtocol.DisassembledInstruction = {
        address: hex(l.address), instructionBytes: word.toString(16).padStart(l.bytes.length * 2, '0'), instruction: l.text,
      };
      if (l.symbol && args.resolveSymbols !== false) d.symbol = l.symbol;
      if (l.source) {
        d.location = new Source(basename(l.source.file), l.source.file);
        d.line = l.source.line;
      }
      return d;
    });
    response.body = { instructions: out };
    this.sendResponse(response);
  }
}

function stopped(reason: string, cpu: number, extra: Partial<DebugProtocol.StoppedEvent['body']> = {}): DebugProtocol.StoppedEvent {
  const e = new StoppedEvent(reason, cpu + 1) as DebugProtocol.StoppedEvent;
  Object.assign(e.body, extra);
  return e;
}

/**
 * The base class calls request handlers and drops what they return, so a
 * handler that throws or rejects would leave its request unanswered (and, in
 * a standalone process, end it). Every handler of this session answers such
 * a failure with an error response instead.
 */
function guardRequestHandlers(session: HvisorDebugSession): void {
  const target = session as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(HvisorDebugSession.prototype)) {
    const handler: unknown = Object.getOwnPropertyDescriptor(HvisorDebugSession.prototype, name)?.value;
    if (!name.endsWith('Request') || name === 'dispatchRequest' || typeof handler !== 'function') continue;
    const fail = (response: unknown, e: unknown): void => {
      const r = response as DebugProtocol.Response;
      if (r && typeof r === 'object' && 'command' in r) session.answerWithError(r, e);
    };
    target[name] = function guarded(this: HvisorDebugSession, ...args: unknown[]): unknown {
      // customRequest(command, response, args) carries the response second.
      const response = name === 'customRequest' ? args[1] : args[0];
      try {
        const result: unknown = (handler as (...a: unknown[]) => unknown).apply(this, args);
        if (result instanceof Promise) return result.catch((e: unknown) => fail(response, e));
        return result;
      } catch (e) {
        fail(response, e);
        return undefined;
      }
    };
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The exception filters of a setExceptionBreakpoints request, checked: the
 * filter ids to stop on, the conditions to decide, and one breakpoint per
 * `filters` and `filterOptions` entry (unverified, with the reason, for an
 * unknown id or a condition on a filter that takes none). A string names a malformed argument.
 */
function checkExceptionFilters(args: DebugProtocol.SetExceptionBreakpointsArguments): string | {
  enabled: string[]; conditions: { filterId: string; condition: string }[]; conditionIndex: number[]; results: DebugProtocol.Breakpoint[];
} {
  const filters: unknown = args.filters;
  const options: unknown = args.filterOptions ?? [];
  if (!Array.isArray(filters) || !filters.every((f) => typeof f === 'string')) return '`filters` must be an array of filter ids (strings)';
  if (!Array.isArray(options) || !options.every((o) => typeof o === 'object' && o !== null && typeof (o as { filterId?: unknown }).filterId === 'string')) {
    return '`filterOptions` must be an array of { filterId: string, condition?: string }';
  }
  const known = new Map(EVENT_FILTERS.map((f) => [f.filter, f]));
  const enabled: string[] = [];
  const conditions: { filterId: string; condition: string }[] = [];
  const conditionIndex: number[] = [];
  const results: DebugProtocol.Breakpoint[] = [];
  const check = (id: string, condition: unknown, where: string): void => {
    const f = known.get(id);
    if (!f) {
      results.push({ verified: false, message: `${where}: there is no exception filter "${id}" (known: ${[...known.keys()].join(', ')})` });
      return;
    }
    if (condition !== undefined && typeof condition !== 'string') {
      results.push({ verified: false, message: `${where}: condition must be a string` });
      return;
    }
    const conditional = typeof condition === 'string' && condition.trim() !== '';
    if (conditional && !f.supportsCondition) {
      results.push({ verified: false, message: `${where}: the "${id}" filter takes no condition` });
      return;
    }
    // An entry without a condition is kept too: where the same filter also has one, it still stops every time.
    if (f.supportsCondition) {
      conditions.push({ filterId: id, condition: conditional ? condition : '' });
      conditionIndex.push(results.length);
    }
    if (!enabled.includes(id)) enabled.push(id);
    results.push({ verified: true });
  };
  (filters as string[]).forEach((id, i) => check(id, undefined, `filters[${i}]`));
  (options as { filterId: string; condition?: unknown }[]).forEach((o, i) => check(o.filterId, o.condition, `filterOptions[${i}]`));
  return { enabled, conditions, conditionIndex, results };
}

function cScope(name: string, reference: number, count: number, hint?: 'locals'): DebugProtocol.Scope {
  const s: DebugProtocol.Scope = new Scope(name, reference, false);
  if (hint) s.presentationHint = hint;
  s.namedVariables = count;
  return s;
}
