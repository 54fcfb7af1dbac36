// Readers for the arguments of setBreakpoints, setFunctionBreakpoints and
// setInstructionBreakpoints: each returns what the handler needs or throws an
// ArgumentError naming the argument (`breakpoints[2].condition`).

import type { DebugProtocol } from '@vscode/debugprotocol';
import { ArgumentError, describeValue, integer, string } from './arguments';
import type { LiveBreakpoint } from './breakpoints';

type Conditions = Pick<LiveBreakpoint, 'condition' | 'hitCondition' | 'logMessage'>;

/** A string argument that may be absent. */
export function optionalString(args: object | undefined, name: string): string | undefined {
  const v = args === undefined ? undefined : (args as Record<string, unknown>)[name];
  return v === undefined ? undefined : string(args, name);
}

/** The objects of an array argument, each with the name messages give it. */
function objects(args: object, name: string, where = name): { at: string; value: object }[] {
  const v = (args as Record<string, unknown>)[name];
  if (!Array.isArray(v)) throw new ArgumentError(`"${where}" must be an array, not ${describeValue(v)}`);
  return v.map((value: unknown, i) => {
    const at = `${where}[${i}]`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ArgumentError(`"${at}" must be an object, not ${describeValue(value)}`);
    return { at, value };
  });
}

/** A field of an element, read with a reader that names it by its place. */
function named<T>(at: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ArgumentError) throw new ArgumentError(e.message.replace(/^"([^"]+)"/, `"${at}.$1"`));
    throw e;
  }
}

/** The condition, hit condition and log message of one breakpoint, each a string if present. */
function conditions(at: string, b: object): Conditions {
  const out: { condition?: string; hitCondition?: string; logMessage?: string } = {};
  for (const key of ['condition', 'hitCondition', 'logMessage'] as const) {
    const v = named(at, () => optionalString(b, key));
    if (v !== undefined) out[key] = v;
  }
  return out;
}

export function sourcePath(args: DebugProtocol.SetBreakpointsArguments): string {
  const source: unknown = (args as { source?: unknown }).source;
  if (typeof source !== 'object' || source === null) throw new ArgumentError(`"source" must be an object, not ${describeValue(source)}`);
  return named('source', () => string(source, 'path'));
}

export function sourceBreakpoints(args: DebugProtocol.SetBreakpointsArguments): { line: number; conditions: Conditions }[] {
  if (args.breakpoints === undefined && Array.isArray(args.lines)) {
    return args.lines.map((line: unknown, i) => ({ line: integer({ [`lines[${i}]`]: line }, `lines[${i}]`, { min: 1 }), conditions: {} }));
  }
  if (args.breakpoints === undefined) return [];
  return objects(args, 'breakpoints').map(({ at, value }) => ({ line: named(at, () => integer(value, 'line', { min: 1 })), conditions: conditions(at, value) }));
}

export function functionBreakpoints(args: DebugProtocol.SetFunctionBreakpointsArguments): { name: string; conditions: Conditions }[] {
  return objects(args, 'breakpoints').map(({ at, value }) => ({ name: named(at, () => string(value, 'name')), conditions: conditions(at, value) }));
}

export function instructionBreakpoints(args: DebugProtocol.SetInstructionBreakpointsArguments): { instructionReference: string; offset: number; conditions: Conditions }[] {
  return objects(args, 'breakpoints').map(({ at, value }) => ({
    instructionReference: named(at, () => string(value, 'instructionReference')),
    offset: named(at, () => integer(value, 'offset', {}, 0)),
    conditions: conditions(at, value),
  }));
}
