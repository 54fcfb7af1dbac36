// Launch files: the fixture boots the built-in root zone plus a zone config,
// defaults and path resolution hold, and every check rejects one broken file
// with the file, the attribute and the problem, without ever throwing.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLaunch, type ReadTextFile } from '../../../../engine/hv/config/launch';
import { resolveBeside } from '../../../../engine/hv/config/launch-paths';
import { qemuPlicRootZone } from '../../../../engine/hv/config/qemu-plic-root';

/** Relative to the repository root, where the tests run, so resolved paths stay readable. */
const FIXTURE_DIR = 'test/fixtures/configs/qemu-plic';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A zone config for the in-memory file tree, from the virtio fixture with some keys replaced. */
function zoneJson(changes: { [key: string]: Json }): string {
  const base = JSON.parse(readFileSync(join(FIXTURE_DIR, 'zone1-linux-virtio.json'), 'utf8')) as { [key: string]: Json };
  return JSON.stringify({ ...base, ...changes });
}

function files(tree: Record<string, string>): ReadTextFile {
  return (path) => {
    const text = tree[path];
    if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return text;
  };
}

const TREE = {
  'cfg/zone1.json': zoneJson({}),
  'cfg/zone2.json': zoneJson({ zone_id: 2, name: 'zone2', cpus: [3] }),
  'cfg/zone1-again.json': zoneJson({ name: 'again' }),
  'cfg/zone0.json': zoneJson({ zone_id: 0, cpus: [0, 1] }),
  'cfg/root.json': zoneJson({ zone_id: 0, name: 'my-root', cpus: [0, 1] }),
  'cfg/bad.json': zoneJson({ cpus: [2, 3, 9], entry_point: 7 }),
};

function errorsOf(launch: Json | string, tree: Record<string, string> = TREE): string[] {
  const text = typeof launch === 'string' ? launch : JSON.stringify(launch);
  const result = parseLaunch(text, 'cfg/launch.json', files(tree));
  if (result.errors.length > 0) assert.equal(result.launch, undefined, 'no launch comes with errors');
  return result.errors.map(String);
}

const MINIMAL = { arch: 'riscv64', board: 'qemu-plic', images: [{ path: 'a.S', zone: 0 }] };

