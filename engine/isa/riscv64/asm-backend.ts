// The riscv64 part of the assembler: comment syntax, `.option`, instruction
// matching against the forms, encoding (compressed when gas would), branch
// relaxation and alignment padding.

import type { IsaBackend } from '../../asm/isa';
import type { StatementContext } from '../../asm/statement';
import { describeToken } from '../../asm/expr';
import type { LexerConfig } from '../../asm/lexer';
import { BranchPolicy } from './asm-branch';
import { applyRule, compress, encodeRow, littleEndian } from './asm-encode';
import { forms, orderingSuffixes, tableRow, type CompressRule, type Form, type Slots } from './asm-forms';
import { parseOperands, splitOperands, type OperandFailure, type ParsedOperands } from './asm-operands';
import { pseudoInstructions, type PseudoHost } from './asm-pseudo';
import { constantPart, PcrelTable, relocValue } from './asm-reloc';
import type { Row, Slot } from './table';

/** c.nop, and addi zero,zero,0: both rows' fixed bits with all-zero operands. */
const C_NOP = tableRow('c.nop').match;
const NOP = tableRow('addi').match;

export class Riscv64Backend implements IsaBackend, PseudoHost {
  readonly lexer: LexerConfig = { lineComments: ['#', '//'], separator: ';' };
  readonly relocOperators: ReadonlySet<string> = new Set(['hi', 'lo', 'pcrel_hi', 'pcrel_lo']);
  /** .text starts 2-byte aligned because the C extension is on. */
  readonly textAlignment = 2;
  readonly pcrel = new PcrelTable();
  /** Whether instructions may be compressed (`.option rvc` / `norvc`). */
  rvc = true;
  private readonly saved: boolean[] = [];

  /**
   * gas pads code with zero bytes up to 2-byte alignment, then one c.nop if
   * needed for 4-byte alignment, then 4-byte nops, whatever `.option rvc` says.
   */
  codeFill(size: number): Uint8Array {
    const out = new Uint8Array(size);
    let at = size % 2;
    if ((size - at) % 4 === 2) {
      out.set(littleEndian(C_NOP, 2), at);
      at += 2;
    }
    for (; at < size; at += 4) out.set(littleEndian(NOP, 4), at);
    return out;
  }

  implicitCodeAlignment(): number {
    return this.rvc ? 2 : 4;
  }

  directive(name: string, ctx: StatementContext): boolean {
    if (name === '.attribute') {
      // ELF attributes (compilers emit `.attribute arch, "rv64..."`) do not affect the image.
      while (!ctx.cursor.atEnd()) ctx.cursor.next();
      return true;
    }
    if (name !== '.option') return false;
    const t = ctx.cursor.next();
    if (t?.kind !== 'ident') {
      ctx.error(t?.col ?? ctx.cursor.endCol, `expected an option name, found ${describeToken(t)}`);
      return true;
    }
    switch (t.text) {
      case 'rvc':
      case 'norvc':
        if (ctx.expectEnd()) this.rvc = t.text === 'rvc';
        return true;
      case 'push':
        if (ctx.expectEnd()) this.saved.push(this.rvc);
        return true;
      case 'pop':
        if (!ctx.expectEnd()) return true;
        if (this.saved.length === 0) ctx.error(t.col, '`.option pop` without `.option push`');
        else this.rvc = this.saved.pop()!;
        return true;
      case 'norelax':
      case 'nopic':
        // This assembler never relaxes across the linker, as with -mno-relax.
        ctx.expectEnd();
        return true;
      case 'relax':
        ctx.error(t.col, 'linker relaxation is not supported; the assembler works like gas -mno-relax');
        return true;
      case 'pic':
        ctx.error(t.col, 'position-independent code (GOT-based la) is not supported');
        return true;
      case 'arch': {
        if (!ctx.cursor.isPunct(',')) {
          ctx.error(ctx.cursor.col(), 'expected `, +c` or `, -c`');
          return true;
        }
        ctx.cursor.next();
        const sign = ctx.cursor.next();
        const ext = ctx.cursor.next();
        if (sign?.kind === 'punct' && (sign.text === '+' || sign.text === '-') && ext?.kind === 'ident' && ext.text === 'c' && ctx.expectEnd()) {
          this.rvc = sign.text === '+';
        } else {
          ctx.error(sign?.col ?? ctx.cursor.endCol, 'only `.option arch, +c` and `.option arch, -c` are supported');
        }
        return true;
      }
      default:
        ctx.error(t.col, `unsupported option \`${t.text}\``);
        return true;
    }
  }

  emit(ctx: StatementContext, row: Row, slots: Slots, rules: readonly CompressRule[], col: number, bits = 0, cols: Partial<Record<Slot, number>> = {}): void {
    if (this.rvc) {
      const c = compress(rules, slots);
      if (c) {
        ctx.emitBytes(littleEndian(c.insn, 2));
        return;
      }
    }
    const insn = encodeRow(row, slots, bits);
    if (typeof insn !== 'number') {
      ctx.error((insn.slot && cols[insn.slot]) ?? col, insn.message);
      return;
    }
    ctx.emitBytes(littleEndian(insn, row.size));
  }

