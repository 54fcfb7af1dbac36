// The RV64IMAFDC + Zicsr + Zifencei + privileged/hypervisor encoding table.
// Every consumer derives from these rows: the decoder matches `match`/`mask`
// and extracts `operands`; the disassembler prints `syntax` (GNU objdump's
// no-alias form, with aliases layered on in aliases.ts); the assembler parses
// the same syntax and inserts the operand fields back.
//
// A compressed row names the base operation it expands to in `op` and maps its
// fields onto the base instruction's slots, so execution never sees RVC.

import type { FieldName } from './fields';

export type Slot = 'rd' | 'rs1' | 'rs2' | 'rs3' | 'imm' | 'csr' | 'rm' | 'aq' | 'rl' | 'pred' | 'succ';

/** Register slots: x registers unless the row's syntax names them as f registers. */
export type RegSlot = 'rd' | 'rs1' | 'rs2' | 'rs3';

export type Ext = 'I' | 'M' | 'A' | 'F' | 'D' | 'C' | 'Zicsr' | 'Zifencei' | 'Priv' | 'H';

export interface Row {
  /** The mnemonic in GNU's no-alias spelling (`c.addi`, `lr.w`). */
  readonly mnemonic: string;
  readonly match: number;
  readonly mask: number;
  readonly size: 2 | 4;
  /** The base operation executed (a 32-bit mnemonic). */
  readonly op: string;
  /** Each slot is filled from an instruction field or fixed to a constant. */
  readonly operands: Readonly<Partial<Record<Slot, FieldName | number>>>;
  /**
   * Operand syntax: slot names and punctuation. `target` is the pc-relative
   * `imm` shown as an absolute address; `uimm` is a U-type immediate shown
   * shifted right by 12. `fd`, `fs1`, `fs2`, `fs3` are the rd..rs3 slots
   * naming f registers. A trailing `rm` is the rounding mode, optional in
   * assembly and not shown when it is dynamic; a row that has an rm field
   * but no `rm` in its syntax is printed by objdump only when rm is 0.
   */
  readonly syntax: string;
  /** The register slots that name f registers (derived from the syntax). */
  readonly fregs: readonly RegSlot[];
  /** Slots whose encoded field must be non-zero; otherwise the row does not match. */
  readonly nonzero?: readonly Slot[];
  readonly ext: Ext;
}

type RowSpec = Omit<Row, 'op' | 'size' | 'fregs'> & { op?: string };

const F_TOKENS: Readonly<Record<string, RegSlot>> = { fd: 'rd', fs1: 'rs1', fs2: 'rs2', fs3: 'rs3' };

const rows: Row[] = [];
function def(spec: RowSpec): void {
  const size = (spec.match & 3) === 3 ? 4 : 2;
  const fregs = (spec.syntax.match(/[a-z][a-z0-9]*/g) ?? []).flatMap((t) => (F_TOKENS[t] ? [F_TOKENS[t]] : []));
  rows.push({ ...spec, op: spec.op ?? spec.mnemonic, size, fregs });
}

const R = { rd: 'rd', rs1: 'rs1', rs2: 'rs2' } as const;
const I = { rd: 'rd', rs1: 'rs1', imm: 'immI' } as const;

// ---- RV64I -----------------------------------------------------------------
def({ mnemonic: 'lui', match: 0x37, mask: 0x7f, operands: { rd: 'rd', imm: 'immU' }, syntax: 'rd,uimm', ext: 'I' });
def({ mnemonic: 'auipc', match: 0x17, mask: 0x7f, operands: { rd: 'rd', imm: 'immU' }, syntax: 'rd,uimm', ext: 'I' });
def({ mnemonic: 'jal', match: 0x6f, mask: 0x7f, operands: { rd: 'rd', imm: 'immJ' }, syntax: 'rd,target', ext: 'I' });
def({ mnemonic: 'jalr', match: 0x67, mask: 0x707f, operands: I, syntax: 'rd,imm(rs1)', ext: 'I' });