describe('valid launch files', () => {
  test('the fixture: the board root zone, a zone config (its dtb_filepath loads at dtb_load_paddr), images with default and given addresses', () => {
    const path = join(FIXTURE_DIR, 'launch.json');
    const result = parseLaunch(readFileSync(path, 'utf8'), path, (p) => readFileSync(p, 'utf8'));
    assert.deepEqual(result.errors.map(String), []);
    const launch = result.launch;
    assert.ok(launch);
    assert.equal(launch.arch, 'riscv64');
    assert.equal(launch.board, 'qemu-plic');
    assert.equal(launch.cpus, 4);
    assert.equal(launch.stopOnEntry, true);
    assert.equal(launch.runMode, 'solo');
    assert.equal(launch.trace, false);
    assert.deepEqual(launch.rootZone, { config: qemuPlicRootZone(4), files: { modules: [] } });
    assert.equal(launch.zones.length, 1);
    const zone = launch.zones[0]!;
    assert.equal(zone.file, `${FIXTURE_DIR}/zone1-linux-virtio.json`);
    assert.equal(zone.config.zoneId, 1);
    assert.deepEqual(zone.files, { kernel: `${FIXTURE_DIR}/Image`, dtb: `${FIXTURE_DIR}/zone1-linux.dtb`, modules: [] });
    assert.deepEqual(launch.images, [
      { path: `${FIXTURE_DIR}/root/Image`, zone: 0, address: 0x90000000, addressFrom: "the board's root zone: kernel_load_paddr" },
      { path: `${FIXTURE_DIR}/Image`, zone: 1, address: 0x86000000, addressFrom: `${path}: images[1].address` },
    ]);
  });

  test('defaults: 4 CPUs, no zones, all CPUs run, stop on entry, no trace', () => {
    const { launch, errors } = parseLaunch(JSON.stringify(MINIMAL), 'launch.json', files({}));
    assert.deepEqual(errors, []);
    assert.ok(launch);
    assert.equal(launch.cpus, 4);
    assert.deepEqual(launch.zones, []);
    assert.equal(launch.runMode, 'all');
    assert.equal(launch.stopOnEntry, true);
    assert.equal(launch.trace, false);
  });

  test("an image's symbols resolve beside the launch file", () => {
    const { launch, errors } = parseLaunch(JSON.stringify({ ...MINIMAL, images: [{ path: 'linux/Image', zone: 0, symbols: 'linux/vmlinux' }] }), 'cfg/launch.json', files({}));
    assert.deepEqual(errors, []);
    assert.deepEqual(launch?.images, [{ path: 'cfg/linux/Image', zone: 0, address: 0x90000000, addressFrom: "the board's root zone: kernel_load_paddr", symbols: 'cfg/linux/vmlinux' }]);
  });

  test('a one-CPU board gives the root zone CPU 0 only', () => {
    const { launch } = parseLaunch(JSON.stringify({ ...MINIMAL, cpus: 1 }), 'launch.json', files({}));
    assert.equal(launch?.rootZone.config.cpus, 1n);
  });

  test('a root zone from a file, with paths resolved beside the file that names them', () => {
    const tree = { 'cfg/root.json': zoneJson({ zone_id: 0, cpus: [0], kernel_filepath: '../images/Image', dtb_filepath: 'null', modules: [{ name: 'm', filepath: '/abs/m.bin', load_paddr: '0x88000000' }] }) };
    const { launch, errors } = parseLaunch(JSON.stringify({ ...MINIMAL, rootZone: 'root.json', images: [{ path: './a/../b.S', zone: 0 }] }), 'cfg/launch.json', files(tree));
    assert.deepEqual(errors, []);
    assert.ok(launch);
    assert.equal(launch.rootZone.file, 'cfg/root.json');
    assert.deepEqual(launch.rootZone.files, { kernel: 'images/Image', modules: [{ name: 'm', filepath: '/abs/m.bin', loadPaddr: 0x88000000 }] });
    assert.deepEqual(launch.images, [{ path: 'cfg/b.S', zone: 0, address: 0x86000000, addressFrom: 'cfg/root.json: kernel_load_paddr' }]);
  });

  test('zone entries as objects: boot files resolved beside the launch file, the root zone built in without config', () => {
    const launchJson = {
      ...MINIMAL,
      rootZone: { bootargs: 'console=ttyS0 rdinit=/init', initrd: '../build/initrd.cpio' },
      zones: [{ config: 'zone1.json', bootargs: '', dtb: '/abs/zone1.dtb' }, 'zone2.json'],
    };
    const { launch, errors } = parseLaunch(JSON.stringify(launchJson), 'cfg/launch.json', files(TREE));
    assert.deepEqual(errors, []);
    assert.ok(launch);
    assert.deepEqual(launch.rootZone, { config: qemuPlicRootZone(4), files: { modules: [] }, boot: { bootargs: 'console=ttyS0 rdinit=/init', initrd: 'build/initrd.cpio' } });
    assert.equal(launch.zones[0]!.file, 'cfg/zone1.json');
    assert.deepEqual(launch.zones[0]!.boot, { bootargs: '', dtb: '/abs/zone1.dtb' });
    assert.equal(launch.zones[1]!.boot, undefined);
  });

  test('a root zone object with config reads that config', () => {
    const { launch, errors } = parseLaunch(JSON.stringify({ ...MINIMAL, rootZone: { config: 'root.json', initrd: 'i.cpio' } }), 'cfg/launch.json', files(TREE));
    assert.deepEqual(errors, []);
    assert.equal(launch?.rootZone.config.name, 'my-root');
    assert.deepEqual(launch?.rootZone.boot, { initrd: 'cfg/i.cpio' });
  });

  test('zones whose CPUs overlap are left to hvisor (EBUSY at ZoneStart)', () => {
    const tree = { ...TREE, 'cfg/zone2.json': zoneJson({ zone_id: 2, cpus: [2, 3] }) };
    assert.deepEqual(errorsOf({ ...MINIMAL, zones: ['zone1.json', 'zone2.json'] }, tree), []);
  });

  test('paths resolve against the folder of the file that names them', () => {
    assert.equal(resolveBeside('launch.json', 'zone1.json'), 'zone1.json');
    assert.equal(resolveBeside('a/b/launch.json', '../z.json'), 'a/z.json');
    assert.equal(resolveBeside('../x/launch.json', '../../z.json'), '../../z.json');
    assert.equal(resolveBeside('/w/launch.json', './z/./y.json'), '/w/z/y.json');
    assert.equal(resolveBeside('/w/launch.json', '/etc/z.json'), '/etc/z.json');
    assert.equal(resolveBeside('C:\\w\\launch.json', 'z.json'), 'C:/w/z.json');
  });
});

