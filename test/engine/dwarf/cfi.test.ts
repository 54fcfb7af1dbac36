// Call frame information read by the engine's DWARF reader against readelf's
// interpreted view (--debug-dump=frames-interp): for every FDE, its address
// range and, row by row, the location, the CFA rule and every register's rule.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CfaRule, RegisterRule } from '../../../engine/dwarf/cfi';
import { DebugInfo } from '../../../engine/dwarf/debug-info';
import type { ElfArch } from '../../../engine/machine/loaders/elf';
import { BUILDS, built, cleanBuilds, readelf } from './builds';

after(cleanBuilds);

const RISCV_ABI = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];

/** readelf's name of a DWARF register number. */
function registerName(arch: ElfArch, n: number): string {
  if (arch === 'riscv64') return n < 32 ? RISCV_ABI[n]! : `ft${n - 32}`;
  return n < 31 ? `x${n}` : n === 31 ? 'sp' : `v${n - 64}`;
}

const signed = (v: bigint): string => (v < 0n ? `${v}` : `+${v}`);

function cfaText(arch: ElfArch, cfa: CfaRule): string {
  return cfa.kind === 'register' ? `${registerName(arch, cfa.register)}${signed(cfa.offset)}` : 'exp';
}

function ruleText(arch: ElfArch, rule: RegisterRule | undefined): string {
  switch (rule?.kind) {
    case undefined:
    case 'undefined':
      return 'u';
    case 'same':
      return 's';
    case 'offset':
      return `c${signed(rule.offset)}`;
    case 'valOffset':
      return `v${signed(rule.offset)}`;
    case 'register':
      return registerName(arch, rule.register);
    case 'expression':
      return 'exp';
    case 'valExpression':
      return 'vexp';
  }
}

interface FdeView {
  range: string;
  rows: string[];
}

/** readelf's FDEs: "pc=start..end", then (when it has a table) a LOC/CFA header naming columns and one line per row. */
function readelfFdes(text: string): FdeView[] {
  const fdes: FdeView[] = [];
  let columns: string[] = [];
  let current: FdeView | undefined;
  for (const line of text.split('\n')) {
    const fde = /FDE cie=\S+ pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(line);
    if (fde) {
      current = { range: `${BigInt(`0x${fde[1]}`).toString(16)}..${BigInt(`0x${fde[2]}`).toString(16)}`, rows: [] };
      fdes.push(current);
      continue;
    }
    if (/ CIE /.test(line)) current = undefined;
    const header = /^\s+LOC\s+CFA\s*(.*)$/.exec(line);
    if (header) {
      columns = header[1]!.trim().split(/\s+/).filter(Boolean);
      continue;
    }
    const row = /^([0-9a-f]{8,16}) (.*)$/.exec(line);
    if (row && current) {
      const [cfa, ...rules] = row[2]!.trim().split(/\s+/);
      current.rows.push(`${BigInt(`0x${row[1]}`).toString(16)} ${cfa} ${columns.map((c, i) => `${c}=${rules[i]}`).join(' ')}`.trim());
    }
  }
  return fdes;
}

for (const build of BUILDS) {
  describe(`call frame information of ${build.name}`, () => {
    test('every FDE and row matches readelf --debug-dump=frames-interp', () => {
      const b = built(build);
      const dwarf = DebugInfo.fromElf(b.elf);
      const theirs = readelfFdes(readelf(b, '--debug-dump=frames-interp'));
      assert.ok(theirs.length >= 2, `readelf printed ${theirs.length} FDEs`);
      const cfis = dwarf.callFrames();
      assert.equal(cfis.length, 1, 'one CFI section');
      const cfi = cfis[0]!;
      const fdes = [...cfi.fdes()].sort((x, y) => x.offset - y.offset);
      assert.deepEqual(
        fdes.map((f) => `${f.start.toString(16)}..${f.end.toString(16)}`),
        theirs.map((f) => f.range),
      );
      for (const [i, fde] of fdes.entries()) {
        const rows = cfi.table(fde);
        const view = theirs[i]!;
        if (view.rows.length === 0) {
          // readelf prints no table for an FDE without instructions: the CIE's rule holds throughout.
          assert.equal(rows.length, 1, `FDE ${view.range}: one row`);
          assert.equal(rows[0]!.registers.size, 0, `FDE ${view.range}: no register rules`);
          continue;
        }
        const columns = new Set<number>();
        for (const r of rows) for (const reg of r.registers.keys()) columns.add(reg);
        const names = [...columns].sort((x, y) => x - y).map((n) => [n, n === fde.cie.returnAddressRegister ? 'ra' : registerName(build.arch, n)] as const);
        const ours = rows.map((r) => `${r.start.toString(16)} ${cfaText(build.arch, r.cfa)} ${names.map(([n, name]) => `${name}=${ruleText(build.arch, r.registers.get(n))}`).join(' ')}`.trim());
        assert.deepEqual(ours, view.rows, `FDE ${view.range}`);
      }
      assert.deepEqual(dwarf.messages, []);
    });
  });
}
