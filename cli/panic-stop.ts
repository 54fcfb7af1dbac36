// --stop-on-panic: the run ends when a guest kernel panics. With the kernel's
// symbols it stops where a CPU enters `panic` (its call stack is printed);
// without them (or with a kernel that does not run where they say), at the
// end of the panic message on the console, the last thing the kernel prints
// before it spins for good.

import type { Engine, StopReason } from '../engine/api';
import { ConsolePanic } from '../engine/debug/console-panic';
import { panicBreakpoints } from '../engine/debug/guest-panic';

export class PanicStop {
  private readonly console = new ConsolePanic();
  private engine: Engine | undefined;
  /** The panic the console showed, and the CPU that wrote it. */
  private seen: { line: string; cpu: number } | undefined;

  /** Every console byte goes through here (the CPU that wrote it, -1 if none). */
  feed(byte: number, cpu: number): void {
    const line = this.console.feed(byte);
    if (line === undefined || !this.engine || this.seen) return;
    this.seen = { line, cpu };
    this.engine.pause();
  }

  /**
   * Stop `engine` at `panic` when it has the symbols; watch the console
   * too, for a kernel without them or running away from them (KASLR).
   */
  arm(engine: Engine): void {
    if (panicBreakpoints(engine).size > 0) engine.setHypervisorEventStops(['guest-panic']);
    this.engine = engine;
  }

  /** A pause the console's panic caused, as the guest-panic stop it stands for. */
  stopOf(stop: StopReason): StopReason {
    if (stop.kind !== 'pause' || !this.seen) return stop;
    const cpu = Math.max(this.seen.cpu, 0);
    return { kind: 'event', cpu, event: { kind: 'guest-panic', cpu, text: this.seen.line } };
  }
}

/** The panicking CPU's call stack, a frame per line, as gdb's backtrace numbers them. */
export function formatPanicStack(engine: Engine, cpu: number): string {
  const stack = engine.guestFrames(cpu);
  const lines = stack.frames.map((f, i) => {
    // A caller's pc is a return address: the call before it names the function.
    const hit = engine.lookupSymbol(i === 0 ? f.pc : f.pc - 1n);
    const symbol = hit ? (f.pc === hit.value ? hit.name : `${hit.name}+0x${(f.pc - hit.value).toString(16)}`) : f.function ?? '??';
    const inlined = f.function !== undefined && f.function !== hit?.name ? ` (${f.function})` : '';
    const where = f.file !== undefined ? ` at ${f.file}${f.line !== undefined ? `:${f.line}` : ''}` : '';
    return `#${i} 0x${f.pc.toString(16).padStart(16, '0')} in ${symbol}${inlined}${where}`;
  });
  return `call stack of CPU ${cpu} (${stack.end}):\n${lines.join('\n')}\n`;
}
