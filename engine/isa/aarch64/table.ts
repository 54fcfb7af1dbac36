// The A64 encoding table: one row per encoding (and per register width where
// the width changes the operand syntax). The decoder matches `match`/`mask`,
// checks `valid` and extracts `operands`; the disassembler prints `syntax`
// (objdump's name for the encoding, with the preferred aliases of aliases.ts
// layered on); a later assembler parses the same syntax and inserts the fields.
//
// Syntax tokens are `{kind:slot}` (or `{kind}` for kinds that read several
// slots); disasm.ts formats each kind. Register kinds: x, w (31 is the zero
// register), xsp, wsp (31 is the stack pointer), b/h/s/d/q (FP/SIMD scalars); the
// vector kinds are described in simd-syntax.ts.

import type { FieldName } from './fields';
import { fpRows } from './table-fp';
import { fpSimdRows } from './table-fp-simd';
import { simdRows } from './table-simd';

export type Slot =
  | 'sf' | 'q' | 'size' | 'rd' | 'rn' | 'rm' | 'ra' | 'rs' | 'rs2' | 'rt' | 'rt2'
  | 'imm' | 'sh' | 'n' | 'immr' | 'imms' | 'hw' | 'shift' | 'amount' | 'option' | 'ls'
  | 'cond' | 'nzcv' | 'bit' | 'sysreg' | 'op1' | 'op2' | 'crn' | 'crm' | 'cmode' | 'op' | 'idx' | 'idx2';

export type Group = 'dp-imm' | 'dp-reg' | 'load-store' | 'atomic' | 'branch' | 'system' | 'simd' | 'fp' | 'fp-simd';

export type Values = Readonly<Partial<Record<Slot, number>>>;

export interface Row {
  /** Unique row name: the mnemonic plus a form suffix (`add.imm.x`). */
  readonly id: string;
  /** objdump's name for the encoding when no alias applies. */
  readonly mnemonic: string;
  readonly group: Group;
  readonly match: number;
  readonly mask: number;
  readonly operands: Readonly<Partial<Record<Slot, FieldName>>>;
  readonly syntax: string;
  /** Further constraints; an encoding that fails them is unallocated for this row. */
  readonly valid?: (v: Values) => boolean;
  /** Access size in bytes for loads and stores (the element for pairs). */
  readonly bytes?: number;
}

const rows: Row[] = [];
function def(row: Row): void {
  // Bits a row lists in match but leaves out of mask are ones objdump ignores.
  rows.push({ ...row, match: (row.match & row.mask) >>> 0, mask: row.mask >>> 0 });
}

const widths = [[0, 'w'], [1, 'x']] as const;
const SF = 0x80000000;