describe('every check names the file, the attribute and the problem', () => {
  const cases: [string, Json | string, string[]][] = [
    ['cpus of 0', { ...MINIMAL, cpus: 0 }, ['cfg/launch.json: cpus: must be an integer from 1 to 64, not 0']],
    ['cpus above 64', { ...MINIMAL, cpus: 65 }, ['cfg/launch.json: cpus: must be an integer from 1 to 64, not 65']],
    ['cpus as a string', { ...MINIMAL, cpus: '4' }, ['cfg/launch.json: cpus: must be an integer from 1 to 64, not "4"']],
    ['a missing arch', { board: 'qemu-plic', images: MINIMAL.images }, ['cfg/launch.json: arch: required attribute is missing']],
    ['no images', { arch: 'riscv64', board: 'qemu-plic' }, ['cfg/launch.json: images: required attribute is missing']],
    ['no image for the root zone', { ...MINIMAL, zones: ['zone1.json'], images: [{ path: 'b.S', zone: 1 }] }, ['cfg/launch.json: images: no image for the root zone (zone 0), which boots first']],
    ['aarch64 on the riscv64 board', { ...MINIMAL, arch: 'aarch64' }, ['cfg/launch.json: board: must be one of "qemu-gicv3", not "qemu-plic"']],
    ['a misspelt arch', { ...MINIMAL, arch: 'riscv' }, ['cfg/launch.json: arch: must be one of "riscv64", "aarch64", not "riscv"; did you mean "riscv64"?']],
    ['an unknown board', { ...MINIMAL, board: 'qemu-plik' }, ['cfg/launch.json: board: must be one of "qemu-plic", not "qemu-plik"; did you mean "qemu-plic"?']],
    ['a misspelt attribute', { ...MINIMAL, cpu: 4 }, ['cfg/launch.json: cpu: unknown attribute; did you mean "cpus"?']],
    ['a miscased attribute', { ...MINIMAL, stoponentry: true }, ['cfg/launch.json: stoponentry: unknown attribute; did you mean "stopOnEntry"?']],
    ['an unknown attribute', { ...MINIMAL, program: 'a.out' }, ['cfg/launch.json: program: unknown attribute']],
    ['a bad runMode', { ...MINIMAL, runMode: 'sole' }, ['cfg/launch.json: runMode: must be one of "all", "solo", not "sole"; did you mean "solo"?']],
    ['a stopOnEntry that is not a boolean', { ...MINIMAL, stopOnEntry: 'yes' }, ['cfg/launch.json: stopOnEntry: must be true or false, not "yes"']],
    ['a trace that is not a boolean', { ...MINIMAL, trace: 1 }, ['cfg/launch.json: trace: must be true or false, not 1']],
    ['zones that is not an array', { ...MINIMAL, zones: 'zone1.json' }, ['cfg/launch.json: zones: must be an array, not "zone1.json"']],
    ['a zone object without config', { ...MINIMAL, zones: [{ initrd: 'i.cpio' }] }, ['cfg/launch.json: zones[0].config: required attribute is missing']],
    ['a misspelt zone attribute', { ...MINIMAL, zones: [{ config: 'zone1.json', initramfs: 'i.cpio' }] }, ['cfg/launch.json: zones[0].initramfs: unknown attribute']],
    ['a near miss of a zone attribute', { ...MINIMAL, rootZone: { bootarg: 'quiet' } }, ['cfg/launch.json: rootZone.bootarg: unknown attribute; did you mean "bootargs"?']],
    ['bootargs that is not a string', { ...MINIMAL, rootZone: { bootargs: ['console=ttyS0'] } }, ['cfg/launch.json: rootZone.bootargs: must be a string, not an array']],
    ['an empty initrd path', { ...MINIMAL, rootZone: { initrd: '' } }, ['cfg/launch.json: rootZone.initrd: must name a file, not ""']],
    ['a dtb that is not a string', { ...MINIMAL, zones: [{ config: 'zone1.json', dtb: 5 }] }, ['cfg/launch.json: zones[0].dtb: must be a string, not 5']],
    ['a zone config in an object that cannot be read', { ...MINIMAL, zones: [{ config: 'nope.json' }] }, ["cfg/launch.json: zones[0].config: cannot read cfg/nope.json: ENOENT: no such file or directory, open 'cfg/nope.json'"]],
    ['a zone that is neither a path nor an object', { ...MINIMAL, zones: [1] }, ['cfg/launch.json: zones[0]: must be a zone config path or an object with config, bootargs, initrd, dtb, not 1']],
    ['a zone file that cannot be read', { ...MINIMAL, zones: ['nope.json'] }, ["cfg/launch.json: zones[0]: cannot read cfg/nope.json: ENOENT: no such file or directory, open 'cfg/nope.json'"]],
    [
      "a zone file's own errors, under its own name",
      { ...MINIMAL, zones: ['bad.json'] },
      [
        'cfg/bad.json: cpus[2]: CPU 9 is outside the board, which has 4 CPUs (0 to 3)',
        'cfg/bad.json: entry_point: must be a hex string such as "0x1000", not 7',
      ],
    ],
    ["zone CPUs outside a smaller board", { ...MINIMAL, cpus: 2, zones: ['zone1.json'] }, [
      'cfg/zone1.json: cpus[0]: CPU 2 is outside the board, which has 2 CPUs (0 to 1)',
      'cfg/zone1.json: cpus[1]: CPU 3 is outside the board, which has 2 CPUs (0 to 1)',
    ]],
    ['two zones with the same id', { ...MINIMAL, zones: ['zone1.json', 'zone2.json', 'zone1-again.json'] }, ['cfg/launch.json: zones[2]: zone_id 1 is already used by zones[0] (cfg/zone1.json)']],
    ["a zone with the root zone's id", { ...MINIMAL, zones: ['zone0.json'] }, ["cfg/launch.json: zones[0]: zone_id 0 is the root zone's"]],
    ['a root zone whose id is not 0', { ...MINIMAL, rootZone: 'zone1.json', images: [{ path: 'a.S', zone: 1 }] }, ["cfg/launch.json: rootZone: the root zone's zone_id must be 0, not 1"]],
    ['an image for no zone', { ...MINIMAL, zones: ['zone1.json'], images: [{ path: 'a.S', zone: 0 }, { path: 'b.S', zone: 3 }] }, ['cfg/launch.json: images[1].zone: no zone has id 3 (the zones are 0, 1)']],
    ['an image with a misspelt attribute', { ...MINIMAL, images: [{ path: 'a.bin', zone: 0, adress: '0x80200000' }] }, ['cfg/launch.json: images[0].adress: unknown attribute; did you mean "address"?']],
    ['an image without a path or zone', { ...MINIMAL, images: [{}] }, ['cfg/launch.json: images[0].path: required attribute is missing', 'cfg/launch.json: images[0].zone: required attribute is missing']],
    ['an image address that is not hex', { ...MINIMAL, images: [{ path: 'a.bin', zone: 0, address: 2149580800 }] }, ['cfg/launch.json: images[0].address: must be a hex string such as "0x1000", not 2149580800']],
    ['image symbols that are not a path', { ...MINIMAL, images: [{ path: 'Image', zone: 0, symbols: 1 }] }, ['cfg/launch.json: images[0].symbols: must be a string, not 1']],
    ['an image that is not an object', { ...MINIMAL, images: ['a.S'] }, ['cfg/launch.json: images[0]: must be an object, not "a.S"']],
    ['an image zone that is not an integer', { ...MINIMAL, images: [{ path: 'a.S', zone: '0' }] }, ['cfg/launch.json: images[0].zone: must be an integer from 0 to 4294967295, not "0"']],
    ['a launch file that is not an object', [MINIMAL], ['cfg/launch.json: must be an object, not an array']],
  ];
  for (const [what, launch, expected] of cases) {
    test(what, () => assert.deepEqual(errorsOf(launch), expected));
  }

  test('text that is not JSON', () => {
    const [error, ...rest] = errorsOf('{\n  "arch": "riscv64" ');
    assert.match(error!, /^cfg\/launch\.json: not valid JSON at line 2, column 21: /);
    assert.deepEqual(rest, []);
    // JSON.parse gives no offset for an unexpected token: the line and column are found all the same.
    assert.deepEqual(errorsOf('{\n  "images": [\n  }\n}'), ['cfg/launch.json: not valid JSON at line 3, column 3: Unexpected token \'}\'']);
  });

  test('all the errors at once', () => {
    assert.deepEqual(errorsOf({ arch: 'arm', board: 'qemu-plic', cpus: 0, runMode: 'one', images: [{ path: 'a.S', zone: 5 }] }), [
      'cfg/launch.json: arch: must be one of "riscv64", "aarch64", not "arm"',
      'cfg/launch.json: cpus: must be an integer from 1 to 64, not 0',
      'cfg/launch.json: runMode: must be one of "all", "solo", not "one"',
      'cfg/launch.json: images[0].zone: no zone has id 5 (the zones are 0)',
    ]);
  });

  test('never throws, whatever the input', () => {
    const inputs = ['', 'null', '0', '"x"', '[]', '{}', '{"zones": [null, {}, []]}', '{"images": [null, 1, {"path": null, "zone": -1, "address": {}}]}', '{"rootZone": 5}', '{"__proto__": 1}'];
    const throwing: ReadTextFile = () => {
      throw 'not an Error';
    };
    for (const text of inputs) {
      assert.doesNotThrow(() => parseLaunch(text, 'l.json', files(TREE)), text);
      assert.doesNotThrow(() => parseLaunch(text.replace('5', '"x.json"'), 'l.json', throwing), text);
    }
    assert.deepEqual(parseLaunch(JSON.stringify({ ...MINIMAL, zones: ['z.json'] }), 'l.json', throwing).errors.map(String), ['l.json: zones[0]: cannot read z.json: not an Error']);
  });
});
