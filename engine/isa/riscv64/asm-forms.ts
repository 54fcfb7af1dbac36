// Every spelling the assembler accepts, derived from the encoding table: each
// row under its own mnemonic and syntax, each alias from aliases.ts, and the
// few gas spellings objdump never prints. A form may carry the compressed
// rows gas substitutes for it when the C extension is on. gas decides that
// per spelling, not per operation (`mv a0,zero` stays 32-bit, `li a0,0`
// becomes c.li), so the rules below are keyed by mnemonic; they were found by
// running riscv64-linux-gnu-as 2.40 over every operand combination.

import { aliases } from './aliases';
import { table, type Row, type Slot } from './table';

export type Slots = Partial<Record<Slot, number>>;

export interface CompressRule {
  readonly row: Row;
  /**
   * Where a compressed-row slot's value comes from when it is not the source
   * slot of the same name: another source slot, or a constant.
   */
  readonly from?: Readonly<Partial<Record<Slot, Slot | number>>>;
  /** Source slot values the rule requires. */
  readonly when?: Readonly<Slots>;
  /** Source slot values that rule it out (HINT encodings gas does not pick). */
  readonly exclude?: Readonly<Partial<Record<Slot, readonly number[]>>>;
  /** Also try with these two source slots exchanged (commutative operations). */
  readonly commute?: readonly [Slot, Slot];
}

export interface Form {
  readonly mnemonic: string;
  readonly syntax: string;
  readonly row: Row;
  /** Slot values the spelling implies. */
  readonly fixed: Readonly<Slots>;
  /** Encoding bits outside every slot (fence.tso). */
  readonly bits: number;
  /** A slot the spelling leaves out because it equals another: [from, to] (fmv.s's rs2 is its rs1). */
  readonly same?: readonly [Slot, Slot];
  readonly compress: readonly CompressRule[];
}

const rowByMnemonic = new Map<string, Row>();
for (const r of table) if (!rowByMnemonic.has(r.mnemonic)) rowByMnemonic.set(r.mnemonic, r);

export function tableRow(mnemonic: string): Row {
  const r = rowByMnemonic.get(mnemonic);
  if (!r) throw new Error(`internal: no table row ${mnemonic}`);
  return r;
}

const c = (mnemonic: string, rule: Omit<CompressRule, 'row'> = {}): CompressRule => ({ row: tableRow(mnemonic), ...rule });

const ZERO = 0;
const SP = 2;
const RM_DYNAMIC = 7;
const CSR_FFLAGS = 0x001;
const CSR_FRM = 0x002;
const CSR_FCSR = 0x003;
const NOT_ZERO = { rd: [ZERO] } as const;
const MV_FROM_ADDI = { from: { rs2: 'rs1', rs1: ZERO }, when: { imm: 0 }, exclude: NOT_ZERO } as const;

interface CompressEntry {
  readonly mnemonic: string;
  /** The 32-bit row the spelling assembles to. */
  readonly op: string;
  /** Only for this operand syntax (`jr rs1` compresses, `jr imm(rs1)` does not). */
  readonly syntax?: string;
  readonly rules: readonly CompressRule[];
}

