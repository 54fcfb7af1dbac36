// The disassembler against GNU objdump 2.40, which generates every expectation
// at test time: instructions are assembled as `.insn` directives and objdump's
// text is compared line by line with disassembleOne().

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, instructionSize } from '../../../engine/isa/riscv64/decode';
import { Disassembler, disassembleOne, type Symbolizer } from '../../../engine/isa/riscv64/disasm';
import { fields, fieldWidth, insert, type FieldName } from '../../../engine/isa/riscv64/fields';
import { csrName, csrNames, parseCsr } from '../../../engine/isa/riscv64/csr-names';
import { abiNames, parseRegister } from '../../../engine/isa/riscv64/registers';
import { aliases } from '../../../engine/isa/riscv64/aliases';
import { table, type Row } from '../../../engine/isa/riscv64/table';
import { insnDirective, objdump, textSymbols, type OracleLine } from './objdump-oracle';

/** Deterministic pseudo-random 32-bit values (numerical-recipes LCG). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

/** objdump labels every address in the object by the .text section symbol. */
const sectionSymbolizer: Symbolizer = (addr) => {
  if (addr === 0) return '.text';
  const hex = addr >= 0 ? addr.toString(16) : BigInt.asUintN(64, BigInt(addr)).toString(16);
  return `.text+0x${hex}`;
};

interface Item {
  readonly insn: number;
  readonly size: 2 | 4;
  /** Not compared: emitted only to reset objdump's memory of a lui/auipc result. */
  readonly filler?: boolean;
}

/**
 * objdump remembers the value lui/auipc put in a register and annotates the
 * next instruction that uses it as a base; disassembleOne starts with no such
 * memory. For it, the corpus adds `lw zero,0(rd)` after each such
 * instruction, which uses up that memory, and that filler line is not compared.
 */
function withFillers(items: readonly Item[]): Item[] {
  const out: Item[] = [];
  for (const item of items) {
    out.push(item);
    const d = decode(item.insn);
    if (d && (d.op === 'lui' || d.op === 'auipc')) out.push({ insn: 0x2003 | (d.rd << 15), size: 4, filler: true });
  }
  return out;
}

function source(items: readonly Item[]): string {
  return `.text\n${items.map((item) => insnDirective(item.insn, item.size)).join('\n')}\n`;
}

interface Mismatch {
  readonly address: number;
  readonly insn: string;
  readonly expected: string;
  readonly actual: string;
}

/**
 * Compare every non-filler line (and check line alignment); returns the
 * mismatches. `stateful` feeds every line to one Disassembler, as objdump
 * walks them, instead of calling disassembleOne per line.
 */
function compare(items: readonly Item[], lines: readonly OracleLine[], aliases = true, stateful = false): Mismatch[] {
  assert.equal(lines.length, items.length, 'objdump printed one line per instruction');
  const mismatches: Mismatch[] = [];
  const disassembler = new Disassembler(sectionSymbolizer, { aliases });
  let pc = 0;
  for (const [i, item] of items.entries()) {
    const line = lines[i]!;
    assert.equal(line.address, pc);
    assert.equal(line.insn, item.insn >>> 0);
    pc += item.size;
    const actual = stateful ? disassembler.next(item.insn, line.address) : disassembleOne(item.insn, line.address, sectionSymbolizer, { aliases });
    if (item.filler) continue;
    assert.equal(actual.size, item.size);
    if (actual.text !== line.text) {
      mismatches.push({ address: line.address, insn: item.insn.toString(16), expected: line.text, actual: actual.text });
    }
  }
  return mismatches;
}

function assertNoMismatches(mismatches: readonly Mismatch[]): void {
  const shown = mismatches.slice(0, 40).map((m) => `  ${m.insn} @${m.address.toString(16)}: objdump "${m.expected}", ours "${m.actual}"`);
  assert.equal(mismatches.length, 0, `${mismatches.length} lines differ from objdump:\n${shown.join('\n')}`);
}

// ---- 1. Every table row -------------------------------------------------------

