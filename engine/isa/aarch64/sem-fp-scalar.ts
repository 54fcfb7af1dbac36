// Semantics of the scalar FP arithmetic rows: one, two and three sources,
// compares (NZCV), conditional compares, and the conversions between
// precisions, to and from integers and fixed point. The IEEE operations are
// the float library's (`h.F`), run in the CPU's environment `c.fpe`, which
// holds FPCR's rounding mode, FZ, DN and AHP and collects FPSR's cumulative
// flags. A double is two words (the library returns the low one and leaves
// the high one in `c.fpe.hi`).

import { RDN, RMM, RNE, RTZ, RUP } from '../float';
import { condition, set32, type Operands, type Semantics } from './fragment';
import { setScalar, vi } from './sem-fp-move';
import { fpCheck } from './sem-memory';
import type { Row } from './table';

/** FPCR's rounding mode, for the instructions that take it. */
const DYNAMIC = 'c.fpe.rm';

/** An operand of precision `t` as the library takes it: one word, or two for a double. */
const arg = (t: string, i: string): string => (t === 'd' ? `c.v[${i}],c.v[${i}+1]` : t === 'h' ? `c.v[${i}]&65535` : `c.v[${i}]`);
/** A negated operand (sign flipped even on NaNs, as FPNeg does). */
const negArg = (t: string, i: string): string => (t === 'd' ? `c.v[${i}],c.v[${i}+1]^0x80000000` : `c.v[${i}]^0x80000000`);
const F = (t: string): string => (t === 'd' ? 'f64' : t === 's' ? 'f32' : 'f16');

/** Statements setting V[rd] to the library's result `r` (and c.fpe.hi for a double). */
const result = (o: Operands, t: string, r = 'r'): string => setScalar(o, t, r, t === 'd' ? 'c.fpe.hi' : '0');

const fp = (body: (o: Operands) => string): Semantics => ({ kind: 'mem', body: (o) => `${fpCheck(o)}${body(o)}` });

const twoSource: Readonly<Record<string, string>> = {
  fadd: 'Add', fsub: 'Sub', fmul: 'Mul', fdiv: 'Div', fnmul: 'Mul', fmax: 'Max', fmin: 'Min', fmaxnm: 'MaxNum', fminnm: 'MinNum',
};
const roundsIntegral: Readonly<Record<string, [string, boolean]>> = {
  frintn: [String(RNE), false], frintp: [String(RUP), false], frintm: [String(RDN), false], frintz: [String(RTZ), false],
  frinta: [String(RMM), false], frintx: [DYNAMIC, true], frinti: [DYNAMIC, false],
};
/** The rounding of each float-to-integer conversion. */
const toIntegerMode: Readonly<Record<string, number>> = { n: RNE, a: RMM, p: RUP, m: RDN, z: RTZ };
/** Sets NZCV from a compare result expression, as FCMP does. */
const setFlags = (cmp: string): string => `{const f=h.F.armNzcv(${cmp});c.nf=f>>3;c.zf=(f>>2)&1;c.cf=(f>>1)&1;c.vf=f&1;}`;

