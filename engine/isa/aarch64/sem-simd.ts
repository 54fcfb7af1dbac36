// Semantics of the Advanced SIMD integer rows (table-simd*.ts, table-crypto.ts).
// Each is a call into the lane helpers (h.sv) with the operands as constants,
// or for the commonest operations inline code (sem-simd-words.ts,
// sem-simd-inline.ts), the same for the interpreter and translated blocks.
// Like every FP/SIMD instruction they trap while CPACR_EL1.FPEN (or
// CPTR_EL2.TFP) disables the unit.

import type { Operands, Semantics } from './fragment';
import { immediatePattern } from './simd-moves';
import { laneOps } from './simd-ops';
import { fpCheck } from './sem-memory';
import { inlineAcross, inlineSame } from './sem-simd-inline';
import { structureSemantics } from './sem-simd-ldst';
import { wordSemantics } from './sem-simd-words';
import type { Row, Values } from './table';

const val = (v: Values, slot: keyof Values): number => v[slot] ?? 0;

/** The lane operation of a row where it is not named as the mnemonic. */
const opOverrides: Readonly<Record<string, string>> = {
  cmgt: 'scmgt', cmhi: 'ucmgt', cmge: 'scmge', cmhs: 'ucmge', smaxp: 'smax', umaxp: 'umax', sminp: 'smin', uminp: 'umin', addp: 'add',
  saddlv: 'saddv', uaddlv: 'uaddv', smaxv: 'smax', umaxv: 'umax', sminv: 'smin', uminv: 'umin', addv: 'add',
};

function opName(row: Row): string {
  const stem = row.id.slice(0, row.id.indexOf('.')).replace(/2$/, '');
  const name = opOverrides[stem] ?? stem;
  if (!(name in laneOps)) throw new Error(`no lane operation ${name} for A64 row ${row.id}`);
  return name;
}

const call = (o: Operands, fn: string, args: string): string => `${fpCheck(o)}h.sv.${fn}(c,${args});`;
const lanesOf = (v: Values): number => (val(v, 'q') ? 16 : 8) >> val(v, 'size');
const sizeOf = (row: Row): number => 'bhsd'.indexOf(row.id[row.id.indexOf('.') + 2]!);

