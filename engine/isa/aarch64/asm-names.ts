// Names the assembler reads: registers, conditions, barrier and prefetch
// options, PSTATE fields, system registers and system operations. Where the
// disassembler keeps a name list to itself, the assembler learns the names
// by disassembling each encoding, so the two can never disagree.

import { disassembleOne } from './disasm';
import { sysOperation, sysregByName } from './sysregs';
import { conditionNames } from './table';

export interface Gpr {
  readonly n: number;
  readonly wide: boolean;
  /** Register 31 spelled as the stack pointer (sp/wsp), not the zero register. */
  readonly sp: boolean;
}

const gprs = new Map<string, Gpr>();
for (let n = 0; n < 31; n++) {
  gprs.set(`x${n}`, { n, wide: true, sp: false });
  gprs.set(`w${n}`, { n, wide: false, sp: false });
}
gprs.set('xzr', { n: 31, wide: true, sp: false });
gprs.set('wzr', { n: 31, wide: false, sp: false });
gprs.set('sp', { n: 31, wide: true, sp: true });
gprs.set('wsp', { n: 31, wide: false, sp: true });
// gas's procedure-call-standard names.
gprs.set('ip0', { n: 16, wide: true, sp: false });
gprs.set('ip1', { n: 17, wide: true, sp: false });
gprs.set('fp', { n: 29, wide: true, sp: false });
gprs.set('lr', { n: 30, wide: true, sp: false });

/** gas takes register names in all-lower or all-upper case. */
function folded(name: string): string | undefined {
  const lower = name.toLowerCase();
  return name === lower || name === name.toUpperCase() ? lower : undefined;
}

export function parseGpr(name: string): Gpr | undefined {
  const f = folded(name);
  return f === undefined ? undefined : gprs.get(f);
}

/** b0..q31: an FP/SIMD scalar register of the given size letter. */
export function parseFpr(name: string): { size: string; n: number } | undefined {
  const m = /^([bhsdq])([0-9]+)$/.exec(folded(name) ?? '');
  if (!m || m[2]!.length > 2 || Number(m[2]) > 31 || (m[2]!.length === 2 && m[2]![0] === '0')) return undefined;
  return { size: m[1]!, n: Number(m[2]) };
}

/** v0.16b and friends: a vector register with its arrangement. */
export function parseVector(name: string): { n: number; arrangement: string } | undefined {
  const m = /^v([0-9]+)\.([0-9]+[bhsdq])$/.exec(folded(name) ?? '');
  if (!m || Number(m[1]) > 31) return undefined;
  return { n: Number(m[1]), arrangement: m[2]! };
}

export function isRegisterName(name: string): boolean {
  return parseGpr(name) !== undefined || parseFpr(name) !== undefined || parseVector(name) !== undefined;
}

// ---- Conditions: the canonical names plus the others objdump notes after b.cond ----

const conditions = new Map<string, number>();
conditionNames.forEach((name, cond) => {
  conditions.set(name, cond);
  const note = disassembleOne(0x54000000 | cond, 0).comment;
  for (const other of note?.split(', ') ?? []) conditions.set(other.replace(/^b\./, ''), cond);
});

export function parseCondition(name: string): number | undefined {
  const f = folded(name);
  return f === undefined ? undefined : conditions.get(f);
}

export const conditionSpellings: ReadonlyMap<string, number> = conditions;

// ---- Options the disassembler spells by name ----------------------------------------

/** name -> value for each value whose operand prints as a name rather than `#...`. */
function namesByDisassembly(count: number, word: (v: number) => number, operand: (text: string) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (let v = 0; v < count; v++) {
    const text = operand(disassembleOne(word(v), 0).operands);
    if (!text.startsWith('#') && !out.has(text)) out.set(text, v);
  }
  return out;
}

/** DMB's CRm option names (dsb shares them). */
export const barrierOptions = namesByDisassembly(16, (crm) => 0xd50330bf | (crm << 8), (t) => t);
/** PRFM's Rt names (from the unsigned-offset form). */
export const prefetchOperations = namesByDisassembly(32, (rt) => 0xf9800000 | rt, (t) => t.slice(0, t.indexOf(',')));

/** PSTATE field names for MSR (immediate), by op1:op2. */
export const pstateFields: ReadonlyMap<string, { op1: number; op2: number }> = (() => {
  const out = new Map<string, { op1: number; op2: number }>();
  for (let field = 0; field < 64; field++) {
    const op1 = field >> 3;
    const op2 = field & 7;
    const text = disassembleOne(0xd500401f | (op1 << 16) | (1 << 8) | (op2 << 5), 0).operands;
    if (!text.startsWith('s0_')) out.set(text.slice(0, text.indexOf(',')), { op1, op2 });
  }
  return out;
})();

// ---- System registers and operations ----------------------------------------------

/** A system register's 16-bit op0:op1:CRn:CRm:op2, by name or as s<op0>_<op1>_c<n>_c<m>_<op2>. */
export function parseSysreg(name: string): number | string | undefined {
  const f = name.toLowerCase();
  const known = sysregByName.get(f);
  if (known !== undefined) return known;
  const m = /^s([0-9]+)_([0-9]+)_c([0-9]+)_c([0-9]+)_([0-9]+)$/.exec(f);
  if (!m) return undefined;
  const [op0, op1, crn, crm, op2] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (op0 > 3 || op1 > 7 || crn > 15 || crm > 15 || op2 > 7) return `system register \`${name}\` has a field out of range (op0 0..3, op1 0..7, CRn/CRm 0..15, op2 0..7)`;
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

export interface SysOperationEncoding {
  readonly op1: number;
  readonly crn: number;
  readonly crm: number;
  readonly op2: number;
  /** Whether the operation takes an address register. */
  readonly reg: boolean;
}

/** Named SYS operations (`dc civac`, `tlbi vmalle1is`), by their full two-word name. */
export const sysOperations: ReadonlyMap<string, SysOperationEncoding> = (() => {
  const out = new Map<string, SysOperationEncoding>();
  for (let op1 = 0; op1 < 8; op1++) {
    for (let crn = 0; crn < 16; crn++) {
      for (let crm = 0; crm < 16; crm++) {
        for (let op2 = 0; op2 < 8; op2++) {
          const op = sysOperation(op1, crn, crm, op2);
          if (op) out.set(op.name, { op1, crn, crm, op2, reg: op.reg });
        }
      }
    }
  }
  return out;
})();
