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
import { semanticsFor, type RegOperand } from './semantics';
import type { RegSlot } from './table';

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
  const path = tracePath(u16, va, offset, stopBefore);
  if (path.insns.length === 0) return undefined;

  // Registers live in locals for the whole block and go back to x at every exit.
  const used = new Set<number>();
  const written = new Set<number>();
  for (const { d } of path.insns) {
    const fregs = d.row.fregs;
    for (const slot of ['rs1', 'rs2', 'rd'] as const) if (d[slot] !== 0 && !fregs.includes(slot)) used.add(d[slot]);
    if (d.rd !== 0 && !fregs.includes('rd')) written.add(d.rd);
  }
  const local = (r: number, half: 0 | 1): string => `r${r}${half ? 'h' : 'l'}`;
  const declare = [...used].map((r) => `${local(r, 0)}=x[${2 * r}],${local(r, 1)}=x[${2 * r + 1}]`);
  const writeBack = [...written].map((r) => `x[${2 * r}]=${local(r, 0)};x[${2 * r + 1}]=${local(r, 1)};`).join('');

  const consts: Decoded[] = [];
  const parts: string[] = [];
  let loops = false;
  // A block that starts at a breakpoint must return to the dispatcher to stop there.
  const mayLoop = !stopBefore(va);
  const exitTo = (target: number, retired: number): string => {
    if (target !== va || !mayLoop) return `${writeBack}c.instret+=${retired};c.pc=${target};return;`;
    loops = true;
    return `c.instret+=${retired};if(c.instret+${MAX_BLOCK}<=c.stopAt)continue;${writeBack}c.pc=${va};return;`;
  };

  path.insns.forEach(({ d, pc }, i) => {
    const npc = pc + d.size;
    const retired = i + 1;
    const reg = (which: RegOperand, half: 0 | 1): string => {
      const r = d[which];
      if (r === 0) return which === 'rd' ? (half ? 'zh' : 'zl') : '0';
      return local(r, half);
    };
    const { kind, body } = semanticsFor(d.op);
    const o = {
      reg, freg: (which: RegSlot, half: 0 | 1) => `f[${2 * d[which] + half}]`,
      imm: String(d.imm), csr: String(d.csr), rm: String(d.rm), raw: String(d.raw), pc: String(pc), npc: String(npc),
      fault: `${writeBack}c.pc=${pc};c.instret+=${i};return;`,
      insn: kind === 'system' ? `k[${consts.push(d) - 1}]` : '',
    };
    switch (kind) {
      case 'branch':
        parts.push(`if(${body(o)}){${exitTo(pc + d.imm, retired)}}`);
        break;
      case 'jump':
        parts.push(body(o));
        if (i === path.insns.length - 1 && path.fallthrough === undefined) parts.push(exitTo(pc + d.imm, retired));
        break;
      case 'indirect':
        parts.push(`next=${npc};${body(o)}${writeBack}c.instret+=${retired};c.pc=next;return;`);
        break;
      case 'system': {
        // System instructions read and write the hart's registers directly.
        const direct = { ...o, fault: `c.pc=${pc};c.instret+=${i};return;` };
        parts.push(`${writeBack}next=${npc};${body(direct)}c.instret+=${retired};c.pc=next;return;`);
        break;
      }
      case 'mem':
        // A device access may have changed an interrupt line (it zeroes stopAt):
        // leave right after this instruction, as the interpreter would.
        parts.push(body(o), `if(c.stopAt===0){${writeBack}c.instret+=${retired};c.pc=${npc};return;}`);
        break;
      case 'op':
        parts.push(body(o));
        break;
    }
  });
  if (path.fallthrough !== undefined) parts.push(exitTo(path.fallthrough, path.insns.length));
  const body = parts.join('');
  const prologue = `let next=0,zl=0,zh=0${declare.length ? ',' + declare.join(',') : ''};const f=c.f;`;
  const source = `return function(c,x){${prologue}${loops ? `for(;;){${body}}` : body}}`;
  const factory = new Function('h', 'k', source) as Factory;
  return { va, pa, length: path.insns.length, run: factory(helpers, consts), valid: true };
}

interface Path {
  readonly insns: { readonly d: Decoded; readonly pc: number }[];
  /** Where execution continues after the last instruction, unless that instruction jumps. */
  readonly fallthrough: number | undefined;
}

/** The straight-line path a block covers: not-taken branches and in-page direct jumps are followed. */
function tracePath(u16: Uint16Array, va: number, offset: number, stopBefore: (va: number) => boolean): Path {
  const pageStart = offset - (offset % 4096);
  const pageVa = va - (offset - pageStart);
  const inPage = (target: number): boolean => target >= pageVa && target < pageVa + 4096;
  const insns: { d: Decoded; pc: number }[] = [];
  const visited = new Set<number>();
  let pc = va;
  while (insns.length < MAX_BLOCK) {
    if (insns.length > 0 && (visited.has(pc) || stopBefore(pc))) break;
    const off = pageStart + (pc - pageVa);
    if (!inPage(pc) || off + 2 > pageStart + 4096) break;
    const low = u16[off >>> 1]!;
    const size = instructionSize(low);
    if (off + size > pageStart + 4096) break;
    const d = decode(size === 2 ? low : (low | (u16[(off >>> 1) + 1]! << 16)) >>> 0);
    if (!d) break;
    visited.add(pc);
    insns.push({ d, pc });
    const kind = semanticsFor(d.op).kind;
    if (kind === 'jump') {
      const target = pc + d.imm;
      if (!inPage(target) || visited.has(target)) return { insns, fallthrough: undefined };
      pc = target;
    } else if (kind === 'indirect' || kind === 'system') {
      return { insns, fallthrough: undefined };
    } else {
      pc += d.size;
    }
  }
  return { insns, fallthrough: pc };
}
