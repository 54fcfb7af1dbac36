// Instruction semantics, written once as JavaScript source fragments. The
// interpreter compiles each fragment into a function whose operands are
// parameters; the block translator splices the same fragment into a block with
// the operands as constants and registers held in locals. Both therefore
// execute the very same code.
//
// Conventions inside a fragment:
//   o.reg(r, 0|1) the low or high word of operand x register r (rd, rs1, rs2);
//                 writes to rd when rd is x0 land somewhere harmless
//   o.freg(r, 0|1) the same for an operand f register (rd, rs1, rs2, rs3)
//   c        the Hart (memory helpers lb..ld, sb..sd; the fault flag; hi32,
//            where helpers leave the high word of a 64-bit result)
//   h        helpers (wide multiply/divide, atomics)
//   next     the next pc; pre-set to the fall-through address
//   o.fault  code to run right after a helper reported a fault
//
// Every operation has a Kind saying how it takes part in control flow; the
// translator and the interpreter ask for it rather than keeping lists.

import { AMO_KINDS } from './atomics';
import { floatMemory, floatOps } from './sem-float';
import { table, type RegSlot, type Row } from './table';

export type RegOperand = 'rd' | 'rs1' | 'rs2';

export interface Operands {
  readonly reg: (which: RegOperand, half: 0 | 1) => string;
  readonly freg: (which: RegSlot, half: 0 | 1) => string;
  readonly imm: string;
  readonly csr: string;
  /** The rounding-mode field. */
  readonly rm: string;
  /** The instruction's bits (the tval of an illegal instruction). */
  readonly raw: string;
  readonly pc: string;
  readonly npc: string;
  readonly fault: string;
  /** The decoded instruction, for system instructions' hooks. */
  readonly insn: string;
}

export type Fragment = (o: Operands) => string;

const set = (o: Operands, l: string, h: string) => `${o.reg('rd', 0)}=${l};${o.reg('rd', 1)}=${h};`;
const set32 = (o: Operands, v: string) => `{const r=${v};${o.reg('rd', 0)}=r;${o.reg('rd', 1)}=r>>31;}`;
/** Operand b as an immediate. */
const immPair = (o: Operands) => `const bl=${o.imm}|0,bh=${o.imm}<0?-1:0;`;
const regPair = (o: Operands) => `const bl=${o.reg('rs2', 0)},bh=${o.reg('rs2', 1)};`;
const aPair = (o: Operands) => `const al=${o.reg('rs1', 0)},ah=${o.reg('rs1', 1)};`;
/** The effective address rs1 + imm as a number. */
const addr = (o: Operands) => `(${o.reg('rs1', 1)}*4294967296+(${o.reg('rs1', 0)}>>>0)+${o.imm})`;
const lo1 = (o: Operands) => o.reg('rs1', 0);
const lo2 = (o: Operands) => o.reg('rs2', 0);

const addBody = (o: Operands) => `const l=(al>>>0)+(bl>>>0);` + set(o, 'l|0', '(ah+bh+(l>4294967295?1:0))|0');
const subBody = (o: Operands) => `const l=(al>>>0)-(bl>>>0);` + set(o, 'l|0', '(ah-bh-(l<0?1:0))|0');
const sltBody = (o: Operands) => set(o, '(ah<bh||(ah===bh&&(al>>>0)<(bl>>>0)))?1:0', '0');
const sltuBody = (o: Operands) => set(o, '((ah>>>0)<(bh>>>0)||(ah===bh&&(al>>>0)<(bl>>>0)))?1:0', '0');
const sllBody = (o: Operands) =>
  `let l,hh;if(s===0){l=al;hh=ah;}else if(s<32){hh=(ah<<s)|(al>>>(32-s));l=al<<s;}else{hh=al<<(s-32);l=0;}` + set(o, 'l', 'hh');
const srlBody = (o: Operands) =>
  `let l,hh;if(s===0){l=al;hh=ah;}else if(s<32){l=(al>>>s)|(ah<<(32-s));hh=ah>>>s;}else{l=ah>>>(s-32);hh=0;}` + set(o, 'l|0', 'hh|0');
