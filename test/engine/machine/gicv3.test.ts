import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gicv3 } from '../../../engine/machine/devices/gicv3/gic';
import {
  GICD_CTLR,
  GICD_ICACTIVER,
  GICD_ICENABLER,
  GICD_ICFGR,
  GICD_ICPENDR,
  GICD_IGROUPR,
  GICD_IIDR,
  GICD_IPRIORITYR,
  GICD_IROUTER,
  GICD_ISACTIVER,
  GICD_ISENABLER,
  GICD_ISPENDR,
  GICD_TYPER,
  GIC_PIDR2,
  GICR_FRAME_SIZE,
  GICR_ICENABLER0,
  GICR_ICFGR0,
  GICR_ICFGR1,
  GICR_IGROUPR0,
  GICR_IIDR,
  GICR_IPRIORITYR0,
  GICR_ISENABLER0,
  GICR_ISPENDR0,
  GICR_ISACTIVER0,
  GICR_SGI_OFFSET,
  GICR_TYPER,
  GICR_WAKER,
  ICH_HCR_EN,
  ICH_HCR_UIE,
  ICH_MISR_EOI,
  ICH_MISR_U,
  ICH_VMCR_VENG1,
  ICH_VMCR_VEOIM,
  INTID_SPURIOUS,
  LR_EOI,
  LR_GROUP,
  LR_HW,
} from '../../../engine/machine/devices/gicv3/registers';

function gic(n = 4) {
  const irq = new Array<boolean>(n).fill(false);
  const virq = new Array<boolean>(n).fill(false);
  const maint = new Array<boolean>(n).fill(false);
  const g = new Gicv3({
    cpus: Array.from({ length: n }, (_, i) => ({
      irq: { set: (l: boolean) => (irq[i] = l) },
      virq: { set: (l: boolean) => (virq[i] = l) },
      maintenance: { set: (l: boolean) => (maint[i] = l) },
    })),
  });
  const d = g.distributor;
  const r = g.redistributors;
  const sgi = (cpu: number, off: number) => cpu * GICR_FRAME_SIZE + GICR_SGI_OFFSET + off;
  return { g, d, r, irq, virq, maint, sgi };
}

/** Distributor on, CPU interfaces accepting every priority, Group 1 on. */
function ready(n = 4) {
  const t = gic(n);
  t.d.write(GICD_CTLR, 4, 0x2);
  for (let c = 0; c < n; c++) {
    t.g.cpu(c).writePmr(0xff);
    t.g.cpu(c).writeIgrpen1(1);
  }
  return t;
}

/** A 64-bit IROUTER write in two halves. */
function route(d: Gicv3['distributor'], intid: number, aff: bigint) {
  d.write(GICD_IROUTER + 8 * intid, 4, Number(aff & 0xffffffffn));
  d.write(GICD_IROUTER + 8 * intid + 4, 4, Number(aff >> 32n));
}

test('GICD: identity, TYPER and CTLR', () => {
  const { d } = gic(4);
  assert.equal(d.read(GICD_CTLR, 4), 0x50, 'ARE and DS fixed at 1');
  d.write(GICD_CTLR, 4, 0xffffffff);
  assert.equal(d.read(GICD_CTLR, 4), 0x53);
  const typer = d.read(GICD_TYPER, 4);
  assert.equal(typer & 0x1f, 31, '1020 INTIDs');
  assert.equal((typer >>> 5) & 7, 3, '4 CPUs');
  assert.equal((typer >>> 19) & 0x1f, 15, '16-bit INTIDs');
  assert.equal((typer >>> 25) & 1, 1, 'No1N');
  assert.equal(d.read(GICD_IIDR, 4), 0x43b);
  assert.equal((d.read(GIC_PIDR2, 4) >>> 4) & 0xf, 3, 'ArchRev = GICv3');
  assert.equal(d.read(0xfff0, 4), 0x0d);
});

