// Writing a C value where it lives: memory (a bitfield by read, modify,
// write), a register of the innermost frame, or the stack slot where a
// callee saved a caller's register. Anything else is refused with the reason.

import { resolved, sizeOf } from '../../dwarf/types';
import { bytesAt, isSigned, littleEndian, toBytes, type CValue } from './value';
import type { ValueFrame } from './value-frame';

/** Stores `bits` (truncated to the value's size) into `target`; the reason when it cannot. */
export function store(frame: ValueFrame, target: CValue, bits: bigint): string | undefined {
  const r = resolved(target.type);
  if (r.kind === 'struct' || r.kind === 'union' || r.kind === 'array') return `a ${r.kind} cannot be assigned a number: set its members or elements`;
  const size = sizeOf(target.type);
  if (size === undefined) return 'a value of a type without a size cannot be assigned';
  const where = target.location;
  if (target.bitField) {
    const { offset, size: width } = target.bitField;
    const span = Math.ceil((offset + width) / 8);
    if (where.kind !== 'memory') return 'the bitfield is not in memory';
    const old = bytesAt(frame, where, span);
    if (typeof old === 'string') return old;
    const mask = ((1n << BigInt(width)) - 1n) << BigInt(offset);
    const merged = (littleEndian(old) & ~mask) | ((bits << BigInt(offset)) & mask);
    return frame.write(where.address, toBytes(merged, span));
  }
  switch (where.kind) {
    case 'memory':
      return frame.write(where.address, toBytes(BigInt.asUintN(size * 8, bits), size));
    case 'register': {
      if (frame.register(where.register) === undefined) return 'it is in a register that this frame does not know';
      // A narrower value fills the register as the ABIs keep it: sign-extended when signed, zero-extended otherwise.
      const width = Math.min(64, size * 8);
      return frame.setRegister(where.register, BigInt.asUintN(64, isSigned(target.type) ? BigInt.asIntN(width, bits) : BigInt.asUintN(width, bits)));
    }
    case 'value':
    case 'implicit':
      return 'it has no storage: the compiler computes its value';
    case 'pieces':
      return 'it is split across several places (DWARF pieces), which cannot be written';
    case 'unavailable':
      return `it is ${where.reason}`;
  }
}

/** Why `target` cannot be written, or undefined when store() can. */
export function readOnlyReason(frame: ValueFrame, target: CValue): string | undefined {
  const r = resolved(target.type);
  if (r.kind === 'struct' || r.kind === 'union' || r.kind === 'array' || r.kind === 'function' || sizeOf(target.type) === undefined) return `a ${r.kind} is set by its members or elements`;
  const where = target.location;
  if (where.kind === 'memory') return undefined;
  if (target.bitField) return 'the bitfield is not in memory';
  if (where.kind === 'register') return frame.register(where.register) === undefined ? 'it is in a register that this frame does not know' : undefined;
  if (where.kind === 'value' || where.kind === 'implicit') return 'it has no storage: the compiler computes its value';
  if (where.kind === 'pieces') return 'it is split across several places (DWARF pieces), which cannot be written';
  return `it is ${where.reason}`;
}
