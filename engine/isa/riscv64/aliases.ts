// Aliases: specialisations of a base operation that GNU tools print and accept
// under another name (`li` for `addi rd,zero,imm`). They apply to the expanded
// operation, so a compressed `c.li` prints as `li` just as `addi` does.
// Order matters: the disassembler prints the first alias whose conditions hold,
// trying those restricted to the instruction's row (`rows`) before the others.
// Spellings and order follow what GNU objdump 2.40 prints by default, which gas
// also accepts: `add rd,rs1,imm` for addi, `csrw csr,imm` for csrrwi.

import type { Slot } from './table';

export interface Alias {
  readonly name: string;
  /** Base operation (Decoded.op) this alias specialises. */
  readonly op: string;
  /** Slot values the alias fixes. */
  readonly when: Readonly<Partial<Record<Slot, number>>>;
  /** Operand syntax, as in table rows. */
  readonly syntax: string;
  /**
   * Restricts the alias to instructions decoded through these table rows (by
   * row mnemonic). Used where objdump names a compressed form differently from
   * the 32-bit one, e.g. its HINT encodings (`c.li zero,5`, `c.nop 3`).
   */
  readonly rows?: readonly string[];
  /**
   * Encoding bits outside every slot that the alias fixes: an instruction
   * matches only if (insn & mask) === match, and the assembler ORs `match` in.
   */
  readonly bits?: { readonly mask: number; readonly match: number };
  /** Two slots the alias requires to be equal (fmv.s: rs2 = rs1); the assembler copies the first into the second. */
  readonly same?: readonly [Slot, Slot];
}

const ZERO = 0;
const RA = 1;
const CSR_CYCLE = 0xc00;
const CSR_TIME = 0xc01;
const CSR_INSTRET = 0xc02;
const FENCE_ALL = 0xf; // i, o, r and w
const FENCE_RW = 0x3;
const CSR_FFLAGS = 0x001;
const CSR_FRM = 0x002;
const CSR_FCSR = 0x003;

/** Sign-injection spellings: fmv, fneg and fabs are fsgnj, fsgnjn and fsgnjx of a register with itself. */
const signInjection: readonly Alias[] = (['s', 'd'] as const).flatMap((p) => [
  { name: `fmv.${p}`, op: `fsgnj.${p}`, when: {}, same: ['rs1', 'rs2'], syntax: 'fd,fs1' },
  { name: `fneg.${p}`, op: `fsgnjn.${p}`, when: {}, same: ['rs1', 'rs2'], syntax: 'fd,fs1' },
  { name: `fabs.${p}`, op: `fsgnjx.${p}`, when: {}, same: ['rs1', 'rs2'], syntax: 'fd,fs1' },
] as const satisfies readonly Alias[]);

/**
 * The floating-point CSRs' own spellings, before the generic CSR ones. objdump
 * keeps `zero` in the immediate forms (`fsrmi zero,3`).
 */
const fpCsr: readonly Alias[] = [
  { name: 'frcsr', op: 'csrrs', when: { csr: CSR_FCSR, rs1: ZERO }, syntax: 'rd' },
  { name: 'fscsr', op: 'csrrw', when: { csr: CSR_FCSR, rd: ZERO }, syntax: 'rs1' },
  { name: 'fscsr', op: 'csrrw', when: { csr: CSR_FCSR }, syntax: 'rd,rs1' },
  { name: 'frrm', op: 'csrrs', when: { csr: CSR_FRM, rs1: ZERO }, syntax: 'rd' },
  { name: 'fsrm', op: 'csrrw', when: { csr: CSR_FRM, rd: ZERO }, syntax: 'rs1' },
  { name: 'fsrm', op: 'csrrw', when: { csr: CSR_FRM }, syntax: 'rd,rs1' },
  { name: 'fsrmi', op: 'csrrwi', when: { csr: CSR_FRM }, syntax: 'rd,imm' },
  { name: 'frflags', op: 'csrrs', when: { csr: CSR_FFLAGS, rs1: ZERO }, syntax: 'rd' },
  { name: 'fsflags', op: 'csrrw', when: { csr: CSR_FFLAGS, rd: ZERO }, syntax: 'rs1' },
  { name: 'fsflags', op: 'csrrw', when: { csr: CSR_FFLAGS }, syntax: 'rd,rs1' },
  { name: 'fsflagsi', op: 'csrrwi', when: { csr: CSR_FFLAGS }, syntax: 'rd,imm' },
];

