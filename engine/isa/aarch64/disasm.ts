// Disassembler whose text matches GNU objdump 2.40 (`-d`) for aarch64. The
// row (or the first alias from aliases.ts that applies) gives the mnemonic and
// the operand syntax; each `{kind:slot}` token is formatted here. objdump's
// trailing notes (`// #decimal` after a wide-move immediate, the other names of
// a condition) come out as `comment`.

import { aliases, invertedCondition, systemAliases, type Alias } from './aliases';
import { decode, type Decoded } from './decode';
import { sysOperation, sysregName } from './sysregs';
import { arrangement, elementSize, listText, scalarLetter } from './simd-syntax';
import { conditionNames, decodeBitMask, type Slot, type Values } from './table';
import { fpImmValue } from './table-fp';
import { modifiedImmediate } from './table-simd';
import { transferBytes } from './table-simd-ldst';

export interface Disassembly {
  readonly mnemonic: string;
  readonly operands: string;
  /** objdump's trailing note, without the `// `. */
  readonly comment?: string;
  readonly text: string;
}

/** Returns e.g. "main+0x10" for an address, or undefined to print it bare. */
export type Symbolizer = (addr: number) => string | undefined;

/**
 * insn: the 32-bit instruction word. pc: its address, taken modulo 2^64 (high
 * addresses may be passed as negative numbers); the symbolizer receives targets
 * the same way, as a number below 2^63 or a negative one.
 */
export function disassembleOne(insn: number, pc: number, symbolize?: Symbolizer): Disassembly {
  const d = decode(insn);
  if (d === undefined) return fallback(insn >>> 0);
  const width = widthOf(d);
  const alias = aliasesByRow.get(d.row.id)?.find((a) => a.when(d.values, width));
  const mnemonic = alias === undefined ? d.row.mnemonic : typeof alias.name === 'string' ? alias.name : alias.name(d.values, d.row.id);
  const syntax = alias?.syntax ?? d.row.syntax;
  const ctx: Context = { d, width, pc: BigInt.asUintN(64, BigInt(Math.trunc(pc))), symbolize, derived: alias?.derive?.(d.values, width) ?? { a: 0, b: 0 }, note: undefined };
  const operands = syntax.replace(/\{([^}:]+)(?::([a-z0-9]+))?\}/g, (_m, kind: string, slot: string | undefined) => token(ctx, kind, slot));
  const body = operands === '' ? mnemonic : `${mnemonic}\t${operands}`;
  const note = ctx.note;
  if (note === undefined) return { mnemonic, operands, text: body };
  const text = `${body}${note.style === 'tab' ? '\t' : '  '}// ${note.text}`;
  return { mnemonic, operands, comment: note.text, text };
}

function fallback(insn: number): Disassembly {
  const operands = `0x${insn.toString(16).padStart(8, '0')}`;
  // objdump marks one corner of the reserved group (bits 30..21 = 0000000001) as not yet implemented.
  const comment = ((insn >>> 21) & 0x3ff) === 1 ? 'NYI' : 'undefined';
  return { mnemonic: '.inst', operands, comment, text: `.inst\t${operands} ; ${comment}` };
}

const aliasesByRow = new Map<string, Alias[]>();
for (const alias of [...aliases, ...systemAliases]) {
  for (const id of alias.rows) {
    const list = aliasesByRow.get(id) ?? [];
    list.push(alias);
    aliasesByRow.set(id, list);
  }
}

function widthOf(d: Decoded): 32 | 64 {
  if (d.values.sf !== undefined) return d.values.sf ? 64 : 32;
  return d.row.id.endsWith('.w') ? 32 : 64;
}

interface Note {
  readonly text: string;
  /** What separates the note from the operands. */
  readonly style: 'tab' | 'spaces';
}

interface Context {
  readonly d: Decoded;
  readonly width: 32 | 64;
  readonly pc: bigint;
  readonly symbolize: Symbolizer | undefined;
  readonly derived: Readonly<Record<'a' | 'b', number>>;
  note: Note | undefined;
}

