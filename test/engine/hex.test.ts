// Numbers in messages and traces: 64-bit patterns, never a minus sign after 0x.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex } from '../../engine/hex';

test('hex writes addresses and registers as unsigned 64-bit patterns', () => {
  assert.equal(hex(0), '0x0');
  assert.equal(hex(0x8020_0000), '0x80200000');
  assert.equal(hex(2 ** 40), '0x10000000000');
  assert.equal(hex((1n << 64n) - 1n), '0xffffffffffffffff');
  // A guest address read as signed, as a fault at VA -8 gives it.
  assert.equal(hex(-8n), '0xfffffffffffffff8');
  assert.equal(hex(-8), '0xfffffffffffffff8');
});
