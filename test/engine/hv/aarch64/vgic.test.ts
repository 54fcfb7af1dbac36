import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Gicv3Config } from '../../../../engine/hv/config/zone-config';
import { FrameAllocator } from '../../../../engine/hv/frame';
import { RwLock } from '../../../../engine/hv/lock';
import { MemorySet } from '../../../../engine/hv/memory-set';
import { mmioHandleAccess, type MmioAccess } from '../../../../engine/hv/mmio';
import type { HvTask } from '../../../../engine/hv/task';
import { Zone } from '../../../../engine/hv/zone';
import type { Stage2Table } from '../../../../engine/hv/arch/hv-arch';
import { irqchipReset, registerVgicMmio } from '../../../../engine/hv/arch/aarch64/vgic';
import { HostGic, type VgicHost } from '../../../../engine/hv/arch/aarch64/vgic-host';
import { gicv3HandleIrqEl1, injectIrq } from '../../../../engine/hv/arch/aarch64/vgic-inject';
import { Gicv3 } from '../../../../engine/machine/devices/gicv3/gic';
import { PhysicalMemory, Ram } from '../../../../engine/machine/memory';

const GICD = 0x0800_0000, GICR = 0x080a_0000, FRAME = 0x20000, SGI = 0x10000;
const LAYOUT: Gicv3Config = { version: 'v3', gicdBase: GICD, gicdSize: 0x10000, gicrBase: GICR, gicrSize: 0xf60000, gitsBase: 0x0808_0000, gitsSize: 0x20000 };
const LR_GROUP = 1n << 60n, LR_HW = 1n << 61n, LR_PENDING = 1n << 62n;
const ICH_HCR_UIE = 2;

class FakeHost implements VgicHost {
  cpu = 0;
  readonly zones: (Zone | undefined)[] = [];
  /** What each check_events call consumes (true = an event was handled). */
  readonly events: boolean[] = [];
  checks = 0;
  readonly logs: string[] = [];
  readonly panics: string[] = [];
  currentCpu(): number {
    return this.cpu;
  }
  zoneOf(cpu: number): Zone | undefined {
    return this.zones[cpu];
  }
  *checkEvents(): HvTask<boolean> {
    this.checks++;
    return this.events.shift() ?? false;
  }
  trapEnded(): boolean {
    return false;
  }
  log(text: string): void {
    this.logs.push(text);
  }
  panic(reason: string): void {
    this.panics.push(reason);
  }
}

function makeZone(id: number, cpus: number[], irqs: number[]): Zone {
  const zone = new Zone(id, `zone${id}`, new MemorySet(null as unknown as Stage2Table), 4, new RwLock(`zone${id}`));
  for (const c of cpus) {
    zone.cpuSet.setBit(c);
    zone.cpuNum++;
  }
  for (const irq of irqs) zone.irqBitmap[irq >>> 5]! |= 1 << (irq & 31);
  return zone;
}

/**
 * Four CPUs: root zone 0 on CPUs 0-1 owning SPIs 33 and 35, zone 1 on CPU 2
 * owning SPIs 40 and 41, CPU 3 in no zone. Every CPU went through percpu_init
 * and the distributor is enabled, as at the end of hvisor's boot.
 */
function setup(affinities?: number[]) {
  const lines = Array.from({ length: 4 }, () => ({ irq: false, virq: false }));
  const gic = new Gicv3({
    cpus: lines.map((l) => ({ irq: { set: (v: boolean) => void (l.irq = v) }, virq: { set: (v: boolean) => void (l.virq = v) } })),
    ...(affinities ? { affinities } : {}),
  });
  const memory = new PhysicalMemory(new Ram(0x4000_0000, 0x10_0000));
  memory.addDevice(GICD, 0x10000, gic.distributor);
  memory.addDevice(GICR, gic.redistributors.size, gic.redistributors);
  const host = new FakeHost();
  const hg = new HostGic(memory, gic, LAYOUT, affinities ?? [0, 1, 2, 3], host);
  for (let cpu = 0; cpu < 4; cpu++) hg.percpuInit(cpu);
  hg.primaryInitLate();
  hg.initLpiProp(new FrameAllocator(memory, 0x4008_0000, 0x4010_0000));
  const root = makeZone(0, [0, 1], [33, 35]);
  const zone1 = makeZone(1, [2], [40, 41]);
  host.zones.push(root, root, zone1, undefined);
  registerVgicMmio(root, hg, LAYOUT);
  registerVgicMmio(zone1, hg, LAYOUT);
  /** A guest access of `zone` through its trapped windows; returns what a read loads. */
  const access = (zone: Zone, gpa: number, size: 1 | 2 | 4 | 8, value?: bigint, prior = 0n): bigint => {
    const a: MmioAccess = { address: gpa, size, isWrite: value !== undefined, value: value ?? prior };
    const r = mmioHandleAccess(zone, a);
    assert.equal(r.ok, true);
    return a.value;
  };
  return { gic, memory, host, hg, root, zone1, lines, access };
}