const compressTable: readonly CompressEntry[] = [
  {
    mnemonic: 'addi', op: 'addi',
    rules: [
      c('c.nop'),
      c('c.addi', { exclude: { rd: [ZERO], imm: [0] } }),
      c('c.addi16sp'),
      c('c.addi4spn'),
      c('c.li', { exclude: NOT_ZERO }),
      c('c.mv', MV_FROM_ADDI),
    ],
  },
  { mnemonic: 'add', op: 'addi', rules: [c('c.addi', { exclude: NOT_ZERO }), c('c.addi16sp'), c('c.addi4spn')] },
  { mnemonic: 'li', op: 'addi', rules: [c('c.li', { exclude: NOT_ZERO })] },
  { mnemonic: 'mv', op: 'addi', rules: [c('c.mv', MV_FROM_ADDI)] },
  { mnemonic: 'nop', op: 'addi', rules: [c('c.nop')] },
  { mnemonic: 'add', op: 'add', rules: [c('c.mv', { exclude: NOT_ZERO }), c('c.add', { exclude: NOT_ZERO, commute: ['rs1', 'rs2'] })] },
  { mnemonic: 'addiw', op: 'addiw', rules: [c('c.addiw')] },
  { mnemonic: 'addw', op: 'addiw', rules: [c('c.addiw')] },
  { mnemonic: 'sext.w', op: 'addiw', rules: [c('c.addiw')] },
  { mnemonic: 'lui', op: 'lui', rules: [c('c.lui', { exclude: { rd: [ZERO, SP] } })] },
  { mnemonic: 'slli', op: 'slli', rules: [c('c.slli', { exclude: { rd: [ZERO], imm: [0] } })] },
  { mnemonic: 'sll', op: 'slli', rules: [c('c.slli', { exclude: { rd: [ZERO], imm: [0] } })] },
  { mnemonic: 'srli', op: 'srli', rules: [c('c.srli', { exclude: { imm: [0] } })] },
  { mnemonic: 'srl', op: 'srli', rules: [c('c.srli', { exclude: { imm: [0] } })] },
  { mnemonic: 'srai', op: 'srai', rules: [c('c.srai', { exclude: { imm: [0] } })] },
  { mnemonic: 'sra', op: 'srai', rules: [c('c.srai', { exclude: { imm: [0] } })] },
  { mnemonic: 'andi', op: 'andi', rules: [c('c.andi')] },
  { mnemonic: 'and', op: 'andi', rules: [c('c.andi')] },
  { mnemonic: 'and', op: 'and', rules: [c('c.and', { commute: ['rs1', 'rs2'] })] },
  { mnemonic: 'or', op: 'or', rules: [c('c.or', { commute: ['rs1', 'rs2'] })] },
  { mnemonic: 'xor', op: 'xor', rules: [c('c.xor', { commute: ['rs1', 'rs2'] })] },
  { mnemonic: 'sub', op: 'sub', rules: [c('c.sub')] },
  { mnemonic: 'addw', op: 'addw', rules: [c('c.addw', { commute: ['rs1', 'rs2'] })] },
  { mnemonic: 'subw', op: 'subw', rules: [c('c.subw')] },
  { mnemonic: 'lw', op: 'lw', rules: [c('c.lw'), c('c.lwsp')] },
  { mnemonic: 'ld', op: 'ld', rules: [c('c.ld'), c('c.ldsp')] },
  { mnemonic: 'sw', op: 'sw', rules: [c('c.sw'), c('c.swsp')] },
  { mnemonic: 'sd', op: 'sd', rules: [c('c.sd'), c('c.sdsp')] },
  { mnemonic: 'fld', op: 'fld', rules: [c('c.fld'), c('c.fldsp')] },
  { mnemonic: 'fsd', op: 'fsd', rules: [c('c.fsd'), c('c.fsdsp')] },
  { mnemonic: 'ebreak', op: 'ebreak', rules: [c('c.ebreak')] },
  { mnemonic: 'ret', op: 'jalr', rules: [c('c.jr')] },
  { mnemonic: 'jr', op: 'jalr', syntax: 'rs1', rules: [c('c.jr')] },
  { mnemonic: 'jalr', op: 'jalr', syntax: 'rs1', rules: [c('c.jalr')] },
  // Branches and jumps: the compressed row only says the branch may shrink;
  // relaxation decides by distance.
  { mnemonic: 'beq', op: 'beq', rules: [c('c.beqz')] },
  { mnemonic: 'bne', op: 'bne', rules: [c('c.bnez')] },
  { mnemonic: 'beqz', op: 'beq', rules: [c('c.beqz')] },
  { mnemonic: 'bnez', op: 'bne', rules: [c('c.bnez')] },
  { mnemonic: 'j', op: 'jal', rules: [c('c.j')] },
];

function compressFor(mnemonic: string, op: string, syntax: string): readonly CompressRule[] {
  const entry = compressTable.find((e) => e.mnemonic === mnemonic && e.op === op && (e.syntax === undefined || e.syntax === syntax));
  return entry?.rules ?? [];
}

