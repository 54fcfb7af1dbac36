// Stepping for the debugger, on any target: by instruction, by source line,
// over calls and out of functions. The target answers the ISA questions
// (how long an instruction is, whether it calls, which register holds the
// return address, where the stack pointer is); this module decides where a
// step ends. Only the stepped CPU runs; every other CPU stays frozen.
//
// Stepping over a call runs the CPU until it is back at the instruction
// after the call with its stack pointer at or above its value at the call,
// so a recursive call that passes the same address deeper down does not end
// the step. A user breakpoint inside the callee, or at the return address,
// ends it as a breakpoint when its condition and hit count say so.
//
// Stepping out needs the return address of the function the CPU is in. It
// is taken from, in order:
//  1. a call this module stepped into (an instruction step or a line step
//     into a callee records the return address and the stack pointer at the
//     call). The record holds while the CPU stays below that call: until it
//     returns, its stack pointer rises above the call's, or the CPU runs
//     other than by these steps;
//  2. the link register, where it can be the return address: an executable
//     address right after a call instruction, and not inside the function
//     being left unless the CPU stands at that function's first instruction
//     (a recursive call). A function that has made calls of its own has had
//     its link register overwritten with a return address into itself.
//     Without symbols the second check cannot be made;
//  3. the call frame information of the image (call-stack.ts): the caller
//     frame's pc, reached with the stack pointer at or above this frame's
//     CFA, so a recursive call deeper down does not end the step.
// Anything else is refused with the reason instead of run: a garbage link
// register would send the CPU to an address it never reaches.
//
// Inlined calls are stepped as gdb does (inline-view.ts): a stop at the
// start of an inlined call shows the function it is inlined into at the
// call's line; a step into there enters it without running; a next steps
// over an inlined call as over a call; a step out of an inlined call runs
// until the CPU leaves it for the frame it is inlined into.

import type { Engine, StopReason } from '../api';
import type { InstructionFlow } from '../target/target';
import { hex } from '../hex';
import type { LineAtPc } from '../dwarf/file-lines';
import { bodyStartAt, lineEntryAt } from './pc-lines';
import { inlinedFrom, inlineViewAt, sameFrame, shownFrame, type InlineView, type ShownFrame } from './inline-view';

/** A line step gives up after this many instructions (a line that jumps to itself). */
const LINE_STEP_LIMIT = 100_000;

const u64 = (value: bigint | number): bigint => BigInt.asUintN(64, BigInt(value));

/** A call the CPU is inside: where it returns to, and its stack pointer when it called. */
interface KnownCall {
  readonly returnAddress: bigint;
  readonly sp: bigint;
}

/** Where a step out would end, or why it cannot be known. */
type ReturnPlan = { readonly returnAddress: bigint; readonly sp: bigint } | { readonly problem: string };

/** Where a C line step ended, and how many inlined calls starting there the stop hides. */
interface LineStop {
  readonly stop: StopReason;
  readonly hidden: number;
}

/** The line a step leaves: its file and line (0: none, as after a step out of an inlined call). */
interface SteppedLine {
  readonly file: string | undefined;
  readonly line: number | undefined;
}

/** The addresses a step runs through before it looks at where it is; an undefined end has no bound. */
interface StepRange {
  readonly start: bigint;
  readonly end: bigint | undefined;
}

export class Stepper {
  private readonly calls: KnownCall[][];
  /** Each CPU's instruction count when its last step ended: a change means it ran unwatched. */
  private readonly stepEnded: (number | undefined)[];
  /** The inlined calls each CPU's last step hides at its stop (shown as their calls). */
  private readonly hidden: number[];

  constructor(private readonly engine: Engine) {
    this.calls = Array.from({ length: engine.cpuCount }, () => []);
    this.stepEnded = Array.from({ length: engine.cpuCount }, () => undefined);
    this.hidden = Array.from({ length: engine.cpuCount }, () => 0);
  }

  /** How many of the innermost inlined frames the stack hides, while the CPU stays where its last step stopped. */
  hiddenInlinedCalls(cpu: number): number {
    return this.stepEnded[cpu] === this.engine.instructionCount(cpu) ? this.hidden[cpu]! : 0;
  }

  /** One instruction; with `over`, a call runs until it returns (as gdb's nexti). */
  stepInstruction(cpu: number, over: boolean): StopReason {
    this.begin(cpu);
    if (this.inHypervisor(cpu)) return this.end(cpu, this.engine.stepCpu(cpu, 1));
    return this.end(cpu, this.stepOne(cpu, over, false));
  }

