// Values of the expression language (expression.ts) over one CPU's state, with
// C's 64-bit semantics: every value is 64 bits wide once it takes part in an
// operation; narrower types are kept sign- or zero-extended; an operation is
// unsigned when either operand is u64 or a pointer, signed otherwise. A float
// or double operand makes the operation C's floating-point one (c/float-arithmetic.ts).

import { comparison, ExpressionError, namesIn, type CType, type Expr, type BinaryOp, type TypeSpec } from './expression';
import * as C from './c/operations';
import * as F from './c/float-arithmetic';
import { floatText } from './c/float-text';
import type { ProgramScope } from './c/scope';
import type { CValue } from './c/value';

/** A symbol as expressions see it: its address, and its size in the image's symbol table (0: unknown). */
export interface SymbolInfo {
  readonly address: bigint;
  readonly size: number;
  /** True for a data object (a hover shows the memory at it, not just its address). */
  readonly data: boolean;
}

/** What evaluation reads and writes; the engine host implements it for a CPU. */
export interface EvalContext {
  readonly cpu: number;
  /** A register, CSR or system register, lane (`v3.s[1]`) or field (`fpcr.rmode`); undefined if there is none. */
  register(name: string): bigint | undefined;
  /** Write a register by a name register() takes; an error text when it cannot be written. */
  setRegister(name: string, value: bigint): string | undefined;
  /** A PerCpu or ArchCpu field of the CPU (`cpu_on_entry`, `arch_cpu.sepc`, `arch_cpu.x[10]`); `address` marks guest addresses. */
  field(name: string): { readonly value: bigint; readonly address: boolean } | undefined;
  symbol(name: string): SymbolInfo | undefined;
  /** `width` bytes at a guest virtual address of the CPU, little-endian; undefined where any byte is unmapped. */
  read(address: bigint, width: number): bigint | undefined;
  /** The program's C variables and types at the selected frame; absent where its pc has no DWARF. */
  readonly program?: ProgramScope;
  /** Whether the program declares a variable by this name anywhere (a condition set before its frame exists may name it). */
  declared?(name: string): boolean;
}

export interface Value {
  /** The bits, zero-extended (a register wider than 64 bits keeps all of its bits until an operation). */
  readonly bits: bigint;
  readonly type: CType;
  /** Shown in hex by default and offered as a memory reference: registers, symbols, pointers. */
  readonly address: boolean;
  /** Shown in hex by default though no address: FP/SIMD lanes. */
  readonly bitPattern?: boolean;
  /** Where a value read from memory was read from. */
  readonly location?: bigint;
  /** A value of the program's: its DWARF type and where it lives. */
  readonly c?: CValue;
}

const U64: CType = { width: 8, signed: false, pointer: 0 };
const I64: CType = { width: 8, signed: true, pointer: 0 };
const MASK = (1n << 64n) - 1n;

const u64 = (x: bigint): bigint => x & MASK;
const bool = (b: boolean): Value => ({ bits: b ? 1n : 0n, type: I64, address: false });

/** The value as a signed or unsigned 64-bit integer, as C promotes it. */
function numeric(v: Value): bigint {
  const b = u64(v.bits);
  return isUnsigned64(v) ? b : BigInt.asIntN(64, b);
}

function isUnsigned64(v: Value): boolean {
  return v.type.pointer > 0 || (v.type.width === 8 && !v.type.signed);
}

function truthy(v: Value, col: number): boolean {
  const size = F.floatSize(v, col);
  return size ? F.floatTruthy(v, size) : u64(v.bits) !== 0n;
}

/** An index or count: an integer, or a float truncated toward zero (as gdb takes one). */
function integerOperand(v: Value, col: number): bigint {
  return F.floatSize(v, col) ? F.integerOfNumber(F.numberOf(v, col)) : numeric(v);
}

/** The bits of `x` converted to `type`: truncated, then sign- or zero-extended to 64 bits. */
function convert(x: bigint, type: CType): bigint {
  if (type.pointer > 0) return u64(x);
  const bits = type.width * 8;
  return u64(type.signed ? BigInt.asIntN(bits, x) : BigInt.asUintN(bits, x));
}

function pointeeSize(type: CType): number {
  return type.pointer > 1 ? 8 : type.width;
}