test('GICD: enable, pend, active, group bits for SPIs; INTIDs 0-31 are RAZ/WI here', () => {
  const { d } = gic();
  d.write(GICD_ISENABLER + 4, 4, 0x0000_0006);
  assert.equal(d.read(GICD_ISENABLER + 4, 4), 6);
  assert.equal(d.read(GICD_ICENABLER + 4, 4), 6);
  d.write(GICD_ICENABLER + 4, 4, 0x2);
  assert.equal(d.read(GICD_ISENABLER + 4, 4), 4);
  d.write(GICD_ISPENDR + 4, 4, 0x8);
  assert.equal(d.read(GICD_ICPENDR + 4, 4), 8);
  d.write(GICD_ICPENDR + 4, 4, 0x8);
  assert.equal(d.read(GICD_ISPENDR + 4, 4), 0);
  d.write(GICD_ISACTIVER + 4, 4, 0x10);
  assert.equal(d.read(GICD_ICACTIVER + 4, 4), 0x10);
  d.write(GICD_ICACTIVER + 4, 4, 0x10);
  assert.equal(d.read(GICD_ISACTIVER + 4, 4), 0);
  assert.equal(d.read(GICD_IGROUPR + 4, 4), 0xffffffff, 'Group 1 at reset');
  d.write(GICD_IGROUPR + 4, 4, 0xfffffffe);
  assert.equal(d.read(GICD_IGROUPR + 4, 4), 0xfffffffe);
  d.write(GICD_ISENABLER, 4, 0xffffffff);
  assert.equal(d.read(GICD_ISENABLER, 4), 0);
  assert.equal(d.read(GICD_IGROUPR, 4), 0);
  assert.equal(d.read(GICD_ISENABLER + 4 * 32, 4), 0, 'no INTIDs past 1019');
});

test('GICD: byte-wide priorities, ICFGR edge bits and IROUTER', () => {
  const { d, g } = gic();
  d.write(GICD_IPRIORITYR + 33, 1, 0xa0);
  d.write(GICD_IPRIORITYR + 36, 4, 0x44332211);
  assert.equal(d.read(GICD_IPRIORITYR + 32, 4), 0x0000a000);
  assert.equal(d.read(GICD_IPRIORITYR + 37, 1), 0x22);
  d.write(GICD_IPRIORITYR + 0, 4, 0xffffffff);
  assert.equal(d.read(GICD_IPRIORITYR, 4), 0, 'SGI priorities live in the redistributor');
  d.write(GICD_ICFGR + 8, 4, 0xffffffff);
  assert.equal(d.read(GICD_ICFGR + 8, 4), 0xaaaaaaaa, 'only the edge bit of each pair');
  route(d, 40, 0x03_0000_0102n);
  assert.equal(d.read(GICD_IROUTER + 8 * 40, 4), 0x102);
  assert.equal(d.read(GICD_IROUTER + 8 * 40 + 4, 4), 3);
  route(d, 41, 0x8000_0000n | 2n);
  assert.equal(d.read(GICD_IROUTER + 8 * 41, 4), 2, 'IRM is RAZ/WI (No1N)');
  assert.equal(g.target(41), 2);
  assert.equal(g.target(40), -1, 'no CPU has that affinity');
});

test('GICR: TYPER with affinity and Last, IIDR, WAKER, PIDR2', () => {
  const { r } = gic(3);
  const typer = (c: number) => (BigInt(r.read(c * GICR_FRAME_SIZE + GICR_TYPER + 4, 4) >>> 0) << 32n) | BigInt(r.read(c * GICR_FRAME_SIZE + GICR_TYPER, 4) >>> 0);
  assert.equal(typer(0), 0x0n);
  assert.equal(typer(1), (1n << 32n) | 0x100n);
  assert.equal(typer(2), (2n << 32n) | 0x210n, 'Last on the final frame');
  assert.equal(r.read(GICR_IIDR, 4), 0x43b);
  assert.equal(r.read(GICR_FRAME_SIZE + GIC_PIDR2, 4), 0x3b);
  assert.equal(r.read(GICR_WAKER, 4), 6, 'asleep at reset');
  r.write(GICR_WAKER, 4, 0);
  assert.equal(r.read(GICR_WAKER, 4), 0, 'ChildrenAsleep follows ProcessorSleep');
  assert.equal(r.read(GICR_FRAME_SIZE + GICR_WAKER, 4), 6, 'per CPU');
  assert.equal(r.size, 3 * GICR_FRAME_SIZE);
  assert.equal(r.read(3 * GICR_FRAME_SIZE + GICR_TYPER, 4), 0);
});

