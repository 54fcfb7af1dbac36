// Data aborts from aarch64 guests as hvisor's handle_dabt emulates them
// (reference §2.1.2, §3.6): the GICD window every zone traps, reached with
// loads and stores of each size. The test stops when the model announces the
// access ('mmio' event) to read the syndrome hvisor decodes (ESR_EL2's ISS,
// FAR_EL2, HPFAR_EL2), then after the instruction to read what the guest
// got; the distributor itself shows what the masked writes reached.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fixture, GICD, launchGuests, reg, runFor, runTo, sysreg, traceText, whereIs, zone1, zoneConfigAsm, type Guest,
} from './harness';

interface Syndrome {
  readonly ec: number;
  readonly il: number;
  readonly isv: number;
  /** log2 of the access size. */
  readonly sas: number;
  readonly sse: number;
  readonly srt: number;
  readonly sf: number;
  readonly wnr: number;
}

function syndrome(esr: bigint): Syndrome {
  const bit = (n: number): number => Number((esr >> BigInt(n)) & 1n);
  return {
    ec: Number((esr >> 26n) & 0x3fn), il: bit(25), isv: bit(24), sas: Number((esr >> 22n) & 3n), sse: bit(21),
    srt: Number((esr >> 16n) & 31n), sf: bit(15), wnr: bit(6),
  };
}

/** The distributor's own register, read without going through any zone. */
function physical(g: Guest, offset: number, size: 4 | 8 = 4): bigint {
  const v = g.engine.target.memory.read(GICD + offset, size);
  assert.ok(v !== undefined, `GICD + 0x${offset.toString(16)} reads`);
  return v;
}

/**
 * From label `a_<name>`, run CPU 0 into the data abort of the next access and
 * return the syndrome registers and the 'mmio' event's text.
 */
function trapAt(g: Guest, name: string): { syndrome: Syndrome; far: bigint; hpfar: bigint; text: string; elr: bigint } {
  const e = g.engine;
  // a_<name> often shares its address with the previous r_ label, where CPU 0 may already be.
  if (e.cpu(0).pc !== BigInt(g.sym(`a_${name}`))) runTo(g, `a_${name}`);
  e.setHypervisorEventStops(['mmio']);
  const stop = runFor(g, [0]);
  e.setHypervisorEventStops([]);
  assert.equal(stop.kind, 'event', `${name}: ${JSON.stringify(stop)}; ${whereIs(g, 0)}`);
  assert.equal(e.cpu(0).privilege, 'EL2');
  return {
    syndrome: syndrome(sysreg(g, 0, 'el2', 'esr_el2')),
    far: sysreg(g, 0, 'el2', 'far_el2'),
    hpfar: sysreg(g, 0, 'el2', 'hpfar_el2'),
    elr: sysreg(g, 0, 'el2', 'elr_el2'),
    text: stop.kind === 'event' ? stop.event.text : '',
  };
}

/** The syndrome a stage-2 data abort of a lower EL carries for an access with a valid ISS. */
const dabt = (sas: number, srt: number, sf: number, sse: number, wnr: number): Syndrome => ({ ec: 0x24, il: 1, isv: 1, sas, sse, srt, sf, wnr });
const hpfarOf = (ipa: number): bigint => BigInt(Math.floor(ipa / 4096)) << 4n;

