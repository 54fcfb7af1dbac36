// Lanewise and across-lanes Advanced SIMD operations generated as loops over
// the lane views inside the translated block, when the element size is known
// there: each block then reads one typed-array type at each access, which is
// much faster than the lane helpers' one loop for every size and signedness.
// Only operations that cannot saturate are here (FPSR.QC stays the helpers').

import type { Operands } from './fragment';
import { fpCheck } from './sem-memory';
import { laneOps } from './simd-ops';

/** A lane result from a (n), b (m), d (the old destination) for an element of `bits`, shift k. */
type Template = (bits: number, k: number) => string | undefined;

const shr = (signed: boolean): Template => (_, k) => (k >= 32 ? (signed ? 'a>>31' : '0') : signed ? `a>>${k}` : `a>>>${k}`);

const templates: Readonly<Record<string, Template>> = {
  add: () => 'a+b', sub: () => 'a-b',
  mul: (bits) => (bits === 32 ? 'Math.imul(a,b)' : 'a*b'),
  mla: (bits) => (bits === 32 ? 'd+Math.imul(a,b)' : 'd+a*b'),
  mls: (bits) => (bits === 32 ? 'd-Math.imul(a,b)' : 'd-a*b'),
  cmeq: () => '(a===b?-1:0)', cmtst: () => '((a&b)!==0?-1:0)',
  scmgt: () => '(a>b?-1:0)', ucmgt: () => '(a>b?-1:0)', scmge: () => '(a>=b?-1:0)', ucmge: () => '(a>=b?-1:0)',
  cmgt0: () => '(a>0?-1:0)', cmge0: () => '(a>=0?-1:0)', cmeq0: () => '(a===0?-1:0)', cmle0: () => '(a<=0?-1:0)', cmlt0: () => '(a<0?-1:0)',
  smax: () => '(a>b?a:b)', umax: () => '(a>b?a:b)', smin: () => '(a<b?a:b)', umin: () => '(a<b?a:b)',
  sabd: () => 'Math.abs(a-b)', uabd: () => 'Math.abs(a-b)', saba: () => 'd+Math.abs(a-b)', uaba: () => 'd+Math.abs(a-b)',
  shadd: () => 'Math.floor((a+b)/2)', uhadd: () => 'Math.floor((a+b)/2)', srhadd: () => 'Math.floor((a+b+1)/2)', urhadd: () => 'Math.floor((a+b+1)/2)',
  shsub: () => 'Math.floor((a-b)/2)', uhsub: () => 'Math.floor((a-b)/2)',
  abs: () => 'Math.abs(a)', neg: () => '-a', not: () => '~a',
  cnt: (bits) => (bits === 8 ? 'h.sv.pop8[a]' : undefined),
  clz: (bits) => `(Math.clz32(a)-${32 - bits})`,
  sshr: shr(true), ushr: shr(false),
  ssra: (bits, k) => `d+(${shr(true)(bits, k)})`, usra: (bits, k) => `d+(${shr(false)(bits, k)})`,
  shli: (_, k) => `a<<${k}`,
  saddv: () => 'a+b', uaddv: () => 'a+b',
};

/** Loop over the lanes: r[i] = template(n[i], m[i], d[i]), or undefined when it cannot be inlined. */
export function inlineSame(o: Operands, name: string, lanes: string, m: 'rm' | 'rn', k = 0, size = o.known('size')): string | undefined {
  const template = templates[name];
  if (size === undefined || size > 2 || !template) return undefined;
  const bits = 8 << size, per = 16 >> size;
  const expr = template(bits, k);
  if (expr === undefined) return undefined;
  const view = laneOps[name]!.signed ? 's' : 'u';
  return `${fpCheck(o)}{const V=h.sv.views(c).${view}[${size}],O=h.sv.out[${size}],nb=${o.k('rn')}*${per},mb=${o.k(m)}*${per},db=${o.k('rd')}*${per};` +
    `h.sv.clear();for(let i=0;i<${lanes};i++){const a=V[nb+i],b=V[mb+i],d=V[db+i];O[i]=${expr};}h.sv.commit(c,${o.k('rd')});}`;
}

/** Across lanes: the lanes of n folded into one result of size + widen. */
export function inlineAcross(o: Operands, name: string, lanes: string, widen: number): string | undefined {
  const size = o.known('size');
  const template = templates[name];
  if (size === undefined || size + widen > 2 || !template) return undefined;
  const per = 16 >> size;
  const expr = template(8 << size, 0)!;
  const view = laneOps[name]!.signed ? 's' : 'u';
  return `${fpCheck(o)}{const V=h.sv.views(c).${view}[${size}],base=${o.k('rn')}*${per};let a=V[base];` +
    `for(let i=1;i<${lanes};i++){const b=V[base+i];a=${expr};}h.sv.clear();h.sv.out[${size + widen}][0]=a;h.sv.commit(c,${o.k('rd')});}`;
}