  /**
   * Instructions until the CPU leaves the source line it is on. With `over`,
   * calls run until they return; without, a call into code with no source
   * line also does (there is no line to stop at in it).
   */
  stepLine(cpu: number, over: boolean): StopReason {
    const e = this.engine;
    this.begin(cpu);
    if (this.inHypervisor(cpu)) return this.end(cpu, e.stepCpu(cpu, 1));
    const entry = lineEntryAt(e, cpu, e.cpu(cpu).pc);
    if (entry) {
      const done = this.stepCLine(cpu, over, entry);
      return this.end(cpu, done.stop, done.hidden);
    }
    const start = e.sourceAt(e.cpu(cpu).pc);
    // No source line (an ELF without line information): one instruction.
    if (!start) return this.end(cpu, this.stepOne(cpu, over, false));
    for (let i = 0; i < LINE_STEP_LIMIT; i++) {
      const stop = this.stepOne(cpu, over, true);
      if (stop.kind !== 'step' || this.inHypervisor(cpu)) return this.end(cpu, stop);
      const here = e.sourceAt(e.cpu(cpu).pc);
      if (!here || here.file !== start.file || here.line !== start.line) return this.end(cpu, stop);
    }
    return this.end(cpu, { kind: 'step', cpu });
  }

  /**
   * A step by C line, as gdb's next and step: instructions until the CPU
   * stands at the start of a statement of another line. Landing inside a
   * line (a return into the caller's line, a jump into a loop's condition)
   * makes that line the one to leave. Calls run until they return with the
   * stack pointer back at the call's (a recursive call deeper down does not
   * end the step); a step in stops in the callee past its prologue, at its
   * first line, unless the callee has no line information.
   */
  private stepCLine(cpu: number, over: boolean, start: LineAtPc): LineStop {
    const view = inlineViewAt(this.engine, cpu);
    const hidden = this.hiddenInlinedCalls(cpu);
    // A step into at the start of an inlined call enters it without running.
    if (!over && hidden > 0) return { stop: { kind: 'step', cpu }, hidden: hidden - 1 };
    const shown = view?.levels[hidden] ?? start;
    return this.stepThrough(cpu, over, shownFrame(view, hidden), { file: shown.file, line: shown.line }, start);
  }

  /**
   * Instructions from `range` on until the CPU stands at the start of a
   * statement of a line other than `line`, seen from `frame`. An inlined
   * call made from `frame` is stepped through by next; step stops in it.
   * At the start of an inlined call `frame` makes, the stop shows the call,
   * unless the call is on the line being left: next goes on through it,
   * step enters it.
   */
  private stepThrough(cpu: number, over: boolean, frame: ShownFrame, line: SteppedLine, range: StepRange): LineStop {
    const e = this.engine;
    for (let i = 0; i < LINE_STEP_LIMIT; i++) {
      const calls = this.calls[cpu]!.length;
      const stop = this.stepOne(cpu, over, true);
      if (stop.kind !== 'step' || this.inHypervisor(cpu)) return { stop, hidden: 0 };
      const pc = e.cpu(cpu).pc;
      if (this.calls[cpu]!.length > calls) {
        const body = bodyStartAt(e, cpu, pc);
        const into = body !== undefined && body > pc ? this.runTo(cpu, body, 0n) : stop;
        return { stop: into, hidden: this.startingAt(cpu, into) };
      }
      if (pc >= range.start && (range.end === undefined || pc < range.end)) continue;
      const view = inlineViewAt(e, cpu);
      const hidden = view?.starting ?? 0;
      const here = shownFrame(view, hidden);
      if (view && hidden > 0 && sameFrame(here, frame)) {
        const call = view.levels[hidden]!;
        const onLine = call.line === line.line && call.file === line.file;
        if (over && onLine) continue;
        return { stop, hidden: !over && onLine ? hidden - 1 : hidden };
      }
      if (inlinedFrom(view, hidden, frame)) {
        if (over) continue;
        return { stop, hidden };
      }
      const entry = lineEntryAt(e, cpu, pc);
      // Code without line information: nowhere better to stop.
      if (!entry) return { stop, hidden };
      const atStart = pc === entry.start;
      const otherLine = entry.line !== line.line || entry.file !== line.file;
      if (atStart && otherLine && entry.isStmt) return { stop, hidden };
      range = entry;
      // The start of a line that is no statement is passed over (in another frame, with no line to leave);
      // a line entered in its middle becomes the line to leave.
      if (atStart && otherLine && sameFrame(here, frame)) continue;
      frame = here;
      line = atStart && otherLine ? { file: undefined, line: 0 } : entry;
    }
    return { stop: { kind: 'step', cpu }, hidden: 0 };
  }

