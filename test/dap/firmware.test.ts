// Firmware from VS Code: the linux-aarch64 sample's launch-u-boot.json boots
// Debian's arm64 U-Boot from flash ("bios"), as QEMU virt's -bios does. Typed
// into its UART terminal, a key stops autoboot, `version` answers, and
// `poweroff` ends the session.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sendCustomRequest } from '../../protocol/custom-requests';
import { UARTS_EVENT, readUarts } from '../../protocol/uart';
import { debianBinary, U_BOOT } from '../debian-binaries';
import { startClient } from './dap-client';
import { terminal } from './uart-terminal';

const FOLDER = resolve('samples/linux-aarch64');

test("a launch with bios boots Debian's arm64 U-Boot to its prompt, which answers typed commands and powers off", { timeout: 300_000 }, async () => {
  debianBinary(U_BOOT.aarch64);
  const dc = await startClient();
  dc.defaultTimeout = 240_000;
  try {
    const launch = JSON.parse(readFileSync(`${FOLDER}/launch-u-boot.json`, 'utf8')) as Record<string, unknown>;
    const uarts = dc.waitForEvent(UARTS_EVENT);
    const term = terminal(dc);
    const configured = dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest());
    await Promise.all([configured, dc.launch({ type: 'hvisor', request: 'launch', name: 'u-boot', cwd: FOLDER, ...launch })]);
    assert.deepEqual(readUarts((await uarts).body), [{ uart: 0, name: 'hvisor UART — zone 0 (root)' }]);
    const type = (text: string): PromiseLike<unknown> => sendCustomRequest(dc, 'uartInput', { uart: 0, data: Buffer.from(text, 'latin1').toString('base64') });

    await term.until(/Hit any key to stop autoboot/);
    await type('\r');
    await term.until(/=> $/);
    await type('version\r');
    await term.until(/=> version\r\nU-Boot 2023\.01\S* \(.*\)\r\n[^]*=> $/);
    const terminated = dc.waitForEvent('terminated');
    await type('poweroff\r');
    await terminated;
    assert.match(term.text(), /=> poweroff\r\npoweroff \.\.\.\r\n$/);
  } finally {
    await dc.stop();
  }
});
