// The aarch64 part of the assembler: comment syntax, the A64 directives
// (.inst, .xword, .ltorg), matching a statement against the forms of its
// mnemonic, the choices gas makes while encoding (add #-1 as sub #1, an
// unshifted #0x1000 as #1, lsl #12, mov #imm as movz/movn/orr), and
// operands that wait for addresses.

import type { Assembler } from '../../asm/assembler';
import { dataDirectives } from '../../asm/data-directives';
import { exprList } from '../../asm/directive-operands';
import type { IsaBackend } from '../../asm/isa';
import type { LexerConfig } from '../../asm/lexer';
import type { Resolver, Section } from '../../asm/sections';
import type { StatementContext } from '../../asm/statement';
import { encodeRow, littleEndian } from './asm-encode';
import { forms, tableRow, type Form, type Slots } from './asm-forms';
import { toWidth, wideMove } from './asm-immediates';
import { parseOperands, type OperandEnv, type OperandFailure, type Parsed, type ParsedSlot } from './asm-operands';
import { LiteralPools } from './asm-pool';
import { pcRelative, relocSlots } from './asm-reloc';
import type { Row, Slot } from './table';

/** hint #0: what gas pads code with. */
const NOP = tableRow('hint').match;

/** add <-> sub for a negative immediate. */
const OPPOSITE: Readonly<Record<string, string>> = { add: 'sub', sub: 'add', adds: 'subs', subs: 'adds' };

export class Aarch64Backend implements IsaBackend {
  readonly lexer: LexerConfig = { lineComments: ['//'], lineStartComments: ['#'], separator: ';', punctuation: '#' };
  readonly relocOperators: ReadonlySet<string> = new Set();
  readonly textAlignment = 4;
  /** aarch64 gas leaves a code section's end where its last item ends. */
  readonly padCodeSectionEnd = false;
  readonly pools = new LiteralPools();

  /** Zero bytes up to a 4-byte boundary, then nops. */
  codeFill(size: number): Uint8Array {
    const out = new Uint8Array(size);
    for (let at = size % 4; at < size; at += 4) out.set(littleEndian(NOP), at);
    return out;
  }

  /** gas pads every code alignment; nothing is assumed aligned. */
  implicitCodeAlignment(): number {
    return 1;
  }

  directive(name: string, ctx: StatementContext): boolean {
    switch (name) {
      case '.ltorg':
      case '.pool':
        if (ctx.expectEnd()) this.pools.flush(ctx.asm);
        return true;
      case '.xword':
        dataDirectives['.quad']!(ctx);
        return true;
      case '.inst':
        for (const e of exprList(ctx) ?? []) {
          const v = ctx.constant(e);
          if (v === undefined) continue;
          if (v < -(2n ** 31n) || v > 0xffffffffn) ctx.error(e.col, `instruction word ${v} does not fit in 32 bits`);
          else {
            alignForInstruction(ctx.section);
            ctx.emitBytes(littleEndian(Number(BigInt.asUintN(32, v))));
          }
        }
        return true;
      case '.arch':
      case '.arch_extension':
      case '.cpu':
        // Every instruction of the table is always available.
        while (!ctx.cursor.atEnd()) ctx.cursor.next();
        return true;
      default:
        return false;
    }
  }

  /** Pools still pending go at the end of their sections, after the last statement. */
  finish(asm: Assembler): void {
    this.pools.flushAll(asm);
  }

