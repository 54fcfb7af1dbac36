// A board UART as the extension's terminal sees it: the adapter names the
// UARTs after launch, sends the guest's output raw in custom events, and
// takes typed bytes with the uartInput custom request, while the machine
// runs or while it is paused (the bytes then wait for the guest).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { sendCustomRequest, type CustomBody } from '../../protocol/custom-requests';
import { UARTS_EVENT, readUarts } from '../../protocol/uart';
import { launchOnEntry, startClient } from './dap-client';
import { terminal } from './uart-terminal';

const FOLDER = resolve('test/dap/fixtures/uart-echo');
const ECHO = { type: 'hvisor', request: 'launch', name: 'uart', cwd: FOLDER, ...(JSON.parse(readFileSync(`${FOLDER}/launch.json`, 'utf8')) as Record<string, unknown>) };

test('the UART is named after its zone; typed bytes reach the running guest and its echo comes back raw, also while paused', async () => {
  const dc = await startClient();
  try {
    const uarts = dc.waitForEvent(UARTS_EVENT);
    const term = terminal(dc);
    const configured = dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest());
    await Promise.all([configured, dc.launch(ECHO)]);
    assert.deepEqual(readUarts((await uarts).body), [{ uart: 0, name: 'hvisor UART — zone 0 (root-linux)' }]);

    await term.until(/> $/);
    const typed = async (bytes: string): Promise<number> => {
      const reply = (await sendCustomRequest(dc, 'uartInput', { uart: 0, data: Buffer.from(bytes, 'latin1').toString('base64') })) as DebugProtocol.Response;
      return (reply.body as CustomBody<'uartInput'>).bytes;
    };
    assert.equal(await typed('hi\r\x7f\x1b[A'), 7, 'the machine is running');
    await term.until(/> hi\r\x7f\x1b\[A$/);
    assert.match(term.text(), /^> hi\r\x7f\x1b\[A$/, 'raw bytes, control characters and escapes included');

    const [, paused] = await Promise.all([dc.pauseRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal((paused as DebugProtocol.StoppedEvent).body.reason, 'pause');
    assert.equal(await typed('ok'), 2, 'accepted while paused');
    await new Promise((r) => setTimeout(r, 200));
    assert.doesNotMatch(term.text(), /ok/, 'the paused guest has not read it');
    await dc.continueRequest({ threadId: 1 });
    await term.until(/ok$/);

    await assert.rejects(dc.customRequest('uartInput', { uart: 1, data: '' }), /there is no UART 1/);
    await assert.rejects(dc.customRequest('uartInput', { uart: 0, data: '%%' }), /data must be base64/);
    await assert.rejects(dc.customRequest('uartInput', { data: '' }), /uart must be a UART index, not missing/);
  } finally {
    await dc.stop();
  }
});

test("a UART that zone 1's config passes through too is named for both zones", async () => {
  const dc = await startClient();
  try {
    const uarts = dc.waitForEvent(UARTS_EVENT);
    await launchOnEntry(dc);
    assert.deepEqual(readUarts((await uarts).body), [{ uart: 0, name: 'hvisor UART — zones 0 (root-linux), 1 (zone1)' }]);
  } finally {
    await dc.stop();
  }
});

test('a run that ends quiescent, its guest asleep until the UART interrupts, takes up again when a byte is typed', async () => {
  const folder = resolve('test/dap/fixtures/uart-irq');
  const config = { type: 'hvisor', request: 'launch', name: 'uart-irq', cwd: folder, ...(JSON.parse(readFileSync(`${folder}/launch.json`, 'utf8')) as Record<string, unknown>) };
  const dc = await startClient();
  try {
    const term = terminal(dc);
    const quiescent = dc.waitForEvent('stopped');
    const configured = dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest());
    await Promise.all([configured, dc.launch(config)]);
    assert.match((await quiescent as DebugProtocol.StoppedEvent).body.description ?? '', /^quiescent/);
    await term.until(/> $/);

    const continued = dc.waitForEvent('continued');
    const again = continued.then(() => dc.waitForEvent('stopped'));
    await sendCustomRequest(dc, 'uartInput', { uart: 0, data: Buffer.from('ok').toString('base64') });
    assert.equal(((await continued) as DebugProtocol.ContinuedEvent).body.allThreadsContinued, true);
    await term.until(/> ok$/);
    assert.match(((await again) as DebugProtocol.StoppedEvent).body.description ?? '', /^quiescent/, 'asleep again once the bytes are echoed');
  } finally {
    await dc.stop();
  }
});