/**
 * Compressed-only spellings, where objdump's name for a compressed encoding is
 * not the one the expanded 32-bit instruction gets: HINTs keep a c.* name, and
 * c.addi with a zero immediate stays `add` rather than `mv`.
 */
const compressed: readonly Alias[] = [
  { name: 'c.nop', op: 'addi', rows: ['c.addi'], when: { rd: ZERO, rs1: ZERO }, syntax: 'imm' },
  { name: 'add', op: 'addi', rows: ['c.addi', 'c.addi16sp'], when: { imm: 0 }, syntax: 'rd,rs1,imm' },
  { name: 'c.li', op: 'addi', rows: ['c.li'], when: { rd: ZERO, rs1: ZERO }, syntax: 'rd,imm' },
  { name: 'c.lui', op: 'lui', rows: ['c.lui'], when: { rd: ZERO }, syntax: 'rd,uimm' },
  { name: 'c.slli64', op: 'slli', rows: ['c.slli'], when: { imm: 0 }, syntax: 'rd' },
  { name: 'c.slli', op: 'slli', rows: ['c.slli'], when: { rd: ZERO, rs1: ZERO }, syntax: 'rd,imm' },
  { name: 'c.srli64', op: 'srli', rows: ['c.srli'], when: { imm: 0 }, syntax: 'rd' },
  { name: 'c.srai64', op: 'srai', rows: ['c.srai'], when: { imm: 0 }, syntax: 'rd' },
  { name: 'c.mv', op: 'add', rows: ['c.mv'], when: { rd: ZERO, rs1: ZERO }, syntax: 'rd,rs2' },
  { name: 'mv', op: 'add', rows: ['c.mv'], when: { rs1: ZERO }, syntax: 'rd,rs2' },
  { name: 'c.add', op: 'add', rows: ['c.add'], when: { rd: ZERO, rs1: ZERO }, syntax: 'rd,rs2' },
];

