// package.json's launch schema (what VS Code offers and checks) and the
// engine's launch parser say the same: the same attributes, the same
// required ones, the same defaults.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LAUNCH_ATTRIBUTES, LAUNCH_DEFAULTS, ZONE_ATTRIBUTES } from '../../../../engine/hv/config/launch-attributes';
import { parseLaunch } from '../../../../engine/hv/config/launch';

interface ObjectSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly required?: readonly string[];
}

interface Schema {
  readonly properties: Readonly<Record<string, { readonly default?: unknown; readonly anyOf?: readonly ObjectSchema[]; readonly items?: { readonly anyOf?: readonly ObjectSchema[] } }>>;
  readonly required: readonly string[];
  /** Each a way to complete the required attributes: `images` or `bios`. */
  readonly oneOf?: readonly { readonly required: readonly string[] }[];
}

const schema = (JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { debuggers: { configurationAttributes: { launch: Schema } }[] } })
  .contributes.debuggers[0]!.configurationAttributes.launch;

test('the schema lists exactly the launch attributes', () => {
  assert.deepEqual(Object.keys(schema.properties).sort(), [...LAUNCH_ATTRIBUTES].sort());
});

/** Whether the schema accepts a launch with exactly these attributes present, as far as required ones go. */
function schemaComplete(keys: readonly string[]): boolean {
  return schema.required.every((k) => keys.includes(k)) && (schema.oneOf ?? [{ required: [] }]).filter((branch) => branch.required.every((k) => keys.includes(k))).length === 1;
}

test('the schema requires what the parser requires', () => {
  const full: Record<string, unknown> = { arch: 'aarch64', board: 'qemu-gicv3', cpus: 2, zones: [], images: [{ path: 'a.S', zone: 0 }], stopOnEntry: false, runMode: 'solo', trace: true };
  for (const key of Object.keys(full)) {
    const { [key]: _, ...without } = full;
    const { errors } = parseLaunch(JSON.stringify(without), 'l.json', () => '');
    const missing = errors.some((e) => String(e) === `l.json: ${key}: required attribute is missing`);
    assert.equal(missing, !schemaComplete(Object.keys(without)), key);
  }
});

test('firmware ("bios") takes the place of zones and images, in the schema as in the parser', () => {
  const firmware = parseLaunch(JSON.stringify({ arch: 'aarch64', cpus: 2, bios: 'u-boot.bin' }), '/w/l.json', () => '');
  assert.deepEqual(firmware.errors, []);
  assert.equal(firmware.launch?.bios, '/w/u-boot.bin', 'resolved beside the launch file');
  assert.deepEqual(firmware.launch?.images, []);
  assert.ok(schemaComplete(['arch', 'bios']));
  assert.ok(!schemaComplete(['arch', 'bios', 'images']), 'the schema takes one of the two');

  const both = parseLaunch(JSON.stringify({ arch: 'aarch64', bios: 'u-boot.bin', zones: [], images: [{ path: 'a.S', zone: 0 }] }), 'l.json', () => '');
  assert.deepEqual(both.errors.map(String), [
    'l.json: zones: firmware ("bios") loads what it boots itself: give "bios" or the zones and images, not both',
    'l.json: images: firmware ("bios") loads what it boots itself: give "bios" or the zones and images, not both',
  ]);
  const riscv = parseLaunch(JSON.stringify({ arch: 'riscv64', bios: 'u-boot.bin' }), 'l.json', () => '');
  assert.deepEqual(riscv.errors.map(String), ['l.json: bios: the riscv64 board has no boot flash: give an S-mode firmware such as U-Boot as an image of the root zone']);
});

test('the schema states the parser defaults; board defaults to the arch board', () => {
  for (const [key, value] of Object.entries(LAUNCH_DEFAULTS)) assert.deepEqual(schema.properties[key]!.default, value, key);
  assert.equal(schema.properties.board!.default, undefined, 'no one board is the default for both arches');
  for (const [arch, board] of [['riscv64', 'qemu-plic'], ['aarch64', 'qemu-gicv3']] as const) {
    const { launch, errors } = parseLaunch(JSON.stringify({ arch, images: [{ path: 'a.S', zone: 0 }] }), 'l.json', () => '');
    assert.deepEqual(errors, []);
    assert.equal(launch?.board, board);
    assert.equal(launch?.cpus, LAUNCH_DEFAULTS.cpus);
  }
});

test('a zone entry is a path or an object with the zone attributes; only the root zone may leave out config', () => {
  const objectOf = (choices: readonly ObjectSchema[] | undefined): ObjectSchema => {
    assert.deepEqual(choices?.map((c) => c.type), ['string', 'object']);
    return choices![1]!;
  };
  const root = objectOf(schema.properties.rootZone!.anyOf);
  const zone = objectOf(schema.properties.zones!.items?.anyOf);
  assert.deepEqual(Object.keys(root.properties!), [...ZONE_ATTRIBUTES]);
  assert.deepEqual(Object.keys(zone.properties!), [...ZONE_ATTRIBUTES]);
  assert.equal(root.required, undefined);
  assert.deepEqual(zone.required, ['config']);
});
