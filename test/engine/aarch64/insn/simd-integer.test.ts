// Advanced SIMD integer instructions against qemu-aarch64, group by group:
// every row of each group in every arrangement it takes, from random lanes
// with corners, comparing the destination and FPSR (QC).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Program, runGroup } from './oracle';
import { table, type Row } from '../../../../engine/isa/aarch64/table';
import { cryptoRows } from '../../../../engine/isa/aarch64/table-crypto';
import { addRowCases, simdRows } from './simd-cases';

function group(name: string, seed: bigint, match: number, mask: number, exclude?: Parameters<typeof simdRows>[2], perShape = 3): void {
  rowGroup(name, seed, simdRows(match, mask, exclude), perShape);
}

function rowGroup(name: string, seed: bigint, rows: readonly Row[], perShape: number): void {
  test(`${name} against qemu-aarch64`, (t) => {
    assert.ok(rows.length > 0, `the table has ${name} rows`);
    const p = new Program(name.replace(/[^a-z0-9]+/g, '-'));
    const cases = addRowCases(p, rows, seed, perShape);
    runGroup(p);
    t.diagnostic(`${rows.length} rows, ${cases} cases`);
  });
}

// 0 Q U 0111 0 size 1 Rm opcode 1 Rn Rd, and the scalar forms (bit 28).
group('three registers of the same type', 1n, 0x0e200400, 0x8f200400);
// 0 Q U 01110 size 10000 opcode 10 Rn Rd
group('two-register miscellaneous', 2n, 0x0e200800, 0x8f3e0c00);
// 0 Q U 01110 size 11000 opcode 10 Rn Rd
group('across lanes', 3n, 0x0e300800, 0x8f3e0c00);
// 0 Q op 01110000 imm5 0 imm4 1 Rn Rd
group('copy', 4n, 0x0e000400, 0x8fe08400, undefined, 8);
// 0 Q op 0111100000 abc cmode 01 defgh Rd
group('modified immediate', 5n, 0x0f000400, 0x9ff80c00, undefined, 24);
// Permutes, EXT and the table lookups: 0 Q x 01110 xx0 Rm 0 xxx x0 Rn Rd
group('permute, ext and table lookup', 6n, 0x0e000000, 0x9f208400);
// 0 Q U 011110 immh immb opcode 1 Rn Rd with immh nonzero, and the scalar forms.
group('shift by immediate', 7n, 0x0f000400, 0x8f800400, (r) => (r.match & 0x780000) === 0, 6);
// 0 Q U 01110 size 1 Rm opcode 00 Rn Rd, and the scalar forms.
group('three registers of different types', 8n, 0x0e200000, 0x8f200c00);
// 0 Q U 01111 size L M Rm opcode H 0 Rn Rd (the integer opcodes), and the scalar forms.
group('by element', 9n, 0x0f000000, 0x8f000400, (r) => !/\.x[vlsw][hs]$/.test(r.id), 8);
// AES, SHA-1, SHA-256 and PMULL (64-bit), as ID_AA64ISAR0_EL1 advertises them.
rowGroup('cryptographic extension', 10n, table.filter((r) => cryptoRows.some((c) => c.id === r.id)), 12);
