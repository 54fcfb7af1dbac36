// What a board UART's terminal in VS Code would show: the adapter's UART
// output events as they arrive, for the DAP tests that type into a guest.

import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { UART_OUTPUT_EVENT, readUartOutput } from '../../protocol/uart';

/** Everything the UART terminal would show, as it arrives. */
export function terminal(dc: DebugClient): { text: () => string; until: (pattern: RegExp) => Promise<void> } {
  let text = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  dc.on(UART_OUTPUT_EVENT, (e: DebugProtocol.Event) => {
    const out = readUartOutput(e.body);
    assert.ok(out, 'a well-formed UART output event');
    assert.equal(out.uart, 0);
    text += Buffer.from(out.bytes).toString('latin1');
    for (const w of waiters.splice(0)) if (w.pattern.test(text)) w.resolve();
    else waiters.push(w);
  });
  return {
    text: () => text,
    until: (pattern) => (pattern.test(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ pattern, resolve }))),
  };
}
