// A CPU's guest call stack: its frames unwound by the call frame information
// of the ELF image its pc is in, from the CPU's own registers, reading the
// stack through the CPU's translation. Where the pc has no call frame
// information (assembled or raw images, code without CFI) the stack ends at
// that frame and says so instead of guessing callers, unless the image keeps
// a frame-pointer chain (a Linux kernel with only its System.map): that is walked.

import type { Engine } from '../api';
import type { DebugInfo } from '../dwarf/debug-info';
import { unwind } from '../dwarf/unwind';
import { functionLevels } from './inlined-frames';
import { walkFramePointers } from './frame-pointer-stack';
import type { LoadedImage } from '../machine/loaders/image';
import type { RegisterValue } from '../target/target';

export interface GuestCallFrame {
  readonly pc: bigint;
  /** The DWARF subprogram's name, else the ELF symbol's. */
  readonly function: string | undefined;
  /** The source line of the pc; of pc - 1 (the call) in a caller frame. */
  readonly file: string | undefined;
  readonly line: number | undefined;
  /** The canonical frame address: the stack pointer before the call into this frame. */
  readonly cfa: bigint | undefined;
  /** The general registers as they were in this frame, by readRegister's names, pc last: those the call frame information recovers. */
  readonly registers: readonly RegisterValue[];
  /** Every register the call frame information recovers for this frame, by DWARF number: the general ones and the FP ones (where optimized code keeps a caller's floats). */
  readonly recovered: ReadonlyMap<number, bigint>;
  /** The .debug_info offset of the frame's subprogram or inlined_subroutine DIE, where the DWARF has one. */
  readonly scope?: number;
  /** A function inlined into the frame below it: it shares that frame's registers and CFA. */
  readonly inlined: boolean;
}

/** The FP registers' DWARF numbers and readRegister's names (64 bits: what a callee saves of them), per arch. */
const FP_REGISTERS: Record<string, { readonly first: number; readonly name: (i: number) => string }> = {
  riscv64: { first: 32, name: (i) => `f${i}` },
  aarch64: { first: 64, name: (i) => `d${i}` },
};

export interface GuestCallStack {
  /** The innermost frame first. */
  readonly frames: readonly GuestCallFrame[];
  /** Why there are no more frames. */
  readonly end: string;
  /** Whether the walk ended at a frame without call frame information, so callers may exist that are not shown. */
  readonly endsWithoutCfi: boolean;
  /** Whether the innermost frame stands at the call of an inlined call left out (a stop at its first instruction). */
  readonly atInlinedCall: boolean;
}

/** The frames bound: a deeper stack ends with a message saying so. */
export const MAX_GUEST_FRAMES = 256;

/**
 * The image `cpu`'s pc is in, with its DWARF: the one loaded where the pc
 * translates to (zones may link their images at the same addresses), else
 * the first whose DWARF describes the pc.
 */
export function imageAt(e: Engine, cpu: number, pc: bigint): { image: LoadedImage; info: DebugInfo } | undefined {
  const holder = imageHolding(e, cpu, pc);
  for (const image of holder ? [holder] : e.images) {
    const info = image.debugInfo;
    if (info && (info.frameRowAt(pc) || info.unitAt(pc))) return { image, info };
  }
  return undefined;
}

/** The image loaded where `cpu`'s `pc` translates to. */
function imageHolding(e: Engine, cpu: number, pc: bigint): LoadedImage | undefined {
  const pa = e.translate(cpu, Number(BigInt.asIntN(64, pc)), 'execute');
  return pa === undefined ? undefined : e.images.find((i) => i.extents.some(([start, end]) => pa >= start && pa < end));
}

/** `size` bytes at `address` of `cpu`'s virtual memory, little-endian; undefined where any is unreadable. */
function readVirtual(e: Engine, cpu: number, address: bigint, size: number): bigint | undefined {
  if (address < 0n || address >= 1n << 64n) return undefined;
  const bytes = e.readVirtual(cpu, Number(BigInt.asIntN(64, address)), size);
  let value = 0n;
  for (let i = size - 1; i >= 0; i--) {
    const b = bytes[i];
    if (b === undefined) return undefined;
    value = (value << 8n) | BigInt(b);
  }
  return value;
}

