// The adapter's custom requests: each one's name, arguments and response
// body, declared once. The extension sends them through `sendCustomRequest`;
// the adapter dispatches through a table typed by `CustomRequestHandlers`, so
// a request missing here cannot be handled and one declared here cannot be
// left unhandled. Thread ids are CPU numbers + 1; `frozen` lists CPU numbers.

/** "all": every CPU runs on continue; "solo": only the CPU being debugged. */
export type RunMode = 'all' | 'solo';

export interface RunState {
  readonly mode: RunMode;
  /** CPU numbers. */
  readonly frozen: readonly number[];
}

export interface ThreadArguments {
  readonly threadId: number;
}

/** Bytes for a board UART's receiver (protocol/uart.ts), base64: they wait in its backlog until the guest receives. */
export interface UartInputArguments {
  readonly uart: number;
  readonly data: string;
}

/** Arguments → response body of each custom request. */
export interface CustomRequests {
  /** The CPU no longer runs on continue. */
  readonly freezeCpu: { readonly args: ThreadArguments; readonly body: { readonly frozen: readonly number[] } };
  readonly thawCpu: { readonly args: ThreadArguments; readonly body: { readonly frozen: readonly number[] } };
  /** Continues that CPU alone, as solo mode does. */
  readonly runOnlyCpu: { readonly args: ThreadArguments; readonly body: { readonly allThreadsContinued: boolean } };
  readonly setRunMode: { readonly args: { readonly mode: RunMode }; readonly body: { readonly mode: RunMode } };
  readonly getRunState: { readonly args: Readonly<Record<string, never>>; readonly body: RunState & { readonly running: boolean } };
  /** Accepted while the machine runs or is paused; `bytes` is how many were queued. */
  readonly uartInput: { readonly args: UartInputArguments; readonly body: { readonly bytes: number } };
}

export type CustomRequestName = keyof CustomRequests;
export type CustomArguments<K extends CustomRequestName> = CustomRequests[K]['args'];
export type CustomBody<K extends CustomRequestName> = CustomRequests[K]['body'];

/**
 * The adapter's side: a handler for every declared request, given checked
 * arguments. It answers with the body, or with undefined when it sent the
 * response itself; it throws to answer with an error.
 */
export type CustomRequestHandlers<Response> = {
  readonly [K in CustomRequestName]: (args: CustomArguments<K>, response: Response) => CustomBody<K> | undefined | Promise<CustomBody<K> | undefined>;
};

/** Arguments that are not what a request declares; the message names the argument. */
export class CustomArgumentError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new CustomArgumentError(`arguments must be an object, not ${JSON.stringify(value) ?? typeof value}`);
  return value;
}

function threadArguments(value: unknown): ThreadArguments {
  const { threadId } = record(value);
  if (typeof threadId !== 'number' || !Number.isSafeInteger(threadId)) throw new CustomArgumentError(`threadId must be an integer, not ${JSON.stringify(threadId) ?? 'missing'}`);
  return { threadId };
}

/** Checks each request's arguments as they arrive. */
const ARGUMENT_READERS: { readonly [K in CustomRequestName]: (args: unknown) => CustomArguments<K> } = {
  freezeCpu: threadArguments,
  thawCpu: threadArguments,
  runOnlyCpu: threadArguments,
  setRunMode: (value) => {
    const mode = readMode(record(value));
    if (!mode) throw new CustomArgumentError(`mode must be "all" or "solo", not ${JSON.stringify(record(value).mode) ?? 'missing'}`);
    return { mode };
  },
  getRunState: (value) => {
    record(value);
    return {};
  },
  uartInput: (value) => {
    const { uart, data } = record(value);
    if (typeof uart !== 'number' || !Number.isSafeInteger(uart) || uart < 0) throw new CustomArgumentError(`uart must be a UART index, not ${JSON.stringify(uart) ?? 'missing'}`);
    if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw new CustomArgumentError(`data must be base64, not ${JSON.stringify(data) ?? 'missing'}`);
    return { uart, data };
  },
};

export function isCustomRequest(command: string): command is CustomRequestName {
  return Object.prototype.hasOwnProperty.call(ARGUMENT_READERS, command);
}

/** The declared arguments of `command`; throws CustomArgumentError naming a bad one. */
export function readCustomArguments<K extends CustomRequestName>(command: K, args: unknown): CustomArguments<K> {
  return ARGUMENT_READERS[command](args);
}

/** The extension's side: what a debug session offers, typed by the declaration. */
export interface CustomRequestSender {
  customRequest(command: string, args?: unknown): PromiseLike<unknown>;
}

export function sendCustomRequest<K extends CustomRequestName>(session: CustomRequestSender, command: K, args: CustomArguments<K>): PromiseLike<unknown> {
  return session.customRequest(command, args);
}

export function cpuOfThread(threadId: number): number {
  return threadId - 1;
}

/** A reply's `mode`, when it is one. Replies are read, not trusted: another adapter version may answer. */
export function readMode(value: unknown): RunMode | undefined {
  return isRecord(value) && (value.mode === 'all' || value.mode === 'solo') ? value.mode : undefined;
}

export function readFrozen(value: unknown): number[] | undefined {
  return isRecord(value) && Array.isArray(value.frozen) && value.frozen.every((n) => typeof n === 'number') ? [...(value.frozen as number[])] : undefined;
}
