import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Plic,
  PLIC_CONTEXT_BASE,
  PLIC_CONTEXT_STRIDE,
  PLIC_ENABLE_BASE,
  PLIC_ENABLE_STRIDE,
  PLIC_PENDING_BASE,
} from '../../../engine/machine/devices/plic';

function setup(harts = 2, ndev = 95) {
  const lines: boolean[] = new Array(2 * harts).fill(false);
  const calls: [number, boolean][] = [];
  const plic = new Plic({
    ndev,
    contexts: lines.map((_, ctx) => ({
      set: (level: boolean) => {
        lines[ctx] = level;
        calls.push([ctx, level]);
      },
    })),
  });
  const rd = (off: number): number => plic.read(off, 4);
  const wr = (off: number, v: number): void => plic.write(off, 4, v);
  const prio = (id: number, p: number): void => wr(4 * id, p);
  const enable = (ctx: number, id: number): void => {
    const off = PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * ctx + 4 * (id >>> 5);
    wr(off, rd(off) | (1 << (id & 31)));
  };
  const threshold = (ctx: number): number => PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * ctx;
  const claim = (ctx: number): number => rd(threshold(ctx) + 4);
  const complete = (ctx: number, id: number): void => wr(threshold(ctx) + 4, id);
  return { plic, lines, calls, rd, wr, prio, enable, threshold, claim, complete };
}

test('priorities are 3-bit WARL; source 0 and sources past ndev read 0', () => {
  const { rd, wr, prio } = setup();
  prio(1, 5);
  assert.equal(rd(4), 5);
  prio(2, 0xff);
  assert.equal(rd(8), 7);
  wr(0, 3);
  assert.equal(rd(0), 0);
  wr(4 * 96, 3);
  assert.equal(rd(4 * 96), 0);
  assert.equal(rd(4 * 95), 0);
  prio(95, 1);
  assert.equal(rd(4 * 95), 1);
});

test('pending bits follow the source level and ignore writes', () => {
  const { plic, rd, wr } = setup();
  plic.source(5).set(true);
  plic.source(33).set(true);
  assert.equal(rd(PLIC_PENDING_BASE), 1 << 5);
  assert.equal(rd(PLIC_PENDING_BASE + 4), 1 << 1);
  wr(PLIC_PENDING_BASE, 0);
  assert.equal(rd(PLIC_PENDING_BASE), 1 << 5);
  plic.source(5).set(false);
  assert.equal(rd(PLIC_PENDING_BASE), 0);
  assert.equal(rd(PLIC_PENDING_BASE + 0x7c), 0, 'words past the sources read 0');
});

test('enables are per context; bit 0 and bits past ndev are hardwired 0', () => {
  const { rd, wr } = setup(2, 40);
  wr(PLIC_ENABLE_BASE, 0xffffffff);
  assert.equal(rd(PLIC_ENABLE_BASE), 0xfffffffe);
  wr(PLIC_ENABLE_BASE + 4, 0xffffffff);
  assert.equal(rd(PLIC_ENABLE_BASE + 4), 0x1ff, 'sources 32..40');
  assert.equal(rd(PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE), 0, 'context 1 untouched');
  wr(PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * 3 + 4, 0x100);
  assert.equal(rd(PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * 3 + 4), 0x100);
  wr(PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * 4, 0xff);
  assert.equal(rd(PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * 4), 0, 'no context 4 with two harts');
});

test('thresholds are per context and masked to the priority width', () => {
  const { rd, wr, threshold } = setup();
  wr(threshold(1), 3);
  wr(threshold(2), 0x1f);
  assert.equal(rd(threshold(0)), 0);
  assert.equal(rd(threshold(1)), 3);
  assert.equal(rd(threshold(2)), 7);
  assert.equal(rd(threshold(4)), 0);
});

test('claim picks the highest priority, lowest id on ties, above threshold', () => {
  const { plic, prio, enable, claim, complete, wr, threshold } = setup();
  for (const id of [3, 7, 9, 12]) {
    enable(1, id);
    plic.source(id).set(true);
  }
  prio(3, 2);
  prio(7, 5);
  prio(9, 5);
  prio(12, 0);
  wr(threshold(1), 2);
  assert.equal(claim(1), 7);
  assert.equal(claim(1), 9);
  assert.equal(claim(1), 0, 'source 3 is not above threshold 2; source 12 has priority 0');
  wr(threshold(1), 1);
  assert.equal(claim(1), 3);
  assert.equal(claim(1), 0);
  complete(1, 7);
  assert.equal(claim(1), 7, 'completion re-arms a source whose line is still high');
});

