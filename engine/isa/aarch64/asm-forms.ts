// Every spelling the assembler accepts, derived from the encoding table:
// each row under its own mnemonic and syntax, each alias of aliases.ts with
// the slot values its spelling implies (the inverse of the alias's `when`
// and `derive`), the system aliases enumerated from their rows, and the few
// gas spellings objdump never prints (b.hs, ldr for ldur offsets, mov #imm).

import type { ParsedSlot } from './asm-operands';
import { conditionSpellings } from './asm-names';
import { aliases, systemAliases, type Alias } from './aliases';
import { fields, fieldWidth, type FieldName } from './fields';
import { conditionNames, table, type Row, type Slot, type Values } from './table';

export type Slots = Partial<Record<Slot, number>>;
type Operands = Readonly<Partial<Record<ParsedSlot, number>>>;

export interface Form {
  readonly mnemonic: string;
  readonly row: Row;
  readonly width: 32 | 64;
  readonly syntax: string;
  /** Slot values the spelling implies. */
  readonly fixed: Slots;
  /** Slot values from the parsed operands where they are not the fields themselves (lsl #n, ubfx #lsb, #width). */
  readonly solve?: (v: Operands, width: 32 | 64) => Slots | string;
  /** Whether an immediate may be a `:lo12:`-style relocation. */
  readonly relocs: boolean;
  /** `mov Rd, #imm`: the value picks MOVZ, MOVN or ORR. */
  readonly wideMove?: boolean;
}

export const rowById: ReadonlyMap<string, Row> = new Map(table.map((r) => [r.id, r]));

export function tableRow(id: string): Row {
  const r = rowById.get(id);
  if (!r) throw new Error(`internal: no table row ${id}`);
  return r;
}

export function rowWidth(row: Row): 32 | 64 {
  if (row.operands.sf !== undefined) return row.match >>> 31 ? 64 : 32;
  return row.id.endsWith('.w') ? 32 : 64;
}

/** Rows whose immediates may be relocations: add #:lo12:, ldr [x, #:lo12:], movz #:abs_g0:. */
function takesRelocs(row: Row): boolean {
  return /^(add|adds)\.imm\./.test(row.id) || row.id.endsWith('.uoff') || /^mov[znk]\./.test(row.id);
}

function form(mnemonic: string, row: Row, syntax: string, fixed: Slots = {}, solve?: Form['solve']): Form {
  return { mnemonic, row, width: rowWidth(row), syntax, fixed, relocs: takesRelocs(row), ...(solve ? { solve } : {}) };
}

// ---- Aliases: what each spelling implies ---------------------------------------------

const ZR = 31;
const both = (...stems: string[]): string[] => stems.flatMap((s) => [`${s}.w`, `${s}.x`]);
const get = (v: Operands, slot: ParsedSlot): number => v[slot] ?? 0;

function bitfieldInsert(v: Operands, width: 32 | 64): Slots | string {
  const lsb = get(v, 'a');
  const bits = get(v, 'b');
  if (lsb < 0 || lsb >= width) return `lsb ${lsb} is out of range 0..${width - 1}`;
  if (bits < 1 || bits > width - lsb) return `width ${bits} is out of range 1..${width - lsb}`;
  return { immr: (width - lsb) % width, imms: bits - 1 };
}

function bitfieldExtract(v: Operands, width: 32 | 64): Slots | string {
  const lsb = get(v, 'a');
  const bits = get(v, 'b');
  if (lsb < 0 || lsb >= width) return `lsb ${lsb} is out of range 0..${width - 1}`;
  if (bits < 1 || bits > width - lsb) return `width ${bits} is out of range 1..${width - lsb}`;
  return { immr: lsb, imms: lsb + bits - 1 };
}

interface AsmAlias {
  readonly name: string;
  readonly rows: readonly string[];
  readonly fixed?: (width: 32 | 64) => Slots;
  readonly solve?: Form['solve'];
}

const always = (slots: Slots) => (): Slots => slots;

