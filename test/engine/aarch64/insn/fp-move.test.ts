// The scalar FP moves against qemu-aarch64, on the translated, single-step and
// chunked paths: FMOV (register, every immediate, to and from general
// registers), FABS, FNEG and FCSEL on the corner values of each precision,
// with the whole 128-bit destination (the upper lanes are zeroed) and FPSR
// (moves raise no exception, NaNs included) compared; FPCR and FPSR read back
// with the bits this CPU implements.

import { test } from 'node:test';
import { Program, runGroup } from './oracle';
import { floats, loadFp, saveFpsr, type Prec } from './fp-cases';

const PRECS = ['s', 'd'] as const;
const CONDITIONS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];

/** Saves all 128 bits of V[n] (two results), then FPSR. */
function saveQ(p: Program, n: number, what: string): void {
  p.text(`str q${n}, [sp, #-16]!`, 'ldp x11, x12, [sp], #16');
  p.save('x11', `${what} lo`);
  p.save('x12', `${what} hi`);
  saveFpsr(p, what);
}

/** Fills V[n] with a pattern, so a scalar write must clear its upper lanes. */
function dirty(p: Program, n: number): void {
  p.li('x13', 0xa5a5a5a5deadbeefn);
  p.text(`dup v${n}.2d, x13`);
}

test('fmov (immediate): all 256 constants of each precision', () => {
  const p = new Program('fmov-imm');
  for (const prec of PRECS) {
    for (let imm8 = 0; imm8 < 256; imm8++) {
      const sign = imm8 & 0x80 ? '-' : '';
      const bcd = (imm8 >> 4) & 7;
      const e = bcd < 4 ? bcd + 1 : bcd - 7;
      const value = ((16 + (imm8 & 15)) / 16) * 2 ** e;
      if (imm8 % 16 === 0) dirty(p, 0);
      p.text(`fmov ${prec}0, #${sign}${value}`);
      p.text(`str q0, [sp, #-16]!`, 'ldp x11, x12, [sp], #16');
      p.save('x11', `fmov ${prec} #${sign}${value}`);
      if (imm8 % 16 === 0) p.save('x12', `fmov ${prec} #${sign}${value} hi`);
    }
  }
  runGroup(p);
});

for (const prec of PRECS as readonly Prec[]) {
  test(`fmov fabs fneg (${prec}) on every corner and random values: bits only, no flags`, () => {
    const p = new Program(`fmov-abs-neg-${prec}`);
    for (const a of floats(prec, prec === 's' ? 71n : 72n, 40)) {
      loadFp(p, prec, 1, a);
      for (const op of ['fmov', 'fabs', 'fneg']) {
        dirty(p, 0);
        p.text(`${op} ${prec}0, ${prec}1`);
        saveQ(p, 0, `${op} ${prec} ${a.toString(16)}`);
      }
      // The destination may be the source.
      p.text(`fneg ${prec}1, ${prec}1`);
      saveQ(p, 1, `fneg ${prec} in place ${a.toString(16)}`);
    }
    runGroup(p);
  });

  test(`fcsel (${prec}): every condition under varied flags`, () => {
    const p = new Program(`fcsel-${prec}`);
    const values = floats(prec, prec === 's' ? 73n : 74n, 0);
    loadFp(p, prec, 1, values[4]!);
    loadFp(p, prec, 2, values[5]!);
    const flagSetters = ['cmp x0, x0', 'cmp x0, #6', 'cmn x1, #1', 'adds x2, x2, x2', 'msr nzcv, x3', 'msr nzcv, x4'];
    p.li('x1', 0xffffffffffffffffn);
    p.li('x2', 0x8000000000000000n);
    p.li('x3', 0x90000000n);
    p.li('x4', 0x30000000n);
    for (const setter of flagSetters) {
      for (const cond of CONDITIONS) {
        p.li('x2', 0x8000000000000000n);
        p.text('mov x0, #5', setter);
        dirty(p, 0);
        p.text(`fcsel ${prec}0, ${prec}1, ${prec}2, ${cond}`);
        saveQ(p, 0, `fcsel ${cond} after ${setter}`);
      }
    }
    runGroup(p);
  });
}

test('fmov between general and FP registers: W<->S, X<->D, zero registers, upper lanes cleared', () => {
  const p = new Program('fmov-gpr');
  for (const v of [0n, 0x0123456789abcdefn, 0xffffffffffffffffn, 0x7ff8000000000001n, 0x80000000n]) {
    p.li('x4', v);
    dirty(p, 1);
    p.text('fmov d1, x4');
    saveQ(p, 1, `fmov d <- x ${v.toString(16)}`);
    dirty(p, 2);
    p.text('fmov s2, w4');
    saveQ(p, 2, `fmov s <- w ${v.toString(16)}`);
    p.li('x5', 0x5555555555555555n);
    p.text('fmov x5, d1');
    p.save('x5', `fmov x <- d ${v.toString(16)}`);
    p.li('x6', 0x5555555555555555n);
    p.text('fmov w6, s1');
    p.save('x6', `fmov w <- s ${v.toString(16)}`);
  }
  dirty(p, 3);
  p.text('fmov d3, xzr');
  saveQ(p, 3, 'fmov d <- xzr');
  dirty(p, 3);
  p.text('fmov s3, wzr');
  saveQ(p, 3, 'fmov s <- wzr');
  runGroup(p);
});

test('FPCR keeps the bits this CPU implements, FPSR its cumulative flags and QC', () => {
  const p = new Program('fpcr-fpsr');
  // Not FZ16 (bit 19): qemu-aarch64's default CPU has half-precision arithmetic, this one (a Cortex-A57) does not.
  for (const v of [0xfff7ffffn, 0x07c00000n, 0x00c00000n, 0x0000ff00n, 0x00370000n, 0xffffffff00000000n]) {
    p.li('x4', v);
    p.text('msr fpcr, x4', 'mrs x5, fpcr', 'msr fpcr, xzr');
    p.save('x5', `fpcr <- ${v.toString(16)}`);
  }
  for (const v of [0xffffffffn, 0x9fn, 0x08000000n, 0xf0000000n, 0x60n]) {
    p.li('x4', v);
    p.text('msr fpsr, x4', 'mrs x5, fpsr', 'msr fpsr, xzr');
    p.save('x5', `fpsr <- ${v.toString(16)}`);
  }
  runGroup(p);
});
