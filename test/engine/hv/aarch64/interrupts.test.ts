// Device and timer interrupts taken by aarch64 guests through the whole
// chain (reference §2.1 "Interrupts (IRQ exit)", "Timer"; §3.6 GICv3): the
// device or timer raises a physical GIC interrupt, the CPU exits to EL2,
// hvisor acknowledges it and injects it HW-mapped into a list register, the
// guest takes the virtual IRQ through its own vector table, and its EOI ends
// the physical interrupt too. Guests: test/fixtures/hv-aarch64/irq-*.S.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesAt, fixture, GICD, GICR, launchGuests, reg, runFor, runTo, sysreg, traceText, u32At, u64At, whereIs, zone1, zoneConfigAsm, type Guest } from './harness';

const UART_IRQ = 33;
const LR_HW = 1n << 61n, LR_GROUP1 = 1n << 60n;
const LR_STATE_SHIFT = 62n, LR_PINTID_SHIFT = 32n;

/** A register of the physical GIC, read without going through any zone. */
function physical(g: Guest, address: number): number {
  const v = g.engine.target.memory.read(address, 4);
  assert.ok(v !== undefined, `0x${address.toString(16)} reads`);
  return Number(v);
}

const bit = (word: number, n: number): boolean => ((word >>> n) & 1) === 1;

/** `cpu`'s list registers that hold vINTID `intid` in any state. */
function lrsWith(g: Guest, cpu: number, intid: number): bigint[] {
  const gic = g.engine.systemRegisters(cpu).find((x) => x.id === 'gic')!.registers;
  return gic
    .filter((r) => /^ich_lr\d+_el2$/.test(r.name) && (r.value & 0xffff_ffffn) === BigInt(intid) && r.value >> LR_STATE_SHIFT !== 0n)
    .map((r) => r.value);
}

test('a UART receive interrupt: PL011 → SPI 33 → IRQ exit → HW-mapped list register → the root guest echoes and stores the bytes', async (t) => {
  const g = launchGuests({ root: fixture('irq-uart.S') });
  const e = g.engine;

  await t.test('the guest programs its GIC through hvisor: SPI 33 enabled, Group 1, priority 0xa0, routed to CPU 0', () => {
    runTo(g, 'ready');
    assert.equal(bit(physical(g, GICD + 0x104), UART_IRQ - 32), true, 'GICD_ISENABLER1 bit 1');
    assert.equal(bit(physical(g, GICD + 0x84), UART_IRQ - 32), true, 'GICD_IGROUPR1 bit 1');
    assert.equal((physical(g, GICD + 0x420) >>> 8) & 0xff, 0xa0, 'SPI 33 priority');
    assert.equal(physical(g, GICD + 0x420) & 0xff, 0, 'SPI 32 is not the root zone\'s: untouched');
    assert.equal(physical(g, GICD + 0x6000 + 8 * UART_IRQ), 0, 'IROUTER: Aff 0.0.0.0');
    assert.equal(u32At(g, g.sym('gicd_ctlr')) & 0x12, 0x12, 'GICD_CTLR reads through: ARE and Group 1 on');
    assert.equal(runFor(g).kind, 'quiescent', 'no input: every CPU sleeps');
    assert.equal(u32At(g, g.sym('irq_count')), 0);
  });

  await t.test('a byte arrives: CPU 0 exits to EL2, hvisor injects SPI 33 HW-mapped and the guest acknowledges it', () => {
    e.uartInput(Uint8Array.from(Buffer.from('h')));
    e.setHypervisorEventStops(['mmio']);
    const stop = runFor(g);
    e.setHypervisorEventStops([]);
    assert.deepEqual(stop.kind === 'event' && [stop.cpu, stop.event.text], [0, 'IRQ exit: SPI 33 for zone 0: injected HW-mapped (pINTID 33) into LR0'], JSON.stringify(stop));
    assert.deepEqual(e.hypervisorFrames(0), ['irq', 'gicv3_handle_irq_el1'], 'in the IRQ exit, not a synchronous trap');
    const lrs = lrsWith(g, 0, UART_IRQ);
    assert.equal(lrs.length, 1);
    const lr = lrs[0]!;
    assert.equal(lr >> LR_STATE_SHIFT, 1n, 'pending');
    assert.equal(lr & (LR_HW | LR_GROUP1), LR_HW | LR_GROUP1);
    assert.equal(Number((lr >> LR_PINTID_SHIFT) & 0x1fffn), UART_IRQ, 'pINTID');
    assert.equal(bit(physical(g, GICD + 0x304), UART_IRQ - 32), true, 'physically active: acknowledged by hvisor');
    runTo(g, 'acked');
    assert.equal(u32At(g, g.sym('last_intid')), 0, 'not stored yet');
    assert.equal(e.readRegister(0, 'x0'), BigInt(UART_IRQ), 'ICC_IAR1_EL1 (ICV) gave INTID 33');
    assert.equal(lrsWith(g, 0, UART_IRQ)[0]! >> LR_STATE_SHIFT, 2n, 'the list register is active');
  });

  await t.test('the handler reads the byte, echoes it, and its EOI deactivates the list register and SPI 33', () => {
    runTo(g, 'handled');
    assert.deepEqual(g.uart.slice(-1), [0x68], 'echoed');
    assert.equal(u32At(g, g.sym('rx_count')), 1);
    assert.equal(bytesAt(g, g.sym('rx_bytes'), 1)[0], 0x68);
    assert.deepEqual(lrsWith(g, 0, UART_IRQ), [], 'EOImode 0: the EOI deactivated the virtual interrupt');
    assert.equal(bit(physical(g, GICD + 0x304), UART_IRQ - 32), false, 'and, HW-mapped, the physical one');
    assert.equal(bit(physical(g, GICD + 0x204), UART_IRQ - 32), false, 'the FIFO is empty: SPI 33 no longer pending');
  });

  await t.test('a line of input: every byte comes through interrupts, in order, and the guest sleeps again', () => {
    e.uartInput(Uint8Array.from(Buffer.from('ello, hvisor\n')));
    assert.equal(runFor(g).kind, 'quiescent', whereIs(g, 0));
    const n = u32At(g, g.sym('rx_count'));
    assert.equal(n, 14);
    assert.equal(Buffer.from(bytesAt(g, g.sym('rx_bytes'), n)).toString('latin1'), 'hello, hvisor\n');
    assert.equal(Buffer.from(g.uart).toString('latin1').endsWith('hello, hvisor\n'), true, 'echoed');
    const irqs = u32At(g, g.sym('irq_count'));
    const exits = traceText(g).match(/cpu0 mmio: IRQ exit: SPI 33 for zone 0: injected HW-mapped/g)?.length ?? 0;
    assert.ok(irqs >= 2 && irqs <= n, `${irqs} interrupts for ${n} bytes`);
    assert.equal(exits, irqs, 'one IRQ exit per interrupt the guest took');
    assert.equal(u32At(g, g.sym('last_intid')), UART_IRQ);
  });
});