function vectorSemantics(row: Row): Semantics | undefined {
  const [stem = '', shape = ''] = row.id.split('.');
  const op = () => `h.sv.ops.${opName(row)}`;
  const k = (o: Operands, ...names: string[]): string => names.map((n) => o.k(n)).join(',');
  const lanewise = (lanes: (v: Values) => number, rm: 'rm' | 'rn'): Semantics => ({
    kind: 'mem', consts: (v) => ({ lanes: lanes(v) }),
    body: (o) => inlineSame(o, opName(row), o.k('lanes'), rm) ?? call(o, 'same', `${op()},${k(o, 'rd', 'rn', rm, 'size', 'lanes')}`),
  });
  switch (shape) {
    case 'v': return lanewise(lanesOf, row.operands.rm ? 'rm' : 'rn');
    case 's': return lanewise(() => 1, row.operands.rm ? 'rm' : 'rn');
    case 'vec': {
      // Logical operations work on whole words.
      return { kind: 'mem', consts: (v) => ({ lanes: val(v, 'q') ? 4 : 2 }), body: (o) => call(o, 'same', `${op()},${k(o, 'rd', 'rn', 'rm')},2,${o.k('lanes')}`) };
    }
    case 'p': return { kind: 'mem', consts: (v) => ({ lanes: lanesOf(v) }), body: (o) => call(o, 'pairwise', `${op()},${k(o, 'rd', 'rn', 'rm', 'size', 'lanes')}`) };
    case 'sp': return { kind: 'mem', body: (o) => call(o, 'across', `h.sv.ops.add,${k(o, 'rd', 'rn')},3,2,0`) };
    case 'pl': return { kind: 'mem', consts: (v) => ({ lanes: lanesOf(v) >> 1 }), body: (o) => call(o, 'pairLong', `${op()},${k(o, 'rd', 'rn', 'size', 'lanes')}`) };
    case 'n': return { kind: 'mem', consts: () => ({ part: stem.endsWith('2') ? 1 : 0 }), body: (o) => call(o, 'narrow', `${op()},${k(o, 'rd', 'rn', 'rn', 'size', 'part')}`) };
    case 'sn': return { kind: 'mem', body: (o) => call(o, 'narrow', `${op()},${k(o, 'rd', 'rn', 'rn', 'size')},0,0,1`) };
    case 'l': return { kind: 'mem', consts: () => ({ part: stem.endsWith('2') ? 1 : 0 }), body: (o) => call(o, 'long', `${op()},${k(o, 'rd', 'rn', 'rn', 'size', 'part')},0`) };
    case 'x': {
      const widen = stem.endsWith('lv') ? 1 : 0;
      return {
        kind: 'mem', consts: (v) => ({ lanes: lanesOf(v) }),
        body: (o) => inlineAcross(o, opName(row), o.k('lanes'), widen) ?? call(o, 'across', `${op()},${k(o, 'rd', 'rn', 'size', 'lanes')},${widen}`),
      };
    }
    case 'perm': {
      const opcode = ({ uzp1: 1, trn1: 2, zip1: 3, uzp2: 5, trn2: 6, zip2: 7 } as Record<string, number>)[stem]!;
      return { kind: 'mem', consts: (v) => ({ lanes: lanesOf(v) }), body: (o) => call(o, 'permute', `${opcode},${k(o, 'rd', 'rn', 'rm', 'size', 'lanes')}`) };
    }
    case 'imm': {
      const combine = { movi: 0, mvni: 1, orr: 2, bic: 3 }[stem as 'movi']!;
      return {
        kind: 'mem',
        consts: (v) => {
          const p = immediatePattern(val(v, 'op'), val(v, 'cmode'), val(v, 'imm'), val(v, 'q'));
          return combine === 1 || combine === 3 ? { pl: ~p.l, ph: ~p.h } : { pl: p.l, ph: p.h };
        },
        body: (o) => {
          const d = `const d=${o.k('rd')}*4,q=${o.k('q')},v=c.v;`;
          const word = (i: number, p: string): string => (combine >= 2 ? `v[d+${i}]${combine === 2 ? '|' : '&'}${p}` : p);
          return `${fpCheck(o)}${d}const l=${o.k('pl')},hh=${o.k('ph')};` +
            `v[d]=${word(0, 'l')};v[d+1]=${word(1, 'hh')};v[d+2]=q?${word(2, 'l')}:0;v[d+3]=q?${word(3, 'hh')}:0;`;
        },
      };
    }
  }
  return undefined;
}

function moveSemantics(row: Row): Semantics | undefined {
  const id = row.id;
  const size = (): number => sizeOf(row);
  const mem = (body: (o: Operands) => string, consts?: (v: Values) => Readonly<Record<string, number>>): Semantics => (consts ? { kind: 'mem', consts, body } : { kind: 'mem', body });
  if (id.startsWith('dup.e')) return mem((o) => call(o, 'dupElement', `${o.k('rd')},${o.k('rn')},${o.k('idx')},${size()},${o.k('q')}?${16 >> size()}:${8 >> size()}`));
  if (id.startsWith('dup.s')) return mem((o) => call(o, 'dupElement', `${o.k('rd')},${o.k('rn')},${o.k('idx')},${size()},1`));
  if (id.startsWith('dup.g')) return mem((o) => call(o, 'dupGeneral', `${o.k('rd')},${o.lo('rn')},${o.hi('rn')},${size()},${o.k('q')}`));
  if (id.startsWith('ins.g')) return mem((o) => call(o, 'insGeneral', `${o.k('rd')},${o.k('idx')},${o.lo('rn')},${o.hi('rn')},${size()}`));
  if (id.startsWith('ins.e')) return mem((o) => call(o, 'insElement', `${o.k('rd')},${o.k('idx')},${o.k('rn')},${o.k('idx2')},${size()}`));
  const mov = /^([us])mov\.([bhsd])(?:\.([wx]))?$/.exec(id);
  if (mov) {
    const signed = mov[1] === 's' ? 1 : 0;
    const e = 'bhsd'.indexOf(mov[2]!);
    const wide = mov[3] === 'x' || e === 3;
    return mem((o) => `${fpCheck(o)}const r=h.sv.moveToGeneral(c,${o.k('rn')},${o.k('idx')},${e},${signed});${o.set('rd', 'r', wide ? 'c.hi32' : '0')}`);
  }
  if (id === 'ext') return mem((o) => call(o, 'ext', `${o.k('rd')},${o.k('rn')},${o.k('rm')},${o.k('imm')},${o.k('q')}?16:8`));
  const tbl = /^tb([lx])\.(\d)$/.exec(id);
  if (tbl) return mem((o) => call(o, 'tableLookup', `${o.k('rd')},${o.k('rn')},${o.k('rm')},${tbl[2]},${o.k('q')}?16:8,${tbl[1] === 'x' ? 1 : 0}`));
  const rev = /^rev(16|32|64)\.v$/.exec(id);
  if (rev) return mem((o) => call(o, 'reverse', `${o.k('rd')},${o.k('rn')},${o.k('size')},${Number(rev[1]) / 8},${o.k('q')}?16:8`));
  if (id === 'not.v' || id === 'rbit.v') {
    return mem((o) => call(o, 'same', `h.sv.ops.${id === 'not.v' ? 'not' : 'rbit'},${o.k('rd')},${o.k('rn')},${o.k('rn')},0,${o.k('q')}?16:8`));
  }
  return undefined;
}