test('GICR: SGI_base banks SGIs and PPIs per CPU; SGIs are always edge', () => {
  const { r, sgi } = gic(2);
  r.write(sgi(1, GICR_ISENABLER0), 4, 0x8000_0080);
  assert.equal(r.read(sgi(1, GICR_ISENABLER0), 4), 0x8000_0080);
  assert.equal(r.read(sgi(0, GICR_ISENABLER0), 4), 0);
  r.write(sgi(1, GICR_ICENABLER0), 4, 0x80);
  assert.equal(r.read(sgi(1, GICR_ISENABLER0), 4), 0x8000_0000);
  r.write(sgi(0, GICR_IPRIORITYR0 + 7), 1, 0x10);
  assert.equal(r.read(sgi(0, GICR_IPRIORITYR0 + 4), 4), 0x1000_0000);
  assert.equal(r.read(sgi(0, GICR_ICFGR0), 4), 0xaaaaaaaa);
  r.write(sgi(0, GICR_ICFGR0), 4, 0);
  assert.equal(r.read(sgi(0, GICR_ICFGR0), 4), 0xaaaaaaaa, 'read-only');
  r.write(sgi(0, GICR_ICFGR1), 4, 0x2 << 22);
  assert.equal(r.read(sgi(0, GICR_ICFGR1), 4), 0x2 << 22, 'PPI 27 edge');
  r.write(sgi(0, GICR_IGROUPR0), 4, 0x0000ffff);
  assert.equal(r.read(sgi(0, GICR_IGROUPR0), 4), 0xffff);
  r.write(sgi(0, GICR_ISPENDR0), 2, 0x3);
  assert.equal(r.read(sgi(0, GICR_ISPENDR0), 4), 3, 'narrow writes');
});

test('GIC: a level SPI reaches its routed CPU; acknowledge, EOI, and level re-pend', () => {
  const { g, d, irq } = ready();
  const uart = g.spi(33);
  d.write(GICD_ISENABLER + 4, 4, 1 << 1);
  route(d, 33, 2n);
  uart.set(true);
  assert.deepEqual(irq, [false, false, true, false]);
  const c = g.cpu(2);
  assert.equal(c.readHppir1(), 33);
  assert.equal(c.readIar1(), 33);
  assert.equal(d.read(GICD_ISACTIVER + 4, 4), 2);
  assert.equal(d.read(GICD_ISPENDR + 4, 4), 2, 'level still high: pending and active');
  assert.equal(irq[2], false, 'active: not offered again');
  assert.equal(c.readIar1(), INTID_SPURIOUS);
  c.writeEoir1(33);
  assert.equal(d.read(GICD_ISACTIVER + 4, 4), 0, 'EOImode 0 deactivates');
  assert.equal(irq[2], true, 'the line is still high');
  uart.set(false);
  assert.equal(irq[2], false);
  d.write(GICD_ISPENDR + 4, 4, 2);
  assert.equal(irq[2], true, 'ISPENDR latches');
  uart.set(true);
  uart.set(false);
  d.write(GICD_ICPENDR + 4, 4, 2);
  assert.equal(irq[2], false);
});

