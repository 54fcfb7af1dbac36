// Semantics of the data-processing rows: add/sub (immediate, shifted and
// extended register, with carry), logical (bitmask immediate and shifted
// register), moves, bitfields and extract, conditional select and compare,
// multiply and divide, shifts by register and the one-source bit operations.

import { add32, add64, condition, pair, set32, shift32, shift64, split, type Operands, type Semantics } from './fragment';
import { decodeBitMask, type Row, type Values } from './table';

const val = (v: Values, slot: keyof Values): number => v[slot] ?? 0;
const lo32 = (b: bigint): number => Number(BigInt.asIntN(32, b));
const hi32 = (b: bigint): number => Number(BigInt.asIntN(32, b >> 32n));

/** Operand b of add/sub: a constant pair from the immediate. */
const immOperand = (v: Values) => ({ bl: val(v, 'imm') << (val(v, 'sh') ? 12 : 0), bh: 0 });

/** Set rd (or, for 32-bit rows, its low word) from rl/rh or r. */
const result = (o: Operands, wide: boolean) => (wide ? o.set('rd', 'rl', 'rh') : set32(o, 'rd', 'r'));

/** add/adds/sub/subs with operand b already in bl/bh (64) or bl (32). */
function addSub(o: Operands, wide: boolean, sub: boolean, flags: boolean, carry = false): string {
  const cin = carry ? 'c.cf' : sub ? '1' : '0';
  if (wide) {
    const b = sub ? 'const nl=~bl,nh=~bh;' : 'const nl=bl,nh=bh;';
    return `${pair(o, 'rn', 'a')}${b}${add64('a', 'n', cin, flags)}${result(o, true)}`;
  }
  const b = sub ? 'const n=~bl;' : 'const n=bl;';
  return `const a=${o.lo('rn')};${b}${add32('a', 'n', cin, flags)}${result(o, false)}`;
}

/** Operand b as the shifted register rm. */
const shiftedRm = (o: Operands, wide: boolean): string =>
  wide
    ? `${pair(o, 'rm', 'm')}${shift64('b', 'ml', 'mh', o.k('shift'), o.k('amount'))}`
    : `const m=${o.lo('rm')},bl=${shift32('m', o.k('shift'), o.k('amount'))};`;

/** Operand b as the extended register rm (UXTB..SXTX) shifted left by 0..4. */
function extendedRm(o: Operands, wide: boolean): string {
  const ext = `const w=${o.lo('rm')},opt=${o.k('option')},s=${o.k('amount')};` +
    `let el,eh;switch(opt){case 0:el=w&255;eh=0;break;case 1:el=w&65535;eh=0;break;case 2:el=w;eh=0;break;` +
    `case 3:el=w;eh=${o.hi('rm')};break;case 4:el=(w<<24)>>24;eh=el>>31;break;case 5:el=(w<<16)>>16;eh=el>>31;break;` +
    `case 6:el=w;eh=w>>31;break;default:el=w;eh=${o.hi('rm')};}`;
  if (!wide) return `${ext}const bl=el<<s;`;
  return `${ext}const bl=el<<s,bh=s===0?eh:(eh<<s)|(el>>>(32-s));`;
}

/** Logical operations: a op b, with `invert` applying NOT to b first. */
function logical(o: Operands, wide: boolean, op: '&' | '|' | '^', invert: boolean, flags: boolean): string {
  const n = (x: string) => (invert ? `~${x}` : x);
  if (wide) {
    const f = flags ? 'c.nf=rh>>>31;c.zf=(rl|rh)===0?1:0;c.cf=0;c.vf=0;' : '';
    return `${pair(o, 'rn', 'a')}const rl=al${op}${n('bl')},rh=ah${op}${n('bh')};${f}${result(o, true)}`;
  }
  const f = flags ? 'c.nf=r>>>31;c.zf=r===0?1:0;c.cf=0;c.vf=0;' : '';
  return `const a=${o.lo('rn')},r=a${op}${n('bl')};${f}${result(o, false)}`;
}

