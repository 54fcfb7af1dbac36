// What the session accepts as a protocol message from the client, and how it
// answers one it cannot take: an `output` event on stderr naming the problem,
// and an error response when the message said which request it was.

import { OutputEvent, Response, type DebugSession } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { describeValue } from './arguments';

export type CheckedMessage =
  | { readonly ok: true; readonly message: DebugProtocol.ProtocolMessage }
  | { readonly ok: false; readonly problem: string };

/** A request or a response (to a request the adapter sent), with the fields the session relies on. */
export function checkMessage(value: unknown): CheckedMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: `a message must be a JSON object, not ${describeValue(value)}` };
  const m = value as Record<string, unknown>;
  if (!isSeq(m.seq)) return { ok: false, problem: `"seq" must be a non-negative integer, not ${describeValue(m.seq)}` };
  if (m.type === 'request') {
    if (typeof m.command !== 'string' || m.command === '') return { ok: false, problem: `a request's "command" must be a non-empty string, not ${describeValue(m.command)}` };
    // null is taken as no arguments, as some clients send for requests that have none.
    if (m.arguments !== undefined && m.arguments !== null && (typeof m.arguments !== 'object' || Array.isArray(m.arguments))) {
      return { ok: false, problem: `arguments must be an object, not ${describeValue(m.arguments)}` };
    }
    return { ok: true, message: m as unknown as DebugProtocol.Request };
  }
  if (m.type === 'response') {
    if (!isSeq(m.request_seq) || typeof m.success !== 'boolean' || typeof m.command !== 'string') {
      return { ok: false, problem: 'a response needs an integer "request_seq", a boolean "success" and a string "command"' };
    }
    return { ok: true, message: m as unknown as DebugProtocol.Response };
  }
  return { ok: false, problem: `"type" must be "request" or "response", not ${describeValue(m.type)}` };
}

/** Report a message the session cannot take, answering it when it names a request. */
export function reportMalformed(session: DebugSession, problem: string, value?: unknown): void {
  session.sendEvent(new OutputEvent(`malformed message: ${problem}\n`, 'stderr'));
  const request = requestIdentity(value);
  if (request) session.sendResponse(new Response(request as DebugProtocol.Request, `malformed "${request.command}" request: ${problem}`));
}

/** The seq and command of a message, when it has both; enough to address an error response. */
function requestIdentity(value: unknown): { seq: number; command: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  return isSeq(m.seq) && typeof m.command === 'string' && m.command !== '' && m.type !== 'response' ? { seq: m.seq, command: m.command } : undefined;
}

function isSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
