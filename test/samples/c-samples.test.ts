// The C samples (samples/riscv64-c, samples/aarch64-c) built by
// scripts/build-samples.mjs at -O0 and -O2, run to their end in the headless
// runner: the two root CPUs' locked increments add up to 2 x 1000, zone 1
// prints, and the root powers off. The HvZoneConfig the root's C builds must
// be the binary encoding of the sample's zone1.json.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../cli/run-cli';
import { encodeZoneConfig } from '../../engine/hv/config/binary';
import { parseZoneConfigJson } from '../../engine/hv/config/json';
import { parseElf } from '../../engine/machine/loaders/elf';
import { C_SAMPLES, elf, ensureCSamples, launchFile, type Opt } from './c-samples';

const ARCHES = ['riscv64', 'aarch64'] as const;
const OPTS: readonly Opt[] = ['O0', 'O2'];

const EXPECTED = {
  riscv64: [
    '[root] hello from hart 0 (dtb 0x8f000000)',
    '[root] hart_start(hart 1) -> 0',
    '[root] counter = 2000 (harts 0 and 1, 1000 locked increments each)',
    '[root] start zone 1 -> 0',
    '[zone1] hello from hart 2 (dtb 0x8af00000)',
  ],
  aarch64: [
    '[root] hello from CPU 0 (dtb 0xa0000000)',
    '[root] CPU_ON(CPU 1) -> 0',
    '[root] counter = 2000 (CPUs 0 and 1, 1000 locked increments each)',
    '[root] start zone 1 -> 0',
    '[zone1] hello from CPU 2 (dtb 0x60f00000)',
  ],
};

const ENDING = ['[zone1] 1*1 + 2*2 + 3*3 + 4*4 = 30', '[root] zone 1 is done', '[root] shut down zone 1 -> 0', '[root] powering off', ''];

before(() => ensureCSamples());

for (const arch of ARCHES) {
  for (const opt of OPTS) {
    test(`the ${arch}-c sample at -${opt} counts to 2000 on two CPUs, runs zone 1 and powers off`, () => {
      const r = runCli(['run', launchFile(arch, opt)]);
      assert.equal(r.stdout, [...EXPECTED[arch], ...ENDING].join('\n'), r.stderr);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /power-off by CPU 0/);
    });

    test(`${arch}-c at -${opt}: root.c's zone1_config holds exactly the binary encoding of zone1.json`, () => {
      const path = elf(arch, 'root', opt);
      const image = parseElf(readFileSync(path), path, arch);
      const symbol = image.findSymbol('zone1_config');
      assert.ok(symbol, 'root.c defines zone1_config');
      const segment = image.segments.find((s) => symbol.value >= s.vaddr && symbol.value + BigInt(symbol.size) <= s.vaddr + BigInt(s.filesz));
      assert.ok(segment, 'zone1_config lies in a loaded segment with contents');
      const offset = Number(symbol.value - segment.vaddr);
      const actual = segment.data.subarray(offset, offset + symbol.size);

      const jsonPath = `${C_SAMPLES[arch]}/zone1.json`;
      const parsed = parseZoneConfigJson(readFileSync(jsonPath, 'utf8'), jsonPath, { arch, boardCpus: 3 });
      assert.deepEqual(parsed.errors.map(String), []);
      assert.ok(parsed.config);
      const expected = encodeZoneConfig(parsed.config);
      assert.equal(symbol.size, expected.length, `zone1_config is as large as the ${arch} HvZoneConfig`);
      const differences: string[] = [];
      for (let at = 0; at < expected.length; at += 8) {
        const a = Buffer.from(actual.subarray(at, at + 8)).toString('hex');
        const e = Buffer.from(expected.subarray(at, at + 8)).toString('hex');
        if (a !== e) differences.push(`offset ${at}: root.c ${a}, zone1.json ${e}`);
      }
      assert.deepEqual(differences, []);
    });
  }
}
