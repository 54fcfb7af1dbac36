// Operand parsing against a form's syntax: each `{kind:slot}` token of the
// table's syntax strings is read back from GNU as source (the reverse of
// disasm.ts's formatting), punctuation must appear as written, and optional
// parts (`, lsl #12`, `, #imm` inside brackets) may be left out.

import type { StatementContext } from '../../asm/statement';
import { describeToken, ExprSyntaxError, type EvalResult, type Expr } from '../../asm/expr';
import type { Token } from '../../asm/lexer';
import type { Form } from './asm-forms';
import { encodeBitMask, toWidth } from './asm-immediates';
import { barrierOptions, isRegisterName, parseCondition, parseFpr, parseGpr, parseSysreg, parseVector, prefetchOperations, pstateFields } from './asm-names';
import { syntaxElements, type SyntaxElement } from './asm-syntax';
import { arrangementSlots, elementSize } from './simd-syntax';
import { sysOperation, sysregMisuse } from './sysregs';
import { transferBytes } from './table-simd-ldst';
import type { Slot } from './table';
import { fpImmValue } from './table-fp';

export type ParsedSlot = Slot | 'a' | 'b';

/** Relocation operators gas writes as `:name:expr`. */
export type RelocOp = 'lo12' | 'pg_hi21' | 'abs_g0' | 'abs_g0_nc' | 'abs_g1' | 'abs_g1_nc' | 'abs_g2' | 'abs_g2_nc' | 'abs_g3';
const RELOC_OPS: ReadonlySet<string> = new Set<RelocOp>(['lo12', 'pg_hi21', 'abs_g0', 'abs_g0_nc', 'abs_g1', 'abs_g1_nc', 'abs_g2', 'abs_g2_nc', 'abs_g3']);

export interface Deferred {
  readonly expr: Expr;
  readonly col: number;
}

export interface Parsed {
  readonly values: Partial<Record<ParsedSlot, number>>;
  /** Column of the operand that gave each slot, for errors found while encoding. */
  readonly cols: Partial<Record<ParsedSlot, number>>;
  /** Slots written as sp/wsp rather than a zero register. */
  readonly sp: Set<ParsedSlot>;
  /** Slots whose value the source spelled out (an explicit `, lsl #0`). */
  readonly explicit: Set<ParsedSlot>;
  /** A pc-relative target (`{target}`/`{page}`). */
  target?: Deferred;
  /** `=expr`: a literal-pool entry. */
  pool?: Deferred;
  /** `:op:expr` into `slot`. */
  reloc?: Deferred & { readonly op: RelocOp; readonly slot: Slot };
  /** `mov Rd, #imm`: the value, whose encoding picks the instruction. */
  wide?: { readonly value: bigint; readonly col: number };
}

/** Why a form did not fit; `depth` ranks how far it got, to pick the best message. */
export interface OperandFailure {
  readonly col: number;
  readonly message: string;
  readonly depth: number;
  /** A constant is not known yet: the statement must wait for the final values. */
  readonly unknown?: boolean;
}

/**
 * How a statement's operands are read: constants come from `evaluate`, and
 * every expression parsed is kept by token position, so that a statement
 * read again once every value is known reuses the same expressions (a `.`
 * in them still means the statement's own address).
 */
export interface OperandEnv {
  readonly evaluate: (expr: Expr) => EvalResult;
  readonly expressions: Map<number, { readonly expr: Expr; readonly end: number }>;
  /** Whether constants not known yet may wait for the final values. */
  readonly provisional: boolean;
}

export type ParseResult = { readonly ok: true; readonly value: Parsed } | { readonly ok: false; readonly failure: OperandFailure };

class Failure {
  constructor(
    readonly col: number,
    readonly message: string,
    /** A well-formed operand with a bad value ranks above a malformed one. */
    readonly valueError: boolean,
    readonly unknown = false,
  ) {}
}

const shiftNames = ['lsl', 'lsr', 'asr', 'ror'] as const;
const extendNames = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'] as const;

/** Each FMOV constant's value to its 8-bit encoding. */
const fpImmediates = new Map<number, number>(Array.from({ length: 256 }, (_, imm8) => [fpImmValue(imm8), imm8]));

const isPunct = (t: Token | undefined, text: string): boolean => t?.kind === 'punct' && t.text === text;
const isIdent = (t: Token | undefined, text: string): boolean => t?.kind === 'ident' && t.text.toLowerCase() === text;

