// The floating-point forms of Advanced SIMD against qemu-aarch64, on the
// translated, single-step and chunked paths: three-same (vector and scalar,
// pairwise included), two-register miscellaneous (vector and scalar),
// scalar pairwise and across-lane reductions, and the widening and narrowing
// conversions, on lanes drawn from the corner values of each precision, under
// every rounding mode with FZ and DN off and on; the whole 128-bit
// destination and FPSR compared after every instruction.

import { test } from 'node:test';
import { Program, runGroup } from './oracle';
import { SETTINGS, floats, pairsOf, saveFpsr, setFpcr, settingName, type Prec, type Setting } from './fp-cases';

const RNE: Setting = { rmode: 0, fz: 0, dn: 0 };

/** Register n = the 128-bit value of `lanes` (lane 0 lowest), each `bits` wide. */
function loadV(p: Program, n: number, lanes: readonly bigint[], bits: number): void {
  let value = 0n;
  lanes.forEach((l, i) => (value |= l << BigInt(i * bits)));
  p.li('x10', value & 0xffffffffffffffffn);
  p.li('x11', value >> 64n);
  p.text(`fmov d${n}, x10`, `ins v${n}.d[1], x11`);
}

/** Saves all 128 bits of V[n] (two results), then FPSR. */
function saveQ(p: Program, n: number, what: string): void {
  p.text(`str q${n}, [sp, #-16]!`, 'ldp x11, x12, [sp], #16');
  p.save('x11', `${what} lo`);
  p.save('x12', `${what} hi`);
  saveFpsr(p, what);
}

/** Lane sets of a precision: `count` draws of enough lanes to fill a register from the values. */
function laneSets(prec: Prec, seed: bigint, count: number): bigint[][] {
  const per = prec === 's' ? 4 : 2;
  const values = floats(prec, seed, 40);
  const pairs = pairsOf(values, seed * 3n, count * per);
  return Array.from({ length: count }, (_, i) => Array.from({ length: per }, (_, j) => pairs[i * per + j]![j % 2]!));
}

/** Runs `each` under RNE with `all` cases and under every other setting with `some`. */
function underSettings(p: Program, all: number, some: number, each: (count: number, seed: bigint, s: Setting) => void): void {
  [RNE, ...SETTINGS.slice(1)].forEach((s, i) => {
    setFpcr(p, s);
    each(i === 0 ? all : some, BigInt(i + 1), s);
  });
}

const BITS: Readonly<Record<Prec, number>> = { s: 32, d: 64, h: 16 };
const arrangements = (prec: Prec): string[] => (prec === 's' ? ['4s', '2s'] : ['2d']);

const THREE_SAME = ['fmaxnm', 'fmla', 'fadd', 'fmulx', 'fcmeq', 'fmax', 'frecps', 'fminnm', 'fmls', 'fsub', 'fmin', 'frsqrts',
  'fmaxnmp', 'faddp', 'fmul', 'fcmge', 'facge', 'fmaxp', 'fdiv', 'fminnmp', 'fabd', 'fcmgt', 'facgt', 'fminp'];
const THREE_SAME_SCALAR = ['fmulx', 'fcmeq', 'frecps', 'frsqrts', 'fcmge', 'facge', 'fabd', 'fcmgt', 'facgt'];

