import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemFlags } from '../../../../engine/hv/consts';
import { FrameAllocator } from '../../../../engine/hv/frame';
import { Stage2PageTable, stage2LevelsFor } from '../../../../engine/hv/arch/aarch64/s2pt';
import { Access, Fsc, translate, type TranslationRegs } from '../../../../engine/isa/aarch64/mmu';
import { PhysicalMemory, Ram } from '../../../../engine/machine/memory';

const { READ, WRITE, EXECUTE, IO, NO_HUGEPAGES } = MemFlags;
const GiB = 0x4000_0000, MiB2 = 0x20_0000;

function setup(levels: 3 | 4): { memory: PhysicalMemory; pt: Stage2PageTable } {
  const memory = new PhysicalMemory(new Ram(0x4000_0000, 0x40_0000));
  const frames = new FrameAllocator(memory, 0x4010_0000, 0x4040_0000);
  return { memory, pt: new Stage2PageTable(memory, frames, levels) };
}

/** Guest EL1 with its MMU off, so only stage 2 translates (fetches are Normal at stage 1). */
function regs(pt: Stage2PageTable, paBits: number): TranslationRegs {
  return { el: 1, sctlr: 0n, tcr: 0n, ttbr0: 0n, ttbr1: 0n, mair: 0n, hcr: 1n, vttbr: pt.vttbr(), vtcr: pt.vtcr(paBits) };
}

test('VTCR_EL2 as activate_vmm writes it: 3 levels below 44 PA bits, else 4', () => {
  const fields = (t0sz: number, sl0: number, ps: number): bigint =>
    BigInt(t0sz) | (BigInt(sl0) << 6n) | (1n << 8n) | (1n << 10n) | (3n << 12n) | (BigInt(ps) << 16n) | (1n << 21n);
  assert.equal(setup(3).pt.vtcr(40), fields(25, 1, 2));
  assert.equal(setup(3).pt.vtcr(32), fields(25, 1, 0));
  assert.equal(setup(4).pt.vtcr(44), fields(20, 2, 4));
  assert.equal(setup(4).pt.vtcr(48), fields(16, 2, 5));
  assert.deepEqual([stage2LevelsFor(42), stage2LevelsFor(44)], [3, 4]);
  assert.throws(() => setup(3).pt.vtcr(48));
  const { pt } = setup(3);
  assert.equal(pt.vttbr(), BigInt(pt.root));
  assert.equal(pt.root % 4096, 0);
});