/** Reads one statement's operands against one form. */
class Reader {
  readonly out: Parsed = { values: {}, cols: {}, sp: new Set(), explicit: new Set() };
  /** What gas only warns about, reported once the whole form has been read. */
  warning: { readonly col: number; readonly message: string } | undefined;
  private readonly start: number;

  constructor(
    private readonly ctx: StatementContext,
    private readonly form: Form,
    private readonly env: OperandEnv,
  ) {
    this.start = ctx.cursor.pos;
  }

  private get cursor() {
    return this.ctx.cursor;
  }

  private peek(offset = 0): Token | undefined {
    return this.cursor.peek(offset);
  }

  private col(): number {
    return this.cursor.col();
  }

  private found(): string {
    return describeToken(this.peek());
  }

  set(slot: ParsedSlot, value: number, col: number): void {
    this.out.values[slot] = value;
    this.out.cols[slot] ??= col;
  }

  private expectPunct(text: string): void {
    if (!isPunct(this.peek(), text)) throw new Failure(this.col(), `expected \`${text}\`, found ${this.found()}`, false);
    this.cursor.next();
  }

  private optionalHash(): void {
    if (isPunct(this.peek(), '#')) this.cursor.next();
  }

  private ident(what: string): { text: string; col: number } {
    const t = this.peek();
    if (t?.kind !== 'ident') throw new Failure(this.col(), `expected ${what}, found ${this.found()}`, false);
    this.cursor.next();
    return { text: t.text, col: t.col };
  }

  private expression(): Expr {
    const t = this.peek();
    if (t?.kind === 'ident' && isRegisterName(t.text)) throw new Failure(t.col, `expected an immediate, found register \`${t.text}\``, false);
    if (!t || isPunct(t, ',') || isPunct(t, ']')) throw new Failure(this.col(), `expected an immediate, found ${this.found()}`, false);
    const start = this.cursor.pos;
    const known = this.env.expressions.get(start);
    if (known) {
      this.cursor.pos = known.end;
      return known.expr;
    }
    const e = this.ctx.parseExprFrom(this.cursor);
    if (e instanceof ExprSyntaxError) throw new Failure(e.col, e.message, false);
    this.env.expressions.set(start, { expr: e, end: this.cursor.pos });
    return e;
  }

  private constant(expr: Expr): bigint {
    const r = this.env.evaluate(expr);
    if (!r.ok) throw new Failure(r.col, r.message, true, this.env.provisional);
    return r.value;
  }

  /** An immediate that goes into a field: kept exact as a number. */
  private number(expr: Expr): number {
    const v = this.constant(expr);
    if (v < -(2n ** 52n) || v > 2n ** 52n) throw new Failure(expr.col, `immediate ${v} is out of range`, true);
    return Number(v);
  }

  /** `:op:` before an expression, if there is one. */
  private relocOp(): { op: RelocOp; col: number } | undefined {
    if (!isPunct(this.peek(), ':')) return undefined;
    const name = this.peek(1);
    const col = this.col();
    if (name?.kind !== 'ident' || !isPunct(this.peek(2), ':')) throw new Failure(col, 'expected a relocation operator such as `:lo12:`', false);
    const op = name.text.toLowerCase();
    if (!RELOC_OPS.has(op)) throw new Failure(name.col, `unknown relocation operator \`:${name.text}:\``, true);
    this.cursor.pos += 3;
    return { op: op as RelocOp, col };
  }

  private register(what: 'x' | 'w' | 'xsp' | 'wsp', slot: ParsedSlot): void {
    const t = this.peek();
    const r = t?.kind === 'ident' ? parseGpr(t.text) : undefined;
    const wide = what === 'x' || what === 'xsp';
    const sp = what === 'xsp' || what === 'wsp';
    const expected = wide ? `a 64-bit register (x0..x30 or ${sp ? 'sp' : 'xzr'})` : `a 32-bit register (w0..w30 or ${sp ? 'wsp' : 'wzr'})`;
    if (!r || r.wide !== wide || (r.n === 31 && r.sp !== sp)) {
      const shown = t?.kind === 'ident' ? `\`${t.text}\`` : this.found();
      throw new Failure(this.col(), `expected ${expected}, found ${shown}`, false);
    }
    this.cursor.next();
    this.set(slot, r.n, t!.col);
    if (r.sp) this.out.sp.add(slot);
  }

  private anyGpr(): { n: number; wide: boolean; col: number } {
    const t = this.peek();
    const r = t?.kind === 'ident' ? parseGpr(t.text) : undefined;
    if (!r || r.sp) throw new Failure(this.col(), `expected a general register, found ${this.found()}`, false);
    this.cursor.next();
    return { n: r.n, wide: r.wide, col: t!.col };
  }

