// Stage-1 walks whose results were taken from QEMU (qemu-system-aarch64 -M
// virt -cpu cortex-a57): a bare-metal EL1 program wrote these tables, turned
// the MMU on and printed PAR_EL1 after AT S1E1R/S1E1W/S1E0R/S1E0W for each
// address below. PAR_EL1 gives the page address or FST, the fault status code.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Access, translate, type TranslationRegs } from '../../../engine/isa/aarch64/mmu';
import { PhysicalMemory, Ram } from '../../../engine/machine/memory';

const DESCRIPTORS: [number, bigint][] = [
  // TTBR0 level-1 root.
  [0x4010_0000, 0x4010_1003n], // table
  [0x4010_0008, 0x4000_0405n], // 1 GiB block, Normal, AF
  [0x4010_0010, 0x8000_0005n], // block without AF
  [0x4010_0018, 0x100_0000_0405n], // block output above IPS (40 bits)
  // Level 2.
  [0x4010_1000, 0x4010_2003n],
  [0x4010_1008, 0x4020_0485n], // 2 MiB block, AP = 10 (EL1 read-only)
  [0x4010_1240, 0x0900_0401n], // the UART, Device
  // Level 3.
  [0x4010_2000, 0x4030_0447n], // page, AP = 01 (EL0 read/write)
  [0x4010_2008, 0x4030_1047n], // page without AF
  [0x4010_2010, 0x40_0000_4030_2447n], // UXN page
  [0x4010_2018, 0x4030_3445n], // bits[1:0] = 01 at level 3
  // TTBR1 level-1 root: its last entry.
  [0x4010_3ff8, 0x4000_0405n],
];

/** [access, EL, VA, PAR_EL1 as QEMU printed it]. */
const QEMU: [Access, 0 | 1, number, bigint][] = [
  [Access.read, 1, 0x123, 0xff00_0000_4030_0a00n],
  [Access.read, 1, 0x4000_1234, 0xff00_0000_4000_1a00n],
  [Access.read, 1, 0x8000_0000, 0x813n],
  [Access.read, 1, 0xc000_0000, 0x803n],
  [Access.write, 1, 0x20_0000, 0x81dn],
  [Access.read, 1, 0x40_0000, 0x80dn],
  [Access.read, 1, 0x1000, 0x817n],
  [Access.read, 1, 0x3000, 0x80fn],
  [Access.read, 0, 0x4000_0000, 0x81bn],
  [Access.write, 0, 0x10, 0xff00_0000_4030_0a00n],
  [Access.read, 1, 0x80_0000_0000, 0x809n],
  [Access.read, 1, -(2 ** 30) + 0xabc, 0xff00_0000_4000_0a00n], // 0xffff_ffff_c000_0abc
  [Access.read, 1, -(2 ** 39) - 1, 0x809n], // 0xffff_ff7f_ffff_ffff
  [Access.read, 0, 0x2000, 0xff00_0000_4030_2a00n],
  [Access.read, 0, 0x20_0000, 0x81dn],
];

test('stage-1 results match PAR_EL1 from QEMU for the same tables', () => {
  const memory = new PhysicalMemory(new Ram(0x4000_0000, 0x80_0000));
  for (const [pa, desc] of DESCRIPTORS) memory.write(pa, 8, desc);
  const regs: TranslationRegs = {
    el: 1, sctlr: 1n, tcr: 25n | (25n << 16n) | (2n << 30n) | (2n << 32n), ttbr0: 0x4010_0000n, ttbr1: 0x4010_3000n,
    mair: 0xff00n, hcr: 0n, vttbr: 0n, vtcr: 0n,
  };
  for (const [access, el, va, par] of QEMU) {
    const r = translate(memory, { ...regs, el }, va, access);
    const what = `${['read', 'write'][access]} at EL${el} of ${va}`;
    if (par & 1n) {
      assert.deepEqual(r, { ok: false, stage: 1, fsc: Number((par >> 1n) & 0x3fn), ipa: 0, s1ptw: false }, what);
    } else {
      assert.ok(r.ok, what);
      assert.equal(BigInt(r.pa) & ~0xfffn, par & 0xffff_ffff_f000n, what);
      assert.equal(r.device, (par >> 56n) === 0n, what);
    }
  }
});
