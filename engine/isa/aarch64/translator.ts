// The block translator: a run of instructions from one page becomes one
// JavaScript function, built from the same fragments as the interpreter with
// the operands as constants. A block follows the not-taken side of
// conditional branches and direct branches within its page (a superblock),
// so each taken branch is an exit. It ends at an indirect branch, a system
// instruction, a page boundary, a breakpoint, or after MAX_BLOCK
// instructions. A branch back to the block's start loops inside the function
// until the CPU's stopAt, so tight loops never return to the dispatcher.

import { SINK_SLOT, SP_SLOT, ZR_SLOT, type CpuState } from './cpu';
import { decode, type Decoded } from './decode';
import { REG_SLOTS, type Kind, type Operands, type RegSlot } from './fragment';
import { helpers, type Helpers } from './helpers';
import { constantsOf, prepare, type Prepared } from './interpreter';
import { registerSlots, type RegisterSlots } from './operand-slots';
import { kindOf, semantics } from './semantics';

export const MAX_BLOCK = 64;

export interface Block {
  readonly va: number;
  readonly pa: number;
  /** The most instructions one pass through the block can retire. */
  readonly length: number;
  readonly run: (c: CpuState, x: Int32Array) => void;
  valid: boolean;
}

type Factory = (h: Helpers, k: readonly Prepared[]) => (c: CpuState, x: Int32Array) => void;

interface Step {
  readonly d: Decoded;
  readonly pc: number;
  readonly kind: Kind;
  readonly slots: RegisterSlots;
}

/** A constant as JavaScript source. */
const literal = (v: number): string => (v < 0 || Object.is(v, -0) ? `(${v})` : String(v));

/** The local that holds slot `s` (an x slot, SP, or the zero register / sink). */
function localFor(s: number, half: 0 | 1): string {
  if (s === ZR_SLOT) return '0';
  if (s === SINK_SLOT) return half ? 'zh' : 'zl';
  if (s === SP_SLOT) return half ? 'sph' : 'spl';
  return `r${s >> 1}${half ? 'h' : 'l'}`;
}

/**
 * Translate the block at virtual `va`, whose first word is RAM byte offset
 * `offset` (`pa` physical). `stopBefore(va)` ends the block before a
 * breakpoint. Returns undefined when the first instruction cannot be
 * translated (it is unallocated): the interpreter takes it.
 */
export function translateBlock(i32: Int32Array, va: number, pa: number, offset: number, stopBefore: (va: number) => boolean): Block | undefined {
  const path = tracePath(i32, va, offset, stopBefore);
  if (path.steps.length === 0) return undefined;

  // Registers live in locals for the whole block. Every exit leaves through
  // the one place after the `out` block that writes back the registers the
  // block wrote, which keeps the function small enough for the optimizer.
  const used = new Set<number>();
  for (const { slots } of path.steps) {
    for (const r of REG_SLOTS) {
      if (slots.read[r] < ZR_SLOT) used.add(slots.read[r]);
      if (slots.write[r] < ZR_SLOT) used.add(slots.write[r]);
    }
  }
  const written = writtenSlots(path.steps);
  const declare = [...used].map((s) => `${localFor(s, 0)}=x[${s}],${localFor(s, 1)}=x[${s + 1}]`);
  const writeBack = [...written].map((s) => `x[${s}]=${localFor(s, 0)};x[${s + 1}]=${localFor(s, 1)};`).join('');

  const consts: Prepared[] = [];
  const parts: string[] = [];
  let loops = false;
  // A block that starts at a breakpoint must return to the dispatcher to stop there.
  const mayLoop = !stopBefore(va);
  const leave = (pc: string, retired: number): string => `c.instret+=${retired};c.pc=${pc};break out;`;
  const exitTo = (target: number, retired: number): string => {
    if (target !== va || !mayLoop) return leave(literal(target), retired);
    loops = true;
    return `c.instret+=${retired};if(c.instret+${MAX_BLOCK}<=c.stopAt)continue;c.pc=${literal(va)};break out;`;
  };

  path.steps.forEach(({ d, pc, kind, slots }, i) => {
    const npc = pc + 4;
    const retired = i + 1;
    const o = stepOperands(d, pc, slots, `c.pc=${literal(pc)};c.instret+=${i};break out;`);
    const body = semantics(d.row).body;
    if (kind === 'cond') {
      parts.push(`if(${body(o)}){${exitTo(pc + o.known('imm')!, retired)}}`);
    } else if (kind === 'jump') {
      parts.push(`{${body(o)}}`);
      if (i === path.steps.length - 1 && path.fallthrough === undefined) parts.push(exitTo(pc + o.known('imm')!, retired));
    } else if (kind === 'indirect') {
      parts.push(`{next=${literal(npc)};${body(o)}}${leave('next', retired)}`);
    } else if (kind === 'system') {
      // System instructions read and write the CPU's registers directly: the
      // locals go back first, and nothing is written back after.
      const direct: Operands = { ...o, insn: `k[${consts.push(prepare(d)) - 1}]`, fault: `c.pc=${literal(pc)};c.instret+=${i};return;` };
      parts.push(`${writeBack}next=${literal(npc)};{${body(direct)}}c.instret+=${retired};c.pc=next;return;`);
    } else {
      parts.push(`{${body(o)}}`);
      // A device access may have changed an interrupt line (it zeroes stopAt):
      // leave right after this instruction, as the interpreter would.
      if (kind === 'mem') parts.push(`if(c.stopAt===0){${leave(literal(npc), retired)}}`);
    }
  });
  if (path.fallthrough !== undefined) parts.push(exitTo(path.fallthrough, path.steps.length));
  const body = parts.join('');
  const prologue = `let next=0,zl=0,zh=0${declare.length ? ',' + declare.join(',') : ''};`;
  const source = `return function(c,x){${prologue}out:{${loops ? `for(;;){${body}}` : body}}${writeBack}}`;
  const factory = new Function('h', 'k', source) as Factory;
  return { va, pa, length: path.steps.length, run: factory(helpers, consts), valid: true };
}