  /** `, name #amount` after an operand, as a name and an optional amount. */
  private modifier(names: readonly string[]): { name: string; amount: number | undefined; col: number } | undefined {
    if (!isPunct(this.peek(), ',') || this.peek(1)?.kind !== 'ident') return undefined;
    const t = this.peek(1) as Token & { kind: 'ident' };
    const name = t.text.toLowerCase();
    if (!names.includes(name)) return undefined;
    this.cursor.pos += 2;
    if (!isPunct(this.peek(), '#') && (this.cursor.atEnd() || isPunct(this.peek(), ']') || isPunct(this.peek(), ','))) return { name, amount: undefined, col: t.col };
    this.optionalHash();
    return { name, amount: this.number(this.expression()), col: t.col };
  }

  private shiftAmount(amount: number | undefined, col: number, max: number): number {
    if (amount === undefined) throw new Failure(col, 'expected a shift amount such as `#2`', false);
    if (amount < 0 || amount > max) throw new Failure(col, `shift amount ${amount} is out of range 0..${max}`, true);
    return amount;
  }

  private immediate(slot: ParsedSlot, relocs: boolean): void {
    this.optionalHash();
    const col = this.col();
    const reloc = this.relocOp();
    if (reloc) {
      if (!relocs) throw new Failure(reloc.col, `\`:${reloc.op}:\` is not allowed in this operand`, true);
      this.out.reloc = { op: reloc.op, expr: this.expression(), col: reloc.col, slot: slot as Slot };
      return;
    }
    this.set(slot, this.number(this.expression()), col);
  }

  private get width(): 32 | 64 {
    return this.form.width;
  }

