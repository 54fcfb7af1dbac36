// The block translator: a run of instructions from one page becomes one
// JavaScript function, built from the same fragments as the interpreter with
// the operands as constants. A block ends at a control transfer, a system
// instruction, a page boundary, a breakpoint, or after MAX_BLOCK instructions.
// A block that branches back to its own start loops inside the function until
// the hart's stopAt, so tight loops run without returning to the dispatcher.

import { decode, instructionSize, type Decoded } from './decode';
import type { Hart } from './hart';
import { helpers, type Helpers } from './helpers';
import { destSlot } from './interpreter';
import { branchConditions, fragmentFor, systemOps } from './semantics';

export const MAX_BLOCK = 64;

export interface Block {
  readonly va: number;
  readonly pa: number;
  /** Instructions in the block (per pass, for self-loops). */
  readonly length: number;
  readonly run: (c: Hart, x: Int32Array) => void;
  valid: boolean;
}

type Factory = (h: Helpers, k: readonly Decoded[]) => (c: Hart, x: Int32Array) => void;

const isControl = (op: string): boolean => op === 'jal' || op === 'jalr' || branchConditions[op] !== undefined;

/**
 * Translate the block at virtual `va`, whose first byte is RAM byte offset
 * `offset` (`pa` physical). `stopBefore(va)` ends the block before a
 * breakpoint. Returns undefined when the first instruction cannot be
 * translated (illegal, or straddling the page): the interpreter takes it.
 */
export function translateBlock(u16: Uint16Array, va: number, pa: number, offset: number, stopBefore: (va: number) => boolean): Block | undefined {
  const pageEnd = offset - (offset % 4096) + 4096;
  const insns: { d: Decoded; pc: number }[] = [];
  let off = offset;
  let pc = va;
  while (insns.length < MAX_BLOCK) {
    if (insns.length > 0 && stopBefore(pc)) break;
    if (off + 2 > pageEnd) break;
    const low = u16[off >>> 1]!;
    const size = instructionSize(low);
    if (off + size > pageEnd) break;
    const raw = size === 2 ? low : (low | (u16[(off >>> 1) + 1]! << 16)) >>> 0;
    const d = decode(raw);
    if (!d) break;
    insns.push({ d, pc });
    off += size;
    pc += size;
    if (isControl(d.op) || systemOps.has(d.op)) break;
  }
  if (insns.length === 0) return undefined;

  const consts: Decoded[] = [];
  const parts: string[] = [];
  const n = insns.length;
  const last = insns[n - 1]!;
  const lastOp = last.d.op;
  const selfLoop = (branchConditions[lastOp] !== undefined || lastOp === 'jal') && last.pc + last.d.imm === va && (lastOp !== 'jal' || last.d.rd === 0);

  insns.forEach(({ d, pc: ipc }, i) => {
    const npc = ipc + d.size;
    const o = {
      rd: String(destSlot(d.rd)), rs1: String(d.rs1 * 2), rs2: String(d.rs2 * 2), imm: String(d.imm), csr: String(d.csr),
      pc: String(ipc), npc: String(npc), fault: `c.pc=${ipc};c.instret+=${i};return;`,
      insn: systemOps.has(d.op) ? `k[${consts.push(d) - 1}]` : '',
    };
    const cond = branchConditions[d.op];
    if (i < n - 1) {
      parts.push(fragmentFor(d.op, o)!);
    } else if (selfLoop) {
      const test = cond ? cond(o) : 'true';
      parts.push(`c.instret+=${n};if(${test}){if(c.instret+${n}<=c.stopAt)continue;c.pc=${va};return;}c.pc=${npc};return;`);
    } else if (cond) {
      parts.push(`c.instret+=${n};c.pc=(${cond(o)})?${ipc + d.imm}:${npc};return;`);
    } else {
      // A jump, a system instruction, or the last instruction before a page
      // boundary, breakpoint or the size limit (then `next` stays the fall-through).
      parts.push(`next=${npc};${fragmentFor(d.op, o)!}c.instret+=${n};c.pc=next;return;`);
    }
  });
  const body = selfLoop ? `for(;;){${parts.join('')}}` : parts.join('');
  const factory = new Function('h', 'k', `return function(c,x){let next=0;${body}}`) as Factory;
  return { va, pa, length: n, run: factory(helpers, consts), valid: true };
}
