import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Access, Fsc, translate, type TranslationRegs } from '../../../engine/isa/aarch64/mmu';
import { PhysicalMemory, Ram } from '../../../engine/machine/memory';

const RAM_BASE = 0x4000_0000;
const VALID = 1n, TABLE = 2n, PAGE = 3n, AF = 1n << 10n;
const AP_EL0 = 1n << 6n, AP_RO = 1n << 7n;
const PXN = 1n << 53n, UXN = 1n << 54n;
const PXN_TABLE = 1n << 59n, UXN_TABLE = 1n << 60n, AP_TABLE_NO_EL0 = 1n << 61n, AP_TABLE_RO = 1n << 62n;
/** MAIR: attr0 Device-nGnRnE, attr1 Normal WB. */
const MAIR = 0xff00n;
const NORMAL = 1n << 2n;
/** TCR_EL1: 4 KiB granules for both halves, IPS 48 bits. */
const tcr = (t0sz: number, t1sz: number, extra = 0n): bigint =>
  BigInt(t0sz) | (BigInt(t1sz) << 16n) | (0b10n << 30n) | (5n << 32n) | extra;

/** Hands out zeroed 4 KiB tables and writes descriptors into them. */
class Tables {
  next = RAM_BASE + 0x10_0000;
  constructor(readonly memory: PhysicalMemory) {}
  alloc(pages = 1): number {
    const pa = this.next;
    this.next += pages * 0x1000;
    return pa;
  }
  set(table: number, index: number, desc: bigint): void {
    this.memory.write(table + index * 8, 8, desc);
  }
  get(table: number, index: number): bigint {
    return this.memory.read(table + index * 8, 8)!;
  }
  /**
   * Map `addr` (the VA/IPA bits below the input size) with a leaf at
   * `leafLevel`, making tables from `startLevel` down; returns the leaf's
   * table and index. `tableAttrs` go on every table descriptor made.
   */
  map(root: number, startLevel: number, addr: number, leafLevel: number, leaf: bigint, tableAttrs = 0n): [number, number] {
    let table = root;
    for (let level = startLevel; level < leafLevel; level++) {
      const index = Math.floor(addr / 2 ** (12 + 9 * (3 - level))) % (level === startLevel ? 2 ** 16 : 512);
      let d = this.get(table, index);
      if (!(d & VALID)) {
        d = BigInt(this.alloc()) | TABLE | VALID | tableAttrs;
        this.set(table, index, d);
      }
      table = Number(d & 0xffff_ffff_f000n);
    }
    const index = Math.floor(addr / 2 ** (12 + 9 * (3 - leafLevel))) % 512;
    this.set(table, index, leaf);
    return [table, index];
  }
}

function setup(): { memory: PhysicalMemory; t: Tables } {
  const memory = new PhysicalMemory(new Ram(RAM_BASE, 0x80_0000));
  return { memory, t: new Tables(memory) };
}

function regs(over: Partial<TranslationRegs>): TranslationRegs {
  return { el: 1, sctlr: 1n, tcr: tcr(16, 16), ttbr0: 0n, ttbr1: 0n, mair: MAIR, hcr: 0n, vttbr: 0n, vtcr: 0n, ...over };
}

const fault = (stage: 1 | 2, fsc: number, ipa = 0, s1ptw = false): object => ({ ok: false, stage, fsc, ipa, s1ptw });
const ok = (pa: number, device = false): object => ({ ok: true, pa, device });

test('MMU off: flat, data is Device, fetches are Normal, above 48 bits is an address size fault', () => {
  const { memory } = setup();
  const r = regs({ sctlr: 0n });
  assert.deepEqual(translate(memory, r, 0x1234_5678, Access.read), ok(0x1234_5678, true));
  assert.deepEqual(translate(memory, r, 0x1234_5678, Access.execute), ok(0x1234_5678, false));
  assert.deepEqual(translate(memory, r, 2 ** 48, Access.read), fault(1, Fsc.addressSize));
  assert.deepEqual(translate(memory, r, -4096, Access.write), fault(1, Fsc.addressSize));
});