  token(kind: string, slot: string | undefined): void {
    const s = slot as ParsedSlot;
    switch (kind) {
      case 'x': case 'w': case 'xsp': case 'wsp':
        return this.register(kind, s);
      case 'r': return this.register(this.width === 64 ? 'x' : 'w', s);
      case 'rsp': return this.register(this.width === 64 ? 'xsp' : 'wsp', s);
      case 'b': case 'h': case 's': case 'd': case 'q': {
        const t = this.peek();
        const r = t?.kind === 'ident' ? parseFpr(t.text) : undefined;
        if (!r || r.size !== kind) throw new Failure(this.col(), `expected an FP/SIMD register ${kind}0..${kind}31, found ${this.found()}`, false);
        this.cursor.next();
        return this.set(s, r.n, t!.col);
      }
      case '#x': case '#d':
        return this.immediate(s, this.form.relocs);
      case 'off': {
        if (!isPunct(this.peek(), ',')) return this.set(s, 0, this.col());
        this.cursor.next();
        return this.immediate(s, this.form.relocs);
      }
      case 'lsl12': {
        const m = this.modifier(['lsl']);
        if (!m) return;
        const amount = this.shiftAmount(m.amount, m.col, 12);
        if (amount !== 0 && amount !== 12) throw new Failure(m.col, `shift amount ${amount} must be 0 or 12`, true);
        this.set(s, amount / 12, m.col);
        this.out.explicit.add(s);
        return;
      }
      case 'hw': {
        const m = this.modifier(['lsl']);
        if (!m) return;
        const amount = this.shiftAmount(m.amount, m.col, this.width - 16);
        if (amount % 16 !== 0) throw new Failure(m.col, `shift amount ${amount} must be a multiple of 16`, true);
        return this.set(s, amount / 16, m.col);
      }
      case 'shift': {
        const m = this.modifier(shiftNames);
        if (!m) return;
        this.set('shift', shiftNames.indexOf(m.name as (typeof shiftNames)[number]), m.col);
        return this.set('amount', this.shiftAmount(m.amount, m.col, this.width - 1), m.col);
      }
      case 'extend': return this.extend();
      case 'index': return this.index();
      case 'target': return this.target();
      case 'page': {
        const reloc = this.relocOp();
        if (reloc && reloc.op !== 'pg_hi21') throw new Failure(reloc.col, `\`:${reloc.op}:\` is not allowed in this operand`, true);
        this.out.target = { expr: this.expression(), col: reloc?.col ?? this.col() };
        return;
      }
      case 'cond': case 'invcond': {
        const name = this.ident('a condition such as `eq`');
        const cond = parseCondition(name.text);
        if (cond === undefined) throw new Failure(name.col, `unknown condition \`${name.text}\``, false);
        if (kind === 'invcond' && cond >= 14) throw new Failure(name.col, `condition \`${name.text}\` is not allowed here (al and nv cannot be inverted)`, true);
        return this.set('cond', kind === 'invcond' ? cond ^ 1 : cond, name.col);
      }
      case 'bcondnote': return;
      case 'bitmask': {
        this.optionalHash();
        const col = this.col();
        const v = this.constant(this.expression());
        const value = toWidth(v, this.width);
        const mask = value === undefined ? undefined : encodeBitMask(value, this.width);
        if (!mask) throw new Failure(col, `immediate 0x${BigInt.asUintN(64, v).toString(16)} is not encodable as a ${this.width}-bit bitmask immediate`, true);
        this.set('n', mask.n, col);
        this.set('immr', mask.immr, col);
        return this.set('imms', mask.imms, col);
      }
      case 'movwide': {
        this.optionalHash();
        const col = this.col();
        this.out.wide = { value: this.constant(this.expression()), col };
        return;
      }
      case 'prfop': {
        if (isPunct(this.peek(), '#')) return this.immediate(s, false);
        const name = this.ident('a prefetch operation such as `pldl1keep`');
        const rt = prefetchOperations.get(name.text.toLowerCase());
        if (rt === undefined) throw new Failure(name.col, `unknown prefetch operation \`${name.text}\``, false);
        return this.set(s, rt, name.col);
      }
      case 'clrex': case 'isb': {
        if (this.cursor.atEnd()) return this.set('crm', 15, this.col());
        if (kind === 'isb' && isIdent(this.peek(), 'sy')) return this.set('crm', 15, this.cursor.next()!.col);
        return this.immediate('crm', false);
      }
      case 'barrier': {
        if (this.peek()?.kind !== 'ident') return this.immediate(s, false);
        const name = this.ident('a barrier option such as `ish`');
        const crm = barrierOptions.get(name.text.toLowerCase());
        if (crm === undefined) throw new Failure(name.col, `unknown barrier option \`${name.text}\``, false);
        return this.set(s, crm, name.col);
      }
      case 'pstate': return this.pstate();
      case 'sysreg': {
        const name = this.ident('a system register name');
        const v = parseSysreg(name.text);
        if (v === undefined) throw new Failure(name.col, `unknown system register \`${name.text}\``, false);
        if (typeof v === 'string') throw new Failure(name.col, v, true);
        if (v >> 14 < 2) throw new Failure(name.col, `system register \`${name.text}\` needs op0 2 or 3 for mrs/msr`, true);
        const misuse = sysregMisuse(name.text.toLowerCase(), this.form.row.id === 'msr.reg');
        if (misuse) this.warning = { col: name.col, message: misuse };
        return this.set('sysreg', v, name.col);
      }
      case 'cn': {
        const name = this.ident('a system register field such as `C7`');
        const m = /^c([0-9]+)$/i.exec(name.text);
        if (!m || Number(m[1]) > 15) throw new Failure(name.col, `expected C0..C15, found \`${name.text}\``, false);
        return this.set(s, Number(m[1]), name.col);
      }
      case 'sys': return this.sys();
      case 'sysop': return this.sysop();
      case 'movi': return this.movi();
      case 'fpimm': {
        const { value, col } = this.fpLiteral();
        const imm8 = fpImmediates.get(value);
        if (imm8 === undefined) throw new Failure(col, `${value} is not an FMOV constant (+-n/16 * 2^e, n 16..31, e -3..4)`, true);
        return this.set(s, imm8, col);
      }
      case 'fzero': {
        const { value, col } = this.fpLiteral();
        if (value !== 0) throw new Failure(col, 'expected #0.0', true);
        return;
      }
      case 'fbits': {
        this.optionalHash();
        const col = this.col();
        const fbits = this.number(this.expression());
        const max = /\.w(\.|$)/.test(this.form.row.id) ? 32 : 64;
        if (fbits < 1 || fbits > max) throw new Failure(col, `fraction bits ${fbits} out of range 1..${max}`, true);
        return this.set(s, 64 - fbits, col);
      }
      case 'vd1': {
        // FMOV's only element operand: the upper doubleword.
        const e = this.laneElement('d');
        this.expectPunct('[');
        const col = this.col();
        if (this.number(this.expression()) !== 1) throw new Failure(col, 'expected index 1: FMOV moves the upper doubleword', true);
        this.expectPunct(']');
        return this.set(s, e.n, e.col);
      }
      case 'zero': {
        this.optionalHash();
        const col = this.col();
        if (this.number(this.expression()) !== 0) throw new Failure(col, 'expected #0', true);
        return;
      }
      case 'esz': {
        this.optionalHash();
        const col = this.col();
        const want = 8 << (this.out.values.size ?? 0);
        if (this.number(this.expression()) !== want) throw new Failure(col, `shift amount must be #${want}, the element size`, true);
        return;
      }
      default:
        return this.vectorToken(kind, s);
    }
  }