// ---- Data processing, immediate ----------------------------------------------------
const addSub = ['add', 'adds', 'sub', 'subs'] as const;
for (const [sf, r] of widths) {
  addSub.forEach((m, i) => {
    const flags = (i & 1) === 1;
    def({
      id: `${m}.imm.${r}`, mnemonic: m, group: 'dp-imm', match: sf * SF + ((i << 29) | 0x11000000), mask: 0xff800000,
      operands: { sf: 'sf', rd: 'rd', rn: 'rn', imm: 'imm12', sh: 'sh' },
      syntax: `{${flags ? r : `${r}sp`}:rd}, {${r}sp:rn}, {#x:imm}{lsl12:sh}`,
    });
  });
  (['and', 'orr', 'eor', 'ands'] as const).forEach((m, opc) => {
    def({
      id: `${m}.imm.${r}`, mnemonic: m, group: 'dp-imm', match: sf * SF + ((opc << 29) | 0x12000000), mask: sf ? 0xff800000 : 0xffc00000,
      operands: { sf: 'sf', rd: 'rd', rn: 'rn', n: 'n', immr: 'immr', imms: 'imms' },
      syntax: `{${opc === 3 ? r : `${r}sp`}:rd}, {${r}:rn}, {bitmask}`,
      valid: (v) => decodeBitMask(v.n ?? 0, v.imms ?? 0, v.immr ?? 0, sf ? 64 : 32) !== undefined,
    });
  });
  (['movn', '', 'movz', 'movk'] as const).forEach((m, opc) => {
    if (m === '') return;
    def({
      id: `${m}.${r}`, mnemonic: m, group: 'dp-imm', match: sf * SF + ((opc << 29) | 0x12800000), mask: sf ? 0xff800000 : 0xffc00000,
      operands: { sf: 'sf', rd: 'rd', imm: 'imm16', hw: 'hw' },
      syntax: `{${r}:rd}, {#x:imm}{hw:hw}`,
    });
  });
  (['sbfm', 'bfm', 'ubfm'] as const).forEach((m, opc) => {
    def({
      id: `${m}.${r}`, mnemonic: m, group: 'dp-imm', match: sf * SF + ((opc << 29) | 0x13000000) + sf * 0x400000, mask: sf ? 0xffc00000 : 0xffe08000,
      operands: { sf: 'sf', rd: 'rd', rn: 'rn', immr: 'immr', imms: 'imms' },
      syntax: `{${r}:rd}, {${r}:rn}, {#d:immr}, {#d:imms}`,
    });
  });
  def({
    id: `extr.${r}`, mnemonic: 'extr', group: 'dp-imm', match: sf * SF + 0x13800000 + sf * 0x400000, mask: sf ? 0xffe00000 : 0xffe08000,
    operands: { sf: 'sf', rd: 'rd', rn: 'rn', rm: 'rm', imms: 'imms' },
    syntax: `{${r}:rd}, {${r}:rn}, {${r}:rm}, {#d:imms}`,
  });
}
def({ id: 'adr', mnemonic: 'adr', group: 'dp-imm', match: 0x10000000, mask: 0x9f000000, operands: { rd: 'rd', imm: 'adr' }, syntax: '{x:rd}, {target:imm}' });
def({ id: 'adrp', mnemonic: 'adrp', group: 'dp-imm', match: 0x90000000, mask: 0x9f000000, operands: { rd: 'rd', imm: 'adrp' }, syntax: '{x:rd}, {page:imm}' });

