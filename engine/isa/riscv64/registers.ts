// Integer and floating-point register names. The disassembler prints the ABI names; the assembler
// accepts those, the numeric xN spelling, and `fp` (the frame-pointer name of s0).

export const abiNames = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2',
  's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7',
  's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
] as const;

export type AbiName = (typeof abiNames)[number];

export function registerName(n: number): AbiName {
  const name = abiNames[n];
  if (name === undefined) throw new RangeError(`no integer register x${n}`);
  return name;
}

const byName = new Map<string, number>(abiNames.map((name, n) => [name, n]));
byName.set('fp', 8);

/** Register number for `a0`, `x10` or `fp`; undefined for anything else. */
export function parseRegister(text: string): number | undefined {
  const known = byName.get(text);
  if (known !== undefined) return known;
  const numeric = /^x([0-9]|[12][0-9]|3[01])$/.exec(text);
  return numeric ? Number(numeric[1]) : undefined;
}

/** f register ABI names (lp64d): temporaries, saved registers and arguments. */
export const fAbiNames = [
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7',
  'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5',
  'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7',
  'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11',
] as const;

export function fRegisterName(n: number): string {
  const name = fAbiNames[n];
  if (name === undefined) throw new RangeError(`no floating-point register f${n}`);
  return name;
}

const fByName = new Map<string, number>(fAbiNames.map((name, n) => [name, n]));

/** Register number for `fa0` or `f10`; undefined for anything else. */
export function parseFRegister(text: string): number | undefined {
  const known = fByName.get(text);
  if (known !== undefined) return known;
  const numeric = /^f([0-9]|[12][0-9]|3[01])$/.exec(text);
  return numeric ? Number(numeric[1]) : undefined;
}