  /** A floating-point literal as gas reads one: `#`, a sign, then decimal digits with or without a fraction. */
  private fpLiteral(): { value: number; col: number } {
    this.optionalHash();
    const col = this.col();
    let sign = 1;
    if (isPunct(this.peek(), '-') || isPunct(this.peek(), '+')) sign = isPunct(this.cursor.next(), '-') ? -1 : 1;
    const t = this.peek();
    if (t?.kind === 'float') {
      this.cursor.next();
      return { value: sign * Number(t.text), col };
    }
    if (t?.kind === 'number') {
      this.cursor.next();
      return { value: sign * Number(t.value), col };
    }
    throw new Failure(col, `expected a floating-point constant, found ${this.found()}`, false);
  }

  /** The vector operand kinds of simd-syntax.ts. */
  private vectorToken(kind: string, slot: ParsedSlot): void {
    const spec = kind.slice(1);
    switch (kind[0]) {
      case 'V': {
        const v = this.vector();
        return this.arranged(slot, spec, v.n, v.arrangement, v.col);
      }
      case 'F': {
        const t = this.peek();
        const r = t?.kind === 'ident' ? parseFpr(t.text) : undefined;
        const size = r ? elementSize(r.size) - (spec === 'w' ? 1 : 0) : -1;
        if (!r || size < 0) throw new Failure(this.col(), `expected a scalar FP/SIMD register, found ${this.found()}`, false);
        this.cursor.next();
        this.agree('size', size, t!.col);
        return this.set(slot, r.n, t!.col);
      }
      case 'E': {
        const e = this.laneElement(spec[0]!.toLowerCase());
        this.set(slot, e.n, e.col);
        return this.laneIndex(spec.endsWith('2') ? 'idx2' : 'idx');
      }
      case 'L': return this.list(slot, Number(spec[0]), spec.slice(1));
      case 'P': {
        // A post-index by the transfer size: the only immediate there is.
        this.optionalHash();
        const col = this.col();
        const want = transferBytes(spec, this.out.values.q ?? 0, this.out.values.size ?? 0);
        if (this.number(this.expression()) !== want) throw new Failure(col, `the post-index immediate must be #${want}, the transfer size`, true);
        return;
      }
      case '#': {
        // A right shift: the field holds the element size minus the amount (1..size).
        this.optionalHash();
        const col = this.col();
        const bits = 8 << elementSize(spec.slice(1));
        const amount = this.number(this.expression());
        if (amount < 1 || amount > bits) throw new Failure(col, `shift amount ${amount} is out of range 1..${bits}`, true);
        return this.set(slot, bits - amount, col);
      }
    }
    throw new Failure(this.col(), `internal error: the encoding table uses an operand token \`${kind}\` the assembler does not know`, true);
  }

  /** A slot value that several operands imply (size, q): they must agree. */
  private agree(slot: ParsedSlot, value: number, col: number): void {
    const before = this.out.values[slot];
    if (before !== undefined && before !== value) throw new Failure(col, 'operand mismatch: the operands must have matching arrangements', true);
    this.set(slot, value, col);
  }

  private arranged(slot: ParsedSlot, spec: string, n: number, text: string, col: number): void {
    const a = arrangementSlots(spec, text);
    if (!a) throw new Failure(col, `arrangement .${text} is not allowed here`, true);
    if (a.q !== undefined) this.agree('q', a.q, col);
    if (a.size !== undefined) this.agree('size', a.size, col);
    this.set(slot, n, col);
  }

  /** v3.s: a register's element of the given letter. */
  private laneElement(letter: string): { n: number; col: number } {
    const t = this.peek();
    const m = t?.kind === 'ident' ? /^v([0-9]{1,2})\.([bhsd])$/i.exec(t.text) : null;
    if (!m || Number(m[1]) > 31 || m[2]!.toLowerCase() !== letter) throw new Failure(this.col(), `expected a vector element such as \`v0.${letter}[1]\`, found ${this.found()}`, false);
    this.cursor.next();
    return { n: Number(m[1]), col: t!.col };
  }