/**
 * `cpu`'s guest frames, innermost first, at most `max`, without the
 * innermost `hidden` inlined frames (calls a stop at their first
 * instruction shows as the call, in the function they are inlined into).
 */
export function guestCallStack(e: Engine, cpu: number, max = MAX_GUEST_FRAMES, hidden = 0): GuestCallStack {
  const pc = e.cpu(cpu).pc;
  const symbolOf = (address: bigint): string | undefined => e.lookupSymbol(address)?.name;
  const found = imageAt(e, cpu, pc);
  const holder = imageHolding(e, cpu, pc);
  // A kernel's CFI starts after the ftrace NOPs at a function's symbol: there, its frame pointers.
  const byFramePointers = holder?.framePointers === true && !holder.debugInfo?.frameRowAt(pc);
  if (!found || byFramePointers) {
    const source = e.sourceAt(pc);
    const innermost: GuestCallFrame = { pc, function: symbolOf(pc), file: source?.file, line: source?.line, cfa: undefined, registers: e.registers(cpu), recovered: new Map(), inlined: false };
    if (byFramePointers) {
      const walk = walkFramePointers(e, cpu, pc, max);
      const callers = walk.pcs.slice(1).map((at): GuestCallFrame => ({ pc: at, function: symbolOf(at - 1n), file: undefined, line: undefined, cfa: undefined, registers: [{ name: 'pc', value: at }], recovered: new Map(), inlined: false }));
      return { frames: [innermost, ...callers], end: walk.end, endsWithoutCfi: false, atInlinedCall: false };
    }
    return { frames: [innermost], end: `no call frame information for 0x${pc.toString(16)}`, endsWithoutCfi: true, atInlinedCall: false };
  }
  const target = e.target;
  const registers = new Map<number, bigint>();
  target.dwarfRegisters.forEach((name, n) => {
    const value = name === undefined ? undefined : e.readRegister(cpu, name);
    if (value !== undefined) registers.set(n, value);
  });
  const fp = FP_REGISTERS[e.arch];
  for (let i = 0; fp && i < 32; i++) {
    const value = e.readRegister(cpu, fp.name(i));
    if (value !== undefined) registers.set(fp.first + i, value);
  }
  registers.set(target.dwarfStackPointer, BigInt.asUintN(64, target.stackPointer(cpu)));
  const stack = unwind(found.info, {
    pc,
    registers,
    stackPointer: target.dwarfStackPointer,
    readMemory: (address, size) => readVirtual(e, cpu, address, size),
    entry: BigInt(found.image.entry),
  }, max + hidden);
  const frames = stack.frames.flatMap((f, i): GuestCallFrame[] => {
    // Outside the DWARF (a caller in code without it), the ELF symbol and the line tables still name it.
    const at = i === 0 ? f.pc : f.pc - 1n;
    const source = f.file === undefined ? e.sourceAt(at) : undefined;
    const known: RegisterValue[] = [];
    target.dwarfRegisters.forEach((name, n) => {
      const value = f.registers.get(n);
      if (name !== undefined && value !== undefined) known.push({ name, value });
    });
    known.push({ name: 'pc', value: f.pc });
    const file = f.file ?? source?.file;
    const line = f.line ?? source?.line;
    const levels = functionLevels(found.info, at, { file, line });
    if (!levels) return [{ pc: f.pc, function: f.function ?? symbolOf(at), file, line, cfa: f.cfa, registers: known, recovered: f.registers, inlined: false }];
    return levels.map((l) => ({ pc: f.pc, function: l.function ?? symbolOf(at), file: l.file, line: l.line, cfa: f.cfa, registers: known, recovered: f.registers, scope: l.scope, inlined: l.inlined }));
  }).slice(hidden, hidden + max);
  // The walk ended at a frame with no CFI row (not at the entry, nor at a CFA or return address the rules could not give).
  const last = stack.frames.at(-1)!;
  const endsWithoutCfi = last.cfa === undefined && !found.info.frameRowAt(stack.frames.length === 1 ? last.pc : last.pc - 1n);
  return { frames, end: stack.end, endsWithoutCfi, atInlinedCall: hidden > 0 };
}
