// The commonest Advanced SIMD operations as inline word arithmetic rather than
// calls into the lane helpers, for speed in translated blocks: the bitwise
// operations (MOV is ORR) and ADD/SUB in every element size (bytes and
// halfwords as SIMD-within-a-word, doublewords with a carry between words).

import type { Operands, Semantics } from './fragment';
import { fpCheck } from './sem-memory';
import type { Row } from './table';

/** Result word expressions from source words a (n), b (m) and d (the old destination). */
const bitwise: Readonly<Record<string, (a: string, b: string, d: string) => string>> = {
  and: (a, b) => `${a}&${b}`, bic: (a, b) => `${a}&~${b}`, orr: (a, b) => `${a}|${b}`, orn: (a, b) => `${a}|~${b}`, eor: (a, b) => `${a}^${b}`,
  bsl: (a, b, d) => `(${d}&${a})|(~${d}&${b})`, bit: (a, b, d) => `(${d}&~${b})|(${a}&${b})`, bif: (a, b, d) => `(${d}&${b})|(${a}&~${b})`,
};

/** Declares r0..r3 (r2, r3 zero unless q) and writes them to V[d]; sources are read first, so d may be n or m. */
function words(o: Operands, each: (i: number) => string, pairs = false): string {
  const head = `${fpCheck(o)}const n=${o.k('rn')}*4,m=${o.k('rm')}*4,d=${o.k('rd')}*4,q=${o.k('q')},v=c.v;`;
  const lanes = pairs ? `${each(0)}${each(2)}` : `const r0=${each(0)},r1=${each(1)},r2=q?${each(2)}:0,r3=q?${each(3)}:0;`;
  return `${head}${lanes}v[d]=r0;v[d+1]=r1;v[d+2]=r2;v[d+3]=r3;`;
}

/** Bytes (size 0) or halfwords (size 1) added or subtracted within 32-bit words. */
function swar(sub: boolean, size: number): (i: number) => string {
  const high = size === 0 ? '0x80808080' : '0x80008000';
  const low = size === 0 ? '0x7f7f7f7f' : '0x7fff7fff';
  return (i) => {
    const a = `v[n+${i}]`, b = `v[m+${i}]`;
    return sub ? `((((${a}|${high})-(${b}&${low}))^((${a}^~${b})&${high}))|0)` : `((((${a}&${low})+(${b}&${low}))^((${a}^${b})&${high}))|0)`;
  };
}

/** 64-bit lanes: words i and i + 1 with the carry (or borrow) between them; declares r<i>, r<i+1>. */
function doubleword(sub: boolean): (i: number) => string {
  return (i) => {
    const lo = `v[n+${i}]`, hi = `v[n+${i + 1}]`, blo = `v[m+${i}]`, bhi = `v[m+${i + 1}]`;
    const t = `t${i}`;
    const zero = i === 2 ? 'q?' : '';
    const none = i === 2 ? ':0' : '';
    const sum = sub ? `(${lo}>>>0)-(${blo}>>>0)` : `(${lo}>>>0)+(${blo}>>>0)`;
    const carry = sub ? `(${t}<0?1:0)` : `(${t}>4294967295?1:0)`;
    const high = sub ? `(${hi}-${bhi}-${carry})|0` : `(${hi}+${bhi}+${carry})|0`;
    return `const ${t}=${sum},r${i}=${zero}${t}|0${none},r${i + 1}=${zero}${high}${none};`;
  };
}

export function wordSemantics(row: Row): Semantics | undefined {
  const [stem = '', shape] = row.id.split('.');
  if (shape === 'vec' && bitwise[stem]) {
    const f = bitwise[stem]!;
    return { kind: 'mem', body: (o) => words(o, (i) => `(${f(`v[n+${i}]`, `v[m+${i}]`, `v[d+${i}]`)})|0`) };
  }
  if (shape === 'v' && (stem === 'add' || stem === 'sub')) {
    const sub = stem === 'sub';
    return {
      kind: 'mem',
      body: (o) => {
        const size = o.known('size');
        if (size === undefined) return `switch(${o.k('size')}){case 0:{${words(o, swar(sub, 0))}break;}case 1:{${words(o, swar(sub, 1))}break;}` +
          `case 2:{${words(o, (i) => `(v[n+${i}]${sub ? '-' : '+'}v[m+${i}])|0`)}break;}default:{${words(o, doubleword(sub), true)}}}`;
        if (size === 3) return words(o, doubleword(sub), true);
        if (size === 2) return words(o, (i) => `(v[n+${i}]${sub ? '-' : '+'}v[m+${i}])|0`);
        return words(o, swar(sub, size));
      },
    };
  }
  return undefined;
}