  private laneIndex(slot: ParsedSlot): void {
    this.expectPunct('[');
    const col = this.col();
    this.set(slot, this.number(this.expression()), col);
    this.expectPunct(']');
  }

  /** {v0.4s-v3.4s} or {v0.4s, v1.4s}: `count` consecutive registers (mod 32); `e<letter>` lists take a lane index. */
  private list(slot: ParsedSlot, count: number, spec: string): void {
    const col = this.col();
    this.expectPunct('{');
    const lane = spec.startsWith('e') ? spec[1]!.toLowerCase() : undefined;
    const item = (): { n: number; text: string; col: number } => {
      if (lane) {
        const e = this.laneElement(lane);
        return { n: e.n, text: lane, col: e.col };
      }
      const v = this.vector();
      return { n: v.n, text: v.arrangement, col: v.col };
    };
    const regs = [item()];
    if (isPunct(this.peek(), '-')) {
      this.cursor.next();
      const last = item();
      // As gas, a range does not wrap past v31 (a comma list does).
      if (last.n < regs[0]!.n) throw new Failure(last.col, 'invalid range in vector register list: it may not wrap past v31', true);
      for (let r = regs[0]!.n + 1; r <= last.n; r++) regs.push({ ...last, n: r });
    } else {
      while (isPunct(this.peek(), ',')) {
        this.cursor.next();
        regs.push(item());
      }
    }
    this.expectPunct('}');
    regs.forEach((r, i) => {
      if (r.n !== (regs[0]!.n + i) % 32) throw new Failure(r.col, 'registers in a list must be consecutive', true);
      if (r.text.toLowerCase() !== regs[0]!.text.toLowerCase()) throw new Failure(r.col, 'registers in a list must have the same arrangement', true);
    });
    if (regs.length !== count) throw new Failure(col, `expected a list of ${count} register${count > 1 ? 's' : ''}, found ${regs.length}`, true);
    if (lane) {
      this.set(slot, regs[0]!.n, col);
      return this.laneIndex('idx');
    }
    this.arranged(slot, spec, regs[0]!.n, regs[0]!.text, regs[0]!.col);
  }

  private vector(): { n: number; arrangement: string; col: number } {
    const t = this.peek();
    const v = t?.kind === 'ident' ? parseVector(t.text) : undefined;
    if (!v) throw new Failure(this.col(), `expected a vector register such as \`v0.16b\`, found ${this.found()}`, false);
    this.cursor.next();
    return { ...v, col: t!.col };
  }

  private extend(): void {
    const rm = this.anyGpr();
    this.set('rm', rm.n, rm.col);
    const m = this.modifier([...extendNames, 'lsl']);
    const wideOption = this.width === 64 ? 3 : 2;
    let option = this.width === 64 && rm.wide ? 3 : 2;
    let amount = 0;
    if (m) {
      option = m.name === 'lsl' ? wideOption : extendNames.indexOf(m.name as (typeof extendNames)[number]);
      if (m.name === 'lsl' && m.amount === undefined) throw new Failure(m.col, 'expected a shift amount such as `#2`', false);
      amount = m.amount ?? 0;
      if (amount < 0 || amount > 4) throw new Failure(m.col, `extend amount ${amount} is out of range 0..4`, true);
    }
    this.set('option', option, m?.col ?? rm.col);
    this.set('amount', amount, m?.col ?? rm.col);
  }

  private index(): void {
    const rm = this.anyGpr();
    this.set('rm', rm.n, rm.col);
    const m = this.modifier(['lsl', 'uxtw', 'sxtw', 'sxtx']);
    const scale = Math.log2(this.form.row.bytes ?? 1);
    if (!m) {
      if (!rm.wide) throw new Failure(rm.col, `a 32-bit index register needs an extend (uxtw or sxtw)`, true);
      this.set('option', 3, rm.col);
      return this.set('ls', 0, rm.col);
    }
    const option = { lsl: 3, uxtw: 2, sxtw: 6, sxtx: 7 }[m.name]!;
    if (rm.wide !== ((option & 1) === 1)) throw new Failure(rm.col, `\`${m.name}\` needs ${option & 1 ? 'an x' : 'a w'} index register`, true);
    if (m.name === 'lsl' && m.amount === undefined) throw new Failure(m.col, 'expected a shift amount such as `#3`', false);
    if (m.amount !== undefined && m.amount !== 0 && m.amount !== scale) throw new Failure(m.col, `shift amount ${m.amount} must be 0 or ${scale} for a ${this.form.row.bytes}-byte access`, true);
    this.set('option', option, m.col);
    // An explicit amount of 0 scales a byte access (by 1); elsewhere only the access size does.
    this.set('ls', m.amount !== undefined && (m.amount === scale) ? 1 : 0, m.col);
  }