// ---- Data processing, register -------------------------------------------------------
const logical = [['and', 'bic'], ['orr', 'orn'], ['eor', 'eon'], ['ands', 'bics']] as const;
for (const [sf, r] of widths) {
  const sixBit = sf ? 0 : 0x8000; // a 32-bit shift amount above 31 is unallocated
  logical.forEach((pair, opc) => pair.forEach((m, neg) => {
    def({
      id: `${m}.sreg.${r}`, mnemonic: m, group: 'dp-reg', match: sf * SF + ((opc << 29) | 0x0a000000 | (neg << 21)), mask: 0xff200000 | sixBit,
      operands: { sf: 'sf', rd: 'rd', rn: 'rn', rm: 'rm', shift: 'shift', amount: 'imm6' },
      syntax: `{${r}:rd}, {${r}:rn}, {${r}:rm}{shift}`,
    });
  }));
  addSub.forEach((m, i) => {
    def({
      id: `${m}.sreg.${r}`, mnemonic: m, group: 'dp-reg', match: sf * SF + ((i << 29) | 0x0b000000), mask: 0xff200000 | sixBit,
      operands: { sf: 'sf', rd: 'rd', rn: 'rn', rm: 'rm', shift: 'shift', amount: 'imm6' },
      syntax: `{${r}:rd}, {${r}:rn}, {${r}:rm}{shift}`,
      valid: (v) => v.shift !== 3,
    });
    def({
      id: `${m}.ereg.${r}`, mnemonic: m, group: 'dp-reg', match: sf * SF + ((i << 29) | 0x0b200000), mask: 0xffe00000,
      operands: { sf: 'sf', rd: 'rd', rn: 'rn', rm: 'rm', option: 'option', amount: 'imm3' },
      syntax: `{${(i & 1) === 1 ? r : `${r}sp`}:rd}, {${r}sp:rn}, {extend}`,
      valid: (v) => (v.amount ?? 0) <= 4,
    });
  });
  (['adc', 'adcs', 'sbc', 'sbcs'] as const).forEach((m, i) => {
    def({
      id: `${m}.${r}`, mnemonic: m, group: 'dp-reg', match: sf * SF + ((i << 29) | 0x1a000000), mask: 0xffe0fc00,
      operands: { sf: 'sf', rd: 'rd', rn: 'rn', rm: 'rm' }, syntax: `{${r}:rd}, {${r}:rn}, {${r}:rm}`,
    });
  });
  ([['csel', 0, 0], ['csinc', 0, 1], ['csinv', 1, 0], ['csneg', 1, 1]] as const).forEach(([m, op, o2]) => {
    def({
      id: `${m}.${r}`, mnemonic: m, group: 'dp-reg', match: sf * SF + ((op << 30) | 0x1a800000 | (o2 << 10)), mask: 0xffe00c00,
      operands: { sf: 'sf', rd: 'rd', rn: 'rn', rm: 'rm', cond: 'cond' }, syntax: `{${r}:rd}, {${r}:rn}, {${r}:rm}, {cond:cond}`,
    });
  });
  ([['ccmn', 0], ['ccmp', 1]] as const).forEach(([m, op]) => {
    def({
      id: `${m}.reg.${r}`, mnemonic: m, group: 'dp-reg', match: sf * SF + ((op << 30) | 0x3a400000), mask: 0xffe00c10,
      operands: { sf: 'sf', rn: 'rn', rm: 'rm', nzcv: 'nzcv', cond: 'cond' }, syntax: `{${r}:rn}, {${r}:rm}, {#x:nzcv}, {cond:cond}`,
    });
    def({
      id: `${m}.imm.${r}`, mnemonic: m, group: 'dp-reg', match: sf * SF + ((op << 30) | 0x3a400800), mask: 0xffe00c10,
      operands: { sf: 'sf', rn: 'rn', imm: 'imm5', nzcv: 'nzcv', cond: 'cond' }, syntax: `{${r}:rn}, {#x:imm}, {#x:nzcv}, {cond:cond}`,
    });
  });
  ([['madd', 0], ['msub', 0x8000]] as const).forEach(([m, o0]) => {
    def({
      id: `${m}.${r}`, mnemonic: m, group: 'dp-reg', match: sf * SF + (0x1b000000 | o0), mask: 0xffe08000,
      operands: { sf: 'sf', rd: 'rd', rn: 'rn', rm: 'rm', ra: 'ra' }, syntax: `{${r}:rd}, {${r}:rn}, {${r}:rm}, {${r}:ra}`,
    });
  });
  ([['udiv', 2], ['sdiv', 3], ['lslv', 8], ['lsrv', 9], ['asrv', 10], ['rorv', 11]] as const).forEach(([m, opcode]) => {
    def({
      id: `${m}.${r}`, mnemonic: m, group: 'dp-reg', match: sf * SF + (0x1ac00000 | (opcode << 10)), mask: 0xffe0fc00,
      operands: { sf: 'sf', rd: 'rd', rn: 'rn', rm: 'rm' }, syntax: `{${r}:rd}, {${r}:rn}, {${r}:rm}`,
    });
  });
  const oneSource = sf
    ? ([['rbit', 0], ['rev16', 1], ['rev32', 2], ['rev', 3], ['clz', 4], ['cls', 5]] as const)
    : ([['rbit', 0], ['rev16', 1], ['rev', 2], ['clz', 4], ['cls', 5]] as const);
  for (const [m, opcode] of oneSource) {
    def({
      id: `${m}.${r}`, mnemonic: m, group: 'dp-reg', match: sf * SF + (0x5ac00000 | (opcode << 10)), mask: 0xfffffc00,
      operands: { sf: 'sf', rd: 'rd', rn: 'rn' }, syntax: `{${r}:rd}, {${r}:rn}`,
    });
  }
}
// CRC32 and CRC32C (Armv8.1 mandatory, optional in Armv8.0): sf 0 0 11010110 Rm 010 C sz Rn Rd, 64-bit data only in CRC32X/CX.
for (const [c, name] of [[0, 'crc32'], [1, 'crc32c']] as const) {
  (['b', 'h', 'w', 'x'] as const).forEach((sfx, sz) => {
    const sf = sz === 3 ? 1 : 0;
    def({
      id: `${name}${sfx}`, mnemonic: `${name}${sfx}`, group: 'dp-reg', match: sf * SF + (0x1ac04000 | (c << 12) | (sz << 10)), mask: 0xffe0fc00,
      operands: { rd: 'rd', rn: 'rn', rm: 'rm' }, syntax: `{w:rd}, {w:rn}, {${sf ? 'x' : 'w'}:rm}`,
    });
  });
}
([['smaddl', 0x9b200000], ['smsubl', 0x9b208000], ['umaddl', 0x9ba00000], ['umsubl', 0x9ba08000]] as const).forEach(([m, match]) => {
  def({
    id: m, mnemonic: m, group: 'dp-reg', match, mask: 0xffe08000,
    operands: { rd: 'rd', rn: 'rn', rm: 'rm', ra: 'ra' }, syntax: '{x:rd}, {w:rn}, {w:rm}, {x:ra}',
  });
});
([['smulh', 0x9b400000], ['umulh', 0x9bc00000]] as const).forEach(([m, match]) => {
  def({
    id: m, mnemonic: m, group: 'dp-reg', match, mask: 0xffe08000,
    operands: { rd: 'rd', rn: 'rn', rm: 'rm', ra: 'ra' }, syntax: '{x:rd}, {x:rn}, {x:rm}',
  });
});

