// Every RV64C instruction form against qemu-riscv64, written with explicit
// `c.` mnemonics (gas refuses operands that do not fit, so each really is
// compressed); objdump of the built image confirms every form occurs.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CORNERS, Lcg, Program, hex, runGroup } from './oracle';

const range = (from: number, to: number, step = 1): number[] => {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
};
const nonzero = (xs: number[]): number[] => xs.filter((x) => x !== 0);

/** Counts each compressed mnemonic emitted, to check against objdump. */
class Uses {
  readonly counts = new Map<string, number>();
  note(m: string): string {
    this.counts.set(m, (this.counts.get(m) ?? 0) + 1);
    return m;
  }
}

function compressedGroup(uses: Uses): Program {
  const p = new Program('compressed', true);
  const c = (m: string, operands = ''): void => p.text(`${uses.note(m)} ${operands}`.trim());
  const rng = new Lcg(0x5eed_0004n);

  // Keep the program's sp (qemu-user's stack) to restore at the end.
  p.text('mv s3, sp');

  for (const rd of ['a0', 't6']) {
    for (const imm of range(-32, 31)) {
      c('c.li', `${rd}, ${imm}`);
      p.save(rd, `c.li ${rd}, ${imm}`);
    }
  }
  for (const imm of [...range(1, 31), ...range(0xfffe0, 0xfffff)]) {
    c('c.lui', `s1, 0x${imm.toString(16)}`);
    p.save('s1', `c.lui s1, 0x${imm.toString(16)}`);
  }
  for (const v of [0n, -1n, (1n << 63n) - 1n, 0x7fffffffn, 0xffffffffn]) {
    for (const imm of nonzero(range(-32, 31))) {
      p.li('t5', v);
      c('c.addi', `t5, ${imm}`);
      p.save('t5', `c.addi rd=${hex(v)}, ${imm}`);
    }
  }
  for (const v of [0x7fffffffn, 0x80000000n, -1n, 0x123456789abcdef0n, 0n]) {
    for (const imm of range(-32, 31)) {
      p.li('a3', v);
      c('c.addiw', `a3, ${imm}`);
      p.save('a3', `c.addiw rd=${hex(v)}, ${imm}`);
    }
  }
  // sp arithmetic: c.addi16sp and c.addi4spn from an arbitrary sp value.
  const spValue = 0x12345678abcn;
  for (const imm of nonzero(range(-512, 496, 16))) {
    p.li('sp', spValue);
    c('c.addi16sp', `sp, ${imm}`);
    p.save('sp', `c.addi16sp sp=${hex(spValue)}, ${imm}`);
  }
  p.li('sp', spValue);
  for (const imm of range(4, 1020, 4)) {
    const rd = imm % 8 === 0 ? 'a4' : 's0';
    c('c.addi4spn', `${rd}, sp, ${imm}`);
    p.save(rd, `c.addi4spn ${rd}, sp=${hex(spValue)}, ${imm}`);
  }

  const shiftValues = [0x8000000000000001n, 0x123456789abcdef0n, -1n, rng.next()];
  for (const v of shiftValues) {
    p.li('a5', v);
    for (const s of range(1, 63)) {
      c('c.mv', 't4, a5');
      c('c.slli', `t4, ${s}`);
      p.save('t4', `c.slli rd=${hex(v)}, ${s}`);
      for (const op of ['c.srli', 'c.srai']) {
        c('c.mv', 'a2, a5');
        c(op, `a2, ${s}`);
        p.save('a2', `${op} rd=${hex(v)}, ${s}`);
      }
    }
    for (const imm of range(-32, 31)) {
      c('c.mv', 'a2, a5');
      c('c.andi', `a2, ${imm}`);
      p.save('a2', `c.andi rd=${hex(v)}, ${imm}`);
    }
  }

  const values = [...CORNERS.filter((_, i) => i % 2 === 0), rng.shaped(), rng.shaped()];
  for (const a of values) {
    for (const b of values) {
      p.li('s2', a);
      p.li('a1', b);
      for (const op of ['c.sub', 'c.xor', 'c.or', 'c.and', 'c.subw', 'c.addw']) {
        c('c.mv', 'a0, s2');
        c(op, 'a0, a1');
        p.save('a0', `${op} rd=${hex(a)}, rs2=${hex(b)}`);
      }
      c('c.mv', 't3, s2');
      c('c.add', 't3, a1');
      p.save('t3', `c.add rd=${hex(a)}, rs2=${hex(b)}`);
    }
  }

  // Loads and stores, sp-relative and register-relative, over each offset field.
  p.data('  .balign 4096', 'cbuf:');
  for (let i = 0; i < 160; i++) p.data(`  .dword ${hex(rng.next())}`);
  p.text('lla sp, cbuf', 'lla s1, cbuf');
  for (const off of range(0, 252, 4)) {
    c('c.lwsp', `t1, ${off}(sp)`);
    p.save('t1', `c.lwsp t1, ${off}(sp=cbuf)`);
  }
  for (const off of range(0, 504, 8)) {
    c('c.ldsp', `t1, ${off}(sp)`);
    p.save('t1', `c.ldsp t1, ${off}(sp=cbuf)`);
  }
  for (const off of range(0, 124, 4)) {
    c('c.lw', `a4, ${off}(s1)`);
    p.save('a4', `c.lw a4, ${off}(s1=cbuf)`);
  }
  for (const off of range(0, 248, 8)) {
    c('c.ld', `a4, ${off}(s1)`);
    p.save('a4', `c.ld a4, ${off}(s1=cbuf)`);
  }
  // Misaligned bases: the offsets are scaled, but the base register need not be aligned.
  p.text('addi s1, s1, 3', 'addi sp, sp, 1');
  c('c.lw', 'a4, 4(s1)');
  p.save('a4', 'c.lw a4, 4(s1=cbuf+3)');
  c('c.ld', 'a4, 8(s1)');
  p.save('a4', 'c.ld a4, 8(s1=cbuf+3)');
  c('c.lwsp', 't1, 4(sp)');
  p.save('t1', 'c.lwsp t1, 4(sp=cbuf+1)');
  c('c.ldsp', 't1, 8(sp)');
  p.save('t1', 'c.ldsp t1, 8(sp=cbuf+1)');
  p.text('lla sp, cbuf+512', 'lla s1, cbuf+1024');
  const stores: [string, string, number, number, string][] = [
    ['c.swsp', 'sp', 4, 252, 'cbuf+512'], ['c.sdsp', 'sp', 8, 504, 'cbuf+512'],
    ['c.sw', 's1', 4, 124, 'cbuf+1024'], ['c.sd', 's1', 8, 248, 'cbuf+1024'],
  ];
  for (const [op, base, step, max, where] of stores) {
    for (const off of [0, step, 2 * step, max - step, max]) {
      const v = rng.next();
      p.li('a5', v);
      c(op, `a5, ${off}(${base})`);
      const dword = off - (off % 8);
      p.text(`ld a2, ${dword}(${base})`);
      p.save('a2', `${op} ${hex(v)}, ${off}(${base}=${where}): dword at +${dword} after`);
    }
  }

  // Branches on a single register, forward and backward.
  for (const v of [0n, 1n, -1n, 0x100000000n, -(1n << 63n), 0x80000000n]) {
    p.li('a3', v);
    for (const op of ['c.beqz', 'c.bnez']) {
      const taken = p.label('tk');
      p.text('li a2, 0');
      c(op, `a3, ${taken}`);
      p.text('addi a2, a2, 1', `${taken}:`);
      p.save('a2', `${op} rs1=${hex(v)} forward (0 taken, 1 not)`);
      const back = p.label('bk'), at = p.label('br'), end = p.label('end');
      p.text('li a2, 0');
      c('c.j', at);
      p.text(`${back}:`, 'addi a2, a2, 10');
      c('c.j', end);
      p.text(`${at}:`);
      c(op, `a3, ${back}`);
      p.text('addi a2, a2, 1', `${end}:`);
      p.save('a2', `${op} rs1=${hex(v)} backward (10 taken, 1 not)`);
    }
  }
  // c.jr and c.jalr (link = pc + 2), c.nop, and c.mv/c.add with x0-adjacent registers.
  for (const [op, rd] of [['c.jr', undefined], ['c.jalr', 'ra']] as const) {
    const target = p.label('jt'), end = p.label('je'), ret = p.symbol('cj_ret');
    p.text('li a2, 0', `lla t2, ${target}`);
    c(op, 't2');
    p.text(`${ret}:`, 'addi a2, a2, 1', `j ${end}`, `${target}:`, 'addi a2, a2, 10', `${end}:`);
    p.save('a2', `${op} t2: path (10 = target)`);
    if (rd) p.save(rd, `${op} t2: link`, { rel: ret });
  }
  p.li('a2', 0x5a5an);
  c('c.nop');
  p.save('a2', 'c.nop leaves a2');
  p.li('t0', 0xfedcba9876543210n);
  c('c.mv', 'ra, t0');
  p.save('ra', 'c.mv ra, t0');
  c('c.add', 'ra, ra');
  p.save('ra', 'c.add ra, ra');
  p.text('mv sp, s3');
  return p;
}

