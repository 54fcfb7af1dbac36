// Pseudo-instructions that expand to more than one instruction or need the
// address of their own auipc: li, la/lla, call/tail/jump, loads and stores (integer and floating-point)
// addressed by symbol, and unimp.

import type { StatementContext } from '../../asm/statement';
import type { SourcePos } from '../../asm/diagnostics';
import type { Expr } from '../../asm/expr';
import type { ResolveContext } from '../../asm/sections';
import { encodeRow, littleEndian } from './asm-encode';
import { forms, tableRow, type CompressRule, type Slots } from './asm-forms';
import { liSteps } from './asm-li';
import { expressionOperand, fRegisterOperand, isMemoryOperand, registerOperand, type Operand } from './asm-operands';
import { pcrelPair, type PcrelTable } from './asm-reloc';
import type { Row } from './table';

/** What the pseudo-instructions need from the backend. */
export interface PseudoHost {
  readonly rvc: boolean;
  readonly pcrel: PcrelTable;
  /** Emit one instruction, compressed by `rules` when possible. */
  emit(ctx: StatementContext, row: Row, slots: Slots, rules: readonly CompressRule[], col: number): void;
}

/** Returns false when the spelling is not this pseudo-instruction's (then forms are tried). */
type Pseudo = (host: PseudoHost, ctx: StatementContext, operands: readonly Operand[]) => boolean;

const RA = 1;
const T1 = 6;
const ZERO = 0;

function count(ctx: StatementContext, operands: readonly Operand[], n: number, syntax: string): boolean {
  const empty = operands.find((o) => o.tokens.length === 0);
  if (operands.length === n && !empty) return true;
  if (operands.length === n) ctx.error(empty!.col, `missing operand for \`${ctx.name}\` (${syntax})`);
  else ctx.error(operands[n]?.col ?? ctx.cursor.endCol, `\`${ctx.name}\` takes ${n} operand${n === 1 ? '' : 's'} (${syntax}), found ${operands.length}`);
  return false;
}

const rowRules = (mnemonic: string): readonly CompressRule[] => forms.get(mnemonic)?.find((f) => f.row.mnemonic === mnemonic)?.compress ?? [];

const li: Pseudo = (host, ctx, operands) => {
  if (!count(ctx, operands, 2, 'rd,value')) return true;
  const rd = registerOperand(ctx, operands[0]!);
  const expr = expressionOperand(ctx, operands[1]!);
  if (rd === undefined || !expr) return true;
  if (expr.kind === 'reloc') {
    ctx.error(expr.col, `\`%${expr.op}\` is not allowed in li; use lui/addi`);
    return true;
  }
  // Constants wrap at 64 bits, as in gas; literals wider than that are errors.
  const value = ctx.constant(expr);
  if (value === undefined) return true;
  const steps = liSteps(value, rd);
  for (const step of steps) {
    const row = tableRow(step.op);
    const slots: Slots = step.op === 'lui' ? { rd, imm: (step.imm << 12) | 0 } : { rd, rs1: step.fromZero ? ZERO : rd, imm: step.imm };
    // A 12-bit value is gas's `li` spelling of addi; longer sequences compress like the plain instructions.
    const rules = step.op === 'addi' && step.fromZero ? (forms.get('li')?.find((f) => f.row === row)?.compress ?? []) : rowRules(step.op);
    host.emit(ctx, row, slots, rules, expr.col);
  }
  return true;
};

/** auipc + one instruction using its low part, both resolved after layout. */
function auipcPair(
  host: PseudoHost,
  ctx: StatementContext,
  target: Expr,
  auipcRd: number,
  second: (lo: number) => { row: Row; slots: Slots },
): void {
  const at: SourcePos = ctx.at(target.col);
  const anchor = ctx.anchor();
  host.pcrel.add({ anchor, target, at });
  const parts = (final: ResolveContext, auipcPc: bigint): { hi: number; lo: number } | undefined => {
    const t = final.value(target, at.line);
    if (t === undefined) return undefined;
    const pair = pcrelPair(BigInt.asIntN(64, t - auipcPc));
    if (!pair) final.error(at, `target is out of reach of auipc (more than 2 GiB from pc)`);
    return pair;
  };
  const encode = (final: ResolveContext, row: Row, slots: Slots): Uint8Array | undefined => {
    const insn = encodeRow(row, slots);
    if (typeof insn === 'number') return littleEndian(insn, 4);
    final.error(at, insn.message);
    return undefined;
  };
  ctx.emitDeferred(4, (c, pc) => {
    const p = parts(c, pc);
    return p && encode(c, tableRow('auipc'), { rd: auipcRd, imm: p.hi });
  });
  ctx.emitDeferred(4, (c, pc) => {
    const p = parts(c, pc - 4n);
    if (!p) return undefined;
    const { row, slots } = second(p.lo);
    return encode(c, row, slots);
  });
}