// ---- Loads and stores ---------------------------------------------------------------
interface Access {
  readonly name: string;
  /** Unscaled-offset name (ldur...). */
  readonly unscaled: string;
  readonly size: number;
  readonly v: number;
  readonly opc: number;
  readonly reg: string;
  readonly bytes: number;
}
const access = (name: string, unscaled: string, size: number, v: number, opc: number, reg: string, bytes: number): Access => ({ name, unscaled, size, v, opc, reg, bytes });
const accesses: readonly Access[] = [
  access('strb', 'sturb', 0, 0, 0, 'w', 1), access('ldrb', 'ldurb', 0, 0, 1, 'w', 1),
  access('ldrsb', 'ldursb', 0, 0, 2, 'x', 1), access('ldrsb', 'ldursb', 0, 0, 3, 'w', 1),
  access('strh', 'sturh', 1, 0, 0, 'w', 2), access('ldrh', 'ldurh', 1, 0, 1, 'w', 2),
  access('ldrsh', 'ldursh', 1, 0, 2, 'x', 2), access('ldrsh', 'ldursh', 1, 0, 3, 'w', 2),
  access('str', 'stur', 2, 0, 0, 'w', 4), access('ldr', 'ldur', 2, 0, 1, 'w', 4), access('ldrsw', 'ldursw', 2, 0, 2, 'x', 4),
  access('str', 'stur', 3, 0, 0, 'x', 8), access('ldr', 'ldur', 3, 0, 1, 'x', 8),
  access('str', 'stur', 0, 1, 0, 'b', 1), access('ldr', 'ldur', 0, 1, 1, 'b', 1),
  access('str', 'stur', 0, 1, 2, 'q', 16), access('ldr', 'ldur', 0, 1, 3, 'q', 16),
  access('str', 'stur', 1, 1, 0, 'h', 2), access('ldr', 'ldur', 1, 1, 1, 'h', 2),
  access('str', 'stur', 2, 1, 0, 's', 4), access('ldr', 'ldur', 2, 1, 1, 's', 4),
  access('str', 'stur', 3, 1, 0, 'd', 8), access('ldr', 'ldur', 3, 1, 1, 'd', 8),
];
const prfm = access('prfm', 'prfum', 3, 0, 2, 'prfop', 8);
const scaled: Record<number, FieldName> = { 1: 'uoff0', 2: 'uoff1', 4: 'uoff2', 8: 'uoff3', 16: 'uoff4' };
for (const a of [...accesses, prfm]) {
  const base = ((a.size << 30) | 0x38000000 | (a.v << 26) | (a.opc << 22)) >>> 0;
  const form = `${a.name}.${a.reg}`;
  const rt = `{${a.reg}:rt}`;
  const ops = { rt: 'rt', rn: 'rn' } as const;
  def({ id: `${form}.uoff`, mnemonic: a.name, group: 'load-store', match: base | 0x01000000, mask: 0xffc00000, operands: { ...ops, imm: scaled[a.bytes]! }, syntax: `${rt}, [{xsp:rn}{off:imm}]`, bytes: a.bytes });
  def({ id: `${form}.unscaled`, mnemonic: a.unscaled, group: 'load-store', match: base, mask: 0xffe00c00, operands: { ...ops, imm: 'imm9' }, syntax: `${rt}, [{xsp:rn}{off:imm}]`, bytes: a.bytes });
  def({
    id: `${form}.reg`, mnemonic: a.name, group: 'load-store', match: base | 0x00200800, mask: 0xffe00c00, operands: { ...ops, rm: 'rm', option: 'option', ls: 'ldS' },
    syntax: `${rt}, [{xsp:rn}, {index}]`, bytes: a.bytes, valid: (v) => ((v.option ?? 0) & 2) !== 0,
  });
  if (a === prfm) continue;
  // LDTR/STTR and the rest of the unprivileged family: the unscaled form with EL0's permissions, general registers only.
  if (!a.v) {
    const m = a.name.replace(/^(ld|st)r/, '$1tr');
    def({ id: `${form}.unpriv`, mnemonic: m, group: 'load-store', match: base | 0x800, mask: 0xffe00c00, operands: { ...ops, imm: 'imm9' }, syntax: `${rt}, [{xsp:rn}{off:imm}]`, bytes: a.bytes });
  }
  def({ id: `${form}.post`, mnemonic: a.name, group: 'load-store', match: base | 0x400, mask: 0xffe00c00, operands: { ...ops, imm: 'imm9' }, syntax: `${rt}, [{xsp:rn}], {#d:imm}`, bytes: a.bytes });
  def({ id: `${form}.pre`, mnemonic: a.name, group: 'load-store', match: base | 0xc00, mask: 0xffe00c00, operands: { ...ops, imm: 'imm9' }, syntax: `${rt}, [{xsp:rn}, {#d:imm}]!`, bytes: a.bytes });
}
([['w', 0x18000000, 4], ['x', 0x58000000, 8], ['s', 0x1c000000, 4], ['d', 0x5c000000, 8], ['q', 0x9c000000, 16]] as const).forEach(([reg, match, bytes]) => {
  def({ id: `ldr.${reg}.lit`, mnemonic: 'ldr', group: 'load-store', match, mask: 0xff000000, operands: { rt: 'rt', imm: 'br19' }, syntax: `{${reg}:rt}, {target:imm}`, bytes });
});
def({ id: 'ldrsw.lit', mnemonic: 'ldrsw', group: 'load-store', match: 0x98000000, mask: 0xff000000, operands: { rt: 'rt', imm: 'br19' }, syntax: '{x:rt}, {target:imm}', bytes: 4 });
def({ id: 'prfm.lit', mnemonic: 'prfm', group: 'load-store', match: 0xd8000000, mask: 0xff000000, operands: { rt: 'rt', imm: 'br19' }, syntax: '{prfop:rt}, {target:imm}', bytes: 8 });

