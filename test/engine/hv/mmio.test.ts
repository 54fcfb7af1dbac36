import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HvErrno } from '../../../engine/hv/consts';
import { RwLock } from '../../../engine/hv/lock';
import { MemorySet } from '../../../engine/hv/memory-set';
import { HV_OK, hvErr, mmioHandleAccess, mmioRegionRegister, type MmioAccess, type MmioHandler } from '../../../engine/hv/mmio';
import { Zone } from '../../../engine/hv/zone';
import type { Stage2PageTable } from '../../../engine/hv/arch/riscv64/s2pt';

/** A zone with no memory: MMIO routing never touches the stage-2 table. */
const makeZone = (id = 1): Zone => new Zone(id, `zone${id}`, new MemorySet(null as unknown as Stage2PageTable), 4, new RwLock(`zone${id}`));

/** A handler that records what it saw and answers reads with `reply`. */
function recorder(reply = 0n) {
  const seen: { access: MmioAccess; arg: number }[] = [];
  const handler: MmioHandler = (access, arg) => {
    seen.push({ access: { ...access }, arg });
    if (!access.isWrite) access.value = reply;
    return HV_OK;
  };
  return { seen, handler };
}

const access = (address: number, size: 1 | 2 | 4 | 8, isWrite = false, value = 0n): MmioAccess => ({ address, size, isWrite, value });

test('registration appends in order and records the handler, its name and arg', () => {
  const zone = makeZone();
  const a = recorder();
  const b = recorder();
  assert.deepEqual(mmioRegionRegister(zone, 0x1000_0000, 0x1000, 'first', a.handler, 7), { replaced: false, sizeMismatch: false });
  assert.deepEqual(mmioRegionRegister(zone, 0x0c00_0000, 0x400_0000, 'second', b.handler, 0), { replaced: false, sizeMismatch: false });
  assert.deepEqual(zone.mmio.map((m) => [m.start, m.size, m.handlerName, m.arg]), [[0x1000_0000, 0x1000, 'first', 7], [0x0c00_0000, 0x400_0000, 'second', 0]]);
  assert.equal(zone.mmio[0]!.handler, a.handler);
});

test('a second registration at the same start replaces handler and arg in place and keeps the old size', () => {
  const zone = makeZone();
  const a = recorder();
  const b = recorder();
  const c = recorder();
  mmioRegionRegister(zone, 0x1000, 0x100, 'a', a.handler, 1);
  mmioRegionRegister(zone, 0x2000, 0x100, 'b', b.handler, 2);
  assert.deepEqual(mmioRegionRegister(zone, 0x1000, 0x100, 'c', c.handler, 3), { replaced: true, sizeMismatch: false });
  assert.deepEqual(mmioRegionRegister(zone, 0x1000, 0x800, 'c2', c.handler, 4), { replaced: true, sizeMismatch: true });
  assert.deepEqual(zone.mmio.map((m) => [m.start, m.size, m.handlerName, m.arg]), [[0x1000, 0x100, 'c2', 4], [0x2000, 0x100, 'b', 2]]);
  // The kept size still bounds accesses.
  assert.equal(mmioHandleAccess(zone, access(0x1100, 4)).ok, false);
  assert.equal(mmioHandleAccess(zone, access(0x10fc, 4)).ok, true);
  assert.equal(a.seen.length, 0);
  assert.deepEqual(c.seen.map((s) => [s.access.address, s.arg]), [[0xfc, 4]]);
});

test('dispatch converts the GPA into an offset and passes the arg; reads return the handler\'s value', () => {
  const zone = makeZone();
  const r = recorder(0xdead_beef_cafen);
  mmioRegionRegister(zone, 0x1000_1000, 0x200, 'virtio', r.handler, 0x1000_1000);
  const read = access(0x1000_1070, 4);
  assert.deepEqual(mmioHandleAccess(zone, read), HV_OK);
  assert.equal(read.address, 0x70);
  assert.equal(read.value, 0xdead_beef_cafen);
  const write = access(0x1000_1050, 8, true, 0x1234n);
  assert.deepEqual(mmioHandleAccess(zone, write), HV_OK);
  assert.deepEqual(r.seen.map((s) => [s.access.address, s.access.size, s.access.isWrite, s.access.value, s.arg]), [
    [0x70, 4, false, 0n, 0x1000_1000],
    [0x50, 8, true, 0x1234n, 0x1000_1000],
  ]);
});