function deref(ctx: EvalContext, pointer: Value, col: number): Value {
  const type: CType = { ...pointer.type, pointer: pointer.type.pointer - 1 };
  const width = pointeeSize(pointer.type);
  const address = u64(pointer.bits);
  const raw = ctx.read(address, width);
  if (raw === undefined) throw new ExpressionError(`column ${col}: cannot read ${width} bytes at 0x${address.toString(16)}: not mapped for CPU ${ctx.cpu}`);
  const bits = type.pointer > 0 ? raw : convert(raw, { ...type, width: width as CType['width'] });
  return { bits, type, address: type.pointer > 0, location: address };
}

/** The program's C variable a (possibly dotted) name starts with, with its members; undefined when the program has none by that name. */
function programName(ctx: EvalContext, name: string, col: number): Value | undefined {
  const program = ctx.program;
  if (!program || name.startsWith('$')) return undefined;
  const [head, ...members] = name.split('.');
  const variable = program.variable(head!);
  if (!variable) return undefined;
  let v = C.fromC(program, variable, col);
  for (const m of members) v = C.member(program, v, m, false, col);
  return v;
}

function resolveName(ctx: EvalContext, name: string, col: number): Value {
  const typed = programName(ctx, name, col);
  if (typed) return typed;
  // $name is always a register (a C variable may be named a0 or s1).
  if (name.startsWith('$')) {
    const reg = ctx.register(name.slice(1));
    if (reg === undefined) throw new ExpressionError(`column ${col}: no register named "${name.slice(1)}"`);
    return { bits: reg, type: U64, address: true };
  }
  const reg = ctx.register(name);
  if (reg !== undefined) return { bits: reg, type: U64, address: true };
  const field = ctx.field(name);
  if (field !== undefined) return { bits: u64(field.value), type: U64, address: field.address };
  const sym = ctx.symbol(name);
  if (sym !== undefined) return { bits: u64(sym.address), type: U64, address: true };
  throw new ExpressionError(`column ${col}: no register, PerCpu field or symbol named "${name}"`);
}

/** `v3.s[1]`: a lane register, when the name with its index is one. */
function laneName(e: Expr & { kind: 'index' }): string | undefined {
  return e.base.kind === 'name' && e.index.kind === 'num' ? `${e.base.name}[${e.index.value}]` : undefined;
}

function addressOf(ctx: EvalContext, e: Expr): Value {
  const typed = e.kind === 'name' ? programName(ctx, e.name, e.col) : e.kind === 'member' || e.kind === 'index' || (e.kind === 'unary' && e.op === '*') ? evaluate(ctx, e) : undefined;
  if (typed?.c) return C.addressOfValue(typed, e.col);
  switch (e.kind) {
    case 'name': {
      if (ctx.register(e.name) !== undefined || ctx.field(e.name) !== undefined) throw new ExpressionError(`column ${e.col}: "${e.name}" is not in memory: it has no address`);
      const sym = ctx.symbol(e.name);
      if (!sym) throw new ExpressionError(`column ${e.col}: no symbol named "${e.name}"`);
      return { bits: u64(sym.address), type: { ...U64, pointer: 1 }, address: true };
    }
    case 'unary':
      if (e.op === '*') {
        const p = evaluate(ctx, e.arg);
        if (p.type.pointer === 0) throw new ExpressionError(`column ${e.col}: only a pointer can be dereferenced: cast it first, as in *(u64*)x`);
        return p;
      }
      break;
    case 'index': {
      if (laneName(e) && ctx.register(laneName(e)!) !== undefined) break;
      const { pointer, offset } = indexed(ctx, e);
      return { bits: u64(pointer.bits + offset), type: pointer.type, address: true };
    }
    default:
      break;
  }
  throw new ExpressionError(`column ${e.col}: only a symbol or memory has an address`);
}

function indexed(ctx: EvalContext, e: Expr & { kind: 'index' }, pointer = evaluate(ctx, e.base)): { pointer: Value; offset: bigint } {
  if (pointer.type.pointer === 0) throw new ExpressionError(`column ${e.col}: only a pointer can be indexed: cast it first, as in ((u32*)x)[${e.index.kind === 'num' ? e.index.value : 'i'}]`);
  const index = integerOperand(evaluate(ctx, e.index), e.index.col);
  return { pointer, offset: index * BigInt(pointeeSize(pointer.type)) };
}

function isAggregate(v: Value): boolean {
  const k = v.c && resolvedKind(v.c);
  return k === 'struct' || k === 'union';
}

function resolvedKind(c: CValue): string {
  let t = c.type;
  for (let i = 0; i < 64 && (t.kind === 'typedef' || t.kind === 'qualified'); i++) t = t.target;
  return t.kind;
}

