// Semantics of the load/store rows: single registers (unsigned offset,
// unscaled, unprivileged, register offset, pre/post-index), literals, pairs, prefetches,
// and the FP/SIMD forms (which trap while CPACR_EL1.FPEN disables them).
// Registers are written only after every access of the instruction
// succeeded, so a faulting instruction leaves them as they were.

import { num, split, type Operands, type Semantics } from './fragment';
import type { Row, Values } from './table';

interface AccessShape {
  readonly size: 1 | 2 | 4 | 8 | 16;
  readonly load: boolean;
  /** Sign-extending load (ldrsb/ldrsh/ldrsw/ldpsw). */
  readonly signed: boolean;
  /** The destination is an X register (for sign extension to 64 bits). */
  readonly wide: boolean;
  readonly simd: boolean;
}

function shapeOf(row: Row): AccessShape {
  const [name, reg] = row.id.split('.') as [string, string];
  const simd = ['b', 'h', 's', 'd', 'q'].includes(reg);
  return {
    size: (row.bytes ?? 8) as AccessShape['size'],
    load: name.startsWith('ld'),
    signed: name.startsWith('ldrs') || name === 'ldpsw',
    wide: reg === 'x',
    simd,
  };
}

/** Leaves after FP/SIMD is disabled by CPACR_EL1/CPTR_EL2. */
export const fpCheck = (o: Operands): string => `if(c.fpTrap!==0){h.fpTrap(c);${o.fault}}`;

/** The call loading `size` bytes at `a` (zero-extended; 8 bytes leave the high word in c.hi32); `unprivileged` for LDTR*. */
function loadCall(size: number, a: string, unprivileged: boolean): string {
  if (unprivileged) return `c.loadUnprivileged(${a},${size})`;
  return size === 1 ? `c.lbu(${a})` : size === 2 ? `c.lhu(${a})` : size === 4 ? `c.lw(${a})` : `c.ld(${a})`;
}

/** Statements loading one element at address expression `a` into `${p}l`, `${p}h` (a GPR value). */
function loadGpr(o: Operands, s: AccessShape, a: string, p: string, unprivileged = false): string {
  const check = `if(c.fault){${o.fault}}`;
  const call = loadCall(s.size, a, unprivileged);
  switch (s.size) {
    case 1: return s.signed
      ? `const ${p}b=${call};${check}const ${p}l=(${p}b<<24)>>24,${p}h=${s.wide ? `${p}l>>31` : '0'};`
      : `const ${p}l=${call};${check}const ${p}h=0;`;
    case 2: return s.signed
      ? `const ${p}b=${call};${check}const ${p}l=(${p}b<<16)>>16,${p}h=${s.wide ? `${p}l>>31` : '0'};`
      : `const ${p}l=${call};${check}const ${p}h=0;`;
    case 4: return `const ${p}l=${call};${check}const ${p}h=${s.signed ? `${p}l>>31` : '0'};`;
    default: return `const ${p}l=${call};${check}const ${p}h=c.hi32;`;
  }
}

/** Statement storing the low `size` bytes of register `r` at `a`; `unprivileged` for STTR*. */
function storeGpr(o: Operands, size: number, r: 'rt' | 'rt2', a: string, unprivileged = false): string {
  const call = unprivileged ? `c.storeUnprivileged(${a},${size},${o.lo(r)},${o.hi(r)})`
    : size === 1 ? `c.sb(${a},${o.lo(r)})` : size === 2 ? `c.sh(${a},${o.lo(r)})` : size === 4 ? `c.sw(${a},${o.lo(r)})` : `c.sd(${a},${o.lo(r)},${o.hi(r)})`;
  return `${call};if(c.fault){${o.fault}}`;
}

/** Statements loading a SIMD&FP element into words `${p}0..3` (zero-extended to 128 bits). */
function loadSimd(o: Operands, size: number, a: string, p: string): string {
  const check = `if(c.fault){${o.fault}}`;
  switch (size) {
    case 1: return `const ${p}0=c.lbu(${a});${check}const ${p}1=0,${p}2=0,${p}3=0;`;
    case 2: return `const ${p}0=c.lhu(${a});${check}const ${p}1=0,${p}2=0,${p}3=0;`;
    case 4: return `const ${p}0=c.lw(${a});${check}const ${p}1=0,${p}2=0,${p}3=0;`;
    case 8: return `const ${p}0=c.ld(${a});${check}const ${p}1=c.hi32,${p}2=0,${p}3=0;`;
    default: return `const ${p}0=c.ld(${a});${check}const ${p}1=c.hi32,${p}2=c.ld(${a}+8);${check}const ${p}3=c.hi32;`;
  }
}

const setV = (o: Operands, r: 'rt' | 'rt2', p: string): string =>
  `{const i=${o.k(r)}*4;c.v[i]=${p}0;c.v[i+1]=${p}1;c.v[i+2]=${p}2;c.v[i+3]=${p}3;}`;

