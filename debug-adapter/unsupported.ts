// Requests the adapter does not implement. The library's default handlers
// answer every standard request with success and no body; here a request
// whose handler the session does not override is refused, saying so.

import { DebugSession } from '@vscode/debugadapter';

/** Why, where there is more to say than "not supported". */
const REASONS: Readonly<Record<string, string>> = {
  attach: 'there is nothing to attach to: launch starts the machine',
  stepBack: 'the engine keeps no execution history to step back through',
  reverseContinue: 'the engine keeps no execution history to run backwards through',
  restartFrame: 'a frame cannot be restarted: set the pc register instead',
  goto: 'there are no goto targets: set the pc register instead',
  gotoTargets: 'there are no goto targets: set the pc register instead',
  terminateThreads: 'a CPU cannot be terminated on its own: freeze it (freezeCpu) to keep it from running',
  setExpression: 'set registers in the Variables view, or evaluate "name = value" in the Debug Console',
  dataBreakpointInfo: 'data breakpoints (watchpoints) are not supported',
  setDataBreakpoints: 'data breakpoints (watchpoints) are not supported',
  source: 'every source is a file on disk: there is no source content by reference',
  cancel: 'requests cannot be cancelled: pause stops a run',
};

/**
 * The message refusing `command` when it is a standard request `session`
 * leaves to the library's default handler; undefined when it handles it.
 */
export function unsupportedRequest(session: DebugSession, command: string): string | undefined {
  const base = DebugSession.prototype as unknown as Record<string, unknown>;
  const own = Object.getPrototypeOf(session) as Record<string, unknown>;
  const handler = [`${command}Request`, `${command.replace(/Breakpoints$/, 'BreakPoints')}Request`].find((name) => typeof base[name] === 'function');
  if (handler === undefined || own[handler] !== base[handler]) return undefined;
  const reason = REASONS[command];
  return `"${command}" is not supported by this debug adapter${reason ? `: ${reason}` : ''}`;
}
