// Structure loads and stores against qemu-aarch64: every LD1-LD4/ST1-ST4
// (multiple structures, single lanes) and LD1R-LD4R row in every
// arrangement, without offset and post-indexed by the transfer size or a
// register, with register lists that wrap past v31 and addresses aligned to
// the element. Loads compare every register of the list (lanes they do not
// write included), stores the memory around the access, and both the base
// register written back.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode } from '../../../../engine/isa/aarch64/decode';
import { disassembleOne } from '../../../../engine/isa/aarch64/disasm';
import { fields, fieldWidth, insert, type FieldName } from '../../../../engine/isa/aarch64/fields';
import { table, type Row, type Slot } from '../../../../engine/isa/aarch64/table';
import { Lcg, Program, runGroup } from './oracle';

const structureRows = table.filter((r) => r.group === 'simd' && /^(ld|st)\d/.test(r.id));
const FIRST_REGISTERS = [0, 30, 5, 31, 29];

function encodings(row: Row, rng: Lcg): number[] {
  const entries = Object.entries(row.operands) as [Slot, FieldName][];
  const out: number[] = [];
  for (let shape = 0; shape < 8; shape++) {
    for (let k = 0; k < 2; k++) {
      let w = row.match;
      for (const [slot, f] of entries) {
        const width = fieldWidth(fields[f]);
        const value = slot === 'rt' ? FIRST_REGISTERS[(shape + k) % FIRST_REGISTERS.length]! : slot === 'rn' ? 9 : slot === 'rm' ? 10
          : slot === 'q' ? shape & 1 : slot === 'size' ? shape >> 1 : Number(rng.next() % BigInt(2 ** width));
        w = insert(fields[f], w, value);
      }
      if (decode(w >>> 0)?.row === row) out.push(w >>> 0);
    }
  }
  return [...new Set(out)];
}

const hex64 = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;

function group(name: string, select: (r: Row) => boolean, seed: bigint): void {
  test(`${name} against qemu-aarch64`, (t) => {
    const rng = new Lcg(seed);
    const p = new Program(name.replace(/[^a-z0-9]+/g, '-'));
    p.data('  .balign 16', 'pattern:', ...Array.from({ length: 12 }, () => `  .quad ${hex64(rng.next())}`), '  .balign 16', 'buf:', '  .space 128');
    const rows = structureRows.filter(select);
    assert.ok(rows.length > 0);
    let cases = 0;
    for (const row of rows) {
      for (const word of encodings(row, rng)) {
        const d = decode(word)!;
        const text = disassembleOne(word, 0).text.replace('\t', ' ');
        const rt = d.values.rt ?? 0;
        const esize = /\.l([bhsd])/.exec(row.id) ? 1 << 'bhsd'.indexOf(/\.l([bhsd])/.exec(row.id)![1]!) : 1 << (d.values.size ?? 0);
        const offset = Number(rng.next() % BigInt(16 / Math.min(esize, 8))) * Math.min(esize, 8);
        const step = Number(rng.next() % 9n) * 8 - 32;
        const regsData = p.symbol('regs');
        p.data('  .balign 16', `${regsData}:`, ...Array.from({ length: 8 }, () => `  .quad ${hex64(rng.next())}`));
        p.text('ldr x11, =buf', 'ldr x12, =pattern');
        for (let i = 0; i < 96; i += 32) p.text(`ldp q16, q17, [x12, #${i}]`, `stp q16, q17, [x11, #${i}]`);
        p.text(`ldr x13, =${regsData}`);
        for (let i = 0; i < 4; i++) p.text(`ldr q${(rt + i) % 32}, [x13, #${16 * i}]`);
        p.text(`add x9, x11, #${16 + offset}`, `mov x10, #${step}`, text);
        if (row.id.startsWith('ld')) {
          for (let i = 0; i < 4; i++) {
            const r = (rt + i) % 32;
            p.text(`mov x27, v${r}.d[0]`);
            p.save('x27', `${text}: v${r}.d[0]`);
            p.text(`mov x27, v${r}.d[1]`);
            p.save('x27', `${text}: v${r}.d[1]`);
          }
        } else {
          for (let i = 0; i < 96; i += 8) {
            p.text(`ldr x27, [x11, #${i}]`);
            p.save('x27', `${text}: buf+${i}`);
          }
        }
        p.text('sub x27, x9, x11');
        p.save('x27', `${text}: base - buf`);
        cases++;
      }
    }
    runGroup(p);
    t.diagnostic(`${rows.length} rows, ${cases} cases`);
  });
}

group('LD1-LD4 multiple structures', (r) => /^ld\d\.m/.test(r.id), 11n);
group('ST1-ST4 multiple structures', (r) => /^st\d\.m/.test(r.id), 12n);
group('LD1-LD4 single lanes', (r) => /^ld\d\.l/.test(r.id), 13n);
group('ST1-ST4 single lanes', (r) => /^st\d\.l/.test(r.id), 14n);
group('LD1R-LD4R', (r) => /^ld\dr\./.test(r.id), 15n);