for (const prec of ['s', 'd'] as const) {
  test(`three-same FP (${prec}): vector and scalar, every rounding mode, FZ, DN`, () => {
    const p = new Program(`fp-three-same-${prec}`);
    underSettings(p, 12, 2, (count, seed, s) => {
      const sets = laneSets(prec, seed * 7n, count * 3);
      for (let i = 0; i < count; i++) {
        loadV(p, 1, sets[3 * i]!, BITS[prec]);
        loadV(p, 2, sets[3 * i + 1]!, BITS[prec]);
        for (const arr of arrangements(prec)) {
          for (const op of THREE_SAME) {
            loadV(p, 0, sets[3 * i + 2]!, BITS[prec]);
            p.text(`${op} v0.${arr}, v1.${arr}, v2.${arr}`);
            saveQ(p, 0, `${op} ${arr} ${settingName(s)} case ${i}`);
          }
        }
        for (const op of THREE_SAME_SCALAR) {
          p.text(`${op} ${prec}0, ${prec}1, ${prec}2`);
          saveQ(p, 0, `${op} ${prec} ${settingName(s)} case ${i}`);
        }
      }
    });
    runGroup(p);
  });

  test(`two-register misc FP (${prec}): vector and scalar, every rounding mode, FZ, DN`, () => {
    const p = new Program(`fp-misc-${prec}`);
    const vector = ['frintn', 'frintm', 'fcvtns', 'fcvtms', 'fcvtas', 'scvtf', 'fabs', 'frintp', 'frintz', 'fcvtps', 'fcvtzs', 'frecpe',
      'frinta', 'frintx', 'fcvtnu', 'fcvtmu', 'fcvtau', 'ucvtf', 'fneg', 'frinti', 'fcvtpu', 'fcvtzu', 'frsqrte', 'fsqrt',
      ...(prec === 's' ? ['urecpe', 'ursqrte'] : [])];
    const zero = ['fcmgt', 'fcmeq', 'fcmlt', 'fcmge', 'fcmle'];
    const scalar = ['fcvtns', 'fcvtms', 'fcvtas', 'scvtf', 'fcvtps', 'fcvtzs', 'frecpe', 'frecpx', 'fcvtnu', 'fcvtmu', 'fcvtau', 'ucvtf', 'fcvtpu', 'fcvtzu', 'frsqrte'];
    underSettings(p, 14, 2, (count, seed, s) => {
      for (const [i, lanes] of laneSets(prec, seed * 11n, count).entries()) {
        loadV(p, 1, lanes, BITS[prec]);
        for (const arr of arrangements(prec)) {
          for (const op of vector) {
            p.text(`${op} v0.${arr}, v1.${arr}`);
            saveQ(p, 0, `${op} ${arr} ${settingName(s)} case ${i}`);
          }
          for (const op of zero) {
            p.text(`${op} v0.${arr}, v1.${arr}, #0.0`);
            saveQ(p, 0, `${op} #0 ${arr} ${settingName(s)} case ${i}`);
          }
        }
        for (const op of scalar) {
          p.text(`${op} ${prec}0, ${prec}1`);
          saveQ(p, 0, `${op} ${prec} ${settingName(s)} case ${i}`);
        }
        for (const op of zero) {
          p.text(`${op} ${prec}0, ${prec}1, #0.0`);
          saveQ(p, 0, `${op} #0 ${prec} ${settingName(s)} case ${i}`);
        }
      }
    });
    runGroup(p);
  });
}

test('FP reductions: scalar pairwise (s, d) and across lanes (4s)', () => {
  const p = new Program('fp-reduce');
  underSettings(p, 16, 2, (count, seed, s) => {
    for (const prec of ['s', 'd'] as const) {
      for (const [i, lanes] of laneSets(prec, seed * 13n, count).entries()) {
        loadV(p, 1, lanes, BITS[prec]);
        for (const op of ['fmaxnmp', 'faddp', 'fmaxp', 'fminnmp', 'fminp']) {
          p.text(`${op} ${prec}0, v1.2${prec}`);
          saveQ(p, 0, `${op} ${prec} ${settingName(s)} case ${i}`);
        }
        if (prec === 'd') continue;
        for (const op of ['fmaxnmv', 'fmaxv', 'fminnmv', 'fminv']) {
          p.text(`${op} s0, v1.4s`);
          saveQ(p, 0, `${op} ${settingName(s)} case ${i}`);
        }
      }
    }
  });
  runGroup(p);
});

test('FP widening and narrowing: fcvtl, fcvtl2, fcvtn, fcvtn2, fcvtxn (vector and scalar), IEEE and AHP halves', () => {
  const p = new Program('fp-widen-narrow');
  const settings: Setting[] = [RNE, ...SETTINGS.slice(1), { rmode: 0, fz: 0, dn: 0, ahp: 1 }, { rmode: 3, fz: 1, dn: 1, ahp: 1 }];
  // v2: the destination's old contents, which the "2" forms keep in the lower half.
  loadV(p, 2, [0x0123456789abcdefn, 0xfedcba9876543210n], 64);
  settings.forEach((s, k) => {
    setFpcr(p, s);
    const count = k === 0 ? 12 : 2;
    const halves = floats('h', BigInt(k) * 17n + 1n, 40);
    const halfPairs = pairsOf(halves, BigInt(k) + 5n, count * 8);
    for (let i = 0; i < count; i++) {
      loadV(p, 1, halfPairs.slice(i * 8, i * 8 + 8).map(([a, b], j) => (j % 2 ? b : a)), 16);
      p.text('fcvtl v0.4s, v1.4h');
      saveQ(p, 0, `fcvtl 4s ${settingName(s)} case ${i}`);
      p.text('fcvtl2 v0.4s, v1.8h');
      saveQ(p, 0, `fcvtl2 4s ${settingName(s)} case ${i}`);
    }
    for (const [i, lanes] of laneSets('s', BigInt(k) * 19n + 2n, count).entries()) {
      loadV(p, 1, lanes, 32);
      p.text('fcvtl v0.2d, v1.2s');
      saveQ(p, 0, `fcvtl 2d ${settingName(s)} case ${i}`);
      p.text('fcvtl2 v0.2d, v1.4s');
      saveQ(p, 0, `fcvtl2 2d ${settingName(s)} case ${i}`);
      p.text('mov v0.16b, v2.16b', 'fcvtn v0.4h, v1.4s');
      saveQ(p, 0, `fcvtn 4h ${settingName(s)} case ${i}`);
      p.text('mov v0.16b, v2.16b', 'fcvtn2 v0.8h, v1.4s');
      saveQ(p, 0, `fcvtn2 8h ${settingName(s)} case ${i}`);
    }
    for (const [i, lanes] of laneSets('d', BigInt(k) * 23n + 3n, count).entries()) {
      loadV(p, 1, lanes, 64);
      for (const op of ['fcvtn', 'fcvtxn']) {
        p.text('mov v0.16b, v2.16b', `${op} v0.2s, v1.2d`);
        saveQ(p, 0, `${op} 2s ${settingName(s)} case ${i}`);
        p.text('mov v0.16b, v2.16b', `${op}2 v0.4s, v1.2d`);
        saveQ(p, 0, `${op}2 4s ${settingName(s)} case ${i}`);
      }
      p.text('fcvtxn s0, d1');
      saveQ(p, 0, `fcvtxn s ${settingName(s)} case ${i}`);
    }
  });
  runGroup(p);
});