const branches: [string, number][] = [['beq', 0], ['bne', 1], ['blt', 4], ['bge', 5], ['bltu', 6], ['bgeu', 7]];
for (const [m, f3] of branches) {
  def({ mnemonic: m, match: 0x63 | (f3 << 12), mask: 0x707f, operands: { rs1: 'rs1', rs2: 'rs2', imm: 'immB' }, syntax: 'rs1,rs2,target', ext: 'I' });
}
const loads: [string, number][] = [['lb', 0], ['lh', 1], ['lw', 2], ['ld', 3], ['lbu', 4], ['lhu', 5], ['lwu', 6]];
for (const [m, f3] of loads) {
  def({ mnemonic: m, match: 0x03 | (f3 << 12), mask: 0x707f, operands: I, syntax: 'rd,imm(rs1)', ext: 'I' });
}
const stores: [string, number][] = [['sb', 0], ['sh', 1], ['sw', 2], ['sd', 3]];
for (const [m, f3] of stores) {
  def({ mnemonic: m, match: 0x23 | (f3 << 12), mask: 0x707f, operands: { rs1: 'rs1', rs2: 'rs2', imm: 'immS' }, syntax: 'rs2,imm(rs1)', ext: 'I' });
}
const opImm: [string, number][] = [['addi', 0], ['slti', 2], ['sltiu', 3], ['xori', 4], ['ori', 6], ['andi', 7]];
for (const [m, f3] of opImm) {
  def({ mnemonic: m, match: 0x13 | (f3 << 12), mask: 0x707f, operands: I, syntax: 'rd,rs1,imm', ext: 'I' });
}
const shifts: [string, number, number][] = [['slli', 1, 0], ['srli', 5, 0], ['srai', 5, 0x10]];
for (const [m, f3, top] of shifts) {
  def({ mnemonic: m, match: 0x13 | (f3 << 12) | (top << 26), mask: 0xfc00707f, operands: { rd: 'rd', rs1: 'rs1', imm: 'shamt6' }, syntax: 'rd,rs1,imm', ext: 'I' });
}
def({ mnemonic: 'addiw', match: 0x1b, mask: 0x707f, operands: I, syntax: 'rd,rs1,imm', ext: 'I' });
const shiftsW: [string, number, number][] = [['slliw', 1, 0], ['srliw', 5, 0], ['sraiw', 5, 0x20]];
for (const [m, f3, f7] of shiftsW) {
  def({ mnemonic: m, match: 0x1b | (f3 << 12) | (f7 << 25), mask: 0xfe00707f, operands: { rd: 'rd', rs1: 'rs1', imm: 'shamt5' }, syntax: 'rd,rs1,imm', ext: 'I' });
}
const ops: [string, number, number, Ext][] = [
  ['add', 0, 0, 'I'], ['sub', 0, 0x20, 'I'], ['sll', 1, 0, 'I'], ['slt', 2, 0, 'I'], ['sltu', 3, 0, 'I'],
  ['xor', 4, 0, 'I'], ['srl', 5, 0, 'I'], ['sra', 5, 0x20, 'I'], ['or', 6, 0, 'I'], ['and', 7, 0, 'I'],
  ['mul', 0, 1, 'M'], ['mulh', 1, 1, 'M'], ['mulhsu', 2, 1, 'M'], ['mulhu', 3, 1, 'M'],
  ['div', 4, 1, 'M'], ['divu', 5, 1, 'M'], ['rem', 6, 1, 'M'], ['remu', 7, 1, 'M'],
];
for (const [m, f3, f7, ext] of ops) {
  def({ mnemonic: m, match: 0x33 | (f3 << 12) | (f7 << 25), mask: 0xfe00707f, operands: R, syntax: 'rd,rs1,rs2', ext });
}
const opsW: [string, number, number, Ext][] = [
  ['addw', 0, 0, 'I'], ['subw', 0, 0x20, 'I'], ['sllw', 1, 0, 'I'], ['srlw', 5, 0, 'I'], ['sraw', 5, 0x20, 'I'],
  ['mulw', 0, 1, 'M'], ['divw', 4, 1, 'M'], ['divuw', 5, 1, 'M'], ['remw', 6, 1, 'M'], ['remuw', 7, 1, 'M'],
];
for (const [m, f3, f7, ext] of opsW) {
  def({ mnemonic: m, match: 0x3b | (f3 << 12) | (f7 << 25), mask: 0xfe00707f, operands: R, syntax: 'rd,rs1,rs2', ext });
}
def({ mnemonic: 'fence', match: 0x0f, mask: 0x707f, operands: { pred: 'pred', succ: 'succ' }, syntax: 'pred,succ', ext: 'I' });
def({ mnemonic: 'ecall', match: 0x73, mask: 0xffffffff, operands: {}, syntax: '', ext: 'I' });
def({ mnemonic: 'ebreak', match: 0x100073, mask: 0xffffffff, operands: {}, syntax: '', ext: 'I' });

