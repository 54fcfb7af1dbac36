// Semantics of the scalar FP rows that move bits without arithmetic: FMOV
// (register, immediate, to and from general registers), FABS, FNEG and FCSEL.
// None of them reads FPCR or sets FPSR; like every FP instruction they trap
// while CPACR_EL1.FPEN (or CPTR_EL2.TFP) disables the unit.

import { condition, set32, type Operands, type Semantics } from './fragment';
import { fpCheck } from './sem-memory';
import type { Row, Values } from './table';

/** Statements writing a scalar of type `t` (low word `l`, high word `h` for d) to V[rd], zeroing the rest. */
export const setScalar = (o: Operands, t: string, l: string, h = '0'): string =>
  `{const $i=${o.k('rd')}*4;c.v[$i]=${t === 'h' ? `(${l})&65535` : l};c.v[$i+1]=${t === 'd' ? h : '0'};c.v[$i+2]=0;c.v[$i+3]=0;}`;

/** The index of V[r]'s first word. */
export const vi = (o: Operands, r: 'rd' | 'rn' | 'rm' | 'ra'): string => `${o.k(r)}*4`;

/** VFPExpandImm as the two words of the value in precision `t`. */
export function expandImm(imm8: number, t: string): { l: number; h: number } {
  const a = imm8 >> 7, b = (imm8 >> 6) & 1, cdefgh = imm8 & 0x3f;
  if (t === 's') return { l: ((a << 31) | ((b ^ 1) << 30) | ((b ? 0x1f : 0) << 25) | (cdefgh << 19)) | 0, h: 0 };
  return { l: 0, h: ((a << 31) | ((b ^ 1) << 30) | ((b ? 0xff : 0) << 22) | (cdefgh << 16)) | 0 };
}

const body = (f: (o: Operands) => string) => (o: Operands): string => `${fpCheck(o)}${f(o)}`;

export function fpMoveSemantics(row: Row): Semantics | undefined {
  if (row.group !== 'fp') return undefined;
  const parts = row.id.split('.');
  const [m] = parts;
  const t = parts[parts.length - 1]!;
  const n = (o: Operands): string => vi(o, 'rn');
  switch (row.id) {
    case 'fmov.s': case 'fabs.s': case 'fneg.s': {
      const op = m === 'fmov' ? '' : m === 'fabs' ? '&0x7fffffff' : '^0x80000000';
      return { kind: 'mem', body: body((o) => setScalar(o, 's', `c.v[${n(o)}]${op}`)) };
    }
    case 'fmov.d': case 'fabs.d': case 'fneg.d': {
      const op = m === 'fmov' ? '' : m === 'fabs' ? '&0x7fffffff' : '^0x80000000';
      return { kind: 'mem', body: body((o) => `const a=${n(o)};${setScalar(o, 'd', 'c.v[a]', `c.v[a+1]${op}`)}`) };
    }
    case 'fcsel.s': case 'fcsel.d':
      return {
        kind: 'mem',
        body: body((o) => `const a=(${condition(o)})?${n(o)}:${vi(o, 'rm')};${setScalar(o, t, 'c.v[a]', 'c.v[a+1]')}`),
      };
    case 'fmov.imm.s': case 'fmov.imm.d':
      return {
        kind: 'mem',
        consts: (v: Values) => {
          const w = expandImm(v.imm ?? 0, t);
          return { il: w.l, ih: w.h };
        },
        body: body((o) => setScalar(o, t, o.k('il'), o.k('ih'))),
      };
    case 'fmov.w.s': return { kind: 'mem', body: body((o) => set32(o, 'rd', `c.v[${n(o)}]`)) };
    case 'fmov.x.d': return { kind: 'mem', body: body((o) => `const a=${n(o)};${o.set('rd', 'c.v[a]', 'c.v[a+1]')}`) };
    case 'fmov.s.w': return { kind: 'mem', body: body((o) => setScalar(o, 's', o.lo('rn'))) };
    case 'fmov.d.x': return { kind: 'mem', body: body((o) => setScalar(o, 'd', o.lo('rn'), o.hi('rn'))) };
  }
  return undefined;
}
