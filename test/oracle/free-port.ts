// A port for qemu's gdbstub that no concurrent test process holds: the
// system picks it, where a range derived from the process id could overlap
// another process's.
import { createServer, type AddressInfo } from 'node:net';

/** A TCP port free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}
