// RV64I/M integer instructions against qemu-riscv64: every register-register
// operation (with the W forms) on corner and LCG operand pairs, every
// immediate form, every shift amount, lui/auipc, and register aliasing.

import { describe, it } from 'node:test';
import { CORNERS, Lcg, Program, hex, runGroup } from './oracle';

const REG_OPS = [
  'add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and',
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu',
  'addw', 'subw', 'sllw', 'srlw', 'sraw', 'mulw', 'divw', 'divuw', 'remw', 'remuw',
] as const;
const IMM_OPS = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw'] as const;

function pairs(seed: bigint, extra: number): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  for (const a of CORNERS) for (const b of CORNERS) out.push([a, b]);
  const rng = new Lcg(seed);
  for (let i = 0; i < extra; i++) out.push([rng.shaped(), rng.shaped()]);
  // Corner against random, both ways, so each corner meets ordinary values too.
  for (const c of CORNERS) {
    const r = rng.shaped();
    out.push([c, r], [r, c]);
  }
  return out;
}

function regRegGroup(): Program {
  const p = new Program('regreg', false);
  for (const [a, b] of pairs(0x5eed_0001n, 24)) {
    p.li('a0', a);
    p.li('a1', b);
    for (const op of REG_OPS) {
      p.text(`${op} a2, a0, a1`);
      p.save('a2', `${op} rs1=${hex(a)} rs2=${hex(b)}`);
    }
  }
  // Aliasing: rd = rs1, rd = rs2, rs1 = rs2, x0 as a source and as rd.
  const alias: [bigint, bigint][] = [[0x123456789abcdef0n, -7n], [-(1n << 63n), -1n]];
  for (const [a, b] of alias) {
    for (const op of REG_OPS) {
      const w = `rs1=${hex(a)} rs2=${hex(b)}`;
      p.li('a0', a); p.li('a1', b);
      p.text(`${op} a0, a0, a1`);
      p.save('a0', `${op} rd=rs1 ${w}`);
      p.li('a0', a); p.li('a1', b);
      p.text(`${op} a1, a0, a1`);
      p.save('a1', `${op} rd=rs2 ${w}`);
      p.li('a0', a);
      p.text(`${op} a2, a0, a0`);
      p.save('a2', `${op} rs1=rs2=${hex(a)}`);
      p.text(`${op} a0, a0, a0`);
      p.save('a0', `${op} rd=rs1=rs2=${hex(a)}`);
      p.li('a1', b);
      p.text(`${op} a2, zero, a1`);
      p.save('a2', `${op} rs1=x0 rs2=${hex(b)}`);
      p.li('a0', a);
      p.text(`${op} a2, a0, zero`);
      p.save('a2', `${op} rs1=${hex(a)} rs2=x0`);
      p.li('a0', a); p.li('a1', b);
      p.text(`${op} zero, a0, a1`);
      p.save('zero', `${op} rd=x0 ${w} (x0 must stay 0)`);
    }
  }
  return p;
}

const IMMEDIATES: readonly number[] = [0, 1, -1, 2, -2, 2047, -2048, 0x555, -0x555, 1024, -1024, 31, -32];
const SHIFT_VALUES: readonly bigint[] = [
  0x8000000000000001n, -1n, 0x123456789abcdef0n, 0xfedcba9876543210n, 0x80000000n, 1n,
  (1n << 63n) - 1n, 0xffffffffn, 0x7fffffffn, 0x00000000c0000003n,
];
/** Register shift amounts beyond the field: the ISA uses only the low 6 (or 5) bits. */
const WIDE_AMOUNTS: readonly bigint[] = [64n, 65n, 127n, 133n, -1n, -64n, 0x123456789abcdef3n, 0x100000020n, 0xffffffe1n];

function immShiftGroup(): Program {
  const p = new Program('immshift', false);
  const rng = new Lcg(0x5eed_0002n);
  const values = [...CORNERS, ...Array.from({ length: 6 }, () => rng.shaped())];
  const imms = [...IMMEDIATES, ...Array.from({ length: 4 }, () => Number(BigInt.asIntN(12, rng.next())))];
  for (const a of values) {
    p.li('a0', a);
    for (const op of IMM_OPS) {
      for (const imm of imms) {
        p.text(`${op} a2, a0, ${imm}`);
        p.save('a2', `${op} rs1=${hex(a)} imm=${imm}`);
      }
    }
  }
  const shiftValues = [...SHIFT_VALUES, rng.next(), rng.next()];
  for (const a of shiftValues) {
    p.li('a0', a);
    for (let s = 0; s < 64; s++) {
      for (const op of ['slli', 'srli', 'srai']) {
        p.text(`${op} a2, a0, ${s}`);
        p.save('a2', `${op} rs1=${hex(a)} shamt=${s}`);
      }
    }
    for (let s = 0; s < 32; s++) {
      for (const op of ['slliw', 'srliw', 'sraiw']) {
        p.text(`${op} a2, a0, ${s}`);
        p.save('a2', `${op} rs1=${hex(a)} shamt=${s}`);
      }
    }
    for (const amount of [...Array.from({ length: 64 }, (_, i) => BigInt(i)), ...WIDE_AMOUNTS]) {
      p.li('a1', amount);
      for (const op of ['sll', 'srl', 'sra', 'sllw', 'srlw', 'sraw']) {
        if (op.endsWith('w') && amount >= 32n && amount < 64n && amount % 3n !== 0n) continue;
        p.text(`${op} a2, a0, a1`);
        p.save('a2', `${op} rs1=${hex(a)} rs2=${hex(amount)}`);
      }
    }
  }
  // Immediate forms aliased onto their source, and x0 as a source.
  for (const op of [...IMM_OPS, 'slli', 'srai', 'srliw', 'sraiw']) {
    p.li('a0', 0x80000000fffff800n);
    p.text(`${op} a0, a0, 7`);
    p.save('a0', `${op} rd=rs1=0x80000000fffff800 imm=7`);
    p.text(`${op} a2, zero, 7`);
    p.save('a2', `${op} rs1=x0 imm=7`);
  }
  // lui and auipc over the 20-bit range; auipc compares relative to its own address.
  const uimms = [0, 1, 0x7ffff, 0x80000, 0xfffff, 0x12345, 0xabcde, 0x80001, 0x7fffe, 0x800, 0xff800,
    ...Array.from({ length: 8 }, () => Number(rng.next() & 0xfffffn))];
  for (const u of uimms) {
    p.text(`lui a2, 0x${u.toString(16)}`);
    p.save('a2', `lui imm=0x${u.toString(16)}`);
    const at = p.symbol('auipc');
    p.text(`${at}:`, `auipc a2, 0x${u.toString(16)}`);
    p.save('a2', `auipc imm=0x${u.toString(16)} (minus its pc)`, { rel: at });
  }
  return p;
}

describe('riscv64 integer instructions against qemu-riscv64', () => {
  it('register-register RV64I/M (and W forms) on corner and LCG pairs', () => {
    runGroup(regRegGroup());
  });
  it('immediate forms, every shift amount, lui/auipc', () => {
    runGroup(immShiftGroup());
  });
});