test('GICD accesses from the root zone: the syndrome hvisor decodes, what the guest reads, what the writes reach', async (t) => {
  const g = launchGuests({ root: fixture('mmio.S') });
  const e = g.engine;

  await t.test('ldr w from GICD_TYPER: a 4-byte read at the IPA, the physical value in w1', () => {
    const trap = trapAt(g, 'typer');
    assert.deepEqual(trap.syndrome, dabt(2, 1, 0, 0, 0));
    assert.equal(trap.far, BigInt(GICD + 4), 'FAR_EL2: the VA, which is the IPA with the MMU off');
    assert.equal(trap.hpfar, hpfarOf(GICD + 4));
    assert.equal(trap.elr, BigInt(g.sym('a_typer')));
    assert.equal(trap.text, `read 4 bytes at IPA 0x8000004 (ELR_EL2 0x${g.sym('a_typer').toString(16)})`);
    runTo(g, 'r_typer');
    assert.equal(reg(g, 0, 'x1'), physical(g, 4));
    assert.equal(reg(g, 0, 'pc'), BigInt(g.sym('r_typer')), 'hvisor skipped the instruction');
  });

  await t.test('ldr w from GICD_CTLR: the physical value (ARE and Group 1 on since boot)', () => {
    runTo(g, 'r_ctlr');
    assert.equal(reg(g, 0, 'x2'), physical(g, 0));
    assert.notEqual(reg(g, 0, 'x2') & 0x2n, 0n, 'EnableGrp1 was set by primary_init_late');
  });

  await t.test('ldrb: a 1-byte read, zero-extended (GICD_CIDR1 = 0xf0)', () => {
    const trap = trapAt(g, 'ldrb');
    assert.deepEqual(trap.syndrome, dabt(0, 3, 0, 0, 0));
    assert.equal(trap.far, BigInt(GICD + 0xfff4));
    assert.equal(trap.hpfar, hpfarOf(GICD + 0xfff4));
    runTo(g, 'r_ldrb');
    assert.equal(reg(g, 0, 'x3'), 0xf0n);
  });

  await t.test('ldrsb x: SSE and SF set, the byte sign-extended to 64 bits', () => {
    const trap = trapAt(g, 'ldrsb');
    assert.deepEqual(trap.syndrome, dabt(0, 4, 1, 1, 0));
    runTo(g, 'r_ldrsb');
    assert.equal(reg(g, 0, 'x4'), 0xffff_ffff_ffff_fff0n);
  });

  await t.test('ldrh: a 2-byte read (GICD_PIDR0 = 0x92)', () => {
    const trap = trapAt(g, 'ldrh');
    assert.deepEqual(trap.syndrome, dabt(1, 5, 0, 0, 0));
    assert.equal(trap.far, BigInt(GICD + 0xffe0));
    runTo(g, 'r_ldrh');
    assert.equal(reg(g, 0, 'x5'), 0x92n);
  });

  await t.test('str w of all ones to GICD_ISENABLER1: only the SPIs the root owns (33, 35-38) are enabled', () => {
    assert.equal(physical(g, 0x104), 0n, 'nothing enabled before');
    const trap = trapAt(g, 'isenabler');
    assert.deepEqual(trap.syndrome, dabt(2, 11, 0, 0, 1));
    assert.match(trap.text, /^write 4 bytes at IPA 0x8000104 value 0xffffffff /);
    runTo(g, 'r_isenabler');
    const owned = (1n << 1n) | (1n << 3n) | (1n << 4n) | (1n << 5n) | (1n << 6n);
    assert.equal(physical(g, 0x104), owned);
    runTo(g, 'r_isenabler_read');
    assert.equal(reg(g, 0, 'x12'), owned, 'the read is masked to owned SPIs too');
  });

  await t.test("IPRIORITYR: a word write changes only the owned SPIs' lanes (33 and 35)", () => {
    runTo(g, 'r_priority');
    assert.equal(physical(g, 0x420), 0xa000a000n);
  });

  await t.test('ldrsh x and ldrsw x: sign-extended from 16 and 32 bits', () => {
    const h = trapAt(g, 'ldrsh');
    assert.deepEqual(h.syndrome, dabt(1, 13, 1, 1, 0));
    runTo(g, 'r_ldrsh');
    assert.equal(reg(g, 0, 'x13'), 0xffff_ffff_ffff_a000n);
    const w = trapAt(g, 'ldrsw');
    assert.deepEqual(w.syndrome, dabt(2, 14, 1, 1, 0));
    runTo(g, 'r_ldrsw');
    assert.equal(reg(g, 0, 'x14'), 0xffff_ffff_a000_a000n);
  });

  await t.test('str x and ldr x of GICD_IROUTER33: 8-byte accesses that pass through for an owned SPI', () => {
    const st = trapAt(g, 'irouter_write');
    assert.deepEqual(st.syndrome, dabt(3, 15, 1, 0, 1));
    assert.equal(st.far, BigInt(GICD + 0x6000 + 8 * 33));
    runTo(g, 'r_irouter_write');
    assert.equal(physical(g, 0x6000 + 8 * 33), 1n);
    const ld = trapAt(g, 'irouter_read');
    assert.deepEqual(ld.syndrome, dabt(3, 16, 1, 0, 0));
    runTo(g, 'r_irouter_read');
    assert.equal(reg(g, 0, 'x16'), 1n);
  });

  await t.test("IROUTER of SPI 40, not the root's: the write is dropped and the read gives 0", () => {
    runTo(g, 'r_irouter_other');
    assert.equal(physical(g, 0x6000 + 8 * 40), 0n);
    assert.equal(reg(g, 0, 'x17'), 0n);
  });

  await t.test('GICD_CTLR writes are dropped', () => {
    const before = physical(g, 0);
    runTo(g, 'r_ctlr_after');
    assert.equal(physical(g, 0), before);
    assert.equal(reg(g, 0, 'x18'), before);
    assert.equal(e.zones()[0]!.isErr, false);
  });
});

