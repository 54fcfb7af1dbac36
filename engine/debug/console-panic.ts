// A kernel panic seen on the console, for a kernel run without its symbols:
// the last line panic() prints before the CPU spins for good is
// "---[ end Kernel panic - not syncing: MESSAGE ]---". Only that whole line,
// as printk writes it (after its optional timestamp), counts: output that
// quotes it within a line, or the opening "Kernel panic" line that a stack
// dump still follows, does not.

import { PANIC_PREFIX } from './guest-panic';

const END = /^(?:\[ *\d+\.\d+\] )?(?:\[ *[CT]\d+\] )?---\[ end Kernel panic - not syncing: (.*) \]---$/;
/** Longer lines are not printk's (its records are at most 1024 bytes). */
const MAX_LINE = 1024;

export class ConsolePanic {
  private line: number[] = [];
  private overlong = false;

  /** Feed one console byte; the panic line ("Kernel panic - not syncing: ...") when it completes the end-of-panic line. */
  feed(byte: number): string | undefined {
    if (byte !== 0x0a) {
      if (this.line.length < MAX_LINE) this.line.push(byte);
      else this.overlong = true;
      return undefined;
    }
    const text = this.overlong ? '' : new TextDecoder().decode(Uint8Array.from(this.line)).replace(/\r$/, '');
    this.line = [];
    this.overlong = false;
    const m = END.exec(text);
    return m ? PANIC_PREFIX + m[1] : undefined;
  }
}