const sraBody = (o: Operands) =>
  `let l,hh;if(s===0){l=al;hh=ah;}else if(s<32){l=(al>>>s)|(ah<<(32-s));hh=ah>>s;}else{l=ah>>(s-32);hh=ah>>31;}` + set(o, 'l|0', 'hh');
/** A helper returning the low word and leaving the high word in c.hi32. */
const wide = (o: Operands, call: string) => `{${aPair(o)}${regPair(o)}const v=${call};` + set(o, 'v', 'c.hi32') + `}`;

/** rd = the address of the next instruction (the link of jal and jalr). */
const linkFragment: Fragment = (o) => `{const v=${o.npc};` + set(o, 'v|0', 'Math.floor(v/4294967296)|0') + `}`;
const jalrFragment: Fragment = (o) => `{const t=h.jumpTarget(${o.reg('rs1', 1)},${o.reg('rs1', 0)},${o.imm});` + linkFragment(o) + `next=t;}`;

const load = (o: Operands, call: string, high: string) =>
  `{const v=c.${call}(${addr(o)});if(c.fault){${o.fault}}` + set(o, 'v', high) + `}`;

/** Straight-line integer operations: they never trap. */
const straightLine: Readonly<Record<string, Fragment>> = {
  lui: (o) => set(o, `${o.imm}|0`, `${o.imm}<0?-1:0`),
  auipc: (o) => `{const v=${o.pc}+${o.imm};` + set(o, 'v|0', 'Math.floor(v/4294967296)|0') + `}`,

  addi: (o) => `{${aPair(o)}${immPair(o)}${addBody(o)}}`,
  slti: (o) => `{${aPair(o)}${immPair(o)}${sltBody(o)}}`,
  sltiu: (o) => `{${aPair(o)}${immPair(o)}${sltuBody(o)}}`,
  xori: (o) => `{${aPair(o)}${immPair(o)}` + set(o, 'al^bl', 'ah^bh') + `}`,
  ori: (o) => `{${aPair(o)}${immPair(o)}` + set(o, 'al|bl', 'ah|bh') + `}`,
  andi: (o) => `{${aPair(o)}${immPair(o)}` + set(o, 'al&bl', 'ah&bh') + `}`,
  slli: (o) => `{${aPair(o)}const s=${o.imm};${sllBody(o)}}`,
  srli: (o) => `{${aPair(o)}const s=${o.imm};${srlBody(o)}}`,
  srai: (o) => `{${aPair(o)}const s=${o.imm};${sraBody(o)}}`,
  addiw: (o) => set32(o, `(${lo1(o)}+${o.imm})|0`),
  slliw: (o) => set32(o, `${lo1(o)}<<${o.imm}`),
  srliw: (o) => set32(o, `(${lo1(o)}>>>${o.imm})|0`),
  sraiw: (o) => set32(o, `${lo1(o)}>>${o.imm}`),

  add: (o) => `{${aPair(o)}${regPair(o)}${addBody(o)}}`,
  sub: (o) => `{${aPair(o)}${regPair(o)}${subBody(o)}}`,
  sll: (o) => `{${aPair(o)}const s=${lo2(o)}&63;${sllBody(o)}}`,
  slt: (o) => `{${aPair(o)}${regPair(o)}${sltBody(o)}}`,
  sltu: (o) => `{${aPair(o)}${regPair(o)}${sltuBody(o)}}`,
  xor: (o) => `{${aPair(o)}${regPair(o)}` + set(o, 'al^bl', 'ah^bh') + `}`,
  srl: (o) => `{${aPair(o)}const s=${lo2(o)}&63;${srlBody(o)}}`,
  sra: (o) => `{${aPair(o)}const s=${lo2(o)}&63;${sraBody(o)}}`,
  or: (o) => `{${aPair(o)}${regPair(o)}` + set(o, 'al|bl', 'ah|bh') + `}`,
  and: (o) => `{${aPair(o)}${regPair(o)}` + set(o, 'al&bl', 'ah&bh') + `}`,
  addw: (o) => set32(o, `(${lo1(o)}+${lo2(o)})|0`),
  subw: (o) => set32(o, `(${lo1(o)}-${lo2(o)})|0`),
  sllw: (o) => set32(o, `${lo1(o)}<<(${lo2(o)}&31)`),
  srlw: (o) => set32(o, `(${lo1(o)}>>>(${lo2(o)}&31))|0`),
  sraw: (o) => set32(o, `${lo1(o)}>>(${lo2(o)}&31)`),

  mul: (o) => `{${aPair(o)}${regPair(o)}` + set(o, 'Math.imul(al,bl)', '(h.mulhu32(al,bl)+Math.imul(al,bh)+Math.imul(ah,bl))|0') + `}`,
  mulh: (o) => wide(o, 'h.mulh(c,al,ah,bl,bh,1,1)'),
  mulhsu: (o) => wide(o, 'h.mulh(c,al,ah,bl,bh,1,0)'),
  mulhu: (o) => wide(o, 'h.mulh(c,al,ah,bl,bh,0,0)'),
  div: (o) => wide(o, 'h.div(c,al,ah,bl,bh,0)'),
  divu: (o) => wide(o, 'h.div(c,al,ah,bl,bh,1)'),
  rem: (o) => wide(o, 'h.div(c,al,ah,bl,bh,2)'),
  remu: (o) => wide(o, 'h.div(c,al,ah,bl,bh,3)'),
  mulw: (o) => set32(o, `Math.imul(${lo1(o)},${lo2(o)})`),
  divw: (o) => `{const a=${lo1(o)},b=${lo2(o)};` + set32(o, 'b===0?-1:(a===-2147483648&&b===-1)?a:(a/b)|0') + `}`,
  divuw: (o) => `{const a=${lo1(o)}>>>0,b=${lo2(o)}>>>0;` + set32(o, 'b===0?-1:(a/b)|0') + `}`,
  remw: (o) => `{const a=${lo1(o)},b=${lo2(o)};` + set32(o, 'b===0?a:(a===-2147483648&&b===-1)?0:(a%b)|0') + `}`,
  remuw: (o) => `{const a=${lo1(o)}>>>0,b=${lo2(o)}>>>0;` + set32(o, 'b===0?a|0:(a%b)|0') + `}`,

  fence: () => ``,
};