/** Lane operations of the shifts by immediate where the mnemonic does not name one. */
const shiftOps: Readonly<Record<string, string>> = { shl: 'shli', sqshl: 'sqshli', uqshl: 'uqshli', shrn: 'xshrn' };

/** Shift by immediate (table-simd-shift.ts): k is the amount, from the field and the element size. */
function shiftSemantics(row: Row): Semantics | undefined {
  const m = /^([a-z]+?)(2?)\.i([vsnl])([bhsd])$/.exec(row.id);
  if (!m) return undefined;
  const [, stem = '', upper, shape, e = 'b'] = m;
  const size = 'bhsd'.indexOf(e);
  const bits = 8 << size;
  const name = shiftOps[stem] ?? stem;
  if (!(name in laneOps)) throw new Error(`no lane operation ${name} for A64 row ${row.id}`);
  const right = /shr|sra|sri/.test(stem);
  const op = `h.sv.ops.${name}`;
  const part = upper ? 1 : 0;
  const consts = (v: Values) => ({ k: right ? bits - val(v, 'imm') : val(v, 'imm'), lanes: val(v, 'q') ? 16 >> size : 8 >> size });
  switch (shape) {
    case 'v': return {
      kind: 'mem', consts,
      body: (o) => {
        const known = o.known('k');
        return (known === undefined ? undefined : inlineSame(o, name, o.k('lanes'), 'rn', known, size)) ??
          call(o, 'same', `${op},${o.k('rd')},${o.k('rn')},${o.k('rn')},${size},${o.k('lanes')},${o.k('k')}`);
      },
    };
    case 's': {
      // The narrowing scalars read one wide lane.
      if (stem.endsWith('n')) return { kind: 'mem', consts, body: (o) => call(o, 'narrow', `${op},${o.k('rd')},${o.k('rn')},${o.k('rn')},${size},0,${o.k('k')},1`) };
      return { kind: 'mem', consts, body: (o) => call(o, 'same', `${op},${o.k('rd')},${o.k('rn')},${o.k('rn')},${size},1,${o.k('k')}`) };
    }
    case 'n': return { kind: 'mem', consts, body: (o) => call(o, 'narrow', `${op},${o.k('rd')},${o.k('rn')},${o.k('rn')},${size},${part},${o.k('k')}`) };
    default: return { kind: 'mem', consts, body: (o) => call(o, 'long', `${op},${o.k('rd')},${o.k('rn')},${o.k('rn')},${size},${part},0,${o.k('k')}`) };
  }
}

