// The standalone debug adapter over stdio, or over TCP with `--server=PORT`,
// for any DAP client. Loaded as a module it only exports the session, so
// benchmarks can run it in-process.

import { HvisorDebugSession } from './session';
import { serveFramed } from './framing';
import { startServer } from './server';

export { HvisorDebugSession };

function main(): void {
  const port = /^--server=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--server=')) ?? '')?.[1];
  if (port === undefined) {
    const session = new HvisorDebugSession();
    serveFramed(session, process.stdin, process.stdout);
    // A failure outside every request handler: the client hears why before the process ends.
    process.on('uncaughtException', (e) => {
      session.adapterFailed(e);
      process.exit(1);
    });
  } else startServer(Number(port));
}

if (require.main === module) main();