const shiftNames = ['lsl', 'lsr', 'asr', 'ror'] as const;
const extendNames = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'] as const;
const barrierNames: Readonly<Record<number, string>> = {
  1: 'oshld', 2: 'oshst', 3: 'osh', 5: 'nshld', 6: 'nshst', 7: 'nsh', 9: 'ishld', 10: 'ishst', 11: 'ish', 13: 'ld', 14: 'st', 15: 'sy',
};
/** The SVE-era second names objdump lists after a condition. */
const conditionOtherNames: Readonly<Record<string, readonly string[]>> = {
  eq: ['none'], ne: ['any'], cs: ['hs', 'nlast'], cc: ['lo', 'ul', 'last'], mi: ['first'], pl: ['nfrst'],
  hi: ['pmore'], ls: ['plast'], ge: ['tcont'], lt: ['tstop'],
};
const pstateFields: Readonly<Record<number, string>> = { 0x05: 'spsel', 0x1e: 'daifset', 0x1f: 'daifclr', 0x03: 'uao', 0x04: 'pan', 0x1a: 'dit', 0x19: 'ssbs', 0x1c: 'tco', 0x08: 'allint' };

const hex = (v: number | bigint): string => `0x${v.toString(16)}`;
const get = (ctx: Context, slot: string | undefined): number => {
  if (slot === 'a' || slot === 'b') return ctx.derived[slot];
  return ctx.d.values[slot as Slot] ?? 0;
};

function gpr(n: number, width: 32 | 64, sp: boolean): string {
  if (n === 31) return sp ? (width === 64 ? 'sp' : 'wsp') : width === 64 ? 'xzr' : 'wzr';
  return `${width === 64 ? 'x' : 'w'}${n}`;
}

function address(ctx: Context, addr: bigint): string {
  const a = BigInt.asUintN(64, addr);
  const name = ctx.symbolize?.(Number(BigInt.asIntN(64, a) < 0n ? BigInt.asIntN(64, a) : a));
  // objdump prints a bare address with 0x and a symbolized one without.
  return name === undefined ? `0x${a.toString(16)}` : `${a.toString(16)} <${name}>`;
}

function conditionNote(ctx: Context, cond: string): void {
  const others = conditionOtherNames[cond];
  if (others) ctx.note = { text: `${cond} = ${others.join(', ')}`, style: 'tab' };
}

function wideValue(ctx: Context): bigint {
  const v = ctx.d.values;
  const mask = (1n << BigInt(ctx.width)) - 1n;
  if (ctx.d.row.mnemonic === 'orr') return decodeBitMask(v.n ?? 0, v.imms ?? 0, v.immr ?? 0, ctx.width) ?? 0n;
  const value = BigInt(v.imm ?? 0) << BigInt(16 * (v.hw ?? 0));
  return ctx.d.row.mnemonic === 'movn' ? ~value & mask : value;
}

