import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RwLock } from '../../../engine/hv/lock';
import { MemorySet } from '../../../engine/hv/memory-set';
import { mmioHandleAccess, type MmioAccess } from '../../../engine/hv/mmio';
import { Zone } from '../../../engine/hv/zone';
import type { Stage2PageTable } from '../../../engine/hv/arch/riscv64/s2pt';
import {
  HostPlic,
  physicalSContext,
  plicIrqchipReset,
  QEMU_PLIC_HW_IRQS,
  registerVplicMmio,
  setHartVseip,
  VirtualPlic,
  type PhysicalPlicPort,
  type VplicHost,
} from '../../../engine/hv/arch/riscv64/vplic';
import type { Riscv64Core } from '../../../engine/isa/riscv64/core';

const PRIO = (irq: number): number => 4 * irq;
const PENDING = (word: number): number => 0x1000 + 4 * word;
const ENABLE = (ctx: number, word = 0): number => 0x2000 + 0x80 * ctx + 4 * word;
const THRESHOLD = (ctx: number): number => 0x200000 + 0x1000 * ctx;
const CLAIM = (ctx: number): number => 0x200004 + 0x1000 * ctx;

/** A physical PLIC that remembers register values and records every write. */
class FakePhysical implements PhysicalPlicPort {
  readonly regs = new Map<number, number>();
  readonly writes: [number, number][] = [];
  readonly reads: number[] = [];
  read(offset: number): number {
    this.reads.push(offset);
    return this.regs.get(offset) ?? 0;
  }
  write(offset: number, value: number): void {
    this.writes.push([offset, value]);
    this.regs.set(offset, value);
  }
}

class FakeHost implements VplicHost {
  cpu: number;
  readonly physical = new FakePhysical();
  readonly vseip: [number, boolean][] = [];
  readonly remote: number[] = [];
  readonly logs: string[] = [];
  readonly panics: string[] = [];
  constructor(cpu: number) {
    this.cpu = cpu;
  }
  currentCpu(): number {
    return this.cpu;
  }
  setVseip(cpu: number, level: boolean): void {
    this.vseip.push([cpu, level]);
  }
  sendUpdateHartLine(cpu: number): void {
    this.remote.push(cpu);
  }
  log(text: string): void {
    this.logs.push(text);
  }
  panic(reason: string): void {
    this.panics.push(reason);
  }
  /** Forget what was recorded so far. */
  clear(): void {
    this.physical.writes.length = 0;
    this.physical.reads.length = 0;
    this.vseip.length = 0;
    this.remote.length = 0;
    this.logs.length = 0;
  }
}

/**
 * Zone 1 on CPUs 1 and 3 (so vcontext 1 → CPU 1 → pcontext 3, vcontext 3 →
 * CPU 3 → pcontext 7), owning 5, 10, 33 and 40: 10 and 33 are hw.
 */
function setup(current = 1, cpus = [1, 3], irqs = [5, 10, 33, 40]) {
  const zone = new Zone(1, 'zone1', new MemorySet(null as unknown as Stage2PageTable), 4, new RwLock('zone1'));
  for (const c of cpus) {
    zone.cpuSet.setBit(c);
    zone.cpuNum++;
  }
  for (const irq of irqs) zone.irqBitmap[irq >>> 5]! |= 1 << (irq & 31);
  const host = new FakeHost(current);
  const v = VirtualPlic.forZone(zone, host);
  const rd = (off: number): number => v.emulAccess(off, 4, 0n, false);
  const wr = (off: number, value: number | bigint): void => {
    v.emulAccess(off, 4, BigInt(value), true);
  };
  return { zone, host, v, rd, wr };
}

test('hw = owned ∩ HW_IRQS; contexts = cpu_num × 2; context ↔ CPU follows the cpu_set index', () => {
  const { v } = setup();
  assert.deepEqual(QEMU_PLIC_HW_IRQS, [10, 33, 34]);
  assert.deepEqual(v.snapshot().hw, [10, 33]);
  assert.equal(v.numContexts, 4);
  assert.equal(v.vcontextOf(1), 1);
  assert.equal(v.vcontextOf(3), 3);
  assert.equal(v.vcontextToPcontext(1), 3);
  assert.equal(v.vcontextToPcontext(3), 7);
  assert.equal(v.vcontextToPcontext(0), 3);
  assert.equal(v.vcontextToPcontext(2), 7);
  assert.equal(physicalSContext(2), 5);
});

