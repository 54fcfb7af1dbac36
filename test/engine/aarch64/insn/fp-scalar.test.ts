// Scalar floating point against qemu-aarch64, on the translated, single-step
// and chunked paths: every data-processing row (one, two and three sources),
// compares with their NZCV, conditional compare and select, and the conversions to and from integers and fixed point, each under
// every rounding mode with FZ and DN off and on, with the result bits and
// FPSR's cumulative flags compared after every instruction.

import { test } from 'node:test';
import { Program, runGroup } from './oracle';
import { SETTINGS, floats, loadFp, pairsOf, saveFp, saveFpsr, setFpcr, settingName, type Prec, type Setting } from './fp-cases';

const PRECS = ['s', 'd'] as const;
const RNE: Setting = { rmode: 0, fz: 0, dn: 0 };

/** Runs `each` under every setting, with a small share of the pairs, and under RNE with all of them. */
function underSettings(all: number, perSetting: number, each: (s: Setting, count: number, seed: bigint) => void): void {
  each(RNE, all, 1n);
  SETTINGS.forEach((s, i) => {
    if (s !== SETTINGS[0]) each(s, perSetting, BigInt(i + 2));
  });
}

function twoSource(prec: Prec, ops: readonly string[], name: string): Program {
  const p = new Program(`${name}-${prec}`);
  const values = floats(prec, prec === 's' ? 11n : 12n, 40);
  underSettings(160, 24, (s, count, seed) => {
    setFpcr(p, s);
    for (const [a, b] of pairsOf(values, seed * 31n, count)) {
      loadFp(p, prec, 1, a);
      loadFp(p, prec, 2, b);
      for (const op of ops) {
        p.text(`${op} ${prec}0, ${prec}1, ${prec}2`);
        saveFp(p, 0, `${op} ${prec} ${settingName(s)} ${a.toString(16)} ${b.toString(16)}`);
      }
    }
  });
  return p;
}