test('root zone layout on 3 levels: every mapping walks to its HPA with its permissions and memory type', () => {
  const { memory, pt } = setup(3);
  pt.map(0x5000_0000, 0x5000_0000, 0x7000_0000, READ | WRITE | EXECUTE); // RAM: 2 MiB blocks, then a 1 GiB block
  pt.map(0x0900_0000, 0x0900_0000, 0x1000, READ | WRITE | EXECUTE | IO); // PL011
  pt.map(0x0a00_0000, 0x0a00_0000, 0x4000, READ | WRITE | EXECUTE | IO); // virtio-mmio
  pt.map(0x4000_0000, 0x7000_0000, MiB2 + 0x1000, READ | EXECUTE); // a read-only region, shifted
  const r = regs(pt, 40);
  const fetch = (ipa: number): unknown => translate(memory, r, ipa, Access.execute);
  for (const ipa of [0x5000_0000, 0x5123_4568, 0x7fff_fff8, 0x8000_0000, 0xbfff_fff8]) {
    assert.deepEqual(fetch(ipa), { ok: true, pa: ipa, device: false }, `0x${ipa.toString(16)}`);
  }
  assert.deepEqual(fetch(0x0900_0018), { ok: true, pa: 0x0900_0018, device: true });
  assert.deepEqual(fetch(0x0a00_3ffc), { ok: true, pa: 0x0a00_3ffc, device: true });
  assert.deepEqual(fetch(0x4020_0ff0), { ok: true, pa: 0x7020_0ff0, device: false });
  assert.equal(translate(memory, r, 0x5000_0000, Access.write).ok, true);
  assert.equal(translate(memory, r, 0x4000_0010, Access.read).ok, true);
  assert.deepEqual(translate(memory, r, 0x4000_0010, Access.write), { ok: false, stage: 2, fsc: Fsc.permission | 2, ipa: 0x4000_0010, s1ptw: false });
  assert.deepEqual(translate(memory, r, 0x4020_0010, Access.write), { ok: false, stage: 2, fsc: Fsc.permission | 3, ipa: 0x4020_0010, s1ptw: false });
  assert.deepEqual(translate(memory, r, 0x4020_1000, Access.read), { ok: false, stage: 2, fsc: Fsc.translation | 3, ipa: 0x4020_1000, s1ptw: false });
  assert.deepEqual(translate(memory, r, 0xc000_0000, Access.read), { ok: false, stage: 2, fsc: Fsc.translation | 1, ipa: 0xc000_0000, s1ptw: false });
  assert.deepEqual(translate(memory, r, 0x0900_1000, Access.read), { ok: false, stage: 2, fsc: Fsc.translation | 3, ipa: 0x0900_1000, s1ptw: false });

  const leaves = pt.leaves();
  const rw = READ | WRITE | EXECUTE;
  assert.deepEqual(leaves.slice(0, 3), [
    { gpa: 0x0900_0000, hpa: 0x0900_0000, size: 0x1000, flags: rw | IO },
    { gpa: 0x0a00_0000, hpa: 0x0a00_0000, size: 0x1000, flags: rw | IO },
    { gpa: 0x0a00_1000, hpa: 0x0a00_1000, size: 0x1000, flags: rw | IO },
  ]);
  assert.deepEqual(leaves.slice(5, 7), [
    { gpa: 0x4000_0000, hpa: 0x7000_0000, size: MiB2, flags: READ | EXECUTE },
    { gpa: 0x4020_0000, hpa: 0x7020_0000, size: 0x1000, flags: READ | EXECUTE },
  ]);
  const ram = leaves.slice(7);
  assert.equal(ram.length, (GiB - 0x1000_0000) / MiB2 + 1);
  assert.deepEqual(ram[0], { gpa: 0x5000_0000, hpa: 0x5000_0000, size: MiB2, flags: rw });
  assert.deepEqual(ram.at(-1), { gpa: 0x8000_0000, hpa: 0x8000_0000, size: GiB, flags: rw });
  for (let i = 1; i < leaves.length; i++) assert.ok(leaves[i]!.gpa > leaves[i - 1]!.gpa);
});

test('NO_HUGEPAGES maps 4 KiB pages; 4 levels reach a 48-bit IPA', () => {
  const { memory, pt } = setup(4);
  pt.map(0x8000_0000_0000, 0x4000_0000, MiB2, READ | WRITE | NO_HUGEPAGES);
  pt.map(0x4000_0000, 0x4000_0000, GiB, READ | WRITE | EXECUTE);
  const r = regs(pt, 48);
  assert.deepEqual(translate(memory, r, 0x8000_001f_f008, Access.read), { ok: true, pa: 0x401f_f008, device: true });
  assert.deepEqual(translate(memory, r, 0x7fff_ffff_fff8, Access.read), { ok: false, stage: 2, fsc: Fsc.translation | 0, ipa: 0x7fff_ffff_fff8, s1ptw: false });
  assert.deepEqual(translate(memory, r, 0x7fff_fff8, Access.execute), { ok: true, pa: 0x7fff_fff8, device: false });
  const leaves = pt.leaves();
  assert.equal(leaves.length, 1 + 512);
  assert.deepEqual(leaves[0], { gpa: 0x4000_0000, hpa: 0x4000_0000, size: GiB, flags: READ | WRITE | EXECUTE });
  assert.deepEqual(leaves[1], { gpa: 0x8000_0000_0000, hpa: 0x4000_0000, size: 0x1000, flags: READ | WRITE | EXECUTE });
});