// ---- Zifencei, Zicsr ----------------------------------------------------------
def({ mnemonic: 'fence.i', match: 0x100f, mask: 0x707f, operands: {}, syntax: '', ext: 'Zifencei' });
const csrOps: [string, number][] = [['csrrw', 1], ['csrrs', 2], ['csrrc', 3]];
for (const [m, f3] of csrOps) {
  def({ mnemonic: m, match: 0x73 | (f3 << 12), mask: 0x707f, operands: { rd: 'rd', rs1: 'rs1', csr: 'csr' }, syntax: 'rd,csr,rs1', ext: 'Zicsr' });
}
const csrImmOps: [string, number][] = [['csrrwi', 5], ['csrrsi', 6], ['csrrci', 7]];
for (const [m, f3] of csrImmOps) {
  def({ mnemonic: m, match: 0x73 | (f3 << 12), mask: 0x707f, operands: { rd: 'rd', imm: 'zimm', csr: 'csr' }, syntax: 'rd,csr,imm', ext: 'Zicsr' });
}

// ---- Privileged and hypervisor ------------------------------------------------
def({ mnemonic: 'sret', match: 0x10200073, mask: 0xffffffff, operands: {}, syntax: '', ext: 'Priv' });
def({ mnemonic: 'mret', match: 0x30200073, mask: 0xffffffff, operands: {}, syntax: '', ext: 'Priv' });
def({ mnemonic: 'wfi', match: 0x10500073, mask: 0xffffffff, operands: {}, syntax: '', ext: 'Priv' });
def({ mnemonic: 'sfence.vma', match: 0x12000073, mask: 0xfe007fff, operands: { rs1: 'rs1', rs2: 'rs2' }, syntax: 'rs1,rs2', ext: 'Priv' });
def({ mnemonic: 'hfence.vvma', match: 0x22000073, mask: 0xfe007fff, operands: { rs1: 'rs1', rs2: 'rs2' }, syntax: 'rs1,rs2', ext: 'H' });
def({ mnemonic: 'hfence.gvma', match: 0x62000073, mask: 0xfe007fff, operands: { rs1: 'rs1', rs2: 'rs2' }, syntax: 'rs1,rs2', ext: 'H' });
const hlv: [string, number][] = [
  ['hlv.b', 0x60004073], ['hlv.bu', 0x60104073], ['hlv.h', 0x64004073], ['hlv.hu', 0x64104073], ['hlvx.hu', 0x64304073],
  ['hlv.w', 0x68004073], ['hlv.wu', 0x68104073], ['hlvx.wu', 0x68304073], ['hlv.d', 0x6c004073],
];
for (const [m, match] of hlv) {
  def({ mnemonic: m, match, mask: 0xfff0707f, operands: { rd: 'rd', rs1: 'rs1' }, syntax: 'rd,(rs1)', ext: 'H' });
}
const hsv: [string, number][] = [['hsv.b', 0x62004073], ['hsv.h', 0x66004073], ['hsv.w', 0x6a004073], ['hsv.d', 0x6e004073]];
for (const [m, match] of hsv) {
  def({ mnemonic: m, match, mask: 0xfe007fff, operands: { rs1: 'rs1', rs2: 'rs2' }, syntax: 'rs2,(rs1)', ext: 'H' });
}