  private target(): void {
    if (isPunct(this.peek(), '=')) {
      const col = this.col();
      if (!this.form.row.id.startsWith('ldr') || this.form.row.bytes === undefined) throw new Failure(col, '`=value` literals are only for ldr/ldrsw', true);
      this.cursor.next();
      try {
        this.out.pool = { expr: this.expression(), col };
      } catch (e) {
        // Past the `=`, this is the literal form whatever the value's problem.
        throw e instanceof Failure ? new Failure(e.col, e.message, true, e.unknown) : e;
      }
      return;
    }
    const col = this.col();
    this.out.target = { expr: this.expression(), col };
  }

  private pstate(): void {
    const name = this.ident('a PSTATE field such as `daifset`');
    const lower = name.text.toLowerCase();
    if (lower.startsWith('s0_')) {
      // objdump's spelling of a PSTATE write it has no name for.
      const m = /^s0_([0-7])_c4_c([0-9]+)_([0-7])$/.exec(lower);
      if (!m || Number(m[2]) > 15) throw new Failure(name.col, `expected s0_<op1>_c4_c<m>_<op2>, found \`${name.text}\``, false);
      this.set('op1', Number(m[1]), name.col);
      this.set('crm', Number(m[2]), name.col);
      this.set('op2', Number(m[3]), name.col);
      this.expectPunct(',');
      const zr = this.ident('xzr');
      if (zr.text.toLowerCase() !== 'xzr') throw new Failure(zr.col, `expected \`xzr\`, found \`${zr.text}\``, false);
      return;
    }
    const field = pstateFields.get(lower);
    if (!field) throw new Failure(name.col, `unknown system register or PSTATE field \`${name.text}\``, false);
    this.set('op1', field.op1, name.col);
    this.set('op2', field.op2, name.col);
    this.expectPunct(',');
    this.optionalHash();
    const col = this.col();
    const v = this.number(this.expression());
    const max = lower === 'daifset' || lower === 'daifclr' ? 15 : 1;
    if (v < 0 || v > max) throw new Failure(col, `immediate ${v} is out of range 0..${max}`, true);
    this.set('crm', v, col);
  }

  private sys(): void {
    this.token('#d', 'op1');
    this.expectPunct(',');
    this.token('cn', 'crn');
    this.expectPunct(',');
    this.token('cn', 'crm');
    this.expectPunct(',');
    this.token('#d', 'op2');
    if (isPunct(this.peek(), ',')) {
      this.cursor.next();
      this.register('x', 'rt');
    } else this.set('rt', 31, this.col());
  }

  private sysop(): void {
    const v = this.form.fixed;
    const op = sysOperation(v.op1 ?? 0, v.crn ?? 0, v.crm ?? 0, v.op2 ?? 0)!;
    const wanted = op.name.slice(op.name.indexOf(' ') + 1);
    const name = this.ident(`an operation such as \`${wanted}\``);
    // Every named operation is a form of its own; only the one named here fits.
    if (name.text.toLowerCase() !== wanted) throw new Failure(name.col, `unknown ${this.form.mnemonic} operation \`${name.text}\``, false);
    if (isPunct(this.peek(), ',')) {
      if (!op.reg) throw new Failure(this.col(), `\`${this.form.mnemonic} ${wanted}\` takes no register`, true);
      this.cursor.next();
      return this.register('x', 'rt');
    }
    if (op.reg) throw new Failure(this.col(), `\`${this.form.mnemonic} ${wanted}\` needs an address register`, true);
    this.set('rt', 31, this.col());
  }

