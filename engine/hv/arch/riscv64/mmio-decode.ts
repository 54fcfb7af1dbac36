// The guest-page-fault side of riscv64 MMIO emulation (trap.rs,
// guest_page_fault_handler / ins_ldst_decode): the faulting GPA, which
// instruction trapped (htinst or a fetch at sepc), and what load or store it
// is. Anything hvisor cannot decode comes back as the reason it would panic.

/** A decoded MMIO load or store. */
export interface LdStDecode {
  readonly ok: true;
  readonly size: 1 | 2 | 4 | 8;
  readonly isWrite: boolean;
  /** rd for a load, rs2 for a store. */
  readonly reg: number;
  /** The load value is sign-extended from `size` bytes (LB, LH, LW, C.LW). */
  readonly signExtend: boolean;
  /** How far sepc advances: 2 for a compressed original, else 4. */
  readonly insnSize: 2 | 4;
}

/** hvisor would panic here; `reason` says why. */
export interface DecodeFailure {
  readonly ok: false;
  readonly reason: string;
}

/** The trapping instruction as hvisor decodes it, and its length in guest memory. */
export interface TrapInstruction {
  readonly ok: true;
  readonly insn: number;
  readonly insnSize: 2 | 4;
}

const OPCODE_LOAD = 0x03;
const OPCODE_STORE = 0x23;
/** Quadrant 0 with funct3 in bits 15:13, the compressed forms hvisor accepts. */
const C_FORMS: Readonly<Record<number, { size: 4 | 8; isWrite: boolean; name: string }>> = {
  0b010: { size: 4, isWrite: false, name: 'C.LW' },
  0b011: { size: 8, isWrite: false, name: 'C.LD' },
  0b110: { size: 4, isWrite: true, name: 'C.SW' },
  0b111: { size: 8, isWrite: true, name: 'C.SD' },
};
/** funct3 → size; hvisor maps all eight values, reserved ones included (bit 2 only drops the sign). */
const SIZE_BY_FUNCT3: readonly (1 | 2 | 4 | 8)[] = [1, 2, 4, 8, 1, 2, 4, 8];

const hex = (v: number, digits: number): string => `0x${(v >>> 0).toString(16).padStart(digits, '0')}`;

/** GPA of a guest-page fault: htval holds it shifted right by 2, stval supplies the low bits. */
export function guestPageFaultGpa(htval: bigint, stval: bigint): bigint {
  return (htval << 2n) | (stval & 3n);
}

/**
 * Which instruction trapped. A non-zero htinst is a transformed standard
 * instruction (bit 0 set; bit 1 clear means the original was compressed),
 * made decodable by forcing bit 1. A zero htinst means the instruction is
 * read from guest memory at sepc, 16 bits at a time; `fetchHalf(0)` and
 * `fetchHalf(2)` return the halfwords at sepc and sepc + 2 (undefined if the
 * read faults, which for hvisor is an exception in HS-mode).
 */
export function trapInstruction(htinst: bigint, fetchHalf: (offset: 0 | 2) => number | undefined): TrapInstruction | DecodeFailure {
  if (htinst === 0n) {
    const lo = fetchHalf(0);
    if (lo === undefined) return { ok: false, reason: 'reading the trapping instruction at sepc faulted in HS-mode' };
    if ((lo & 3) !== 3) return { ok: true, insn: lo & 0xffff, insnSize: 2 };
    const hi = fetchHalf(2);
    if (hi === undefined) return { ok: false, reason: 'reading the trapping instruction at sepc + 2 faulted in HS-mode' };
    return { ok: true, insn: ((lo & 0xffff) | ((hi & 0xffff) << 16)) >>> 0, insnSize: 4 };
  }
  const raw = Number(htinst & 0xffff_ffffn);
  switch (raw & 3) {
    case 0:
      return { ok: false, reason: `htinst ${hex(raw, 8)} is a pseudo-instruction, which the MMIO path does not support` };
    case 1:
      return { ok: true, insn: (raw | 2) >>> 0, insnSize: 2 };
    case 3:
      return { ok: true, insn: raw >>> 0, insnSize: 4 };
    default:
      return { ok: false, reason: `htinst ${hex(raw, 8)} has bits [1:0] = 10, not a valid transformed-instruction size` };
  }
}

/**
 * ins_ldst_decode. Low bits other than 11 mean a 16-bit instruction (only
 * from a fetch), of which C.LW / C.SW / C.LD / C.SD are accepted; otherwise
 * only opcodes LOAD and STORE are.
 */
export function insLdstDecode(insn: number, insnSize: 2 | 4): LdStDecode | DecodeFailure {
  if ((insn & 3) !== 3) {
    const form = (insn & 3) === 0 ? C_FORMS[(insn >>> 13) & 7] : undefined;
    if (!form) return { ok: false, reason: `trapping instruction ${hex(insn & 0xffff, 4)} is not C.LW, C.SW, C.LD or C.SD` };
    return { ok: true, size: form.size, isWrite: form.isWrite, reg: ((insn >>> 2) & 7) + 8, signExtend: form.size < 8 && !form.isWrite, insnSize };
  }
  const opcode = insn & 0x7f;
  if (opcode !== OPCODE_LOAD && opcode !== OPCODE_STORE) {
    return { ok: false, reason: `trapping instruction ${hex(insn, 8)} is not a standard load or store` };
  }
  const funct3 = (insn >>> 12) & 7;
  const size = SIZE_BY_FUNCT3[funct3]!;
  const isWrite = opcode === OPCODE_STORE;
  const reg = isWrite ? (insn >>> 20) & 31 : (insn >>> 7) & 31;
  // Only narrow signed loads change the value; LD and stores need no extension.
  const signExtend = !isWrite && (funct3 & 4) === 0 && size < 8;
  return { ok: true, size, isWrite, reg, signExtend, insnSize };
}

/** The whole decode step of the guest-page-fault handler. */
export function decodeMmioInstruction(htinst: bigint, fetchHalf: (offset: 0 | 2) => number | undefined): LdStDecode | DecodeFailure {
  const t = trapInstruction(htinst, fetchHalf);
  return t.ok ? insLdstDecode(t.insn, t.insnSize) : t;
}

/**
 * What a load writes back to x[reg] (the caller leaves x0 alone): the low
 * `size` bytes sign-extended, or the handler's value unchanged, as hvisor
 * does not truncate zero-extending loads.
 */
export function mmioLoadResult(value: bigint, d: Pick<LdStDecode, 'size' | 'signExtend'>): bigint {
  return d.signExtend ? BigInt.asUintN(64, BigInt.asIntN(8 * d.size, value)) : BigInt.asUintN(64, value);
}