// ---- A ------------------------------------------------------------------------
const amos: [string, number][] = [
  ['amoadd', 0x00], ['amoswap', 0x01], ['amoxor', 0x04], ['amoor', 0x08], ['amoand', 0x0c],
  ['amomin', 0x10], ['amomax', 0x14], ['amominu', 0x18], ['amomaxu', 0x1c],
];
for (const [width, f3] of [['w', 2], ['d', 3]] as const) {
  const ordering = { aq: 'aq', rl: 'rl' } as const;
  def({ mnemonic: `lr.${width}`, match: 0x1000002f | (f3 << 12), mask: 0xf9f0707f, operands: { rd: 'rd', rs1: 'rs1', ...ordering }, syntax: 'rd,(rs1)', ext: 'A' });
  def({ mnemonic: `sc.${width}`, match: 0x1800002f | (f3 << 12), mask: 0xf800707f, operands: { ...R, ...ordering }, syntax: 'rd,rs2,(rs1)', ext: 'A' });
  for (const [m, f5] of amos) {
    def({ mnemonic: `${m}.${width}`, match: (0x2f | (f3 << 12) | (f5 << 27)) >>> 0, mask: 0xf800707f, operands: { ...R, ...ordering }, syntax: 'rd,rs2,(rs1)', ext: 'A' });
  }
}

