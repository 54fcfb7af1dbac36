// ID_AA64ISAR0_EL1 advertises exactly the Advanced SIMD and crypto
// instructions the table has rows for: software picks code paths by these
// fields, so a feature advertised without rows (or rows without the feature)
// is a bug either way.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ID_REGISTERS } from '../../../engine/isa/aarch64/id-registers';
import { table } from '../../../engine/isa/aarch64/table';

const isar0 = ID_REGISTERS.id_aa64isar0_el1!;
const field = (lsb: number): number => Number((isar0 >> BigInt(lsb)) & 0xfn);
const mnemonics = new Set(table.map((r) => r.mnemonic));
const has = (...names: string[]): boolean => names.every((n) => mnemonics.has(n));
const none = (...names: string[]): boolean => names.every((n) => !mnemonics.has(n));

test('ID_AA64ISAR0_EL1 advertises exactly the crypto and Advanced SIMD extensions implemented', () => {
  // AES = 2: AESE/AESD/AESMC/AESIMC and the 64-bit PMULL.
  assert.equal(field(4), 2);
  assert.ok(has('aese', 'aesd', 'aesmc', 'aesimc'));
  assert.ok(table.some((r) => r.id === 'pmull.q') && table.some((r) => r.id === 'pmull2.q'));
  // SHA1 = 1, SHA2 = 1 (SHA-256 only: no SHA-512 instructions).
  assert.equal(field(8), 1);
  assert.ok(has('sha1c', 'sha1p', 'sha1m', 'sha1h', 'sha1su0', 'sha1su1'));
  assert.equal(field(12), 1);
  assert.ok(has('sha256h', 'sha256h2', 'sha256su0', 'sha256su1') && none('sha512h', 'sha512h2', 'sha512su0', 'sha512su1'));
  // RDM, SHA3, SM3, SM4 and the dot product are absent, as on a Cortex-A57.
  for (const [lsb, names] of [[28, ['sqrdmlah', 'sqrdmlsh']], [32, ['eor3', 'rax1', 'xar', 'bcax']], [36, ['sm3ss1', 'sm3tt1a']], [40, ['sm4e', 'sm4ekey']], [44, ['sdot', 'udot']]] as const) {
    assert.equal(field(lsb), 0, `field at bit ${lsb}`);
    assert.ok(none(...names), `${names.join(', ')} have no rows`);
  }
});