  instruction(ctx: StatementContext): void {
    const mnemonic = ctx.name.toLowerCase();
    const operands = splitOperands(ctx.cursor.tokens.slice(ctx.cursor.pos));
    const pseudo = pseudoInstructions[mnemonic];
    if (pseudo?.(this, ctx, operands)) return;
    let candidates = forms.get(mnemonic);
    let ordering: Slots = {};
    if (!candidates) {
      const suffix = orderingSuffixes.find((s) => mnemonic.endsWith(s.suffix));
      const base = suffix && forms.get(mnemonic.slice(0, -suffix.suffix.length))?.filter((f) => typeof f.row.operands.aq === 'string');
      if (suffix && base && base.length > 0) {
        candidates = base;
        ordering = { aq: suffix.aq, rl: suffix.rl };
      }
    }
    if (!candidates) {
      ctx.error(ctx.nameCol, `unknown instruction \`${ctx.name}\``);
      return;
    }
    let best: OperandFailure | undefined;
    for (const form of candidates) {
      if (form.row.size === 2 && !this.rvc) {
        best = better(best, { col: ctx.nameCol, message: `\`${ctx.name}\` is a compressed instruction, but compression is off (.option norvc)`, depth: 1000 });
        continue;
      }
      const parsed = parseOperands(ctx, operands, form.syntax);
      if (!parsed.ok) {
        best = better(best, parsed.failure);
        continue;
      }
      const slots = merge(form.fixed, parsed.value.slots, ordering);
      if (typeof slots === 'string') {
        best = better(best, { col: ctx.nameCol, message: slots, depth: 999 });
        continue;
      }
      if (form.same) slots[form.same[1]] = slots[form.same[0]];
      this.assemble(ctx, form, slots, parsed.value);
      return;
    }
    if (best) ctx.error(best.col, best.message);
  }

  private assemble(ctx: StatementContext, form: Form, slots: Slots, parsed: ParsedOperands): void {
    if (parsed.target) {
      this.branch(ctx, form, slots, parsed);
      return;
    }
    if (parsed.reloc) {
      const reloc = parsed.reloc;
      const at = ctx.at(reloc.col);
      if (form.row.size === 2) {
        ctx.error(reloc.col, `\`%${reloc.op}\` needs a 32-bit instruction, not ${form.row.mnemonic}`);
        return;
      }
      const op = reloc.op;
      const known = op === 'hi' || op === 'lo' ? ctx.tryConstant(reloc.arg) : undefined;
      if ((op === 'hi' || op === 'lo') && known?.ok) {
        // gas folds %hi/%lo of a constant itself: no range check, never compressed.
        this.emit(ctx, form.row, { ...slots, [reloc.slot]: constantPart(op, known.value) }, [], reloc.col, form.bits, parsed.cols);
        return;
      }
      if (reloc.op === 'pcrel_hi') this.pcrel.add({ anchor: ctx.anchor(), target: reloc.arg, at });
      ctx.emitDeferred(4, (c, pc) => {
        const v = relocValue(reloc.op, reloc.arg, pc, this.pcrel, c, at);
        if (v === undefined) return undefined;
        const insn = encodeRow(form.row, { ...slots, [reloc.slot]: v }, form.bits);
        if (typeof insn === 'number') return littleEndian(insn, 4);
        c.error(at, insn.message);
        return undefined;
      });
      return;
    }
    this.emit(ctx, form.row, slots, form.compress, ctx.nameCol, form.bits, parsed.cols);
  }

  private branch(ctx: StatementContext, form: Form, slots: Slots, parsed: ParsedOperands): void {
    const target = ctx.target(parsed.target!);
    if (!target) return;
    if (form.row.size === 2) {
      // gas relaxes an explicit c.j/c.beqz/c.bnez like j/beqz/bnez.
      const check = encodeRow(form.row, { ...slots, imm: 0 });
      if (typeof check !== 'number') {
        ctx.error((check.slot && parsed.cols[check.slot]) ?? ctx.nameCol, check.message);
        return;
      }
      const constants: Slots = {};
      for (const [slot, source] of Object.entries(form.row.operands) as [Slot, unknown][]) if (typeof source === 'number') constants[slot] = source;
      ctx.emitRelaxable(target, new BranchPolicy(tableRow(form.row.op), form.row, { ...slots, ...constants }));
      return;
    }
    // Registers are checked now; the offset once the target's address is known.
    const check = encodeRow(form.row, { ...slots, imm: 0 }, form.bits);
    if (typeof check !== 'number') {
      ctx.error((check.slot && parsed.cols[check.slot]) ?? ctx.nameCol, check.message);
      return;
    }
    const narrowRule = this.rvc ? form.compress.find((rule) => applyRule(rule, { ...slots, imm: 0 }) !== undefined) : undefined;
    ctx.emitRelaxable(target, new BranchPolicy(form.row, narrowRule?.row, slots));
  }
}

function better(a: OperandFailure | undefined, b: OperandFailure): OperandFailure {
  return a === undefined || b.depth > a.depth ? b : a;
}

/** Operand values plus what the spelling fixes; an operand may not contradict it. */
function merge(fixed: Readonly<Slots>, parsed: Readonly<Slots>, ordering: Readonly<Slots>): Slots | string {
  const out: Slots = { ...fixed, ...ordering };
  for (const [slot, v] of Object.entries(parsed) as [Slot, number][]) {
    const f = fixed[slot];
    if (f !== undefined && f !== v) return `this spelling needs ${slot} = ${f}`;
    out[slot] = v;
  }
  return out;
}
