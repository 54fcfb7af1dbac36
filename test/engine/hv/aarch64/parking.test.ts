// Idle CPUs on aarch64 (reference §2.1 idle()): reset(0, dtb_ipa) under the
// parking stage-2 table, so the CPU spins in `wfi; b .-4` at guest address 0
// until an event wakes it. CPUs outside every zone start there at boot, and
// so does a root secondary until PSCI CPU_ON starts it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchGuests, sysreg } from './harness';

/** `wfi; b .-4` as hvisor's parking page holds it. */
const PARKING_CODE = [0x7f, 0x20, 0x03, 0xd5, 0xff, 0xff, 0xff, 0x17];

test('idle CPUs sit in the parking page at guest address 0, parked, under the parking stage-2 table', () => {
  const g = launchGuests({ root: '        .text\n        .globl _start\n_start: b       _start\n' });
  const e = g.engine;
  e.run({ maxInstructions: e.totalInstructions() + 200_000 });
  const rootTable = BigInt(e.zones()[0]!.stage2Root);
  for (const cpu of [1, 2, 3]) {
    const c = e.cpu(cpu);
    assert.equal(c.state, 'parked', `CPU ${cpu}`);
    assert.ok(c.pc === 0n || c.pc === 4n, `CPU ${cpu} pc 0x${c.pc.toString(16)}: inside the parking code`);
    assert.equal(c.privilege, 'EL1');
    assert.ok(c.instructions <= 2, `CPU ${cpu} sleeps in its wfi (${c.instructions} instructions)`);
    assert.deepEqual(e.readVirtual(cpu, 0, 8), PARKING_CODE, `CPU ${cpu} sees the parking code at IPA 0`);
    assert.notEqual(sysreg(g, cpu, 'el2', 'vttbr_el2') & 0xffff_ffff_fffen, rootTable, `CPU ${cpu} runs under the parking table`);
    assert.equal(e.perCpu(cpu).archCpu.powerOn, false);
  }
  // The root secondary is parked but still the root zone's; the others belong to no zone.
  assert.deepEqual([1, 2, 3].map((c) => e.cpu(c).zone), [0, undefined, undefined]);
  assert.equal(sysreg(g, 0, 'el2', 'vttbr_el2') & 0xffff_ffff_fffen, rootTable, "CPU 0 runs under the root zone's table");
  assert.equal(e.cpu(0).state, 'running');
});