/** The type two operands of an arithmetic operator meet at. */
function common(a: Value, b: Value): CType {
  return isUnsigned64(a) || isUnsigned64(b) ? U64 : I64;
}

function arithmetic(op: Exclude<BinaryOp, '&&' | '||'>, a: Value, b: Value, col: number): Value {
  if (C.floatOperand(a) || C.floatOperand(b)) return F.floatBinary(op, a, b, col);
  if (isAggregate(a) || isAggregate(b)) throw new ExpressionError(`column ${col}: "${op}" needs numbers, not a struct or union`);
  // Pointer arithmetic on the program's pointers and arrays scales by the element's size and keeps the pointer's type.
  const scaleA = C.scaleOf(a);
  const scaleB = C.scaleOf(b);
  if ((op === '+' || op === '-') && scaleA !== undefined && scaleB === undefined) {
    const delta = numeric(b) * BigInt(scaleA);
    return C.withPointerType(a, op === '+' ? a.bits + delta : a.bits - delta);
  }
  if (op === '+' && scaleB !== undefined && scaleA === undefined) return arithmetic(op, b, a, col);
  if (op === '-' && scaleA !== undefined && scaleB !== undefined) {
    return { bits: u64(BigInt.asIntN(64, u64(a.bits) - u64(b.bits)) / BigInt(scaleA)), type: I64, address: false };
  }
  // An address plus or minus a number is an address (sp + 8, puts + 0x10); other results are numbers.
  const address = (op === '+' && a.address !== b.address) || (op === '-' && a.address && !b.address);
  // Pointer arithmetic counts in elements, as C does.
  if ((op === '+' || op === '-') && a.type.pointer > 0 && b.type.pointer === 0) {
    const delta = numeric(b) * BigInt(pointeeSize(a.type));
    return { bits: u64(op === '+' ? a.bits + delta : a.bits - delta), type: a.type, address: true };
  }
  if (op === '+' && b.type.pointer > 0 && a.type.pointer === 0) return arithmetic(op, b, a, col);
  if (op === '-' && a.type.pointer > 0 && b.type.pointer > 0) {
    return { bits: u64((BigInt.asIntN(64, u64(a.bits) - u64(b.bits))) / BigInt(pointeeSize(a.type))), type: I64, address: false };
  }
  const type = common(a, b);
  const x = type.signed ? BigInt.asIntN(64, u64(a.bits)) : u64(a.bits);
  const y = type.signed ? BigInt.asIntN(64, u64(b.bits)) : u64(b.bits);
  const out = (bits: bigint, t: CType = type): Value => ({ bits: u64(bits), type: t, address });
  switch (op) {
    case '+': return out(x + y);
    case '-': return out(x - y);
    case '*': return out(x * y);
    case '/':
    case '%':
      if (y === 0n) throw new ExpressionError(`column ${col}: division by zero`);
      return out(op === '/' ? x / y : x % y);
    case '&': return out(x & y);
    case '|': return out(x | y);
    case '^': return out(x ^ y);
    case '<<':
    case '>>': {
      // The left operand's type decides; counts of 64 or more shift everything out.
      const left = isUnsigned64(a) ? U64 : I64;
      const v = left.signed ? BigInt.asIntN(64, u64(a.bits)) : u64(a.bits);
      const n = numeric(b);
      if (n < 0n) throw new ExpressionError(`column ${col}: negative shift count ${n}`);
      if (op === '<<') return out(n >= 64n ? 0n : v << n, left);
      return out(n >= 64n ? (v < 0n ? -1n : 0n) : v >> n, left);
    }
  }
  const truth = comparison(op, x, y);
  // && and || never get here: they are decided before their operands meet.
  if (truth === undefined) throw new ExpressionError(`column ${col}: "${op}" is not an arithmetic operator`);
  return bool(truth);
}