/** Loads and stores: they may fault or reach a device. */
const memory: Readonly<Record<string, Fragment>> = {
  lb: (o) => load(o, 'lb', 'v>>31'),
  lh: (o) => load(o, 'lh', 'v>>31'),
  lw: (o) => load(o, 'lw', 'v>>31'),
  lbu: (o) => load(o, 'lbu', '0'),
  lhu: (o) => load(o, 'lhu', '0'),
  lwu: (o) => load(o, 'lw', '0'),
  ld: (o) => load(o, 'ld', 'c.hi32'),
  sb: (o) => `c.sb(${addr(o)},${lo2(o)});if(c.fault){${o.fault}}`,
  sh: (o) => `c.sh(${addr(o)},${lo2(o)});if(c.fault){${o.fault}}`,
  sw: (o) => `c.sw(${addr(o)},${lo2(o)});if(c.fault){${o.fault}}`,
  sd: (o) => `c.sd(${addr(o)},${lo2(o)},${o.reg('rs2', 1)});if(c.fault){${o.fault}}`,
};

/** Branch conditions: a JS boolean expression over the operands. */
const signedLess = (a0: string, a1: string, b0: string, b1: string) => `(${a1}<${b1}||(${a1}===${b1}&&(${a0}>>>0)<(${b0}>>>0)))`;
const unsignedLess = (a0: string, a1: string, b0: string, b1: string) => `((${a1}>>>0)<(${b1}>>>0)||(${a1}===${b1}&&(${a0}>>>0)<(${b0}>>>0)))`;
const ops4 = (o: Operands): [string, string, string, string] => [o.reg('rs1', 0), o.reg('rs1', 1), o.reg('rs2', 0), o.reg('rs2', 1)];

const branchConditions: Readonly<Record<string, Fragment>> = {
  beq: (o) => { const [a0, a1, b0, b1] = ops4(o); return `(${a0}===${b0}&&${a1}===${b1})`; },
  bne: (o) => { const [a0, a1, b0, b1] = ops4(o); return `(${a0}!==${b0}||${a1}!==${b1})`; },
  blt: (o) => signedLess(...ops4(o)),
  bge: (o) => `!${signedLess(...ops4(o))}`,
  bltu: (o) => unsignedLess(...ops4(o)),
  bgeu: (o) => `!${unsignedLess(...ops4(o))}`,
};

