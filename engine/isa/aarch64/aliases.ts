// objdump's preferred spellings. The disassembler prints the first alias
// listed for the decoded row whose `when` holds; otherwise the row itself.
// Syntax strings use the table's tokens plus `r`/`rsp` (x or w by the row's
// sf) and the derived slots `a`/`b` an alias computes in `derive`.

import { sysOperation } from './sysregs';
import { conditionNames, decodeBitMask, type Values } from './table';

export interface Alias {
  /** Row ids this alias applies to. */
  readonly rows: readonly string[];
  readonly name: string | ((v: Values, id: string) => string);
  readonly when: (v: Values, width: 32 | 64) => boolean;
  readonly syntax: string;
  readonly derive?: (v: Values, width: 32 | 64) => Readonly<Record<'a' | 'b', number>>;
}

const both = (...stems: string[]): string[] => stems.flatMap((s) => [`${s}.w`, `${s}.x`]);
const ZR = 31;
const val = (v: Values, slot: keyof Values): number => v[slot] ?? 0;

/** Whether a wide-move immediate is one a MOVZ or MOVN can make, which objdump prefers over ORR. */
export function movWideCanMake(value: bigint, width: 32 | 64): boolean {
  const mask = (1n << BigInt(width)) - 1n;
  for (const candidate of [value & mask, ~value & mask]) {
    for (let shift = 0; shift < width; shift += 16) {
      if ((candidate & ~(0xffffn << BigInt(shift))) === 0n) return true;
    }
  }
  return false;
}

/** Whether a UBFX/SBFX spelling is preferred for these bitfield fields (the Arm ARM's BFXPreferred). */
function bfxPreferred(width: 32 | 64, unsigned: boolean, imms: number, immr: number): boolean {
  if (imms < immr || imms === width - 1) return false;
  if (immr === 0) {
    if (width === 32 && (imms === 7 || imms === 15)) return false;
    if (width === 64 && !unsigned && (imms === 7 || imms === 15 || imms === 31)) return false;
  }
  return true;
}

const invertible = (v: Values): boolean => val(v, 'cond') < 14;
const sameSources = (v: Values): boolean => val(v, 'rn') === val(v, 'rm');
const bitfield = (v: Values, width: 32 | 64) => ({ a: (width - val(v, 'immr')) % width, b: val(v, 'imms') + 1 });
const extract = (v: Values) => ({ a: val(v, 'immr'), b: val(v, 'imms') - val(v, 'immr') + 1 });

const lseOps = ['ldadd', 'ldclr', 'ldeor', 'ldset', 'ldsmax', 'ldsmin', 'ldumax', 'ldumin'];
const lseStoreRows: string[] = [];
for (const op of lseOps) for (const order of ['', 'l']) for (const sfx of ['b', 'h', '']) for (const r of sfx === '' ? ['w', 'x'] : ['w']) lseStoreRows.push(`${op}${order}${sfx}.${r}`);