/**
 * The Arm ARM's bitfield masks (DecodeBitMasks with immediate = FALSE): wmask
 * selects the rotated source bits, tmask the bits below the top of the field.
 */
function bitfieldMasks(n: number, imms: number, immr: number, width: 32 | 64): { w: bigint; t: bigint; r: number; s: number } {
  const len = 31 - Math.clz32((n << 6) | (~imms & 0x3f));
  const esize = 1 << len;
  const levels = esize - 1;
  const s = imms & levels;
  const r = immr & levels;
  const d = (s - r) & levels;
  const emask = (1n << BigInt(esize)) - 1n;
  const welem = (1n << BigInt(s + 1)) - 1n;
  const telem = (1n << BigInt(d + 1)) - 1n;
  const rot = r === 0 ? welem : ((welem >> BigInt(r)) | (welem << BigInt(esize - r))) & emask;
  let w = 0n, t = 0n;
  for (let at = 0; at < width; at += esize) {
    w |= rot << BigInt(at);
    t |= telem << BigInt(at);
  }
  return { w, t, r, s };
}

/** SBFM (0), BFM (1), UBFM (2). */
function bitfield(o: Operands, wide: boolean, opc: number): string {
  if (wide) {
    const top = opc === 0 ? 'const sb=(s<32?(nl>>>s):(nh>>>(s-32)))&1,tl=-sb,th=-sb;' : opc === 1 ? `const tl=${o.lo('rd')},th=${o.hi('rd')};` : 'const tl=0,th=0;';
    const dst = opc === 1 ? `const dl=${o.lo('rd')},dh=${o.hi('rd')};` : 'const dl=0,dh=0;';
    return `${pair(o, 'rn', 'n')}const s=${o.k('s')};${shift64('q', 'nl', 'nh', '3', o.k('r'))}${dst}${top}` +
      `const wl=${o.k('wl')},wh=${o.k('wh')},ml=${o.k('tl')},mh=${o.k('th')};` +
      'const bl=(dl&~wl)|(ql&wl),bh=(dh&~wh)|(qh&wh);' +
      'const rl=(tl&~ml)|(bl&ml),rh=(th&~mh)|(bh&mh);' + result(o, true);
  }
  const top = opc === 0 ? 'const t=-((n>>>s)&1);' : opc === 1 ? `const t=${o.lo('rd')};` : 'const t=0;';
  const dst = opc === 1 ? `const d=${o.lo('rd')};` : 'const d=0;';
  return `const n=${o.lo('rn')},s=${o.k('s')},q=${shift32('n', '3', o.k('r'))};${dst}${top}` +
    `const w=${o.k('wl')},m=${o.k('tl')},b=(d&~w)|(q&w),r=(t&~m)|(b&m);` + result(o, false);
}

/** Result of a conditional select family member: op 0 csel, 1 csinc, 2 csinv, 3 csneg. */
function condSelect(o: Operands, wide: boolean, op: number): string {
  const cond = condition(o);
  if (wide) {
    const alt = ['const rl=ml,rh=mh;', 'const sl=(ml>>>0)+1,rl=sl|0,rh=(mh+(sl>4294967295?1:0))|0;', 'const rl=~ml,rh=~mh;', 'const rl=(-ml)|0,rh=(~mh+(ml===0?1:0))|0;'][op]!;
    return `if(${cond}){${o.set('rd', o.lo('rn'), o.hi('rn'))}}else{${pair(o, 'rm', 'm')}${alt}${o.set('rd', 'rl', 'rh')}}`;
  }
  const alt = ['m', '(m+1)|0', '~m', '(-m)|0'][op]!;
  return `if(${cond}){${set32(o, 'rd', o.lo('rn'))}}else{const m=${o.lo('rm')};${set32(o, 'rd', alt)}}`;
}

