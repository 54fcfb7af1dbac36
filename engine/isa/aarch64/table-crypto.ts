// The cryptographic extension: AES (0100 1110 0010 1000 0 opcode 10 Rn Rd),
// SHA-1 and SHA-256 (three registers: 0101 1110 000 Rm 0 opcode 00 Rn Rd; two:
// 0101 1110 0010 1000 0 opcode 10 Rn Rd) and the 64-bit PMULL, as
// ID_AA64ISAR0_EL1 advertises them (id-registers.ts).

import type { Row } from './table';

const rows: Row[] = [];
const two = { rd: 'rd', rn: 'rn' } as const;
const three = { rd: 'rd', rn: 'rn', rm: 'rm' } as const;

(['aese', 'aesd', 'aesmc', 'aesimc'] as const).forEach((m, i) => {
  rows.push({ id: m, mnemonic: m, group: 'simd', match: 0x4e284800 | (i << 12), mask: 0xfffffc00, operands: two, syntax: '{V.16b:rd}, {V.16b:rn}' });
});
([
  ['sha1c', '{q:rd}, {s:rn}, {V.4s:rm}'], ['sha1p', '{q:rd}, {s:rn}, {V.4s:rm}'], ['sha1m', '{q:rd}, {s:rn}, {V.4s:rm}'],
  ['sha1su0', '{V.4s:rd}, {V.4s:rn}, {V.4s:rm}'], ['sha256h', '{q:rd}, {q:rn}, {V.4s:rm}'], ['sha256h2', '{q:rd}, {q:rn}, {V.4s:rm}'],
  ['sha256su1', '{V.4s:rd}, {V.4s:rn}, {V.4s:rm}'],
] as const).forEach(([m, syntax], i) => {
  rows.push({ id: m, mnemonic: m, group: 'simd', match: 0x5e000000 | (i << 12), mask: 0xffe0fc00, operands: three, syntax });
});
([['sha1h', '{s:rd}, {s:rn}'], ['sha1su1', '{V.4s:rd}, {V.4s:rn}'], ['sha256su0', '{V.4s:rd}, {V.4s:rn}']] as const).forEach(([m, syntax], i) => {
  rows.push({ id: m, mnemonic: m, group: 'simd', match: 0x5e280800 | (i << 12), mask: 0xfffffc00, operands: two, syntax });
});
rows.push({ id: 'pmull.q', mnemonic: 'pmull', group: 'simd', match: 0x0ee0e000, mask: 0xffe0fc00, operands: three, syntax: '{V.1q:rd}, {V.1d:rn}, {V.1d:rm}' });
rows.push({ id: 'pmull2.q', mnemonic: 'pmull2', group: 'simd', match: 0x4ee0e000, mask: 0xffe0fc00, operands: three, syntax: '{V.1q:rd}, {V.2d:rn}, {V.2d:rm}' });

export const cryptoRows: readonly Row[] = rows;
