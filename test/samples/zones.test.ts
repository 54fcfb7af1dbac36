// The riscv64-zones and aarch64-zones samples: a root zone that starts, lists
// and shuts down a second zone through hvisor's hypercalls. Their output is
// fixed by handshakes between the CPUs, so it is compared byte for byte; and
// the HvZoneConfig written by hand in each root.S must stay the encoding of
// its zone1.json.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../cli/run-cli';
import type { AsmOptions, AsmResult } from '../../engine/asm/program';
import { assembleAarch64 } from '../../engine/isa/aarch64/asm';
import { assembleRiscv64 } from '../../engine/isa/riscv64/asm';
import { encodeZoneConfig } from '../../engine/hv/config/binary';
import { parseZoneConfigJson } from '../../engine/hv/config/json';

interface Sample {
  readonly arch: 'riscv64' | 'aarch64';
  readonly assemble: (source: string, options: AsmOptions) => AsmResult;
  /** Where launch.json loads root.S. */
  readonly rootBase: number;
  readonly expected: readonly string[];
  /** The size of the architecture's HvZoneConfig. */
  readonly configSize: number;
}

const SAMPLES: readonly Sample[] = [
  {
    arch: 'riscv64',
    assemble: assembleRiscv64,
    rootBase: 0x90000000,
    expected: [
      '[root] hello from hart 0 (dtb 0x8f000000)',
      '[root] hart_start(hart 1) -> 0',
      '[root] counter = 2000 (harts 0 and 1, 1000 locked increments each)',
      '[root] ZoneStart(zone 1) -> 0',
      '[zone1] hello from hart 2 (dtb 0x8af00000)',
      '[zone1] hart_start(hart 3) -> 0',
      '[zone1] hello from hart 3 (dtb 0x8af00000)',
    ],
    configSize: 3080,
  },
  {
    arch: 'aarch64',
    assemble: assembleAarch64,
    rootBase: 0xa0400000,
    expected: [
      '[root] hello from CPU 0 (dtb 0xa0000000)',
      '[root] CPU_ON(CPU 1) -> 0',
      '[root] counter = 2000 (CPUs 0 and 1, 1000 locked increments each)',
      '[root] ZoneStart(zone 1) -> 0',
      '[zone1] hello from CPU 2 (dtb 0x60f00000)',
      '[zone1] CPU_ON(CPU 3) -> 0',
      '[zone1] hello from CPU 3 (dtb 0x60f00000)',
    ],
    configSize: 3136,
  },
];

// What the root zone prints once zone 1 has run, the same on every architecture.
const ENDING = [
  '[root] zone 1 is done',
  '[root] ZoneList -> 2',
  '[root]   zone 0 "root-linux" cpus 0x3 running',
  '[root]   zone 1 "zone1" cpus 0xc running',
  '[root] ZoneShutdown(zone 1) -> 0',
  '[root] ZoneList -> 1',
  '[root]   zone 0 "root-linux" cpus 0x3 running',
  '[root] powering off',
  '',
];

for (const sample of SAMPLES) {
  const dir = `samples/${sample.arch}-zones`;

  test(`the ${sample.arch}-zones sample starts, lists and shuts down zone 1, then powers off`, () => {
    const r = runCli(['run', `${dir}/launch.json`]);
    assert.equal(r.stdout, [...sample.expected, ...ENDING].join('\n'), r.stderr);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /power-off by CPU 0/);
  });

  test(`${sample.arch}: root.S's HvZoneConfig holds exactly the binary encoding of zone1.json`, () => {
    const path = `${dir}/root.S`;
    const { program, errors } = sample.assemble(readFileSync(path, 'utf8'), { fileName: path, base: sample.rootBase });
    assert.deepEqual(errors, []);
    assert.ok(program);
    const symbol = program.symbols.get('zone1_config');
    assert.ok(symbol, 'root.S defines zone1_config');
    const section = program.sections.find((s) => symbol.address >= s.address && symbol.address < s.address + s.bytes.length);
    assert.ok(section, 'zone1_config lies in a section with contents');
    const offset = symbol.address - section.address;
    const actual = section.bytes.subarray(offset, offset + symbol.size);

    const jsonPath = `${dir}/zone1.json`;
    const parsed = parseZoneConfigJson(readFileSync(jsonPath, 'utf8'), jsonPath, { arch: sample.arch, boardCpus: 4 });
    assert.deepEqual(parsed.errors.map(String), []);
    assert.ok(parsed.config);
    const expected = encodeZoneConfig(parsed.config);
    assert.equal(expected.length, sample.configSize);
    assert.equal(symbol.size, expected.length, `zone1_config is as large as the ${sample.arch} HvZoneConfig`);
    // Name each differing 8-byte word by its offset, which §5.1's table maps to a field.
    const differences: string[] = [];
    for (let at = 0; at < expected.length; at += 8) {
      const a = Buffer.from(actual.subarray(at, at + 8)).toString('hex');
      const e = Buffer.from(expected.subarray(at, at + 8)).toString('hex');
      if (a !== e) differences.push(`offset ${at}: root.S ${a}, zone1.json ${e}`);
    }
    assert.deepEqual(differences, []);
  });
}
