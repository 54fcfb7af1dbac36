// The interpreter: one compiled function per table row, built from the same
// fragments the block translator uses, with operands read from a prepared
// instruction record. Used for single steps, partial budgets and the first
// run of an instruction.

import type { CpuState } from './cpu';
import type { Decoded } from './decode';
import type { Kind, Operands, RegSlot } from './fragment';
import { helpers, type Helpers } from './helpers';
import { registerSlots } from './operand-slots';
import { kindOf, semantics } from './semantics';

export type OpFunction = (c: CpuState, x: Int32Array, e: Prepared, pc: number) => number;

/** A decoded instruction with register slots and constants resolved, ready to execute. */
export interface Prepared {
  readonly decoded: Decoded;
  readonly kind: Kind;
  readonly run: OpFunction;
  /** Decoded operand values and the row's derived constants. */
  readonly k: Readonly<Record<string, number>>;
  readonly rd: number; readonly rdW: number;
  readonly rn: number; readonly rnW: number;
  readonly rm: number; readonly rmW: number;
  readonly ra: number; readonly raW: number;
  readonly rt: number; readonly rtW: number;
  readonly rt2: number; readonly rt2W: number;
  readonly rs: number; readonly rsW: number;
  readonly rs2: number; readonly rs2W: number;
  readonly lr: number; readonly lrW: number;
}

const operands: Operands = {
  lo: (r: RegSlot) => `x[e.${r}]`,
  hi: (r: RegSlot) => `x[e.${r}+1]`,
  set: (r: RegSlot, l: string, h: string) => `{const $l=(${l})|0,$h=(${h})|0;x[e.${r}W]=$l;x[e.${r}W+1]=$h;}`,
  k: (name: string) => `e.k.${name}`,
  known: () => undefined,
  pc: 'pc',
  npc: '(pc+4)',
  fault: 'return next;',
  insn: 'e',
};

const compiled = new Map<string, OpFunction>();

/** Source of the interpreter function for the row `id`. */
export function interpreterSource(decoded: Decoded): string {
  const s = semantics(decoded.row);
  const kind = typeof s.kind === 'function' ? 'op' : s.kind;
  const body = s.body(operands);
  if (kind === 'cond') return `let next=pc+4;if(${body})next=pc+e.k.imm;return next;`;
  if (kind === 'jump') return `let next=pc+4;{${body}}next=pc+e.k.imm;return next;`;
  return `let next=pc+4;{${body}}return next;`;
}

function compile(decoded: Decoded): OpFunction {
  let fn = compiled.get(decoded.row.id);
  if (!fn) {
    const factory = new Function('h', `return function(c,x,e,pc){${interpreterSource(decoded)}}`) as (h: Helpers) => OpFunction;
    fn = factory(helpers);
    compiled.set(decoded.row.id, fn);
  }
  return fn;
}

/** Decoded values plus the row's derived constants. */
export function constantsOf(decoded: Decoded): Record<string, number> {
  const s = semantics(decoded.row);
  return { ...decoded.values, ...(s.consts ? s.consts(decoded.values) : {}) };
}

export function prepare(decoded: Decoded): Prepared {
  const { read, write } = registerSlots(decoded.row, decoded.values);
  return {
    decoded,
    kind: kindOf(decoded.row, decoded.values),
    run: compile(decoded),
    k: constantsOf(decoded),
    rd: read.rd, rdW: write.rd, rn: read.rn, rnW: write.rn, rm: read.rm, rmW: write.rm, ra: read.ra, raW: write.ra,
    rt: read.rt, rtW: write.rt, rt2: read.rt2, rt2W: write.rt2, rs: read.rs, rsW: write.rs, rs2: read.rs2, rs2W: write.rs2, lr: read.lr, lrW: write.lr,
  };
}