/** In the order gas tries them where spellings share a mnemonic (mov: register, then sp). */
const asmAliases: readonly AsmAlias[] = [
  { name: 'mov', rows: both('orr.sreg'), fixed: always({ rn: ZR }) },
  { name: 'mov', rows: both('add.imm'), fixed: always({ imm: 0, sh: 0 }) },
  { name: 'mov', rows: ['orr.vec'], solve: (v) => ({ rm: get(v, 'rn') }) },
  { name: 'cmn', rows: both('adds.imm', 'adds.sreg', 'adds.ereg'), fixed: always({ rd: ZR }) },
  { name: 'cmp', rows: both('subs.imm', 'subs.sreg', 'subs.ereg'), fixed: always({ rd: ZR }) },
  { name: 'neg', rows: both('sub.sreg'), fixed: always({ rn: ZR }) },
  { name: 'negs', rows: both('subs.sreg'), fixed: always({ rn: ZR }) },
  { name: 'ngc', rows: both('sbc'), fixed: always({ rn: ZR }) },
  { name: 'ngcs', rows: both('sbcs'), fixed: always({ rn: ZR }) },
  { name: 'mvn', rows: both('orn.sreg'), fixed: always({ rn: ZR }) },
  { name: 'tst', rows: both('ands.imm', 'ands.sreg'), fixed: always({ rd: ZR }) },
  {
    name: 'lsl', rows: both('ubfm'),
    solve: (v, w) => {
      const shift = get(v, 'a');
      return shift < 0 || shift >= w ? `shift amount ${shift} is out of range 0..${w - 1}` : { immr: (w - shift) % w, imms: w - 1 - shift };
    },
  },
  { name: 'lsr', rows: both('ubfm'), fixed: (w) => ({ imms: w - 1 }) },
  { name: 'asr', rows: both('sbfm'), fixed: (w) => ({ imms: w - 1 }) },
  { name: 'uxtb', rows: ['ubfm.w'], fixed: always({ immr: 0, imms: 7 }) },
  { name: 'uxth', rows: ['ubfm.w'], fixed: always({ immr: 0, imms: 15 }) },
  { name: 'sxtb', rows: both('sbfm'), fixed: always({ immr: 0, imms: 7 }) },
  { name: 'sxth', rows: both('sbfm'), fixed: always({ immr: 0, imms: 15 }) },
  { name: 'sxtw', rows: ['sbfm.x'], fixed: always({ immr: 0, imms: 31 }) },
  { name: 'ubfiz', rows: both('ubfm'), solve: bitfieldInsert },
  { name: 'ubfx', rows: both('ubfm'), solve: bitfieldExtract },
  { name: 'sbfiz', rows: both('sbfm'), solve: bitfieldInsert },
  { name: 'sbfx', rows: both('sbfm'), solve: bitfieldExtract },
  { name: 'bfc', rows: both('bfm'), fixed: always({ rn: ZR }), solve: bitfieldInsert },
  { name: 'bfi', rows: both('bfm'), solve: bitfieldInsert },
  { name: 'bfxil', rows: both('bfm'), solve: bitfieldExtract },
  { name: 'ror', rows: both('extr'), solve: (v) => ({ rm: get(v, 'rn') }) },
  { name: 'cset', rows: both('csinc'), fixed: always({ rn: ZR, rm: ZR }) },
  { name: 'csetm', rows: both('csinv'), fixed: always({ rn: ZR, rm: ZR }) },
  { name: 'cinc', rows: both('csinc'), solve: (v) => ({ rm: get(v, 'rn') }) },
  { name: 'cinv', rows: both('csinv'), solve: (v) => ({ rm: get(v, 'rn') }) },
  { name: 'cneg', rows: both('csneg'), solve: (v) => ({ rm: get(v, 'rn') }) },
  { name: 'mul', rows: both('madd'), fixed: always({ ra: ZR }) },
  { name: 'mneg', rows: both('msub'), fixed: always({ ra: ZR }) },
  { name: 'smull', rows: ['smaddl'], fixed: always({ ra: ZR }) },
  { name: 'smnegl', rows: ['smsubl'], fixed: always({ ra: ZR }) },
  { name: 'umull', rows: ['umaddl'], fixed: always({ ra: ZR }) },
  { name: 'umnegl', rows: ['umsubl'], fixed: always({ ra: ZR }) },
  { name: 'lsl', rows: both('lslv') },
  { name: 'lsr', rows: both('lsrv') },
  { name: 'asr', rows: both('asrv') },
  { name: 'ror', rows: both('rorv') },
  { name: 'ret', rows: ['ret'], fixed: always({ rn: 30 }) },
  { name: 'mvn', rows: ['not.v'] },
  ...['sshll', 'ushll', 'sshll2', 'ushll2'].map((m) => ({ name: m.replace('shll', 'xtl'), rows: ['b', 'h', 's'].map((e) => `${m}.il${e}`), fixed: always({ imm: 0 }) })),
  { name: 'mov', rows: ['umov.s', 'umov.d', ...['b', 'h', 's', 'd'].flatMap((e) => [`ins.g${e}`, `ins.e${e}`, `dup.s${e}`])] },
];

