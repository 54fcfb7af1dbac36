// The worker thread the engine runs in: the session talks to it through
// comlink, so a long run never blocks the extension host.

import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter';
import { EngineHost } from './engine-host';

if (!parentPort) throw new Error('engine-worker.js must run in a worker thread');
Comlink.expose(new EngineHost(), nodeEndpoint(parentPort));
