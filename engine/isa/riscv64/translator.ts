// The block translator: a run of instructions from one page becomes one
// JavaScript function, built from the same fragments as the interpreter with
// the operands as constants. A block follows the not-taken side of
// conditional branches and direct jumps within its page (a superblock), so
// each taken branch is an exit. It ends at an indirect jump, a system
// instruction, a page boundary, a breakpoint, or after MAX_BLOCK
// instructions. A branch back to the block's start loops inside the function
// until the hart's stopAt, so tight loops never return to the dispatcher.

import { decode, instructionSize, type Decoded } from './decode';
import type { Hart } from './hart';
import { helpers, type Helpers } from './helpers';
import { destSlot } from './interpreter';
import { branchConditions, fragmentFor, linkFragment, systemOps } from './semantics';

export const MAX_BLOCK = 64;

export interface Block {
  readonly va: number;
  readonly pa: number;
  /** The most instructions one pass through the block can retire. */
  readonly length: number;
  readonly run: (c: Hart, x: Int32Array) => void;
  valid: boolean;
}

type Factory = (h: Helpers, k: readonly Decoded[]) => (c: Hart, x: Int32Array) => void;

/**
 * Translate the block at virtual `va`, whose first byte is RAM byte offset
 * `offset` (`pa` physical). `stopBefore(va)` ends the block before a
 * breakpoint. Returns undefined when the first instruction cannot be
 * translated (illegal, or straddling the page): the interpreter takes it.
 */
export function translateBlock(u16: Uint16Array, va: number, pa: number, offset: number, stopBefore: (va: number) => boolean): Block | undefined {
  const pageStart = offset - (offset % 4096);
  const pageVa = va - (offset - pageStart);
  const consts: Decoded[] = [];
  const parts: string[] = [];
  const visited = new Set<number>();
  let loops = false;
  let count = 0;
  let pc = va;

  /** Leave the block for `target` after `retired` instructions, looping when it is the start. */
  const exitTo = (target: number, retired: number): string => {
    if (target !== va) return `c.instret+=${retired};c.pc=${target};return;`;
    loops = true;
    return `c.instret+=${retired};if(c.instret+${MAX_BLOCK}<=c.stopAt)continue;c.pc=${va};return;`;
  };
  const inPage = (target: number): boolean => target >= pageVa && target < pageVa + 4096;

  while (count < MAX_BLOCK) {
    if (count > 0 && (visited.has(pc) || stopBefore(pc))) {
      parts.push(exitTo(pc, count));
      break;
    }
    const off = pageStart + (pc - pageVa);
    if (!inPage(pc) || off + 2 > pageStart + 4096) {
      parts.push(exitTo(pc, count));
      break;
    }
    const low = u16[off >>> 1]!;
    const size = instructionSize(low);
    if (off + size > pageStart + 4096) {
      if (count === 0) return undefined;
      parts.push(exitTo(pc, count));
      break;
    }
    const raw = size === 2 ? low : (low | (u16[(off >>> 1) + 1]! << 16)) >>> 0;
    const d = decode(raw);
    if (!d) {
      if (count === 0) return undefined;
      parts.push(exitTo(pc, count));
      break;
    }
    visited.add(pc);
    const npc = pc + d.size;
    const o = {
      rd: String(destSlot(d.rd)), rs1: String(d.rs1 * 2), rs2: String(d.rs2 * 2), imm: String(d.imm), csr: String(d.csr),
      pc: String(pc), npc: String(npc), fault: `c.pc=${pc};c.instret+=${count};return;`,
      insn: systemOps.has(d.op) ? `k[${consts.push(d) - 1}]` : '',
    };
    count++;
    const cond = branchConditions[d.op];
    if (cond) {
      parts.push(`if(${cond(o)}){${exitTo(pc + d.imm, count)}}`);
      pc = npc;
    } else if (d.op === 'jal') {
      const target = pc + d.imm;
      parts.push(linkFragment(o));
      if (!inPage(target) || visited.has(target)) {
        parts.push(exitTo(target, count));
        break;
      }
      pc = target;
    } else if (d.op === 'jalr' || systemOps.has(d.op)) {
      parts.push(`next=${npc};${fragmentFor(d.op, o)!}c.instret+=${count};c.pc=next;return;`);
      break;
    } else {
      parts.push(fragmentFor(d.op, o)!);
      pc = npc;
    }
    if (count === MAX_BLOCK) parts.push(exitTo(pc, count));
  }
  const body = parts.join('');
  const source = `return function(c,x){let next=0;${loops ? `for(;;){${body}}` : body}}`;
  const factory = new Function('h', 'k', source) as Factory;
  return { va, pa, length: count, run: factory(helpers, consts), valid: true };
}