for (const prec of PRECS) {
  test(`fadd fsub fmul fdiv fnmul (${prec}): every rounding mode, FZ, DN`, () => {
    runGroup(twoSource(prec, ['fadd', 'fsub', 'fmul', 'fdiv', 'fnmul'], 'arith'));
  });
  test(`fmax fmin fmaxnm fminnm (${prec})`, () => {
    runGroup(twoSource(prec, ['fmax', 'fmin', 'fmaxnm', 'fminnm'], 'minmax'));
  });

  test(`fmadd fmsub fnmadd fnmsub (${prec}): one rounding`, () => {
    const p = new Program(`fma-${prec}`);
    const values = floats(prec, prec === 's' ? 21n : 22n, 40);
    underSettings(200, 30, (s, count, seed) => {
      setFpcr(p, s);
      const rng = pairsOf(values, seed * 17n, count * 2);
      for (let i = 0; i < count; i++) {
        const [a, b] = rng[2 * i]!;
        const [c] = rng[2 * i + 1]!;
        loadFp(p, prec, 1, a);
        loadFp(p, prec, 2, b);
        loadFp(p, prec, 3, c);
        for (const op of ['fmadd', 'fmsub', 'fnmadd', 'fnmsub']) {
          p.text(`${op} ${prec}0, ${prec}1, ${prec}2, ${prec}3`);
          saveFp(p, 0, `${op} ${prec} ${settingName(s)} ${a.toString(16)} ${b.toString(16)} ${c.toString(16)}`);
        }
      }
    });
    runGroup(p);
  });

  test(`fsqrt frint* fabs fneg fmov fcvt (${prec})`, () => {
    const p = new Program(`onesrc-${prec}`);
    const values = floats(prec, prec === 's' ? 31n : 32n, 60);
    const other = prec === 's' ? 'd' : 's';
    underSettings(values.length, 16, (s, count, seed) => {
      setFpcr(p, s);
      const list = count === values.length ? values : pairsOf(values, seed * 5n, count).map(([a]) => a);
      for (const a of list) {
        loadFp(p, prec, 1, a);
        for (const op of ['fsqrt', 'frintn', 'frintp', 'frintm', 'frintz', 'frinta', 'frintx', 'frinti', 'fabs', 'fneg', 'fmov']) {
          p.text(`${op} ${prec}0, ${prec}1`);
          saveFp(p, 0, `${op} ${prec} ${settingName(s)} ${a.toString(16)}`);
        }
        p.text(`fcvt ${other}0, ${prec}1`);
        saveFp(p, 0, `fcvt ${other} <- ${prec} ${settingName(s)} ${a.toString(16)}`);
      }
    });
    runGroup(p);
  });

  test(`fcmp fcmpe fccmp fccmpe fcsel (${prec}): NZCV and FPSR`, () => {
    const p = new Program(`compare-${prec}`);
    const values = floats(prec, prec === 's' ? 41n : 42n, 20);
    // The integer compares that set up the conditions read x0..x2.
    p.li('x0', 5n);
    p.li('x1', 0xfffffffffffffffdn);
    p.li('x2', 0x8000000000000000n);
    underSettings(120, 8, (s, count, seed) => {
      setFpcr(p, s);
      let k = 0;
      for (const [a, b] of pairsOf(values, seed * 13n, count)) {
        const what = `${prec} ${settingName(s)} ${a.toString(16)} ${b.toString(16)}`;
        loadFp(p, prec, 1, a);
        loadFp(p, prec, 2, b);
        for (const op of ['fcmp', 'fcmpe']) {
          p.text(`${op} ${prec}1, ${prec}2`);
          p.saveFlags(`${op} ${what}`);
          saveFpsr(p, `${op} ${what}`);
          p.text(`${op} ${prec}1, #0.0`);
          p.saveFlags(`${op} #0 ${what}`);
          saveFpsr(p, `${op} #0 ${what}`);
        }
        // Conditional compares: the condition from an integer compare with varied flags.
        const cond = ['eq', 'ne', 'ge', 'lt', 'hi', 'vs', 'al', 'nv'][k++ % 8]!;
        p.text(`cmp x${k % 3}, x${(k + 1) % 3}`);
        for (const op of ['fccmp', 'fccmpe']) {
          p.text(`${op} ${prec}1, ${prec}2, #${k % 16}, ${cond}`);
          p.saveFlags(`${op} ${cond} ${what}`);
          saveFpsr(p, `${op} ${cond} ${what}`);
        }
        p.text(`fcsel ${prec}0, ${prec}1, ${prec}2, ${cond}`);
        saveFp(p, 0, `fcsel ${cond} ${what}`);
      }
    });
    runGroup(p);
  });

  test(`conversions to integers, from integers and fixed point (${prec})`, () => {
    const p = new Program(`convert-${prec}`);
    const values = floats(prec, prec === 's' ? 51n : 52n, 40);
    const ints = [0n, 1n, -1n, 3n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000001n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn,
      0x20000000000001n, 0x1000001n, 0xfffffffffffff801n, 0x123456789abcdefn, 0x7fffff80n, 0xfedcba9876543210n];
    underSettings(values.length, 10, (s, count, seed) => {
      setFpcr(p, s);
      const list = count === values.length ? values : pairsOf(values, seed * 7n, count).map(([a]) => a);
      for (const a of list) {
        loadFp(p, prec, 1, a);
        for (const op of ['fcvtns', 'fcvtnu', 'fcvtas', 'fcvtau', 'fcvtps', 'fcvtpu', 'fcvtms', 'fcvtmu', 'fcvtzs', 'fcvtzu']) {
          for (const r of ['w', 'x']) {
            p.text(`${op} ${r}3, ${prec}1`);
            p.save('x3', `${op} ${r} ${prec} ${settingName(s)} ${a.toString(16)}`);
            saveFpsr(p, `${op} ${r} ${prec} ${a.toString(16)}`);
          }
        }
        for (const [r, fbits] of [['w', 1], ['w', 32], ['x', 1], ['x', 17], ['x', 64]] as const) {
          for (const op of ['fcvtzs', 'fcvtzu']) {
            p.text(`${op} ${r}3, ${prec}1, #${fbits}`);
            p.save('x3', `${op} ${r} #${fbits} ${prec} ${a.toString(16)}`);
            saveFpsr(p, `${op} ${r} #${fbits} ${prec} ${a.toString(16)}`);
          }
        }
      }
      const intList = count === values.length ? ints : ints.slice(0, count);
      for (const v of intList) {
        p.li('x4', v);
        for (const op of ['scvtf', 'ucvtf']) {
          for (const r of ['w', 'x']) {
            p.text(`${op} ${prec}0, ${r}4`);
            saveFp(p, 0, `${op} ${prec} ${r} ${settingName(s)} ${v.toString(16)}`);
            for (const fbits of r === 'w' ? [1, 32] : [3, 64]) {
              p.text(`${op} ${prec}0, ${r}4, #${fbits}`);
              saveFp(p, 0, `${op} ${prec} ${r} #${fbits} ${settingName(s)} ${v.toString(16)}`);
            }
          }
        }
      }
    });
    runGroup(p);
  });
}

test('fcvt to and from half precision, IEEE and alternative (AHP) formats', () => {
  const p = new Program('fcvt-half');
  const settings: Setting[] = SETTINGS.flatMap((s) => [s, { ...s, ahp: 1 }]);
  const halves = floats('h', 61n, 40);
  const singles = floats('s', 62n, 30);
  const doubles = floats('d', 63n, 30);
  for (const s of settings) {
    setFpcr(p, s);
    for (const h of halves) {
      loadFp(p, 'h', 1, h);
      for (const to of ['s', 'd']) {
        p.text(`fcvt ${to}0, h1`);
        saveFp(p, 0, `fcvt ${to} <- h ${settingName(s)} ${h.toString(16)}`);
      }
    }
    for (const [prec, list] of [['s', singles], ['d', doubles]] as const) {
      for (const v of list) {
        loadFp(p, prec, 1, v);
        p.text(`fcvt h0, ${prec}1`);
        saveFp(p, 0, `fcvt h <- ${prec} ${settingName(s)} ${v.toString(16)}`);
      }
    }
  }
  runGroup(p);
});
