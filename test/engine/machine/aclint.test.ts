import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AclintMswi, AclintMtimer, AclintSswi, ACLINT_MTIME_OFFSET } from '../../../engine/machine/devices/aclint';

function lines(n: number) {
  const levels: boolean[] = new Array(n).fill(false);
  const calls: [number, boolean][] = [];
  const irqs = levels.map((_, h) => ({
    set: (l: boolean) => {
      levels[h] = l;
      calls.push([h, l]);
    },
  }));
  return { levels, calls, irqs };
}

test('MSWI: msip bit 0 per hart drives MSIP', () => {
  const { levels, calls, irqs } = lines(4);
  const mswi = new AclintMswi(irqs);
  mswi.write(8, 4, 1);
  assert.deepEqual(levels, [false, false, true, false]);
  assert.equal(mswi.read(8, 4), 1);
  assert.equal(mswi.read(0, 4), 0);
  mswi.write(8, 4, 0xfffffffe);
  assert.equal(levels[2], false, 'only bit 0 counts');
  assert.equal(mswi.read(8, 4), 0);
  mswi.write(12, 4, 3);
  mswi.write(12, 4, 1);
  assert.deepEqual(calls, [
    [2, true],
    [2, false],
    [3, true],
  ]);
  mswi.write(16, 4, 1);
  mswi.write(9, 4, 1);
  mswi.write(8, 1, 1);
  assert.equal(mswi.read(16, 4), 0, 'no hart 4');
  assert.equal(calls.length, 3, 'out-of-range, unaligned and narrow writes ignored');
  assert.deepEqual(mswi.snapshot(), [0, 0, 0, 1]);
});

test('SSWI: writing 1 sets the hart SSIP (edge); reads are 0', () => {
  const { calls, irqs } = lines(2);
  const sswi = new AclintSswi(irqs);
  sswi.write(4, 4, 1);
  sswi.write(4, 4, 1);
  sswi.write(0, 4, 0);
  sswi.write(0, 4, 2);
  assert.deepEqual(calls, [
    [1, true],
    [1, true],
  ]);
  assert.equal(sswi.read(4, 4), 0);
  sswi.write(8, 4, 1);
  assert.equal(calls.length, 2, 'no hart 2');
});

function timer(harts = 2) {
  let now = 0;
  const l = lines(harts);
  const mt = new AclintMtimer({ now: () => now }, l.irqs);
  const setNow = (t: number): void => {
    now = t;
  };
  const write64 = (off: number, v: bigint): void => {
    mt.write(off, 4, Number(v & 0xffffffffn));
    mt.write(off + 4, 4, Number(v >> 32n));
  };
  const read64 = (off: number): bigint => (BigInt(mt.read(off + 4, 4) >>> 0) << 32n) | BigInt(mt.read(off, 4) >>> 0);
  return { mt, setNow, write64, read64, ...l };
}

test('MTIMER: mtime reads the clock in two halves', () => {
  const { mt, setNow, read64 } = timer();
  setNow(0x1_2345_6789);
  assert.equal(read64(ACLINT_MTIME_OFFSET), 0x1_2345_6789n);
  assert.equal(mt.read(ACLINT_MTIME_OFFSET, 4), 0x2345_6789);
  assert.equal(mt.read(ACLINT_MTIME_OFFSET + 4, 4), 1);
});

test('MTIMER: mtimecmp resets to all ones and is written in halves', () => {
  const { read64, write64, levels } = timer();
  assert.equal(read64(0), 0xffff_ffff_ffff_ffffn);
  assert.equal(read64(8), 0xffff_ffff_ffff_ffffn);
  write64(8, 0x1234_5678_9abcn);
  assert.equal(read64(8), 0x1234_5678_9abcn);
  assert.equal(read64(0), 0xffff_ffff_ffff_ffffn);
  assert.deepEqual(levels, [false, false]);
});

test('MTIMER: nextDeadline and update(now) drive MTIP deterministically', () => {
  const { mt, setNow, write64, levels, calls } = timer();
  assert.equal(mt.nextDeadline(), undefined, 'nothing armed');
  write64(0, 1000n);
  write64(8, 500n);
  assert.equal(mt.nextDeadline(), 500);
  mt.update(499);
  assert.deepEqual(levels, [false, false]);
  mt.update(500);
  assert.deepEqual(levels, [false, true]);
  assert.equal(mt.nextDeadline(), 1000, 'hart 1 already signalled');
  mt.update(2000);
  assert.deepEqual(levels, [true, true]);
  assert.equal(mt.nextDeadline(), undefined);
  setNow(2000);
  write64(8, 0xffff_ffff_ffff_ffffn);
  assert.deepEqual(levels, [true, false], 'rewriting mtimecmp re-evaluates at once');
  write64(0, 100n);
  assert.deepEqual(levels, [true, false], 'compare in the past keeps MTIP high');
  assert.deepEqual(calls, [
    [1, true],
    [0, true],
    [1, false],
  ]);
});

test('MTIMER: writing mtime offsets it from the clock', () => {
  const { mt, setNow, write64, read64, levels } = timer(1);
  setNow(100);
  write64(ACLINT_MTIME_OFFSET, 10_000n);
  assert.equal(read64(ACLINT_MTIME_OFFSET), 10_000n);
  setNow(150);
  assert.equal(read64(ACLINT_MTIME_OFFSET), 10_050n);
  write64(0, 10_100n);
  assert.equal(mt.nextDeadline(), 200, 'deadline in clock ticks');
  mt.update(199);
  assert.equal(levels[0], false);
  mt.update(200);
  assert.equal(levels[0], true);
  assert.deepEqual(mt.snapshot(), { mtime: 10_050n, mtimecmp: [10_100n], mtip: [true] });
});

test('MTIMER: narrow accesses and harts out of range are ignored', () => {
  const { mt, read64 } = timer(1);
  mt.write(0, 2, 5);
  mt.write(8, 4, 5);
  assert.equal(read64(0), 0xffff_ffff_ffff_ffffn);
  assert.equal(mt.read(8, 4), 0);
  assert.equal(mt.read(0, 1), 0);
});