test('only aligned 32-bit accesses are emulated; others read 0, change nothing and are logged', () => {
  const { v, host, rd, wr } = setup();
  wr(PRIO(5), 3);
  host.clear();
  for (const size of [1, 2, 8]) {
    assert.equal(v.emulAccess(PRIO(5), size, 7n, true), 0);
    assert.equal(v.emulAccess(PRIO(5), size, 0n, false), 0);
  }
  assert.equal(v.emulAccess(PRIO(5) + 2, 4, 7n, true), 0);
  assert.equal(v.emulAccess(PRIO(5) + 1, 4, 0n, false), 0);
  assert.equal(rd(PRIO(5)), 3);
  assert.equal(host.logs.length, 8);
  assert.ok(host.logs.every((l) => /aligned word accesses/.test(l)));
  assert.deepEqual(host.physical.writes, []);
});

test('priority 0x0000-0x0FFC: sources 1..1023 hold the full 32-bit value; source 0 is refused', () => {
  const { host, rd, wr } = setup();
  wr(PRIO(5), 0xffff_ffff);
  assert.equal(rd(PRIO(5)), 0xffff_ffff);
  wr(PRIO(1023), 2);
  assert.equal(rd(0x0ffc), 2);
  wr(PRIO(40), 0x1_0000_0007n); // the upper half of the register is dropped
  assert.equal(rd(PRIO(40)), 7);
  host.clear();
  wr(PRIO(0), 4);
  assert.equal(rd(PRIO(0)), 0);
  assert.equal(host.logs.length, 2);
  assert.match(host.logs[0]!, /invalid interrupt id 0/);
  // Only hw sources reach the physical PLIC.
  assert.deepEqual(host.physical.writes, []);
  wr(PRIO(10), 6);
  wr(PRIO(33), 0xffff_ffff);
  assert.deepEqual(host.physical.writes, [[PRIO(10), 6], [PRIO(33), 0xffff_ffff]]);
});

test('pending 0x1000-0x107C reads the pending bits word by word and is read-only', () => {
  const { v, host, rd, wr } = setup();
  v.injectIrq(5, false);
  v.injectIrq(40, false);
  v.injectIrq(33, true);
  v.setHw(1023, false);
  v.injectIrq(1023, false);
  assert.equal(rd(PENDING(0)), 1 << 5);
  assert.equal(rd(PENDING(1)), (1 << 1) | (1 << 8));
  assert.equal(rd(0x107c), 0x8000_0000);
  host.clear();
  wr(PENDING(0), 0);
  assert.equal(rd(PENDING(0)), 1 << 5);
  assert.match(host.logs[0]!, /pending is read-only/);
});

test('enable 0x2000 + 0x80·ctx: S contexts only; each changed bit applied, hw ones mirrored read-modify-write', () => {
  const { host, rd, wr } = setup();
  host.physical.regs.set(ENABLE(3, 0), 0x8000_0001); // something already enabled physically in pcontext 3
  wr(ENABLE(1, 0), (1 << 5) | (1 << 10));
  assert.equal(rd(ENABLE(1, 0)), (1 << 5) | (1 << 10));
  // irq 10 is hw: vcontext 1 → pcontext 3, word 0, other bits kept.
  assert.deepEqual(host.physical.writes, [[ENABLE(3, 0), 0x8000_0401]]);
  // irq 5 is virtual: the line of vcontext 1 (CPU 1, the current CPU) is recomputed.
  assert.deepEqual(host.vseip, [[1, false]]);
  host.clear();
  wr(ENABLE(1, 0), (1 << 5) | (1 << 10)); // nothing changes → nothing happens
  assert.deepEqual([host.physical.writes, host.vseip, host.remote], [[], [], []]);
  wr(ENABLE(3, 1), 1 << 1); // irq 33 on vcontext 3 → pcontext 7, word 1
  assert.deepEqual(host.physical.writes, [[ENABLE(7, 1), 2]]);
  wr(ENABLE(1, 0), 1 << 5); // disable 10 again
  assert.equal(host.physical.regs.get(ENABLE(3, 0)), 0x8000_0001);
  // The last word covers 992..1023.
  wr(ENABLE(3, 31), 0x8000_0000);
  assert.equal(rd(ENABLE(3, 31)), 0x8000_0000);
});