const pairs = [
  ['w', 0, 0, 4, 'poff2'], ['ldpsw', 1, 0, 4, 'poff2'], ['x', 2, 0, 8, 'poff3'],
  ['s', 0, 1, 4, 'poff2'], ['d', 1, 1, 8, 'poff3'], ['q', 2, 1, 16, 'poff4'],
] as const;
for (const [reg, opc, v, bytes, off] of pairs) {
  for (const load of [0, 1]) {
    const isLdpsw = reg === 'ldpsw';
    if (isLdpsw && !load) continue;
    const r = isLdpsw ? 'x' : reg;
    const name = isLdpsw ? 'ldpsw' : load ? 'ldp' : 'stp';
    const regs = `{${r}:rt}, {${r}:rt2}`;
    const base = ((opc << 30) | 0x28000000 | (v << 26) | (load << 22)) >>> 0;
    const ops = { rt: 'rt', rt2: 'rt2', rn: 'rn', imm: off } as const;
    const modes = [
      ['post', 1, `${regs}, [{xsp:rn}], {#d:imm}`], ['off', 2, `${regs}, [{xsp:rn}{off:imm}]`], ['pre', 3, `${regs}, [{xsp:rn}, {#d:imm}]!`],
    ] as const;
    for (const [mode, bits, syntax] of modes) {
      // objdump rejects an LDPSW that loads one register twice or writes back into a loaded register.
      const valid = isLdpsw ? (v: Values) => v.rt !== v.rt2 && (mode === 'off' || v.rn === 31 || (v.rn !== v.rt && v.rn !== v.rt2)) : undefined;
      def({ id: `${name}.${r}.${mode}`, mnemonic: name, group: 'load-store', match: base | (bits << 23), mask: 0xffc00000, operands: ops, syntax, bytes, ...(valid ? { valid } : {}) });
    }
    if (!isLdpsw) {
      const nt = load ? 'ldnp' : 'stnp';
      def({ id: `${nt}.${r}`, mnemonic: nt, group: 'load-store', match: base, mask: 0xffc00000, operands: ops, syntax: `${regs}, [{xsp:rn}{off:imm}]`, bytes });
    }
  }
}

