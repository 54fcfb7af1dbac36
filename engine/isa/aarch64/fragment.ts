// What instruction semantics are made of. Each table row has one Semantics:
// JavaScript source fragments that the interpreter compiles once per row
// (operands read from a prepared record) and the block translator splices
// into superblock functions (operands as constants, registers in locals).
// Both therefore execute the very same code.
//
// Inside a fragment:
//   c        the CpuState (memory helpers ldb..ldx/stb..stx, flags nf/zf/cf/vf,
//            fault, hi32 where helpers leave the high word of a 64-bit result)
//   h        helpers (helpers.ts)
//   next     the next pc (branches and system instructions set it)

import type { Values } from './table';

/** Register operands; 31 is SP or XZR as the row's syntax says. `lr` is always x30 (BL, BLR). */
export type RegSlot = 'rd' | 'rn' | 'rm' | 'ra' | 'rt' | 'rt2' | 'rs' | 'rs2' | 'lr';
export const REG_SLOTS: readonly RegSlot[] = ['rd', 'rn', 'rm', 'ra', 'rt', 'rt2', 'rs', 'rs2', 'lr'];

export interface Operands {
  /** The low and high words of a register operand. */
  lo(r: RegSlot): string;
  hi(r: RegSlot): string;
  /** A statement writing a 64-bit value to a register (writes to XZR vanish). */
  set(r: RegSlot, lo: string, hi: string): string;
  /** A per-instruction constant: a decoded operand value or one `consts` derived. */
  k(name: string): string;
  /** That constant's value when known while generating code (the translator), else undefined. */
  known(name: string): number | undefined;
  /** This instruction's address and the next one's. */
  readonly pc: string;
  readonly npc: string;
  /** Statement that leaves the instruction after a helper raised an exception (c.fault set). */
  readonly fault: string;
  /** The prepared instruction, for helpers that need all of it (system instructions). */
  readonly insn: string;
}

/**
 * How a row takes part in control flow:
 *   op        straight-line, never raises
 *   mem       straight-line, may raise or reach a device
 *   cond      conditional direct branch: body is a boolean expression, target pc + imm
 *   jump      unconditional direct branch to pc + imm; body runs first (BL's link)
 *   indirect  body sets `next`
 *   system    runs through helpers that may change anything; always ends a block
 */
export type Kind = 'op' | 'mem' | 'cond' | 'jump' | 'indirect' | 'system';

export interface Semantics {
  /** The kind, or a function of the operands when it depends on them (HINT: only WFI is a system instruction). */
  readonly kind: Kind | ((v: Values) => Kind);
  /** Constants derived once per instruction from its decoded operand values. */
  readonly consts?: (v: Values) => Readonly<Record<string, number>>;
  readonly body: (o: Operands) => string;
}

// ---- source builders shared by the semantics files ----------------------------------

/** Declares `${p}l`, `${p}h`: the 64-bit value of register `r`. */
export const pair = (o: Operands, r: RegSlot, p: string): string => `const ${p}l=${o.lo(r)},${p}h=${o.hi(r)};`;

/** A 32-bit result written to a W register (the high word becomes zero). */
export const set32 = (o: Operands, r: RegSlot, v: string): string => o.set(r, v, '0');

/** A JS number (signed 64-bit) from halves. */
export const num = (l: string, h: string): string => `(${h}*4294967296+(${l}>>>0))`;

/** Statements splitting the number expression `v` into halves `${p}l`, `${p}h`. */
export const split = (v: string, p: string): string => `const ${p}v=${v},${p}l=${p}v|0,${p}h=Math.floor(${p}v/4294967296)|0;`;

/**
 * Declares `${out}l`, `${out}h`: (l, h) shifted by type t (0 LSL, 1 LSR, 2
 * ASR, 3 ROR) and amount s (0..63). Constant operands fold away in blocks.
 */
export function shift64(out: string, l: string, h: string, t: string, s: string): string {
  const L = `${out}l`, H = `${out}h`;
  return `let ${L},${H};{const $t=${t},$s=${s};` +
    `if($s===0){${L}=${l};${H}=${h};}` +
    `else if($t===0){if($s<32){${H}=(${h}<<$s)|(${l}>>>(32-$s));${L}=${l}<<$s;}else{${H}=${l}<<($s-32);${L}=0;}}` +
    `else if($t===1){if($s<32){${L}=(${l}>>>$s)|(${h}<<(32-$s));${H}=${h}>>>$s;}else{${L}=${h}>>>($s-32);${H}=0;}}` +
    `else if($t===2){if($s<32){${L}=(${l}>>>$s)|(${h}<<(32-$s));${H}=${h}>>$s;}else{${L}=${h}>>($s-32);${H}=${h}>>31;}}` +
    `else if($s<32){${L}=(${l}>>>$s)|(${h}<<(32-$s));${H}=(${h}>>>$s)|(${l}<<(32-$s));}` +
    `else if($s===32){${L}=${h};${H}=${l};}` +
    `else{${L}=(${h}>>>($s-32))|(${l}<<(64-$s));${H}=(${l}>>>($s-32))|(${h}<<(64-$s));}}`;
}

/** A 32-bit value shifted by type t and amount s (0..31), as an expression. */
export const shift32 = (v: string, t: string, s: string): string =>
  `(${t}===0?${v}<<${s}:${t}===1?${v}>>>${s}:${t}===2?${v}>>${s}:(${s}===0?${v}:(${v}>>>${s})|(${v}<<(32-${s}))))`;

/**
 * Declares `rl`, `rh` = a + b + cin (64-bit) and, with `flags`, sets NZCV.
 * Subtraction is a + ~b + 1, as the architecture defines its flags.
 */
export function add64(a: string, b: string, cin: string, flags: boolean): string {
  const sum = `const sl=(${a}l>>>0)+(${b}l>>>0)+${cin},rl=sl|0,sh=(${a}h>>>0)+(${b}h>>>0)+(sl>4294967295?1:0),rh=sh|0;`;
  if (!flags) return sum;
  return sum + `c.nf=rh>>>31;c.zf=(rl|rh)===0?1:0;c.cf=sh>4294967295?1:0;c.vf=((${a}h^rh)&(${b}h^rh))>>>31;`;
}

/** Declares `r` = a + b + cin (32-bit) and, with `flags`, sets NZCV. */
export function add32(a: string, b: string, cin: string, flags: boolean): string {
  const sum = `const u=(${a}>>>0)+(${b}>>>0)+${cin},r=u|0;`;
  if (!flags) return sum;
  return sum + `c.nf=r>>>31;c.zf=r===0?1:0;c.cf=u>4294967295?1:0;c.vf=((${a}^r)&(${b}^r))>>>31;`;
}

/** Whether the condition (0..15, Arm encoding) holds, as an expression over the flags. */
export function conditionSource(cond: number): string {
  const base = [
    'c.zf===1', 'c.cf===1', 'c.nf===1', 'c.vf===1',
    '(c.cf===1&&c.zf===0)', 'c.nf===c.vf', '(c.zf===0&&c.nf===c.vf)', 'true',
  ][cond >> 1]!;
  // Odd conditions invert, except AL/NV (both always true).
  return (cond & 1) === 1 && cond !== 15 ? `!(${base})` : base;
}

/** A condition operand: inlined when known, else evaluated by the helper. */
export function condition(o: Operands, name = 'cond'): string {
  const known = o.known(name);
  return known === undefined ? `h.holds(c,${o.k(name)})` : conditionSource(known);
}