/** LR, SC and the AMOs, by the operation's name and width (`amoadd.w`). */
function atomic(op: string): Fragment | undefined {
  const [name, width] = op.split('.');
  const size = width === 'w' ? 4 : width === 'd' ? 8 : 0;
  if (!name || size === 0) return undefined;
  const kind = name === 'lr' || name === 'sc' ? name : AMO_KINDS[name];
  if (kind === undefined) return undefined;
  return (o) => {
    const a = `(${o.reg('rs1', 1)}*4294967296+(${o.reg('rs1', 0)}>>>0))`;
    const b = `${o.reg('rs2', 0)},${o.reg('rs2', 1)}`;
    const result = (call: string, high: string) => `{const v=${call};if(c.fault){${o.fault}}` + set(o, 'v', high) + `}`;
    if (kind === 'lr') return result(`h.loadReserved(c,c.reservations,${size},${a})`, 'c.hi32');
    if (kind === 'sc') return result(`h.storeConditional(c,c.reservations,${size},${a},${b})`, '0');
    return result(`h.amo(c,c.reservations,${kind},${size},${a},${b})`, 'c.hi32');
  };
}

/** System instructions run in the hart's system hooks with the decoded instruction (named by `o.insn`). */
const systemFragment: Fragment = (o) => `next=c.sys.execute(c,${o.insn},${o.pc},next);if(c.fault){${o.fault}}`;

const SYSTEM_OPCODE = 0x73;

/**
 * How an operation takes part in control flow:
 *   op        straight-line; may raise an exception (through o.fault) but reaches no device
 *   mem       straight-line, may fault or reach a device (which may raise an interrupt line)
 *   branch    conditional: the body is a boolean expression, the target pc + imm
 *   jump      jal: the body writes the link, the target is pc + imm
 *   indirect  the body sets `next`
 *   system    runs in the hart's system hooks, which may change anything; always ends a block
 */
export type Kind = 'op' | 'mem' | 'branch' | 'jump' | 'indirect' | 'system';

export interface Semantics {
  readonly kind: Kind;
  readonly body: Fragment;
}

/** The semantics of a 32-bit row's operation, or undefined when none is written. */
function semanticsOf(row: Row): Semantics | undefined {
  const op = row.mnemonic;
  const plain = straightLine[op] ?? floatOps[op];
  if (plain) return { kind: 'op', body: plain };
  const access = memory[op] ?? floatMemory[op];
  if (access) return { kind: 'mem', body: access };
  const cond = branchConditions[op];
  if (cond) return { kind: 'branch', body: cond };
  if (op === 'jal') return { kind: 'jump', body: linkFragment };
  if (op === 'jalr') return { kind: 'indirect', body: jalrFragment };
  if ((row.match & 0x7f) === SYSTEM_OPCODE || row.ext === 'Zifencei') return { kind: 'system', body: systemFragment };
  if (row.ext === 'A') {
    const body = atomic(op);
    return body ? { kind: 'mem', body } : undefined;
  }
  return undefined;
}

/**
 * Every operation of the table, checked when the module loads: a row whose
 * operation has no semantics (or a compressed row expanding to an operation
 * no 32-bit row names) is a bug caught here, never an instruction that runs
 * as a no-op.
 */
const byOp = new Map<string, Semantics>();
for (const row of table) {
  if (row.size !== 4 || byOp.has(row.op)) continue;
  const s = semanticsOf(row);
  if (!s) throw new Error(`no semantics for riscv64 row ${row.mnemonic}`);
  byOp.set(row.op, s);
}
for (const row of table) {
  if (!byOp.has(row.op)) throw new Error(`riscv64 row ${row.mnemonic} expands to ${row.op}, which no 32-bit row defines`);
}

/** The semantics of an operation the decoder produced (every one has them). */
export function semanticsFor(op: string): Semantics {
  return byOp.get(op)!;
}