/** Field values worth trying: extremes, register names with aliases (zero, ra, sp, tp) and random ones. */
function interestingValues(field: FieldName, random: () => number): number[] {
  const width = fieldWidth(fields[field]);
  const span = 2 ** width;
  const picks = [0, 1, 2, 4, span - 1, span >>> 1, (span >>> 1) - 1];
  for (let i = 0; i < 6; i++) picks.push(random() % span);
  return picks;
}

/** Encodings for one row: each operand field swept over interesting values, the others random. */
function rowCorpus(row: Row, random: () => number): number[] {
  const fieldNames = [...new Set(Object.values(row.operands).filter((v): v is FieldName => typeof v === 'string'))];
  const out: number[] = [row.match >>> 0];
  const randomFill = (): number => {
    let insn = row.match >>> 0;
    for (const f of fieldNames) insn = insert(fields[f], insn, random());
    return ((insn & ~row.mask) | row.match) >>> 0;
  };
  for (const f of fieldNames) {
    for (const value of interestingValues(f, random)) {
      const insn = insert(fields[f], randomFill(), value);
      out.push(((insn & ~row.mask) | row.match) >>> 0);
    }
  }
  for (let i = 0; i < 8; i++) out.push(randomFill());
  if (row.operands.aq === 'aq') {
    for (const ordering of [0, 1, 2, 3]) out.push(((randomFill() & ~(3 << 25)) | (ordering << 25)) >>> 0);
  }
  return out;
}

/** Encodings whose spelling depends on a single value: alias boundaries, reserved fields, HINTs. */
const edgeCases: readonly number[] = [
  // tp/x0 bases, which objdump annotates with the effective address
  0x00020513, 0x0002051b, 0x00420513, 0x0042051b, 0x00022503, 0x00a22223, 0x00402503,
  0x00020567, 0x00420567, 0x00020067, 0x000200e7, 0xffc20067, 0x004000e7, 0x00000067,
  // fence, fence.tso, fence.i, with and without reserved bits
  0x0ff0000f, 0x8330000f, 0x8ff0000f, 0x8330008f, 0x833a000f, 0x0100000f, 0x0000000f, 0x0ff0008f,
  0x0000100f, 0x0000108f, 0x0010100f, 0x4000100f,
  // CSR aliases
  0xc0001073, 0xc0101073, 0xc0002073, 0xc0002573, 0xc0102573, 0xc0202573, 0xc0302573, 0xc8002573,
  0xc0005073, 0xc0059573, 0x00001073, 0x10001073, 0x14102573,
  // fences of address translation
  0x12000073, 0x12050073, 0x12a00073, 0x12b50073, 0x22000073, 0x22050073, 0x62000073, 0x62b00073,
  // F and D: sign injection of a register with itself (fmv/fneg/fabs), the FP CSRs' own names, the exact conversions
  0x20b58553, 0x20001053, 0x21ffafd3, 0x22b58553, 0x231894d3, 0x2210a053, 0x21b58553, 0x20c58553,
  0x0021d073, 0x00225573, 0x0010d073, 0x001fd573, 0x00302573, 0x00359073, 0x00359573, 0x00202573, 0x00259073,
  0x00259573, 0x00102573, 0x00159073, 0x00159573, 0x0035a573, 0x0015b073, 0x0020e073, 0x0030e073,
  0xd2050553, 0xd2051553, 0xd2057553, 0x42058553, 0x4205f553, 0x00c59553, 0x6ac5c543,
  // lr with a non-zero rs2 field is not an instruction
  0x1015a52f, 0x1605a52f,
  // compressed: c.unimp, nops, reserved immediates, HINTs, jr/jalr/ebreak boundaries
  0x0000, 0x0001, 0x0005, 0x1001, 0x6101, 0x6081, 0x6001, 0x8002, 0x8082, 0x9002, 0x9082,
  0x4001, 0x4081, 0x2201, 0x2001, 0x0201, 0x0002, 0x0006, 0x8001, 0x8401, 0x8006, 0x9006, 0x0004,
];

function tableCorpus(): Item[] {
  const random = lcg(2024);
  const rows = table.flatMap((row) => rowCorpus(row, random).map((insn) => ({ insn, size: row.size })));
  return [...rows, ...edgeCases.map((insn) => ({ insn, size: instructionSize(insn) }))];
}