test('FP by element (fmla, fmls, fmul, fmulx; vector and scalar, every index) and fixed-point conversions (#fbits)', () => {
  const p = new Program('fp-element-fixed');
  underSettings(p, 6, 1, (count, seed, s) => {
    for (const prec of ['s', 'd'] as const) {
      const sets = laneSets(prec, seed * 29n + (prec === 's' ? 0n : 1n), count * 3);
      const indexes = prec === 's' ? [0, 1, 2, 3] : [0, 1];
      for (let i = 0; i < count; i++) {
        loadV(p, 1, sets[3 * i]!, BITS[prec]);
        loadV(p, 18, sets[3 * i + 1]!, BITS[prec]);
        for (const op of ['fmla', 'fmls', 'fmul', 'fmulx']) {
          for (const idx of indexes) {
            for (const arr of arrangements(prec)) {
              loadV(p, 0, sets[3 * i + 2]!, BITS[prec]);
              p.text(`${op} v0.${arr}, v1.${arr}, v18.${prec}[${idx}]`);
              saveQ(p, 0, `${op} ${arr} [${idx}] ${settingName(s)} case ${i}`);
            }
            loadV(p, 0, sets[3 * i + 2]!, BITS[prec]);
            p.text(`${op} ${prec}0, ${prec}1, v18.${prec}[${idx}]`);
            saveQ(p, 0, `${op} ${prec} [${idx}] ${settingName(s)} case ${i}`);
          }
        }
        const widths = prec === 's' ? [1, 7, 31, 32] : [1, 17, 52, 64];
        for (const fbits of widths) {
          for (const op of ['fcvtzs', 'fcvtzu', 'scvtf', 'ucvtf']) {
            for (const arr of arrangements(prec)) {
              p.text(`${op} v0.${arr}, v1.${arr}, #${fbits}`);
              saveQ(p, 0, `${op} ${arr} #${fbits} ${settingName(s)} case ${i}`);
            }
            p.text(`${op} ${prec}0, ${prec}1, #${fbits}`);
            saveQ(p, 0, `${op} ${prec} #${fbits} ${settingName(s)} case ${i}`);
          }
        }
      }
    }
  });
  runGroup(p);
});

test('fmov (vector, immediate) and fmov between X and V[n].d[1]', () => {
  const p = new Program('fp-fmov-vector');
  for (let imm8 = 0; imm8 < 256; imm8 += 5) {
    const sign = imm8 & 0x80 ? '-' : '';
    const bcd = (imm8 >> 4) & 7;
    const value = ((16 + (imm8 & 15)) / 16) * 2 ** (bcd < 4 ? bcd + 1 : bcd - 7);
    for (const arr of ['2s', '4s', '2d']) {
      loadV(p, 0, [0xdeadbeefcafef00dn, 0x0123456789abcdefn], 64);
      p.text(`fmov v0.${arr}, #${sign}${value}`);
      saveQ(p, 0, `fmov ${arr} #${sign}${value}`);
    }
  }
  loadV(p, 3, [0x1111111122222222n, 0x3333333344444444n], 64);
  p.li('x5', 0xfedcba9876543210n);
  p.text('fmov v3.d[1], x5', 'fmov x6, v3.d[1]');
  saveQ(p, 3, 'fmov v3.d[1] <- x5');
  p.save('x6', 'fmov x6 <- v3.d[1]');
  p.text('fmov v3.d[1], xzr');
  saveQ(p, 3, 'fmov v3.d[1] <- xzr');
  runGroup(p);
});