/** The value of `e` on the context's CPU. Throws ExpressionError naming the column and the cause. */
export function evaluate(ctx: EvalContext, e: Expr): Value {
  switch (e.kind) {
    case 'num':
      // A literal beyond i64 is unsigned, as in C; one beyond 64 bits keeps its bits for a wide register.
      return { bits: e.value > MASK ? e.value : u64(e.value), type: e.value > (1n << 63n) - 1n ? U64 : I64, address: false };
    case 'float':
      return F.floatValue(e.value, e.size);
    case 'name':
      return resolveName(ctx, e.name, e.col);
    case 'cast': {
      const v = evaluate(ctx, e.arg);
      return castTo(ctx, v, e.type, e.col);
    }
    case 'member': {
      if (!ctx.program) throw new ExpressionError(`column ${e.col}: members need the program's DWARF, which does not describe this frame`);
      return C.member(ctx.program, evaluate(ctx, e.base), e.name, e.arrow, e.col);
    }
    case 'sizeof': {
      return C.sizeResult('kind' in e.of ? C.sizeOfValue(evaluate(ctx, e.of), e.col) : sizeOfType(ctx, e.of, e.col));
    }
    case 'index': {
      const lane = laneName(e);
      const reg = lane === undefined ? undefined : ctx.register(lane);
      if (reg !== undefined) return { bits: reg, type: U64, address: false, bitPattern: true };
      const element = lane === undefined ? undefined : ctx.field(lane);
      if (element !== undefined) return { bits: u64(element.value), type: U64, address: element.address };
      const base = evaluate(ctx, e.base);
      if (base.c && ctx.program) return C.index(ctx.program, base, integerOperand(evaluate(ctx, e.index), e.index.col), e.col);
      const { pointer, offset } = indexed(ctx, e, base);
      return deref(ctx, { ...pointer, bits: u64(pointer.bits + offset) }, e.col);
    }
    case 'unary': {
      if (e.op === '&') return addressOf(ctx, e.arg);
      const v = evaluate(ctx, e.arg);
      const size = F.floatSize(v, e.col);
      if (size && (e.op === '-' || e.op === '+' || e.op === '~')) return F.floatUnary(e.op, v, size, e.col);
      switch (e.op) {
        case '*':
          if (v.c && ctx.program) return C.deref(ctx.program, v, e.col);
          if (v.type.pointer === 0) throw new ExpressionError(`column ${e.col}: only a pointer can be dereferenced: cast it first, as in *(u64*)x`);
          return deref(ctx, v, e.col);
        case '-': return typedUnary(v, { bits: u64(-numeric(v)), type: isUnsigned64(v) ? U64 : I64, address: false });
        case '+': return typedUnary(v, { bits: u64(v.bits), type: isUnsigned64(v) ? U64 : I64, address: v.address });
        case '~': return typedUnary(v, { bits: u64(~v.bits), type: isUnsigned64(v) ? U64 : I64, address: false });
        case '!': return logical(bool(!truthy(v, e.col)), v);
      }
    }
    case 'binary':
      if (e.op === '&&' || e.op === '||') {
        const left = evaluate(ctx, e.left);
        if (truthy(left, e.left.col) === (e.op === '||')) return logical(bool(e.op === '||'), left);
        const right = evaluate(ctx, e.right);
        return logical(bool(truthy(right, e.right.col)), left, right);
      }
    {
      const [left, right] = [evaluate(ctx, e.left), evaluate(ctx, e.right)];
      const r = arithmetic(e.op, left, right, e.col);
      // On the program's integers, the result has C's type for them (int for a comparison), and prints as gdb prints it.
      return left.c || right.c ? C.withIntegerType(r, left, right, ['==', '!=', '<', '<=', '>', '>='].includes(e.op)) : r;
    }
    case 'cond':
      return truthy(evaluate(ctx, e.test), e.test.col) ? evaluate(ctx, e.then) : evaluate(ctx, e.otherwise);
    case 'assign': {
      const typed = e.target.kind === 'name' ? programName(ctx, e.target.name, e.target.col) : e.target.kind === 'member' || e.target.kind === 'index' || (e.target.kind === 'unary' && e.target.op === '*') ? evaluate(ctx, e.target) : undefined;
      if (typed?.c && ctx.program) return C.assign(ctx.program, typed, evaluate(ctx, e.value), e.col);
      const target = e.target.kind === 'name' ? e.target.name : e.target.kind === 'index' ? laneName(e.target) : undefined;
      if (target === undefined || ctx.register(target) === undefined) throw new ExpressionError(`column ${e.target.col}: only a register can be assigned`);
      const v = evaluate(ctx, e.value);
      if (C.floatOperand(v)) throw new ExpressionError(`column ${e.value.col}: a register takes an integer, but the value is floating-point: cast it, as in (long)x`);
      const error = ctx.setRegister(target, u64(v.bits));
      if (error) throw new ExpressionError(error);
      return { bits: ctx.register(target)!, type: U64, address: true };
    }
  }
}

