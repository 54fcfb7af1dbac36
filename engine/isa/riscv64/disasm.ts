// One-instruction disassembler whose text matches GNU objdump 2.40 (`-d`, its
// default alias mode). Rows come from decode(); the printed form is the row's
// `syntax`, or the first matching alias from aliases.ts.

import { aliases, type Alias } from './aliases';
import { csrName } from './csr-names';
import { decode, decodeWithRow, instructionSize, type Decoded } from './decode';
import { fields, type FieldName } from './fields';
import { registerName } from './registers';
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
}

/** Returns e.g. "main+0x10" for an address, or undefined to print it bare. */
export type Symbolizer = (addr: number) => string | undefined;

/**
 * insn: 32 bits, or the low 16 for RVC. pc: the instruction's address (for
 * branch targets), taken modulo 2^64, so high-half addresses may be passed as
 * negative numbers. symbolize receives targets the same way and its result is
 * appended as " <name>" exactly as objdump does.
 */
export function disassembleOne(insn: number, pc: number, symbolize?: Symbolizer, options?: DisassemblyOptions): Disassembly {
  const size = instructionSize(insn);
  const bits = size === 2 ? insn & 0xffff : insn >>> 0;
  const useAliases = options?.aliases ?? true;
  const decoded = decode(bits) ?? decodeReservedNamed(bits);
  if (decoded) {
    const alias = findAlias(decoded, useAliases);
    if (!hasUnnamedBits(decoded, alias)) return render(decoded, alias, pc, symbolize, useAliases);
  }
  return fallback(size, bits, useAliases);
}

// ---- Choosing a spelling -------------------------------------------------------

const slotNames: readonly Slot[] = ['rd', 'rs1', 'rs2', 'imm', 'csr', 'aq', 'rl', 'pred', 'succ'];

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
    if (slotNames.every((slot) => alias.when[slot] === undefined || alias.when[slot] === d[slot])) return alias;
  }
  return undefined;
}

/** 32-bit rows by mnemonic: a compressed row with no alias prints as its base row. */
const baseRows = new Map<string, Row>();
for (const row of table) if (row.size === 4 && !baseRows.has(row.mnemonic)) baseRows.set(row.mnemonic, row);

/** Instruction bits that are neither fixed by the row's mask nor part of one of its operand fields. */
function coveredBits(row: Row): number {
  let covered = row.mask;
  for (const source of Object.values(row.operands)) {
    if (typeof source !== 'string') continue;
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

/** Shift amounts print in hex; every other immediate prints in decimal. */
const hexImmediateFields: ReadonlySet<FieldName> = new Set<FieldName>(['shamt5', 'shamt6', 'cUimm6']);

const orderingSuffix = ['', '.rl', '.aq', '.aqrl'] as const;

function render(d: Decoded, alias: Alias | undefined, pc: number, symbolize: Symbolizer | undefined, useAliases: boolean): Disassembly {
  const spelling = alias ?? (useAliases && d.size === 2 ? baseRows.get(d.op) : undefined) ?? d.row;
  const name = 'name' in spelling ? spelling.name : spelling.mnemonic;
  const hasOrdering = typeof d.row.operands.aq === 'string';
  const mnemonic = hasOrdering ? `${name}${orderingSuffix[(d.aq << 1) | d.rl]}` : name;
  const hexImm = hexImmediateFields.has(d.row.operands.imm as FieldName);
  const operands = spelling.syntax.replace(/[a-z][a-z0-9]*/g, (token) => formatToken(token, d, pc, hexImm, symbolize));
  const comment = addressComment(d, name, symbolize);
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
const X_TP = 4;

/**
 * objdump follows memory accesses, jumps and address arithmetic with the
 * effective address when it knows the base register's value. Without context
 * from earlier instructions it knows it only for tp (taken as 0) and, for
 * loads, stores and jumps, x0. It annotates the 32-bit forms, and of the
 * compressed ones only c.addi and c.addiw.
 */
const accessOps: ReadonlySet<string> = new Set(['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu', 'sb', 'sh', 'sw', 'sd', 'jalr']);
const arithmeticOps: ReadonlySet<string> = new Set(['addi', 'addiw']);
const annotatedCompressedRows: ReadonlySet<string> = new Set(['c.addi', 'c.addiw']);
/** Alias spellings that do not show the offset and get no annotation. */
const unannotatedNames: ReadonlySet<string> = new Set(['mv', 'sext.w']);

function addressComment(d: Decoded, name: string, symbolize: Symbolizer | undefined): string | undefined {
  const known = d.rs1 === X_TP || (d.rs1 === X_ZERO && accessOps.has(d.op));
  if (!known || !(accessOps.has(d.op) || arithmeticOps.has(d.op)) || unannotatedNames.has(name)) return undefined;
  if (d.size === 2 && !annotatedCompressedRows.has(d.row.mnemonic)) return undefined;
  return address(d.imm, symbolize);
}