// ---- F and D ------------------------------------------------------------------
// fmt (bits 26:25) is 0 for single and 1 for double precision.
for (const [p, fmt, ext] of [['s', 0, 'F'], ['d', 1, 'D']] as const) {
  const width = fmt === 0 ? 2 : 3;
  const f7 = (funct5: number) => ((funct5 << 27) | (fmt << 25)) >>> 0;
  const OP_FP = 0x53;
  def({ mnemonic: `fl${p === 's' ? 'w' : 'd'}`, match: 0x07 | (width << 12), mask: 0x707f, operands: I, syntax: 'fd,imm(rs1)', ext });
  def({ mnemonic: `fs${p === 's' ? 'w' : 'd'}`, match: 0x27 | (width << 12), mask: 0x707f, operands: { rs1: 'rs1', rs2: 'rs2', imm: 'immS' }, syntax: 'fs2,imm(rs1)', ext });
  const fused: [string, number][] = [['fmadd', 0x43], ['fmsub', 0x47], ['fnmsub', 0x4b], ['fnmadd', 0x4f]];
  for (const [m, opcode] of fused) {
    def({ mnemonic: `${m}.${p}`, match: opcode | (fmt << 25), mask: 0x0600007f, operands: { ...R, rs3: 'rs3', rm: 'rm' }, syntax: 'fd,fs1,fs2,fs3,rm', ext });
  }
  const arith: [string, number][] = [['fadd', 0x00], ['fsub', 0x01], ['fmul', 0x02], ['fdiv', 0x03]];
  for (const [m, funct5] of arith) {
    def({ mnemonic: `${m}.${p}`, match: (f7(funct5) | OP_FP) >>> 0, mask: 0xfe00007f, operands: { ...R, rm: 'rm' }, syntax: 'fd,fs1,fs2,rm', ext });
  }
  def({ mnemonic: `fsqrt.${p}`, match: (f7(0x0b) | OP_FP) >>> 0, mask: 0xfff0007f, operands: { rd: 'rd', rs1: 'rs1', rm: 'rm' }, syntax: 'fd,fs1,rm', ext });
  const fixedRm: [string, number, number, string][] = [
    ['fsgnj', 0x04, 0, 'fd,fs1,fs2'], ['fsgnjn', 0x04, 1, 'fd,fs1,fs2'], ['fsgnjx', 0x04, 2, 'fd,fs1,fs2'],
    ['fmin', 0x05, 0, 'fd,fs1,fs2'], ['fmax', 0x05, 1, 'fd,fs1,fs2'],
    ['feq', 0x14, 2, 'rd,fs1,fs2'], ['flt', 0x14, 1, 'rd,fs1,fs2'], ['fle', 0x14, 0, 'rd,fs1,fs2'],
  ];
  for (const [m, funct5, rm, syntax] of fixedRm) {
    def({ mnemonic: `${m}.${p}`, match: (f7(funct5) | (rm << 12) | OP_FP) >>> 0, mask: 0xfe00707f, operands: R, syntax, ext });
  }
  def({ mnemonic: `fclass.${p}`, match: (f7(0x1c) | (1 << 12) | OP_FP) >>> 0, mask: 0xfff0707f, operands: { rd: 'rd', rs1: 'rs1' }, syntax: 'rd,fs1', ext });
  // Integer conversions: rs2 picks w, wu, l, lu.
  const ints = ['w', 'wu', 'l', 'lu'] as const;
  ints.forEach((t, rs2) => {
    def({ mnemonic: `fcvt.${t}.${p}`, match: (f7(0x18) | (rs2 << 20) | OP_FP) >>> 0, mask: 0xfff0007f, operands: { rd: 'rd', rs1: 'rs1', rm: 'rm' }, syntax: 'rd,fs1,rm', ext });
    // int32 to double is exact: objdump names it only with rm 0.
    const exact = p === 'd' && rs2 < 2;
    def({ mnemonic: `fcvt.${p}.${t}`, match: (f7(0x1a) | (rs2 << 20) | OP_FP) >>> 0, mask: 0xfff0007f, operands: { rd: 'rd', rs1: 'rs1', rm: 'rm' }, syntax: exact ? 'fd,rs1' : 'fd,rs1,rm', ext });
  });
  const x = p === 's' ? 'w' : 'd';
  def({ mnemonic: `fmv.x.${x}`, match: (f7(0x1c) | OP_FP) >>> 0, mask: 0xfff0707f, operands: { rd: 'rd', rs1: 'rs1' }, syntax: 'rd,fs1', ext });
  def({ mnemonic: `fmv.${x}.x`, match: (f7(0x1e) | OP_FP) >>> 0, mask: 0xfff0707f, operands: { rd: 'rd', rs1: 'rs1' }, syntax: 'fd,rs1', ext });
}
// Between precisions: rs2 names the source format. Widening is exact, so objdump names it only with rm 0.
def({ mnemonic: 'fcvt.s.d', match: 0x40100053, mask: 0xfff0007f, operands: { rd: 'rd', rs1: 'rs1', rm: 'rm' }, syntax: 'fd,fs1,rm', ext: 'D' });
def({ mnemonic: 'fcvt.d.s', match: 0x42000053, mask: 0xfff0007f, operands: { rd: 'rd', rs1: 'rs1', rm: 'rm' }, syntax: 'fd,fs1', ext: 'D' });

