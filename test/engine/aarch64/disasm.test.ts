// The aarch64 disassembler against GNU objdump 2.40, which generates every
// expectation at test time: a corpus built from every table row (assembled as
// `.inst` words), hand-written source, and a seeded fuzz pass over a raw binary.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode } from '../../../engine/isa/aarch64/decode';
import { disassembleOne, type Symbolizer } from '../../../engine/isa/aarch64/disasm';
import { fieldMask, fields, fieldWidth, type FieldName } from '../../../engine/isa/aarch64/fields';
import { table, type Row } from '../../../engine/isa/aarch64/table';
import { objdumpRaw, objdumpSource, objdumpWords, type OracleLine } from './objdump-oracle';

/** Deterministic pseudo-random 32-bit values (numerical-recipes LCG). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

/** objdump labels every address by the section symbol; addresses arrive as numbers modulo 2^64. */
const sectionSymbolizer = (section: string): Symbolizer => (addr) => {
  if (addr === 0) return section;
  const hex = addr >= 0 ? addr.toString(16) : BigInt.asUintN(64, BigInt(addr)).toString(16);
  return `${section}+0x${hex}`;
};

interface Mismatch {
  readonly insn: string;
  readonly expected: string;
  readonly actual: string;
}

function compare(words: readonly number[], lines: readonly OracleLine[], symbolize: Symbolizer | undefined): Mismatch[] {
  assert.equal(lines.length, words.length, 'objdump printed one line per word');
  const out: Mismatch[] = [];
  lines.forEach((line, i) => {
    assert.equal(line.insn, words[i]! >>> 0);
    assert.equal(line.address, i * 4);
    const actual = disassembleOne(line.insn, line.address, symbolize).text;
    if (actual !== line.text) out.push({ insn: line.insn.toString(16).padStart(8, '0'), expected: line.text, actual });
  });
  return out;
}

function assertNoMismatches(mismatches: readonly Mismatch[]): void {
  const shown = mismatches.slice(0, Number(process.env.SHOW ?? 40)).map((m) => `  ${m.insn}: objdump "${m.expected}", ours "${m.actual}"`);
  assert.equal(mismatches.length, 0, `${mismatches.length} lines differ from objdump:\n${shown.join('\n')}`);
}

// ---- 1. Every table row ---------------------------------------------------------

/** Encodings for one row: each operand field swept over extremes and random values, the rest random. */
function rowCorpus(row: Row, random: () => number): number[] {
  const names = [...new Set(Object.values(row.operands))] as FieldName[];
  const free = (~row.mask) >>> 0;
  const randomFill = (): number => ((row.match | (random() & free)) >>> 0);
  const out: number[] = [];
  for (const f of names) {
    const span = 2 ** fieldWidth(fields[f]);
    const raw = fieldMask(fields[f]);
    for (const pick of [0, 1, 31, span - 1, random(), random()]) {
      // Write the raw field bits so signed and scaled fields sweep their encodings.
      const insn = ((randomFill() & ~raw) | insertRaw(fields[f], pick)) >>> 0;
      out.push(((insn & ~row.mask) | row.match) >>> 0);
    }
  }
  for (let i = 0; i < 8; i++) out.push(randomFill());
  return out.filter((w) => decode(w)?.row === row);
}

/** Field bits for a raw (unscaled, unsigned) value: its low bits scattered into the field's segments. */
function insertRaw(field: (typeof fields)[FieldName], value: number): number {
  let out = 0;
  let at = 0;
  for (const [hi, lo] of [...field.segments].sort((a, b) => a[2] - b[2])) {
    const width = hi - lo + 1;
    out += (Math.floor(value / 2 ** at) % 2 ** width) * 2 ** lo;
    at += width;
  }
  return out >>> 0;
}

test('every table row prints as objdump prints it', () => {
  const random = lcg(2024);
  const words: number[] = [];
  for (const row of table) {
    const corpus = rowCorpus(row, random);
    assert.ok(corpus.length > 0, `corpus reaches ${row.id}`);
    words.push(...corpus);
  }
  assertNoMismatches(compare(words, objdumpWords(words), sectionSymbolizer('.text')));
});

// ---- 2. Hand-written source: the spellings gcc and kernel code use ---------------------------

