// The worker thread the engine runs in: the session talks to it through
// comlink, so a long run never blocks the extension host.

import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter';
import { EngineHost } from './engine-host';
import type { OutputMessage } from './engine-protocol';

const port = parentPort;
if (!port) throw new Error('engine-worker.js must run in a worker thread');
Comlink.expose(new EngineHost((output) => port.postMessage({ output } satisfies OutputMessage)), nodeEndpoint(port));