/** The result of !, && or || is C's int where an operand is the program's (as gdb prints it), a plain 0 or 1 otherwise. */
function logical(r: Value, ...operands: Value[]): Value {
  return operands.some((v) => v.c) ? C.withIntegerType(r, operands[0]!, undefined, true) : r;
}

/** A unary operator's result on one of the program's integers has its promoted C type. */
function typedUnary(v: Value, r: Value): Value {
  return v.c && !C.floatOperand(v) && C.scaleOf(v) === undefined ? C.withIntegerType(r, v, undefined, false) : r;
}

/** `(type)v`: the debugger's integer types as before; the program's types through its DWARF. */
function castTo(ctx: EvalContext, v: Value, spec: TypeSpec, col: number): Value {
  if (spec.machine) {
    const type: CType = { ...spec.machine, pointer: spec.pointer };
    if (C.floatOperand(v) && type.pointer > 0) throw new ExpressionError(`column ${col}: a floating-point value cannot be converted to a pointer: cast it to an integer first, as in (${spec.name}${'*'.repeat(spec.pointer)})(long)x`);
    const bits = C.floatOperand(v) ? F.integerOfNumber(F.numberOf(v, col)) : v.bits;
    return { bits: convert(bits, type), type, address: type.pointer > 0 };
  }
  const target = C.programType(ctx.program, spec);
  if (!target) throw new ExpressionError(`column ${col}: no type named "${spec.name}"${ctx.program ? ' in the program' : ': the program\'s types need DWARF for this frame'}`);
  return C.cast(v, target, col);
}

function sizeOfType(ctx: EvalContext, spec: TypeSpec, col: number): bigint {
  if (spec.pointer > 0) return 8n;
  if (spec.machine) return BigInt(spec.machine.width);
  const target = C.programType(ctx.program, spec);
  if (!target) throw new ExpressionError(`column ${col}: no type named "${spec.name}"`);
  const size = C.sizeOfValue({ bits: 0n, type: U64, address: false, c: { type: target, location: { kind: 'value', value: 0n } } }, col);
  return size;
}

/** Whether a condition holds: a non-zero value. */
export function holds(ctx: EvalContext, e: Expr): boolean {
  return truthy(evaluate(ctx, e), e.col);
}

function hexText(v: Value): string {
  const bits = v.bits > MASK ? v.bits : v.type.pointer > 0 ? u64(v.bits) : BigInt.asUintN(v.type.width * 8, v.bits);
  return `0x${bits.toString(16)}`;
}

function decimalText(v: Value): string {
  if (v.bits > MASK) return v.bits.toString();
  if (v.type.pointer === 0 && v.type.signed) return BigInt.asIntN(v.type.width * 8, v.bits).toString();
  return u64(v.bits).toString();
}

/**
 * `hex`: the client's choice (valueFormattingOptions) when it made one.
 * Without one, registers, symbols and pointers show in hex, other values in hex and decimal.
 */
export function formatResult(v: Value, hex: boolean | undefined, program?: ProgramScope): string {
  if (v.c && program) return C.resultText(program, v, hex);
  const size = F.floatSize(v, 0);
  if (size) return floatText(v.bits, size);
  if (hex === true) return hexText(v);
  if (hex === false) return decimalText(v);
  if (v.address || v.bitPattern) return hexText(v);
  return `${hexText(v)} (${decimalText(v)})`;
}

/** A value as a logpoint prints it: decimal, or hex for registers, symbols and pointers; the program's values as gdb prints them. */
export function logText(v: Value, program?: ProgramScope): string {
  if (v.c && program) return C.resultText(program, v, undefined);
  const size = F.floatSize(v, 0);
  if (size) return floatText(v.bits, size);
  return v.address ? hexText(v) : decimalText(v);
}

/** The first name in `e` that names nothing on this CPU, as an error text; undefined when every name resolves. */
export function unknownName(ctx: EvalContext, e: Expr): string | undefined {
  for (const n of namesIn(e)) {
    if (n.lane !== undefined && (ctx.register(n.lane) !== undefined || ctx.field(n.lane) !== undefined)) continue;
    if (ctx.register(n.name) !== undefined || ctx.field(n.name) !== undefined || ctx.symbol(n.name) !== undefined) continue;
    if (n.name.startsWith('$') && ctx.register(n.name.slice(1)) !== undefined) continue;
    const head = n.name.split('.')[0]!;
    if (ctx.program?.variable(head) || ctx.declared?.(head)) continue;
    return `column ${n.col}: no register, PerCpu field or symbol named "${n.name}"`;
  }
  return undefined;
}