const handWritten = `
.text
add x0, x1, #16
add x0, sp, #1, lsl #12
adds w0, w1, #4095
cmp x1, #3
cmn w2, #1
add x0, x1, x2, lsr #0
add x0, x1, w2, uxtw #2
add x0, sp, x2, uxtx #0
add w0, wsp, w2, uxtw #1
sub sp, sp, x3, sxtx #3
cmp x0, w1, sxtw
and x0, x1, #0xff
and sp, x2, #0xfffffffffffffff0
orr w0, wzr, #0x3
mov x0, #0x5555555555555555
eor w3, w4, #0x80000000
tst x0, #1
movz x0, #0x10, lsl #16
movn x0, #0
movk x0, #0x1234, lsl #16
movz x5, #0, lsl #32
mov w0, #0xffff0000
adr x0, .
adrp x0, .
ubfx x0, x1, #3, #4
ubfiz w2, w3, #4, #8
sbfx x0, x1, #60, #4
sbfiz x3, x4, #2, #30
bfi x0, x1, #8, #16
bfxil w0, w1, #3, #5
bfc x0, #3, #4
lsl x0, x1, #3
lsr w0, w1, #31
asr x0, x1, #63
uxtb w0, w1
uxth w0, w1
sxtb x0, w1
sxth w0, w1
sxtw x0, w1
extr x0, x1, x2, #3
ror x0, x1, #3
cset w0, eq
csetm x0, hs
cinc w0, w1, ne
cinv x0, x1, lt
cneg w0, w1, mi
csel x0, x1, x2, gt
csinc x0, x1, x2, le
ccmp x0, #3, #4, ne
ccmn w0, w1, #0, eq
mul x0, x1, x2
mneg w0, w1, w2
madd x0, x1, x2, x3
smull x0, w1, w2
umull x0, w1, w2
umaddl x0, w1, w2, x3
smulh x0, x1, x2
umulh x0, x1, x2
udiv w0, w1, w2
sdiv x0, x1, x2
lsl x0, x1, x2
lsr w0, w1, w2
asr x0, x1, x2
ror w0, w1, w2
clz x0, x1
cls w0, w1
rbit x0, x1
rev x0, x1
rev w0, w1
rev16 x0, x1
rev32 x0, x1
neg x0, x1
negs x0, x1, lsl #2
mvn x0, x1
mvn w0, w1, ror #3
bic x0, x1, x2
orn w0, w1, w2, lsl #4
eon x0, x1, x2
adc x0, x1, x2
ngc w0, w1
mov x0, sp
mov sp, x0
mov x0, x1
ldr x0, [x1, #8]
ldr w0, [sp]
ldrb w0, [x1, #4095]
ldrsb x0, [x1, #1]
ldrh w0, [x1, #2]
ldrsh w0, [x1, #-2]!
ldrsw x0, [x1, #4]
strb w0, [x1], #1
strh w0, [x1, #-256]!
ldur x0, [x1, #-3]
stur w0, [x1, #255]
ldr x0, [x1, #-8]!
str x30, [sp, #-16]!
ldr x30, [sp], #16
ldrb w0, [x1, x2, lsl #0]
ldr x0, [x1, x2, lsl #3]
ldr x0, [x1, w2, sxtw]
ldr w0, [x1, w2, uxtw #2]
str x0, [x1, x2]
ldr x0, .
ldr w1, .+8
ldrsw x0, .-4
ldp x29, x30, [sp, #-32]!
ldp x29, x30, [sp], #32
stp x19, x20, [sp, #16]
ldp w0, w1, [x2]
ldpsw x0, x1, [x2, #8]
stnp x0, x1, [x2, #16]
ldr q0, [x0, #16]
str q1, [x0], #32
ldp q0, q1, [x1]
stp q0, q1, [x0, #32]
ldr d0, [x1, #8]
stp d8, d9, [sp, #-16]!
ldur q2, [x1, #-16]
stur d3, [x1, #3]
ldr q0, .
prfm pldl1keep, [x0]
prfm pstl2strm, [x0, #64]
ldxr x0, [x1]
ldxrb w0, [x1]
stxr w2, x0, [x1]
ldaxr w0, [x1]
stlxr w3, w0, [x1]
ldxp x0, x1, [x2]
stxp w3, x0, x1, [x2]
ldar w0, [x1]
stlr x0, [x1]
ldarb w0, [x1]
stlrh w0, [x1]
ldadd x0, x1, [x2]
stadd w0, [x2]
ldaddal w0, w1, [x2]
ldclrl x0, x1, [x2]
ldeora w0, w1, [x2]
ldsetalh w0, w1, [x2]
stsetl x0, [x2]
ldsmax w0, w1, [x2]
ldumin x0, x1, [x2]
swp x0, x1, [x2]
swpal w0, w1, [x2]
swpb w0, w1, [x2]
cas x0, x1, [x2]
casa w0, w1, [x2]
casal x0, x1, [x2]
caslb w0, w1, [x2]
casp x0, x1, x2, x3, [x4]
caspa w4, w5, w6, w7, [sp]
caspl x30, xzr, x28, x29, [x0]
caspal w2, w3, w30, wzr, [x1]
ldtr x0, [x1, #-8]
ldtrsb w2, [sp, #255]
sttrh w3, [x4]
b .
bl .+8
b.ne .
b.eq .-4
b.hs .+16
cbz x0, .
cbnz w1, .+4
tbz w0, #3, .
tbnz x0, #40, .
br x1
blr x2
ret
ret x1
mrs x0, sctlr_el1
mrs x1, mpidr_el1
mrs x2, currentel
mrs x3, cntvct_el0
msr tpidr_el0, x0
msr vbar_el1, x1
msr ttbr0_el1, x2
msr daif, x3
msr daifset, #2
msr daifclr, #0xf
msr spsel, #1
nop
yield
wfe
wfi
sev
sevl
dmb ish
dmb ishld
dsb sy
dsb ishst
isb
svc #0
hvc #0x1
smc #0
brk #1000
eret
dc civac, x0
dc zva, x1
dc cvau, x2
ic iallu
ic ivau, x3
tlbi vmalle1is
tlbi vmalle1
tlbi vae1, x0
tlbi vale1is, x1
tlbi aside1, x2
at s1e1r, x0
mov v0.16b, v1.16b
mov v2.8b, v3.8b
orr v0.8b, v1.8b, v2.8b
dup v0.16b, w1
dup v0.8h, w1
dup v0.4s, w2
dup v0.2d, x1
movi v0.16b, #0
movi v0.2d, #0
movi d0, #0xff00ff
movi v0.4s, #1, lsl #8
movi v0.4s, #1, msl #8
movi v0.8h, #1, lsl #8
movi v0.2s, #0x80
paciasp
autiasp
bti c
clrex
udf #3
`;