function guest(body: string): Guest {
  return launchGuests({ root: `        .text\n        .globl _start\n_start:\n${body}\nafter:  b       after\n` });
}

test('a data abort at an IPA no region maps, in the root zone: zone_error, and hvisor would panic naming the IPA', () => {
  const g = guest(`        mov     x9, #0x20000000
        ldr     w1, [x9, #8]`);
  g.engine.setInstructionBreakpoints([BigInt(g.sym('after'))]);
  const stop = runFor(g);
  assert.equal(stop.kind, 'panic', `${JSON.stringify(stop)}; ${whereIs(g, 0)}`);
  const reason = 'reason' in stop ? stop.reason : '';
  assert.match(reason, /^hvisor would panic: MMIO read at IPA 0x20000008, ELR_EL2 0xa0400004 failed in the root zone/);
  assert.equal(g.engine.cpu(0).state, 'stopped');
  assert.ok(traceText(g).includes(`cpu0 stop: ${reason}`));
  assert.deepEqual(runFor(g), stop, 'the machine stays stopped');
});

test('a store to an IPA no region maps, in the root zone, would panic the same way', () => {
  const g = guest(`        mov     x9, #0x20000000
        mov     x1, #7
        str     x1, [x9]`);
  const stop = runFor(g);
  assert.equal(stop.kind, 'panic', `${JSON.stringify(stop)}; ${whereIs(g, 0)}`);
  assert.match('reason' in stop ? stop.reason : '', /MMIO write at IPA 0x20000000, ELR_EL2 0xa0400008 failed in the root zone/);
});

test('a data abort outside every region in a non-root zone: is_err = true, the instruction skipped, the zone runs on', () => {
  const zone = zone1();
  const g = launchGuests({
    root: `        .text
        .globl _start
_start: mov     x0, #HC_ZONE_START
        adr     x1, zone1_config
        mov     x2, #ZC_SIZEOF
        hvc     #0
park:   wfi
        b       park
${zoneConfigAsm('zone1_config', zone)}`,
    zones: [{
      zone,
      source: `        .text
        .globl _start
_start: mov     x9, #0x20000000
        mov     x1, #0x55
        ldr     w1, [x9]
z_after:
        mov     x0, #HC_ZONE_LIST
        adr     x1, infos
        mov     x2, #4
        hvc     #0
z_listed:
        b       z_listed
        .data
        .balign 8
infos:  .zero ZI_SIZEOF * 4
`,
    }],
  });
  runTo(g, 'z_after', { cpu: 2, zone: 1 });
  assert.equal(reg(g, 2, 'x1'), 0x55n, 'a failed read leaves the register alone');
  assert.equal(g.engine.zones().find((z) => z.id === 1)?.isErr, true);
  assert.match(traceText(g), /MMIO at IPA 0x20000000 failed .*zone 1 is_err = true/);
  runTo(g, 'z_listed', { cpu: 2, zone: 1 });
  assert.equal(reg(g, 2, 'x0'), 2n);
  const isErr = g.engine.readPhysical(g.sym('infos', 1) + 56 + 48, 1)[0];
  assert.equal(isErr, 1, "ZoneList reports zone 1's is_err");
});