  instruction(ctx: StatementContext): void {
    const candidates = forms.get(ctx.name.toLowerCase());
    if (!candidates) {
      ctx.error(ctx.nameCol, `unknown instruction \`${ctx.name}\``);
      return;
    }
    alignForInstruction(ctx.section);
    const env: OperandEnv = { evaluate: (e) => ctx.tryConstant(e), expressions: new Map(), provisional: true };
    const r = this.match(ctx, candidates, env, false);
    if ('message' in r) {
      if (!r.unknown) {
        ctx.error(r.col, r.message);
        return;
      }
      // A constant defined later (`.equ` below, a forward label difference):
      // read the statement again once every value is known.
      const line = ctx.line;
      ctx.emitDeferred(4, (c, pc) => {
        const final: OperandEnv = {
          evaluate: (e) => {
            const v = c.value(e, line);
            return v === undefined ? { ok: false, col: e.col, message: 'reported' } : { ok: true, value: v };
          },
          expressions: env.expressions,
          provisional: false,
        };
        const again = this.match(ctx, candidates, final, true);
        if ('message' in again) {
          if (again.message !== 'reported') c.error(ctx.at(again.col), again.message);
          return undefined;
        }
        return 'insn' in again ? littleEndian(again.insn) : again.resolve(c, pc);
      });
      return;
    }
    if ('insn' in r) ctx.emitBytes(littleEndian(r.insn));
    else ctx.emitDeferred(4, r.resolve);
  }

  /** The first form that fits, or the failure that got furthest (or one waiting for a constant). */
  private match(ctx: StatementContext, candidates: readonly Form[], env: OperandEnv, final: boolean): Encoding | OperandFailure {
    let best: OperandFailure | undefined;
    for (const form of candidates) {
      const parsed = parseOperands(ctx, form, env);
      if (!parsed.ok) {
        if (parsed.failure.unknown) return parsed.failure;
        best = better(best, parsed.failure);
        continue;
      }
      const r = this.assemble(ctx, form, parsed.value, final);
      if (!('message' in r)) return r;
      best = better(best, r);
    }
    return best!;
  }

  /** Encode one parsed form; a failure lets the next form try. */
  private assemble(ctx: StatementContext, form: Form, parsed: Parsed, final: boolean): Encoding | OperandFailure {
    const fail = (slot: ParsedSlot | undefined, message: string): OperandFailure => ({ col: (slot && parsed.cols[slot]) ?? ctx.nameCol, message, depth: 1000 });
    const solved = form.solve?.(parsed.values, form.width) ?? {};
    if (typeof solved === 'string') return fail('a', solved);
    let slots: Slots = { ...form.fixed };
    for (const [slot, v] of Object.entries(parsed.values) as [ParsedSlot, number][]) if (slot !== 'a' && slot !== 'b') slots[slot] = v;
    slots = { ...slots, ...solved };
    let row = form.row;
    if (parsed.wide) {
      const value = toWidth(parsed.wide.value, form.width);
      if (value === undefined) return { col: parsed.wide.col, message: `immediate ${parsed.wide.value} does not fit in 32 bits`, depth: 1000 };
      const move = wideMove(value, form.width, parsed.sp.has('rd') ? 'sp' : slots.rd === 31 ? 'zr' : 'register');
      if (!move) {
        const why = slots.rd === 31 ? ' into this register' : ' (not a movz, movn or bitmask immediate)';
        return { col: parsed.wide.col, message: `immediate 0x${value.toString(16)} cannot be moved by a single instruction${why}; use \`ldr ${form.width === 64 ? 'x' : 'w'}<n>, =value\``, depth: 1000 };
      }
      const suffix = form.width === 64 ? 'x' : 'w';
      if (move.op === 'orr') {
        row = tableRow(`orr.imm.${suffix}`);
        slots = { rd: slots.rd, rn: 31, ...move.mask };
      } else {
        row = tableRow(`${move.op}.${suffix}`);
        slots = { rd: slots.rd, imm: move.imm, hw: move.hw };
      }
    }
    if (/^(add|adds|sub|subs)\.imm\./.test(row.id) && !parsed.reloc) {
      let imm = slots.imm ?? 0;
      if (imm < 0) {
        row = tableRow(row.id.replace(row.mnemonic, OPPOSITE[row.mnemonic]!));
        imm = -imm;
      }
      // gas shifts an immediate that only fits as imm12 << 12.
      if (imm > 0xfff && !parsed.explicit.has('sh') && (imm & 0xfff) === 0 && imm / 4096 <= 0xfff) {
        imm /= 4096;
        slots.sh = 1;
      }
      slots.imm = imm;
    }
    const deferred = parsed.target || parsed.pool || parsed.reloc;
    const check = encodeRow(row, { ...slots, ...(deferred ? { imm: 0 } : {}) }, form.width);
    if (typeof check !== 'number') return fail(check.slot, check.message);
    if (!deferred) return { insn: check };
    if (parsed.reloc) return this.reloc(ctx, row, slots, parsed, form.width);
    if (parsed.pool && final) return fail(undefined, 'a literal-pool load cannot wait for a constant');
    return { resolve: this.pcRelative(ctx, row, slots, parsed, form.width) };
  }