test('enable: M (even) contexts and contexts past cpu_num × 2 are refused', () => {
  const { host, rd, wr } = setup();
  wr(ENABLE(0, 0), 0xffff_ffff);
  wr(ENABLE(2, 1), 0xffff_ffff);
  wr(ENABLE(4, 0), 0xffff_ffff);
  assert.equal(rd(ENABLE(0, 0)), 0);
  assert.equal(rd(ENABLE(2, 1)), 0);
  assert.equal(rd(ENABLE(4, 0)), 0);
  assert.equal(host.logs.filter((l) => /invalid context id [02]/.test(l)).length, 4);
  assert.equal(host.logs.filter((l) => /undefined PLIC offset 0x2200/.test(l)).length, 2);
  assert.deepEqual(host.physical.writes, []);
});

test('threshold 0x200000 + 0x1000·ctx: kept, mirrored to the physical context even for virtual-only zones', () => {
  const { host, rd, wr } = setup(1, [1, 3], [5]);
  wr(THRESHOLD(1), 2);
  wr(THRESHOLD(3), 0xffff_ffff);
  assert.equal(rd(THRESHOLD(1)), 2);
  assert.equal(rd(THRESHOLD(3)), 0xffff_ffff);
  assert.deepEqual(host.physical.writes, [[THRESHOLD(3), 2], [THRESHOLD(7), 0xffff_ffff]]);
  // Local context → VSEIP directly; the other CPU's → UPDATE_HART_LINE.
  assert.deepEqual(host.vseip, [[1, false]]);
  assert.deepEqual(host.remote, [3]);
  host.clear();
  wr(THRESHOLD(0), 1);
  wr(THRESHOLD(5), 1);
  assert.equal(rd(THRESHOLD(2)), 0);
  assert.deepEqual(host.physical.writes, []);
  assert.equal(host.logs.length, 3);
  assert.ok(host.logs.every((l) => /invalid context id/.test(l)));
});

test('offsets outside the emulated ranges are refused', () => {
  const { host, rd, wr } = setup();
  for (const off of [0x1080, 0x1ffc, 0x1f_fffc, 0x200008, 0x200ffc, 0x201008, 0x3ff_fffc]) {
    assert.equal(rd(off), 0);
    wr(off, 1);
  }
  assert.equal(host.logs.length, 14);
  assert.ok(host.logs.every((l) => /undefined PLIC offset/.test(l)));
});

test('claim: highest priority, lowest id on ties, strictly above the threshold; claimed ones are active', () => {
  const { v, host, rd, wr } = setup(1, [1, 3], [5, 6, 7, 40]);
  for (const [irq, p] of [[5, 2], [6, 3], [7, 3], [40, 1]] as const) wr(PRIO(irq), p);
  wr(ENABLE(1, 0), (1 << 5) | (1 << 6) | (1 << 7));
  wr(ENABLE(1, 1), 1 << 8);
  for (const irq of [5, 6, 7, 40]) v.injectIrq(irq, false);
  assert.equal(v.nextPending(1), 6);
  assert.equal(rd(CLAIM(1)), 6);
  assert.deepEqual(v.snapshot().active, [6]);
  assert.deepEqual(v.snapshot().pending, [5, 7, 40]);
  assert.equal(rd(CLAIM(1)), 7);
  wr(THRESHOLD(1), 2); // 5 has priority 2: not above
  assert.equal(rd(CLAIM(1)), 0);
  wr(THRESHOLD(1), 0);
  assert.equal(rd(CLAIM(1)), 5);
  assert.equal(rd(CLAIM(1)), 40);
  assert.equal(rd(CLAIM(1)), 0);
  // A pending interrupt that is active is not claimed again until completed.
  v.injectIrq(6, false);
  assert.equal(rd(CLAIM(1)), 0);
  wr(CLAIM(1), 6);
  assert.equal(rd(CLAIM(1)), 6);
  // Priority 0 never qualifies; disabled sources never qualify.
  wr(CLAIM(1), 6);
  wr(PRIO(6), 0);
  v.injectIrq(6, false);
  assert.equal(v.nextPending(1), 0);
  assert.equal(v.nextPending(3), 0);
  assert.deepEqual(host.panics, []);
});

test('claim with nothing deliverable returns 0 and marks id 0 active, as hvisor does', () => {
  const { v, rd } = setup();
  assert.equal(rd(CLAIM(1)), 0);
  assert.deepEqual(v.snapshot().active, [0]);
});