export function fpScalarSemantics(row: Row): Semantics | undefined {
  if (row.group !== 'fp') return undefined;
  const parts = row.id.split('.');
  const m = parts[0]!;
  const t = parts[parts.length - 1]!;
  const n = (o: Operands): string => vi(o, 'rn');

  if (parts.length === 2 && twoSource[m] !== undefined) {
    const call = (o: Operands): string => {
      const minMax = m.startsWith('fmax') || m.startsWith('fmin');
      const args = `c.fpe,${arg(t, n(o))},${arg(t, vi(o, 'rm'))}${minMax ? '' : `,${DYNAMIC}`}`;
      return `const r=h.F.${F(t)}${twoSource[m]}(${args})${m === 'fnmul' ? (t === 'd' ? '' : '^0x80000000') : ''};` +
        (m === 'fnmul' && t === 'd' ? 'c.fpe.hi^=0x80000000;' : '');
    };
    return fp((o) => `${call(o)}${result(o, t)}`);
  }
  if (parts.length === 2 && ['fmadd', 'fmsub', 'fnmadd', 'fnmsub'].includes(m)) {
    // Ra + Rn * Rm with Rn negated for fmsub/fnmadd and Ra for fnmadd/fnmsub.
    const negN = m === 'fmsub' || m === 'fnmadd', negA = m === 'fnmadd' || m === 'fnmsub';
    return fp((o) => {
      const a = vi(o, 'ra'), nn = n(o), mm = vi(o, 'rm');
      return `const r=h.F.${F(t)}MulAdd(c.fpe,${negN ? negArg(t, nn) : arg(t, nn)},${arg(t, mm)},${negA ? negArg(t, a) : arg(t, a)},${DYNAMIC});${result(o, t)}`;
    });
  }
  if (parts.length === 2 && m === 'fsqrt') return fp((o) => `const r=h.F.${F(t)}Sqrt(c.fpe,${arg(t, n(o))},${DYNAMIC});${result(o, t)}`);
  if (parts.length === 2 && roundsIntegral[m] !== undefined) {
    const [rm, exact] = roundsIntegral[m]!;
    return fp((o) => `const r=h.F.${F(t)}RoundInt(c.fpe,${arg(t, n(o))},${rm},${exact});${result(o, t)}`);
  }
  if (m === 'fcvt') {
    const [, dst, src] = parts as [string, string, string];
    // Widening is exact and takes no rounding mode.
    const widening = (src === 'h') || (src === 's' && dst === 'd');
    return fp((o) => `const r=h.F.${F(src)}To${F(dst).toUpperCase()}(c.fpe,${arg(src, n(o))}${widening ? '' : `,${DYNAMIC}`});${result(o, dst)}`);
  }
  if (m === 'fcmp' || m === 'fcmpe') {
    const zero = parts[1] === 'zero';
    const other = (o: Operands): string => (zero ? (t === 'd' ? '0,0' : '0') : arg(t, vi(o, 'rm')));
    return fp((o) => setFlags(`h.F.${F(t)}Compare(c.fpe,${arg(t, n(o))},${other(o)},${m === 'fcmpe'})`));
  }
  if (m === 'fccmp' || m === 'fccmpe') {
    return fp((o) => `if(${condition(o)})${setFlags(`h.F.${F(t)}Compare(c.fpe,${arg(t, n(o))},${arg(t, vi(o, 'rm'))},${m === 'fccmpe'})`)}` +
      `else{const f=${o.k('nzcv')};c.nf=f>>3;c.zf=(f>>2)&1;c.cf=(f>>1)&1;c.vf=f&1;}`);
  }
  const conv = /^fcvt([npmaz])([su])$/.exec(m);
  if (conv) {
    const fixed = parts[1] === 'fix';
    const r = parts[fixed ? 2 : 1]!;
    const fbits = (o: Operands): string => (fixed ? `,64-${o.k('imm')}` : '');
    const fn = `${F(t)}To${conv[2] === 's' ? 'I' : 'U'}${r === 'w' ? 32 : 64}`;
    return fp((o) => {
      const call = `h.F.${fn}(c.fpe,${arg(t, n(o))},${toIntegerMode[conv[1]!]}${fbits(o)})`;
      return r === 'w' ? set32(o, 'rd', call) : `const l=${call};${o.set('rd', 'l', 'c.fpe.hi')}`;
    });
  }
  if (m === 'scvtf' || m === 'ucvtf') {
    const fixed = parts[1] === 'fix';
    const [dst, r] = [parts[fixed ? 2 : 1]!, parts[fixed ? 3 : 2]!];
    const fn = `${m === 'scvtf' ? 'i' : 'u'}${r === 'w' ? 32 : 64}To${F(dst).toUpperCase()}`;
    return fp((o) => {
      const src = r === 'w' ? o.lo('rn') : `${o.lo('rn')},${o.hi('rn')}`;
      return `const r=h.F.${fn}(c.fpe,${src},${DYNAMIC}${fixed ? `,64-${o.k('imm')}` : ''});${result(o, dst)}`;
    });
  }
  return undefined;
}
