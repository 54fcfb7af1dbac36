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

import type { Engine, StopReason } from '../api';
import type { InstructionFlow } from '../target/target';
import { hex } from '../hex';
import type { LineAtPc } from '../dwarf/file-lines';
import { bodyStartAt, inlinedCodeAt, lineEntryAt } from './pc-lines';

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

export class Stepper {
  private readonly calls: KnownCall[][];
  /** Each CPU's instruction count when its last step ended: a change means it ran unwatched. */
  private readonly stepEnded: (number | undefined)[];

  constructor(private readonly engine: Engine) {
    this.calls = Array.from({ length: engine.cpuCount }, () => []);
    this.stepEnded = Array.from({ length: engine.cpuCount }, () => undefined);
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
    if (entry) return this.end(cpu, this.stepCLine(cpu, over, entry));
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
  private stepCLine(cpu: number, over: boolean, start: LineAtPc): StopReason {
    const e = this.engine;
    let range = start;
    for (let i = 0; i < LINE_STEP_LIMIT; i++) {
      const calls = this.calls[cpu]!.length;
      const stop = this.stepOne(cpu, over, true);
      if (stop.kind !== 'step' || this.inHypervisor(cpu)) return stop;
      const pc = e.cpu(cpu).pc;
      if (this.calls[cpu]!.length > calls) {
        const body = bodyStartAt(e, cpu, pc);
        return body !== undefined && body > pc ? this.runTo(cpu, body, 0n) : stop;
      }
      if (pc >= range.start && (range.end === undefined || pc < range.end)) continue;
      const here = lineEntryAt(e, cpu, pc);
      // Code without line information: nowhere better to stop.
      if (!here) return stop;
      const atStart = pc === here.start;
      const otherLine = here.line !== range.line || here.file !== range.file;
      if (atStart && otherLine && here.isStmt) return stop;
      // The start of a line that is no statement is passed over; a line entered in its middle becomes the line to leave.
      if (!(atStart && otherLine)) range = here;
      else range = { ...here, line: range.line, file: range.file };
    }
    return { kind: 'step', cpu };
  }

  /** Why a step out of `cpu`'s current function cannot be done, or undefined when it can. */
  stepOutProblem(cpu: number): string | undefined {
    this.begin(cpu);
    if (this.inHypervisor(cpu) || inlinedCodeAt(this.engine, cpu)) return undefined;
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
    // Out of an inlined call: on until the pc leaves its code, calls run to their return, as gdb's finish.
    const inlined = inlinedCodeAt(e, cpu);
    if (inlined) {
      for (let i = 0; i < LINE_STEP_LIMIT; i++) {
        const stop = this.stepOne(cpu, true, false);
        const pc = e.cpu(cpu).pc;
        if (stop.kind !== 'step' || this.inHypervisor(cpu) || !inlined.some(([a, b]) => pc >= a && pc < b)) return this.end(cpu, stop);
      }
      return this.end(cpu, { kind: 'step', cpu });
    }
    const plan = this.returnPlan(cpu);
    if ('problem' in plan) throw new Error(plan.problem);
    return this.end(cpu, this.runTo(cpu, plan.returnAddress, plan.sp));
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

  private end(cpu: number, stop: StopReason): StopReason {
    this.dropReturned(cpu);
    this.stepEnded[cpu] = this.engine.instructionCount(cpu);
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
