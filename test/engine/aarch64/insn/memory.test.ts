// Loads and stores against qemu-aarch64: every size and sign extension in
// every addressing mode (unsigned offset, unscaled, register offset with
// each extend and shift, pre/post-index), literals, pairs, and the SIMD&FP
// forms with MOVI, DUP and ORR (MOV) moves. Accesses are aligned: the bare
// image runs with the MMU off, where data accesses are Device memory.

import { test } from 'node:test';
import { Program, runGroup } from './oracle';

/** 128 bytes of distinct data at `buf` and a scratch area at `scratch`. */
function withData(p: Program): void {
  const bytes: string[] = [];
  for (let i = 0; i < 128; i++) bytes.push(`0x${((i * 37 + 0x81) & 0xff).toString(16)}`);
  p.data('  .balign 16', 'buf:', `  .byte ${bytes.join(', ')}`, '  .balign 16', 'scratch:', '  .space 256');
}

test('single-register loads and stores in every addressing mode', () => {
  const p = new Program('ldst');
  withData(p);
  p.text('adr x10, buf', 'adr x11, scratch');
  const loads = [
    ['ldrb', 'w', 1], ['ldrsb', 'w', 1], ['ldrsb', 'x', 1], ['ldrh', 'w', 2], ['ldrsh', 'w', 2], ['ldrsh', 'x', 2],
    ['ldr', 'w', 4], ['ldrsw', 'x', 4], ['ldr', 'x', 8],
  ] as const;
  for (const [m, r, size] of loads) {
    for (const off of [0, size, 8 * size, 3 * size]) {
      p.text(`${m} ${r}3, [x10, #${off}]`);
      p.save('x3', `${m} ${r} [#${off}]`);
    }
    const um = m.replace('ldr', 'ldur');
    for (const off of [-size, 2 * size, 3 * size]) {
      p.text('add x12, x10, #32', `${um} ${r}3, [x12, #${off}]`);
      p.save('x3', `${um} ${r} [#${off}]`);
    }
    p.text('mov x13, #8', 'mov x14, #-8');
    for (const idx of ['x13', 'x13, lsl #' + Math.log2(size), 'w13, uxtw', 'w14, sxtw', 'x13, sxtx', `w13, uxtw #${Math.log2(size)}`]) {
      p.text('add x12, x10, #16', `${m} ${r}3, [x12, ${idx}]`);
      p.save('x3', `${m} ${r} [x12, ${idx}]`);
    }
    p.text('mov x12, x10', `${m} ${r}3, [x12, #${size}]!`);
    p.save('x3', `${m} pre`);
    p.text('sub x12, x12, x10');
    p.save('x12', `${m} pre writeback`);
    p.text('mov x12, x10', `${m} ${r}3, [x12], #${4 * size}`);
    p.save('x3', `${m} post`);
    p.text('sub x12, x12, x10');
    p.save('x12', `${m} post writeback`);
  }
  const stores = [['strb', 'w', 1], ['strh', 'w', 2], ['str', 'w', 4], ['str', 'x', 8]] as const;
  p.li('x5', 0x8899aabbccddeeffn);
  for (const [m, r, size] of stores) {
    p.text('stp xzr, xzr, [x11]', 'stp xzr, xzr, [x11, #16]', `${m} ${r}5, [x11, #${size}]`, `${m.replace('str', 'stur')} ${r}5, [x11, #${3 * size}]`);
    p.text('mov x13, #2', `${m} ${r}5, [x11, x13, lsl #${Math.log2(size)}]`);
    p.text('ldp x3, x4, [x11]', 'ldp x6, x7, [x11, #16]');
    p.save('x3', `${m} words 0`);
    p.save('x4', `${m} words 1`);
    p.save('x6', `${m} words 2`);
    p.save('x7', `${m} words 3`);
    p.text('mov x12, x11', `${m} ${r}5, [x12, #${size}]!`, `${m} ${r}5, [x12], #${size}`, 'sub x12, x12, x11', 'ldr x3, [x11]');
    p.save('x12', `${m} pre/post writeback`);
    p.save('x3', `${m} pre/post data`);
  }
  p.text('str xzr, [x11]', 'strb wzr, [x11, #1]');
  p.text('ldr x3, [x11]');
  p.save('x3', 'stores of zr');
  // Literal loads.
  const lit = p.symbol('lit');
  p.text(`ldr x3, ${lit}`, `ldr w4, ${lit}`, `ldrsw x5, ${lit}`);
  p.save('x3', 'ldr x literal');
  p.save('x4', 'ldr w literal');
  p.save('x5', 'ldrsw literal');
  p.text(`prfm pldl1keep, ${lit}`, 'prfm pstl2strm, [x10, #64]');
  const after = p.label('lit');
  p.text(`b ${after}`, '.balign 8', `${lit}:`, '.quad 0x80000001fedcba98', `${after}:`);
  // SP as base, with pre-index and a 16-byte aligned stack.
  p.text('mov x9, sp', 'str x5, [sp, #-16]!', 'ldr x3, [sp], #16', 'sub x4, sp, x9');
  p.save('x3', 'sp pre/post');
  p.save('x4', 'sp restored');
  runGroup(p);
});