function token(ctx: Context, kind: string, slot: string | undefined): string {
  const v = ctx.d.values;
  const value = get(ctx, slot);
  switch (kind) {
    case 'x': return gpr(value, 64, false);
    case 'w': return gpr(value, 32, false);
    case 'xsp': return gpr(value, 64, true);
    case 'wsp': return gpr(value, 32, true);
    case 'r': return gpr(value, ctx.width, false);
    case 'rsp': return gpr(value, ctx.width, true);
    case 'b': case 'h': case 's': case 'd': case 'q': return `${kind}${value}`;
    case '#x': return `#${hex(value)}`;
    case '#d': return `#${value}`;
    case 'off': return value === 0 ? '' : `, #${value}`;
    case 'lsl12': return value ? ', lsl #12' : '';
    case 'hw': return value ? `, lsl #${16 * value}` : '';
    case 'shift': return (v.shift ?? 0) === 0 && (v.amount ?? 0) === 0 ? '' : `, ${shiftNames[v.shift ?? 0]} #${v.amount ?? 0}`;
    case 'extend': return extendOperand(ctx);
    case 'index': return indexOperand(ctx);
    case 'target': return address(ctx, ctx.pc + BigInt(value));
    case 'page': return address(ctx, (ctx.pc & ~0xfffn) + BigInt(value));
    case 'cond': {
      const name = conditionNames[value]!;
      conditionNote(ctx, name);
      return name;
    }
    case 'invcond': {
      const name = invertedCondition(v.cond ?? 0);
      conditionNote(ctx, name);
      return name;
    }
    case 'bcondnote': {
      const others = conditionOtherNames[ctx.d.row.mnemonic.slice(2)];
      if (others) ctx.note = { text: others.map((o) => `b.${o}`).join(', '), style: 'spaces' };
      return '';
    }
    case 'bitmask': return `#${hex(decodeBitMask(v.n ?? 0, v.imms ?? 0, v.immr ?? 0, ctx.width) ?? 0n)}`;
    case 'movwide': {
      // objdump pads the hex digits of a moved immediate to 20 columns before its decimal note.
      const wide = wideValue(ctx);
      ctx.note = { text: `#${BigInt.asIntN(ctx.width, wide)}`, style: 'tab' };
      return `#0x${wide.toString(16).padEnd(20)}`;
    }
    case 'prfop': return prefetchName(value);
    case 'clrex': case 'isb': return v.crm === 15 ? '' : `#${hex(v.crm ?? 0)}`;
    case 'barrier': return barrierNames[value] ?? `#0x${value.toString(16).padStart(2, '0')}`;
    case 'pstate': {
      // A PSTATE field objdump does not know prints as a register write of xzr.
      const field = ((v.op1 ?? 0) << 3) | (v.op2 ?? 0);
      // Only the DAIF fields take a 4-bit immediate; the others are single bits.
      const name = field === 0x1e || field === 0x1f || (v.crm ?? 0) <= 1 ? pstateFields[field] : undefined;
      return name === undefined ? `s0_${v.op1 ?? 0}_c4_c${v.crm ?? 0}_${v.op2 ?? 0}, xzr` : `${name}, #${hex(v.crm ?? 0)}`;
    }
    case 'sysreg': return sysregName(v.sysreg ?? 0, ctx.d.row.id === 'msr.reg');
    case 'cn': return `C${value}`;
    case 'sys': return sysOperands(ctx);
    case 'sysop': {
      const op = sysOperation(v.op1 ?? 0, v.crn ?? 0, v.crm ?? 0, v.op2 ?? 0)!;
      const name = op.name.slice(op.name.indexOf(' ') + 1);
      // objdump leaves out a register the operation does not take, whatever Rt holds.
      return op.reg ? `${name}, ${gpr(v.rt ?? 0, 64, false)}` : name;
    }
    case 'movi': return moviOperands(ctx);
    case 'fpimm': return `#${fpConstant(fpImmValue(value))}`;
    case 'fzero': return '#0.0';
    case 'fbits': return `#${64 - value}`;
    case 'vd1': return `v${value}.d[1]`;
    case 'zero': return '#0';
    case 'esz': return `#${8 << (v.size ?? 0)}`;
    default: return vectorToken(ctx, kind, value);
  }
}

/** The vector operand kinds of simd-syntax.ts. */
function vectorToken(ctx: Context, kind: string, value: number): string {
  const v = ctx.d.values;
  const q = v.q ?? 0, size = v.size ?? 0;
  const spec = kind.slice(1);
  switch (kind[0]) {
    case 'V': return `v${value}.${arrangement(spec, q, size)}`;
    case 'F': return `${scalarLetter(spec, size)}${value}`;
    case 'E': return `v${value}.${spec[0]!.toLowerCase()}[${spec.endsWith('2') ? v.idx2 ?? 0 : v.idx ?? 0}]`;
    case 'L': {
      const count = Number(spec[0]);
      const rest = spec.slice(1);
      if (rest.startsWith('e')) return `${listText(value, count, rest[1]!.toLowerCase())}[${v.idx ?? 0}]`;
      return listText(value, count, arrangement(rest, q, size)!);
    }
    case 'P': return `#${transferBytes(spec, q, size)}`;
    case '#': {
      // A right shift by immediate: the field holds the element size minus the amount.
      const e = elementSize(spec.slice(1));
      return `#${(8 << e) - value}`;
    }
  }
  throw new Error(`unknown syntax token ${kind} in row ${ctx.d.row.id}`);
}

