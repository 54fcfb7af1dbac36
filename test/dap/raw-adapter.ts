// The standalone adapter (dist/debug-adapter.js) over stdio with raw bytes,
// for tests of what a DebugClient cannot send: broken frames and messages.

import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface Message {
  readonly type: string;
  readonly seq: number;
  readonly request_seq?: number;
  readonly command?: string;
  readonly success?: boolean;
  readonly message?: string;
  readonly event?: string;
  readonly body?: Record<string, unknown> & { category?: string; output?: string };
}

export class RawAdapter {
  readonly process: ChildProcess;
  readonly messages: Message[] = [];
  exitCode: number | null | undefined;
  stderr = '';
  private pending = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private nextSeq = 1;

  /** `nodeOptions` go to node before the adapter's script (e.g. `--import` of a module that injects a fault). */
  constructor(nodeOptions: readonly string[] = []) {
    this.process = spawn(process.execPath, [...nodeOptions, resolve('dist/debug-adapter.js')], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stdout!.on('data', (d: Buffer) => this.read(d));
    this.process.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.process.on('exit', (code) => {
      this.exitCode = code;
      this.wake();
    });
  }

  /** Raw bytes, as they are. */
  write(bytes: Buffer | string): void {
    this.process.stdin!.write(bytes);
  }

  /** A correctly framed body. */
  frame(body: Buffer | string): void {
    const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.write(Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]));
  }

  /** Send a request; its seq. */
  request(command: string, args?: unknown): number {
    const seq = 1000 + this.nextSeq++;
    this.frame(JSON.stringify({ seq, type: 'request', command, ...(args === undefined ? {} : { arguments: args }) }));
    return seq;
  }

  /** The first message (from `from` on) that satisfies `match`, or an error after `ms`. */
  async next(match: (m: Message) => boolean, ms = 10_000, from = 0): Promise<Message> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found) return found;
      if (this.exitCode !== undefined) throw new Error(`the adapter exited with code ${this.exitCode}; stderr: ${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no matching message in time');
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
  }

  response(seq: number, ms?: number): Promise<Message> {
    return this.next((m) => m.type === 'response' && m.request_seq === seq, ms);
  }

  /** A stderr output event matching `pattern`, among those that arrive from now on. */
  stderrOutput(pattern: RegExp, ms?: number): Promise<Message> {
    return this.next((m) => m.event === 'output' && m.body?.category === 'stderr' && pattern.test(m.body.output ?? ''), ms, this.messages.length);
  }

  kill(): void {
    if (this.exitCode === undefined) this.process.kill();
  }

  private read(data: Buffer): void {
    this.pending = Buffer.concat([this.pending, data]);
    for (;;) {
      const end = this.pending.indexOf('\r\n\r\n');
      if (end < 0) break;
      const length = Number(/Content-Length: (\d+)/.exec(this.pending.subarray(0, end).toString())?.[1]);
      if (this.pending.length < end + 4 + length) break;
      this.messages.push(JSON.parse(this.pending.subarray(end + 4, end + 4 + length).toString('utf8')) as Message);
      this.pending = this.pending.subarray(end + 4 + length);
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