  private pcRelative(ctx: StatementContext, row: Row, slots: Slots, parsed: Parsed, width: 32 | 64): Resolver {
    const operand = (parsed.target ?? parsed.pool)!;
    const at = ctx.at(operand.col);
    const line = ctx.line;
    const entry = parsed.pool ? this.pools.add(ctx.asm, row.bytes!, parsed.pool.expr, line) : undefined;
    return (c, pc) => {
      const target = entry ? c.symbolAddress(entry.anchor!, at) : c.value(operand.expr, line);
      if (target === undefined) return undefined;
      const imm = pcRelative(row, pc, target, c, at);
      if (imm === undefined) return undefined;
      const insn = encodeRow(row, { ...slots, imm }, width);
      if (typeof insn === 'number') return littleEndian(insn);
      c.error(at, insn.message);
      return undefined;
    };
  }

  private reloc(ctx: StatementContext, row: Row, slots: Slots, parsed: Parsed, width: 32 | 64): Encoding | OperandFailure {
    const reloc = parsed.reloc!;
    const failure = (message: string): OperandFailure => ({ col: reloc.col, message, depth: 1000 });
    const movWide = /^mov[znk]\./.test(row.id);
    if (reloc.op === 'pg_hi21' || (reloc.op === 'lo12') === movWide) return failure(`\`:${reloc.op}:\` is not allowed with ${row.mnemonic}`);
    if (reloc.op === 'lo12' && slots.sh) return failure('`:lo12:` cannot be shifted');
    if (reloc.op !== 'lo12' && slots.hw) return failure(`\`:${reloc.op}:\` sets the shift itself`);
    const at = ctx.at(reloc.col);
    const line = ctx.line;
    return {
      resolve: (c) => {
        const v = c.value(reloc.expr, line);
        if (v === undefined) return undefined;
        const parts = relocSlots(reloc.op, row, v, c, at);
        if (!parts) return undefined;
        const insn = encodeRow(row, { ...slots, [reloc.slot as Slot]: parts.imm, ...(parts.hw !== undefined ? { hw: parts.hw } : {}) }, width);
        if (typeof insn === 'number') return littleEndian(insn);
        c.error(at, insn.message);
        return undefined;
      },
    };
  }
}

/** An instruction word now, or bytes computed once addresses are known. */
type Encoding = { readonly insn: number } | { readonly resolve: Resolver };

/**
 * gas puts every instruction on a 4-byte boundary, padding with zero bytes
 * after data that left the section misaligned, and gives the section at
 * least 4-byte alignment.
 */
function alignForInstruction(section: Section): void {
  section.alignment = Math.max(section.alignment, 4);
  let offset = section.current.fixedSize;
  for (let i = section.frags.length - 2; i >= 0; i--) {
    const tail = section.frags[i]!.tail;
    if (tail.kind === 'align' && tail.bytes >= 4 && tail.maxSkip === undefined) break;
    if (tail.kind !== 'space') {
      offset = -1;
      break;
    }
    offset += tail.size + section.frags[i]!.fixedSize;
  }
  if (offset % 4 !== 0) section.close({ kind: 'align', bytes: 4, maxSkip: undefined, fill: 0 });
}

function better(a: OperandFailure | undefined, b: OperandFailure): OperandFailure {
  return a === undefined || b.depth > a.depth ? b : a;
}