/** A constant as objdump prints FP immediates: C's `%.18e` (every FMOV constant is exact in 19 digits). */
function fpConstant(x: number): string {
  const [mantissa, exp] = x.toExponential(18).split('e') as [string, string];
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function extendOperand(ctx: Context): string {
  const v = ctx.d.values;
  const option = v.option ?? 0;
  const amount = v.amount ?? 0;
  const rm = gpr(v.rm ?? 0, ctx.width === 64 && (option & 3) === 3 ? 64 : 32, false);
  const setsFlags = ctx.d.row.mnemonic.endsWith('s');
  const usesSp = v.rn === 31 || (!setsFlags && v.rd === 31);
  if (usesSp && option === (ctx.width === 64 ? 3 : 2)) return amount === 0 ? rm : `${rm}, lsl #${amount}`;
  return `${rm}, ${extendNames[option]}${amount === 0 ? '' : ` #${amount}`}`;
}

function indexOperand(ctx: Context): string {
  const v = ctx.d.values;
  const option = v.option ?? 0;
  const scale = Math.log2(ctx.d.row.bytes ?? 1);
  const rm = gpr(v.rm ?? 0, (option & 1) === 1 ? 64 : 32, false);
  if (option === 3) return v.ls ? `${rm}, lsl #${scale}` : rm;
  return `${rm}, ${extendNames[option]}${v.ls ? ` #${scale}` : ''}`;
}

function prefetchName(rt: number): string {
  const type = ['pld', 'pli', 'pst'][rt >> 3];
  const target = rt >> 1 & 3;
  if (type === undefined || target === 3) return `#0x${rt.toString(16).padStart(2, '0')}`;
  return `${type}l${target + 1}${rt & 1 ? 'strm' : 'keep'}`;
}

function sysOperands(ctx: Context): string {
  const v = ctx.d.values;
  const base = `#${v.op1 ?? 0}, C${v.crn ?? 0}, C${v.crm ?? 0}, #${v.op2 ?? 0}`;
  return v.rt === 31 ? base : `${base}, ${gpr(v.rt ?? 0, 64, false)}`;
}

function moviOperands(ctx: Context): string {
  const v = ctx.d.values;
  const q = v.q ?? 0;
  const imm8 = v.imm ?? 0;
  const cmode = v.cmode ?? 0;
  const rd = v.rd ?? 0;
  switch (modifiedImmediate(v.op ?? 0, cmode, q)?.kind) {
    case 'b': return `v${rd}.${q ? '16b' : '8b'}, #${hex(imm8)}`;
    case 'h': {
      const shift = (cmode >> 1 & 1) * 8;
      return `v${rd}.${q ? '8h' : '4h'}, #${hex(imm8)}${shift ? `, lsl #${shift}` : ''}`;
    }
    case 's': {
      const shift = (cmode >> 1 & 3) * 8;
      return `v${rd}.${q ? '4s' : '2s'}, #${hex(imm8)}${shift ? `, lsl #${shift}` : ''}`;
    }
    case 'msl': return `v${rd}.${q ? '4s' : '2s'}, #${hex(imm8)}, msl #${cmode & 1 ? 16 : 8}`;
    case 'd': case '2d': {
      let wide = 0n;
      for (let i = 0; i < 8; i++) if ((imm8 >> i) & 1) wide |= 0xffn << BigInt(8 * i);
      return `${q ? `v${rd}.2d` : `d${rd}`}, #${hex(wide)}`;
    }
    default: return '';
  }
}

export type { Values };
