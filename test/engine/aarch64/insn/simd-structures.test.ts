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

// ---- Faults part way through an access ---------------------------------------------------

/**
 * Accesses that run into unmapped memory: under qemu-aarch64 the page after
 * an mmap'ed one is PROT_NONE and a SIGSEGV handler steps over the
 * instruction; on our core the access runs past the end of RAM and the EL1
 * vector steps over it. The registers (loads), the bytes before the boundary
 * (stores) and the base register (post-index forms must not write it back)
 * must be what QEMU leaves.
 */
const FAULTING = [
  'ld1 {v0.16b-v3.16b}, [x9]', 'ld1 {v0.2d, v1.2d}, [x9], #32', 'ld1 {v0.8b-v2.8b}, [x9], x10', 'ld2 {v0.8h, v1.8h}, [x9]',
  'ld3 {v0.4s-v2.4s}, [x9], #48', 'ld4 {v0.16b-v3.16b}, [x9]', 'ld4 {v30.4h, v31.4h, v0.4h, v1.4h}, [x9]', 'ld2 {v0.s, v1.s}[1], [x9], #8',
  'ld4r {v0.8h-v3.8h}, [x9]', 'st1 {v0.16b-v3.16b}, [x9]', 'st1 {v0.4s-v2.4s}, [x9], #48', 'st2 {v0.4s, v1.4s}, [x9]',
  'st3 {v0.8b-v2.8b}, [x9], x10', 'st4 {v0.2d-v3.2d}, [x9]', 'st4 {v31.h, v0.h, v1.h, v2.h}[5], [x9], #8',
];

test('structure accesses that fault part way leave what qemu-aarch64 leaves', () => {
  const rng = new Lcg(16n);
  const p = new Program('structure-faults');
  p.data('  .balign 16', 'fill:', ...Array.from({ length: 16 }, () => `  .quad ${hex64(rng.next())}`));
  p.text(
    '#ifdef BARE',
    // The end of RAM; the EL1 vector for synchronous exceptions steps over the instruction.
    'mov x20, #0x41000000',
    'adr x0, vectors',
    'msr vbar_el1, x0',
    'isb',
    'b 2f',
    '.balign 2048',
    'vectors:',
    '.skip 0x200',
    'mrs x17, elr_el1',
    'add x17, x17, #4',
    'msr elr_el1, x17',
    'eret',
    '.balign 2048',
    '2:',
    '#else',
    // Two pages, the second one inaccessible; x20 is the boundary.
    'mov x0, #0', 'mov x1, #8192', 'mov x2, #3', 'mov x3, #0x22', 'mov x4, #-1', 'mov x5, #0', 'mov x8, #222', 'svc #0',
    'add x20, x0, #4096', 'mov x0, x20', 'mov x1, #4096', 'mov x2, #0', 'mov x8, #226', 'svc #0',
    // rt_sigaction(SIGSEGV, {handler, SA_SIGINFO}, 0, 8): the handler adds 4 to the saved pc.
    'sub sp, sp, #32', 'mov x1, sp', 'adr x0, 4f', 'str x0, [x1]', 'mov x0, #4', 'str x0, [x1, #8]', 'str xzr, [x1, #16]', 'str xzr, [x1, #24]',
    'mov x0, #11', 'mov x2, #0', 'mov x3, #8', 'mov x8, #134', 'svc #0',
    'add sp, sp, #32',
    'b 5f',
    '4: ldr x9, [x2, #440]',
    'add x9, x9, #4',
    'str x9, [x2, #440]',
    'ret',
    '5:',
    '#endif',
  );
  for (const insn of FAULTING) {
    for (const before of [8, 24, 40]) {
      const store = insn.startsWith('st');
      const regs = [...new Set([...insn.matchAll(/v(\d+)/g)].map((m) => Number(m[1])))];
      const first = regs[0]!;
      const count = /\{v\d+\.\w+-v/.test(insn) ? (regs[1]! - first + 32) % 32 + 1 : regs.length;
      const list = Array.from({ length: count }, (_, i) => (first + i) % 32);
      p.text('ldr x11, =fill');
      for (let i = 0; i < 64; i += 32) p.text(`ldp q16, q17, [x11, #${i}]`, `stp q16, q17, [x20, #-${64 - i}]`);
      list.forEach((r, i) => p.text(`ldr q${r}, [x11, #${(i * 16 + 64) % 128}]`));
      p.text(`sub x9, x20, #${before}`, 'mov x10, #16', insn);
      if (store) {
        for (let i = 0; i < 64; i += 8) {
          p.text(`ldr x27, [x20, #-${64 - i}]`);
          p.save('x27', `${insn} at end-${before}: end-${64 - i}`);
        }
      } else {
        for (const r of list) {
          p.text(`mov x27, v${r}.d[0]`);
          p.save('x27', `${insn} at end-${before}: v${r}.d[0]`);
          p.text(`mov x27, v${r}.d[1]`);
          p.save('x27', `${insn} at end-${before}: v${r}.d[1]`);
        }
      }
      p.text('sub x27, x20, x9');
      p.save('x27', `${insn} at end-${before}: end - base`);
    }
  }
  runGroup(p);
});