test('every table row prints as objdump prints it', () => {
  const items = withFillers(tableCorpus());
  const hits = new Map<string, number>();
  for (const item of items) {
    const d = decode(item.insn);
    if (d && !item.filler) hits.set(d.row.mnemonic, (hits.get(d.row.mnemonic) ?? 0) + 1);
  }
  for (const row of table) assert.ok((hits.get(row.mnemonic) ?? 0) >= 1, `corpus reaches ${row.mnemonic}`);
  assertNoMismatches(compare(items, objdump(source(items))));
});

/**
 * With aliases off each instruction prints in its row's own syntax, which must
 * be objdump's canonical (`-M no-aliases`) form. objdump has canonical names
 * for a few encodings that the table folds into a wider row: c.nop (which it
 * prints as `c.addi zero,0`), the shift-by-zero HINTs c.slli64/c.srli64/c.srai64,
 * fence.tso and `unimp` (csrrw zero,cycle,zero).
 */
const canonicalOutsideTable = /^(c\.addi\tzero,0|c\.s[lr][la]i64\t.*|fence\.tso|unimp)$/;

test('row syntax strings are objdump canonical (no-aliases) forms', () => {
  const items = withFillers(tableCorpus());
  const lines = objdump(source(items), ['-M', 'no-aliases']);
  const mismatches = compare(items, lines, false).filter((m) => !canonicalOutsideTable.test(m.expected));
  assertNoMismatches(mismatches);
});

test('every CSR number prints under objdump\'s name for it', () => {
  // csrrs a0,<csr>,zero for all 4096 numbers: `csrr a0,<name>` (or rdcycle & co).
  const items: Item[] = Array.from({ length: 4096 }, (_, csr) => ({ insn: ((csr << 20) | 0x2573) >>> 0, size: 4 }));
  assertNoMismatches(compare(items, objdump(source(items))));
});

test('register and CSR names parse back to their numbers', () => {
  abiNames.forEach((name, n) => {
    assert.equal(parseRegister(name), n);
    assert.equal(parseRegister(`x${n}`), n);
  });
  assert.equal(parseRegister('fp'), 8);
  assert.equal(parseRegister('x32'), undefined);
  assert.equal(parseRegister('a8'), undefined);
  for (const [n, name] of csrNames) {
    assert.equal(csrName(n), name);
    assert.equal(parseCsr(name), n);
  }
  assert.equal(parseCsr('hgatp'), 0x680);
  assert.equal(parseCsr('vsatp'), 0x280);
  assert.equal(parseCsr('sbadaddr'), 0x143);
  assert.equal(csrName(0x143), 'stval');
  assert.equal(parseCsr('0x7c0'), 0x7c0);
  assert.equal(parseCsr('4096'), undefined);
  assert.equal(parseCsr('nosuchcsr'), undefined);
});

// ---- 2. Fuzz --------------------------------------------------------------------

/**
 * The object's ISA attribute is exactly ours (rv64imafdc_zicsr_zifencei_h), so
 * objdump prints `.2byte`/`.4byte` for Q, Zfh, vector, Zb* and other encodings.
 * If it ever names one anyway, a line is skipped only when our decoder rejects
 * it and objdump's mnemonic belongs to one of these extensions.
 */
const foreignMnemonic = /^(c\.)?(f(?!ence)[a-z.]+|v[a-z0-9.]+|(sh[123]add|andn|orn|xnor|clz|ctz|cpop|max|min|rol|ror|rev8|orc\.b|bset|bclr|binv|bext)[a-z.]*)$/;

/** Every name we print: a mnemonic objdump shows for an encoding we reject is never foreign. */
const ourMnemonics: ReadonlySet<string> = new Set([...table.map((row) => row.mnemonic), ...aliases.map((a) => a.name)]);

function skippable(m: Mismatch): boolean {
  const insn = parseInt(m.insn, 16);
  const mnemonic = m.expected.split('\t')[0]!;
  return decode(insn) === undefined && foreignMnemonic.test(mnemonic) && !ourMnemonics.has(mnemonic);
}

