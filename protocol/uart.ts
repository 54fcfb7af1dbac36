// The board UARTs as the adapter offers them to the extension, declared once
// for both sides. After each launch (and restart) the adapter sends a
// `hvisorUarts` event naming the UARTs; guest output on UART n comes as
// `hvisorUartOutput` events carrying its raw bytes; the extension sends what
// the user types with the `uartInput` custom request (custom-requests.ts).
// Bytes travel as base64, so any byte value crosses intact.

export const UARTS_EVENT = 'hvisorUarts';
export const UART_OUTPUT_EVENT = 'hvisorUartOutput';

/** One board UART: its index for uartInput, and a name for its terminal (its zones). */
export interface UartDescription {
  readonly uart: number;
  readonly name: string;
}

export interface UartsEventBody {
  readonly uarts: readonly UartDescription[];
}

export interface UartOutputEventBody {
  readonly uart: number;
  /** base64 */
  readonly data: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An event's UART list, when it is one. Events are read, not trusted. */
export function readUarts(body: unknown): UartDescription[] | undefined {
  if (!isRecord(body) || !Array.isArray(body.uarts)) return undefined;
  const uarts = body.uarts.filter((u): u is UartDescription => isRecord(u) && typeof u.uart === 'number' && typeof u.name === 'string');
  return uarts.length === body.uarts.length ? uarts.map((u) => ({ uart: u.uart, name: u.name })) : undefined;
}

/** An output event's UART and bytes, when it is one. */
export function readUartOutput(body: unknown): { uart: number; bytes: Uint8Array } | undefined {
  if (!isRecord(body) || typeof body.uart !== 'number' || typeof body.data !== 'string') return undefined;
  return { uart: body.uart, bytes: Uint8Array.from(Buffer.from(body.data, 'base64')) };
}
