// Branches and jumps to labels, sized the way gas relaxes them. A jump is 2
// bytes (c.j) when compressible and within c.j's reach, else a 4-byte jal. A
// conditional branch is 2 bytes (c.beqz/c.bnez) when compressible and in
// reach, 4 within the 32-bit branch's reach, and otherwise the inverted branch
// over a `jal zero, target`: 6 bytes with a compressed branch, 8 without.
// Targets outside the section (or absolute) get the long form: 4 for jumps, 8
// for branches.

import type { RelaxPolicy, ResolveContext } from '../../asm/sections';
import type { SourcePos } from '../../asm/diagnostics';
import { encodeRow, littleEndian } from './asm-encode';
import type { Slots } from './asm-forms';
import { tableRow } from './asm-forms';
import { fields, fieldWidth, type Field, type FieldName } from './fields';
import type { Row } from './table';

const INVERSE: Readonly<Record<string, string>> = {
  beq: 'bne', bne: 'beq', blt: 'bge', bge: 'blt', bltu: 'bgeu', bgeu: 'bltu', 'c.beqz': 'c.bnez', 'c.bnez': 'c.beqz',
};

/** gas's reach test: -reach/2 <= distance < reach/2, alignment not considered. */
function reaches(field: Field, distance: number): boolean {
  const half = 2 ** (fieldWidth(field) - 1);
  return distance >= -half && distance < half;
}

const immOf = (row: Row): Field => fields[row.operands.imm as FieldName];

export class BranchPolicy implements RelaxPolicy {
  private readonly jump: boolean;

  constructor(
    /** The 32-bit branch or jal row. */
    private readonly wide: Row,
    /** The compressed row, when this branch may be compressed. */
    private readonly narrow: Row | undefined,
    private readonly slots: Slots,
  ) {
    this.jump = wide.mnemonic === 'jal';
  }

  size(distance: number | undefined): number {
    if (distance === undefined) return this.jump ? 4 : 8;
    if (this.narrow && reaches(immOf(this.narrow), distance)) return 2;
    if (this.jump) return 4;
    if (reaches(immOf(this.wide), distance)) return 4;
    return this.narrow ? 6 : 8;
  }

  encode(size: number, pc: bigint, target: bigint, ctx: ResolveContext, at: SourcePos): { bytes: Uint8Array; parts: readonly number[] } | undefined {
    const offset = BigInt.asIntN(64, target - pc);
    if (offset & 1n) {
      ctx.error(at, `branch target 0x${BigInt.asUintN(64, target).toString(16)} is not 2-byte aligned`);
      return undefined;
    }
    const one = (row: Row, slots: Slots, imm: bigint): number | undefined => {
      const insn = encodeRow(row, { ...slots, imm: Number(imm) });
      if (typeof insn === 'number') return insn;
      const reach = 2 ** (fieldWidth(immOf(row)) - 1);
      ctx.error(at, `branch target is ${imm} bytes away, beyond ${row.mnemonic}'s reach of -${reach}..${reach - 2}`);
      return undefined;
    };
    switch (size) {
      case 2: {
        const insn = one(this.narrow!, this.slots, offset);
        return insn === undefined ? undefined : { bytes: littleEndian(insn, 2), parts: [2] };
      }
      case 4: {
        const insn = one(this.wide, this.slots, offset);
        return insn === undefined ? undefined : { bytes: littleEndian(insn, 4), parts: [4] };
      }
      default: {
        // Inverted branch over a jal.
        const first = size === 6 ? this.narrow! : this.wide;
        const skip = one(tableRow(INVERSE[first.mnemonic]!), this.slots, BigInt(size));
        const jal = one(tableRow('jal'), { rd: 0 }, offset - BigInt(first.size));
        if (skip === undefined || jal === undefined) return undefined;
        const bytes = new Uint8Array(size);
        bytes.set(littleEndian(skip, first.size), 0);
        bytes.set(littleEndian(jal, 4), first.size);
        return { bytes, parts: [first.size, 4] };
      }
    }
  }
}
