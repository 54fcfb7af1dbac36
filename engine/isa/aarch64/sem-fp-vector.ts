// Semantics of the Advanced SIMD floating-point rows (table-fp-simd.ts). Each
// is one call into the lane helpers of fp-lanes.ts (h.fv) with the operands as
// constants, so the interpreter and translated blocks run the same code. Like
// every FP/SIMD instruction they trap while CPACR_EL1.FPEN (or CPTR_EL2.TFP)
// disables the unit.

import { fpOps, type FpOpName } from './fp-lanes';
import type { Operands, Semantics } from './fragment';
import { expandImm } from './sem-fp-move';
import { fpCheck } from './sem-memory';
import type { Row, Values } from './table';

const call = (o: Operands, fn: string, args: string): string => `${fpCheck(o)}h.fv.${fn}(c,${args});`;
const k = (o: Operands, ...names: string[]): string => names.map((n) => o.k(n)).join(',');

/** The lane operation a row's stem names: pairwise and across-lane forms use the plain one. */
function opOf(stem: string, shape: string): string {
  const name = shape === 'x' ? stem.replace(/v$/, '') : shape === 'p' || shape === 'sp' ? stem.replace(/p$/, '') : stem;
  if (!(name in fpOps)) throw new Error(`no FP lane operation ${name}`);
  return `h.fv.ops.${name as FpOpName}`;
}

export function fpVectorSemantics(row: Row): Semantics | undefined {
  if (row.group !== 'fp-simd') return undefined;
  const [stem = '', form = ''] = row.id.split('.');
  const dbl = form.endsWith('d') ? 1 : 0;
  const shape = form.slice(0, -1);
  const m = row.operands.rm ? 'rm' : 'rn';
  const part = stem.endsWith('2') ? 1 : 0;
  const vectorLanes = (v: Values): number => ((v.q ?? 0) ? 4 : 2) >> dbl;
  switch (shape) {
    case 'v':
      return { kind: 'mem', consts: (v) => ({ lanes: vectorLanes(v), dbl }), body: (o) => call(o, 'same', `${opOf(stem, shape)},${k(o, 'rd', 'rn', m, 'dbl', 'lanes')}`) };
    case 's':
      return { kind: 'mem', consts: () => ({ dbl }), body: (o) => call(o, 'same', `${opOf(stem, shape)},${k(o, 'rd', 'rn', m, 'dbl')},1`) };
    case 'p':
      return { kind: 'mem', consts: (v) => ({ lanes: vectorLanes(v), dbl }), body: (o) => call(o, 'pairwise', `${opOf(stem, shape)},${k(o, 'rd', 'rn', 'rm', 'dbl', 'lanes')}`) };
    case 'sp':
      return { kind: 'mem', consts: () => ({ dbl }), body: (o) => call(o, 'across', `${opOf(stem, shape)},${k(o, 'rd', 'rn', 'dbl')},2`) };
    case 'x':
      return { kind: 'mem', body: (o) => call(o, 'across', `${opOf(stem, shape)},${k(o, 'rd', 'rn')},0,4`) };
    case 'l':
      return { kind: 'mem', consts: () => ({ dbl, part }), body: (o) => call(o, 'widen', k(o, 'rd', 'rn', 'dbl', 'part')) };
    case 'n':
      return { kind: 'mem', consts: () => ({ dbl, part, odd: stem.startsWith('fcvtxn') ? 1 : 0 }), body: (o) => call(o, 'narrow', `${k(o, 'rd', 'rn', 'dbl', 'part', 'odd')},2`) };
    case 'sn':
      return { kind: 'mem', body: (o) => call(o, 'narrow', `${k(o, 'rd', 'rn')},1,0,1,1`) };
    case 'ev':
      return { kind: 'mem', consts: (v) => ({ lanes: vectorLanes(v), dbl }), body: (o) => call(o, 'same', `${opOf(stem, shape)},${k(o, 'rd', 'rn', 'rm', 'dbl', 'lanes')},0,${o.k('idx')}`) };
    case 'es':
      return { kind: 'mem', consts: () => ({ dbl }), body: (o) => call(o, 'same', `${opOf(stem, shape)},${k(o, 'rd', 'rn', 'rm', 'dbl')},1,0,${o.k('idx')}`) };
    case 'fv': case 'fs': {
      // The field holds the element size minus the fraction bits.
      const lanes = (v: Values): number => (shape === 'fs' ? 1 : vectorLanes(v));
      return { kind: 'mem', consts: (v) => ({ lanes: lanes(v), dbl, fbits: (dbl ? 64 : 32) - (v.imm ?? 0) }), body: (o) => call(o, 'same', `${opOf(stem, shape)},${k(o, 'rd', 'rn', 'rn', 'dbl', 'lanes', 'fbits')}`) };
    }
  }
  switch (row.id) {
    case 'fmov.is': case 'fmov.id':
      return {
        kind: 'mem',
        consts: (v) => {
          const w = expandImm(v.imm ?? 0, dbl ? 'd' : 's');
          return dbl ? { l: w.l, h: w.h, q: 1 } : { l: w.l, h: w.l, q: v.q ?? 0 };
        },
        body: (o) => `${fpCheck(o)}{const i=${o.k('rd')}*4,l=${o.k('l')},hh=${o.k('h')},q=${o.k('q')};c.v[i]=l;c.v[i+1]=hh;c.v[i+2]=q?l:0;c.v[i+3]=q?hh:0;}`,
      };
    case 'fmov.gd1':
      return { kind: 'mem', body: (o) => `${fpCheck(o)}{const i=${o.k('rn')}*4;${o.set('rd', 'c.v[i+2]', 'c.v[i+3]')}}` };
    case 'fmov.d1g':
      return { kind: 'mem', body: (o) => `${fpCheck(o)}{const i=${o.k('rd')}*4;c.v[i+2]=${o.lo('rn')};c.v[i+3]=${o.hi('rn')};}` };
  }
  return undefined;
}
