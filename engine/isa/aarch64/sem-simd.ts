// Semantics of the FP/SIMD register rows: ORR (vector, MOV's encoding), DUP
// (general) and MOVI. Like every FP/SIMD instruction they trap while
// CPACR_EL1.FPEN (or CPTR_EL2.TFP) disables the unit.

import { fpCheck } from './sem-memory';
import { moviKind, type Row, type Values } from './table';
import type { Semantics } from './fragment';

const val = (v: Values, slot: keyof Values): number => v[slot] ?? 0;

/** AdvSIMDExpandImm for the MOVI forms: the 64-bit pattern as two words. */
function moviPattern(v: Values): { l: number; h: number } {
  const op = val(v, 'op'), cmode = val(v, 'cmode'), imm8 = val(v, 'imm');
  const kind = moviKind(op, cmode, val(v, 'q'));
  let word: number;
  switch (kind) {
    case 's': word = imm8 << (8 * ((cmode >> 1) & 3)); return { l: word | 0, h: word | 0 };
    case 'h': word = imm8 << (8 * ((cmode >> 1) & 1)); word = (word << 16) | word; return { l: word | 0, h: word | 0 };
    case 'msl': word = cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff; return { l: word, h: word };
    case 'b': word = imm8 * 0x01010101; return { l: word | 0, h: word | 0 };
    default: {
      // op = 1, cmode = 1110: every bit of imm8 becomes a byte of ones or zeros.
      let l = 0, h = 0;
      for (let i = 0; i < 4; i++) if ((imm8 >> i) & 1) l |= 0xff << (8 * i);
      for (let i = 0; i < 4; i++) if ((imm8 >> (i + 4)) & 1) h |= 0xff << (8 * i);
      return { l: l | 0, h: h | 0 };
    }
  }
}

/** Element size in bytes of DUP (general), from the lowest set bit of imm5. */
const dupSize = (imm5: number): number => (imm5 & 1 ? 1 : imm5 & 2 ? 2 : imm5 & 4 ? 4 : 8);

export function simdSemantics(row: Row): Semantics | undefined {
  switch (row.id) {
    case 'orr.vec':
      return {
        kind: 'mem',
        body: (o) => `${fpCheck(o)}const d=${o.k('rd')}*4,n=${o.k('rn')}*4,m=${o.k('rm')}*4,q=${o.k('q')},v=c.v;` +
          'const w0=v[n]|v[m],w1=v[n+1]|v[m+1],w2=q?v[n+2]|v[m+2]:0,w3=q?v[n+3]|v[m+3]:0;v[d]=w0;v[d+1]=w1;v[d+2]=w2;v[d+3]=w3;',
      };
    case 'dup.gen':
      return {
        kind: 'mem',
        consts: (v) => ({ size: dupSize(val(v, 'imm')) }),
        body: (o) => `${fpCheck(o)}const s=${o.k('size')},g=${o.lo('rn')},d=${o.k('rd')}*4,q=${o.k('q')};` +
          'const l=s===1?(g&255)*0x01010101:s===2?((g&65535)*0x10001):g,hh=s===8?' + o.hi('rn') + ':l;' +
          'c.v[d]=l;c.v[d+1]=hh;c.v[d+2]=q?l:0;c.v[d+3]=q?hh:0;',
      };
    case 'movi':
      return {
        kind: 'mem',
        consts: (v) => {
          const p = moviPattern(v);
          return { pl: p.l, ph: p.h };
        },
        body: (o) => `${fpCheck(o)}const d=${o.k('rd')}*4,q=${o.k('q')},l=${o.k('pl')},hh=${o.k('ph')};` +
          'c.v[d]=l;c.v[d+1]=hh;c.v[d+2]=q?l:0;c.v[d+3]=q?hh:0;',
      };
  }
  return undefined;
}