/** ccmp (sub) and ccmn (add): flags of rn op b when the condition holds, else the immediate nzcv. */
function condCompare(o: Operands, wide: boolean, sub: boolean, imm: boolean): string {
  const b = imm ? `const bl=${o.k('imm')},bh=0;` : `const bl=${o.lo('rm')},bh=${o.hi('rm')};`;
  const nb = sub ? 'const nl=~bl,nh=~bh;' : 'const nl=bl,nh=bh;';
  const cin = sub ? '1' : '0';
  const flags = wide ? `${pair(o, 'rn', 'a')}${b}${nb}${add64('a', 'n', cin, true)}` : `const a=${o.lo('rn')};${b}const n=${sub ? '~bl' : 'bl'};${add32('a', 'n', cin, true)}`;
  return `if(${condition(o)}){${flags}}else{const f=${o.k('nzcv')};c.nf=f>>>3;c.zf=(f>>>2)&1;c.cf=(f>>>1)&1;c.vf=f&1;}`;
}

/** madd/msub: ra +/- rn*rm. */
function multiplyAdd(o: Operands, wide: boolean, sub: boolean): string {
  if (!wide) return `const p=Math.imul(${o.lo('rn')},${o.lo('rm')}),a=${o.lo('ra')};${set32(o, 'rd', sub ? '(a-p)|0' : '(a+p)|0')}`;
  const product = `${pair(o, 'rn', 'x')}${pair(o, 'rm', 'y')}const bl=Math.imul(xl,yl),bh=(h.mulhu32(xl,yl)+Math.imul(xl,yh)+Math.imul(xh,yl))|0;`;
  const nb = sub ? 'const nl=~bl,nh=~bh;' : 'const nl=bl,nh=bh;';
  return `${product}${pair(o, 'ra', 'a')}${nb}${add64('a', 'n', sub ? '1' : '0', false)}${result(o, true)}`;
}

/** smaddl/smsubl/umaddl/umsubl: ra +/- (32 x 32 -> 64). */
function multiplyLong(o: Operands, signed: boolean, sub: boolean): string {
  const product = `const u=${o.lo('rn')},y=${o.lo('rm')},bl=Math.imul(u,y),bh=${signed ? 'h.mulhs32(u,y)' : 'h.mulhu32(u,y)'};`;
  const nb = sub ? 'const nl=~bl,nh=~bh;' : 'const nl=bl,nh=bh;';
  return `${product}${pair(o, 'ra', 'a')}${nb}${add64('a', 'n', sub ? '1' : '0', false)}${result(o, true)}`;
}

/** lslv/lsrv/asrv/rorv: shift type t by rm modulo the width. */
function shiftByRegister(o: Operands, wide: boolean, t: number): string {
  if (!wide) return `const n=${o.lo('rn')},s=${o.lo('rm')}&31;${set32(o, 'rd', shift32('n', String(t), 's'))}`;
  return `${pair(o, 'rn', 'n')}const s=${o.lo('rm')}&63;${shift64('r', 'nl', 'nh', String(t), 's')}${result(o, true)}`;
}

/** rbit/rev16/rev32/rev/clz/cls. */
function oneSource(o: Operands, wide: boolean, name: string): string {
  if (!wide) {
    const f: Record<string, string> = {
      rbit: 'h.rbit32(n)', rev16: '((n>>>8)&0xff00ff)|((n&0xff00ff)<<8)', rev: 'h.rev32(n)', clz: 'Math.clz32(n)', cls: 'Math.clz32(n^(n>>31))-1',
    };
    return `const n=${o.lo('rn')};${set32(o, 'rd', f[name]!)}`;
  }
  const f: Record<string, string> = {
    rbit: 'const rl=h.rbit32(nh),rh=h.rbit32(nl);',
    rev16: 'const rl=((nl>>>8)&0xff00ff)|((nl&0xff00ff)<<8),rh=((nh>>>8)&0xff00ff)|((nh&0xff00ff)<<8);',
    rev32: 'const rl=h.rev32(nl),rh=h.rev32(nh);',
    rev: 'const rl=h.rev32(nh),rh=h.rev32(nl);',
    clz: 'const rl=nh!==0?Math.clz32(nh):32+Math.clz32(nl),rh=0;',
    cls: 'const sg=nh>>31,yh=nh^sg,yl=nl^sg,rl=(yh!==0?Math.clz32(yh):32+Math.clz32(yl))-1,rh=0;',
  };
  return `${pair(o, 'rn', 'n')}${f[name]!}${result(o, true)}`;
}

