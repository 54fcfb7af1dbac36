// Readers for request arguments, one per shape. Each returns the value in the
// type the handler needs or throws an ArgumentError naming the argument; the
// session answers that with an error response.

import type { LaunchAttributes } from './engine-protocol';

export class ArgumentError extends Error {}

type Arguments = object | undefined;

function field(args: Arguments, name: string): unknown {
  return args === undefined ? undefined : (args as Record<string, unknown>)[name];
}

/** Launch attributes nest no deeper than this; a deeper value would overflow the stack of whatever copies or parses it. */
const MAX_LAUNCH_DEPTH = 64;

/** Launch (and restart) arguments: an object; its attributes are checked by the engine's launch parser. */
export function launchArguments(args: unknown): LaunchAttributes {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new ArgumentError(`the launch configuration must be an object, not ${describeValue(args)}`);
  for (const [key, value] of Object.entries(args)) {
    if (depth(value, MAX_LAUNCH_DEPTH) > MAX_LAUNCH_DEPTH) throw new ArgumentError(`launch attribute "${key}" is nested more than ${MAX_LAUNCH_DEPTH} levels deep`);
  }
  return args as LaunchAttributes;
}

/** How deep `value` nests, counting no further than one past `limit`; iterative, so any depth is safe to measure. */
function depth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [v, d] = pending.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, d + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) pending.push([child, d + 1]);
  }
  return deepest;
}

export interface IntegerRange {
  readonly min?: number;
  readonly max?: number;
}

/** An integer argument within `range`; `fallback` when it is absent (required when there is no fallback). */
export function integer(args: Arguments, name: string, range: IntegerRange = {}, fallback?: number): number {
  const v = field(args, name);
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw new ArgumentError(`"${name}" is missing`);
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new ArgumentError(`"${name}" must be an integer, not ${describeValue(v)}`);
  if (range.min !== undefined && v < range.min) throw new ArgumentError(`"${name}" must be at least ${range.min}, not ${v}`);
  if (range.max !== undefined && v > range.max) throw new ArgumentError(`"${name}" must be at most ${range.max}, not ${v}`);
  return v;
}

/** An integer argument that may be absent. */
export function optionalInteger(args: Arguments, name: string, range: IntegerRange = {}): number | undefined {
  return field(args, name) === undefined ? undefined : integer(args, name, range);
}

export function string(args: Arguments, name: string): string {
  const v = field(args, name);
  if (typeof v !== 'string') throw new ArgumentError(v === undefined ? `"${name}" is missing` : `"${name}" must be a string, not ${describeValue(v)}`);
  return v;
}

export function optionalBoolean(args: Arguments, name: string): boolean | undefined {
  const v = field(args, name);
  if (v !== undefined && typeof v !== 'boolean') throw new ArgumentError(`"${name}" must be true or false, not ${describeValue(v)}`);
  return v;
}

/** One of `choices`, or undefined when absent. */
export function optionalChoice<T extends string>(args: Arguments, name: string, choices: readonly T[]): T | undefined {
  const v = field(args, name);
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) throw new ArgumentError(`"${name}" must be one of ${choices.map((c) => `"${c}"`).join(', ')}, not ${describeValue(v)}`);
  return v as T;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** Bytes given as base64; anything else is refused rather than decoded leniently. */
export function base64(args: Arguments, name: string): Uint8Array {
  const v = string(args, name);
  if (!BASE64.test(v)) throw new ArgumentError(`"${name}" is not base64: ${describeValue(v)}`);
  return new Uint8Array(Buffer.from(v, 'base64'));
}

/** The CPU a thread id names, among `cpuCount` CPUs (none before launch). */
export function thread(args: Arguments, cpuCount: number, name = 'threadId'): number {
  if (cpuCount === 0) throw new ArgumentError('no machine is running; launch first');
  const id = integer(args, name);
  if (id < 1 || id > cpuCount) throw new ArgumentError(`"${name}" ${id} is not a thread: the threads are 1 to ${cpuCount}`);
  return id - 1;
}

/** A value as a message shows it: short, and JSON-like. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}