test('48-bit VA: a four-level walk to a page, with MAIR attributes', () => {
  const { memory, t } = setup();
  const root = t.alloc();
  const va = 0x7f12_3456_7000;
  t.map(root, 0, va, 3, 0x4020_0000n | PAGE | AF | NORMAL);
  t.map(root, 0, va + 0x1000, 3, 0x0900_0000n | PAGE | AF);
  const r = regs({ ttbr0: BigInt(root) | (5n << 48n) }); // ASID bits are ignored
  assert.deepEqual(translate(memory, r, va + 0xabc, Access.read), ok(0x4020_0abc));
  assert.deepEqual(translate(memory, r, va + 0x1008, Access.write), ok(0x0900_0008, true));
  assert.deepEqual(translate(memory, r, va + 0x2000, Access.read), fault(1, Fsc.translation | 3));
  assert.deepEqual(translate(memory, r, 0x1000, Access.read), fault(1, Fsc.translation | 0));
});

test('39-bit VA starts at level 1, with 1 GiB and 2 MiB blocks', () => {
  const { memory, t } = setup();
  const root = t.alloc();
  t.map(root, 1, 0x3f_c000_0000, 1, 0x8000_0000n | VALID | AF | NORMAL); // last GiB of the range
  t.map(root, 1, 0x20_0000, 2, 0x4060_0000n | VALID | AF | NORMAL);
  const r = regs({ tcr: tcr(25, 25), ttbr0: BigInt(root) });
  assert.deepEqual(translate(memory, r, 0x3f_c123_4567, Access.read), ok(0x8123_4567));
  assert.deepEqual(translate(memory, r, 0x3f_ffff_fffc, Access.read), ok(0xbfff_fffc));
  assert.deepEqual(translate(memory, r, 0x2f_edcb, Access.execute), ok(0x406f_edcb));
  assert.deepEqual(translate(memory, r, 0x80_0000_0000, Access.read), fault(1, Fsc.translation | 0));
  // A block at level 0 or bits[1:0] = 01 at level 3 are translation faults at that level.
  const l3 = t.map(root, 1, 0x60_0000, 3, 0x4000_0000n | VALID | AF)[0];
  assert.deepEqual(translate(memory, r, 0x60_0000, Access.read), fault(1, Fsc.translation | 3));
  assert.ok(l3 > root);
  const root48 = t.alloc();
  t.set(root48, 0, 0x4000_0000n | VALID | AF);
  assert.deepEqual(translate(memory, regs({ ttbr0: BigInt(root48) }), 0x1000, Access.read), fault(1, Fsc.translation | 0));
});

test('TTBR1 translates the high half by the sign of the VA; the gap faults at level 0', () => {
  const { memory, t } = setup();
  const root1 = t.alloc();
  const root39 = t.alloc();
  // 0xffff_0000_0000_0000 + 0x8000_1000 with T1SZ = 16.
  const hi48 = -(2 ** 48) + 0x8000_1000;
  t.map(root1, 0, 0x8000_1000, 3, 0x4030_0000n | PAGE | AF | NORMAL);
  const r = regs({ ttbr1: BigInt(root1) });
  assert.deepEqual(translate(memory, r, hi48 + 0x10, Access.read), ok(0x4030_0010));
  // 0xffff_ff80_0000_0000 is the bottom of a 39-bit upper range.
  t.map(root39, 1, 0x20_0000, 2, 0x4040_0000n | VALID | AF | NORMAL);
  const r39 = regs({ tcr: tcr(25, 25), ttbr1: BigInt(root39) });
  assert.deepEqual(translate(memory, r39, -(2 ** 39) + 0x20_0004, Access.read), ok(0x4040_0004));
  assert.deepEqual(translate(memory, r39, -(2 ** 39) - 8, Access.read), fault(1, Fsc.translation | 0));
  assert.deepEqual(translate(memory, r39, 2 ** 39, Access.read), fault(1, Fsc.translation | 0));
  // EPD1 disables TTBR1 walks; EPD0 TTBR0 walks.
  assert.deepEqual(translate(memory, regs({ ttbr1: BigInt(root1), tcr: tcr(16, 16, 1n << 23n) }), hi48, Access.read), fault(1, Fsc.translation | 0));
  assert.deepEqual(translate(memory, regs({ tcr: tcr(16, 16, 1n << 7n) }), 0, Access.read), fault(1, Fsc.translation | 0));
  // A 64 KiB TG0 granule is not built into this core.
  assert.deepEqual(translate(memory, regs({ tcr: tcr(16, 16, 1n << 14n) }), 0, Access.read), fault(1, Fsc.translation | 0));
});

