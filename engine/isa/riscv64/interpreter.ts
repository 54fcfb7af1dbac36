// The interpreter: one compiled function per operation, built from the same
// fragments the block translator uses, with operands read from a prepared
// instruction record. Used for single steps, partial budgets and instructions
// that straddle a page.

import type { Decoded } from './decode';
import type { Hart } from './hart';
import { ZERO_SINK } from './hart';
import { helpers, type Helpers } from './helpers';
import { semanticsFor, type Operands } from './semantics';

export type OpFunction = (c: Hart, x: Int32Array, e: Prepared, pc: number) => number;

/** A decoded instruction with register slots resolved, ready to execute. */
export interface Prepared {
  readonly decoded: Decoded;
  readonly run: OpFunction;
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  /** f register slots (2r): f0 is a real register, unlike x0. */
  readonly frd: number;
  readonly frs1: number;
  readonly frs2: number;
  readonly frs3: number;
  readonly imm: number;
  readonly size: 2 | 4;
}

const operands: Operands = {
  reg: (which, half) => `x[e.${which}${half ? '+1' : ''}]`,
  freg: (which, half) => `c.f[e.f${which}${half ? '+1' : ''}]`,
  imm: 'e.imm', csr: 'e.decoded.csr', rm: 'e.decoded.rm', raw: 'e.decoded.raw',
  pc: 'pc', npc: '(pc+e.size)', fault: 'return next;', insn: 'e.decoded',
};

const compiled = new Map<string, OpFunction>();

/** Source of the interpreter function for `op`. */
export function interpreterSource(op: string): string {
  const { kind, body } = semanticsFor(op);
  const code = kind === 'branch' ? `if(${body(operands)})next=pc+e.imm;` : kind === 'jump' ? `${body(operands)}next=pc+e.imm;` : body(operands);
  return `let next=pc+e.size;${code}return next;`;
}

function compile(op: string): OpFunction {
  let fn = compiled.get(op);
  if (!fn) {
    const factory = new Function('h', `return function(c,x,e,pc){${interpreterSource(op)}}`) as (h: Helpers) => OpFunction;
    fn = factory(helpers);
    compiled.set(op, fn);
  }
  return fn;
}

/** Register slot of rd: writes to x0 land in the sink. */
export const destSlot = (rd: number): number => (rd === 0 ? ZERO_SINK : rd * 2);

export function prepare(decoded: Decoded): Prepared {
  return {
    decoded,
    run: compile(decoded.op),
    rd: destSlot(decoded.rd),
    rs1: decoded.rs1 * 2,
    rs2: decoded.rs2 * 2,
    frd: decoded.rd * 2,
    frs1: decoded.rs1 * 2,
    frs2: decoded.rs2 * 2,
    frs3: decoded.rs3 * 2,
    imm: decoded.imm,
    size: decoded.size,
  };
}