function run(task: HvTask): void {
  for (let r = task.next(); !r.done; r = task.next());
}

test('percpu_init: EOImode 1, PMR 0xF0, Group 1 on, SGI 7 and INTID 25 enabled at priority 1, ICH_HCR.En, VMCR.VENG1', () => {
  const { gic } = setup();
  for (let cpu = 0; cpu < 4; cpu++) {
    const icc = gic.cpu(cpu).snapshot();
    assert.equal(icc.ctlr & 2, 2);
    assert.equal(icc.pmr, 0xf0);
    assert.equal(icc.igrpen1, true);
    const bank = gic.banks[cpu]!;
    assert.deepEqual([bank.enabled[7], bank.enabled[25], bank.priority[7], bank.priority[25], bank.group[7]], [1, 1, 1, 1, 1]);
    assert.equal(bank.enabled[27], 0);
    const v = gic.vcpu(cpu);
    assert.equal(v.readHcr(), 1);
    // VPMR comes from the PMR hvisor read before setting it: 0 out of reset.
    assert.equal(v.readVmcr(), 2 | (3 << 18) | (2 << 21));
  }
  assert.equal(gic.ctlr & 2, 2);
});

test('GICD: a zone enables, pends and routes only the SPIs it owns; reads show only its bits', () => {
  const { gic, host, root, zone1, access } = setup();
  access(root, GICD + 0x104, 4, 0xffff_ffffn); // ISENABLER1: root enables 33 and 35 only
  access(zone1, GICD + 0x104, 4, 0xffff_ffffn);
  assert.deepEqual([33, 35, 40, 41, 34, 42].map((i) => gic.shared.enabled[i]), [1, 1, 1, 1, 0, 0]);
  assert.equal(access(zone1, GICD + 0x104, 4), (1n << 8n) | (1n << 9n));
  assert.equal(access(root, GICD + 0x104, 4), (1n << 1n) | (1n << 3n));
  access(zone1, GICD + 0x184, 4, 0xffff_ffffn); // ICENABLER1 cannot touch root's SPIs
  assert.deepEqual([33, 35, 40, 41].map((i) => gic.shared.enabled[i]), [1, 1, 0, 0]);
  access(zone1, GICD + 0x204, 4, 0xffff_ffffn); // ISPENDR1
  assert.deepEqual([33, 40, 41].map((i) => gic.shared.pending[i]), [0, 1, 1]);

  // IPRIORITYR and ICFGR are read-modify-written under the zone's mask.
  access(root, GICD + 0x428, 4, 0x5050_5050n); // IRQs 40-43 from root: nothing it owns
  assert.deepEqual([40, 41, 42, 43].map((i) => gic.shared.priority[i]), [0, 0, 0, 0]);
  gic.shared.priority[42] = 0x50;
  access(zone1, GICD + 0x428, 4, 0xa0a0_a0a0n);
  assert.deepEqual([40, 41, 42, 43].map((i) => gic.shared.priority[i]), [0xa0, 0xa0, 0x50, 0]);
  assert.equal(access(zone1, GICD + 0x428, 4), 0xa0a0n);
  access(zone1, GICD + 0xc08, 4, 0xffff_ffffn); // ICFGR2: IRQs 32-47, edge bits of 40 and 41 only
  assert.deepEqual([33, 40, 41, 42].map((i) => gic.shared.edge[i]), [0, 1, 1, 0]);

  // IROUTER/ITARGETSR: owned SPIs only; other accesses leave the loaded value alone.
  access(zone1, GICD + 0x6000 + 8 * 40, 8, 2n);
  access(zone1, GICD + 0x6000 + 8 * 33, 8, 2n);
  assert.deepEqual([gic.routes[40], gic.routes[33]], [2, 0]);
  assert.equal(access(zone1, GICD + 0x6000 + 8 * 40, 8), 2n);
  assert.equal(access(zone1, GICD + 0x6000 + 8 * 33, 8, undefined, 0x1234n), 0x1234n);
  assert.equal(access(zone1, GICD + 0x6000 + 8 * 7, 8, undefined, 0x99n), 0x99n);

  // Identification and control read through; writes are ignored. IGRPMODR is ignored.
  assert.equal(access(zone1, GICD + 0x0, 4), BigInt(gic.ctlr));
  access(zone1, GICD + 0x0, 4, 0n);
  assert.equal(gic.ctlr & 2, 2);
  assert.equal(access(zone1, GICD + 0xffe8, 4), 0x3bn);
  access(zone1, GICD + 0xd04, 4, 0xffn);
  assert.match(host.logs.join('\n'), /IGRPMODR/);
  assert.deepEqual(host.panics, []);
  // Anything else is hvisor's todo!().
  access(zone1, GICD + 0x10, 4);
  assert.match(host.panics[0]!, /vgicv3_dist_misc_access.*0x10/);
});