test('the whole access must fit: both ends of a region, every size', () => {
  const zone = makeZone();
  const r = recorder();
  mmioRegionRegister(zone, 0x4000, 0x10, 'r', r.handler, 0);
  for (const size of [1, 2, 4, 8] as const) {
    assert.equal(mmioHandleAccess(zone, access(0x4000, size)).ok, true, `start, size ${size}`);
    assert.equal(mmioHandleAccess(zone, access(0x4010 - size, size)).ok, true, `last fit, size ${size}`);
    if (size > 1) assert.equal(mmioHandleAccess(zone, access(0x4011 - size, size)).ok, false, `straddles the end, size ${size}`);
    assert.equal(mmioHandleAccess(zone, access(0x4000 - 1, size)).ok, false, `starts before, size ${size}`);
  }
});

test('the first containing region in registration order wins, even if a later one is tighter', () => {
  const zone = makeZone();
  const big = recorder();
  const small = recorder();
  mmioRegionRegister(zone, 0x8000, 0x1000, 'big', big.handler, 1);
  mmioRegionRegister(zone, 0x8800, 0x100, 'small', small.handler, 2);
  assert.equal(mmioHandleAccess(zone, access(0x8810, 4)).ok, true);
  assert.deepEqual(big.seen.map((s) => s.access.address), [0x810]);
  assert.equal(small.seen.length, 0);
  // An access that only the later region holds goes there.
  const zone2 = makeZone(2);
  mmioRegionRegister(zone2, 0x8800, 0x100, 'small', small.handler, 2);
  mmioRegionRegister(zone2, 0x8000, 0x1000, 'big', big.handler, 1);
  mmioHandleAccess(zone2, access(0x88fe, 4)); // straddles small's end → big
  mmioHandleAccess(zone2, access(0x8804, 4)); // small is first and holds it
  assert.deepEqual(big.seen.map((s) => s.access.address), [0x810, 0x8fe]);
  assert.deepEqual(small.seen.map((s) => s.access.address), [0x4]);
});

test('no region → EINVAL and the access is left as it was', () => {
  const zone = makeZone(3);
  const r = recorder();
  mmioRegionRegister(zone, 0x1000, 0x100, 'r', r.handler, 0);
  const a = access(0x2000, 4, true, 5n);
  const res = mmioHandleAccess(zone, a);
  assert.equal(res.ok, false);
  if (!res.ok) {
    assert.equal(res.errno, HvErrno.EINVAL);
    assert.match(res.message, /zone 3 unhandled mmio fault at 0x2000/);
  }
  assert.deepEqual(a, access(0x2000, 4, true, 5n));
  assert.equal(mmioHandleAccess(makeZone(), access(0, 1)).ok, false);
});

test('a handler\'s error is returned unchanged', () => {
  const zone = makeZone();
  const failing: MmioHandler = () => hvErr(HvErrno.EIO, 'device says no');
  mmioRegionRegister(zone, 0x1000, 0x100, 'failing', failing, 0);
  assert.deepEqual(mmioHandleAccess(zone, access(0x1000, 4)), { ok: false, errno: HvErrno.EIO, message: 'device says no' });
});

test('a region pushed without a handler (older registrations) fails with EINVAL rather than crashing', () => {
  const zone = makeZone();
  zone.mmio.push({ start: 0x1000, size: 0x100, handlerName: 'mmio_virtio_handler', arg: 0x1000 });
  const res = mmioHandleAccess(zone, access(0x1000, 4));
  assert.equal(res.ok, false);
  if (!res.ok) assert.equal(res.errno, HvErrno.EINVAL);
});
