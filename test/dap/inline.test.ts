// The session as the extension runs it, inline in the extension host: VS Code
// hands it message objects and disposes of it when the debug session ends.
// Bad messages are reported the same way, and disposal stops the worker.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { HvisorDebugSession } from '../../debug-adapter/session';
import { sampleConfig } from './dap-client';
import { ENGINE_WORKER, eventually } from './in-process';

test('inline: malformed messages are reported, and dispose stops the engine worker', async () => {
  const session = new HvisorDebugSession({ workerPath: ENGINE_WORKER });
  const sent: DebugProtocol.ProtocolMessage[] = [];
  session.onDidSendMessage((m) => sent.push(m as DebugProtocol.ProtocolMessage));
  const sentMatching = async (match: (m: DebugProtocol.ProtocolMessage) => boolean): Promise<DebugProtocol.ProtocolMessage> => {
    assert.ok(await eventually(() => sent.some(match)), 'the message arrives');
    return sent.find(match)!;
  };
  const responseTo = (seq: number) => sentMatching((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === seq) as Promise<DebugProtocol.Response>;
  try {
    session.handleMessage(null as unknown as DebugProtocol.ProtocolMessage);
    const report = (await sentMatching((m) => m.type === 'event')) as DebugProtocol.OutputEvent;
    assert.equal(report.body.category, 'stderr');
    assert.equal(report.body.output, 'malformed message: a message must be a JSON object, not null\n');
    session.handleMessage({ seq: 1, type: 'request', command: 'threads', arguments: [1] } as DebugProtocol.Request);
    assert.match((await responseTo(1)).message ?? '', /arguments must be an object, not an array/);

    session.handleMessage({ seq: 2, type: 'request', command: 'initialize', arguments: { adapterID: 'hvisor', pathFormat: 'path' } } as DebugProtocol.Request);
    assert.equal((await responseTo(2)).success, true);
    session.handleMessage({ seq: 3, type: 'request', command: 'launch', arguments: sampleConfig({ stopOnEntry: true }) } as DebugProtocol.Request);
    await sentMatching((m) => (m as DebugProtocol.Event).event === 'initialized');
    session.handleMessage({ seq: 4, type: 'request', command: 'configurationDone' } as DebugProtocol.Request);
    assert.equal((await responseTo(3)).success, true);
    assert.equal(session.workerCount(), 1);
  } finally {
    session.dispose();
  }
  assert.ok(await eventually(() => session.workerCount() === 0), 'dispose stops the worker');
});