test('GICR: SGI-frame state only on own CPUs; ICENABLER0 keeps 25 and 7; a CPU with no zone panics', () => {
  const { gic, host, zone1, access } = setup();
  const frame = (cpu: number): number => GICR + cpu * FRAME;
  access(zone1, frame(2) + SGI + 0x100, 4, 1n << 27n); // ISENABLER0: the virtual timer PPI
  access(zone1, frame(0) + SGI + 0x100, 4, 1n << 27n); // root's CPU: ignored
  assert.deepEqual([gic.banks[2]!.enabled[27], gic.banks[0]!.enabled[27]], [1, 0]);
  assert.equal(access(zone1, frame(0) + SGI + 0x100, 4, undefined, 0x77n), 0x77n);
  access(zone1, frame(2) + SGI + 0x400 + 27, 1, 0x80n); // IPRIORITYR byte of PPI 27
  assert.equal(gic.banks[2]!.priority[27], 0x80);
  access(zone1, frame(2) + SGI + 0x180, 4, 0xffff_ffffn); // ICENABLER0
  assert.deepEqual([7, 25, 27].map((i) => gic.banks[2]!.enabled[i]), [1, 1, 0]);
  // TYPER reads through, Last on the highest MPIDR's frame.
  assert.equal(access(zone1, frame(3) + 0x8, 8), (3n << 32n) | (3n << 8n) | (1n << 4n));
  assert.equal(access(zone1, frame(0) + 0x8, 8), 0n);
  // LPI registers: each zone its own PROPBASER, SYNCR reads 0.
  access(zone1, frame(2) + 0x70, 8, 0x4000_078fn);
  assert.equal(access(zone1, frame(0) + 0x70, 8), 0x4000_078fn);
  assert.equal(access(zone1, frame(2) + 0xc0, 4, undefined, 5n), 0n);
  assert.deepEqual(host.panics, []);
  access(zone1, frame(3) + SGI + 0x100, 4, 1n);
  assert.match(host.panics[0]!, /CPU 3 has no zone/);
  assert.equal(gic.banks[3]!.enabled[0], 0);
});

test('Last goes to the highest MPIDR frame even when that is not the last frame', () => {
  const { hg, zone1, access } = setup([3, 2, 1, 0]);
  assert.deepEqual(hg.gicrBases, [GICR, GICR + FRAME, GICR + 2 * FRAME, GICR + 3 * FRAME]);
  const typer = (cpu: number): bigint => access(zone1, hg.gicrBase(cpu) + 0x8, 4);
  assert.equal(typer(0) & 0x10n, 0x10n); // MPIDR 3, forced by hvisor
  assert.equal(typer(3) & 0x10n, 0x10n); // the physical Last bit of the final frame reads through
  assert.equal(typer(1) & 0x10n, 0n);
});

test('irqchipReset disables and deactivates the zone SPIs only', () => {
  const { gic, hg, root, zone1, access } = setup();
  access(root, GICD + 0x104, 4, 0xffff_ffffn);
  access(zone1, GICD + 0x104, 4, 0xffff_ffffn);
  access(zone1, GICD + 0x304, 4, 0xffff_ffffn); // ISACTIVER1
  irqchipReset(hg, zone1);
  assert.deepEqual([33, 35, 40, 41].map((i) => gic.shared.enabled[i]), [1, 1, 0, 0]);
  assert.deepEqual([40, 41].map((i) => gic.shared.active[i]), [0, 0]);
  assert.deepEqual([7, 25].map((i) => gic.banks[2]!.enabled[i]), [1, 1]);
});