  /** How many inlined calls start where `stop` left the CPU: those a stop there hides. */
  private startingAt(cpu: number, stop: StopReason): number {
    return stop.kind === 'step' && !this.inHypervisor(cpu) ? (inlineViewAt(this.engine, cpu)?.starting ?? 0) : 0;
  }

  /** The inlined call shown as `cpu`'s innermost frame, as its view and hidden levels, or undefined where that frame is a real one. */
  private inlinedShown(cpu: number): { view: InlineView; hidden: number } | undefined {
    const view = inlineViewAt(this.engine, cpu);
    const hidden = this.hiddenInlinedCalls(cpu);
    return view?.levels[hidden]?.inlined ? { view, hidden } : undefined;
  }

  /** Why a step out of `cpu`'s current function cannot be done, or undefined when it can. */
  stepOutProblem(cpu: number): string | undefined {
    this.begin(cpu);
    if (this.inHypervisor(cpu) || this.inlinedShown(cpu)) return undefined;
    const plan = this.returnPlan(cpu);
    return 'problem' in plan ? plan.problem : undefined;
  }

  /**
   * Run until the current function returns. In the hypervisor, until the
   * innermost hypervisor frame ends. Throws when the return address cannot
   * be known (stepOutProblem says why first).
   */
  stepOut(cpu: number): StopReason {
    const e = this.engine;
    this.begin(cpu);
    if (this.inHypervisor(cpu)) {
      const depth = e.hypervisorFrames(cpu).length;
      for (let i = 0; i < LINE_STEP_LIMIT; i++) {
        const stop = e.stepCpu(cpu, 1);
        if (stop.kind !== 'step' || !this.inHypervisor(cpu) || e.hypervisorFrames(cpu).length < depth) return this.end(cpu, stop);
      }
      return this.end(cpu, { kind: 'step', cpu });
    }
    // Out of an inlined call, as gdb's finish: a next in the frame it is inlined into, from no line.
    const inlined = this.inlinedShown(cpu);
    if (inlined) {
      const pc = e.cpu(cpu).pc;
      const caller = shownFrame(inlined.view, inlined.hidden + 1);
      const done = this.stepThrough(cpu, true, caller, { file: undefined, line: 0 }, { start: pc, end: pc });
      return this.end(cpu, done.stop, done.hidden);
    }
    const plan = this.returnPlan(cpu);
    if ('problem' in plan) throw new Error(plan.problem);
    const stop = this.runTo(cpu, plan.returnAddress, plan.sp);
    return this.end(cpu, stop, this.startingAt(cpu, stop));
  }

  // ---- the pieces ----------------------------------------------------------------------

  private inHypervisor(cpu: number): boolean {
    return this.engine.cpu(cpu).state === 'hypervisor';
  }

  private sp(cpu: number): bigint {
    return u64(this.engine.target.stackPointer(cpu));
  }

  /** The instruction at `va` as the CPU would fetch it, or undefined where it cannot be read or decoded. */
  private flowAt(cpu: number, va: bigint): InstructionFlow | undefined {
    return this.engine.target.flowOf(this.engine.readVirtual(cpu, Number(BigInt.asIntN(64, va)), this.engine.target.maxInstructionSize));
  }

  /** Forget the calls of a CPU that ran since its last step: they may have returned unseen. */
  private begin(cpu: number): void {
    if (this.stepEnded[cpu] !== this.engine.instructionCount(cpu)) this.calls[cpu] = [];
  }

  private end(cpu: number, stop: StopReason, hidden = 0): StopReason {
    this.dropReturned(cpu);
    this.stepEnded[cpu] = this.engine.instructionCount(cpu);
    this.hidden[cpu] = hidden;
    return stop;
  }