const lla: Pseudo = (host, ctx, operands) => {
  if (!count(ctx, operands, 2, 'rd,symbol')) return true;
  const rd = registerOperand(ctx, operands[0]!);
  const target = expressionOperand(ctx, operands[1]!);
  if (rd === undefined || !target) return true;
  auipcPair(host, ctx, target, rd, (lo) => ({ row: tableRow('addi'), slots: { rd, rs1: rd, imm: lo } }));
  return true;
};

/** `call [rd,] sym`, `tail sym`, `jump sym, temp`. */
function callLike(ctx: StatementContext, host: PseudoHost, target: Expr, link: number, temp: number): void {
  auipcPair(host, ctx, target, temp, (lo) => ({ row: tableRow('jalr'), slots: { rd: link, rs1: temp, imm: lo } }));
}

const call: Pseudo = (host, ctx, operands) => {
  if (operands.length === 2) {
    const rd = registerOperand(ctx, operands[0]!);
    const target = expressionOperand(ctx, operands[1]!);
    if (rd !== undefined && target) callLike(ctx, host, target, rd, T1);
    return true;
  }
  if (!count(ctx, operands, 1, '[rd,] symbol')) return true;
  const target = expressionOperand(ctx, operands[0]!);
  if (target) callLike(ctx, host, target, RA, RA);
  return true;
};

const tail: Pseudo = (host, ctx, operands) => {
  if (!count(ctx, operands, 1, 'symbol')) return true;
  const target = expressionOperand(ctx, operands[0]!);
  if (target) callLike(ctx, host, target, ZERO, T1);
  return true;
};

const jump: Pseudo = (host, ctx, operands) => {
  if (!count(ctx, operands, 2, 'symbol,temp')) return true;
  const target = expressionOperand(ctx, operands[0]!);
  const temp = registerOperand(ctx, operands[1]!);
  if (target && temp !== undefined) callLike(ctx, host, target, ZERO, temp);
  return true;
};

/** `ld rd, sym`: auipc rd + ld rd, lo(rd). Only when the address is not `off(reg)`. */
const loadSymbol = (mnemonic: string): Pseudo => (host, ctx, operands) => {
  if (operands.length !== 2 || isMemoryOperand(operands[1]!)) return false;
  const rd = registerOperand(ctx, operands[0]!);
  const target = expressionOperand(ctx, operands[1]!);
  if (rd === undefined || !target) return true;
  auipcPair(host, ctx, target, rd, (lo) => ({ row: tableRow(mnemonic), slots: { rd, rs1: rd, imm: lo } }));
  return true;
};

/** `fld fd, sym, temp`: auipc temp + fld fd, lo(temp) (an f register cannot hold the address). */
const floatLoadSymbol = (mnemonic: string): Pseudo => (host, ctx, operands) => {
  if (operands.length !== 3) return false;
  const rd = fRegisterOperand(ctx, operands[0]!);
  const target = expressionOperand(ctx, operands[1]!);
  const temp = registerOperand(ctx, operands[2]!);
  if (rd === undefined || !target || temp === undefined) return true;
  auipcPair(host, ctx, target, temp, (lo) => ({ row: tableRow(mnemonic), slots: { rd, rs1: temp, imm: lo } }));
  return true;
};

/** `sd rs2, sym, temp`: auipc temp + sd rs2, lo(temp); fsd's rs2 is an f register. */
const storeSymbol = (mnemonic: string, float = false): Pseudo => (host, ctx, operands) => {
  if (operands.length !== 3) return false;
  const rs2 = (float ? fRegisterOperand : registerOperand)(ctx, operands[0]!);
  const target = expressionOperand(ctx, operands[1]!);
  const temp = registerOperand(ctx, operands[2]!);
  if (rs2 === undefined || !target || temp === undefined) return true;
  auipcPair(host, ctx, target, temp, (lo) => ({ row: tableRow(mnemonic), slots: { rs2, rs1: temp, imm: lo } }));
  return true;
};

/** With the C extension, unimp is the all-zero halfword, which is defined to be illegal. */
const unimp: Pseudo = (host, ctx, operands) => {
  if (!host.rvc || operands.length !== 0) return false;
  ctx.emitBytes(new Uint8Array(2));
  return true;
};

export const pseudoInstructions: Readonly<Record<string, Pseudo>> = {
  li,
  la: lla,
  lla,
  call,
  tail,
  jump,
  unimp,
  ...Object.fromEntries(['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu'].map((m) => [m, loadSymbol(m)])),
  ...Object.fromEntries(['sb', 'sh', 'sw', 'sd'].map((m) => [m, storeSymbol(m)])),
  ...Object.fromEntries(['flw', 'fld'].map((m) => [m, floatLoadSymbol(m)])),
  ...Object.fromEntries(['fsw', 'fsd'].map((m) => [m, storeSymbol(m, true)])),
};
