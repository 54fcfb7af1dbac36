// The runner names an image's broken DWARF on stderr, and runs it anyway.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zone1WithBadUnitLength } from '../engine/dwarf/corrupt-elf';
import { runCli } from './run-cli';

let dir = '';
let elf = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvisor-bad-dwarf-'));
  elf = zone1WithBadUnitLength(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a malformed .debug_info unit is said once on stderr, naming the file, and the guest runs to the instruction limit', () => {
  const r = runCli(['run', '--arch', 'riscv64', '--image', elf, '--max-instructions', '20000']);
  assert.equal(r.status, 3, r.stderr);
  const said = r.stderr.split('\n').filter((l) => l.includes(elf));
  assert.equal(said.length, 1, r.stderr);
  assert.match(said[0]!, /^hvisor-debug: .*\.debug_info: unit at 0x0 claims 0x[0-9a-f]+ bytes, past the section's end; no source information/);
  assert.ok(r.stdout.length > 0, 'the guest printed through the UART');
});
