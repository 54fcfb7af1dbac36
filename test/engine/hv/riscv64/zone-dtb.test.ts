// A riscv64 zone's DTB from its config (hvisor's qemu-plic zone1-linux JSON):
// only the zone's harts, each an rv64gc hart (F and D included), checked with dtc.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildZoneDtb } from '../../../../engine/hv/arch/riscv64/zone-dtb';
import { parseZoneConfigJson } from '../../../../engine/hv/config/json';
import type { HvZoneConfig } from '../../../../engine/hv/config/zone-config';
import { parseDtb } from '../../../../engine/machine/fdt-parse';
import { requireCommands } from '../../../../scripts/external-tools.mjs';

requireCommands('dtc');

const dir = mkdtempSync(join(tmpdir(), 'hvisor-rv-zone-dtb-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function zone1(): HvZoneConfig {
  const text = readFileSync(join(process.cwd(), 'test', 'fixtures', 'configs', 'qemu-plic', 'zone1-linux-passthrough.json'), 'utf8');
  const { config, errors } = parseZoneConfigJson(text, 'zone1-linux-passthrough.json', { arch: 'riscv64', boardCpus: 4 });
  assert.deepEqual(errors, []);
  return config as HvZoneConfig;
}

test('a riscv64 zone device tree: its harts only, each rv64imafdc_zicsr_zifencei', () => {
  const dtb = buildZoneDtb(zone1(), [0, 1, 2, 3]);
  const file = join(dir, 'zone1.dtb');
  writeFileSync(file, dtb);
  const r = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'dtc warnings');
  const tree = parseDtb(dtb, 'zone1.dtb');
  const harts = tree.find('/cpus')!.children.filter((c) => c.name.startsWith('cpu@'));
  assert.ok(harts.length > 0 && harts.length < 4, `the zone's harts: ${harts.map((c) => c.name).join(', ')}`);
  for (const hart of harts) assert.equal(hart.property('riscv,isa')!.string(), 'rv64imafdc_zicsr_zifencei', hart.name);
  assert.equal((r.stdout.match(/riscv,isa = "rv64imafdc_zicsr_zifencei";/g) ?? []).length, harts.length);
});
