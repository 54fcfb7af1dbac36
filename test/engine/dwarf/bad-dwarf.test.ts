// Bad DWARF degrades to "no source information" with a message naming the
// section and offset; nothing throws out of the reader and nothing hangs.
// Each case breaks one thing in a real build; the last flips bytes all over
// every debug section (of gcc's and clang's builds) and runs every query.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DebugInfo } from '../../../engine/dwarf/debug-info';
import { evaluateLocation } from '../../../engine/dwarf/expression';
import { functionAt, globalsOf, locate, localsAt } from '../../../engine/dwarf/scopes';
import { elfSections, type DwarfSectionName, type DwarfSections } from '../../../engine/dwarf/sections';
import { declaration, sizeOf } from '../../../engine/dwarf/types';
import { BUILDS, built, cleanBuilds, readelf, type Built } from './builds';
import { SeededRandom } from '../../oracle/seeded-random';

after(cleanBuilds);

const O0 = BUILDS.find((b) => b.name === 'riscv64-O0')!;
const A64 = BUILDS.find((b) => b.name === 'aarch64-O2')!;
const CLANG = BUILDS.find((b) => b.name === 'riscv64-clang-O2')!;

/** The build's sections with some replaced by altered copies. */
function altered(b: Built, change: Partial<Record<DwarfSectionName, (bytes: Uint8Array) => Uint8Array>>): DwarfSections {
  const base = elfSections(b.elf);
  const cache = new Map<DwarfSectionName, Uint8Array | undefined>();
  return {
    messages: base.messages,
    address: (n) => base.address(n),
    get(n) {
      if (!cache.has(n)) {
        const bytes = base.get(n);
        const f = change[n];
        cache.set(n, bytes && f ? f(new Uint8Array(bytes)) : bytes);
      }
      return cache.get(n);
    },
  };
}

/** Where unit 0's first DIE starts: after a 32-bit DWARF 5 header (12 bytes) or DWARF 4 header (11 bytes). */
function dwarfFirstDie(info: Uint8Array): number {
  const version = info[4]! | (info[5]! << 8);
  return version >= 5 ? 12 : 11;
}

const frame = { register: () => 0x1000n, readMemory: () => 0n, cfa: () => 0x2000n };

/** Every query the reader answers, over every unit and every function symbol; returns how many answers came back. */
function queryEverything(b: Built, dwarf: DebugInfo): number {
  let answers = 0;
  for (const unit of dwarf.units()) {
    dwarf.unitName(unit);
    const table = dwarf.lineTable(unit);
    answers += table?.rows.length ?? 0;
    for (const row of table?.rows.slice(0, 50) ?? []) table!.file(row.file);
    for (const g of globalsOf(dwarf, unit)) {
      declaration(g.type, g.name);
      sizeOf(g.type);
      locate(dwarf, g, 0n, frame);
      answers++;
    }
  }
  for (const s of b.elf.symbols.filter((x) => x.type === 'func')) {
    for (let pc = s.value; pc < s.value + BigInt(s.size); pc += 2n) {
      dwarf.frameRowAt(pc);
      const fn = functionAt(dwarf, pc);
      if (!fn) continue;
      for (const v of localsAt(dwarf, fn, pc)) {
        declaration(v.type, v.name);
        locate(dwarf, v, pc, frame, fn);
        answers++;
      }
    }
  }
  return answers;
}

/** The offset of the first DW_AT_type attribute after the DIE named `name`, from readelf's dump. */
function typeAttributeOf(b: Built, name: string): { attribute: number; die: number } {
  const text = readelf(b, '--debug-dump=info');
  const m = new RegExp(` <\\d+><([0-9a-f]+)>: Abbrev Number: \\d+ \\(DW_TAG_typedef\\)\\n(?:.*\\n)*?.*: ${name}\\n(?:.*\\n)*?\\s+<([0-9a-f]+)>\\s+DW_AT_type\\s*: \\(ref4\\)`).exec(text);
  assert.ok(m, `readelf shows typedef ${name} with a ref4 DW_AT_type`);
  return { die: parseInt(m[1]!, 16), attribute: parseInt(m[2]!, 16) };
}