export const aliases: readonly Alias[] = [
  // Add/subtract.
  { rows: ['add.imm.w', 'add.imm.x'], name: 'mov', when: (v) => val(v, 'imm') === 0 && val(v, 'sh') === 0 && (val(v, 'rd') === ZR || val(v, 'rn') === ZR), syntax: '{rsp:rd}, {rsp:rn}' },
  { rows: ['adds.imm.w', 'adds.imm.x'], name: 'cmn', when: (v) => val(v, 'rd') === ZR, syntax: '{rsp:rn}, {#x:imm}{lsl12:sh}' },
  { rows: ['subs.imm.w', 'subs.imm.x'], name: 'cmp', when: (v) => val(v, 'rd') === ZR, syntax: '{rsp:rn}, {#x:imm}{lsl12:sh}' },
  { rows: ['adds.ereg.w', 'adds.ereg.x'], name: 'cmn', when: (v) => val(v, 'rd') === ZR, syntax: '{rsp:rn}, {extend}' },
  { rows: ['subs.ereg.w', 'subs.ereg.x'], name: 'cmp', when: (v) => val(v, 'rd') === ZR, syntax: '{rsp:rn}, {extend}' },
  { rows: ['adds.sreg.w', 'adds.sreg.x'], name: 'cmn', when: (v) => val(v, 'rd') === ZR, syntax: '{r:rn}, {r:rm}{shift}' },
  { rows: ['subs.sreg.w', 'subs.sreg.x'], name: 'cmp', when: (v) => val(v, 'rd') === ZR, syntax: '{r:rn}, {r:rm}{shift}' },
  { rows: ['sub.sreg.w', 'sub.sreg.x'], name: 'neg', when: (v) => val(v, 'rn') === ZR, syntax: '{r:rd}, {r:rm}{shift}' },
  { rows: ['subs.sreg.w', 'subs.sreg.x'], name: 'negs', when: (v) => val(v, 'rn') === ZR, syntax: '{r:rd}, {r:rm}{shift}' },
  { rows: ['sbc.w', 'sbc.x'], name: 'ngc', when: (v) => val(v, 'rn') === ZR, syntax: '{r:rd}, {r:rm}' },
  { rows: ['sbcs.w', 'sbcs.x'], name: 'ngcs', when: (v) => val(v, 'rn') === ZR, syntax: '{r:rd}, {r:rm}' },
  // Logical.
  { rows: ['orr.sreg.w', 'orr.sreg.x'], name: 'mov', when: (v) => val(v, 'rn') === ZR && val(v, 'shift') === 0 && val(v, 'amount') === 0, syntax: '{r:rd}, {r:rm}' },
  { rows: ['orn.sreg.w', 'orn.sreg.x'], name: 'mvn', when: (v) => val(v, 'rn') === ZR, syntax: '{r:rd}, {r:rm}{shift}' },
  { rows: ['ands.sreg.w', 'ands.sreg.x'], name: 'tst', when: (v) => val(v, 'rd') === ZR, syntax: '{r:rn}, {r:rm}{shift}' },
  { rows: ['ands.imm.w', 'ands.imm.x'], name: 'tst', when: (v) => val(v, 'rd') === ZR, syntax: '{r:rn}, {bitmask}' },
  {
    rows: ['orr.imm.w', 'orr.imm.x'], name: 'mov', syntax: '{rsp:rd}, {movwide}',
    when: (v, width) => val(v, 'rn') === ZR && !movWideCanMake(decodeBitMask(val(v, 'n'), val(v, 'imms'), val(v, 'immr'), width) ?? 0n, width),
  },
  // Wide moves.
  { rows: ['movz.w', 'movz.x'], name: 'mov', when: (v) => !(val(v, 'imm') === 0 && val(v, 'hw') !== 0), syntax: '{r:rd}, {movwide}' },
  {
    rows: ['movn.w', 'movn.x'], name: 'mov', syntax: '{r:rd}, {movwide}',
    when: (v, width) => !(val(v, 'imm') === 0 && val(v, 'hw') !== 0) && !(width === 32 && val(v, 'imm') === 0xffff),
  },
  // Bitfield moves.
  { rows: both('ubfm'), name: 'lsl', when: (v, w) => val(v, 'imms') !== w - 1 && val(v, 'imms') + 1 === val(v, 'immr'), syntax: '{r:rd}, {r:rn}, {#d:a}', derive: (v, w) => ({ a: w - 1 - val(v, 'imms'), b: 0 }) },
  { rows: both('ubfm'), name: 'lsr', when: (v, w) => val(v, 'imms') === w - 1, syntax: '{r:rd}, {r:rn}, {#d:immr}' },
  { rows: ['ubfm.w'], name: 'uxtb', when: (v) => val(v, 'immr') === 0 && val(v, 'imms') === 7, syntax: '{w:rd}, {w:rn}' },
  { rows: ['ubfm.w'], name: 'uxth', when: (v) => val(v, 'immr') === 0 && val(v, 'imms') === 15, syntax: '{w:rd}, {w:rn}' },
  { rows: both('ubfm'), name: 'ubfiz', when: (v) => val(v, 'imms') < val(v, 'immr'), syntax: '{r:rd}, {r:rn}, {#d:a}, {#d:b}', derive: bitfield },
  { rows: both('ubfm'), name: 'ubfx', when: (v, w) => bfxPreferred(w, true, val(v, 'imms'), val(v, 'immr')), syntax: '{r:rd}, {r:rn}, {#d:a}, {#d:b}', derive: extract },
  { rows: both('sbfm'), name: 'asr', when: (v, w) => val(v, 'imms') === w - 1, syntax: '{r:rd}, {r:rn}, {#d:immr}' },
  { rows: both('sbfm'), name: 'sbfiz', when: (v) => val(v, 'imms') < val(v, 'immr'), syntax: '{r:rd}, {r:rn}, {#d:a}, {#d:b}', derive: bitfield },
  { rows: both('sbfm'), name: 'sxtb', when: (v) => val(v, 'immr') === 0 && val(v, 'imms') === 7, syntax: '{r:rd}, {w:rn}' },
  { rows: both('sbfm'), name: 'sxth', when: (v) => val(v, 'immr') === 0 && val(v, 'imms') === 15, syntax: '{r:rd}, {w:rn}' },
  { rows: ['sbfm.x'], name: 'sxtw', when: (v) => val(v, 'immr') === 0 && val(v, 'imms') === 31, syntax: '{x:rd}, {w:rn}' },
  { rows: both('sbfm'), name: 'sbfx', when: (v, w) => bfxPreferred(w, false, val(v, 'imms'), val(v, 'immr')), syntax: '{r:rd}, {r:rn}, {#d:a}, {#d:b}', derive: extract },
  { rows: both('bfm'), name: 'bfc', when: (v) => val(v, 'rn') === ZR && val(v, 'imms') < val(v, 'immr'), syntax: '{r:rd}, {#d:a}, {#d:b}', derive: bitfield },
  { rows: both('bfm'), name: 'bfi', when: (v) => val(v, 'imms') < val(v, 'immr'), syntax: '{r:rd}, {r:rn}, {#d:a}, {#d:b}', derive: bitfield },
  { rows: both('bfm'), name: 'bfxil', when: (v) => val(v, 'imms') >= val(v, 'immr'), syntax: '{r:rd}, {r:rn}, {#d:a}, {#d:b}', derive: extract },
  { rows: both('extr'), name: 'ror', when: sameSources, syntax: '{r:rd}, {r:rn}, {#d:imms}' },
  // Conditional selects.
  { rows: both('csinc'), name: 'cset', when: (v) => val(v, 'rn') === ZR && val(v, 'rm') === ZR && invertible(v), syntax: '{r:rd}, {invcond}' },
  { rows: both('csinc'), name: 'cinc', when: (v) => sameSources(v) && val(v, 'rn') !== ZR && invertible(v), syntax: '{r:rd}, {r:rn}, {invcond}' },
  { rows: both('csinv'), name: 'csetm', when: (v) => val(v, 'rn') === ZR && val(v, 'rm') === ZR && invertible(v), syntax: '{r:rd}, {invcond}' },
  { rows: both('csinv'), name: 'cinv', when: (v) => sameSources(v) && val(v, 'rn') !== ZR && invertible(v), syntax: '{r:rd}, {r:rn}, {invcond}' },
  { rows: both('csneg'), name: 'cneg', when: (v) => sameSources(v) && invertible(v), syntax: '{r:rd}, {r:rn}, {invcond}' },
  // Multiply and shifts by register.
  { rows: both('madd'), name: 'mul', when: (v) => val(v, 'ra') === ZR, syntax: '{r:rd}, {r:rn}, {r:rm}' },
  { rows: both('msub'), name: 'mneg', when: (v) => val(v, 'ra') === ZR, syntax: '{r:rd}, {r:rn}, {r:rm}' },
  { rows: ['smaddl'], name: 'smull', when: (v) => val(v, 'ra') === ZR, syntax: '{x:rd}, {w:rn}, {w:rm}' },
  { rows: ['smsubl'], name: 'smnegl', when: (v) => val(v, 'ra') === ZR, syntax: '{x:rd}, {w:rn}, {w:rm}' },
  { rows: ['umaddl'], name: 'umull', when: (v) => val(v, 'ra') === ZR, syntax: '{x:rd}, {w:rn}, {w:rm}' },
  { rows: ['umsubl'], name: 'umnegl', when: (v) => val(v, 'ra') === ZR, syntax: '{x:rd}, {w:rn}, {w:rm}' },
  { rows: both('lslv'), name: 'lsl', when: () => true, syntax: '{r:rd}, {r:rn}, {r:rm}' },
  { rows: both('lsrv'), name: 'lsr', when: () => true, syntax: '{r:rd}, {r:rn}, {r:rm}' },
  { rows: both('asrv'), name: 'asr', when: () => true, syntax: '{r:rd}, {r:rn}, {r:rm}' },
  { rows: both('rorv'), name: 'ror', when: () => true, syntax: '{r:rd}, {r:rn}, {r:rm}' },
  // Memory and branches.
  { rows: lseStoreRows, name: (_v, id) => `st${id.slice(2, id.indexOf('.'))}`, when: (v) => val(v, 'rt') === ZR, syntax: '{r:rs}, [{xsp:rn}]' },
  { rows: ['ret'], name: 'ret', when: (v) => val(v, 'rn') === 30, syntax: '' },
  // Advanced SIMD.
  { rows: ['orr.vec'], name: 'mov', when: sameSources, syntax: '{VB:rd}, {VB:rn}' },
  { rows: ['not.v'], name: 'mvn', when: () => true, syntax: '{VB:rd}, {VB:rn}' },
  { rows: ['umov.s'], name: 'mov', when: () => true, syntax: '{w:rd}, {ES:rn}' },
  { rows: ['umov.d'], name: 'mov', when: () => true, syntax: '{x:rd}, {ED:rn}' },
  ...(['sshll', 'ushll', 'sshll2', 'ushll2'] as const).flatMap((m): Alias[] => (['b', 'h', 's'] as const).map((e) => ({
    rows: [`${m}.il${e}`], name: m.replace('shll', 'xtl'), when: (v) => val(v, 'imm') === 0, syntax: `{V${e.toUpperCase()}w:rd}, {V${e.toUpperCase()}:rn}`,
  }))),
  ...(['b', 'h', 's', 'd'] as const).flatMap((e): Alias[] => [
    { rows: [`ins.g${e}`], name: 'mov', when: () => true, syntax: `{E${e.toUpperCase()}:rd}, {${e === 'd' ? 'x' : 'w'}:rn}` },
    { rows: [`ins.e${e}`], name: 'mov', when: () => true, syntax: `{E${e.toUpperCase()}:rd}, {E${e.toUpperCase()}2:rn}` },
    { rows: [`dup.s${e}`], name: 'mov', when: () => true, syntax: `{${e}:rd}, {E${e.toUpperCase()}:rn}` },
  ]),
];