test('Access flag faults at the level of the leaf', () => {
  const { memory, t } = setup();
  const root = t.alloc();
  t.map(root, 1, 0, 1, 0x4000_0000n | VALID);
  t.map(root, 1, 0x4000_0000, 2, 0x4000_0000n | VALID);
  t.map(root, 1, 0x8000_0000, 3, 0x4000_0000n | PAGE);
  const r = regs({ tcr: tcr(25, 25), ttbr0: BigInt(root) });
  assert.deepEqual(translate(memory, r, 0x10, Access.read), fault(1, Fsc.accessFlag | 1));
  assert.deepEqual(translate(memory, r, 0x4000_0010, Access.read), fault(1, Fsc.accessFlag | 2));
  assert.deepEqual(translate(memory, r, 0x8000_0010, Access.read, { setFlags: true }), fault(1, Fsc.accessFlag | 3));
});

test('data permissions per EL from AP[2:1] and APTable', () => {
  const { memory, t } = setup();
  const root = t.alloc();
  const page = (i: number, attrs: bigint, tableAttrs = 0n): number => {
    const va = 0x4000_0000 * (i + 1); // one level-1 entry each, so table attributes stay apart
    t.map(root, 1, va, 3, BigInt(0x4000_0000 + i * 0x1000) | PAGE | AF | NORMAL | attrs, tableAttrs);
    return va;
  };
  const el1rw = page(0, 0n);
  const rwAll = page(1, AP_EL0);
  const el1ro = page(2, AP_RO);
  const roAll = page(3, AP_RO | AP_EL0);
  const noEl0ByTable = page(4, AP_EL0, AP_TABLE_NO_EL0);
  const roByTable = page(5, AP_EL0, AP_TABLE_RO);
  const el1 = regs({ tcr: tcr(25, 25), ttbr0: BigInt(root) });
  const el0 = { ...el1, el: 0 as const };
  const perm = fault(1, Fsc.permission | 3);
  const check = (r: TranslationRegs, va: number, access: Access, allowed: boolean, unprivileged = false): void => {
    const result = translate(memory, r, va, access, { unprivileged });
    assert.equal(result.ok, allowed, `va 0x${va.toString(16)} access ${access} el ${r.el}`);
    if (!allowed) assert.deepEqual(result, perm);
  };
  check(el1, el1rw, Access.write, true);
  check(el0, el1rw, Access.read, false);
  check(el1, el1rw, Access.read, false, true);
  check(el0, rwAll, Access.write, true);
  check(el1, rwAll, Access.write, true, true);
  check(el1, el1ro, Access.write, false);
  check(el1, el1ro, Access.read, true);
  check(el0, el1ro, Access.read, false);
  check(el0, roAll, Access.read, true);
  check(el0, roAll, Access.write, false);
  check(el1, roAll, Access.write, false);
  check(el0, noEl0ByTable, Access.read, false);
  check(el1, noEl0ByTable, Access.write, true);
  check(el0, roByTable, Access.read, true);
  check(el0, roByTable, Access.write, false);
  check(el1, roByTable, Access.write, false);
});

