// Disassembler whose text matches GNU objdump 2.40 (`-d`, its default alias
// mode). Rows come from decode(); the printed form is the row's `syntax`, or
// the first matching alias from aliases.ts.

import { aliases, type Alias } from './aliases';
import { csrName } from './csr-names';
import { decode, decodeWithRow, instructionSize, type Decoded } from './decode';
import { fields, type FieldName } from './fields';
import { fRegisterName, registerName } from './registers';
import { table, type Row, type Slot } from './table';

export interface Disassembly {
  size: 2 | 4;
  mnemonic: string;
  operands: string;
  /** objdump's trailing `# address <symbol>` annotation, without the `# `. */
  comment?: string;
  text: string;
}

export interface DisassemblyOptions {
  /** false prints every instruction in its row's own spelling, like `objdump -M no-aliases`. */
  aliases?: boolean;
  /**
   * The value of `__global_pointer$` when the image defines one: objdump then
   * treats gp as a known base register. Taken modulo 2^64 like pc.
   */
  globalPointer?: number;
}

/** Returns e.g. "main+0x10" for an address, or undefined to print it bare. */
export type Symbolizer = (addr: number) => string | undefined;

/**
 * Disassembles a run of consecutive instructions the way `objdump -d` lists
 * them. objdump carries state from one instruction to the next: a lui, auipc
 * or c.lui records the value it leaves in rd, and the next instruction that
 * shows that register as the base of an address (see addressComment) uses the
 * record up and is annotated with the sum. Other writes to rd do not clear the
 * record, and objdump clears nothing at function, section or data boundaries,
 * so the text equals objdump's only when the run starts where objdump's does
 * (the start of its listing, or any point objdump reaches with no record
 * live, such as a symbol whose predecessors left none). A debugger listing a
 * range should start it at a known instruction boundary, ideally a symbol,
 * and call reset() before starting an unrelated range.
 */
export class Disassembler {
  /** Per register: the value a lui/auipc/c.lui left there, until an address use consumes it. */
  private readonly upper: (number | undefined)[] = new Array<number | undefined>(32).fill(undefined);
  private readonly useAliases: boolean;
  private readonly globalPointer: number | undefined;

  constructor(
    private readonly symbolize?: Symbolizer,
    options?: DisassemblyOptions,
  ) {
    this.useAliases = options?.aliases ?? true;
    this.globalPointer = options?.globalPointer;
  }

  /**
   * insn: 32 bits, or the low 16 for RVC. pc: the instruction's address (for
   * branch targets), taken modulo 2^64, so high-half addresses may be passed as
   * negative numbers. symbolize receives targets the same way and its result is
   * appended as " <name>" exactly as objdump does.
   */
  next(insn: number, pc: number): Disassembly {
    const size = instructionSize(insn);
    const bits = size === 2 ? insn & 0xffff : insn >>> 0;
    const decoded = decode(bits) ?? decodeReservedNamed(bits);
    if (decoded) {
      const alias = findAlias(decoded, this.useAliases);
      if (!hasUnnamedBits(decoded, alias)) {
        const out = render(decoded, alias, pc, this.symbolize, this.useAliases, this.lookUpBase);
        // No record for x0: objdump prints an x0 base as the bare offset regardless.
        if ((decoded.op === 'lui' || decoded.op === 'auipc') && decoded.rd !== X_ZERO) {
          this.upper[decoded.rd] = decoded.op === 'lui' ? decoded.imm : pc + decoded.imm;
        }
        return out;
      }
    }
    return fallback(size, bits, this.useAliases);
  }

  /** Forget every recorded register value, as at the start of objdump's listing. */
  reset(): void {
    this.upper.fill(undefined);
  }

  /**
   * The value objdump assumes for `reg` used as a base: a pending record
   * (which this use consumes), else gp's symbol value, else 0 for tp and x0.
   * undefined when it knows none.
   */
  private readonly lookUpBase = (reg: number): number | undefined => {
    const recorded = this.upper[reg];
    if (recorded !== undefined) {
      this.upper[reg] = undefined;
      return recorded;
    }
    if (reg === X_GP) return this.globalPointer;
    if (reg === X_TP || reg === X_ZERO) return 0;
    return undefined;
  };
}

/**
 * One instruction with no context from earlier ones: only tp, x0 and (with
 * options.globalPointer) gp are known bases. See Disassembler.next.
 */
export function disassembleOne(insn: number, pc: number, symbolize?: Symbolizer, options?: DisassemblyOptions): Disassembly {
  return new Disassembler(symbolize, options).next(insn, pc);
}

// ---- Choosing a spelling -------------------------------------------------------

const slotNames: readonly Slot[] = ['rd', 'rs1', 'rs2', 'rs3', 'imm', 'csr', 'rm', 'aq', 'rl', 'pred', 'succ'];