test('GIC: an edge SPI latches on the rising edge and the acknowledge clears it', () => {
  const { g, d, irq } = ready();
  d.write(GICD_ICFGR + 8, 4, 0x2 << 2); // INTID 33 edge
  d.write(GICD_ISENABLER + 4, 4, 2);
  const line = g.spi(33);
  line.set(true);
  line.set(false);
  assert.equal(irq[0], true);
  assert.equal(g.cpu(0).readIar1(), 33);
  assert.equal(d.read(GICD_ISPENDR + 4, 4), 0);
  g.cpu(0).writeEoir1(33);
  assert.equal(irq[0], false);
});

test('GIC: acknowledge order is priority, then lower INTID; PMR and groups mask', () => {
  const { g, d, r, irq, sgi } = ready();
  for (const id of [40, 41, 42]) d.write(GICD_ISENABLER + 4, 4, 1 << (id - 32));
  d.write(GICD_IPRIORITYR + 40, 1, 0x80);
  d.write(GICD_IPRIORITYR + 41, 1, 0x40);
  d.write(GICD_IPRIORITYR + 42, 1, 0x40);
  d.write(GICD_ISPENDR + 4, 4, 0x700);
  const c = g.cpu(0);
  c.writePmr(0x40);
  assert.equal(irq[0], false, 'nothing is strictly below PMR 0x40');
  assert.equal(c.readHppir1(), 41, 'HPPIR ignores PMR');
  assert.equal(c.readIar1(), INTID_SPURIOUS);
  c.writePmr(0x81);
  assert.equal(c.readPmr(), 0x80, 'only 5 priority bits');
  c.writePmr(0xff);
  assert.equal(c.readPmr(), 0xf8);
  d.write(GICD_IGROUPR + 4, 4, ~(1 << 9) >>> 0);
  assert.equal(c.readHppir1(), 42, 'Group 0 is not offered');
  d.write(GICD_IGROUPR + 4, 4, 0xffffffff);
  r.write(sgi(0, GICR_ISENABLER0), 4, 1 << 5);
  r.write(sgi(0, GICR_IPRIORITYR0 + 5), 1, 0x40);
  r.write(sgi(0, GICR_ISPENDR0), 4, 1 << 5);
  assert.equal(c.readIar1(), 5, 'SGI 5 at 0x40 beats SPIs 41/42 at 0x40');
  c.writeEoir1(5);
  assert.equal(c.readIar1(), 41);
  c.writeEoir1(41);
  assert.equal(c.readIar1(), 42);
  c.writeEoir1(42);
  assert.equal(c.readIar1(), 40);
  c.writeEoir1(40);
  assert.equal(c.readIar1(), INTID_SPURIOUS);
  d.write(GICD_CTLR, 4, 0);
  d.write(GICD_ISPENDR + 4, 4, 0x100);
  assert.equal(c.readHppir1(), INTID_SPURIOUS, 'EnableGrp1 off');
  d.write(GICD_CTLR, 4, 2);
  c.writeIgrpen1(0);
  assert.equal(irq[0], false, 'IGRPEN1 off');
  assert.equal(c.readIar1(), INTID_SPURIOUS);
});

test('GIC: running priority, preemption by group priority and BPR1', () => {
  const { g, d, irq } = ready();
  d.write(GICD_ISENABLER + 4, 4, 0x7);
  d.write(GICD_IPRIORITYR + 32, 4, 0x00_20_38_40);
  const c = g.cpu(0);
  d.write(GICD_ISPENDR + 4, 4, 1);
  assert.equal(c.readIar1(), 32);
  assert.equal(c.readRpr(), 0x40);
  assert.equal(c.readAp1r0(), 1 << 8);
  d.write(GICD_ISPENDR + 4, 4, 2);
  assert.equal(irq[0], true, '0x38 preempts 0x40');
  c.writeBpr1(1);
  assert.equal(c.readBpr1(), 3, 'BPR1 cannot go below 3');
  c.writeBpr1(7);
  assert.equal(irq[0], false, 'with BPR1 7, 0x38 and 0x40 share group priority 0');
  d.write(GICD_ISPENDR + 4, 4, 4);
  assert.equal(c.readIar1(), INTID_SPURIOUS, 'nor does 0x20 preempt');
  c.writeBpr1(3);
  assert.equal(irq[0], true);
  assert.equal(c.readIar1(), 34);
  assert.equal(c.readRpr(), 0x20);
  assert.equal(c.readAp1r0(), (1 << 8) | (1 << 4));
  c.writeEoir1(34);
  assert.equal(c.readRpr(), 0x40, 'EOI drops the highest active priority');
  assert.equal(c.readIar1(), 33);
  c.writeEoir1(33);
  c.writeEoir1(32);
  assert.equal(c.readRpr(), 0xff);
});

