// Runs adapter sessions in this process, behind the TCP server, so tests can
// give them other engine workers and count the workers they leave behind.

import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection, type AddressInfo, type Socket } from 'node:net';
import { createRequire } from 'node:module';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { startServer, type AdapterServer } from '../../debug-adapter/server';
import type { HvisorDebugSessionOptions } from '../../debug-adapter/session';

export const ENGINE_WORKER = resolve('dist/engine-worker.js');

/** A DebugClient over a TCP connection it can drop, as a client that crashed would. */
export class SocketDebugClient extends DebugClient {
  private socket: Socket | undefined;

  constructor() {
    super('node', '', 'hvisor');
    this.defaultTimeout = 20_000;
  }

  async open(port: number): Promise<void> {
    const socket = createConnection(port, '127.0.0.1');
    await once(socket, 'connect');
    this.socket = socket;
    this.connect(socket, socket);
  }

  /** Close the connection with no disconnect request. */
  drop(): void {
    this.socket?.destroy();
  }

  override async stop(): Promise<void> {
    await super.stop();
    this.drop();
  }
}

export interface InProcessAdapter extends AdapterServer {
  readonly port: number;
  connect(): Promise<SocketDebugClient>;
}

export async function startInProcess(options: HvisorDebugSessionOptions = { workerPath: ENGINE_WORKER }): Promise<InProcessAdapter> {
  const adapter = startServer(0, options);
  await once(adapter.server, 'listening');
  const port = (adapter.server.address() as AddressInfo).port;
  return {
    ...adapter,
    port,
    connect: async () => {
      const dc = new SocketDebugClient();
      await dc.open(port);
      return dc;
    },
  };
}

/** Bundle the fault-injecting workers in test/dap/fixtures/workers; returns each entry's path by name. */
export async function buildFaultWorkers(names: readonly string[]): Promise<{ paths: Record<string, string>; dispose: () => void }> {
  const outdir = mkdtempSync(join(tmpdir(), 'hvisor-fault-workers-'));
  // Loaded at run time from node_modules: esbuild's API cannot itself be bundled into the test.
  const esbuild = createRequire(resolve('package.json'))('esbuild') as typeof import('esbuild');
  await esbuild.build({
    entryPoints: names.map((n) => `test/dap/fixtures/workers/${n}.ts`),
    outdir, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning',
  });
  return {
    paths: Object.fromEntries(names.map((n) => [n, join(outdir, `${n}.js`)])),
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** Wait until `check` holds, polling; false when it never did within `ms`. */
export async function eventually(check: () => boolean, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}
