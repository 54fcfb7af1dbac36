// The adapter's custom requests and trace output, as the header of
// debug-adapter/session.ts documents them. Kept in one place so the two
// halves cannot drift apart silently. Thread ids are CPU numbers + 1; the
// adapter's `frozen` lists CPU numbers.

/** `{ threadId }` → `{ frozen }`: the CPU no longer runs on continue. */
export const REQUEST_FREEZE = 'freezeCpu';
/** `{ threadId }` → `{ frozen }`. */
export const REQUEST_THAW = 'thawCpu';
/** `{ threadId }` → `{}`: continues that CPU alone, as solo mode does. */
export const REQUEST_RUN_ONLY = 'runOnlyCpu';
/** `{ mode }` → `{ mode }`. */
export const REQUEST_SET_RUN_MODE = 'setRunMode';
/** `{}` → `{ mode, frozen, running }`. */
export const REQUEST_RUN_STATE = 'getRunState';

export type RunMode = 'all' | 'solo';

export interface RunState {
  readonly mode: RunMode;
  /** CPU numbers. */
  readonly frozen: readonly number[];
}

export function cpuOfThread(threadId: number): number {
  return threadId - 1;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function readMode(value: unknown): RunMode | undefined {
  return isRecord(value) && (value.mode === 'all' || value.mode === 'solo') ? value.mode : undefined;
}

export function readFrozen(value: unknown): number[] | undefined {
  return isRecord(value) && Array.isArray(value.frozen) && value.frozen.every((n) => typeof n === 'number') ? [...(value.frozen as number[])] : undefined;
}

/** Trace lines arrive as `telemetry` output events marked `data.hvisorTrace`, which the Debug Console ignores. */
export function traceText(message: unknown): string | undefined {
  if (!isRecord(message) || message.type !== 'event' || message.event !== 'output' || !isRecord(message.body)) return undefined;
  const body = message.body;
  if (body.category !== 'telemetry' || !isRecord(body.data) || body.data.hvisorTrace !== true || typeof body.output !== 'string') return undefined;
  return body.output;
}