test('pairs: ldp/stp/ldpsw/ldnp/stnp, w and x, offset and writeback', () => {
  const p = new Program('pairs');
  withData(p);
  p.text('adr x10, buf', 'adr x11, scratch');
  for (const [r, size] of [['w', 4], ['x', 8]] as const) {
    for (const off of [0, size * 2, -size * 2]) {
      p.text('add x12, x10, #32', `ldp ${r}3, ${r}4, [x12, #${off}]`);
      p.save('x3', `ldp ${r} #${off} first`);
      p.save('x4', `ldp ${r} #${off} second`);
    }
    p.text('mov x12, x10', `ldp ${r}3, ${r}4, [x12, #${2 * size}]!`, 'sub x12, x12, x10');
    p.save('x3', `ldp ${r} pre first`);
    p.save('x4', `ldp ${r} pre second`);
    p.save('x12', `ldp ${r} pre writeback`);
    p.text('mov x12, x10', `ldp ${r}3, ${r}4, [x12], #${-2 * size}`, 'sub x12, x12, x10');
    p.save('x3', `ldp ${r} post first`);
    p.save('x12', `ldp ${r} post writeback`);
    p.text(`ldnp ${r}3, ${r}4, [x10, #${4 * size}]`);
    p.save('x4', `ldnp ${r}`);
    p.li('x5', 0x0123456789abcdefn);
    p.li('x6', 0xfedcba9876543210n);
    p.text('stp xzr, xzr, [x11]', 'stp xzr, xzr, [x11, #16]', `stp ${r}5, ${r}6, [x11, #${size}]`, 'ldp x3, x4, [x11]', 'ldr x7, [x11, #16]');
    p.save('x3', `stp ${r} 0`);
    p.save('x4', `stp ${r} 1`);
    p.save('x7', `stp ${r} 2`);
    p.text('mov x12, x11', `stp ${r}6, ${r}5, [x12, #${2 * size}]!`, `stnp ${r}5, ${r}5, [x11]`, 'sub x12, x12, x11', 'ldp x3, x4, [x11]');
    p.save('x12', `stp ${r} pre writeback`);
    p.save('x3', `stp/stnp ${r} 0`);
    p.save('x4', `stp/stnp ${r} 1`);
  }
  p.text('ldpsw x3, x4, [x10, #56]', 'mov x12, x10', 'ldpsw x5, x6, [x12, #8]!', 'ldpsw x7, x8, [x12], #8');
  for (const r of ['x3', 'x4', 'x5', 'x6', 'x7', 'x8']) p.save(r, `ldpsw ${r}`);
  p.text('mov x9, sp', 'stp x5, x6, [sp, #-32]!', 'ldp x3, x4, [sp], #32', 'sub x7, sp, x9');
  p.save('x3', 'sp pair first');
  p.save('x4', 'sp pair second');
  p.save('x7', 'sp pair restored');
  runGroup(p);
});