test('hand-written source prints as objdump prints it', () => {
  const lines = objdumpSource(handWritten);
  assert.ok(lines.length > 200);
  const mismatches: Mismatch[] = [];
  for (const line of lines) {
    const actual = disassembleOne(line.insn, line.address, sectionSymbolizer('.text')).text;
    if (actual !== line.text) mismatches.push({ insn: line.insn.toString(16), expected: line.text, actual });
    assert.ok(decode(line.insn) !== undefined, `${line.text} decodes`);
  }
  assertNoMismatches(mismatches);
});

// ---- 3. Fuzz -------------------------------------------------------------------------------

/**
 * Lines the fuzz pass may skip: our decoder rejects the word and objdump names
 * an instruction outside the table's subset, recognised by its operands using
 * SVE/SME registers (z, p, za), FP/SIMD registers other than the q/d loads,
 * stores and moves we cover, or by a mnemonic from an extension we leave out.
 */
const foreignOperand = /(^|[\s{[,])(z\d+|p\d+|za|[bhsdqv]\d+(\.\w+)?)(\b|$)/;
const foreignMnemonic = /^(ld|st)(r|u)?[a-z]*(ra[ab]|apr|apur|lur|gm|g|2g|z2g|zg|64b|nf|1|2|3|4|ap|m|gp|xrp|llr)|^(pac|aut|xpac|bra|blra|reta|eret[ab]|retaa|retab|cfinv|axflag|xaflag|rmif|setf|irg|gmi|subp|addg|subg|wfet|wfit|cpy|set|bc\.|sb$|dgh|tcancel|tcommit|tstart|ttest|rcw|ldap|stlur|ldapur|dsb$|smc$|sys$|msr$|mrs$|dc$|ic$|tlbi$|at$|cfp|dvp|cpp|brb|trcit|chkfeat|gcs|prfum|bti|ldg|stg|stzg|st2g|stz2g|dcps|smax|smin|umax|umin|abs$|cnt$|ctz$|addsvl|addspl|addvl|rdvl|rdsvl|[su]q(inc|dec)|(inc|dec|cnt)[bhwd]$)/;

function skippable(m: Mismatch): boolean {
  if (decode(parseInt(m.insn, 16)) !== undefined) return false;
  const [mnemonic = '', operands = ''] = m.expected.split('\t');
  if (mnemonic === '.inst') return false;
  return foreignOperand.test(operands) || foreignMnemonic.test(mnemonic);
}

test('fuzz: 20000 pseudo-random words against objdump on a raw binary', (t) => {
  const random = lcg(0x5eed);
  const words: number[] = [];
  for (let i = 0; i < 20000; i++) {
    let word = random();
    // Most words keep one row's fixed bits, so every opcode group sees traffic.
    if (i % 4 !== 0) {
      const row = table[random() % table.length]!;
      word = (row.match | (word & ~row.mask)) >>> 0;
    }
    words.push(word >>> 0);
  }
  const mismatches = compare(words, objdumpRaw(words), undefined);
  const skipped = mismatches.filter(skippable);
  assertNoMismatches(mismatches.filter((m) => !skippable(m)));
  t.diagnostic(`${words.length} lines compared, ${skipped.length} foreign encodings skipped`);
  assert.ok(skipped.length < words.length / 20, `few foreign encodings skipped (${skipped.length})`);
});
