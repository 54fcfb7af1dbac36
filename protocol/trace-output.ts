// How the adapter sends hypervisor trace lines: `output` events of category
// `telemetry`, which VS Code keeps out of the Debug Console, marked
// `data.hvisorTrace` so the extension can route them to an output channel.

export const TRACE_OUTPUT_CATEGORY = 'telemetry';

/** The `data` of a trace output event. */
export const TRACE_OUTPUT_DATA = { hvisorTrace: true } as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The trace line a DAP message carries, or undefined when it is not a trace output event. */
export function traceText(message: unknown): string | undefined {
  if (!isRecord(message) || message.type !== 'event' || message.event !== 'output' || !isRecord(message.body)) return undefined;
  const body = message.body;
  if (body.category !== TRACE_OUTPUT_CATEGORY || !isRecord(body.data) || body.data.hvisorTrace !== TRACE_OUTPUT_DATA.hvisorTrace || typeof body.output !== 'string') return undefined;
  return body.output;
}
