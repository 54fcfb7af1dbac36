// The DAP session of dist/debug-adapter.js in this process (its engine in its
// worker thread), connected to @vscode/debugadapter-testsupport's DebugClient
// through a pair of in-memory streams: what the round-trip benchmarks drive.

import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const ROOT = resolve(new URL('..', import.meta.url).pathname);
const { HvisorDebugSession } = require(join(ROOT, 'dist/debug-adapter.js'));
const { DebugClient } = require('@vscode/debugadapter-testsupport');

/** A DebugClient talking to a new in-process session. */
export function inMemorySession() {
  const toAdapter = new PassThrough();
  const fromAdapter = new PassThrough();
  const session = new HvisorDebugSession();
  session.setRunAsServer(true);
  session.start(toAdapter, fromAdapter);
  const dc = new DebugClient('node', 'unused', 'hvisor');
  dc.defaultTimeout = 30_000;
  // DebugClient's own start() spawns a process or dials a port; connect() takes streams (what start() calls).
  dc.connect(fromAdapter, toAdapter);
  return dc;
}

/** The `p`th percentile of ascending `sorted`. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