test('an SPI taken on the IRQ exit becomes a HW list register that the guest acknowledges and deactivates', () => {
  const { gic, hg, zone1, lines, access } = setup();
  access(zone1, GICD + 0x6000 + 8 * 40, 8, 2n);
  access(zone1, GICD + 0x428, 4, 0xa0a0n);
  access(zone1, GICD + 0x104, 4, 1n << 8n);
  gic.spi(40).set(true);
  assert.equal(lines[2]!.irq, true);
  run(gicv3HandleIrqEl1(hg, 2));
  const v = gic.vcpu(2);
  assert.equal(v.readLr(0), 40n | LR_GROUP | LR_PENDING | LR_HW | (40n << 32n));
  // Priority dropped (EOImode 1), still active until the guest deactivates it.
  assert.deepEqual([gic.shared.active[40], gic.cpu(2).readAp1r0(), lines[2]!.irq], [1, 0, false]);
  assert.equal(lines[2]!.virq, false); // the guest's virtual PMR is still 0
  v.writePmr(0xf0);
  assert.equal(lines[2]!.virq, true);
  assert.equal(v.readIar1(), 40);
  gic.spi(40).set(false);
  v.writeEoir1(40);
  assert.deepEqual([gic.shared.active[40], lines[2]!.virq, v.readElrsr() & 1], [0, false, 1]);
});

test('with every list register busy the interrupt waits, and the maintenance interrupt refills', () => {
  const { gic, hg, lines } = setup();
  const v = gic.vcpu(2);
  v.writePmr(0xf0);
  for (const id of [50, 51, 52, 53]) assert.equal(injectIrq(hg, 2, id, false), true);
  assert.equal(injectIrq(hg, 2, 51, false), true); // already in an LR
  assert.equal(injectIrq(hg, 2, 54, false), false);
  assert.deepEqual(hg.pendingVirqs[2], [{ intid: 54, isHw: false }]);
  assert.equal(v.readHcr() & ICH_HCR_UIE, ICH_HCR_UIE);
  // The guest takes three: at most one LR left valid is an underflow.
  for (let i = 0; i < 3; i++) v.writeEoir1(v.readIar1());
  assert.equal(lines[2]!.irq, true); // maintenance PPI 25 at priority 1
  run(gicv3HandleIrqEl1(hg, 2));
  assert.deepEqual(hg.pendingVirqs[2], []);
  assert.equal(v.readHcr() & ICH_HCR_UIE, 0);
  const lrs = [0, 1, 2, 3].map((i) => v.readLr(i) & 0xffffn);
  assert.ok(lrs.includes(54n) && lrs.includes(53n));
  assert.deepEqual([gic.banks[2]!.active[25], gic.cpu(2).readAp1r0(), lines[2]!.irq], [0, 0, false]);
});

test('SGIs on the IRQ exit: 7 runs check_events once and is injected only if no event was consumed', () => {
  const { gic, hg, host, zone1, access } = setup();
  access(zone1, GICR + 2 * FRAME + SGI + 0x100, 4, (1n << 3n) | (1n << 9n)); // the guest enables SGIs 3 and 9
  const v = gic.vcpu(2);
  const sgi = (id: number): void => gic.cpu(0).writeSgi1r((BigInt(id) << 24n) | (1n << 2n));
  host.events.push(true);
  sgi(7);
  run(gicv3HandleIrqEl1(hg, 2));
  assert.equal(host.checks, 1);
  assert.equal(v.readElrsr(), 0xf);
  assert.equal(gic.banks[2]!.active[7], 0);
  sgi(7);
  run(gicv3HandleIrqEl1(hg, 2));
  assert.equal(host.checks, 2);
  assert.equal(v.readLr(0), 7n | LR_GROUP | LR_PENDING);
  sgi(3);
  sgi(9);
  run(gicv3HandleIrqEl1(hg, 2));
  assert.equal(host.checks, 2);
  assert.equal(v.readLr(1), 3n | LR_GROUP | LR_PENDING);
  assert.equal(v.readElrsr(), 0b1100);
  assert.match(host.logs.join('\n'), /skip sgi 9/);
  assert.deepEqual([3, 9].map((i) => gic.banks[2]!.active[i]), [0, 0]);
  // The virtual timer PPI is passed through HW-mapped.
  gic.banks[2]!.enabled[27] = 1;
  gic.ppi(2, 27).set(true);
  run(gicv3HandleIrqEl1(hg, 2));
  assert.equal(v.readLr(2), 27n | LR_GROUP | LR_PENDING | LR_HW | (27n << 32n));
});