  /** Drop the calls the CPU has left: returned to, or unwound past (its stack pointer above theirs). */
  private dropReturned(cpu: number): void {
    const calls = this.calls[cpu]!;
    const pc = this.engine.cpu(cpu).pc;
    const sp = this.sp(cpu);
    for (let top = calls.at(-1); top && (sp > top.sp || (pc === top.returnAddress && sp >= top.sp)); top = calls.at(-1)) calls.pop();
  }

  /**
   * One instruction. A call either runs until it returns (`over`, or
   * `overUnlisted` when it enters code with no source line) or is recorded
   * as a call the CPU is now inside.
   */
  private stepOne(cpu: number, over: boolean, overUnlisted: boolean): StopReason {
    const e = this.engine;
    const pc = e.cpu(cpu).pc;
    const flow = this.flowAt(cpu, pc);
    const sp = this.sp(cpu);
    const stop = e.stepCpu(cpu, 1);
    if (stop.kind !== 'step' || this.inHypervisor(cpu) || !flow?.call) return stop;
    const back = u64(pc + BigInt(flow.size));
    const now = e.cpu(cpu).pc;
    if (now === back) return stop;
    if (over || (overUnlisted && !e.sourceAt(now))) return this.runTo(cpu, back, sp);
    this.calls[cpu]!.push({ returnAddress: back, sp });
    return stop;
  }

  /** Run `cpu` alone until it reaches `target` with its stack pointer at or above `sp`, or something else stops it. */
  private runTo(cpu: number, target: bigint, sp: bigint): StopReason {
    const e = this.engine;
    e.setStepTarget(target);
    try {
      for (;;) {
        const stop = e.run({ cpus: new Set([cpu]) });
        if (stop.kind !== 'breakpoint' || stop.cpu !== cpu || u64(stop.pc) !== target) return stop;
        // A user breakpoint at the same address is hit as itself, at any depth, when its condition holds.
        if (e.userBreakpointStops(stop)) return stop;
        if (this.sp(cpu) >= sp) return { kind: 'step', cpu };
      }
    } finally {
      e.setStepTarget(undefined);
    }
  }

  private returnPlan(cpu: number): ReturnPlan {
    this.dropReturned(cpu);
    const known = this.calls[cpu]!.at(-1);
    if (known) return known;
    const plan = this.linkPlan(cpu);
    return 'problem' in plan ? (this.unwoundPlan(cpu) ?? plan) : plan;
  }

  /** The caller's pc, with this frame's CFA as the stack pointer it returns with, where call frame information gives them. */
  private unwoundPlan(cpu: number): ReturnPlan | undefined {
    // Inlined calls share their real frame: the caller is the frame below it.
    const frames = this.engine.guestFrames(cpu).frames;
    const real = frames.findIndex((f) => !f.inlined);
    const frame = frames[real];
    const caller = frames[real + 1];
    if (!frame?.cfa || !caller) return undefined;
    return { returnAddress: caller.pc, sp: frame.cfa };
  }

  private linkPlan(cpu: number): ReturnPlan {
    const e = this.engine;
    const target = e.target;
    const link = target.linkRegister;
    const ra = u64(e.readRegister(cpu, link) ?? 0n);
    const pc = e.cpu(cpu).pc;
    const unknown = `the return address is unknown: ${link} = ${hex(ra)}`;
    if (ra % BigInt(target.instructionAlign) !== 0n || e.translate(cpu, Number(BigInt.asIntN(64, ra)), 'execute') === undefined) {
      return { problem: `${unknown} is not a code address the CPU can execute` };
    }
    if (!this.followsCall(cpu, ra)) return { problem: `${unknown} does not follow a call instruction, so it is no return address` };
    const here = e.lookupSymbol(pc);
    const there = e.lookupSymbol(ra);
    if (here && there && here.value === there.value && here.offset !== 0n) {
      return {
        problem: `${unknown} points back into ${here.name} itself: ${here.name} has made a call since it was entered, which overwrote ${link}, ` +
          'and there is no call frame information for it to say where it saved its own return address',
      };
    }
    return { returnAddress: ra, sp: this.sp(cpu) };
  }

  /** Whether a call instruction ends right at `address`. */
  private followsCall(cpu: number, address: bigint): boolean {
    const target = this.engine.target;
    for (let size = target.instructionAlign; size <= target.maxInstructionSize; size += target.instructionAlign) {
      const flow = this.flowAt(cpu, address - BigInt(size));
      if (flow?.call && flow.size === size) return true;
    }
    return false;
  }
}