/** udiv/sdiv: division by zero gives 0; the most negative value divided by -1 gives itself. */
function divide(o: Operands, wide: boolean, signed: boolean): string {
  if (!wide) {
    const q = signed ? 'b===0?0:(a===-2147483648&&b===-1)?a:(a/b)|0' : 'b===0?0:((a>>>0)/(b>>>0))|0';
    return `const a=${o.lo('rn')},b=${o.lo('rm')};${set32(o, 'rd', q)}`;
  }
  return `const rl=h.div64(c,${o.lo('rn')},${o.hi('rn')},${o.lo('rm')},${o.hi('rm')},${signed ? 1 : 0}),rh=c.hi32;${result(o, true)}`;
}

const wideOf = (row: Row): boolean => row.id.endsWith('.x');

/** Semantics for a data-processing row, or undefined if the row is not one. */
export function dataSemantics(row: Row): Semantics | undefined {
  const id = row.id;
  const [m, form] = id.split('.') as [string, string | undefined];
  const wide = wideOf(row);
  const op = (body: (o: Operands) => string, consts?: Semantics['consts']): Semantics => ({ kind: 'op', body, ...(consts ? { consts } : {}) });
  const addSubNames = ['add', 'adds', 'sub', 'subs'];
  if (addSubNames.includes(m) && form) {
    const sub = m.startsWith('sub');
    const flags = m.endsWith('s');
    if (form === 'imm') return op((o) => `const bl=${o.k('bl')},bh=0;${addSub(o, wide, sub, flags)}`, immOperand);
    if (form === 'sreg') return op((o) => shiftedRm(o, wide) + addSub(o, wide, sub, flags));
    if (form === 'ereg') return op((o) => extendedRm(o, wide) + addSub(o, wide, sub, flags));
  }
  if (['adc', 'adcs', 'sbc', 'sbcs'].includes(m)) {
    return op((o) => `const bl=${o.lo('rm')},bh=${o.hi('rm')};${addSub(o, wide, m.startsWith('sbc'), m.endsWith('s'), true)}`);
  }
  const logicalOps: Record<string, ['&' | '|' | '^', boolean, boolean]> = {
    and: ['&', false, false], orr: ['|', false, false], eor: ['^', false, false], ands: ['&', false, true],
    bic: ['&', true, false], orn: ['|', true, false], eon: ['^', true, false], bics: ['&', true, true],
  };
  const lop = logicalOps[m];
  if (lop && form === 'imm') {
    return op((o) => `const bl=${o.k('ml')},bh=${o.k('mh')};${logical(o, wide, lop[0], false, lop[2])}`, (v) => {
      const mask = decodeBitMask(val(v, 'n'), val(v, 'imms'), val(v, 'immr'), wide ? 64 : 32)!;
      return { ml: lo32(mask), mh: hi32(mask) };
    });
  }
  if (lop && form === 'sreg') return op((o) => shiftedRm(o, wide) + logical(o, wide, lop[0], lop[1], lop[2]));
  if (m === 'movz' || m === 'movn') {
    return op((o) => o.set('rd', o.k('vl'), o.k('vh')), (v) => {
      let value = BigInt(val(v, 'imm')) << BigInt(16 * val(v, 'hw'));
      if (m === 'movn') value = BigInt.asUintN(wide ? 64 : 32, ~value);
      return { vl: lo32(value), vh: hi32(value) };
    });
  }
  if (m === 'movk') {
    return op((o) => o.set('rd', `(${o.lo('rd')}&${o.k('kl')})|${o.k('vl')}`, wide ? `(${o.hi('rd')}&${o.k('kh')})|${o.k('vh')}` : '0'), (v) => {
      const shift = BigInt(16 * val(v, 'hw'));
      const keep = ~(0xffffn << shift);
      const value = BigInt(val(v, 'imm')) << shift;
      return { kl: lo32(keep), kh: hi32(keep), vl: lo32(value), vh: hi32(value) };
    });
  }
  const bitfieldOps = ['sbfm', 'bfm', 'ubfm'];
  if (bitfieldOps.includes(m)) {
    return op((o) => bitfield(o, wide, bitfieldOps.indexOf(m)), (v) => {
      const f = bitfieldMasks(val(v, 'n') || (wide ? 1 : 0), val(v, 'imms'), val(v, 'immr'), wide ? 64 : 32);
      return { wl: lo32(f.w), wh: hi32(f.w), tl: lo32(f.t), th: hi32(f.t), r: f.r, s: f.s };
    });
  }
  if (m === 'extr') {
    if (!wide) return op((o) => `const n=${o.lo('rn')},m=${o.lo('rm')},s=${o.k('imms')};${set32(o, 'rd', 's===0?m:(m>>>s)|(n<<(32-s))')}`);
    return op((o) => `${pair(o, 'rn', 'n')}${pair(o, 'rm', 'x')}const s=${o.k('imms')};` +
      `${shift64('p', 'xl', 'xh', '1', 's')}${shift64('q', 'nl', 'nh', '0', '(64-s)&63')}` +
      `const rl=s===0?xl:pl|ql,rh=s===0?xh:ph|qh;${result(o, true)}`);
  }
  if (id === 'adr') return op((o) => `${split(`${o.pc}+${o.k('imm')}`, 'a')}${o.set('rd', 'al', 'ah')}`);
  if (id === 'adrp') return op((o) => `${split(`Math.floor(${o.pc}/4096)*4096+${o.k('imm')}`, 'a')}${o.set('rd', 'al', 'ah')}`);
  const selects = ['csel', 'csinc', 'csinv', 'csneg'];
  if (selects.includes(m)) return op((o) => condSelect(o, wide, selects.indexOf(m)));
  if (m === 'ccmp' || m === 'ccmn') return op((o) => condCompare(o, wide, m === 'ccmp', form === 'imm'));
  if (m === 'madd' || m === 'msub') return op((o) => multiplyAdd(o, wide, m === 'msub'));
  if (['smaddl', 'smsubl', 'umaddl', 'umsubl'].includes(m)) return op((o) => multiplyLong(o, m[0] === 's', m.includes('sub')));
  if (m === 'smulh' || m === 'umulh') {
    const s = m === 'smulh' ? 1 : 0;
    return op((o) => `const rl=h.mulh(c,${o.lo('rn')},${o.hi('rn')},${o.lo('rm')},${o.hi('rm')},${s},${s}),rh=c.hi32;${result(o, true)}`);
  }
  if (m === 'udiv' || m === 'sdiv') return op((o) => divide(o, wide, m === 'sdiv'));
  const shifts = ['lslv', 'lsrv', 'asrv', 'rorv'];
  if (shifts.includes(m)) return op((o) => shiftByRegister(o, wide, shifts.indexOf(m)));
  if (['rbit', 'rev16', 'rev32', 'rev', 'clz', 'cls'].includes(m) && (form === 'w' || form === 'x')) return op((o) => oneSource(o, wide, m));
  const crc = /^crc32(c?)([bhwx])$/.exec(id);
  if (crc) {
    const bytes = { b: 1, h: 2, w: 4, x: 8 }[crc[2] as 'b' | 'h' | 'w' | 'x'];
    return op((o) => set32(o, 'rd', `h.crc32(${o.lo('rn')},${o.lo('rm')},${o.hi('rm')},${bytes},${crc[1] ? 1 : 0})`));
  }
  return undefined;
}
