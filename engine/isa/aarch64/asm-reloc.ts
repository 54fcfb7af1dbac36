// Operands known only once every address is: pc-relative targets (branches,
// adr, literal loads), adrp's page offset, and the `:op:` relocation
// operators. A64 has no branch relaxation, so a target out of reach is an
// error on the instruction's line, as it is for gas.

import type { SourcePos } from '../../asm/diagnostics';
import type { ResolveContext } from '../../asm/sections';
import type { RelocOp } from './asm-operands';
import { fieldRange } from './asm-encode';
import { fields, fits, type FieldName } from './fields';
import type { Row } from './table';

const hex = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;

/** The imm field's value for a pc-relative target: a byte offset, or a page offset for adrp. */
export function pcRelative(row: Row, pc: bigint, target: bigint, ctx: ResolveContext, at: SourcePos): number | undefined {
  const field = fields[row.operands.imm as FieldName];
  const page = row.mnemonic === 'adrp';
  const offset = page ? BigInt.asIntN(64, (target & ~0xfffn) - (pc & ~0xfffn)) : BigInt.asIntN(64, target - pc);
  const name = row.mnemonic;
  if (!page && name !== 'adr' && (offset & 3n) !== 0n) {
    ctx.error(at, `${name} target ${hex(target)} is not 4-byte aligned`);
    return undefined;
  }
  if (offset < -(2n ** 40n) || offset > 2n ** 40n || !fits(field, Number(offset))) {
    const kind = page ? 'page offset' : 'offset';
    ctx.error(at, `${name} target ${hex(target)} is out of range: ${kind} ${offset} is beyond the reach of ${fieldRange(field)}`);
    return undefined;
  }
  return Number(offset);
}

const GROUP_SHIFT: Partial<Record<RelocOp, number>> = { abs_g0: 0, abs_g0_nc: 0, abs_g1: 16, abs_g1_nc: 16, abs_g2: 32, abs_g2_nc: 32, abs_g3: 48 };

/**
 * The slot values a relocation operator gives once its expression's value
 * is known: the low 12 bits (an add immediate or a scaled load/store offset),
 * or one 16-bit group of an absolute value for movz/movk (with its shift).
 */
export function relocSlots(op: RelocOp, row: Row, value: bigint, ctx: ResolveContext, at: SourcePos): { imm: number; hw?: number } | undefined {
  if (op === 'lo12') {
    const lo = Number(BigInt.asUintN(12, value));
    const bytes = row.id.endsWith('.uoff') ? (row.bytes ?? 1) : 1;
    if (lo % bytes !== 0) {
      ctx.error(at, `:lo12: value 0x${lo.toString(16)} is not a multiple of the ${bytes}-byte access size`);
      return undefined;
    }
    return { imm: lo };
  }
  const shift = GROUP_SHIFT[op];
  if (shift === undefined || !/^mov[znk]\./.test(row.id)) {
    ctx.error(at, `\`:${op}:\` is not allowed with ${row.mnemonic}`);
    return undefined;
  }
  const unsigned = BigInt.asUintN(64, value);
  // The checked groups require the value to fit in the bits up to their group.
  if (!op.endsWith('_nc') && op !== 'abs_g3' && unsigned >> BigInt(shift + 16) !== 0n) {
    ctx.error(at, `:${op}: value ${hex(value)} does not fit in ${shift + 16} bits`);
    return undefined;
  }
  return { imm: Number((unsigned >> BigInt(shift)) & 0xffffn), hw: shift / 16 };
}