/** Spellings gas accepts that objdump never prints, so aliases.ts lacks them. */
const gasOnly: readonly { mnemonic: string; op: string; syntax: string; fixed: Slots }[] = [
  { mnemonic: 'bgt', op: 'blt', syntax: 'rs2,rs1,target', fixed: {} },
  { mnemonic: 'ble', op: 'bge', syntax: 'rs2,rs1,target', fixed: {} },
  { mnemonic: 'bgtu', op: 'bltu', syntax: 'rs2,rs1,target', fixed: {} },
  { mnemonic: 'bleu', op: 'bgeu', syntax: 'rs2,rs1,target', fixed: {} },
  { mnemonic: 'sgt', op: 'slt', syntax: 'rd,rs2,rs1', fixed: {} },
  { mnemonic: 'sgtu', op: 'sltu', syntax: 'rd,rs2,rs1', fixed: {} },
  { mnemonic: 'slt', op: 'slti', syntax: 'rd,rs1,imm', fixed: {} },
  { mnemonic: 'sltu', op: 'sltiu', syntax: 'rd,rs1,imm', fixed: {} },
  { mnemonic: 'jr', op: 'jalr', syntax: 'rs1,imm', fixed: { rd: ZERO } },
  { mnemonic: 'csrwi', op: 'csrrwi', syntax: 'csr,imm', fixed: { rd: ZERO } },
  { mnemonic: 'csrsi', op: 'csrrsi', syntax: 'csr,imm', fixed: { rd: ZERO } },
  { mnemonic: 'csrci', op: 'csrrci', syntax: 'csr,imm', fixed: { rd: ZERO } },
  { mnemonic: 'jalr', op: 'jalr', syntax: 'rd,rs1,imm', fixed: {} },
  { mnemonic: 'fsrmi', op: 'csrrwi', syntax: 'imm', fixed: { rd: ZERO, csr: CSR_FRM } },
  { mnemonic: 'fsflagsi', op: 'csrrwi', syntax: 'imm', fixed: { rd: ZERO, csr: CSR_FFLAGS } },
  // The F extension's earlier names.
  { mnemonic: 'fmv.x.s', op: 'fmv.x.w', syntax: 'rd,fs1', fixed: {} },
  { mnemonic: 'fmv.s.x', op: 'fmv.w.x', syntax: 'fd,rs1', fixed: {} },
  { mnemonic: 'frsr', op: 'csrrs', syntax: 'rd', fixed: { csr: CSR_FCSR, rs1: ZERO } },
  { mnemonic: 'fssr', op: 'csrrw', syntax: 'rs1', fixed: { csr: CSR_FCSR, rd: ZERO } },
  { mnemonic: 'fssr', op: 'csrrw', syntax: 'rd,rs1', fixed: { csr: CSR_FCSR } },
];

const wideRowByOp = new Map<string, Row>();
for (const r of table) if (r.size === 4 && !wideRowByOp.has(r.mnemonic)) wideRowByOp.set(r.mnemonic, r);

function buildForms(): Map<string, Form[]> {
  const forms = new Map<string, Form[]>();
  const add = (form: Form): void => {
    const list = forms.get(form.mnemonic) ?? [];
    if (list.some((f) => f.syntax === form.syntax && f.row === form.row)) return;
    list.push(form);
    forms.set(form.mnemonic, list);
  };
  for (const r of table) {
    add({ mnemonic: r.mnemonic, syntax: r.syntax, row: r, fixed: {}, bits: 0, compress: r.size === 4 ? compressFor(r.mnemonic, r.mnemonic, r.syntax) : [] });
    // The rounding mode may be left out: it is then dynamic.
    if (r.syntax.endsWith(',rm')) add({ mnemonic: r.mnemonic, syntax: r.syntax.slice(0, -3), row: r, fixed: { rm: RM_DYNAMIC }, bits: 0, compress: [] });
  }
  // Aliases that apply to any row of an operation come before the ones tied
  // to a compressed row, which are explicit compressed spellings.
  for (const a of [...aliases.filter((x) => !x.rows), ...aliases.filter((x) => x.rows)]) {
    const r = a.rows ? rowByMnemonic.get(a.rows[0]!) : wideRowByOp.get(a.op);
    if (!r) continue;
    add({ mnemonic: a.name, syntax: a.syntax, row: r, fixed: a.when, bits: a.bits?.match ?? 0, compress: r.size === 4 ? compressFor(a.name, r.mnemonic, a.syntax) : [], ...(a.same ? { same: a.same } : {}) });
  }
  for (const g of gasOnly) {
    const r = wideRowByOp.get(g.op)!;
    add({ mnemonic: g.mnemonic, syntax: g.syntax, row: r, fixed: g.fixed, bits: 0, compress: compressFor(g.mnemonic, g.op, g.syntax) });
  }
  return forms;
}

/** Forms by mnemonic, in the order they are tried. */
export const forms: ReadonlyMap<string, readonly Form[]> = buildForms();

/** Memory-ordering suffixes of the A extension and the aq/rl bits they set. */
export const orderingSuffixes: readonly { suffix: string; aq: number; rl: number }[] = [
  { suffix: '.aqrl', aq: 1, rl: 1 },
  { suffix: '.aq', aq: 1, rl: 0 },
  { suffix: '.rl', aq: 0, rl: 1 },
];
