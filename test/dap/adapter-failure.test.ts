// A failure in the standalone adapter itself, outside every request handler
// (injected here by a module node loads before the adapter, so the adapter
// carries no test hook): the client hears why and where on stderr, the
// session ends with a terminated event, and the process exits with code 1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawAdapter } from './raw-adapter';

const INJECT = 'data:text/javascript,setTimeout(() => { throw new Error("injected adapter failure"); }, 500);';

test('an uncaught error in the adapter ends the session with its reason and exit code 1', async (t) => {
  const a = new RawAdapter(['--import', INJECT]);
  t.after(() => a.kill());
  const seq = a.request('initialize', { adapterID: 'hvisor', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  const init = await a.response(seq);
  assert.equal(init.success, true, init.message);
  const failure = await a.next((m) => m.event === 'output' && m.body?.category === 'stderr');
  assert.match(failure.body?.output ?? '', /^the debug adapter failed: injected adapter failure\n\s+at /);
  await a.next((m) => m.event === 'terminated');
  for (let i = 0; i < 100 && a.exitCode === undefined; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(a.exitCode, 1);
});