const VTIMER = 27;
const PERIOD = 5000n;
const TICKS = 5;
/** CPU 0's SGI frame: GICR_ISENABLER0, ISPENDR0, ISACTIVER0, IPRIORITYR6. */
const SGI_FRAME0 = GICR + 0x10000;
const CNT_ENABLE = 1, CNT_ISTATUS = 4;
/** A few instructions from the vector to the handler's CNTVCT read: a count or two at 5 counts per 8 instructions. */
const HANDLER_LATENCY = 8n;

interface TimerRun {
  readonly first: bigint;
  readonly stamps: readonly bigint[];
  readonly ctls: readonly number[];
  /** CPU 0's instructions and CNTVCT when it reaches `done`. */
  readonly instructions: number;
  readonly doneAt: bigint;
  readonly trace: string;
}

/** Launch irq-timer.S, run it to `done` with the given quantum, and collect what it recorded. */
function runTimer(quantum?: number): TimerRun {
  const g = launchGuests({ root: fixture('irq-timer.S') });
  if (quantum !== undefined) g.engine.scheduler.quantum = quantum;
  runTo(g, 'done');
  const stamps = Array.from({ length: TICKS }, (_, k) => u64At(g, g.sym('stamps') + 8 * k));
  const ctls = Array.from({ length: TICKS }, (_, k) => u32At(g, g.sym('ctls') + 4 * k));
  return {
    first: u64At(g, g.sym('first_deadline')), stamps, ctls,
    instructions: g.engine.instructionCount(0), doneAt: reg(g, 0, 'x21'), trace: traceText(g),
  };
}

