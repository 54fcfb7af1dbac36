// `--server` mode: each connection's session has its own engine worker, and
// a connection dropped without a disconnect lets its worker go.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchOnEntry } from './dap-client';
import { eventually, startInProcess } from './in-process';

const CONNECTIONS = 3;

test('connections dropped without disconnect terminate their workers', async () => {
  const adapter = await startInProcess();
  try {
    const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => adapter.connect()));
    for (const dc of clients) await launchOnEntry(dc);
    assert.equal(adapter.workers(), CONNECTIONS);
    // One client is left running a guest, the others stopped on entry.
    await clients[0]!.continueRequest({ threadId: 1 });
    for (const dc of clients) dc.drop();
    assert.ok(await eventually(() => adapter.workers() === 0), `${adapter.workers()} workers are left`);
    // The server still takes new connections afterwards.
    const dc = await adapter.connect();
    await launchOnEntry(dc);
    assert.equal(adapter.workers(), 1);
    await dc.stop();
    assert.ok(await eventually(() => adapter.workers() === 0), 'a disconnected session lets its worker go');
  } finally {
    await adapter.close();
  }
});
