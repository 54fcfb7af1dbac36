// DAP base-protocol framing in front of the session: `Content-Length: N`
// headers, then N bytes of UTF-8 JSON. The library's own reader ends the
// process on the first bad frame and never finds its place again after a bad
// header, so the adapter reads frames itself: a malformed frame is reported
// and skipped, and reading resumes at the next `Content-Length:` header.

import { PassThrough } from 'node:stream';
import type { DebugSession } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { reportMalformed } from './message-shape';

const HEADER = Buffer.from('Content-Length:', 'latin1');
const END_OF_HEADER = Buffer.from('\r\n\r\n', 'latin1');
/** A header block longer than this is junk, not a header still arriving. */
const MAX_HEADER_BYTES = 1024;
/** The largest message body accepted; a bigger length is a bad header, not a reason to buffer without end. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** A body that stops short for this long, while a later header is already buffered, had a wrong length. */
const STALL_MS = 1000;

export interface FrameSink {
  /** A frame whose body is well-formed UTF-8 JSON. */
  message(value: unknown): void;
  /** A frame, or bytes between frames, that could not be read; `body` is its text when it had one. */
  malformed(problem: string, body?: string): void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Splits a byte stream into frames, reporting what it cannot read and carrying on. */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  /** The body length of the frame being read; undefined while looking for a header. */
  private length: number | undefined;
  private stall: NodeJS.Timeout | undefined;
  /** Junk bytes dropped since the last header, not yet reported. */
  private skipped = 0;

  constructor(private readonly sink: FrameSink) {}

  push(data: Buffer): void {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    this.drain();
  }

  /** The input ended: whatever is left is an unfinished frame. */
  end(): void {
    this.clearStall();
    if (this.length === undefined) this.skip(this.buffer.indexOf(HEADER) === 0 ? 0 : this.buffer.length);
    this.reportSkipped();
    if (this.buffer.length > 0) {
      const what = this.length === undefined ? 'an unfinished header' : `a body of ${this.buffer.length} of its ${this.length} bytes`;
      this.sink.malformed(`the input ended inside ${what}`);
    }
    this.buffer = Buffer.alloc(0);
    this.length = undefined;
  }

  private drain(): void {
    this.clearStall();
    for (;;) {
      if (this.length === undefined) {
        if (!this.readHeader()) return;
        continue;
      }
      if (this.buffer.length < this.length) {
        this.watchForStall();
        return;
      }
      const body = this.buffer.subarray(0, this.length);
      this.buffer = this.buffer.subarray(this.length);
      this.length = undefined;
      this.readBody(body);
    }
  }

  /** Reads one header block if it is all here; false when more bytes are needed. */
  private readHeader(): boolean {
    const start = this.buffer.indexOf(HEADER);
    if (start < 0) {
      // Keep a tail that may be the start of a header split across reads.
      this.skip(this.buffer.length - Math.min(this.buffer.length, HEADER.length - 1));
      return false;
    }
    this.skip(start);
    this.reportSkipped();
    const end = this.buffer.indexOf(END_OF_HEADER);
    if (end < 0 || end > MAX_HEADER_BYTES) {
      if (this.buffer.length <= MAX_HEADER_BYTES) return false;
      this.sink.malformed(`a header longer than ${MAX_HEADER_BYTES} bytes without a blank line after it`);
      this.buffer = this.buffer.subarray(HEADER.length);
      return true;
    }
    const header = this.buffer.subarray(0, end).toString('latin1');
    const length = contentLength(header);
    if (typeof length === 'string') {
      this.sink.malformed(length);
      // Read on after this header, or from another header that begins inside it.
      const inner = this.buffer.subarray(0, end).indexOf(HEADER, 1);
      this.buffer = this.buffer.subarray(inner > 0 ? inner : end + END_OF_HEADER.length);
      return true;
    }
    this.buffer = this.buffer.subarray(end + END_OF_HEADER.length);
    this.length = length;
    return true;
  }