test('virtual timer ticks: CNTV → PPI 27 → IRQ exit → HW-mapped list register → the guest re-arms and ends each one', async (t) => {
  const g = launchGuests({ root: fixture('irq-timer.S') });
  const e = g.engine;

  await t.test('the guest enables PPI 27 at its own redistributor through hvisor and arms CNTV', () => {
    runTo(g, 'armed');
    assert.equal(bit(physical(g, SGI_FRAME0 + 0x100), VTIMER), true, 'GICR_ISENABLER0 bit 27');
    assert.equal(physical(g, SGI_FRAME0 + 0x418) >>> 24, 0xa0, 'PPI 27 priority');
    assert.equal(sysreg(g, 0, 'timer', 'cntv_cval_el0'), u64At(g, g.sym('first_deadline')));
    assert.equal(Number(sysreg(g, 0, 'timer', 'cntv_ctl_el0')) & CNT_ENABLE, CNT_ENABLE);
    assert.deepEqual(lrsWith(g, 0, VTIMER), [], 'nothing injected before the deadline');
  });

  await t.test('at the deadline CPU 0 exits to EL2 and hvisor injects PPI 27 HW-mapped; the guest is at its IRQ vector', () => {
    const vector = BigInt(g.sym('irq_vector'));
    e.setInstructionBreakpoints([vector]);
    const stop = runFor(g);
    e.setInstructionBreakpoints([]);
    assert.deepEqual(stop, { kind: 'breakpoint', cpu: 0, pc: Number(vector) }, whereIs(g, 0));
    const first = u64At(g, g.sym('first_deadline'));
    const now = sysreg(g, 0, 'timer', 'cntvct_el0');
    assert.ok(now >= first && now < first + HANDLER_LATENCY, `CNTVCT ${now}, deadline ${first}: taken at the deadline`);
    const lrs = lrsWith(g, 0, VTIMER);
    assert.equal(lrs.length, 1);
    const lr = lrs[0]!;
    assert.equal(lr >> LR_STATE_SHIFT, 1n, 'pending');
    assert.equal(lr & (LR_HW | LR_GROUP1), LR_HW | LR_GROUP1, 'HW-mapped, Group 1');
    assert.equal(Number((lr >> LR_PINTID_SHIFT) & 0x1fffn), VTIMER, 'pINTID = vINTID');
    assert.equal(bit(physical(g, SGI_FRAME0 + 0x300), VTIMER), true, 'PPI 27 physically active: hvisor only dropped its priority');
    assert.doesNotMatch(traceText(g), /IRQ exit: SPI/, 'timer exits are not traced');
  });

  await t.test('the handler acknowledges INTID 27, re-arms one period on, and its EOI deactivates the physical PPI', () => {
    runTo(g, 'acked');
    assert.equal(reg(g, 0, 'x0'), BigInt(VTIMER));
    runTo(g, 'handled');
    const first = u64At(g, g.sym('first_deadline'));
    assert.equal(sysreg(g, 0, 'timer', 'cntv_cval_el0'), first + PERIOD);
    assert.equal(u32At(g, g.sym('ctls')), CNT_ENABLE | CNT_ISTATUS, 'in the handler: enabled and firing');
    assert.deepEqual(lrsWith(g, 0, VTIMER), [], 'the list register is empty');
    assert.equal(bit(physical(g, SGI_FRAME0 + 0x300), VTIMER), false, 'not active');
    assert.equal(bit(physical(g, SGI_FRAME0 + 0x200), VTIMER), false, 'not pending: the timer output fell when re-armed');
  });

  await t.test(`${TICKS} ticks, each taken at its deadline, then the guest stops the timer and everything sleeps`, () => {
    runTo(g, 'done');
    assert.equal(u32At(g, g.sym('tick_count')), TICKS);
    const first = u64At(g, g.sym('first_deadline'));
    for (let k = 0; k < TICKS; k++) {
      const late = u64At(g, g.sym('stamps') + 8 * k) - (first + BigInt(k) * PERIOD);
      assert.ok(late >= 0n && late < HANDLER_LATENCY, `tick ${k}: ${late} counts after its deadline`);
    }
    assert.equal(runFor(g).kind, 'quiescent', 'no timer armed: the machine is quiescent');
    assert.equal(u32At(g, g.sym('tick_count')), TICKS, 'no tick after the mask');
  });
});

test('the timer ticks are deterministic: the same times, instruction counts and trace in two runs and across scheduling quanta', () => {
  const ref = runTimer();
  assert.equal(ref.stamps.length, TICKS);
  assert.deepEqual(runTimer(), ref, 'a second run');
  for (const quantum of [97, 1000, 100_000]) assert.deepEqual(runTimer(quantum), ref, `quantum ${quantum}`);
});

test("zone isolation: a zone that does not own SPI 33 can neither enable, disable, pend, reprioritise nor reroute it through hvisor's GICD", () => {
  const zone = zone1({ irqs: [40] });
  const g = launchGuests({
    root: fixture('irq-isolation.S') + zoneConfigAsm('zone1_config', zone),
    zones: [{ zone, source: fixture('irq-isolation-zone1.S') }],
  });
  runTo(g, 'r_started');
  assert.equal(reg(g, 0, 'x0'), 0n, 'HvZoneStart succeeded');
  assert.equal(physical(g, GICD + 0x104), 1 << 1, 'before: the root enabled its SPI 33');
  runTo(g, 'r_zone1_done');
  assert.equal(physical(g, GICD + 0x104), (1 << 1) | (1 << 8), "ISENABLER1: the root's 33 still enabled, zone 1's 40 enabled, nothing else");
  assert.equal(bit(physical(g, GICD + 0x204), UART_IRQ - 32), false, 'SPI 33 not made pending');
  assert.equal(physical(g, GICD + 0x420), 0xa000a000, "priorities of 32..35: the root's 0xa0 on 33 and 35, zone 1's write dropped");
  assert.equal(physical(g, GICD + 0x6000 + 8 * UART_IRQ), 0, 'SPI 33 still routed to CPU 0');
  const seen = g.sym('seen', 1);
  assert.equal(u32At(g, seen), 1 << 8, 'zone 1 reads only its own enable bit');
  assert.equal(u32At(g, seen + 4), 0, 'and no priority of SPIs it does not own');
  assert.equal(u64At(g, seen + 8), 0n, "the root's route reads as nothing");
  assert.match(traceText(g), /cpu2 mmio: write 4 bytes at IPA 0x8000184 value 0x2/, "zone 1's ICENABLER1 write trapped");
});
