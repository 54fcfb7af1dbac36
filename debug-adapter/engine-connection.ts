// The session's link to one engine worker. Comlink leaves a call pending
// forever when the worker dies, so every call here also settles when the
// worker goes: rejected with the reason it went (an uncaught error and where
// it was thrown, an exit code, or running out of memory).

import { Worker, type ResourceLimits } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter';
import { isOutputMessage, type EngineApi, type OutputChunk } from './engine-protocol';

/** The worker's heap limit: it runs out of memory before the process hosting the session does. */
export const DEFAULT_WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 2048 };
/** Stack lines of an engine error reported with its message. */
const STACK_LINES = 6;

export class EngineConnection {
  /** The engine's API; every call rejects once the worker is gone. */
  readonly api: Comlink.Remote<EngineApi>;
  private readonly worker: Worker;
  private error: Error | undefined;
  private closing = false;
  private exited = false;
  private readonly gone: Promise<never>;

  /**
   * `onDeath` is told why the worker went when it went by itself, not by
   * `close()`; `onExit` whenever its thread has ended; `onOutput` what the
   * machine printed, always before the answer to the call it printed in.
   */
  constructor(path: string, limits: ResourceLimits, onDeath: (reason: string) => void, onExit: () => void, onOutput: (chunks: readonly OutputChunk[]) => void) {
    this.worker = new Worker(path, { resourceLimits: limits });
    this.worker.on('message', (message: unknown) => {
      if (isOutputMessage(message)) onOutput(message.output);
    });
    this.gone = new Promise<never>((_, reject) => {
      this.worker.on('error', (e) => {
        this.error = e;
      });
      this.worker.on('exit', (code) => {
        this.exited = true;
        const reason = this.closing ? 'the engine was stopped' : this.reason(code, limits);
        reject(new Error(reason));
        if (!this.closing) onDeath(reason);
        onExit();
      });
    });
    this.gone.catch(() => {});
    const remote = Comlink.wrap<EngineApi>(nodeEndpoint(this.worker));
    this.api = new Proxy(remote, {
      get: (target, property) => {
        // Not a thenable: awaiting the API object itself must not call the worker.
        if (property === 'then') return undefined;
        const method = Reflect.get(target, property) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => Promise.race([method(...args), this.gone]);
      },
    });
  }

  /** Whether the worker thread still runs. */
  get alive(): boolean {
    return !this.exited;
  }

  /** Stop the worker on purpose: pending calls reject, and no death is reported. */
  close(): void {
    if (this.exited) return;
    this.closing = true;
    void this.worker.terminate();
  }

  private reason(code: number, limits: ResourceLimits): string {
    const e = this.error;
    if (!e) return `the engine worker exited with code ${code}`;
    if ((e as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return `the engine ran out of memory (its heap limit is ${limits.maxOldGenerationSizeMb ?? '?'} MiB): ${e.message}`;
    }
    return failureText(e);
  }
}

/** An error `who` (the engine, or the adapter itself) threw: its message, and the top of its stack for where. */
export function failureText(e: unknown, who = 'the engine'): string {
  if (!(e instanceof Error)) return `${who} failed: ${String(e)}`;
  const stack = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, STACK_LINES);
  return [`${who} failed: ${e.message}`, ...stack].join('\n');
}