test('GIC: EOImode 1 splits priority drop (EOIR) from deactivation (DIR)', () => {
  const { g, d, irq } = ready();
  d.write(GICD_ISENABLER + 4, 4, 2);
  const c = g.cpu(0);
  c.writeCtlr(2);
  assert.equal(c.readCtlr() & 3, 2);
  assert.equal((c.readCtlr() >>> 8) & 7, 4, 'PRIbits = 5');
  d.write(GICD_ISPENDR + 4, 4, 2);
  assert.equal(c.readIar1(), 33);
  c.writeEoir1(33);
  assert.equal(c.readRpr(), 0xff, 'priority dropped');
  assert.equal(d.read(GICD_ISACTIVER + 4, 4), 2, 'still active');
  d.write(GICD_ISPENDR + 4, 4, 2);
  assert.equal(irq[0], false, 'active interrupts are not offered');
  c.writeDir(33);
  assert.equal(d.read(GICD_ISACTIVER + 4, 4), 0);
  assert.equal(irq[0], true);
  c.writeCtlr(0);
  c.writeDir(33);
  assert.equal(c.readIar1(), 33);
  c.writeDir(33);
  assert.equal(d.read(GICD_ISACTIVER + 4, 4), 2, 'DIR is ignored with EOImode 0');
  c.writeEoir1(1022);
  assert.equal(c.readRpr(), 0, 'EOI of a special INTID does nothing');
});

test('GIC: SGI1R targets by affinity and target list, or every other CPU with IRM', () => {
  const { g, r, sgi } = gic(20);
  const pend = (cpu: number) => r.read(sgi(cpu, GICR_ISPENDR0), 4);
  g.cpu(0).writeSgi1r((7n << 24n) | 0b1010n);
  assert.deepEqual([0, 1, 2, 3].map(pend), [0, 0x80, 0, 0x80]);
  g.cpu(0).writeSgi1r((3n << 24n) | (1n << 16n) | 0b10n);
  assert.equal(pend(17), 1 << 3, 'Aff1 = 1, Aff0 = 1 is CPU 17');
  assert.equal(pend(1), 0x80);
  g.cpu(5).writeSgi1r((1n << 40n) | (2n << 24n));
  for (let c = 0; c < 20; c++) assert.equal((pend(c) >>> 2) & 1, c === 5 ? 0 : 1, `IRM reaches CPU ${c} unless it sent`);
  r.write(sgi(4, GICR_IGROUPR0), 4, 0);
  g.cpu(0).writeSgi1r((9n << 24n) | (1n << 4n));
  assert.equal(pend(4) & (1 << 9), 0, 'Group 0 SGIs are not generated by SGI1R');
  g.cpu(0).writeSgi1r((1n << 44n) | (9n << 24n) | 1n);
  assert.equal(pend(16) & (1 << 9), 0, 'RS = 1 alone names Aff0 16 of cluster 0, which does not exist');
});