  /** Drop `n` bytes that are not a header; anything but whitespace is counted for the next report. */
  private skip(n: number): void {
    if (this.buffer.subarray(0, n).some((b) => !isSpace(b))) this.skipped += n;
    this.buffer = this.buffer.subarray(n);
  }

  /** One report for a run of skipped bytes, however many reads it came in. */
  private reportSkipped(): void {
    if (this.skipped > 0) this.sink.malformed(`skipped ${this.skipped} bytes that are not a Content-Length header`);
    this.skipped = 0;
  }

  private readBody(body: Buffer): void {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      this.sink.malformed('the message body is not valid UTF-8', body.toString('utf8'));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.sink.malformed(`the message body is not JSON (${e instanceof Error ? e.message : String(e)})`, text);
      this.resyncInside(body);
      return;
    }
    this.sink.message(value);
  }

  /** A body that is not JSON may have swallowed the start of the next frame: read on from a header that begins inside it. */
  private resyncInside(body: Buffer): void {
    const joined = Buffer.concat([body, this.buffer]);
    const inner = joined.indexOf(HEADER);
    if (inner >= 0 && inner < body.length) this.buffer = joined.subarray(inner);
  }

  /**
   * A Content-Length longer than the message leaves the reader waiting for
   * bytes that belong to later frames. When the body has stopped growing
   * and a complete later header is in it, the length was wrong.
   */
  private watchForStall(): void {
    this.stall = setTimeout(() => {
      this.stall = undefined;
      const inner = this.buffer.indexOf(HEADER);
      if (this.length === undefined || inner < 0 || this.buffer.indexOf(END_OF_HEADER, inner) < 0) return;
      this.sink.malformed(`Content-Length ${this.length} is longer than the message: the next header came after ${inner} bytes`, this.buffer.subarray(0, inner).toString('utf8'));
      this.buffer = this.buffer.subarray(inner);
      this.length = undefined;
      this.drain();
    }, STALL_MS);
    this.stall.unref();
  }

  private clearStall(): void {
    if (this.stall) clearTimeout(this.stall);
    this.stall = undefined;
  }
}

/** The body length a header block gives, or what is wrong with it. */
function contentLength(header: string): number | string {
  const values = header.split('\r\n').flatMap((line) => {
    const m = /^Content-Length:[ \t]*(.*?)[ \t]*$/.exec(line);
    return m ? [m[1]!] : [];
  });
  if (values.length !== 1) return values.length === 0 ? `a header without Content-Length: ${JSON.stringify(header)}` : `a header with ${values.length} Content-Length fields`;
  const text = values[0]!;
  if (!/^\d+$/.test(text)) return `Content-Length ${JSON.stringify(text)} is not a byte count`;
  const n = Number(text);
  if (n > MAX_BODY_BYTES) return `Content-Length ${text} is over the limit of ${MAX_BODY_BYTES} bytes`;
  return n;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
}

/**
 * Serve `session` over a byte stream pair. The library's reader is given a
 * stream that never carries data; frames reach the session through
 * handleMessage, and the end of `input` closes the session as before.
 */
export function serveFramed(session: DebugSession, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): void {
  const silent = new PassThrough();
  session.start(silent, output);
  const reader = new FrameReader({
    message: (value) => {
      try {
        session.handleMessage(value as DebugProtocol.ProtocolMessage);
      } catch (e) {
        reportMalformed(session, `the adapter failed on it: ${e instanceof Error ? e.message : String(e)}`, value);
      }
    },
    malformed: (problem, body) => reportMalformed(session, problem, body === undefined ? undefined : parseLoosely(body)),
  });
  input.on('data', (data: Buffer | string) => reader.push(typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
  input.on('end', () => reader.end());
  input.on('close', () => silent.destroy());
  input.on('error', (e: Error) => silent.destroy(e));
}

/** A malformed body may still say which request it was. */
function parseLoosely(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
