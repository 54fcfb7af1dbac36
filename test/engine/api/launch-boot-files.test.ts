// A launch file's zone boot files: bootargs, initrd and dtb per zone entry,
// and the zone config's dtb_filepath, land where the zone's config says, with
// /chosen (read back by dtc) naming the command line and the initrd at the
// address the zone's guest sees; files that cannot be used name the file and
// the attribute that named them.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, ImageError } from '../../../engine/api';
import { parseLaunch, type Launch } from '../../../engine/hv/config/launch';
import { requireCommands } from '../../../scripts/external-tools.mjs';

requireCommands('dtc');

const dir = mkdtempSync(join(tmpdir(), 'hvisor-launch-boot-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const ZONE1 = JSON.parse(readFileSync('samples/riscv64-zones/zone1.json', 'utf8')) as Record<string, unknown>;
const USER_DTS = '/dts-v1/;\n/ {\n\t#address-cells = <2>;\n\t#size-cells = <2>;\n\tmodel = "zone1 board";\n};\n';

function dtcCompile(dts: string): Uint8Array {
  const file = join(dir, 'user.dts');
  writeFileSync(file, dts);
  return new Uint8Array(execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', file]));
}

/** The files of one launch, in memory; zone1.json's RAM seen by its guest at 0x40000000. */
function tree(zone1: Record<string, unknown> = {}): Map<string, Uint8Array> {
  const ram = { type: 'ram', physical_start: '0x8a000000', virtual_start: '0x40000000', size: '0x1000000' };
  const regions = [ram, ...(ZONE1.memory_regions as unknown[]).slice(1)];
  return new Map([
    ['w/root.S', text('.globl _start\n_start:\n  wfi\n  j _start\n')],
    ['w/zone1.S', text('.globl _start\n_start:\n  wfi\n  j _start\n')],
    ['w/zone1.json', text(JSON.stringify({ ...ZONE1, memory_regions: regions, entry_point: '0x40000000', ...zone1 }))],
    ['w/initrd.cpio', new Uint8Array(0x2000).fill(0xa5)],
    ['w/big.cpio', new Uint8Array(0x900000)],
    ['w/user.dtb', dtcCompile(USER_DTS)],
    ['w/notes.txt', text('these are notes, not a flattened device tree blob at all')],
  ]);
}

function parse(launchJson: object, files: Map<string, Uint8Array>): Launch {
  const { launch, errors } = parseLaunch(JSON.stringify(launchJson), 'w/launch.json', (p) => {
    const f = files.get(p);
    if (!f) throw new Error(`ENOENT: ${p}`);
    return new TextDecoder().decode(f);
  });
  assert.deepEqual(errors.map(String), []);
  return launch!;
}

function boot(launchJson: object, files = tree()): Engine {
  return Engine.launch(parse(launchJson, files), {
    onUart: () => {},
    readFile: (p) => {
      const f = files.get(p);
      if (!f) throw new Error('no such file or folder');
      return f;
    },
  });
}

const BASE = { arch: 'riscv64', cpus: 4, images: [{ path: 'root.S', zone: 0 }, { path: 'zone1.S', zone: 1 }] };

function dtsAt(engine: Engine, address: number): string {
  const header = engine.readPhysical(address, 8);
  const size = ((header[4]! << 24) | (header[5]! << 16) | (header[6]! << 8) | header[7]!) >>> 0;
  const file = join(dir, 'guest.dtb');
  writeFileSync(file, Uint8Array.from(engine.readPhysical(address, size), (b) => b ?? 0));
  const r = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('zone boot files', () => {
  test("the built-in root zone's bootargs and initrd: the initrd 128 MiB past the kernel at 0x90000000", () => {
    const engine = boot({ ...BASE, rootZone: { bootargs: 'console=ttyS0 rdinit=/init', initrd: 'initrd.cpio' }, zones: ['zone1.json'] });
    assert.deepEqual(engine.readPhysical(0x98000000, 1), [0xa5]);
    const dts = dtsAt(engine, 0x8f000000);
    assert.match(dts, /bootargs = "console=ttyS0 rdinit=\/init";/);
    assert.match(dts, /linux,initrd-start = <0x00 0x98000000>;/);
    assert.match(dts, /linux,initrd-end = <0x00 0x98002000>;/);
  });

  test("zone 1's initrd is named at the address its guest sees, in its own RAM", () => {
    const engine = boot({ ...BASE, zones: [{ config: 'zone1.json', initrd: 'initrd.cpio', bootargs: 'quiet' }] });
    // 16 MiB of RAM: half of it past the kernel at 0x8a000000, seen by the zone at 0x40000000.
    assert.deepEqual(engine.readPhysical(0x8a800000, 1), [0xa5]);
    const dts = dtsAt(engine, 0x8af00000);
    assert.match(dts, /linux,initrd-start = <0x00 0x40800000>;/);
    assert.match(dts, /bootargs = "quiet";/);
  });

  test("the zone config's dtb_filepath is loaded at dtb_load_paddr instead of the generated tree", () => {
    const files = tree({ dtb_filepath: 'user.dtb' });
    const engine = boot({ ...BASE, zones: ['zone1.json'] }, files);
    const user = files.get('w/user.dtb')!;
    assert.deepEqual(engine.readPhysical(0x8af00000, user.length), [...user]);
  });

  test("the entry's dtb wins over dtb_filepath, and gets the entry's bootargs", () => {
    const files = tree({ dtb_filepath: 'notes.txt' });
    const engine = boot({ ...BASE, zones: [{ config: 'zone1.json', dtb: 'user.dtb', bootargs: 'console=hvc0' }] }, files);
    const dts = dtsAt(engine, 0x8af00000);
    assert.match(dts, /model = "zone1 board";/);
    assert.match(dts, /chosen \{\n\t\tbootargs = "console=hvc0";/);
  });
});

describe('problems name the file and the attribute', () => {
  const cases: [string, object, Record<string, unknown>, string][] = [
    ['an initrd that cannot be read', { ...BASE, rootZone: { initrd: 'missing.cpio' }, zones: ['zone1.json'] }, {}, 'w/missing.cpio: no such file or folder (w/launch.json: rootZone.initrd)'],
    ['a dtb_filepath that cannot be read', { ...BASE, zones: ['zone1.json'] }, { dtb_filepath: 'gone.dtb' }, 'w/gone.dtb: no such file or folder (w/zone1.json: dtb_filepath)'],
    ['a dtb_filepath that is no device tree', { ...BASE, zones: ['zone1.json'] }, { dtb_filepath: 'notes.txt' }, 'w/notes.txt: bad device-tree magic 0x74686573, expected 0xd00dfeed'],
    [
      'an initrd too big for the zone (it would reach the device tree)',
      { ...BASE, zones: [{ config: 'zone1.json', initrd: 'initrd.cpio' }] },
      { dtb_load_paddr: '0x8a801000' },
      'w/initrd.cpio: the initrd (0x2000 bytes) would occupy 0x8a800000..0x8a802000, which overlaps the device tree at 0x8a801000..0x8a8',
    ],
    [
      'an initrd past the end of the zone RAM',
      { ...BASE, zones: [{ config: 'zone1.json', initrd: 'big.cpio' }] },
      {},
      'w/big.cpio: the initrd (0x900000 bytes) does not fit: it goes at 0x8a800000, and RAM ends at 0x8b000000 (w/launch.json: zones[0].initrd)',
    ],
    [
      'a device tree on an image',
      { ...BASE, zones: ['zone1.json'] },
      { dtb_load_paddr: '0x8a000000' },
      'w/zone1.json: dtb_load_paddr 0x8a000000: the device tree at 0x8a000000..',
    ],
  ];
  for (const [name, launchJson, zone1, message] of cases) {
    test(name, () => {
      assert.throws(() => boot(launchJson, tree(zone1)), (e: unknown) => e instanceof ImageError && e.message.startsWith(message));
    });
  }

  test('an initrd for a zone whose kernel_load_paddr is in none of its RAM regions', () => {
    assert.throws(
      () => boot({ ...BASE, images: [{ path: 'root.S', zone: 0 }, { path: 'zone1.S', zone: 1, address: '0x8b000000' }], zones: [{ config: 'zone1.json', initrd: 'initrd.cpio' }] }, tree({ kernel_load_paddr: '0x8b000000' })),
      (e: unknown) => e instanceof ImageError && e.message === "w/zone1.json: kernel_load_paddr 0x8b000000 lies in none of the zone's RAM regions, so its initrd has no RAM to go in (w/launch.json: zones[0].initrd)",
    );
  });
});