test('GIC: PPIs per CPU, and the SGI hvisor sends itself', () => {
  const { g, r, irq, sgi } = ready(2);
  r.write(sgi(1, GICR_ISENABLER0), 4, (1 << 27) | (1 << 7));
  g.ppi(1, 27).set(true);
  assert.deepEqual(irq, [false, true]);
  assert.equal(g.cpu(1).readIar1(), 27);
  assert.equal(r.read(sgi(1, GICR_ISACTIVER0), 4), 1 << 27);
  g.cpu(0).writeSgi1r((7n << 24n) | 2n);
  g.cpu(1).writeEoir1(27);
  assert.equal(g.cpu(1).readIar1(), 7, 'the timer line is still high, but SGI 7 (priority 0, lower INTID) comes first');
  assert.throws(() => g.ppi(0, 32), RangeError);
  assert.throws(() => g.spi(31), RangeError);
});

function vready() {
  const t = ready(2);
  const v = t.g.vcpu(0);
  v.writeHcr(ICH_HCR_EN);
  v.writeVmcr((0xf8 << 24) | ICH_VMCR_VENG1);
  return { ...t, v };
}

const lr = (vintid: number, prio: number, state: bigint, extra = 0n) => BigInt(vintid) | (BigInt(prio) << 48n) | LR_GROUP | (state << 62n) | extra;

test('vGIC: list-register injection, ICV acknowledge order and ELRSR', () => {
  const { v, virq } = vready();
  assert.equal(v.readVtr() & 0x1f, 3, '4 list registers');
  assert.equal(v.readElrsr(), 0xf);
  v.writeLr(1, lr(40, 0xa0, 1n));
  v.writeLr(2, lr(30, 0x80, 1n));
  assert.equal(v.readElrsr(), 0b1001);
  assert.equal(virq[0], true);
  assert.equal(v.readHppir1(), 30);
  assert.equal(v.readIar1(), 30);
  assert.equal(v.readLr(2) >> 62n, 2n, 'pending -> active');
  assert.equal(v.readRpr(), 0x80);
  assert.equal(virq[0], false, '0xa0 cannot preempt 0x80');
  v.writeEoir1(30);
  assert.equal(v.readLr(2) >> 62n, 0n);
  assert.equal(v.readElrsr(), 0b1101);
  assert.equal(virq[0], true);
  v.writePmr(0xa0);
  assert.equal(virq[0], false, 'VPMR masks');
  assert.equal(v.readIar1(), INTID_SPURIOUS);
  v.writePmr(0xff);
  v.writeIgrpen1(0);
  assert.equal(v.readIar1(), INTID_SPURIOUS, 'VENG1 off');
  v.writeIgrpen1(1);
  assert.equal(v.readIar1(), 40);
  v.writeLr(3, lr(50, 0x10, 1n) & ~LR_GROUP);
  assert.equal(v.readHppir1(), INTID_SPURIOUS, 'Group 0 LRs are not Group 1 candidates');
});

test('vGIC: VEOIM splits drop and deactivation; a miss counts in EOIcount', () => {
  const { v } = vready();
  v.writeCtlr(2);
  assert.equal(v.readVmcr() & ICH_VMCR_VEOIM, ICH_VMCR_VEOIM);
  v.writeLr(0, lr(33, 0x80, 1n));
  assert.equal(v.readIar1(), 33);
  v.writeEoir1(33);
  assert.equal(v.readRpr(), 0xff);
  assert.equal(v.readLr(0) >> 62n, 2n, 'still active');
  v.writeDir(33);
  assert.equal(v.readLr(0) >> 62n, 0n);
  v.writeDir(99);
  assert.equal(v.readHcr() >>> 27, 1, 'EOIcount');
});

test('vGIC: a HW list register deactivates its physical interrupt', () => {
  const { g, d, v } = vready();
  d.write(GICD_ISENABLER + 4, 4, 2);
  g.cpu(0).writeCtlr(2); // hvisor runs with EOImode 1
  g.spi(33).set(true);
  assert.equal(g.cpu(0).readIar1(), 33);
  g.cpu(0).writeEoir1(33);
  assert.equal(d.read(GICD_ISACTIVER + 4, 4), 2);
  v.writeLr(0, lr(33, 0xa0, 1n, LR_HW | (33n << 32n)));
  assert.equal(v.readIar1(), 33);
  g.spi(33).set(false);
  v.writeEoir1(33);
  assert.equal(d.read(GICD_ISACTIVER + 4, 4), 0, 'the guest EOI deactivated the physical SPI');
  assert.equal(v.readElrsr() & 1, 1);
});

