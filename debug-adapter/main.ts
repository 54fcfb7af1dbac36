// The standalone debug adapter over stdio, or over TCP with `--server=PORT`,
// for any DAP client. Loaded as a module it only exports the session, so
// benchmarks can run it in-process.

import { createServer } from 'node:net';
import { HvisorDebugSession } from './session';

export { HvisorDebugSession };

function main(): void {
  const port = /^--server=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--server=')) ?? '')?.[1];
  if (port === undefined) {
    new HvisorDebugSession().start(process.stdin, process.stdout);
    return;
  }
  createServer((socket) => {
    // Small request/response messages: without this, Nagle's algorithm adds tens of milliseconds per round trip.
    socket.setNoDelay(true);
    const session = new HvisorDebugSession();
    session.setRunAsServer(true);
    session.start(socket, socket);
  }).listen(Number(port), '127.0.0.1');
}

if (require.main === module) main();
