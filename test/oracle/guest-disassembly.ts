// The guest-disassembly check both ISAs run: every instruction of every
// compiled test guest (test/guests/<arch>) must read as GNU objdump -d prints
// it, with addresses named by symbol as objdump names them in an executable.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseElf, type ElfArch, type ElfImage, type ElfSymbol } from '../../engine/machine/loaders/elf';
import type { OracleLine } from './binutils';

const typeRank = { func: 0, object: 1, notype: 2 } as const;
const bindingRank = { global: 0, weak: 1, local: 2 } as const;

/**
 * Of several symbols at one address, the one objdump names (found by
 * experiment with objdump 2.40): functions before objects before untyped
 * symbols, then global before weak before local, then the larger size, then
 * the name that sorts first bytewise. Symbol-table order and section do not count.
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
 * symbol at or below it (section, file, `$` mapping and undefined symbols
 * never count), or, below every symbol, by the lowest one with a negative offset.
 */
export function objdumpSymbolizer(symbols: readonly ElfSymbol[]): (addr: number) => string | undefined {
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

export interface GuestDisassemblyCheck {
  arch: ElfArch;
  /** At least this many ELFs must have been built (programs × opt levels). */
  minGuests: number;
  /** objdump's instruction lines of one ELF. */
  parseObjdump: (output: string) => OracleLine[];
  /** Our disassembler for one ELF, fed its instructions in address order as objdump walks them. */
  disassembler: (image: ElfImage) => (insn: number, address: number) => string;
  /** The lines that exercise symbol naming, of which there must be more than `minMarked`. */
  marked: (objdumpText: string) => boolean;
  minMarked: number;
  /** What a marked line has, for the failure message. */
  markedWhat: string;
}

/** Builds the guests of `check.arch` and compares our disassembly with objdump's, line by line. */
export function checkGuestDisassembly(check: GuestDisassemblyCheck): void {
  const build = spawnSync(process.execPath, ['scripts/build-guests.mjs', '--arch', check.arch], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const dir = join('out/guests', check.arch);
  const elves = readdirSync(dir).filter((f) => f.endsWith('.elf'));
  assert.ok(elves.length >= check.minGuests, `built ${elves.length} guests`);
  let compared = 0;
  let marked = 0;
  const mismatches: string[] = [];
  for (const name of elves) {
    const path = join(dir, name);
    const disassemble = check.disassembler(parseElf(readFileSync(path), path, check.arch));
    const dump = spawnSync(`${check.arch}-linux-gnu-objdump`, ['-d', path], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(dump.status, 0, dump.error?.message ?? dump.stderr);
    let previous = -1;
    for (const line of check.parseObjdump(dump.stdout)) {
      assert.ok(line.address > previous, `${name}: objdump lists ${line.address.toString(16)} in address order`);
      previous = line.address;
      const ours = disassemble(line.insn, line.address);
      compared++;
      if (check.marked(line.text)) marked++;
      if (ours !== line.text) {
        mismatches.push(`${name} ${line.address.toString(16)} ${line.insn.toString(16)}: objdump "${line.text}" ours "${ours}"`);
      }
    }
  }
  assert.ok(compared > 10_000, `compared ${compared} instructions`);
  assert.ok(marked > check.minMarked, `${marked} lines ${check.markedWhat}`);
  assert.equal(mismatches.length, 0, `${mismatches.length} lines differ:\n${mismatches.slice(0, 40).join('\n')}`);
}
