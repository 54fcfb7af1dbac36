// clang's variable locations (DW_FORM_loclistx through .debug_loclists'
// offset table, DW_OP_addrx through .debug_addr) read by the engine's DWARF
// reader against llvm-dwarfdump: which DIEs have a location, which are lists,
// each list's offset and address ranges; and every expression evaluates
// without being malformed.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { DW_AT } from '../../../engine/dwarf/constants';
import { DebugInfo } from '../../../engine/dwarf/debug-info';
import { evaluateLocation } from '../../../engine/dwarf/expression';
import { locationList } from '../../../engine/dwarf/locations';
import { listOffset } from '../../../engine/dwarf/ranges';
import { requireCommands } from '../../../scripts/external-tools.mjs';
import { allDies, BUILDS, built, cleanBuilds } from './builds';

after(cleanBuilds);

/** DW_AT_location of each DIE in llvm-dwarfdump's view: "expr" or "list 0xOFF [a, b) ...". */
function dwarfdumpLocations(text: string): Map<number, string> {
  const out = new Map<number, string>();
  const lines = text.split('\n');
  let die = -1;
  for (let i = 0; i < lines.length; i++) {
    const head = /^0x([0-9a-f]+):\s+DW_TAG_/.exec(lines[i]!);
    if (head) die = parseInt(head[1]!, 16);
    const loc = /^\s+DW_AT_location\t\((.*)$/.exec(lines[i]!);
    if (!loc) continue;
    const list = /loclist = 0x([0-9a-f]+):/.exec(loc[1]!);
    if (!list) {
      out.set(die, 'expr');
      continue;
    }
    const ranges: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const r = /^\s+\[0x([0-9a-f]+), 0x([0-9a-f]+)\): /.exec(lines[j]!);
      if (!r) break;
      ranges.push(`[${BigInt(`0x${r[1]}`).toString(16)}, ${BigInt(`0x${r[2]}`).toString(16)})`);
    }
    out.set(die, `list 0x${parseInt(list[1]!, 16).toString(16)} ${ranges.join(' ')}`);
  }
  return out;
}

for (const build of BUILDS.filter((b) => b.compiler === 'clang')) {
  describe(`clang's variable locations in ${build.name}`, () => {
    test('every DW_AT_location, and every list\'s offset and ranges, match llvm-dwarfdump', () => {
      requireCommands('llvm-dwarfdump');
      const b = built(build);
      const theirs = dwarfdumpLocations(execFileSync('llvm-dwarfdump', ['--debug-info', b.file], { encoding: 'utf8', maxBuffer: 64 << 20 }));
      const dwarf = DebugInfo.fromElf(b.elf);
      const loclists = dwarf.sections.get('.debug_loclists');
      const ours = new Map<number, string>();
      const frame = { addressSize: 8, register: () => 0x1000n, readMemory: () => 0n, cfa: () => 0x2000n, frameBase: () => 0x3000n };
      for (const unit of dwarf.units()) {
        for (const die of allDies(dwarf.root(unit)!)) {
          const v = die.attributes.get(DW_AT.location);
          if (!v) continue;
          if (v.kind === 'block') {
            ours.set(die.offset, 'expr');
            const got = evaluateLocation(v.bytes, { ...frame, indexedAddress: (i) => unit.indexedAddress(i) });
            assert.ok(got.kind !== 'unavailable' || !got.reason.startsWith('malformed'), `DIE 0x${die.offset.toString(16)}: ${got.kind === 'unavailable' ? got.reason : ''}`);
            continue;
          }
          assert.equal(v.kind, 'loclistx', `DIE 0x${die.offset.toString(16)}: clang's lists are indexed`);
          const offset = v.kind === 'loclistx' ? listOffset(loclists!, '.debug_loclists', unit.loclistsBase!, v.index, unit.header.dwarf64) : -1;
          const entries = locationList(unit, v, dwarf.sections);
          ours.set(die.offset, `list 0x${offset.toString(16)} ${entries.map((e) => `[${e.range![0].toString(16)}, ${e.range![1].toString(16)})`).join(' ')}`);
          for (const e of entries) {
            const got = evaluateLocation(e.expression, { ...frame, indexedAddress: (i) => unit.indexedAddress(i) });
            assert.ok(got.kind !== 'unavailable' || !got.reason.startsWith('malformed'), `DIE 0x${die.offset.toString(16)}: ${got.kind === 'unavailable' ? got.reason : ''}`);
          }
        }
      }
      assert.ok(ours.size > 0);
      assert.deepEqual(ours, theirs);
      assert.deepEqual(dwarf.messages, []);
    });
  });
}

test('DW_OP_convert narrows to the base type and sign-extends a signed one, as clang uses it for an inlined char argument', () => {
  const types: Record<number, { size: number; signed: boolean }> = { 0x2b: { size: 1, signed: true }, 0x2f: { size: 4, signed: true }, 0x33: { size: 1, signed: false } };
  const ctx = { addressSize: 8, register: () => 0x1ffn, readMemory: () => undefined, baseType: (o: number) => types[o] };
  // DW_OP_breg13 0; DW_OP_convert <0x2b>; DW_OP_convert <0x2f>; DW_OP_stack_value
  assert.deepEqual(evaluateLocation(Uint8Array.of(0x7d, 0x00, 0xa8, 0x2b, 0xa8, 0x2f, 0x9f), ctx), { kind: 'value', value: 0xffffffffffffffffn });
  assert.deepEqual(evaluateLocation(Uint8Array.of(0x7d, 0x00, 0xa8, 0x33, 0x9f), ctx), { kind: 'value', value: 0xffn });
  const none = evaluateLocation(Uint8Array.of(0x7d, 0x00, 0xa8, 0x40, 0x9f), ctx);
  assert.ok(none.kind === 'unavailable' && /not a base type/.test(none.reason));
});
