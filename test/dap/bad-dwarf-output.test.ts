// A zone image whose DWARF is broken still runs, and the session says so
// once: a console output event names the file and says there is no source
// information for the part that cannot be read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { zone1WithBadUnitLength } from '../engine/dwarf/corrupt-elf';
import { launchOnEntry, startClient, stepInstruction } from './dap-client';

let dir = '';
let elf = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvisor-bad-dwarf-'));
  elf = zone1WithBadUnitLength(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('riscv64: a zone ELF with a malformed .debug_info unit is named once on the console, and the machine still runs', async () => {
  const dc = await startClient();
  try {
    const console: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === 'console') console.push(e.body.output);
    });
    await launchOnEntry(dc, { images: [{ path: 'root.S', zone: 0 }, { path: elf, zone: 1 }] });
    await stepInstruction(dc, 1);
    await stepInstruction(dc, 1);
    const said = console.filter((t) => t.includes(elf));
    assert.equal(said.length, 1, `console output: ${console.join('')}`);
    assert.match(said[0]!, /\.debug_info: unit at 0x0 claims 0x[0-9a-f]+ bytes, past the section's end; no source information/);
    // Its lines are simply unknown: a breakpoint in it does not bind.
    const set = await dc.setBreakpointsRequest({ source: { path: join(process.cwd(), 'test/guests/dwarf/zone1.c') }, breakpoints: [{ line: 15 }] });
    assert.equal(set.body.breakpoints[0]!.verified, false);
  } finally {
    await dc.stop();
  }
});