test('execute permissions: UXN, PXN, the table bits, EL0-writable pages and WXN', () => {
  const { memory, t } = setup();
  const root = t.alloc();
  const page = (i: number, attrs: bigint, tableAttrs = 0n): number => {
    const va = 0x4000_0000 * (i + 1); // one level-1 entry each, so table attributes stay apart
    t.map(root, 1, va, 3, BigInt(0x4000_0000 + i * 0x1000) | PAGE | AF | NORMAL | attrs, tableAttrs);
    return va;
  };
  const uxn = page(0, UXN | AP_EL0 | AP_RO);
  const pxn = page(1, PXN | AP_EL0 | AP_RO);
  const uxnTable = page(2, AP_EL0 | AP_RO, UXN_TABLE);
  const pxnTable = page(3, AP_EL0 | AP_RO, PXN_TABLE);
  const el0Writable = page(4, AP_EL0);
  const el1Writable = page(5, 0n);
  const el1 = regs({ tcr: tcr(25, 25), ttbr0: BigInt(root) });
  const el0 = { ...el1, el: 0 as const };
  const wxn1 = { ...el1, sctlr: 1n | (1n << 19n) };
  const wxn0 = { ...wxn1, el: 0 as const };
  const x = (r: TranslationRegs, va: number): boolean => translate(memory, r, va, Access.execute).ok;
  assert.deepEqual([x(el0, uxn), x(el1, uxn)], [false, true]);
  assert.deepEqual([x(el0, pxn), x(el1, pxn)], [true, false]);
  assert.deepEqual([x(el0, uxnTable), x(el1, uxnTable)], [false, true]);
  assert.deepEqual([x(el0, pxnTable), x(el1, pxnTable)], [true, false]);
  // AArch64 treats a region writable at EL0 as PXN.
  assert.deepEqual([x(el0, el0Writable), x(el1, el0Writable)], [true, false]);
  // EL0 may execute a page it cannot read (execute-only).
  assert.deepEqual([x(el0, el1Writable), x(el1, el1Writable)], [true, true]);
  assert.deepEqual([x(wxn0, el0Writable), x(wxn1, el1Writable), x(wxn0, el1Writable), x(wxn1, uxn)], [false, false, true, true]);
  assert.deepEqual(translate(memory, el0, uxn, Access.execute), fault(1, Fsc.permission | 3));
});

test('address size faults on TTBR, table and output addresses above IPS', () => {
  const { memory, t } = setup();
  const ips32 = (ttbr0: bigint): TranslationRegs => regs({ tcr: tcr(25, 25) & ~(7n << 32n), ttbr0 });
  assert.deepEqual(translate(memory, ips32(0x1_0000_0000n), 0, Access.read), fault(1, Fsc.addressSize | 0));
  const root = t.alloc();
  t.map(root, 1, 0, 3, 0x1_0000_0000n | PAGE | AF);
  t.set(root, 1, 0x2_0000_0000n | TABLE | VALID);
  assert.deepEqual(translate(memory, ips32(BigInt(root)), 0x10, Access.read), fault(1, Fsc.addressSize | 3));
  assert.deepEqual(translate(memory, ips32(BigInt(root)), 0x4000_0000, Access.read), fault(1, Fsc.addressSize | 1));
  // The same page with IPS = 48 bits is fine.
  assert.deepEqual(translate(memory, regs({ tcr: tcr(25, 25), ttbr0: BigInt(root) }), 0x10, Access.read), ok(0x1_0000_0010, true));
});

test('descriptor reads outside RAM are external aborts on the walk', () => {
  const { memory, t } = setup();
  assert.deepEqual(translate(memory, regs({ ttbr0: 0x1000n }), 0, Access.read), fault(1, Fsc.walkExternalAbort | 0));
  const root = t.alloc();
  t.set(root, 0, 0x2000n | TABLE | VALID);
  assert.deepEqual(translate(memory, regs({ tcr: tcr(25, 25), ttbr0: BigInt(root) }), 0, Access.read), fault(1, Fsc.walkExternalAbort | 2));
});

// Stage 2: VTCR_EL2 with 4 KiB granule, PS = 48 bits.
const vtcr = (t0sz: number, sl0: number, extra = 0n): bigint => BigInt(t0sz) | (BigInt(sl0) << 6n) | (5n << 16n) | extra;
const VTCR_HA = 1n << 21n;
const S2_READ = 1n << 6n, S2_WRITE = 1n << 7n, S2_XN = 1n << 54n;
const S2_NORMAL = 0b1111n << 2n, S2_DEVICE = 0b0001n << 2n;
const HCR_VM = 1n;