/** Aliases by operation, those restricted to particular rows first. */
const aliasesByOp = new Map<string, Alias[]>();
for (const alias of [...aliases.filter((a) => a.rows), ...aliases.filter((a) => !a.rows)]) {
  const list = aliasesByOp.get(alias.op) ?? [];
  list.push(alias);
  aliasesByOp.set(alias.op, list);
}

/**
 * The first alias of d's operation whose conditions hold. An alias that fixes
 * `bits` names an encoding no row can show (fence.tso), so it applies even when
 * aliases are off.
 */
function findAlias(d: Decoded, useAliases: boolean): Alias | undefined {
  for (const alias of aliasesByOp.get(d.op) ?? []) {
    if (!useAliases && !alias.bits) continue;
    if (alias.rows && !alias.rows.includes(d.row.mnemonic)) continue;
    if (alias.bits && ((d.raw & alias.bits.mask) >>> 0) !== alias.bits.match >>> 0) continue;
    if (alias.same && d[alias.same[0]] !== d[alias.same[1]]) continue;
    if (slotNames.every((slot) => alias.when[slot] === undefined || alias.when[slot] === d[slot])) return alias;
  }
  return undefined;
}

/** 32-bit rows by mnemonic: a compressed row with no alias prints as its base row. */
const baseRows = new Map<string, Row>();
for (const row of table) if (row.size === 4 && !baseRows.has(row.mnemonic)) baseRows.set(row.mnemonic, row);

/**
 * Instruction bits that are fixed by the row's mask or part of one of its
 * operand fields. A rounding mode the syntax does not show counts as unnamed:
 * objdump names such a row only when its rm is 0.
 */
function coveredBits(row: Row): number {
  let covered = row.mask;
  for (const [slot, source] of Object.entries(row.operands)) {
    if (typeof source !== 'string' || (slot === 'rm' && !showsRoundingMode(row.syntax))) continue;
    for (const [hi, lo] of fields[source as FieldName].segments) covered |= (((1 << (hi - lo + 1)) - 1) << lo) >>> 0;
  }
  return covered >>> 0;
}
const coveredByRow = new Map<Row, number>(table.map((row) => [row, coveredBits(row)]));

/**
 * objdump names an encoding only when every bit is either fixed or an operand;
 * the decoder ignores the reserved fields of fence and fence.i, objdump does not.
 */
function hasUnnamedBits(d: Decoded, alias: Alias | undefined): boolean {
  const covered = (coveredByRow.get(d.row) ?? 0) | (alias?.bits?.mask ?? 0);
  return ((d.raw & ~covered) >>> 0) !== 0;
}

/** Reserved encodings that objdump still prints under their row's name. */
const printedWhenReserved = new Set(['c.addi16sp']);
const reservedRows = table.filter((row) => printedWhenReserved.has(row.mnemonic));

function decodeReservedNamed(bits: number): Decoded | undefined {
  const row = reservedRows.find((r) => ((bits & r.mask) >>> 0) === r.match >>> 0);
  return row ? decodeWithRow(row, bits) : undefined;
}

function fallback(size: 2 | 4, bits: number, useAliases: boolean): Disassembly {
  if (size === 2 && bits === 0) {
    const mnemonic = useAliases ? 'unimp' : 'c.unimp';
    return { size, mnemonic, operands: '', text: mnemonic };
  }
  const mnemonic = size === 2 ? '.2byte' : '.4byte';
  const operands = `0x${bits.toString(16)}`;
  return { size, mnemonic, operands, text: `${mnemonic}\t${operands}` };
}

// ---- Printing -------------------------------------------------------------------

function showsRoundingMode(syntax: string): boolean {
  return syntax.endsWith(',rm');
}

/** Rounding-mode names by rm value; 5 and 6 are reserved. */
const roundingModes = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'unknown', 'unknown', 'dyn'] as const;
const RM_DYNAMIC = 7;

/** Shift amounts print in hex; every other immediate prints in decimal. */
const hexImmediateFields: ReadonlySet<FieldName> = new Set<FieldName>(['shamt5', 'shamt6', 'cUimm6']);

const orderingSuffix = ['', '.rl', '.aq', '.aqrl'] as const;

/** Returns the value objdump assumes for a base register, consuming any lui/auipc record. */
type BaseLookup = (reg: number) => number | undefined;

