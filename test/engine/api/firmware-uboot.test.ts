// Debian's arm64 U-Boot booted as QEMU virt's -bios boots it: from flash bank
// 0 at address 0, with the device tree at the RAM base. It reaches its prompt,
// answers commands typed when it asks for them, keeps its environment in
// flash bank 1 and powers the machine off by PSCI.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Engine } from '../../../engine/api';
import { debianBinary, U_BOOT } from '../../debian-binaries';

/** Far more than U-Boot takes between two prompts (it idles in a polling loop once there). */
const STEP = 5_000_000;
const BUDGET = 400_000_000;

class Console {
  readonly engine: Engine;
  private out: number[] = [];
  private seen = 0;

  constructor() {
    const path = debianBinary(U_BOOT.aarch64);
    this.engine = Engine.launchQuick({ arch: 'aarch64', bios: { path, bytes: readFileSync(path) }, cpus: 1, onUart: (b) => this.out.push(b) });
  }

  text(): string {
    return Buffer.from(this.out).toString('latin1');
  }

  /** Run until the output since the last call ends with `marker`; returns that output. */
  runUntil(marker: string): string {
    while (!this.text().slice(this.seen).includes(marker)) {
      const stop = this.engine.run({ maxInstructions: Math.min(this.engine.totalInstructions() + STEP, BUDGET) });
      if (stop.kind !== 'limit') assert.fail(`stopped (${JSON.stringify(stop)}) before "${marker}":\n${this.text()}`);
      if (this.engine.totalInstructions() >= BUDGET) assert.fail(`no "${marker}" within ${BUDGET} instructions:\n${this.text()}`);
    }
    const end = this.text().indexOf(marker, this.seen) + marker.length;
    const out = this.text().slice(this.seen, end);
    this.seen = end;
    return out;
  }

  /** Type a command at the prompt and return what it prints before the next prompt. */
  command(line: string): string {
    this.engine.uartInput(Buffer.from(`${line}\n`, 'latin1'));
    return this.runUntil('=> ');
  }
}

test("Debian's arm64 U-Boot from flash: prompt, version, bdinfo, saveenv to flash bank 1, poweroff", async (t) => {
  const u = new Console();
  const boot = u.runUntil('Hit any key to stop autoboot');
  u.engine.uartInput(Buffer.from(' ', 'latin1'));
  u.runUntil('=> ');

  await t.test('it boots from flash and finds the flash, RAM and UART the device tree describes', () => {
    assert.match(boot, /U-Boot 2023\.01/);
    assert.match(boot, /DRAM:\s+256 MiB/);
    assert.match(boot, /Flash: 64 MiB/);
    assert.match(boot, /In:\s+pl011@9000000/);
    assert.doesNotMatch(boot, /abort|exception|Synchronous/i);
  });

  await t.test('version', () => {
    assert.match(u.command('version'), /U-Boot 2023\.01\S* \(.*\)\s+aarch64-linux-gnu-gcc/);
  });

  await t.test('bdinfo: RAM at 0x40000000, flash at 0, relocated to the top of RAM', () => {
    const out = u.command('bdinfo');
    assert.match(out, /-> start\s+= 0x0+40000000/);
    assert.match(out, /-> size\s+= 0x0+10000000/);
    assert.match(out, /flashstart\s+= 0x0+\b/);
    assert.match(out, /flashsize\s+= 0x0+4000000/);
    assert.match(out, /relocaddr\s+= 0x0+4f/);
  });

  await t.test('saveenv erases and programs flash bank 1; the environment reads back from it', () => {
    const out = u.command('saveenv');
    assert.match(out, /Saving Environment to Flash/);
    assert.match(out, /Erased 2 sectors/);
    assert.match(out, /Writing to Flash\.\.\. done/);
    assert.match(out, /OK/);
    // The environment is a CRC32 then name=value strings, at the start of bank 1.
    const dump = u.command('md.b 0x4000004 0x20');
    assert.match(dump, /04000004:/);
    assert.match(dump, /arch=arm/);
  });

  await t.test('poweroff: PSCI SYSTEM_OFF powers the machine off', () => {
    u.engine.uartInput(Buffer.from('poweroff\n', 'latin1'));
    // U-Boot waits 50 ms (5 million instructions of counter time) before it calls PSCI.
    const stop = u.engine.run({ maxInstructions: u.engine.totalInstructions() + 4 * STEP });
    assert.equal(stop.kind, 'poweroff', u.text());
    assert.match(u.text(), /poweroff \.\.\./);
  });
});
