// System register and operation names against GNU binutils: every MRS, MSR
// (register), SYS and SYSL encoding disassembles as objdump prints it, every
// name gas takes assembles to gas's word, and the names kept for printing only
// are ones gas refuses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleAarch64 } from '../../../engine/isa/aarch64/asm';
import { disassembleOne } from '../../../engine/isa/aarch64/disasm';
import { sysregByName, sysregName, sysregNames } from '../../../engine/isa/aarch64/sysregs';
import { assertSameImage, gasLink } from './asm-oracle';
import { objdumpRaw } from './objdump-oracle';
import { requireCommands } from '../../../scripts/external-tools.mjs';

requireCommands('aarch64-linux-gnu-objdump', 'aarch64-linux-gnu-as', 'aarch64-linux-gnu-ld');

const BASE = 0x40080000;
const MRS = 0xd5300000;
const MSR = 0xd5100000;

/** Every MRS and MSR (register) word with Rt = 0: op0 2-3 and all of op1, CRn, CRm, op2. */
const sweep: number[] = [];
for (const base of [MRS, MSR]) for (let sysreg = 0x8000; sysreg < 0x10000; sysreg++) sweep.push((base | (sysreg << 5)) >>> 0);

test('every MRS and MSR encoding disassembles as objdump prints it', () => {
  const oracle = objdumpRaw(sweep);
  assert.equal(oracle.length, sweep.length, 'objdump lists every word');
  const problems: string[] = [];
  oracle.forEach((line, i) => {
    assert.equal(line.insn, sweep[i], `objdump line ${i} is word ${i}`);
    const ours = disassembleOne(line.insn, line.address).text;
    if (ours !== line.text) problems.push(`${line.insn.toString(16).padStart(8, '0')}: objdump \`${line.text}\`, we \`${ours}\``);
  });
  assert.equal(problems.length, 0, `${problems.length} of ${sweep.length} differ:\n  ${problems.slice(0, 60).join('\n  ')}`);
});

test('every SYS and SYSL encoding, with Rt 0 and 31, disassembles as objdump prints it', () => {
  const words: number[] = [];
  for (const l of [0, 1]) for (const rt of [0, 31]) for (let op = 0; op < 1 << 14; op++) words.push((0xd5080000 | (l << 21) | (op << 5) | rt) >>> 0);
  const oracle = objdumpRaw(words);
  assert.equal(oracle.length, words.length, 'objdump lists every word');
  const problems = oracle.filter((line) => disassembleOne(line.insn, line.address).text !== line.text)
    .map((line) => `${line.insn.toString(16).padStart(8, '0')}: objdump \`${line.text}\`, we \`${disassembleOne(line.insn, line.address).text}\``);
  assert.equal(problems.length, 0, `${problems.length} of ${words.length} differ:\n  ${problems.slice(0, 60).join('\n  ')}`);
});

test('no two names share an encoding or a spelling', () => {
  assert.equal(new Set(sysregNames.values()).size, sysregNames.size);
  for (const [value, name] of sysregNames) assert.equal(sysregByName.get(name), value, name);
});

test('every name gas takes assembles to gas\'s word, in MRS and in MSR', () => {
  const lines = ['_start:'];
  for (const [name] of sysregByName) lines.push(`mrs x3, ${name}`, `msr ${name}, x4`, `MRS X5, ${name.toUpperCase()}`);
  const source = `${lines.join('\n')}\n`;
  const gas = gasLink([{ source, base: BASE }])[0]!;
  assert.ok(gas.image, gas.stderr);
  const result = assembleAarch64(source, { fileName: 'sysregs.S', base: BASE });
  const problems = result.errors.slice(0, 40).map((e) => `  line ${e.line}: ${lines[e.line - 1]}: ${e.message}`);
  assert.equal(result.errors.length, 0, `${result.errors.length} lines fail:\n${problems.join('\n')}`);
  assertSameImage('sysregs', source, result.program!, gas.image);
  // gas warns where MRS names a write-only register or MSR a read-only one.
  const theirs = [...gas.stderr.matchAll(/\.S:(\d+): Warning: (.*) at operand \d/g)].map((m) => `${m[1]}: ${m[2]}`);
  const ours = result.warnings.map((w) => `${w.line}: ${w.message}`);
  assert.ok(theirs.length > 200, `gas warns ${theirs.length} times`);
  assert.deepEqual(ours, theirs);
});

test('names kept for printing only are ones gas refuses, and so does the assembler', () => {
  const printedOnly: string[] = [];
  for (const word of sweep) {
    const sysreg = (word >>> 5) & 0xffff;
    const name = sysregName(sysreg, word === (MSR | (sysreg << 5)) >>> 0);
    const generic = /^s[23]_\d_c\d+_c\d+_\d$/.test(name);
    if (!generic && !sysregByName.has(name) && !printedOnly.includes(name)) printedOnly.push(name);
  }
  assert.ok(printedOnly.length > 0, 'some names are printed only');
  const lines = printedOnly.map((name) => `mrs x0, ${name}`);
  const source = `${lines.join('\n')}\n`;
  const gas = gasLink([{ source, base: BASE }])[0]!;
  const accepted = lines.filter((_, i) => !gas.errorLines.has(i + 1));
  assert.deepEqual(accepted, [], 'gas assembles these, so the assembler should too');
  const ours = assembleAarch64(source, { fileName: 'printed-only.S', base: BASE });
  assert.deepEqual([...new Set(ours.errors.map((e) => e.line))].sort((a, b) => a - b), lines.map((_, i) => i + 1));
});
