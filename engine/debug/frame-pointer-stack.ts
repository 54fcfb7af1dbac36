// Callers found by the frame-pointer chain, for code that keeps one (a Linux
// kernel) where there is no call frame information: each frame's record holds
// the caller's frame pointer and return address. At a function's first
// instruction the record is not made yet, so the caller is the link register's.

import type { Engine } from '../api';
import type { Arch } from '../target/target';

interface FrameRecord {
  /** The frame-pointer register, by readRegister's name. */
  readonly fp: string;
  /** Where the caller's frame pointer and the return address are saved, from the frame pointer. */
  readonly savedFp: bigint;
  readonly savedReturn: bigint;
}

/**
 * AAPCS64: x29 points at the record {previous x29, x30}. RISC-V: s0 is the
 * frame's CFA, with ra at -8 and the previous s0 at -16.
 */
const RECORDS: Readonly<Record<Arch, FrameRecord>> = {
  aarch64: { fp: 'x29', savedFp: 0n, savedReturn: 8n },
  riscv64: { fp: 's0', savedFp: -16n, savedReturn: -8n },
};

export interface FramePointerWalk {
  /** Each frame's pc, innermost first. */
  readonly pcs: readonly bigint[];
  /** Why there are no more frames. */
  readonly end: string;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** `cpu`'s frames from `pc` by its frame-pointer chain, at most `max`; it ends where a caller's pc is not in any symbol. */
export function walkFramePointers(e: Engine, cpu: number, pc: bigint, max: number): FramePointerWalk {
  const record = RECORDS[e.arch];
  const read = (address: bigint): bigint | undefined => {
    const bytes = e.readVirtual(cpu, Number(BigInt.asIntN(64, address)), 8);
    return bytes.every((b) => b !== undefined) ? bytes.reduceRight((v, b) => (v << 8n) | BigInt(b!), 0n) : undefined;
  };
  const pcs = [pc];
  let fp = e.readRegister(cpu, record.fp);
  let caller: bigint | undefined;
  if (e.lookupSymbol(pc)?.offset === 0n) {
    // At the entry, before the prologue: the caller's own frame is the one fp points at.
    caller = e.readRegister(cpu, e.target.linkRegister);
    if (caller === undefined || !e.lookupSymbol(caller)) return { pcs, end: `the return address at the entry of ${e.symbolize(pc)} is not in the kernel's code` };
    pcs.push(caller);
  }
  while (pcs.length < max) {
    if (fp === undefined || fp === 0n) return { pcs, end: 'the frame-pointer chain ends' };
    if (fp % 8n !== 0n) return { pcs, end: `the frame pointer ${hex(fp)} is not aligned` };
    const next = read(fp + record.savedFp);
    const ret = read(fp + record.savedReturn);
    if (next === undefined || ret === undefined) return { pcs, end: `the frame record at ${hex(fp)} cannot be read` };
    if (ret === 0n) return { pcs, end: 'the frame-pointer chain ends' };
    if (!e.lookupSymbol(ret)) return { pcs, end: `the return address ${hex(ret)} is not in the kernel's code` };
    if (next !== 0n && next <= fp) return { pcs, end: `the frame pointer ${hex(next)} does not move up the stack` };
    pcs.push(ret);
    fp = next;
  }
  return { pcs, end: `more than ${max} frames` };
}
