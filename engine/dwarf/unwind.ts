// Call stacks by CFI: from one frame's registers, each caller's CFA,
// registers and return address by the rules of the FDE covering the pc,
// with each frame's function and source line. The walk stops at the entry
// function, where the CFI gives no return address, or where it would go
// round in circles, and says which.

import { evaluateLocation } from './expression';
import type { DebugInfo } from './debug-info';
import { lineAt } from './line-at';
import { functionAt } from './scopes';

export interface UnwindStart {
  readonly pc: bigint;
  /** Register values by DWARF number. */
  readonly registers: ReadonlyMap<number, bigint>;
  /** The DWARF number of the stack pointer: a caller's is the callee's CFA. */
  readonly stackPointer: number;
  /** `size` bytes at `address`, little-endian; undefined when unreadable. */
  readMemory(address: bigint, size: number): bigint | undefined;
  /** The program's entry point: the function holding it has no callers. */
  readonly entry?: bigint;
}

export interface UnwoundFrame {
  readonly pc: bigint;
  readonly cfa: bigint | undefined;
  /** The registers the CFI recovers for this frame (callee-saved ones the rules do not mention keep their values). */
  readonly registers: ReadonlyMap<number, bigint>;
  readonly function: string | undefined;
  readonly file: string | undefined;
  readonly line: number | undefined;
}

export interface CallStack {
  readonly frames: readonly UnwoundFrame[];
  /** Why there are no more frames. */
  readonly end: string;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** Unwinds from `start`, at most `maxFrames` frames. Never throws: bad CFI ends the walk with the reason. */
export function unwind(info: DebugInfo, start: UnwindStart, maxFrames = 256): CallStack {
  const frames: UnwoundFrame[] = [];
  let pc = start.pc;
  let registers = new Map(start.registers);
  let previousCfa: bigint | undefined;
  for (let depth = 0; depth < maxFrames; depth++) {
    // A caller's pc is a return address: the call before it is where the frame stands.
    const at = depth === 0 ? pc : pc - 1n;
    const fn = functionAt(info, at);
    const where = lineAt(info, at);
    const push = (cfa: bigint | undefined): void => {
      frames.push({ pc, cfa, registers, function: fn?.name, file: where?.file, line: where?.line });
    };
    if (start.entry !== undefined && fn && info.ranges(fn.unit, fn.die).some(([a, b]) => start.entry! >= a && start.entry! < b)) {
      push(undefined);
      return { frames, end: `${fn.name ?? hex(pc)} holds the entry point` };
    }
    const found = info.frameRowAt(at);
    if (!found) {
      push(undefined);
      return { frames, end: `no call frame information for ${hex(at)}` };
    }
    const { row, fde } = found;
    let cfa: bigint | undefined;
    if (row.cfa.kind === 'register') {
      const base = registers.get(row.cfa.register);
      cfa = base === undefined ? undefined : base + row.cfa.offset;
    } else {
      const loc = evaluateLocation(row.cfa.expression, { addressSize: 8, register: (n) => registers.get(n), readMemory: start.readMemory });
      cfa = loc.kind === 'memory' ? loc.address : undefined;
    }
    push(cfa);
    if (cfa === undefined) return { frames, end: `the CFA at ${hex(pc)} cannot be computed` };
    if (previousCfa !== undefined && cfa <= previousCfa && depth > 1) return { frames, end: `the CFA at ${hex(pc)} does not move up the stack` };
    previousCfa = cfa;
    const caller = new Map(registers);
    for (const [reg, rule] of row.registers) {
      let value: bigint | undefined;
      switch (rule.kind) {
        case 'offset':
          value = start.readMemory(cfa + rule.offset, 8);
          break;
        case 'valOffset':
          value = cfa + rule.offset;
          break;
        case 'register':
          value = registers.get(rule.register);
          break;
        case 'same':
          value = registers.get(reg);
          break;
        case 'expression':
        case 'valExpression': {
          const loc = evaluateLocation(rule.expression, { addressSize: 8, register: (n) => registers.get(n), readMemory: start.readMemory, cfa: () => cfa }, [cfa]);
          if (loc.kind === 'memory') value = rule.kind === 'expression' ? start.readMemory(loc.address, 8) : loc.address;
          break;
        }
        case 'undefined':
          value = undefined;
      }
      if (value === undefined) caller.delete(reg);
      else caller.set(reg, value);
    }
    caller.set(start.stackPointer, cfa);
    const returnAddress = caller.get(fde.cie.returnAddressRegister);
    if (returnAddress === undefined || returnAddress === 0n) return { frames, end: `no return address in the frame at ${hex(pc)}` };
    pc = returnAddress;
    registers = caller;
  }
  return { frames, end: `more than ${maxFrames} frames` };
}