test('fuzz: all 16-bit encodings and 20000 pseudo-random 32-bit words', (t) => {
  const items: Item[] = [];
  for (let half = 0; half < 0x10000; half++) if ((half & 3) !== 3) items.push({ insn: half, size: 2 });
  const random = lcg(0x5eed);
  const ourOpcodes = [...new Set(table.filter((row) => row.size === 4).map((row) => row.match & 0x7f))];
  for (let i = 0; i < 20000; i++) {
    let word = random();
    if (i % 2 === 1) {
      // Half the words use one of our opcodes, with register fields biased
      // towards x0/ra/tp, which select most aliases.
      word = (word & ~0x7f) | ourOpcodes[random() % ourOpcodes.length]!;
      const bias = random();
      for (const [shift, bit] of [[7, 0], [15, 2], [20, 4]] as const) {
        const choice = (bias >>> bit) & 3;
        if (choice < 3) word = (word & ~(0x1f << shift)) | ([0, 1, 4][choice]! << shift);
      }
    }
    word = (word | 3) >>> 0;
    // Only 32-bit lengths: bits 4..2 all set would announce a 48-bit or longer encoding.
    if ((word & 0x1c) === 0x1c) word = (word & ~0x10) >>> 0;
    assert.equal(instructionSize(word), 4);
    items.push({ insn: word >>> 0, size: 4 });
  }
  const all = withFillers(items);
  const mismatches = compare(all, objdump(source(all)));
  const skipped = mismatches.filter(skippable);
  assertNoMismatches(mismatches.filter((m) => !skippable(m)));
  t.diagnostic(`${all.length} lines compared, ${skipped.length} foreign encodings skipped`);
  assert.ok(skipped.length < 50, `only a handful of foreign encodings skipped (${skipped.length})`);
  // The same words without fillers, through one stateful Disassembler: every
  // lui/auipc record meets whatever the random stream does next.
  for (const aliases of [true, false]) {
    const lines = objdump(source(items), aliases ? [] : ['-M', 'no-aliases']);
    const rest = compare(items, lines, aliases, true).filter((m) => !skippable(m) && (aliases || !canonicalOutsideTable.test(m.expected)));
    assertNoMismatches(rest);
  }
});

// ---- 3. Symbolized targets -----------------------------------------------------------

const labelled = `
.option norelax
.text
.globl main
main:
  beq a0, a1, helper
  bnez a0, main
  j tail
  jal helper
  jal t0, main
  c.j helper
  c.beqz s0, main
  lw a0, 24(zero)
  jalr ra, 16(zero)
  addi tp, tp, 12
helper:
  addi sp, sp, -16
  c.bnez a5, helper
  blt a0, a1, tail
  ret
  nop
tail:
  bgeu a0, a1, helper
  jal zero, main
  sd ra, 40(zero)
`;

test('branch and jump targets carry objdump\'s <symbol+offset> suffix', () => {
  const symbols = textSymbols(labelled).sort((a, b) => a[0] - b[0]);
  assert.ok(symbols.length >= 3);
  const symbolize: Symbolizer = (addr) => {
    let best: [number, string] | undefined;
    for (const sym of symbols) if (sym[0] <= addr) best = sym;
    if (!best) return undefined;
    return best[0] === addr ? best[1] : `${best[1]}+0x${(addr - best[0]).toString(16)}`;
  };
  const lines = objdump(labelled);
  assert.ok(lines.length > 15);
  for (const line of lines) {
    const actual = disassembleOne(line.insn, line.address, symbolize);
    assert.equal(actual.text, line.text, `at ${line.address.toString(16)}`);
  }
  assert.ok(lines.some((line) => /<helper\+0x[0-9a-f]+>|<main\+0x[0-9a-f]+>/.test(line.text)), 'some target has an offset');
});

test('targets wrap modulo 2^64 and print without a symbol when none is known', () => {
  assert.equal(disassembleOne(0xff9ff06f, 0, undefined).text, 'j\tfffffffffffffff8');
  assert.equal(disassembleOne(0x0000006f, -16, undefined).text, 'j\tfffffffffffffff0');
  assert.equal(disassembleOne(0x8082, 0x80200000).text, 'ret');
  assert.equal(disassembleOne(0x00c0006f, 0x80200000, (a) => (a === 0x8020000c ? 'start' : undefined)).text, 'j\t8020000c <start>');
});