function storeSimd(o: Operands, size: number, r: 'rt' | 'rt2', a: string): string {
  const i = `${o.k(r)}*4`;
  const check = `if(c.fault){${o.fault}}`;
  switch (size) {
    case 1: return `c.sb(${a},c.v[${i}]);${check}`;
    case 2: return `c.sh(${a},c.v[${i}]);${check}`;
    case 4: return `c.sw(${a},c.v[${i}]);${check}`;
    case 8: return `c.sd(${a},c.v[${i}],c.v[${i}+1]);${check}`;
    default: return `c.sd(${a},c.v[${i}],c.v[${i}+1]);${check}c.sd(${a}+8,c.v[${i}+2],c.v[${i}+3]);${check}`;
  }
}

/** Leaves with an SP alignment fault when the base is SP, SCTLR checks it, and SP is not 16-byte aligned. */
export function spCheck(o: Operands): string {
  if (o.known('sp') === 0) return '';
  return `if(${o.k('sp')}!==0&&c.spAlignCheck&&(${o.lo('rn')}&15)!==0){h.spAlignmentFault(c);${o.fault}}`;
}

type Mode = 'uoff' | 'unscaled' | 'unpriv' | 'reg' | 'post' | 'pre' | 'off' | 'lit' | 'np';

/** Statements declaring the access address `a` (a JS number) for the mode. */
function address(o: Operands, mode: Mode): string {
  if (mode === 'lit') return `const a=${o.pc}+${o.k('imm')};`;
  const base = num(o.lo('rn'), o.hi('rn'));
  if (mode === 'post') return `${spCheck(o)}const a=${base};`;
  if (mode === 'reg') {
    const offset = `(opt===2?(${o.lo('rm')}>>>0):opt===6?${o.lo('rm')}:${num(o.lo('rm'), o.hi('rm'))})`;
    return `${spCheck(o)}const opt=${o.k('option')},a=${base}+${offset}*${o.k('scale')};`;
  }
  return `${spCheck(o)}const a=${base}+${o.k('imm')};`;
}

/** Statement writing the updated base back (pre/post-index). */
function writeBack(o: Operands, mode: Mode): string {
  if (mode === 'pre') return `{${split('a', 'w')}${o.set('rn', 'wl', 'wh')}}`;
  if (mode === 'post') return `{${split(`a+${o.k('imm')}`, 'w')}${o.set('rn', 'wl', 'wh')}}`;
  return '';
}

const spConst = (v: Values): number => (v.rn === 31 ? 1 : 0);

function single(row: Row, mode: Mode): Semantics {
  const s = shapeOf(row);
  const consts = (v: Values) => ({ sp: spConst(v), scale: v.ls ? s.size : 1 });
  return {
    kind: 'mem',
    consts,
    body: (o) => {
      const fp = s.simd ? fpCheck(o) : '';
      const a = address(o, mode);
      if (s.simd) {
        const access = s.load ? loadSimd(o, s.size, 'a', 'q') + setV(o, 'rt', 'q') : storeSimd(o, s.size, 'rt', 'a');
        return fp + a + access + writeBack(o, mode);
      }
      const unprivileged = mode === 'unpriv';
      const access = s.load ? loadGpr(o, s, 'a', 'v', unprivileged) + o.set('rt', 'vl', 'vh') : storeGpr(o, s.size, 'rt', 'a', unprivileged);
      return a + access + writeBack(o, mode);
    },
  };
}

function pairAccess(row: Row, mode: Mode): Semantics {
  const s = shapeOf(row);
  return {
    kind: 'mem',
    consts: (v) => ({ sp: spConst(v) }),
    body: (o) => {
      const a = address(o, mode);
      const second = `a+${s.size}`;
      if (s.simd) {
        const access = s.load
          ? loadSimd(o, s.size, 'a', 'p') + loadSimd(o, s.size, second, 'q') + setV(o, 'rt', 'p') + setV(o, 'rt2', 'q')
          : storeSimd(o, s.size, 'rt', 'a') + storeSimd(o, s.size, 'rt2', second);
        return fpCheck(o) + a + access + writeBack(o, mode);
      }
      const access = s.load
        ? loadGpr(o, s, 'a', 'p') + loadGpr(o, s, second, 'q') + o.set('rt', 'pl', 'ph') + o.set('rt2', 'ql', 'qh')
        : storeGpr(o, s.size, 'rt', 'a') + storeGpr(o, s.size, 'rt2', second);
      return a + access + writeBack(o, mode);
    },
  };
}

/** Semantics for a load/store row (not exclusives or atomics), or undefined. */
export function memorySemantics(row: Row): Semantics | undefined {
  if (row.group !== 'load-store') return undefined;
  const parts = row.id.split('.');
  const name = parts[0]!;
  if (name === 'prfm' || name === 'prfum') return { kind: 'op', body: () => '' };
  const mode = parts[parts.length - 1] as Mode;
  if (['ldp', 'stp', 'ldpsw', 'ldnp', 'stnp'].includes(name)) return pairAccess(row, name.endsWith('np') ? 'off' : mode);
  if (mode === 'lit') return single(row, 'lit');
  if (['uoff', 'unscaled', 'unpriv', 'reg', 'post', 'pre'].includes(mode)) return single(row, mode);
  return undefined;
}
