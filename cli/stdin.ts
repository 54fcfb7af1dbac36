// The guest's UART input: stdin read as a stream while the guest runs, each
// chunk queued on the UART as it arrives (it waits in the UART's backlog
// until the guest receives). Input already there when the run starts (a
// file, a pipe written in one go) is queued before the first instruction, so
// such a run does not depend on how fast the host delivers it. A terminal is put in raw mode, so keystrokes
// reach the guest as they are typed, Ctrl-C included; Ctrl-A is the escape:
// Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A, Ctrl-A h lists them. A stream
// that never ends and is never read (/dev/zero, `yes |`) is cut off at a
// limit and refused rather than held for ever.

import { readSync } from 'node:fs';

/** More input than any guest reads from a UART; past it, stdin is refused. */
export const MAX_STDIN = 16 * 1024 * 1024;

export const ESCAPE_HELP = 'Ctrl-A x  quit\r\nCtrl-A Ctrl-A  send Ctrl-A to the guest\r\nCtrl-A h  this help\r\n';

const CTRL_A = 0x01;

export class GuestInput {
  /** stdin ended (or failed): no more input will come. */
  ended = false;
  /** The user typed Ctrl-A x. */
  quit = false;
  /** Why stdin was refused, when it was. */
  problem: string | undefined;
  private total = 0;
  private escaped = false;
  private waiter: (() => void) | undefined;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake();
  };

  constructor(
    private readonly stream: NodeJS.ReadStream,
    private readonly deliver: (bytes: Uint8Array) => void,
    private readonly note: (text: string) => void,
  ) {}

  get interactive(): boolean {
    return this.stream.isTTY === true;
  }

  /**
   * Queue what stdin holds now, without waiting for more: a pipe or socket
   * is non-blocking once the stdin stream exists, a file or device never
   * blocks. Afterwards stdin may have ended, and then start() reads nothing.
   */
  takeWhatIsThere(): void {
    if (this.interactive) return;
    const chunk = Buffer.alloc(1 << 20);
    while (!this.problem) {
      let n: number;
      try {
        n = readSync(0, chunk, 0, chunk.length, null);
      } catch {
        // EAGAIN: nothing more yet; the stream reads the rest as it comes.
        return;
      }
      if (n === 0) {
        this.ended = true;
        return;
      }
      this.receive(chunk.subarray(0, n));
    }
  }

  start(): void {
    if (this.ended || this.problem) return;
    if (this.interactive) this.stream.setRawMode(true);
    this.stream.on('data', this.onData);
    this.stream.on('end', this.onEnd);
    this.stream.on('error', this.onEnd);
    this.stream.resume();
    this.started = true;
  }

  private started = false;

  /** Leave the terminal as it was and stop reading, so the process can exit. */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.stream.off('data', this.onData);
    if (this.interactive) this.stream.setRawMode(false);
    this.stream.pause();
    this.stream.destroy();
  }

  /** Resolves when input arrives, stdin ends, or the user quits. */
  changed(): Promise<void> {
    if (this.ended || this.quit || this.problem) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = resolve));
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private receive(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.total > MAX_STDIN) {
      this.problem = `stdin: more than ${MAX_STDIN / (1024 * 1024)} MiB of input; a stream that never ends is refused`;
      this.stop();
      this.wake();
      return;
    }
    this.deliver(this.interactive ? this.unescape(chunk) : Uint8Array.from(chunk));
    this.wake();
  }

  /** Keystrokes without the Ctrl-A commands, which act here. */
  private unescape(chunk: Uint8Array): Uint8Array {
    const out: number[] = [];
    for (const b of chunk) {
      if (!this.escaped) {
        if (b === CTRL_A) this.escaped = true;
        else out.push(b);
        continue;
      }
      this.escaped = false;
      if (b === CTRL_A) out.push(CTRL_A);
      else if (b === 0x78 || b === 0x58) this.quit = true;
      else if (b === 0x68 || b === 0x48) this.note(ESCAPE_HELP);
    }
    return Uint8Array.from(out);
  }
}