function aliasSyntax(name: string, rowId: string): string {
  const a = aliases.find((x) => x.name === name && x.rows.includes(rowId));
  if (!a) throw new Error(`internal: aliases.ts has no ${name} for ${rowId}`);
  return a.syntax;
}

// ---- Enumerated aliases: named hints, barriers and system operations ----------------------

/** Every value combination of a row's operand slots the alias's syntax leaves out. */
function* combinations(row: Row, syntax: string): Generator<Slots> {
  const slots = (Object.entries(row.operands) as [Slot, FieldName][]).filter(([slot]) => slot !== 'rt' || !syntax.includes('sysop'));
  const sizes = slots.map(([, f]) => 2 ** fieldWidth(fields[f]));
  const total = sizes.reduce((a, b) => a * b, 1);
  for (let i = 0; i < total; i++) {
    const v: Slots = {};
    let rest = i;
    slots.forEach(([slot], k) => {
      v[slot] = rest % sizes[k]!;
      rest = Math.floor(rest / sizes[k]!);
    });
    yield v;
  }
}

function enumerated(alias: Alias): Form[] {
  const out: Form[] = [];
  for (const id of alias.rows) {
    const row = tableRow(id);
    for (const v of combinations(row, alias.syntax)) {
      if (!alias.when(v, 64)) continue;
      const name = typeof alias.name === 'string' ? alias.name : alias.name(v, id);
      out.push(form(name, row, alias.syntax, v));
    }
  }
  return out;
}

/** The LSE store aliases (stadd, stclr, ...): the loads with the zero register as destination. */
function lseStores(): Form[] {
  const alias = aliases.find((a) => typeof a.name === 'function')!;
  return alias.rows.map((id) => form((alias.name as (v: Values, id: string) => string)({}, id), tableRow(id), alias.syntax, { rt: ZR }));
}

// ---- All forms, by mnemonic ------------------------------------------------------------

function buildForms(): Map<string, Form[]> {
  const byName = new Map<string, Form[]>();
  const add = (f: Form): void => {
    const list = byName.get(f.mnemonic) ?? [];
    list.push(f);
    byName.set(f.mnemonic, list);
  };
  for (const row of table) add(form(row.mnemonic, row, row.syntax));
  // gas takes `ldr x0, [x1, #-8]` for ldur; it tries the scaled form first.
  for (const row of table) if (row.id.endsWith('.unscaled')) add(form(row.id.slice(0, row.id.indexOf('.')), row, row.syntax));
  // b.hs, b.lo and the other condition names gas knows.
  for (const [name, cond] of conditionSpellings) if (name !== conditionNames[cond]) add(form(`b.${name}`, tableRow(`b.${conditionNames[cond]}`), tableRow(`b.${conditionNames[cond]}`).syntax));
  for (const a of asmAliases) {
    for (const id of a.rows) {
      const row = tableRow(id);
      const width = rowWidth(row);
      add(form(a.name, row, aliasSyntax(a.name, id), a.fixed?.(width) ?? {}, a.solve));
    }
  }
  // mov #imm to the zero register (movz/movn) or to sp (orr): the value picks the row.
  for (const id of ['movz.w', 'movz.x', 'orr.imm.w', 'orr.imm.x']) add({ ...form('mov', tableRow(id), aliasSyntax('mov', id)), relocs: false, wideMove: true });
  for (const f of lseStores()) add(f);
  for (const a of systemAliases) for (const f of enumerated(a)) add(f);
  return byName;
}

export const forms: ReadonlyMap<string, readonly Form[]> = buildForms();
