// The adapter as a TCP server (`--server=PORT`): a session per connection,
// each with its own engine worker, which goes when the connection does.

import { createServer, type Server, type Socket } from 'node:net';
import { HvisorDebugSession, type HvisorDebugSessionOptions } from './session';
import { serveFramed } from './framing';

export interface AdapterServer {
  readonly server: Server;
  /** Engine workers still alive across every connection, open or closed. */
  workers(): number;
  /** Stop listening and end every session. */
  close(): Promise<void>;
}

export function startServer(port: number, options: HvisorDebugSessionOptions = {}): AdapterServer {
  /** Sessions whose connection is open or whose worker has not yet exited. */
  const sessions = new Set<HvisorDebugSession>();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    // Small request/response messages: without this, Nagle's algorithm adds tens of milliseconds per round trip.
    socket.setNoDelay(true);
    sockets.add(socket);
    const session = new HvisorDebugSession(options);
    session.setRunAsServer(true);
    sessions.add(session);
    session.onWorkersGone(() => {
      if (socket.destroyed) sessions.delete(session);
    });
    socket.on('close', () => {
      sockets.delete(socket);
      if (session.workerCount() === 0) sessions.delete(session);
    });
    serveFramed(session, socket, socket);
  });
  server.listen(port, '127.0.0.1');
  return {
    server,
    workers: () => [...sessions].reduce((n, s) => n + s.workerCount(), 0),
    close: () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      for (const s of sessions) s.dispose();
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
}
