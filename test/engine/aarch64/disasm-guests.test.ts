// Every instruction of the compiled aarch64 guest programs disassembles as
// GNU objdump -d prints it, branch targets named by symbol included.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { disassembleOne, type Symbolizer } from '../../../engine/isa/aarch64/disasm';
import { parseElf, type ElfSymbol } from '../../../engine/machine/loaders/elf';
import { missingBinutils, parseObjdump } from './objdump-oracle';

const GUESTS = 'out/guests/aarch64';
const CC = 'aarch64-linux-gnu-gcc';

const typeRank = { func: 0, object: 1, notype: 2 } as const;
const bindingRank = { global: 0, weak: 1, local: 2 } as const;

/**
 * Of several symbols at one address, the one objdump names: functions before
 * objects before untyped symbols, then global before weak before local, then
 * the larger size, then the name that sorts first bytewise.
 */
function preferred(a: ElfSymbol, b: ElfSymbol): number {
  return (
    typeRank[a.type] - typeRank[b.type] ||
    bindingRank[a.binding] - bindingRank[b.binding] ||
    b.size - a.size ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/**
 * Names an address as objdump -d does in an executable: by the nearest
 * symbol at or below it; section, file, `$x`/`$d` mapping and undefined
 * symbols never count.
 */
function objdumpSymbolizer(symbols: readonly ElfSymbol[]): Symbolizer {
  const sorted = symbols
    .filter((s) => s.name !== '' && !s.name.startsWith('$') && s.sectionIndex !== 0)
    .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : preferred(a, b)));
  return (addr) => {
    if (sorted.length === 0) return undefined;
    const a = BigInt.asUintN(64, BigInt(addr));
    let best = sorted[0]!;
    for (const s of sorted) {
      if (s.value > a) break;
      if (s.value !== best.value) best = s;
    }
    if (best.value > a) return `${best.name}-0x${(best.value - a).toString(16)}`;
    const off = a - best.value;
    return off === 0n ? best.name : `${best.name}+0x${off.toString(16)}`;
  };
}

const missing = [...missingBinutils(), ...(spawnSync(CC, ['--version']).status === 0 ? [] : [`${CC} (Debian package gcc-aarch64-linux-gnu)`])];

test('the aarch64 guest programs disassemble as objdump -d prints them', { skip: missing.length > 0 ? `missing ${missing.join(', ')}` : false }, () => {
  const build = spawnSync(process.execPath, ['scripts/build-guests.mjs', '--arch', 'aarch64'], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const elves = readdirSync(GUESTS).filter((f) => f.endsWith('.elf'));
  assert.ok(elves.length >= 27, `built ${elves.length} guests`);
  let compared = 0;
  let named = 0;
  const mismatches: string[] = [];
  for (const name of elves) {
    const path = join(GUESTS, name);
    const image = parseElf(readFileSync(path), path, 'aarch64');
    const symbolize = objdumpSymbolizer(image.symbols);
    const dump = spawnSync('aarch64-linux-gnu-objdump', ['-d', path], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(dump.status, 0, dump.error?.message ?? dump.stderr);
    let previous = -1;
    for (const line of parseObjdump(dump.stdout)) {
      assert.ok(line.address > previous, `${name}: objdump lists ${line.address.toString(16)} in address order`);
      previous = line.address;
      const ours = disassembleOne(line.insn, line.address, symbolize);
      compared++;
      if (line.text.includes(' <')) named++;
      if (ours.text !== line.text) {
        mismatches.push(`${name} ${line.address.toString(16)} ${line.insn.toString(16).padStart(8, '0')}: objdump "${line.text}" ours "${ours.text}"`);
      }
    }
  }
  assert.ok(compared > 10_000, `compared ${compared} instructions`);
  assert.ok(named > 1_000, `${named} lines name a symbol`);
  assert.equal(mismatches.length, 0, `${mismatches.length} lines differ:\n${mismatches.slice(0, 40).join('\n')}`);
});