// Exclusives and acquire/release: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt.
const sizeSuffix = ['b', 'h', '', ''] as const;
for (let size = 0; size < 4; size++) {
  const r = size === 3 ? 'x' : 'w';
  const sfx = sizeSuffix[size]!;
  const base = ((size << 30) | 0x08000000) >>> 0;
  const ex = [
    [`stxr${sfx}`, 0x00007c00, 0xffe08000, `{w:rs}, {${r}:rt}, [{xsp:rn}]`],
    [`stlxr${sfx}`, 0x0000fc00, 0xffe08000, `{w:rs}, {${r}:rt}, [{xsp:rn}]`],
    [`ldxr${sfx}`, 0x005f7c00, 0xffe08000, `{${r}:rt}, [{xsp:rn}]`],
    [`ldaxr${sfx}`, 0x005ffc00, 0xffe08000, `{${r}:rt}, [{xsp:rn}]`],
    [`stllr${sfx}`, 0x009f7c00, 0xffe08000, `{${r}:rt}, [{xsp:rn}]`],
    [`stlr${sfx}`, 0x009ffc00, 0xffe08000, `{${r}:rt}, [{xsp:rn}]`],
    [`ldlar${sfx}`, 0x00df7c00, 0xffe08000, `{${r}:rt}, [{xsp:rn}]`],
    [`ldar${sfx}`, 0x00dffc00, size === 1 ? 0xfffffc00 : 0xffeffc00, `{${r}:rt}, [{xsp:rn}]`],
  ] as const;
  for (const [m, bits, mask, syntax] of ex) {
    def({ id: `${m}.${r}`, mnemonic: m, group: 'atomic', match: base | bits, mask, operands: { rs: 'rs', rt: 'rt', rn: 'rn' }, syntax, bytes: 1 << size });
  }
  if (size >= 2) {
    const pairEx = [
      ['stxp', 0x00200000, 0xffe08000, `{w:rs}, {${r}:rt}, {${r}:rt2}, [{xsp:rn}]`],
      ['stlxp', 0x00208000, 0xffe08000, `{w:rs}, {${r}:rt}, {${r}:rt2}, [{xsp:rn}]`],
      ['ldxp', 0x007f0000, 0xffe08000, `{${r}:rt}, {${r}:rt2}, [{xsp:rn}]`],
      ['ldaxp', 0x007f8000, 0xffe08000, `{${r}:rt}, {${r}:rt2}, [{xsp:rn}]`],
    ] as const;
    for (const [m, bits, mask, syntax] of pairEx) {
      def({ id: `${m}.${r}`, mnemonic: m, group: 'atomic', match: base | bits, mask, operands: { rs: 'rs', rt: 'rt', rt2: 'rt2', rn: 'rn' }, syntax, bytes: 1 << size });
    }
  }
  // ARMv8.1 compare-and-swap: L is acquire, o0 release.
  for (const [order, bits] of [['', 0], ['a', 0x400000], ['l', 0x8000], ['al', 0x408000]] as const) {
    const m = `cas${order}${sfx}`;
    def({ id: `${m}.${r}`, mnemonic: m, group: 'atomic', match: base | 0x00a07c00 | bits, mask: 0xffe0fc00, operands: { rs: 'rs', rt: 'rt', rn: 'rn' }, syntax: `{${r}:rs}, {${r}:rt}, [{xsp:rn}]`, bytes: 1 << size });
  }
  // ARMv8.1 compare-and-swap of a pair: 0 sz 001000 0 L 1 Rs o0 11111 Rn Rt, both pairs starting at an even register.
  if (size >= 2) {
    for (const [order, bits] of [['', 0], ['a', 0x400000], ['l', 0x8000], ['al', 0x408000]] as const) {
      const m = `casp${order}`;
      def({
        id: `${m}.${r}`, mnemonic: m, group: 'atomic', match: (((size & 1) << 30) | 0x08207c00 | bits) >>> 0, mask: 0xffe0fc00,
        operands: { rs: 'rs', rs2: 'rsPair', rt: 'rt', rt2: 'rtPair', rn: 'rn' }, syntax: `{${r}:rs}, {${r}:rs2}, {${r}:rt}, {${r}:rt2}, [{xsp:rn}]`,
        valid: (v) => ((v.rs! | v.rt!) & 1) === 0, bytes: 1 << size,
      });
    }
  }
  // ARMv8.1 atomic memory operations: size 111000 A R 1 Rs o3 opc 00 Rn Rt.
  const amos = [['ldadd', 0], ['ldclr', 1], ['ldeor', 2], ['ldset', 3], ['ldsmax', 4], ['ldsmin', 5], ['ldumax', 6], ['ldumin', 7], ['swp', 8]] as const;
  for (const [op, code] of amos) {
    for (const [order, bits] of [['', 0], ['a', 0x800000], ['l', 0x400000], ['al', 0xc00000]] as const) {
      const m = `${op}${order}${sfx}`;
      def({
        id: `${m}.${r}`, mnemonic: m, group: 'atomic', match: ((size << 30) | 0x38200000 | bits | (code << 12)) >>> 0, mask: 0xffe0fc00,
        operands: { rs: 'rs', rt: 'rt', rn: 'rn' }, syntax: `{${r}:rs}, {${r}:rt}, [{xsp:rn}]`, bytes: 1 << size,
      });
    }
  }
}