  /** MOVI, MVNI, ORR and BIC (vector, immediate): the arrangement and shift pick op and cmode. */
  private movi(): void {
    const name = this.form.row.mnemonic;
    const inverted = name === 'mvni' || name === 'bic' ? 1 : 0;
    const merging = name === 'orr' || name === 'bic' ? 1 : 0;
    const t = this.peek();
    const scalar = t?.kind === 'ident' ? parseFpr(t.text) : undefined;
    let arrangement: string;
    let rd: number;
    const col = this.col();
    if (scalar?.size === 'd' && name === 'movi') {
      this.cursor.next();
      arrangement = 'd';
      rd = scalar.n;
    } else {
      const v = this.vector();
      arrangement = v.arrangement;
      rd = v.n;
    }
    this.expectPunct(',');
    this.optionalHash();
    const immCol = this.col();
    const value = this.constant(this.expression());
    this.set('rd', rd, col);
    const q = arrangement === '16b' || arrangement === '8h' || arrangement === '4s' || arrangement === '2d' ? 1 : 0;
    this.set('q', q, col);
    const bytewise = arrangement === 'd' || arrangement === '2d' || arrangement === '8b' || arrangement === '16b';
    if (bytewise && name !== 'movi') throw new Failure(col, `${name} does not take arrangement .${arrangement}`, true);
    if (arrangement === 'd' || arrangement === '2d') {
      // Each byte of the 64-bit value is all ones or all zeros: one bit of imm8 each.
      let imm8 = 0;
      for (let i = 0; i < 8; i++) {
        const byte = Number((BigInt.asUintN(64, value) >> BigInt(8 * i)) & 0xffn);
        if (byte === 0xff) imm8 |= 1 << i;
        else if (byte !== 0) throw new Failure(immCol, 'a 64-bit movi immediate must have every byte 0x00 or 0xff', true);
      }
      this.set('op', 1, col);
      this.set('cmode', 0b1110, col);
      return this.set('imm', imm8, immCol);
    }
    if (value < 0n || value > 0xffn) throw new Failure(immCol, `immediate ${value} is out of range 0..255`, true);
    this.set('imm', Number(value), immCol);
    this.set('op', inverted, col);
    if (arrangement === '8b' || arrangement === '16b') return this.set('cmode', 0b1110, col);
    const m = this.modifier(merging ? ['lsl'] : ['lsl', 'msl']);
    const amount = m?.amount ?? 0;
    if (arrangement === '4h' || arrangement === '8h') {
      if (m?.name === 'msl' || (amount !== 0 && amount !== 8)) throw new Failure(m!.col, `a halfword ${name} shift must be lsl #0 or #8`, true);
      return this.set('cmode', 0b1000 | ((amount / 8) << 1) | merging, col);
    }
    if (arrangement !== '2s' && arrangement !== '4s') throw new Failure(col, `${name} does not take arrangement .${arrangement}`, true);
    if (m?.name === 'msl') {
      if (amount !== 8 && amount !== 16) throw new Failure(m.col, 'an msl shift must be #8 or #16', true);
      return this.set('cmode', 0b1100 | (amount / 8 - 1), col);
    }
    if (amount % 8 !== 0 || amount < 0 || amount > 24) throw new Failure(m!.col, `a word ${name} shift must be lsl #0, #8, #16 or #24`, true);
    this.set('cmode', ((amount / 8) << 1) | merging, col);
  }

  element(e: SyntaxElement): void {
    switch (e.kind) {
      case 'punct':
        return this.expectPunct(e.text);
      case 'word': {
        const t = this.peek();
        if (!isIdent(t, e.text)) throw new Failure(this.col(), `expected \`${e.text}\`, found ${this.found()}`, false);
        this.cursor.next();
        return;
      }
      case 'token':
        return this.token(e.token, e.slot);
    }
  }

  reset(): void {
    this.cursor.pos = this.start;
  }
}

/** Parse the statement's operands (the tokens after the mnemonic) against `form`. */
export function parseOperands(ctx: StatementContext, form: Form, env: OperandEnv): ParseResult {
  const reader = new Reader(ctx, form, env);
  const elements = syntaxElements(form.syntax);
  const start = ctx.cursor.pos;
  try {
    for (const e of elements) reader.element(e);
    if (!ctx.cursor.atEnd()) {
      const t = ctx.cursor.peek();
      throw new Failure(ctx.cursor.col(), elements.length === 0 ? `\`${form.mnemonic}\` takes no operands here, found ${describeToken(t)}` : `unexpected ${describeToken(t)}`, false);
    }
    if (reader.warning) ctx.warn(reader.warning.col, reader.warning.message);
    return { ok: true, value: reader.out };
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    // How far the form got: the tokens it took, then a bad value over bad syntax.
    const depth = 2 * (ctx.cursor.pos - start) + (e.valueError ? 1 : 0);
    return { ok: false, failure: { col: e.col, message: e.message, depth, ...(e.unknown ? { unknown: true } : {}) } };
  } finally {
    reader.reset();
  }
}