test('stage 2 alone: 3-level 39-bit IPA, S2AP, XN, MemAttr and faults reported with the IPA', () => {
  const { memory, t } = setup();
  const root = t.alloc();
  t.map(root, 1, 0x4000_0000, 2, 0x4000_0000n | VALID | AF | S2_READ | S2_WRITE | S2_NORMAL);
  t.map(root, 1, 0x0900_0000, 3, 0x0900_0000n | PAGE | AF | S2_READ | S2_WRITE | S2_DEVICE | S2_XN);
  t.map(root, 1, 0x0900_1000, 3, 0x4000_1000n | PAGE | AF | S2_READ | S2_NORMAL);
  const r = regs({ sctlr: 0n, hcr: HCR_VM, vtcr: vtcr(25, 1), vttbr: BigInt(root) });
  assert.deepEqual(translate(memory, r, 0x4012_3456, Access.execute), ok(0x4012_3456));
  assert.deepEqual(translate(memory, r, 0x4012_3456, Access.write), ok(0x4012_3456, true)); // stage-1-off data is Device
  assert.deepEqual(translate(memory, r, 0x0900_0010, Access.execute), fault(2, Fsc.permission | 3, 0x0900_0010));
  const nx = translate(memory, r, 0x0900_0010, Access.read);
  assert.deepEqual(nx, ok(0x0900_0010, true));
  assert.deepEqual(translate(memory, r, 0x0900_1010, Access.write), fault(2, Fsc.permission | 3, 0x0900_1010));
  assert.deepEqual(translate(memory, r, 0x0900_1010, Access.execute), ok(0x4000_1010));
  assert.deepEqual(translate(memory, r, 0x0900_2000, Access.read), fault(2, Fsc.translation | 3, 0x0900_2000));
  assert.deepEqual(translate(memory, r, 0x8000_0000, Access.read), fault(2, Fsc.translation | 1, 0x8000_0000));
  assert.deepEqual(translate(memory, r, 2 ** 39, Access.read), fault(2, Fsc.translation | 0, 2 ** 39));
});

test('stage 2: concatenated start tables, 4-level walks and a misprogrammed VTCR', () => {
  const { memory, t } = setup();
  // T0SZ = 24 with SL0 = 1: two concatenated level-1 tables (8 KiB, aligned).
  const root = t.alloc(2);
  const ipa = 0x80_4000_0000; // second table, entry 1
  t.set(root, 512 + 1, 0x4000_0000n | VALID | AF | S2_READ | S2_NORMAL);
  const r = regs({ sctlr: 0n, hcr: HCR_VM, vtcr: vtcr(24, 1), vttbr: BigInt(root) });
  assert.deepEqual(translate(memory, r, ipa + 0x44, Access.execute), ok(0x4000_0044));
  // 48-bit IPA with SL0 = 2 starts at level 0.
  const root4 = t.alloc();
  t.map(root4, 0, 0xff80_0000_0000, 3, 0x4050_0000n | PAGE | AF | S2_READ | S2_NORMAL);
  const r4 = regs({ sctlr: 0n, hcr: HCR_VM, vtcr: vtcr(16, 2), vttbr: BigInt(root4) });
  assert.deepEqual(translate(memory, r4, 0xff80_0000_0ffc, Access.execute), ok(0x4050_0ffc));
  // A 39-bit IPA cannot start at level 2 (it would need 1024 tables), nor a 25-bit one at level 0.
  assert.deepEqual(translate(memory, regs({ ...r, vtcr: vtcr(25, 0) }), 0, Access.read), fault(2, Fsc.translation | 0, 0));
  assert.deepEqual(translate(memory, regs({ ...r, vtcr: vtcr(39, 2) }), 0, Access.read), fault(2, Fsc.translation | 0, 0));
});

