// C types read by the engine's DWARF reader against gdb-multiarch reading the
// same file: the type of every global and function (whatis), struct and union
// layouts with member offsets, sizes and bitfields (ptype /o), and enums.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DW_AT, DW_TAG } from '../../../engine/dwarf/constants';
import { DebugInfo } from '../../../engine/dwarf/debug-info';
import { functionAt, globalsOf } from '../../../engine/dwarf/scopes';
import { declaration, sizeOf, type CType } from '../../../engine/dwarf/types';
import { BUILDS, built, cleanBuilds, gdb } from './builds';

after(cleanBuilds);

/** The first type DIE with `tag` named `name`. */
function find(dwarf: DebugInfo, tag: number, name: string): CType {
  for (const unit of dwarf.units()) {
    const root = dwarf.root(unit);
    for (const die of root?.children ?? []) {
      if (die.tag === tag && unit.text(die, DW_AT.name) === name && !die.attributes.has(DW_AT.declaration)) return dwarf.types.typeAt(die.offset);
    }
  }
  throw new Error(`no DIE named ${name}`);
}

/** gdb's "ptype /o" member lines of the outer aggregate: offset[:bit] | size, and the declaration (or the nested aggregate's head). */
function layoutLines(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\/\*\s+(\d+)(?::\s*(\d+))?\s+\|\s+(\d+) \*\/ {4}(\S.*)$/gm)) {
    out.push(`${m[1]}${m[2] !== undefined ? `:${m[2]}` : ''} | ${m[3]} ${m[4]}`);
  }
  return out;
}

function ourLayout(t: CType): string[] {
  assert.ok(t.kind === 'struct');
  return t.members.map((m) => {
    const bit = m.bitOffset !== undefined ? `:${m.bitOffset - m.offset * 8}` : '';
    const inner = m.type.kind === 'struct' || m.type.kind === 'union' ? `${m.type.kind} ${m.type.name} {` : `${declaration(m.type, m.name ?? '')}${m.bitSize !== undefined ? ` : ${m.bitSize}` : ''};`;
    return `${m.offset}${bit} | ${sizeOf(m.type)} ${inner}`;
  });
}

function ptype(t: CType): string {
  if (t.kind === 'enum') {
    let next = 0n;
    const items = t.enumerators.map((e) => {
      const shown = e.value === next ? e.name : `${e.name} = ${e.value}`;
      next = e.value + 1n;
      return shown;
    });
    return `type = enum ${t.name} {${items.join(', ')}}`;
  }
  assert.ok(t.kind === 'union' || t.kind === 'struct');
  const lines = t.members.map((m) => `    ${declaration(m.type, m.name ?? '')}${m.bitSize !== undefined ? ` : ${m.bitSize}` : ''};`);
  return [`type = ${t.kind} ${t.name} {`, ...lines, '}'].join('\n');
}

const FUNCTIONS = ['add', 'fold', 'depth', '_start'];

for (const build of BUILDS) {
  describe(`types of ${build.name}`, () => {
    test('globals and functions have the types gdb gives them (whatis)', () => {
      const b = built(build);
      const dwarf = DebugInfo.fromElf(b.elf);
      const globals = dwarf.units().flatMap((u) => globalsOf(dwarf, u));
      assert.deepEqual(globals.map((g) => g.name).sort(), ['greeting', 'nodes', 'ticks', 'total']);
      // A function inlined everywhere has no code of its own, and gdb does not show it as a function then.
      const present = FUNCTIONS.filter((name) => b.elf.symbols.some((s) => s.type === 'func' && (s.name === name || s.name.startsWith(`${name}.`))));
      const names = [...globals.map((g) => g.name), ...present];
      const theirs = gdb(b, names.map((n) => `whatis ${n}`));
      // A function's type is its code's DIE, which after optimisation may be a clone of the source's with fewer or reordered parameters.
      const functions = present.map((name) => {
        const symbol = b.elf.symbols.find((s) => s.type === 'func' && (s.name === name || s.name.startsWith(`${name}.`)))!;
        const fn = functionAt(dwarf, symbol.value);
        assert.ok(fn, `a subprogram covers ${name}`);
        return dwarf.types.typeAt(fn.die.offset);
      });
      const ours = [...globals.map((g) => g.type), ...functions].map((t) => `type = ${declaration(t)}`);
      assert.deepEqual(ours, theirs);
      assert.deepEqual(dwarf.messages, []);
    });

    test('structs, unions, bitfields and enums match gdb (ptype, ptype /o, sizeof)', () => {
      const b = built(build);
      const dwarf = DebugInfo.fromElf(b.elf);
      const node = find(dwarf, DW_TAG.structure_type, 'node');
      const flags = find(dwarf, DW_TAG.structure_type, 'flags');
      const word = find(dwarf, DW_TAG.union_type, 'word');
      const colour = find(dwarf, DW_TAG.enumeration_type, 'colour');
      const [nodeO, flagsO, nodeP, flagsP, wordP, colourP, sizes] = gdb(b, [
        'ptype /o struct node',
        'ptype /o struct flags',
        'ptype struct node',
        'ptype struct flags',
        'ptype union word',
        'ptype enum colour',
        'print {sizeof(struct node), sizeof(struct flags), sizeof(union word), sizeof(enum colour), sizeof(node_t [3])}',
      ]);
      assert.deepEqual(ourLayout(node), layoutLines(nodeO!));
      assert.deepEqual(ourLayout(flags), layoutLines(flagsO!));
      assert.equal(ptype(node), nodeP);
      assert.equal(ptype(flags), flagsP);
      assert.equal(ptype(word), wordP);
      assert.equal(ptype(colour), colourP);
      const nodes = dwarf.units().flatMap((u) => globalsOf(dwarf, u)).find((g) => g.name === 'nodes')!;
      assert.equal(`$1 = {${[node, flags, word, colour, nodes.type].map(sizeOf).join(', ')}}`, sizes);
    });
  });
}