export const aliases: readonly Alias[] = [
  { name: 'nop', op: 'addi', when: { rd: ZERO, rs1: ZERO, imm: 0 }, syntax: '' },
  { name: 'li', op: 'addi', when: { rs1: ZERO }, syntax: 'rd,imm' },
  { name: 'mv', op: 'addi', when: { imm: 0 }, syntax: 'rd,rs1' },
  { name: 'add', op: 'addi', when: {}, syntax: 'rd,rs1,imm' },
  { name: 'sext.w', op: 'addiw', when: { imm: 0 }, syntax: 'rd,rs1' },
  { name: 'addw', op: 'addiw', when: {}, syntax: 'rd,rs1,imm' },
  { name: 'not', op: 'xori', when: { imm: -1 }, syntax: 'rd,rs1' },
  { name: 'xor', op: 'xori', when: {}, syntax: 'rd,rs1,imm' },
  { name: 'or', op: 'ori', when: {}, syntax: 'rd,rs1,imm' },
  { name: 'zext.b', op: 'andi', when: { imm: 255 }, syntax: 'rd,rs1' },
  { name: 'and', op: 'andi', when: {}, syntax: 'rd,rs1,imm' },
  { name: 'sll', op: 'slli', when: {}, syntax: 'rd,rs1,imm' },
  { name: 'srl', op: 'srli', when: {}, syntax: 'rd,rs1,imm' },
  { name: 'sra', op: 'srai', when: {}, syntax: 'rd,rs1,imm' },
  { name: 'sllw', op: 'slliw', when: {}, syntax: 'rd,rs1,imm' },
  { name: 'srlw', op: 'srliw', when: {}, syntax: 'rd,rs1,imm' },
  { name: 'sraw', op: 'sraiw', when: {}, syntax: 'rd,rs1,imm' },
  { name: 'seqz', op: 'sltiu', when: { imm: 1 }, syntax: 'rd,rs1' },
  { name: 'neg', op: 'sub', when: { rs1: ZERO }, syntax: 'rd,rs2' },
  { name: 'negw', op: 'subw', when: { rs1: ZERO }, syntax: 'rd,rs2' },
  { name: 'snez', op: 'sltu', when: { rs1: ZERO }, syntax: 'rd,rs2' },
  { name: 'sltz', op: 'slt', when: { rs2: ZERO }, syntax: 'rd,rs1' },
  { name: 'sgtz', op: 'slt', when: { rs1: ZERO }, syntax: 'rd,rs2' },
  { name: 'beqz', op: 'beq', when: { rs2: ZERO }, syntax: 'rs1,target' },
  { name: 'bnez', op: 'bne', when: { rs2: ZERO }, syntax: 'rs1,target' },
  { name: 'blez', op: 'bge', when: { rs1: ZERO }, syntax: 'rs2,target' },
  { name: 'bgez', op: 'bge', when: { rs2: ZERO }, syntax: 'rs1,target' },
  { name: 'bltz', op: 'blt', when: { rs2: ZERO }, syntax: 'rs1,target' },
  { name: 'bgtz', op: 'blt', when: { rs1: ZERO }, syntax: 'rs2,target' },
  { name: 'j', op: 'jal', when: { rd: ZERO }, syntax: 'target' },
  { name: 'jal', op: 'jal', when: { rd: RA }, syntax: 'target' },
  { name: 'ret', op: 'jalr', when: { rd: ZERO, rs1: RA, imm: 0 }, syntax: '' },
  { name: 'jr', op: 'jalr', when: { rd: ZERO, imm: 0 }, syntax: 'rs1' },
  { name: 'jr', op: 'jalr', when: { rd: ZERO }, syntax: 'imm(rs1)' },
  { name: 'jalr', op: 'jalr', when: { rd: RA, imm: 0 }, syntax: 'rs1' },
  { name: 'jalr', op: 'jalr', when: { rd: RA }, syntax: 'imm(rs1)' },
  { name: 'jalr', op: 'jalr', when: { imm: 0 }, syntax: 'rd,rs1' },
  { name: 'fence', op: 'fence', when: { pred: FENCE_ALL, succ: FENCE_ALL }, syntax: '' },
  { name: 'fence.tso', op: 'fence', when: { pred: FENCE_RW, succ: FENCE_RW }, bits: { mask: 0xf0000000, match: 0x80000000 }, syntax: '' },
  ...fpCsr,
  // csrrw zero,cycle,zero traps on every implementation that makes cycle read-only.
  { name: 'unimp', op: 'csrrw', when: { rd: ZERO, csr: CSR_CYCLE, rs1: ZERO }, syntax: '' },
  { name: 'csrw', op: 'csrrw', when: { rd: ZERO }, syntax: 'csr,rs1' },
  { name: 'rdcycle', op: 'csrrs', when: { csr: CSR_CYCLE, rs1: ZERO }, syntax: 'rd' },
  { name: 'rdtime', op: 'csrrs', when: { csr: CSR_TIME, rs1: ZERO }, syntax: 'rd' },
  { name: 'rdinstret', op: 'csrrs', when: { csr: CSR_INSTRET, rs1: ZERO }, syntax: 'rd' },
  { name: 'csrr', op: 'csrrs', when: { rs1: ZERO }, syntax: 'rd,csr' },
  { name: 'csrs', op: 'csrrs', when: { rd: ZERO }, syntax: 'csr,rs1' },
  { name: 'csrc', op: 'csrrc', when: { rd: ZERO }, syntax: 'csr,rs1' },
  { name: 'csrw', op: 'csrrwi', when: { rd: ZERO }, syntax: 'csr,imm' },
  { name: 'csrrw', op: 'csrrwi', when: {}, syntax: 'rd,csr,imm' },
  { name: 'csrs', op: 'csrrsi', when: { rd: ZERO }, syntax: 'csr,imm' },
  { name: 'csrrs', op: 'csrrsi', when: {}, syntax: 'rd,csr,imm' },
  { name: 'csrc', op: 'csrrci', when: { rd: ZERO }, syntax: 'csr,imm' },
  { name: 'csrrc', op: 'csrrci', when: {}, syntax: 'rd,csr,imm' },
  { name: 'sfence.vma', op: 'sfence.vma', when: { rs1: ZERO, rs2: ZERO }, syntax: '' },
  { name: 'sfence.vma', op: 'sfence.vma', when: { rs2: ZERO }, syntax: 'rs1' },
  { name: 'hfence.vvma', op: 'hfence.vvma', when: { rs1: ZERO, rs2: ZERO }, syntax: '' },
  { name: 'hfence.vvma', op: 'hfence.vvma', when: { rs2: ZERO }, syntax: 'rs1' },
  { name: 'hfence.gvma', op: 'hfence.gvma', when: { rs1: ZERO, rs2: ZERO }, syntax: '' },
  { name: 'hfence.gvma', op: 'hfence.gvma', when: { rs2: ZERO }, syntax: 'rs1' },
  ...signInjection,
  ...compressed,
];