/** Compressed mnemonics objdump shows in the image, with their counts (c.nop by encoding). */
function compressedCounts(disassembly: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of disassembly.split('\n')) {
    const m = /^ *[0-9a-f]+:\t([0-9a-f]{4}) +\t(c\.[a-z0-9]+)/.exec(line);
    if (!m) continue;
    const name = m[1] === '0001' ? 'c.nop' : m[2]!;
    out.set(name, (out.get(name) ?? 0) + 1);
  }
  return out;
}

const REQUIRED = [
  'c.addi16sp', 'c.addi4spn', 'c.lwsp', 'c.ldsp', 'c.swsp', 'c.sdsp', 'c.lw', 'c.ld', 'c.sw', 'c.sd',
  'c.srli', 'c.srai', 'c.andi', 'c.sub', 'c.xor', 'c.or', 'c.and', 'c.subw', 'c.addw',
  'c.beqz', 'c.bnez', 'c.j', 'c.jr', 'c.jalr', 'c.mv', 'c.add', 'c.lui', 'c.li', 'c.addi', 'c.addiw', 'c.slli', 'c.nop',
];

describe('riscv64 compressed instructions against qemu-riscv64', () => {
  it('every RV64C form, confirmed compressed by objdump', () => {
    const uses = new Uses();
    runGroup(compressedGroup(uses), ({ built }) => {
      const found = compressedCounts(built.disassembly());
      for (const m of REQUIRED) {
        const want = uses.counts.get(m) ?? 0;
        assert.ok(want > 0, `the generator emits no ${m}`);
        const got = found.get(m) ?? 0;
        assert.ok(got >= want, `${m}: objdump finds ${got} in the image, the generator emitted ${want}`);
      }
    });
  });
});
