import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CNT_CTL_ENABLE, CNT_CTL_IMASK, CNT_CTL_ISTATUS, CNTFRQ_HZ, GenericTimer } from '../../../engine/machine/devices/generic-timer';

function timer(cpus = 2) {
  let now = 0;
  const levels = Array.from({ length: cpus }, () => ({ phys: false, virt: false }));
  const calls: string[] = [];
  const lines = levels.map((l, cpu) => ({
    phys: { set: (v: boolean) => ((l.phys = v), calls.push(`${cpu}p${v ? 1 : 0}`)) },
    virt: { set: (v: boolean) => ((l.virt = v), calls.push(`${cpu}v${v ? 1 : 0}`)) },
  }));
  const t = new GenericTimer({ now: () => now }, lines);
  return { t, levels, calls, setNow: (v: number) => (now = v) };
}

test('generic timer: CNTFRQ is 62.5 MHz and the counters follow the clock and CNTVOFF', () => {
  const { t, setNow } = timer();
  assert.equal(t.readCntfrq(), 62_500_000n);
  assert.equal(CNTFRQ_HZ, 62_500_000);
  setNow(1000);
  assert.equal(t.readCntpct(), 1000n);
  assert.equal(t.readCntvct(0), 1000n);
  t.writeCntvoff(1, 300n);
  assert.equal(t.readCntvoff(1), 300n);
  assert.equal(t.readCntvct(1), 700n);
  assert.equal(t.readCntvct(0), 1000n, 'CNTVOFF is per CPU');
  t.writeCntvoff(1, 2000n);
  assert.equal(t.readCntvct(1), (1n << 64n) - 1000n, 'the virtual count wraps modulo 2^64');
});

test('generic timer: ISTATUS is count >= CVAL while enabled, zero while disabled', () => {
  const { t, setNow, levels } = timer();
  t.writeCval(0, 'phys', 100n);
  setNow(150);
  assert.equal(t.readCtl(0, 'phys'), 0, 'disabled: no ISTATUS');
  t.writeCtl(0, 'phys', CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
  assert.equal(t.readCtl(0, 'phys'), CNT_CTL_ENABLE | CNT_CTL_ISTATUS, 'ISTATUS is read-only but set');
  assert.equal(levels[0]!.phys, true);
  t.writeCval(0, 'phys', 200n);
  assert.equal(t.readCtl(0, 'phys'), CNT_CTL_ENABLE);
  assert.equal(levels[0]!.phys, false, 'moving CVAL lowers the output');
});

test('generic timer: IMASK keeps ISTATUS but holds the output low', () => {
  const { t, setNow, levels, calls } = timer();
  setNow(50);
  t.writeCval(1, 'virt', 10n);
  t.writeCtl(1, 'virt', CNT_CTL_ENABLE | CNT_CTL_IMASK);
  assert.equal(t.readCtl(1, 'virt'), CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS);
  assert.equal(levels[1]!.virt, false);
  t.writeCtl(1, 'virt', CNT_CTL_ENABLE);
  assert.equal(levels[1]!.virt, true);
  t.writeCtl(1, 'virt', 0);
  assert.deepEqual(calls, ['1v1', '1v0']);
});

test('generic timer: TVAL is CVAL - count as signed 32 bits; writing it sets CVAL', () => {
  const { t, setNow } = timer();
  setNow(1000);
  t.writeTval(0, 'phys', 500n);
  assert.equal(t.readCval(0, 'phys'), 1500n);
  assert.equal(t.readTval(0, 'phys'), 500n);
  setNow(1600);
  assert.equal(t.readTval(0, 'phys'), 0xffff_ff9cn, '-100 in 32 bits');
  t.writeTval(0, 'phys', 0xffff_fff6n);
  assert.equal(t.readCval(0, 'phys'), 1590n, 'sign-extended');
  t.writeCntvoff(0, 600n);
  t.writeTval(0, 'virt', 0x1_0000_0010n);
  assert.equal(t.readCval(0, 'virt'), 1016n, 'only the low 32 bits count, against the virtual count');
});

test('generic timer: nextDeadline and update drive the lines without timers', () => {
  const { t, setNow, levels } = timer();
  assert.equal(t.nextDeadline(), undefined);
  setNow(200);
  t.writeCval(0, 'phys', 500n);
  t.writeCtl(0, 'phys', CNT_CTL_ENABLE);
  t.writeCntvoff(1, 100n);
  t.writeCval(1, 'virt', 250n);
  t.writeCtl(1, 'virt', CNT_CTL_ENABLE);
  t.writeCval(0, 'virt', 10n);
  t.writeCtl(0, 'virt', CNT_CTL_ENABLE | CNT_CTL_IMASK);
  assert.equal(t.nextDeadline(), 350, 'CVAL + CNTVOFF; masked timers are not waited for');
  t.update(349);
  assert.equal(levels[1]!.virt, false);
  setNow(350);
  t.update(350);
  assert.equal(levels[1]!.virt, true);
  assert.equal(t.nextDeadline(), 500, 'a raised timer needs no event');
  t.update(500);
  assert.equal(levels[0]!.phys, true);
  assert.equal(t.nextDeadline(), undefined);
  t.writeCval(0, 'phys', 1n << 60n);
  assert.equal(levels[0]!.phys, false);
  assert.equal(t.nextDeadline(), undefined, 'beyond a safe number');
});

test('generic timer: snapshot', () => {
  const { t, setNow } = timer(1);
  setNow(40);
  t.writeCval(0, 'virt', 42n);
  t.writeCtl(0, 'virt', CNT_CTL_ENABLE);
  const s = t.snapshot();
  assert.equal(s.frequency, CNTFRQ_HZ);
  assert.equal(s.cntpct, 40n);
  assert.deepEqual(s.cpus[0]!.virt, { ctl: CNT_CTL_ENABLE, cval: 42n, tval: 2n, output: false });
  assert.throws(() => t.readCtl(1, 'virt'), RangeError);
});
