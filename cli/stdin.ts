// The guest's UART input: whatever stdin holds, read whole before the run
// (the run is deterministic, so input cannot arrive while it goes on). A
// stream that never ends (/dev/zero, `yes |`) is cut off at a limit and
// refused rather than read for ever.

import { readSync } from 'node:fs';

/** More input than any guest reads from a UART; past it, stdin is refused. */
export const MAX_STDIN = 16 * 1024 * 1024;

export class StdinError extends Error {}

/** Everything on stdin, or nothing when it is a terminal or cannot be read. */
export function readStdin(isTTY: boolean | undefined): Uint8Array {
  if (isTTY) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = new Uint8Array(64 * 1024);
    let n: number;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      // A non-blocking pipe with nothing in it yet: wait for its writer.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      // No readable stdin (closed, or a terminal that went away): the guest gets what came so far.
      break;
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_STDIN) throw new StdinError(`stdin: more than ${MAX_STDIN / (1024 * 1024)} MiB of input; the guest's UART input is read whole before the run, so it must end`);
    chunks.push(chunk.subarray(0, n));
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}