// ---- Branches ---------------------------------------------------------------------------
def({ id: 'b', mnemonic: 'b', group: 'branch', match: 0x14000000, mask: 0xfc000000, operands: { imm: 'br26' }, syntax: '{target:imm}' });
def({ id: 'bl', mnemonic: 'bl', group: 'branch', match: 0x94000000, mask: 0xfc000000, operands: { imm: 'br26' }, syntax: '{target:imm}' });
export const conditionNames = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'] as const;
conditionNames.forEach((c, cond) => {
  def({ id: `b.${c}`, mnemonic: `b.${c}`, group: 'branch', match: 0x54000000 | cond, mask: 0xff00001f, operands: { imm: 'br19' }, syntax: '{target:imm}{bcondnote}' });
});
for (const [sf, r] of widths) {
  def({ id: `cbz.${r}`, mnemonic: 'cbz', group: 'branch', match: sf * SF + 0x34000000, mask: 0xff000000, operands: { rt: 'rt', imm: 'br19' }, syntax: `{${r}:rt}, {target:imm}` });
  def({ id: `cbnz.${r}`, mnemonic: 'cbnz', group: 'branch', match: sf * SF + 0x35000000, mask: 0xff000000, operands: { rt: 'rt', imm: 'br19' }, syntax: `{${r}:rt}, {target:imm}` });
  def({ id: `tbz.${r}`, mnemonic: 'tbz', group: 'branch', match: sf * SF + 0x36000000, mask: 0xff000000, operands: { rt: 'rt', bit: 'bitpos', imm: 'br14' }, syntax: `{${r}:rt}, {#d:bit}, {target:imm}` });
  def({ id: `tbnz.${r}`, mnemonic: 'tbnz', group: 'branch', match: sf * SF + 0x37000000, mask: 0xff000000, operands: { rt: 'rt', bit: 'bitpos', imm: 'br14' }, syntax: `{${r}:rt}, {#d:bit}, {target:imm}` });
}
def({ id: 'br', mnemonic: 'br', group: 'branch', match: 0xd61f0000, mask: 0xfffffc1f, operands: { rn: 'rn' }, syntax: '{x:rn}' });
def({ id: 'blr', mnemonic: 'blr', group: 'branch', match: 0xd63f0000, mask: 0xfffffc1f, operands: { rn: 'rn' }, syntax: '{x:rn}' });
def({ id: 'ret', mnemonic: 'ret', group: 'branch', match: 0xd65f0000, mask: 0xfffffc1f, operands: { rn: 'rn' }, syntax: '{x:rn}' });
def({ id: 'eret', mnemonic: 'eret', group: 'branch', match: 0xd69f03e0, mask: 0xffffffff, operands: {}, syntax: '' });