/** Three registers of different types (table-simd-different.ts). */
function differentSemantics(row: Row): Semantics | undefined {
  const m = /^([a-z]+?)(2?)\.3([lwns])$/.exec(row.id);
  if (!m) return undefined;
  const [, stem = '', upper, shape] = m;
  // The wide forms share the widening forms' operation; the absolute differences name theirs without the l.
  const name = stem.replace(/w$/, 'l').replace(/^([su])ab([ad])l$/, '$1ab$2');
  if (!(name in laneOps)) throw new Error(`no lane operation ${name} for A64 row ${row.id}`);
  const op = `h.sv.ops.${name}`;
  const regs = (o: Operands): string => `${o.k('rd')},${o.k('rn')},${o.k('rm')},${row.operands.size ? o.k('size') : 0}`;
  const part = upper ? 1 : 0;
  switch (shape) {
    case 'n': return { kind: 'mem', body: (o) => call(o, 'narrow', `${op},${regs(o)},${part}`) };
    case 's': return { kind: 'mem', body: (o) => call(o, 'long', `${op},${regs(o)},0,0,0,1`) };
    default: return { kind: 'mem', body: (o) => call(o, 'long', `${op},${regs(o)},${part},${shape === 'w' ? 1 : 0}`) };
  }
}

/** Operations by element (table-simd-element.ts): m's lane idx meets every lane of n. */
function elementSemantics(row: Row): Semantics | undefined {
  const m = /^([a-z]+?)(2?)\.x([vlsw])([hs])$/.exec(row.id);
  if (!m) return undefined;
  const [, stem = '', upper, shape, e = 'h'] = m;
  if (!(stem in laneOps)) throw new Error(`no lane operation ${stem} for A64 row ${row.id}`);
  const op = `h.sv.ops.${stem}`;
  const size = 'bhsd'.indexOf(e);
  const part = upper ? 1 : 0;
  const regs = (o: Operands): string => `${op},${o.k('rd')},${o.k('rn')},${o.k('rm')},${size}`;
  switch (shape) {
    case 'v': return { kind: 'mem', consts: (v) => ({ lanes: (val(v, 'q') ? 16 : 8) >> size }), body: (o) => call(o, 'same', `${regs(o)},${o.k('lanes')},0,${o.k('idx')}`) };
    case 's': return { kind: 'mem', body: (o) => call(o, 'same', `${regs(o)},1,0,${o.k('idx')}`) };
    case 'l': return { kind: 'mem', body: (o) => call(o, 'long', `${regs(o)},${part},0,0,${8 >> size},${o.k('idx')}`) };
    default: return { kind: 'mem', body: (o) => call(o, 'long', `${regs(o)},0,0,0,1,${o.k('idx')}`) };
  }
}

/** The cryptographic extension (table-crypto.ts): the helper and its constant arguments after the registers. */
const cryptoCalls: Readonly<Record<string, readonly [string, string]>> = {
  aese: ['aesRound', '0'], aesd: ['aesRound', '1'], aesmc: ['aesMix', '0'], aesimc: ['aesMix', '1'],
  sha1c: ['sha1Rounds', '0'], sha1p: ['sha1Rounds', '1'], sha1m: ['sha1Rounds', '2'], sha1su0: ['sha1su0', ''],
  sha256h: ['sha256h', '0'], sha256h2: ['sha256h', '1'], sha256su1: ['sha256su1', ''],
  sha1h: ['sha1h', ''], sha1su1: ['sha1su1', ''], sha256su0: ['sha256su0', ''], 'pmull.q': ['pmull64', '0'], 'pmull2.q': ['pmull64', '1'],
};

function cryptoSemantics(row: Row): Semantics | undefined {
  const entry = cryptoCalls[row.id];
  if (!entry) return undefined;
  const [fn, extra] = entry;
  const regs = (o: Operands): string => [o.k('rd'), o.k('rn'), ...(row.operands.rm ? [o.k('rm')] : []), ...(extra ? [extra] : [])].join(',');
  return { kind: 'mem', body: (o) => call(o, fn, regs(o)) };
}

export function simdSemantics(row: Row): Semantics | undefined {
  if (row.group !== 'simd') return undefined;
  return wordSemantics(row) ?? cryptoSemantics(row) ?? structureSemantics(row) ?? shiftSemantics(row) ?? differentSemantics(row) ?? elementSemantics(row) ?? moveSemantics(row) ?? vectorSemantics(row);
}