describe('bad DWARF', () => {
  test('a truncated .debug_info loses the unit it cuts, with a message saying where', () => {
    const b = built(O0);
    const dwarf = new DebugInfo(altered(b, { '.debug_info': (x) => x.subarray(0, x.length - 40) }), b.file);
    assert.equal(dwarf.units().length, 0);
    queryEverything(b, dwarf);
    assert.match(dwarf.messages.join('\n'), /\.debug_info: unit at 0x0 claims 0x[0-9a-f]+ bytes, past the section's end/);
  });

  test('an unknown attribute form below the root leaves the unit\'s DIEs unread, with a message; its line table still reads', () => {
    const b = built(O0);
    // The first abbreviation's first attribute form (code, tag, children, then name and form) becomes 0x7f; the root uses another.
    const dwarf = new DebugInfo(altered(b, { '.debug_abbrev': (x) => ((x[4] = 0x7f), x) }), b.file);
    const unit = dwarf.units()[0]!;
    assert.ok(dwarf.lineTable(unit));
    assert.equal(functionAt(dwarf, b.elf.findSymbol('fold')!.value), undefined);
    queryEverything(b, dwarf);
    assert.match(dwarf.messages.join('\n'), /unknown attribute form 0x7f.*no source information/);
  });

  test('a root DIE with an undefined abbreviation leaves its unit without source information, with a message', () => {
    const b = built(O0);
    const dwarf = new DebugInfo(altered(b, { '.debug_info': (x) => ((x[dwarfFirstDie(x)] = 0x7e), x) }), b.file);
    const unit = dwarf.units()[0]!;
    assert.equal(dwarf.lineTable(unit), undefined);
    queryEverything(b, dwarf);
    assert.match(dwarf.messages.join('\n'), /uses abbreviation 126, which the unit's table does not define; no source information for it/);
  });

  test('a truncated .debug_line gives no line table for its unit, with a message', () => {
    const b = built(A64);
    const dwarf = new DebugInfo(altered(b, { '.debug_line': (x) => x.subarray(0, 60) }), b.file);
    assert.equal(dwarf.lineTable(dwarf.units()[0]!), undefined);
    assert.match(dwarf.messages.join('\n'), /line program of the unit at 0x0: \.debug_line: /);
    queryEverything(b, dwarf);
  });

  test('a typedef that names itself resolves to an unknown type', () => {
    const b = built(O0);
    const { attribute, die } = typeAttributeOf(b, 'node_t');
    const dwarf = new DebugInfo(
      altered(b, {
        '.debug_info': (x) => {
          // Unit 0 starts at 0, so a unit-relative ref4 to the typedef itself is its offset.
          new DataView(x.buffer, x.byteOffset).setUint32(attribute, die, true);
          return x;
        },
      }),
      b.file,
    );
    const nodes = dwarf.units().flatMap((u) => globalsOf(dwarf, u)).find((g) => g.name === 'nodes')!;
    assert.equal(declaration(nodes.type), 'node_t [3]');
    const t = dwarf.types.typeAt(die);
    assert.equal(t.kind, 'typedef');
    assert.ok(t.kind === 'typedef' && t.target.kind === 'unknown' && /refers to itself/.test(t.target.reason));
    assert.equal(sizeOf(nodes.type), undefined);
    queryEverything(b, dwarf);
  });

  test('a CIE pointer outside .debug_frame ends the FDE index with a message', () => {
    const b = built(O0);
    const dwarf = new DebugInfo(
      altered(b, {
        '.debug_frame': (x) => {
          // The first FDE follows the 16-byte CIE; its CIE pointer is after its length.
          new DataView(x.buffer, x.byteOffset).setUint32(20, 0x7ffffff0, true);
          return x;
        },
      }),
      b.file,
    );
    assert.equal(dwarf.frameRowAt(b.elf.findSymbol('fold')!.value), undefined);
    assert.match(dwarf.messages.join('\n'), /\.debug_frame: /);
  });

  test('expressions that loop, underflow or use unknown operations are unavailable with the reason', () => {
    const ctx = { addressSize: 8, register: () => 0n, readMemory: () => 0n };
    const loop = evaluateLocation(Uint8Array.of(0x2f, 0xfd, 0xff), ctx);
    assert.ok(loop.kind === 'unavailable' && /a branch loops/.test(loop.reason), JSON.stringify(loop));
    const under = evaluateLocation(Uint8Array.of(0x22), ctx);
    assert.ok(under.kind === 'unavailable' && /stack underflow/.test(under.reason));
    const unknown = evaluateLocation(Uint8Array.of(0xff), ctx);
    assert.ok(unknown.kind === 'unavailable' && /unknown operation 0xff/.test(unknown.reason));
    const cut = evaluateLocation(Uint8Array.of(0x03, 1, 2), ctx);
    assert.ok(cut.kind === 'unavailable' && /truncated/.test(cut.reason));
  });

  for (const build of [O0, A64, CLANG]) {
    test(`bytes flipped all over the debug sections of ${build.name} never throw`, () => {
      const b = built(build);
      const names: DwarfSectionName[] = ['.debug_info', '.debug_abbrev', '.debug_line', '.debug_str', '.debug_line_str', '.debug_str_offsets', '.debug_addr', '.debug_loclists', '.debug_rnglists', '.debug_frame', '.eh_frame'];
      // A fixed seed: the same corruptions every run.
      const rng = new SeededRandom(12345);
      for (let round = 0; round < 100; round++) {
        const target = names[round % names.length]!;
        const dwarf = new DebugInfo(
          altered(b, {
            [target]: (x: Uint8Array) => {
              for (let i = 0; i < 4 && x.length > 0; i++) x[rng.below(x.length)] = rng.below(256);
              return x;
            },
          }),
          b.file,
        );
        queryEverything(b, dwarf);
      }
    });
  }
});