// ---- Exceptions and system ------------------------------------------------------------------
([['svc', 0xd4000001], ['hvc', 0xd4000002], ['smc', 0xd4000003], ['brk', 0xd4200000], ['hlt', 0xd4400000]] as const).forEach(([m, match]) => {
  def({ id: m, mnemonic: m, group: 'system', match, mask: 0xffe0001f, operands: { imm: 'imm16' }, syntax: '{#x:imm}' });
});
def({ id: 'udf', mnemonic: 'udf', group: 'system', match: 0x00000000, mask: 0xffff0000, operands: { imm: 'udf16' }, syntax: '{#d:imm}' });
def({ id: 'hint', mnemonic: 'hint', group: 'system', match: 0xd503201f, mask: 0xfffff01f, operands: { imm: 'hint' }, syntax: '{#x:imm}' });
def({ id: 'clrex', mnemonic: 'clrex', group: 'system', match: 0xd503305f, mask: 0xfffff0ff, operands: { crm: 'crm' }, syntax: '{clrex}' });
def({ id: 'dsb', mnemonic: 'dsb', group: 'system', match: 0xd503309f, mask: 0xfffff0ff, operands: { crm: 'crm' }, syntax: '{barrier:crm}' });
def({ id: 'dmb', mnemonic: 'dmb', group: 'system', match: 0xd50330bf, mask: 0xfffff0ff, operands: { crm: 'crm' }, syntax: '{barrier:crm}' });
def({ id: 'isb', mnemonic: 'isb', group: 'system', match: 0xd50330df, mask: 0xfffff0ff, operands: { crm: 'crm' }, syntax: '{isb}' });
def({
  id: 'msr.pstate', mnemonic: 'msr', group: 'system', match: 0xd500401f, mask: 0xfff8f01f, operands: { op1: 'op1', op2: 'op2', crm: 'crm' },
  syntax: '{pstate}',
});
def({ id: 'sys', mnemonic: 'sys', group: 'system', match: 0xd5080000, mask: 0xfff80000, operands: { op1: 'op1', crn: 'crn', crm: 'crm', op2: 'op2', rt: 'rt' }, syntax: '{sys}' });
def({ id: 'sysl', mnemonic: 'sysl', group: 'system', match: 0xd5280000, mask: 0xfff80000, operands: { op1: 'op1', crn: 'crn', crm: 'crm', op2: 'op2', rt: 'rt' }, syntax: '{x:rt}, {#d:op1}, {cn:crn}, {cn:crm}, {#d:op2}' });
def({ id: 'msr.reg', mnemonic: 'msr', group: 'system', match: 0xd5100000, mask: 0xfff00000, operands: { sysreg: 'sysreg', rt: 'rt' }, syntax: '{sysreg}, {x:rt}' });
def({ id: 'mrs', mnemonic: 'mrs', group: 'system', match: 0xd5300000, mask: 0xfff00000, operands: { sysreg: 'sysreg', rt: 'rt' }, syntax: '{x:rt}, {sysreg}' });

// ---- Advanced SIMD ---------------------------------------------------------------------
for (const r of simdRows) def(r);

// ---- Scalar floating point (table-fp.ts) ------------------------------------------------
for (const row of fpRows) def(row);

// ---- Advanced SIMD floating point (table-fp-simd.ts) -------------------------------------
for (const row of fpSimdRows) def(row);

export const table: readonly Row[] = rows;

// ---- Helpers the table's constraints share with the printer ------------------------------

/**
 * The Arm ARM's DecodeBitMasks for a logical immediate (the `wmask`), as a
 * bigint of `width` bits; undefined for the reserved patterns.
 */
export function decodeBitMask(n: number, imms: number, immr: number, width: 32 | 64): bigint | undefined {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return undefined;
  const len = 31 - Math.clz32(combined);
  if (len < 1 || (len === 6 && width === 32)) return undefined;
  const levels = (1 << len) - 1;
  const s = imms & levels;
  if (s === levels) return undefined;
  const r = immr & levels;
  const esize = 1 << len;
  const ones = (1n << BigInt(s + 1)) - 1n;
  const emask = (1n << BigInt(esize)) - 1n;
  const rotated = r === 0 ? ones : ((ones >> BigInt(r)) | (ones << BigInt(esize - r))) & emask;
  let out = 0n;
  for (let at = 0; at < width; at += esize) out |= rotated << BigInt(at);
  return out;
}