function render(d: Decoded, alias: Alias | undefined, pc: number, symbolize: Symbolizer | undefined, useAliases: boolean, lookUpBase: BaseLookup): Disassembly {
  const spelling = alias ?? (useAliases && d.size === 2 ? baseRows.get(d.op) : undefined) ?? d.row;
  const name = 'name' in spelling ? spelling.name : spelling.mnemonic;
  const hasOrdering = typeof d.row.operands.aq === 'string';
  const mnemonic = hasOrdering ? `${name}${orderingSuffix[(d.aq << 1) | d.rl]}` : name;
  const hexImm = hexImmediateFields.has(d.row.operands.imm as FieldName);
  // The dynamic rounding mode is the default and goes unsaid.
  const syntax = d.rm === RM_DYNAMIC && showsRoundingMode(spelling.syntax) ? spelling.syntax.slice(0, -3) : spelling.syntax;
  const operands = syntax.replace(/[a-z][a-z0-9]*/g, (token) => formatToken(token, d, pc, hexImm, symbolize));
  const comment = addressComment(d, syntax, symbolize, lookUpBase);
  let text = operands === '' ? mnemonic : `${mnemonic}\t${operands}`;
  if (comment !== undefined) text += ` # ${comment}`;
  return comment === undefined ? { size: d.size, mnemonic, operands, text } : { size: d.size, mnemonic, operands, comment, text };
}

function formatToken(token: string, d: Decoded, pc: number, hexImm: boolean, symbolize: Symbolizer | undefined): string {
  switch (token) {
    case 'rd':
    case 'rs1':
    case 'rs2':
      return registerName(d[token]);
    case 'fd':
      return fRegisterName(d.rd);
    case 'fs1':
    case 'fs2':
    case 'fs3':
      return fRegisterName(d[`r${token.slice(1)}` as 'rs1' | 'rs2' | 'rs3']);
    case 'rm':
      return roundingModes[d.rm]!;
    case 'imm':
      return hexImm ? `0x${d.imm.toString(16)}` : String(d.imm);
    case 'uimm':
      return `0x${((d.imm >>> 12) & 0xfffff).toString(16)}`;
    case 'target':
      return address(pc + d.imm, symbolize);
    case 'csr':
      return csrName(d.csr) ?? `0x${d.csr.toString(16)}`;
    case 'pred':
    case 'succ':
      return fenceSet(d[token]);
    default:
      throw new Error(`unknown syntax token ${token} in row ${d.row.mnemonic}`);
  }
}

function fenceSet(set: number): string {
  if (set === 0) return 'unknown';
  return ['i', 'o', 'r', 'w'].filter((_, i) => (set & (8 >> i)) !== 0).join('');
}

/** Hex digits of an address taken modulo 2^64. */
function hex64(addr: number): string {
  if (addr >= 0 && Number.isSafeInteger(addr)) return addr.toString(16);
  return BigInt.asUintN(64, BigInt(Math.trunc(addr))).toString(16);
}

function address(addr: number, symbolize: Symbolizer | undefined): string {
  const name = symbolize?.(addr);
  return name === undefined ? hex64(addr) : `${hex64(addr)} <${name}>`;
}

// ---- Effective-address annotations ------------------------------------------------

const X_ZERO = 0;
const X_GP = 3;
const X_TP = 4;

const arithmeticRows: ReadonlySet<string> = new Set(['addi', 'addiw', 'c.addi', 'c.addiw']);
/** 32-bit loads and stores (integer and floating-point): rows addressed as `imm(rs1)`. */
const accessRows: ReadonlySet<string> = new Set(
  table.filter((row) => row.size === 4 && row.mnemonic !== 'jalr' && row.syntax.includes('imm(rs1)')).map((row) => row.mnemonic),
);

/**
 * How many times objdump asks for the base register's value while printing d
 * in this spelling: once for a shown offset of addi/addiw (rs1 != x0), a
 * 32-bit load or store, and once each for jalr's shown offset and shown base.
 * Spellings that hide the offset (`mv`, `sext.w`) or every operand (`ret`)
 * take no part, nor do compressed loads, stores, jumps and sp adjustments.
 */
function baseLookups(d: Decoded, syntax: string): number {
  const row = d.row.mnemonic;
  const arithmetic = arithmeticRows.has(row);
  if (!arithmetic && !accessRows.has(row) && row !== 'jalr') return 0;
  const tokens: readonly string[] = syntax.match(/[a-z][a-z0-9]*/g) ?? [];
  const showsImm = tokens.includes('imm') ? 1 : 0;
  if (arithmetic) return d.rs1 === X_ZERO ? 0 : showsImm;
  if (row === 'jalr') return showsImm + (tokens.includes('rs1') ? 1 : 0);
  return showsImm;
}

/**
 * objdump follows memory accesses, jumps and address arithmetic with the
 * effective address when it knows the base register's value. A jalr spelled
 * `imm(rs1)` asks twice and the last known answer wins, so a lui into tp or
 * gp is used up by its first question and the printed address is the one
 * based on tp's 0 or gp's symbol. addiw's sum is sign-extended from 32 bits.
 */
function addressComment(d: Decoded, syntax: string, symbolize: Symbolizer | undefined, lookUpBase: BaseLookup): string | undefined {
  let addr: number | undefined;
  for (let i = baseLookups(d, syntax); i > 0; i--) {
    const base = lookUpBase(d.rs1);
    if (base !== undefined) addr = base + d.imm;
  }
  if (addr === undefined) return undefined;
  return address(d.op === 'addiw' ? addr | 0 : addr, symbolize);
}
