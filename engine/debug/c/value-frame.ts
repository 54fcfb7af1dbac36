// One guest frame as C values see it: its registers by DWARF number (the
// CPU's own in the innermost frame, those the unwinder recovered in a
// caller), its CFA, and the CPU's memory through its translation. Writes go
// where the value really lives: a register of the innermost frame, memory,
// or the stack slot where a callee saved a caller's register.

import type { Engine } from '../../api';
import type { GuestCallFrame } from '../call-stack';
import type { DebugInfo } from '../../dwarf/debug-info';

export interface ValueFrame {
  readonly cpu: number;
  /** 0: the innermost frame. */
  readonly index: number;
  readonly pc: bigint;
  readonly cfa: bigint | undefined;
  /** The DWARF of the image the pc is in. */
  readonly info: DebugInfo;
  /** A register by its DWARF number, as it was in this frame; undefined when the frame does not know it. */
  register(n: number): bigint | undefined;
  /** `size` bytes at a guest virtual address; undefined when any is unmapped. */
  read(address: bigint, size: number): Uint8Array | undefined;
  /** Writes guest memory; the reason when it cannot. */
  write(address: bigint, bytes: Uint8Array): string | undefined;
  /** Writes a register by DWARF number as this frame sees it; the reason when it cannot. */
  setRegister(n: number, value: bigint): string | undefined;
  /** `<symbol+offset>` for an address, as gdb annotates pointers; undefined when no symbol covers it. */
  symbolAt(address: bigint): string | undefined;
  /** The calling frame (unwound on demand: entry values read the caller's call site); undefined at the stack's end or without DWARF there. */
  caller(): ValueFrame | undefined;
}

/** The name readRegister knows a DWARF register by: general registers from the target, FP registers by their number. */
function registerName(e: Engine, n: number): string | undefined {
  const general = e.target.dwarfRegisters[n];
  if (general !== undefined) return general;
  if (e.arch === 'riscv64' && n >= 32 && n < 64) return `f${n - 32}`;
  if (e.arch === 'aarch64' && n >= 64 && n < 96) return `d${n - 64}`;
  return undefined;
}

function readBytes(e: Engine, cpu: number, address: bigint, size: number): Uint8Array | undefined {
  if (address < 0n || address + BigInt(size) > 1n << 64n) return undefined;
  const got = e.readVirtual(cpu, Number(BigInt.asIntN(64, address)), size);
  if (got.some((b) => b === undefined)) return undefined;
  return Uint8Array.from(got as number[]);
}

function writeBytes(e: Engine, cpu: number, address: bigint, bytes: Uint8Array): string | undefined {
  const va = Number(BigInt.asIntN(64, address));
  for (let i = 0; i < bytes.length; i++) {
    if (e.translate(cpu, va + i, 'write') === undefined) return `0x${(address + BigInt(i)).toString(16)} is not mapped writable for CPU ${cpu}`;
  }
  for (let i = 0; i < bytes.length; i++) e.writePhysical(e.translate(cpu, va + i, 'write')!, bytes.subarray(i, i + 1));
  return undefined;
}

const le = (value: bigint, size: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));

/**
 * Frame `index` of `cpu`'s stack (`frames` from Engine.guestFrames, with its
 * caller if entry values are to be found), or undefined when that frame's pc
 * has no DWARF.
 */
export function valueFrame(e: Engine, cpu: number, frames: readonly GuestCallFrame[], index: number): ValueFrame | undefined {
  const frame = frames[index];
  if (!frame) return undefined;
  const at = index === 0 ? frame.pc : frame.pc - 1n;
  const info = e.images.map((i) => i.debugInfo).find((d) => d?.unitAt(at));
  if (!info) return undefined;
  const recovered = new Map(frame.registers.map((r) => [r.name, r.value]));
  const register = (n: number): bigint | undefined => {
    const name = registerName(e, n);
    if (name === undefined) return undefined;
    if (index === 0) return n === e.target.dwarfStackPointer ? BigInt.asUintN(64, e.target.stackPointer(cpu)) : e.readRegister(cpu, name);
    return recovered.get(name) ?? frame.recovered.get(n);
  };
  return {
    cpu, index, pc: frame.pc, cfa: frame.cfa, info,
    register,
    read: (address, size) => readBytes(e, cpu, address, size),
    write: (address, bytes) => writeBytes(e, cpu, address, bytes),
    setRegister(n, value) {
      const name = registerName(e, n);
      if (name === undefined) return `DWARF register ${n} has no name on ${e.arch}`;
      if (index === 0) {
        e.setRegister(cpu, name, value);
        return undefined;
      }
      const failed = savedSlotWrite(e, cpu, frames, index, n, name, value);
      // The frame's registers are a snapshot of the unwind: it reads its new value from now on.
      if (!failed) recovered.set(name, value);
      return failed;
    },
    caller: () => valueFrame(e, cpu, frames.length > index + 1 ? frames : e.guestFrames(cpu, index + 2).frames, index + 1),
    symbolAt(address) {
      const hit = address >= 0n && address < 1n << 64n ? e.lookupSymbol(address) : undefined;
      if (!hit) return undefined;
      return hit.offset === 0n ? `<${hit.name}>` : `<${hit.name}+${hit.offset}>`;
    },
  };
}

/**
 * A caller frame's register lives where its callees' CFI rules put it: in the
 * stack slot of the first callee (from the caller down) that saved it, or,
 * when none did, in the CPU's own register.
 */
function savedSlotWrite(e: Engine, cpu: number, frames: readonly GuestCallFrame[], index: number, n: number, name: string, value: bigint): string | undefined {
  for (let callee = index - 1; callee >= 0; callee--) {
    const f = frames[callee]!;
    const info = e.images.map((i) => i.debugInfo).find((d) => d?.frameRowAt(callee === 0 ? f.pc : f.pc - 1n));
    const row = info?.frameRowAt(callee === 0 ? f.pc : f.pc - 1n)?.row;
    if (!row) return `${name} cannot be written in this frame: no call frame information for the frame below it`;
    const rule = row.registers.get(n);
    if (!rule || rule.kind === 'same') continue;
    if (rule.kind === 'offset' && f.cfa !== undefined) return writeBytes(e, cpu, f.cfa + rule.offset, le(value, 8));
    return `${name} is in a register that the caller frame does not save in memory (its rule is ${rule.kind})`;
  }
  e.setRegister(cpu, name, value);
  return undefined;
}
