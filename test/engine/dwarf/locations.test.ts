// Variable locations read by the engine's DWARF reader against readelf: every
// DW_AT_location's expression bytes (--debug-dump=info) and every location
// list's entries (--debug-dump=loc), with each expression evaluated to the
// location its disassembly says; and locals found by address at -O0 placed
// relative to the CFA through the function's frame base.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DW_AT, DW_TAG } from '../../../engine/dwarf/constants';
import { DebugInfo } from '../../../engine/dwarf/debug-info';
import { evaluateLocation, type Location } from '../../../engine/dwarf/expression';
import { locationList } from '../../../engine/dwarf/locations';
import { functionAt, locate, localsAt } from '../../../engine/dwarf/scopes';
import { allDies, BUILDS, built, cleanBuilds, readelf } from './builds';

after(cleanBuilds);

/** DW_AT_location of each DIE in readelf's dump: "exprloc <hex bytes>" or "list <offset>". */
function readelfLocations(text: string): Map<number, string> {
  const out = new Map<number, string>();
  let die = -1;
  for (const line of text.split('\n')) {
    const head = /^ <\d+><([0-9a-f]+)>: Abbrev Number/.exec(line);
    if (head) die = parseInt(head[1]!, 16);
    const loc = /^\s+<[0-9a-f]+>\s+DW_AT_location\s*: \((\w+)\) (.*)$/.exec(line);
    if (!loc) continue;
    if (loc[1] === 'exprloc') {
      const bytes = /^\d+ byte block: ([0-9a-f ]+?)\s*\t/.exec(loc[2]!)![1]!;
      out.set(die, `exprloc ${bytes.split(' ').map((b) => b.padStart(2, '0')).join(' ')}`);
    } else out.set(die, `list ${Number(/^(0x[0-9a-f]+|\d+)/.exec(loc[2]!)![1]!)}`);
  }
  return out;
}

/**
 * Location lists from readelf --debug-dump=loc, by the offset of their first
 * entry: "begin end expression" per entry. An entry is one line, or with
 * location views (aarch64's gcc) a "views at ... for:" line and then its range.
 */
function readelfLists(text: string): Map<number, string[]> {
  const lists = new Map<number, string[]>();
  let current: string[] | undefined;
  let viewed: number | undefined;
  const add = (offset: number, begin: string, end: string, expression: string): void => {
    if (!current) lists.set(offset, (current = []));
    current.push(`${BigInt(`0x${begin}`).toString(16)} ${BigInt(`0x${end}`).toString(16)} ${expression}`);
  };
  for (const line of text.split('\n')) {
    const entry = /^\s+([0-9a-f]{8}) ([0-9a-f]{16}) ([0-9a-f]{16}) (\(.*\))\s*$/.exec(line);
    const views = /^\s+([0-9a-f]{8}) v\S+ v\S+ views at [0-9a-f]+ for:/.exec(line);
    const range = /^\s+([0-9a-f]{16}) ([0-9a-f]{16}) (\(.*\))\s*$/.exec(line);
    const end = /^\s+([0-9a-f]{8}) <End of list>/.exec(line);
    if (entry) add(parseInt(entry[1]!, 16), entry[2]!, entry[3]!, entry[4]!);
    else if (views) viewed = parseInt(views[1]!, 16);
    else if (range && viewed !== undefined) {
      add(viewed, range[1]!, range[2]!, range[3]!);
      viewed = undefined;
    } else if (end) current = undefined;
  }
  return lists;
}

const frame = {
  register: (n: number) => 0x1000n + BigInt(n) * 0x100n,
  readMemory: () => undefined,
  cfa: () => 0x80000n,
};

/** What readelf's disassembly of an expression says it evaluates to, for the shapes gcc emits here. */
function expected(text: string): Location | 'any' {
  let m: RegExpExecArray | null;
  if (/entry_value/.test(text)) return { kind: 'unavailable', reason: 'the value on entry to the function (DW_OP_entry_value) is not known in this frame' };
  if ((m = /^\(DW_OP_lit(\d+); DW_OP_stack_value\)$/.exec(text))) return { kind: 'value', value: BigInt(m[1]!) };
  if ((m = /^\(DW_OP_addr: ([0-9a-f]+); DW_OP_stack_value\)$/.exec(text))) return { kind: 'value', value: BigInt(`0x${m[1]}`) };
  if ((m = /^\(DW_OP_addr: ([0-9a-f]+)\)$/.exec(text))) return { kind: 'memory', address: BigInt(`0x${m[1]}`) };
  if ((m = /^\(DW_OP_reg(\d+) \(\w+\)\)$/.exec(text))) return { kind: 'register', register: Number(m[1]) };
  if ((m = /^\(DW_OP_breg(\d+) \(\w+\): (-?\d+)\)$/.exec(text))) return { kind: 'memory', address: frame.register(Number(m[1])) + BigInt(m[2]!) };
  return 'any';
}