/** The operands of one step as a fragment sees them: registers as locals, the rest as constants. */
function stepOperands(d: Decoded, pc: number, slots: RegisterSlots, fault: string, onSet?: (slot: number) => void): Operands {
  const k = constantsOf(d);
  return {
    lo: (r: RegSlot) => localFor(slots.read[r], 0),
    hi: (r: RegSlot) => localFor(slots.read[r], 1),
    set: (r: RegSlot, l: string, h: string) => {
      onSet?.(slots.write[r]);
      return `{const $l=(${l})|0,$h=(${h})|0;${localFor(slots.write[r], 0)}=$l;${localFor(slots.write[r], 1)}=$h;}`;
    },
    k: (name: string) => {
      const v = k[name];
      if (v === undefined) throw new Error(`${d.row.id} has no operand ${name}`);
      return literal(v);
    },
    known: (name: string) => k[name],
    pc: literal(pc),
    npc: literal(pc + 4),
    fault,
    insn: '',
  };
}

/** The register slots the block's fragments write (a fragment writes a register only through `set`). */
function writtenSlots(steps: readonly Step[]): Set<number> {
  const written = new Set<number>();
  for (const { d, pc, kind, slots } of steps) {
    if (kind === 'system') continue;
    semantics(d.row).body(stepOperands(d, pc, slots, '', (s) => {
      if (s < ZR_SLOT) written.add(s);
    }));
  }
  return written;
}

interface Path {
  readonly steps: Step[];
  /** Where execution continues after the last instruction, unless that instruction branches away. */
  readonly fallthrough: number | undefined;
}

/** The straight-line path a block covers: not-taken branches and in-page direct branches are followed. */
function tracePath(i32: Int32Array, va: number, offset: number, stopBefore: (va: number) => boolean): Path {
  const pageStart = offset - (offset % 4096);
  const pageVa = va - (offset - pageStart);
  const inPage = (target: number): boolean => target >= pageVa && target < pageVa + 4096;
  const steps: Step[] = [];
  const visited = new Set<number>();
  let pc = va;
  while (steps.length < MAX_BLOCK) {
    if (steps.length > 0 && (visited.has(pc) || stopBefore(pc))) break;
    if (!inPage(pc)) break;
    const d = decode(i32[(pageStart + (pc - pageVa)) >>> 2]! >>> 0);
    if (!d) break;
    const kind = kindOf(d.row, d.values);
    visited.add(pc);
    steps.push({ d, pc, kind, slots: registerSlots(d.row, d.values) });
    if (kind === 'jump') {
      const target = pc + d.values.imm!;
      if (!inPage(target) || visited.has(target)) return { steps, fallthrough: undefined };
      pc = target;
    } else if (kind === 'indirect' || kind === 'system') {
      return { steps, fallthrough: undefined };
    } else {
      pc += 4;
    }
  }
  return { steps, fallthrough: pc };
}