test('claim clears pending; a claimed source is not offered again until completed', () => {
  const { plic, rd, prio, enable, claim, complete, lines } = setup();
  prio(10, 1);
  enable(1, 10);
  plic.source(10).set(true);
  assert.equal(lines[1], true);
  assert.equal(claim(1), 10);
  assert.equal(rd(PLIC_PENDING_BASE) & (1 << 10), 0);
  assert.equal(lines[1], false);
  plic.source(10).set(false);
  plic.source(10).set(true);
  assert.equal(lines[1], false, 'in service: not offered');
  assert.equal(claim(1), 0);
  plic.source(10).set(false);
  complete(1, 10);
  assert.equal(lines[1], false, 'line low at completion: nothing pending');
  assert.equal(claim(1), 0);
  plic.source(10).set(true);
  assert.equal(lines[1], true);
  assert.equal(claim(1), 10);
});

test('completion of an id not in service, 0 or past ndev is ignored', () => {
  const { plic, prio, enable, claim, complete, lines } = setup();
  prio(4, 1);
  enable(1, 4);
  plic.source(4).set(true);
  assert.equal(claim(1), 4);
  complete(1, 5);
  complete(1, 0);
  complete(1, 500);
  assert.equal(lines[1], false);
  assert.deepEqual(plic.snapshot().claimed, [{ id: 4, context: 1 }]);
  complete(3, 4);
  assert.equal(lines[1], true, 'any context may complete, as on QEMU');
});

test('each context drives its own line: M and S contexts of each hart', () => {
  const { plic, prio, enable, calls, lines, claim } = setup();
  prio(10, 1);
  enable(0, 10);
  enable(3, 10);
  plic.source(10).set(true);
  assert.deepEqual(lines, [true, false, false, true]);
  assert.equal(claim(3), 10);
  assert.deepEqual(lines, [false, false, false, false], 'claimed by hart 1 S: gone for hart 0 M too');
  assert.deepEqual(calls, [
    [0, true],
    [3, true],
    [0, false],
    [3, false],
  ]);
});

test('raising priority or lowering threshold can raise a line', () => {
  const { plic, prio, enable, lines, wr, threshold } = setup();
  enable(1, 2);
  plic.source(2).set(true);
  assert.equal(lines[1], false, 'priority 0 never interrupts');
  prio(2, 3);
  assert.equal(lines[1], true);
  wr(threshold(1), 3);
  assert.equal(lines[1], false);
  wr(threshold(1), 2);
  assert.equal(lines[1], true);
});

test('narrow or unaligned accesses read 0 and are ignored', () => {
  const { plic, rd, prio } = setup();
  prio(1, 3);
  assert.equal(plic.read(4, 1), 0);
  assert.equal(plic.read(4, 2), 0);
  assert.equal(plic.read(6, 4), 0);
  plic.write(4, 1, 1);
  plic.write(5, 4, 1);
  assert.equal(rd(4), 3);
  assert.equal(rd(0x3ffffc), 0, 'unmapped context space');
});

test('1023 sources: the last enable word and claim id reach 1023', () => {
  const { plic, prio, enable, claim, rd } = setup(1, 1023);
  prio(1023, 7);
  enable(1, 1023);
  plic.source(1023).set(true);
  assert.equal(rd(PLIC_PENDING_BASE + 4 * 31) >>> 0, 0x80000000);
  assert.equal(rd(PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE + 4 * 31) >>> 0, 0x80000000);
  assert.equal(claim(1), 1023);
  assert.throws(() => plic.source(1024), RangeError);
  assert.throws(() => plic.source(0), RangeError);
  assert.throws(() => new Plic({ ndev: 1024, contexts: [] }), RangeError);
});

test('snapshot shows priorities, levels, pending, enables, thresholds, claims, outputs', () => {
  const { plic, prio, enable, claim, wr, threshold } = setup(1, 40);
  prio(33, 2);
  prio(10, 1);
  enable(1, 33);
  enable(1, 10);
  enable(0, 10);
  wr(threshold(0), 4);
  plic.source(33).set(true);
  plic.source(10).set(true);
  assert.equal(claim(1), 33);
  const s = plic.snapshot();
  assert.equal(s.ndev, 40);
  assert.equal(s.priorities.length, 41);
  assert.equal(s.priorities[33], 2);
  assert.equal(s.priorities[10], 1);
  assert.deepEqual(s.pending, [10]);
  assert.equal(s.levels[33], true);
  assert.equal(s.levels[11], false);
  assert.deepEqual(s.enables, [[10], [10, 33]]);
  assert.deepEqual(s.thresholds, [4, 0]);
  assert.deepEqual(s.claimed, [{ id: 33, context: 1 }]);
  assert.deepEqual(s.outputs, [false, true]);
  assert.equal(plic.peekClaim(1), 10);
  assert.deepEqual(plic.snapshot().claimed, [{ id: 33, context: 1 }], 'peek claims nothing');
});
