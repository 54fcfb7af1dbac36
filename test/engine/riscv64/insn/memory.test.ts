// Loads and stores of every width and signedness against qemu-riscv64, at
// aligned and misaligned addresses, inside a page and across a page boundary
// (qemu-user completes misaligned accesses; so must we), through positive and
// negative immediates and misaligned base registers.

import { describe, it } from 'node:test';
import { Lcg, Program, hex, runGroup } from './oracle';

const LOADS = ['lb', 'lbu', 'lh', 'lhu', 'lw', 'lwu', 'ld'] as const;
const STORES: readonly [string, number, string][] = [['sb', 1, 'lbu'], ['sh', 2, 'lhu'], ['sw', 4, 'lwu'], ['sd', 8, 'ld']];
const BUFFER = 8192;
const SLACK = 64;

/** Byte offsets into a two-page buffer: around its start, mid-page, and across the page boundary at 4096. */
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const LOAD_OFFSETS = [...range(0, 16), ...range(1021, 1027), ...range(2045, 2050), ...range(4083, 4100), ...range(6142, 6146), 8180, 8183];
const STORE_OFFSETS = [...range(0, 9), ...range(2045, 2049), ...range(4085, 4100), 6143];

/** Base registers at buffer + 0, 4096 and 6144, so every offset is a 12-bit immediate from one of them. */
const BASES: readonly [string, number][] = [['s8', 0], ['s9', 4096], ['s10', 6144]];

function baseFor(off: number): [string, number] {
  for (const [reg, at] of BASES) if (off - at >= -2048 && off - at <= 2047) return [reg, off - at];
  throw new RangeError(`no base register reaches offset ${off}`);
}

function pattern(p: Program, name: string, rng: Lcg): void {
  p.data('  .balign 4096', `${name}:`);
  for (let i = 0; i < (BUFFER + SLACK) / 8; i++) p.data(`  .dword ${hex(rng.next())}`);
}

function setBases(p: Program, buffer: string): void {
  p.text(`lla s8, ${buffer}`, 'li t0, 4096', 'add s9, s8, t0', 'li t0, 6144', 'add s10, s8, t0');
}

function memoryGroup(): Program {
  // No block breaks: long straight runs of accesses fill whole translated blocks.
  const p = new Program('memory', false, 0);
  const rng = new Lcg(0x5eed_0003n);
  pattern(p, 'ldbuf', rng);
  pattern(p, 'stbuf', rng);

  setBases(p, 'ldbuf');
  for (const off of LOAD_OFFSETS) {
    const [base, imm] = baseFor(off);
    for (const op of LOADS) {
      p.text(`${op} a2, ${imm}(${base})`);
      p.save('a2', `${op} ldbuf+${off} (${imm}(${base}))`);
    }
    // The same address from a misaligned base register and a negative immediate.
    const [b5, i5] = baseFor(off + 5);
    p.text(`addi t1, ${b5}, ${i5}`);
    for (const op of LOADS) {
      p.text(`${op} a2, -5(t1)`);
      p.save('a2', `${op} ldbuf+${off} (-5 from ldbuf+${off + 5})`);
    }
  }
  // rd = rs1, and x0 as rd.
  p.text('addi t1, s9, -3', 'ld t1, 0(t1)');
  p.save('t1', 'ld t1, 0(t1) with t1 = ldbuf+4093');
  p.text('lw zero, 1(s8)');
  p.save('zero', 'lw x0, ldbuf+1 (x0 must stay 0)');

  setBases(p, 'stbuf');
  for (const [op, size, reload] of STORES) {
    for (const off of STORE_OFFSETS) {
      const value = rng.next();
      const [base, imm] = baseFor(off);
      p.li('a1', value);
      p.text(`${op} a1, ${imm}(${base})`);
      const what = `${op} ${hex(value)} to stbuf+${off}`;
      // The aligned dwords that hold the stored bytes, then the value read back.
      const first = off - (off % 8);
      for (let d = first; d < off + size; d += 8) {
        const [b, i] = baseFor(d);
        p.text(`ld a2, ${i}(${b})`);
        p.save('a2', `${what}: dword stbuf+${d} after`);
      }
      p.text(`${reload} a2, ${imm}(${base})`);
      p.save('a2', `${what}: ${reload} back`);
    }
  }
  // Stores of x0 and from a misaligned base register with a negative immediate.
  p.text('addi t1, s9, 3', 'sd zero, -6(t1)', 'ld a2, -8(s9)');
  p.save('a2', 'sd x0 to stbuf+4093: dword stbuf+4088 after');
  p.text('ld a2, 0(s9)');
  p.save('a2', 'sd x0 to stbuf+4093: dword stbuf+4096 after');
  // Copy loops (each a translated self-loop) across the page boundary: bytes
  // from ldbuf+4000 to stbuf+4001, then misaligned dwords to stbuf+6147.
  p.text('addi a0, s8, 2047', 'addi a0, a0, 2047', 'addi a0, a0, -94', 'lla a1, ldbuf', 'addi a1, a1, 2000', 'addi a1, a1, 2000');
  p.text('li a2, 200', '1:', 'lb t0, 0(a1)', 'sb t0, 1(a0)', 'addi a0, a0, 1', 'addi a1, a1, 1', 'addi a2, a2, -1', 'bnez a2, 1b');
  p.text('addi a0, s10, 3', 'lla a1, ldbuf', 'addi a1, a1, 2000', 'addi a1, a1, 2037', 'li a2, 16', '2:', 'ld t0, 0(a1)', 'sd t0, 0(a0)', 'addi a0, a0, 8', 'addi a1, a1, 8', 'addi a2, a2, -1', 'bnez a2, 2b');
  for (let d = 3992; d < 4216; d += 8) {
    const [b, i] = baseFor(d);
    p.text(`ld a2, ${i}(${b})`);
    p.save('a2', `after the byte copy loop: dword stbuf+${d}`);
  }
  for (let d = 6144; d < 6160 + 128; d += 8) {
    const [b, i] = baseFor(d);
    p.text(`ld a2, ${i}(${b})`);
    p.save('a2', `after the dword copy loop: dword stbuf+${d}`);
  }
  // Everything around the touched areas, to catch stray bytes.
  for (const [from, to] of [[0, 48], [2032, 2064], [4064, 4128], [6128, 6160]] as const) {
    for (let d = from; d < to; d += 8) {
      const [b, i] = baseFor(d);
      p.text(`ld a2, ${i}(${b})`);
      p.save('a2', `final dword stbuf+${d}`);
    }
  }
  return p;
}

describe('riscv64 loads and stores against qemu-riscv64', () => {
  it('every width and signedness, aligned, misaligned and across a page', () => {
    runGroup(memoryGroup());
  });
});