test('SIMD&FP loads, stores and moves: b/h/s/d/q, pairs, movi, dup, mov', () => {
  const p = new Program('simd');
  withData(p);
  p.text('adr x10, buf', 'adr x11, scratch');
  /** Save both halves of v`n` (through memory: the table has no UMOV). */
  const saveV = (n: number, what: string): void => {
    p.text(`str q${n}, [x11, #128]`, 'ldp x3, x4, [x11, #128]');
    p.save('x3', `${what} low`);
    p.save('x4', `${what} high`);
  };
  // Fill v1 with ones so loads visibly clear the upper bits.
  p.text('movi v1.2d, #0xffffffffffffffff');
  for (const [r, size] of [['b', 1], ['h', 2], ['s', 4], ['d', 8], ['q', 16]] as const) {
    p.text('movi v1.2d, #0xffffffffffffffff', `ldr ${r}1, [x10, #${size}]`);
    saveV(1, `ldr ${r} uoff`);
    p.text('movi v1.2d, #0xffffffffffffffff', `ldur ${r}1, [x10, #${size === 16 ? 16 : 3 * size}]`);
    saveV(1, `ldur ${r}`);
    p.text('mov x13, #3', 'movi v1.2d, #0xffffffffffffffff', `ldr ${r}1, [x10, x13, lsl #${Math.log2(size)}]`);
    saveV(1, `ldr ${r} reg`);
    p.text('mov x12, x10', `ldr ${r}2, [x12, #${size}]!`, `ldr ${r}1, [x12], #${size}`, 'sub x5, x12, x10');
    saveV(2, `ldr ${r} pre`);
    p.save('x5', `ldr ${r} writeback`);
    p.text('ldr q5, [x10, #32]', 'stp xzr, xzr, [x11]', 'stp xzr, xzr, [x11, #16]', `str ${r}5, [x11, #${size}]`, `stur ${r}5, [x11, #${size === 16 ? 0 : 5 * size}]`);
    p.text('ldp x3, x4, [x11]', 'ldp x5, x6, [x11, #16]');
    p.save('x3', `str ${r} 0`);
    p.save('x4', `str ${r} 1`);
    p.save('x5', `str ${r} 2`);
    p.save('x6', `str ${r} 3`);
  }
  for (const r of ['s', 'd', 'q']) {
    p.text(`ldp ${r}6, ${r}7, [x10, #16]`);
    saveV(6, `ldp ${r} first`);
    saveV(7, `ldp ${r} second`);
    p.text('mov x12, x11', `stp ${r}7, ${r}6, [x12, #16]!`, `ldp x3, x4, [x11, #16]`, 'sub x5, x12, x11');
    p.save('x3', `stp ${r} 0`);
    p.save('x4', `stp ${r} 1`);
    p.save('x5', `stp ${r} writeback`);
  }
  const litq = p.symbol('litq');
  const after = p.label('q');
  p.text(`ldr q8, ${litq}`, `ldr d9, ${litq}`, `ldr s10, ${litq}`);
  saveV(8, 'ldr q literal');
  saveV(9, 'ldr d literal');
  saveV(10, 'ldr s literal');
  p.text(`b ${after}`, '.balign 16', `${litq}:`, '.quad 0x1122334455667788, 0x99aabbccddeeff00', `${after}:`);
  for (const m of ['movi v1.16b, #0xa5', 'movi v1.8b, #0x3c', 'movi v1.8h, #0x7f, lsl #8', 'movi v1.4h, #0x12', 'movi v1.4s, #0x81, lsl #24', 'movi v1.2s, #0x42, lsl #16',
    'movi v1.4s, #0x5a, msl #8', 'movi v1.2s, #0x33, msl #16', 'movi v1.2d, #0xff00ff0000ff00ff', 'movi d1, #0xffff0000ffff0000']) {
    p.text('ldr q1, [x10]', m);
    saveV(1, m);
  }
  p.li('x7', 0x8877665544332211n);
  for (const d of ['dup v2.16b, w7', 'dup v2.8b, w7', 'dup v2.8h, w7', 'dup v2.4h, w7', 'dup v2.4s, w7', 'dup v2.2s, w7', 'dup v2.2d, x7']) {
    p.text('ldr q2, [x10]', d);
    saveV(2, d);
  }
  p.text('ldr q3, [x10]', 'ldr q4, [x10, #16]', 'orr v5.16b, v3.16b, v4.16b', 'orr v6.8b, v3.8b, v4.8b', 'mov v7.16b, v4.16b');
  saveV(5, 'orr 16b');
  saveV(6, 'orr 8b');
  saveV(7, 'mov 16b');
  runGroup(p);
});