test('vGIC: underflow and EOI maintenance raise PPI 25', () => {
  const { g, r, v, maint, irq, sgi } = vready();
  r.write(sgi(0, GICR_ISENABLER0), 4, 1 << 25);
  v.writeLr(0, lr(40, 0x80, 1n));
  v.writeLr(1, lr(41, 0x80, 1n));
  v.writeHcr(ICH_HCR_EN | ICH_HCR_UIE);
  assert.equal(v.readMisr() & ICH_MISR_U, 0, 'two LRs valid');
  assert.equal(maint[0], false);
  assert.equal(v.readIar1(), 40);
  v.writeEoir1(40);
  assert.equal(v.readMisr() & ICH_MISR_U, ICH_MISR_U);
  assert.equal(maint[0], true);
  assert.equal(irq[0], true, 'PPI 25 reaches the physical interface');
  assert.equal(g.cpu(0).readIar1(), 25);
  v.writeHcr(ICH_HCR_EN);
  assert.equal(maint[0], false);
  g.cpu(0).writeEoir1(25);
  v.writeLr(2, lr(42, 0x80, 1n, LR_EOI));
  assert.equal(v.readElrsr() & 4, 0, 'an LR owing EOI maintenance is not empty');
  assert.equal(v.readIar1(), 41);
  v.writeEoir1(41);
  assert.equal(v.readIar1(), 42);
  v.writeEoir1(42);
  assert.equal(v.readEisr(), 4);
  assert.equal(v.readMisr() & ICH_MISR_EOI, ICH_MISR_EOI);
  assert.equal(maint[0], true);
  v.writeLr(2, 0n);
  assert.equal(maint[0], false);
  v.writeHcr(0);
  v.writeLr(0, lr(40, 0x80, 1n));
  assert.equal(v.readIar1(), INTID_SPURIOUS, 'En off');
});

test('GIC: snapshot and reset', () => {
  const { g, d, v } = vready();
  d.write(GICD_ISENABLER + 4, 4, 2);
  route(d, 33, 1n);
  g.spi(33).set(true);
  v.writeLr(0, lr(33, 0x80, 1n, LR_HW | (33n << 32n)));
  const s = g.snapshot();
  assert.equal(s.spis.length, 1);
  assert.deepEqual(s.spis[0], { intid: 33, enabled: true, pending: true, active: false, level: true, edge: false, group: 1, priority: 0, route: { affinity: 1, cpu: 1 } });
  assert.equal(s.cpus[1]!.highestPending, 33);
  assert.equal(s.cpus[1]!.cpuInterface.irq, true);
  assert.deepEqual(s.cpus[0]!.virtual.lrs[0], { raw: v.readLr(0), vintid: 33, pintid: 33, priority: 0x80, group: 1, hw: true, pending: true, active: false });
  g.reset();
  assert.equal(g.snapshot().spis.length, 1, 'the input is still high');
  assert.equal(g.snapshot().spis[0]!.enabled, false);
  assert.equal(v.readLr(0), 0n);
});

test('GIC: construction limits', () => {
  assert.throws(() => new Gicv3({ cpus: [] }), RangeError);
  const line = { set: () => {} };
  assert.throws(() => new Gicv3({ cpus: Array.from({ length: 65 }, () => ({ irq: line, virq: line })) }), RangeError);
  const g = new Gicv3({ cpus: Array.from({ length: 64 }, () => ({ irq: line, virq: line })) });
  assert.equal(g.affinityOf(63), 0x30f);
  assert.throws(() => g.cpu(64), RangeError);
});