/** The condition objdump prints for an alias that inverts it (cset eq is csinc ..., ne). */
export function invertedCondition(cond: number): string {
  return conditionNames[cond ^ 1]!;
}

// Named hints and barriers: objdump spells these encodings as their own instructions.
const hintNames: Readonly<Record<number, string>> = {
  0: 'nop', 1: 'yield', 2: 'wfe', 3: 'wfi', 4: 'sev', 5: 'sevl', 7: 'xpaclri', 8: 'pacia1716', 10: 'pacib1716', 12: 'autia1716',
  14: 'autib1716', 16: 'esb', 20: 'csdb', 22: 'clearbhb', 24: 'paciaz', 25: 'paciasp', 26: 'pacibz', 27: 'pacibsp', 28: 'autiaz',
  29: 'autiasp', 30: 'autibz', 31: 'autibsp', 32: 'bti',
};
const hintWithOperand: Readonly<Record<number, [string, string]>> = { 17: ['psb', 'csync'], 18: ['tsb', 'csync'], 34: ['bti', 'c'], 36: ['bti', 'j'], 38: ['bti', 'jc'] };
export const systemAliases: readonly Alias[] = [
  { rows: ['hint'], name: (v) => hintNames[v.imm ?? 0]!, when: (v) => hintNames[v.imm ?? 0] !== undefined, syntax: '' },
  ...Object.entries(hintWithOperand).map(([n, [name, operand]]): Alias => ({ rows: ['hint'], name, when: (v) => v.imm === Number(n), syntax: operand })),
  { rows: ['dsb'], name: 'ssbb', when: (v) => v.crm === 0, syntax: '' },
  { rows: ['dsb'], name: 'pssbb', when: (v) => v.crm === 4, syntax: '' },
  // PSTATE writes objdump names as instructions: the flag-manipulation ones and SME's streaming-mode/ZA controls.
  ...(['cfinv', 'xaflag', 'axflag'] as const).map((name, op2): Alias => ({ rows: ['msr.pstate'], name, when: (v) => v.op1 === 0 && v.op2 === op2 && v.crm === 0, syntax: '' })),
  ...(['sm', 'za', ''] as const).flatMap((operand, i) => [0, 1].map((start): Alias => ({
    rows: ['msr.pstate'], name: start ? 'smstart' : 'smstop', when: (v) => v.op1 === 3 && v.op2 === 3 && v.crm === (((i + 1) << 1) | start), syntax: operand,
  }))),
  { rows: ['sys'], name: (v) => sysOperation(v.op1 ?? 0, v.crn ?? 0, v.crm ?? 0, v.op2 ?? 0)!.name.split(' ')[0]!, when: (v) => sysOperation(v.op1 ?? 0, v.crn ?? 0, v.crm ?? 0, v.op2 ?? 0) !== undefined, syntax: '{sysop}' },
];
