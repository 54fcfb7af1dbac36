// A guest's ICC_SGI1R_EL1 write (reference §2.1.2 handle_sysreg, §3.6
// injection): the trap and its trace line, the physical SGI pending at the
// target's redistributor, the IRQ exit there putting it in a list register,
// and the target's guest acknowledging and ending it through the ICV view.
// The guest is test/fixtures/hv-aarch64/sgi.S.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, GICR, launchGuests, reg, runFor, runTo, sysreg, traceText, u32At, whereIs, type Guest } from './harness';

const SGI = 3;
/** CPU 1's SGI frame: GICR_ISPENDR0 and GICR_ISACTIVER0. */
const CPU1_SGI_FRAME = GICR + 0x20000 + 0x10000;
const LR_GROUP1 = 1n << 60n, LR_HW = 1n << 61n;
const LR_STATE_SHIFT = 62n;

function physicalSgi(g: Guest, offset: number): boolean {
  const v = g.engine.target.memory.read(CPU1_SGI_FRAME + offset, 4);
  assert.ok(v !== undefined);
  return ((v >> BigInt(SGI)) & 1n) === 1n;
}

/** CPU 1's list registers holding vINTID 3, as the 'gic' group of Engine.systemRegisters shows them. */
function lrsWithSgi(g: Guest): bigint[] {
  const gic = g.engine.systemRegisters(1).find((x) => x.id === 'gic')!.registers;
  return gic.filter((r) => /^ich_lr\d+_el2$/.test(r.name) && (r.value & 0xffff_ffffn) === BigInt(SGI) && r.value >> LR_STATE_SHIFT !== 0n).map((r) => r.value);
}

test("a guest SGI: ICC_SGI1R_EL1 traps, hvisor replays it, and the target's guest takes it as a virtual IRQ", async (t) => {
  const g = launchGuests({ root: fixture('sgi.S') });
  const e = g.engine;

  await t.test('the msr traps to EL2 (EC 0x18, Rt = x1) and hvisor announces the SGI', () => {
    runTo(g, 'a_sgi');
    e.setHypervisorEventStops(['ipi']);
    const stop = runFor(g, [0]);
    e.setHypervisorEventStops([]);
    assert.deepEqual(stop.kind === 'event' && [stop.cpu, stop.event.text], [0, 'ICC_SGI1R_EL1 <- 0x3000002 (x1): SGI 3 to target list 0x2'], JSON.stringify(stop));
    const esr = sysreg(g, 0, 'el2', 'esr_el2');
    assert.equal(Number(esr >> 26n), 0x18, `ESR_EL2 0x${esr.toString(16)}`);
    assert.equal(Number((esr >> 5n) & 31n), 1, 'Rt');
    assert.equal(esr & 1n, 0n, 'a write (Direction = 0)');
    assert.deepEqual(e.hypervisorFrames(0), ['trap', 'handle_sysreg']);
    assert.match(traceText(g), /cpu0 ipi: ICC_SGI1R_EL1 <- 0x3000002 \(x1\): SGI 3 to target list 0x2/);
  });

  await t.test("after the trap, SGI 3 is pending at CPU 1's redistributor and CPU 0 went on past the msr", () => {
    runTo(g, 'r_sgi', { cpus: [0] });
    assert.equal(physicalSgi(g, 0x200), true, 'GICR_ISPENDR0 bit 3');
    assert.deepEqual(lrsWithSgi(g), [], 'not injected yet: CPU 1 has not run');
  });

  await t.test("CPU 1's IRQ exit acknowledges it, ends it physically, and injects SGI 3 into a list register (group 1, pending, not HW)", () => {
    const vector = BigInt(g.sym('irq_vector'));
    e.setInstructionBreakpoints([vector]);
    const stop = runFor(g, [1]);
    e.setInstructionBreakpoints([]);
    assert.deepEqual(stop, { kind: 'breakpoint', cpu: 1, pc: Number(vector) }, whereIs(g, 1));
    assert.equal(physicalSgi(g, 0x200), false, 'no longer pending');
    assert.equal(physicalSgi(g, 0x300), false, 'and not active: hvisor deactivates SGIs at once');
    const lrs = lrsWithSgi(g);
    assert.equal(lrs.length, 1, 'one list register holds it');
    const lr = lrs[0]!;
    assert.equal(lr >> LR_STATE_SHIFT, 1n, 'pending');
    assert.equal(lr & LR_GROUP1, LR_GROUP1);
    assert.equal(lr & LR_HW, 0n);
    assert.equal(e.cpu(1).privilege, 'EL1');
  });

  await t.test('the guest acknowledges INTID 3 through ICC_IAR1_EL1 and its EOI empties the list register', () => {
    runTo(g, 'irq_done', { cpu: 1, cpus: [1] });
    assert.equal(reg(g, 1, 'x0'), BigInt(SGI));
    assert.deepEqual(lrsWithSgi(g), [], 'EOI (EOImode 0) deactivated the virtual interrupt');
    assert.equal(u32At(g, g.sym('irq_count')), 1);
    assert.equal(u32At(g, g.sym('irq_intid')), SGI);
  });

  await t.test('CPU 0 sees the count; both CPUs end asleep', () => {
    runTo(g, 'r_seen');
    assert.equal(runFor(g).kind, 'quiescent');
    assert.equal(u32At(g, g.sym('irq_count')), 1, 'exactly one interrupt');
  });
});