// readelf (binutils 2.40) shows clang's location lists with their offset pairs unrelocated and does not
// dump exprloc bytes that use DW_OP_addrx, so it is the oracle for gcc's builds only.
for (const build of BUILDS.filter((b) => b.compiler === 'gcc')) {
  describe(`variable locations of ${build.name}`, () => {
    test('every DW_AT_location and location list matches readelf, and evaluates as its disassembly says', () => {
      const b = built(build);
      const dwarf = DebugInfo.fromElf(b.elf);
      const theirs = readelfLocations(readelf(b, '--debug-dump=info'));
      const lists = readelfLists(readelf(b, '--debug-dump=loc'));
      const ours = new Map<number, string>();
      let listsSeen = 0;
      for (const unit of dwarf.units()) {
        for (const die of allDies(dwarf.root(unit)!)) {
          const v = die.attributes.get(DW_AT.location);
          if (!v) continue;
          if (v.kind === 'block') {
            ours.set(die.offset, `exprloc ${[...v.bytes].map((x) => x.toString(16).padStart(2, '0')).join(' ')}`);
            continue;
          }
          assert.ok(v.kind === 'offset', `DIE 0x${die.offset.toString(16)}: a sec_offset list`);
          ours.set(die.offset, `list ${v.value}`);
          const entries = locationList(unit, v, dwarf.sections);
          const list = lists.get(v.value);
          assert.ok(list, `readelf has a list at 0x${v.value.toString(16)}`);
          assert.deepEqual(
            entries.map((e) => `${e.range![0].toString(16)} ${e.range![1].toString(16)}`),
            list.map((l) => l.split(' ').slice(0, 2).join(' ')),
          );
          for (const [i, e] of entries.entries()) {
            const text = list[i]!.split(' ').slice(2).join(' ');
            const want = expected(text);
            const got = evaluateLocation(e.expression, { ...frame, addressSize: unit.header.addressSize });
            if (want === 'any') assert.notEqual(got.kind, 'unavailable', `${text}: ${JSON.stringify(got, (_, x) => (typeof x === 'bigint' ? x.toString(16) : x))}`);
            else assert.deepEqual(got, want, text);
          }
          listsSeen++;
        }
      }
      assert.deepEqual(ours, theirs);
      if (build.flags.includes('-O2')) assert.ok(listsSeen >= 2, `${listsSeen} location lists`);
      assert.deepEqual(dwarf.messages, []);
    });
  });
}

describe('locals at -O0 by address', () => {
  test('fold\'s parameters and the loop\'s locals live at their frame-base offsets from the CFA', () => {
    const b = built(BUILDS.find((x) => x.name === 'riscv64-O0')!);
    const dwarf = DebugInfo.fromElf(b.elf);
    const fold = b.elf.findSymbol('fold')!;
    // An address inside the loop body (line 44 of shapes.c), where p and k are in scope.
    const unit = dwarf.unitAt(fold.value)!;
    const table = dwarf.lineTable(unit)!;
    const row = table.rows.find((r) => r.line === 44 && r.isStmt && r.address >= fold.value && r.address < fold.value + BigInt(fold.size))!;
    const fn = functionAt(dwarf, row.address)!;
    assert.equal(fn.name, 'fold');
    const vars = localsAt(dwarf, fn, row.address);
    assert.deepEqual(
      vars.map((v) => `${v.kind} ${v.name}`),
      ['parameter list', 'parameter combine', 'parameter seed', 'local acc', 'local p', 'local k'],
    );
    const offsets = new Map<string, number>();
    for (const v of vars) {
      const where = locate(dwarf, v, row.address, frame, fn);
      assert.equal(where.kind, 'memory', v.name);
      if (where.kind === 'memory') offsets.set(v.name, Number(where.address - 0x80000n));
    }
    // The offsets readelf prints for the same DIEs (DW_OP_fbreg N, frame base DW_OP_call_frame_cfa).
    const info = readelf(b, '--debug-dump=info');
    for (const v of vars) {
      const m = new RegExp(`DW_AT_name\\s*: (?:\\(string\\) |\\(strp\\) \\(offset: 0x[0-9a-f]+\\): )${v.name}\\n(?:.*\\n)*?.*DW_OP_fbreg: (-?\\d+)`).exec(info);
      assert.ok(m, `readelf gives ${v.name} a frame-base offset`);
      assert.equal(offsets.get(v.name), Number(m[1]), v.name);
    }
    assert.ok(vars.every((v) => v.die.tag === DW_TAG.formal_parameter || v.die.tag === DW_TAG.variable));
  });
});