test('stage 2 Access flag: a fault without VTCR_EL2.HA, set in memory with it (unless setFlags is false)', () => {
  const { memory, t } = setup();
  const root = t.alloc();
  const [table, index] = t.map(root, 1, 0x4000_0000, 3, 0x4000_0000n | PAGE | S2_READ | S2_NORMAL);
  const r = regs({ sctlr: 0n, hcr: HCR_VM, vtcr: vtcr(25, 1), vttbr: BigInt(root) });
  assert.deepEqual(translate(memory, r, 0x4000_0008, Access.execute), fault(2, Fsc.accessFlag | 3, 0x4000_0008));
  const ha = { ...r, vtcr: r.vtcr | VTCR_HA };
  assert.deepEqual(translate(memory, ha, 0x4000_0008, Access.execute, { setFlags: false }), ok(0x4000_0008));
  assert.equal(t.get(table, index) & AF, 0n);
  assert.deepEqual(translate(memory, ha, 0x4000_0008, Access.execute), ok(0x4000_0008));
  assert.equal(t.get(table, index) & AF, AF);
  assert.deepEqual(translate(memory, r, 0x4000_0008, Access.execute), ok(0x4000_0008));
});

test('two stages: stage-1 descriptors are IPAs; a stage-2 fault on one reports s1ptw and the descriptor IPA', () => {
  const { memory, t } = setup();
  // Stage 2 maps IPA 0x8000_0000 + n to PA 0x4000_0000 + n for the first 2 MiB and a device page.
  const s2root = t.alloc();
  t.map(s2root, 1, 0x8000_0000, 2, 0x4000_0000n | VALID | AF | S2_READ | S2_WRITE | S2_NORMAL);
  t.map(s2root, 1, 0x9000_0000, 3, 0x0900_0000n | PAGE | AF | S2_READ | S2_WRITE | S2_DEVICE);
  // Stage-1 tables live in that window at IPA 0x8010_0000 (PA 0x4010_0000 onwards, where Tables allocates).
  const toIpa = (pa: number): number => pa - 0x4000_0000 + 0x8000_0000;
  const s1root = t.alloc();
  const l2 = t.alloc();
  const l3 = t.alloc();
  t.set(s1root, 0, BigInt(toIpa(l2)) | TABLE | VALID);
  t.set(l2, 0, BigInt(toIpa(l3)) | TABLE | VALID);
  t.set(l3, 0, 0x8000_3000n | PAGE | AF | NORMAL);
  t.set(l3, 1, 0x9000_0000n | PAGE | AF | NORMAL);
  t.set(l2, 1, 0xa000_0000n | TABLE | VALID); // a table at an IPA stage 2 does not map
  t.set(l3, 2, 0xb000_0000n | PAGE | AF | NORMAL);
  const r = regs({ tcr: tcr(25, 25), ttbr0: BigInt(toIpa(s1root)), hcr: HCR_VM, vtcr: vtcr(25, 1), vttbr: BigInt(s2root) });
  assert.deepEqual(translate(memory, r, 0x123, Access.write), ok(0x4000_3123));
  assert.deepEqual(translate(memory, r, 0x1008, Access.read), ok(0x0900_0008, true));
  assert.deepEqual(translate(memory, r, 0x20_0010, Access.read), fault(2, Fsc.translation | 2, 0xa000_0000, true));
  assert.deepEqual(translate(memory, r, 0x2010, Access.read), fault(2, Fsc.translation | 2, 0xb000_0010));
  // The TTBR itself outside stage 2.
  assert.deepEqual(translate(memory, { ...r, ttbr0: 0xc000_0000n }, 0x8000_0000, Access.read), fault(2, Fsc.translation | 1, 0xc000_0010, true));
  // Stage 1 faults stay stage 1.
  assert.deepEqual(translate(memory, r, 0x3000, Access.read), fault(1, Fsc.translation | 3));
});

test('stage 2 with VTCR_EL2.HA sets the Access flag only for a permitted access', () => {
  const { memory, t } = setup();
  const root = t.alloc();
  const [table, index] = t.map(root, 1, 0x4000_0000, 3, 0x4000_0000n | PAGE | S2_READ | S2_NORMAL);
  const r = regs({ sctlr: 0n, hcr: HCR_VM, vtcr: vtcr(25, 1, VTCR_HA), vttbr: BigInt(root) });
  assert.deepEqual(translate(memory, r, 0x4000_0008, Access.write), fault(2, Fsc.permission | 3, 0x4000_0008));
  assert.equal(t.get(table, index) & AF, 0n);
  assert.deepEqual(translate(memory, r, 0x4000_0008, Access.read), ok(0x4000_0008, true));
  assert.equal(t.get(table, index) & AF, AF);
});