// ---- C (RV64) -----------------------------------------------------------------
// Quadrant 0
def({ mnemonic: 'c.addi4spn', op: 'addi', match: 0x0000, mask: 0xe003, operands: { rd: 'cRdP', rs1: 2, imm: 'cAddi4spn' }, syntax: 'rd,rs1,imm', nonzero: ['imm'], ext: 'C' });
def({ mnemonic: 'c.fld', op: 'fld', match: 0x2000, mask: 0xe003, operands: { rd: 'cRdP', rs1: 'cRs1P', imm: 'cLd' }, syntax: 'fd,imm(rs1)', ext: 'C' });
def({ mnemonic: 'c.lw', op: 'lw', match: 0x4000, mask: 0xe003, operands: { rd: 'cRdP', rs1: 'cRs1P', imm: 'cLw' }, syntax: 'rd,imm(rs1)', ext: 'C' });
def({ mnemonic: 'c.ld', op: 'ld', match: 0x6000, mask: 0xe003, operands: { rd: 'cRdP', rs1: 'cRs1P', imm: 'cLd' }, syntax: 'rd,imm(rs1)', ext: 'C' });
def({ mnemonic: 'c.fsd', op: 'fsd', match: 0xa000, mask: 0xe003, operands: { rs2: 'cRdP', rs1: 'cRs1P', imm: 'cLd' }, syntax: 'fs2,imm(rs1)', ext: 'C' });
def({ mnemonic: 'c.sw', op: 'sw', match: 0xc000, mask: 0xe003, operands: { rs2: 'cRdP', rs1: 'cRs1P', imm: 'cLw' }, syntax: 'rs2,imm(rs1)', ext: 'C' });
def({ mnemonic: 'c.sd', op: 'sd', match: 0xe000, mask: 0xe003, operands: { rs2: 'cRdP', rs1: 'cRs1P', imm: 'cLd' }, syntax: 'rs2,imm(rs1)', ext: 'C' });
// Quadrant 1
def({ mnemonic: 'c.nop', op: 'addi', match: 0x0001, mask: 0xffff, operands: { rd: 0, rs1: 0, imm: 0 }, syntax: '', ext: 'C' });
def({ mnemonic: 'c.addi', op: 'addi', match: 0x0001, mask: 0xe003, operands: { rd: 'cRd', rs1: 'cRd', imm: 'cImm6' }, syntax: 'rd,imm', ext: 'C' });
def({ mnemonic: 'c.addiw', op: 'addiw', match: 0x2001, mask: 0xe003, operands: { rd: 'cRd', rs1: 'cRd', imm: 'cImm6' }, syntax: 'rd,imm', nonzero: ['rd'], ext: 'C' });
def({ mnemonic: 'c.li', op: 'addi', match: 0x4001, mask: 0xe003, operands: { rd: 'cRd', rs1: 0, imm: 'cImm6' }, syntax: 'rd,imm', ext: 'C' });
def({ mnemonic: 'c.addi16sp', op: 'addi', match: 0x6101, mask: 0xef83, operands: { rd: 2, rs1: 2, imm: 'cAddi16sp' }, syntax: 'rd,imm', nonzero: ['imm'], ext: 'C' });
def({ mnemonic: 'c.lui', op: 'lui', match: 0x6001, mask: 0xe003, operands: { rd: 'cRd', imm: 'cLui' }, syntax: 'rd,uimm', nonzero: ['imm'], ext: 'C' });
def({ mnemonic: 'c.srli', op: 'srli', match: 0x8001, mask: 0xec03, operands: { rd: 'cRs1P', rs1: 'cRs1P', imm: 'cUimm6' }, syntax: 'rd,imm', ext: 'C' });
def({ mnemonic: 'c.srai', op: 'srai', match: 0x8401, mask: 0xec03, operands: { rd: 'cRs1P', rs1: 'cRs1P', imm: 'cUimm6' }, syntax: 'rd,imm', ext: 'C' });
def({ mnemonic: 'c.andi', op: 'andi', match: 0x8801, mask: 0xec03, operands: { rd: 'cRs1P', rs1: 'cRs1P', imm: 'cImm6' }, syntax: 'rd,imm', ext: 'C' });
const cArith: [string, string, number][] = [
  ['c.sub', 'sub', 0x8c01], ['c.xor', 'xor', 0x8c21], ['c.or', 'or', 0x8c41], ['c.and', 'and', 0x8c61],
  ['c.subw', 'subw', 0x9c01], ['c.addw', 'addw', 0x9c21],
];
for (const [m, op, match] of cArith) {
  def({ mnemonic: m, op, match, mask: 0xfc63, operands: { rd: 'cRs1P', rs1: 'cRs1P', rs2: 'cRdP' }, syntax: 'rd,rs2', ext: 'C' });
}
def({ mnemonic: 'c.j', op: 'jal', match: 0xa001, mask: 0xe003, operands: { rd: 0, imm: 'cJ' }, syntax: 'target', ext: 'C' });
def({ mnemonic: 'c.beqz', op: 'beq', match: 0xc001, mask: 0xe003, operands: { rs1: 'cRs1P', rs2: 0, imm: 'cB' }, syntax: 'rs1,target', ext: 'C' });
def({ mnemonic: 'c.bnez', op: 'bne', match: 0xe001, mask: 0xe003, operands: { rs1: 'cRs1P', rs2: 0, imm: 'cB' }, syntax: 'rs1,target', ext: 'C' });
// Quadrant 2
def({ mnemonic: 'c.slli', op: 'slli', match: 0x0002, mask: 0xe003, operands: { rd: 'cRd', rs1: 'cRd', imm: 'cUimm6' }, syntax: 'rd,imm', ext: 'C' });
def({ mnemonic: 'c.fldsp', op: 'fld', match: 0x2002, mask: 0xe003, operands: { rd: 'cRd', rs1: 2, imm: 'cLdsp' }, syntax: 'fd,imm(rs1)', ext: 'C' });
def({ mnemonic: 'c.lwsp', op: 'lw', match: 0x4002, mask: 0xe003, operands: { rd: 'cRd', rs1: 2, imm: 'cLwsp' }, syntax: 'rd,imm(rs1)', nonzero: ['rd'], ext: 'C' });
def({ mnemonic: 'c.ldsp', op: 'ld', match: 0x6002, mask: 0xe003, operands: { rd: 'cRd', rs1: 2, imm: 'cLdsp' }, syntax: 'rd,imm(rs1)', nonzero: ['rd'], ext: 'C' });
def({ mnemonic: 'c.jr', op: 'jalr', match: 0x8002, mask: 0xf07f, operands: { rd: 0, rs1: 'cRd', imm: 0 }, syntax: 'rs1', nonzero: ['rs1'], ext: 'C' });
def({ mnemonic: 'c.mv', op: 'add', match: 0x8002, mask: 0xf003, operands: { rd: 'cRd', rs1: 0, rs2: 'cRs2' }, syntax: 'rd,rs2', nonzero: ['rs2'], ext: 'C' });
def({ mnemonic: 'c.ebreak', op: 'ebreak', match: 0x9002, mask: 0xffff, operands: {}, syntax: '', ext: 'C' });
def({ mnemonic: 'c.jalr', op: 'jalr', match: 0x9002, mask: 0xf07f, operands: { rd: 1, rs1: 'cRd', imm: 0 }, syntax: 'rs1', nonzero: ['rs1'], ext: 'C' });
def({ mnemonic: 'c.add', op: 'add', match: 0x9002, mask: 0xf003, operands: { rd: 'cRd', rs1: 'cRd', rs2: 'cRs2' }, syntax: 'rd,rs2', nonzero: ['rs2'], ext: 'C' });
def({ mnemonic: 'c.fsdsp', op: 'fsd', match: 0xa002, mask: 0xe003, operands: { rs1: 2, rs2: 'cRs2', imm: 'cSdsp' }, syntax: 'fs2,imm(rs1)', ext: 'C' });
def({ mnemonic: 'c.swsp', op: 'sw', match: 0xc002, mask: 0xe003, operands: { rs1: 2, rs2: 'cRs2', imm: 'cSwsp' }, syntax: 'rs2,imm(rs1)', ext: 'C' });
def({ mnemonic: 'c.sdsp', op: 'sd', match: 0xe002, mask: 0xe003, operands: { rs1: 2, rs2: 'cRs2', imm: 'cSdsp' }, syntax: 'rs2,imm(rs1)', ext: 'C' });

export const table: readonly Row[] = rows;
