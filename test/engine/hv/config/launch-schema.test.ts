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
}

const schema = (JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { debuggers: { configurationAttributes: { launch: Schema } }[] } })
  .contributes.debuggers[0]!.configurationAttributes.launch;

test('the schema lists exactly the launch attributes', () => {
  assert.deepEqual(Object.keys(schema.properties).sort(), [...LAUNCH_ATTRIBUTES].sort());
});

test('the schema requires what the parser requires', () => {
  const full: Record<string, unknown> = { arch: 'aarch64', board: 'qemu-gicv3', cpus: 2, zones: [], images: [{ path: 'a.S', zone: 0 }], stopOnEntry: false, runMode: 'solo', trace: true };
  for (const key of Object.keys(full)) {
    const { [key]: _, ...without } = full;
    const { errors } = parseLaunch(JSON.stringify(without), 'l.json', () => '');
    const missing = errors.some((e) => String(e) === `l.json: ${key}: required attribute is missing`);
    assert.equal(missing, schema.required.includes(key), key);
  }
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