test('complete clears active, is mirrored for hw sources, and past 1023 is a would-panic', () => {
  const { v, host, rd, wr } = setup();
  wr(PRIO(10), 1);
  wr(ENABLE(1, 0), 1 << 10);
  v.injectIrq(10, true);
  assert.equal(rd(CLAIM(1)), 10);
  host.clear();
  wr(CLAIM(1), 10);
  assert.deepEqual(host.physical.writes, [[CLAIM(3), 10]]);
  assert.deepEqual(v.snapshot().active, []);
  // A virtual source's completion stays in the vPLIC.
  host.clear();
  wr(CLAIM(1), 5);
  assert.deepEqual(host.physical.writes, []);
  wr(CLAIM(3), 1024);
  assert.equal(host.panics.length, 1);
  assert.match(host.panics[0]!, /complete of interrupt 1024/);
  // Even contexts are refused.
  host.clear();
  wr(CLAIM(0), 10);
  assert.equal(rd(CLAIM(2)), 0);
  assert.equal(host.logs.length, 2);
});

test('hart line: a context of the current CPU sets/clears VSEIP, another CPU\'s gets UPDATE_HART_LINE', () => {
  const { v, host, rd, wr } = setup(1);
  wr(PRIO(5), 1);
  wr(PRIO(40), 1);
  wr(ENABLE(1, 0), 1 << 5);
  wr(ENABLE(3, 1), 1 << 8);
  host.clear();
  v.injectIrq(5, false); // enabled in vcontext 1 (CPU 1 = current)
  assert.deepEqual(host.vseip, [[1, true]]);
  assert.deepEqual(host.remote, []);
  v.injectIrq(40, false); // enabled in vcontext 3 (CPU 3)
  assert.deepEqual(host.remote, [3]);
  // CPU 3 handles the event: now it is the current CPU and sets its own line.
  host.cpu = 3;
  host.clear();
  v.updateHartLine(3);
  assert.deepEqual(host.vseip, [[3, true]]);
  assert.deepEqual(host.remote, []);
  // CPU 1 claims its interrupt: its line drops.
  host.cpu = 1;
  host.clear();
  assert.equal(rd(CLAIM(1)), 5);
  assert.deepEqual(host.vseip, [[1, false]]);
  // CPU 1 completing on CPU 3's context asks CPU 3 to recompute.
  host.clear();
  wr(CLAIM(3), 40);
  assert.deepEqual(host.remote, [3]);
  assert.deepEqual(host.vseip, []);
});

test('injectIrq: hw flag must match, pending is not re-signalled, virtual ones go to every eligible S context', () => {
  const { v, host, wr } = setup(3);
  wr(PRIO(5), 2);
  wr(ENABLE(1, 0), 1 << 5);
  wr(ENABLE(3, 0), 1 << 5);
  wr(THRESHOLD(3), 2); // vcontext 3 would not take priority 2
  host.clear();
  v.injectIrq(5, false);
  assert.deepEqual(host.remote, [1]);
  assert.deepEqual(host.vseip, []);
  host.clear();
  v.injectIrq(5, false); // already pending
  assert.deepEqual([host.remote, host.vseip], [[], []]);
  v.injectIrq(10, false); // 10 is hw
  v.injectIrq(40, true); // 40 is virtual
  assert.equal(host.logs.length, 2);
  assert.ok(host.logs.every((l) => /does not match/.test(l)));
  assert.deepEqual(v.snapshot().pending, [5]);
  // A hw injection updates the current CPU's context whatever its enables.
  host.clear();
  v.injectIrq(33, true);
  assert.deepEqual(host.vseip, [[3, false]]);
  assert.deepEqual(v.snapshot().pending, [5, 33]);
  v.injectIrq(1024, false);
  assert.equal(host.panics.length, 1);
});

test('virtual priority changes update the lines of the S contexts that enable the source', () => {
  const { v, host, wr } = setup(1);
  wr(ENABLE(1, 0), 1 << 5);
  wr(ENABLE(3, 0), 1 << 5);
  v.injectIrq(5, false);
  host.clear();
  wr(PRIO(5), 4);
  assert.deepEqual(host.vseip, [[1, true]]);
  assert.deepEqual(host.remote, [3]);
});

test('the MMIO handler over the PLIC window: GPA → offset, reads return the value, refusals still succeed', () => {
  const { zone, v, host } = setup();
  registerVplicMmio(zone, v, 0x0c00_0000, 0x0400_0000);
  assert.deepEqual(zone.mmio.map((m) => [m.start, m.size, m.handlerName, m.arg]), [[0x0c00_0000, 0x0400_0000, 'vplic_handler', 0]]);
  const write: MmioAccess = { address: 0x0c00_0000 + PRIO(5), size: 4, isWrite: true, value: 3n };
  assert.deepEqual(mmioHandleAccess(zone, write), { ok: true });
  const read: MmioAccess = { address: 0x0c00_0000 + PRIO(5), size: 4, isWrite: false, value: 0n };
  assert.deepEqual(mmioHandleAccess(zone, read), { ok: true });
  assert.equal(read.value, 3n);
  const bad: MmioAccess = { address: 0x0c00_0000 + PRIO(5), size: 1, isWrite: false, value: 99n };
  assert.deepEqual(mmioHandleAccess(zone, bad), { ok: true });
  assert.equal(bad.value, 0n);
  assert.equal(host.logs.length, 1);
});

test('snapshot: priorities, pending, active, enables, thresholds, hw and each context\'s line', () => {
  const { v, wr } = setup(1);
  wr(PRIO(5), 2);
  wr(PRIO(40), 1);
  wr(ENABLE(1, 0), 1 << 5);
  wr(ENABLE(3, 1), 1 << 8);
  wr(THRESHOLD(3), 1);
  v.injectIrq(5, false);
  v.injectIrq(40, false);
  const s = v.snapshot();
  assert.equal(s.zoneId, 1);
  assert.equal(s.numContexts, 4);
  assert.equal(s.priorities.length, 1024);
  assert.equal(s.priorities[5], 2);
  assert.deepEqual(s.pending, [5, 40]);
  assert.deepEqual(s.active, []);
  assert.deepEqual(s.hw, [10, 33]);
  assert.deepEqual(s.contexts, [
    { vcontext: 0, mode: 'M', cpu: 1, pcontext: 3, enables: [], threshold: 0, next: 0, line: false },
    { vcontext: 1, mode: 'S', cpu: 1, pcontext: 3, enables: [5], threshold: 0, next: 5, line: true },
    { vcontext: 2, mode: 'M', cpu: 3, pcontext: 7, enables: [], threshold: 0, next: 0, line: false },
    { vcontext: 3, mode: 'S', cpu: 3, pcontext: 7, enables: [40], threshold: 1, next: 0, line: false },
  ]);
});

test('zone teardown: owned hw sources get priority 0 and are disabled, thresholds 0, events cleared, vPLIC dropped', () => {
  const { zone, v, host } = setup(0, [1, 3], [5, 10, 33, 40]);
  const phys = host.physical;
  phys.regs.set(ENABLE(3, 0), 0xffff_ffff);
  phys.regs.set(ENABLE(7, 1), 0x0000_0003);
  const cleared: number[] = [];
  const vplics = new Map([[1, v]]);
  assert.equal(plicIrqchipReset(zone, phys, (cpu) => cleared.push(cpu), vplics), undefined);
  assert.deepEqual(phys.writes, [
    [PRIO(10), 0],
    [ENABLE(3, 0), 0xffff_fbff],
    [ENABLE(7, 0), 0],
    [PRIO(33), 0],
    [ENABLE(3, 1), 0],
    [ENABLE(7, 1), 0x0000_0001],
    [THRESHOLD(3), 0],
    [THRESHOLD(7), 0],
  ]);
  assert.deepEqual(cleared, [1, 3]);
  assert.equal(vplics.size, 0);
  assert.match(plicIrqchipReset(zone, phys, () => {}, vplics) ?? '', /zone 1 has no VirtualPLIC/);
});

test('HostPlic claims from and completes on a physical S context', () => {
  const phys = new FakePhysical();
  phys.regs.set(CLAIM(physicalSContext(2)), 33);
  const h = new HostPlic(phys);
  assert.equal(h.claim(physicalSContext(2)), 33);
  h.complete(5, 33);
  assert.deepEqual(phys.writes, [[CLAIM(5), 33]]);
});

test('setHartVseip sets and clears hvip bit 10 and tells the core', () => {
  let changed = 0;
  const core = { hart: { hvip: 0x4n }, interruptsChanged: () => void changed++ };
  setHartVseip(core as unknown as Riscv64Core, true);
  assert.equal(core.hart.hvip, 0x404n);
  setHartVseip(core as unknown as Riscv64Core, false);
  assert.equal(core.hart.hvip, 0x4n);
  assert.equal(changed, 2);
});
