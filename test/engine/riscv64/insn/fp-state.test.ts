// The floating-point state's on/off switch (engine only: qemu-user always has
// FP on). With V=1, FP instructions and fflags/frm/fcsr are illegal while
// either vsstatus.FS (the guest's sstatus.FS) or the HS-level sstatus.FS is
// Off; a write to FP state makes both Dirty, and SD reads as FS == Dirty.
// hvisor enters a guest with its HS sstatus.FS Dirty; the guest's own starts Off.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODES, Program, buildSource, launch, readDwords, runEngine, type Built, type Mode } from './oracle';
import type { StopReason } from '../../../../engine/api';

const FS_SHIFT = 13n;
const FS_MASK = 3n << FS_SHIFT;
const SD = 1n << 63n;
const XS_MASK = 3n << 15n;
const fsOf = (status: bigint): bigint => (status & FS_MASK) >> FS_SHIFT;

/** What each case does with the FP state; the case index arrives in s0. */
const CASES = [
  { what: 'fcsr read with FS Off', code: ['csrr a0, fcsr'] },
  { what: 'fflags write with FS Off', code: ['csrwi fflags, 1'] },
  { what: 'fadd.d with FS Off', code: ['fadd.d fa0, fa1, fa2'] },
  { what: 'fmv.x.w with FS Off', code: ['fmv.x.w a0, fa1'] },
  { what: 'fld with FS Off', code: ['fld fa0, 0(sp)'] },
  { what: 'c.fsdsp with FS Off', code: ['.option push', '.option rvc', 'c.fsdsp fa0, 0(sp)', '.option pop'] },
  { what: 'FS Initial, then fflags and frm writes', code: [] },
] as const;
/** The case that turns FP on; the others fault. */
const ON = CASES.length - 1;

function fpStateProgram(): Program {
  const p = new Program('fpstate', false, 0);
  const labels = CASES.map((_, i) => `case_${i}`);
  labels.forEach((l, i) => p.text(`li t0, ${i}`, `beq s0, t0, ${l}`));
  p.text('j done');
  for (const [i, c] of CASES.entries()) {
    if (i === ON) continue;
    p.text(`${labels[i]}:`, `fault_${i}:`, ...c.code, 'j done');
  }
  p.text(`${labels[ON]}:`);
  p.text('li t0, 0x2000', 'csrs sstatus, t0', 'csrr t1, sstatus');
  p.save('t1', 'sstatus after setting FS Initial');
  p.text('csrr t1, fcsr');
  p.save('t1', 'fcsr read (reading leaves FS alone)');
  p.text('csrr t1, sstatus');
  p.save('t1', 'sstatus after reading fcsr');
  p.text('csrwi fflags, 0x15', 'csrr t1, sstatus');
  p.save('t1', 'sstatus after writing fflags');
  p.text('li t0, 0x6000', 'csrc sstatus, t0', 'li t0, 0x4000', 'csrs sstatus, t0', 'csrr t1, sstatus');
  p.save('t1', 'sstatus with FS Clean');
  p.text('csrwi frm, 3', 'csrr t1, sstatus');
  p.save('t1', 'sstatus after writing frm');
  p.text('csrr t1, fcsr');
  p.save('t1', 'fcsr = frm 3, fflags 0x15');
  // Instructions: reading f registers and storing them leave FS Clean; writing one makes it Dirty.
  const clean = ['li t0, 0x6000', 'csrc sstatus, t0', 'li t0, 0x4000', 'csrs sstatus, t0'];
  p.data('fpbuf:', '  .dword 0');
  p.text('lla t3, fpbuf', ...clean, 'fmv.x.d t2, fa0', 'fsd fa0, 0(t3)', 'fclass.d t2, fa0', 'csrr t1, sstatus');
  p.save('t1', 'sstatus after fmv.x.d, fsd and fclass.d');
  p.text('fmv.w.x fa0, zero', 'csrr t1, sstatus');
  p.save('t1', 'sstatus after fmv.w.x');
  p.text(...clean, 'fld fa1, 0(t3)', 'csrr t1, sstatus');
  p.save('t1', 'sstatus after fld');
  p.text(...clean, 'feq.d t2, fa0, fa1', 'csrr t1, sstatus');
  p.save('t1', 'sstatus after feq.d (which may set fflags)');
  return p;
}

function assertIllegal(stop: StopReason, mode: Mode, sepc: bigint, what: string): void {
  assert.equal(stop.kind, 'panic', `${mode}: ${what}: expected a would-panic stop, got ${JSON.stringify(stop)}`);
  const reason = stop.kind === 'panic' ? stop.reason : '';
  assert.match(reason, /scause 2 \(illegal instruction\)/, `${mode}: ${what}: ${reason}`);
  assert.match(reason, new RegExp(`sepc 0x${sepc.toString(16)}\\b`), `${mode}: ${what}: ${reason}`);
}

/** Run to the end with the HS-level sstatus set first, as a hypervisor would. */
function runWithHsStatus(elf: string, mode: Mode, caseIndex: number, edit: (sstatus: bigint) => bigint): StopReason {
  const { engine } = launch(elf, { caseIndex });
  const hv = engine.systemRegisters(0).find((g) => g.id === 'hypervisor')!;
  const sstatus = hv.registers.find((r) => r.name === 'sstatus')!.value;
  engine.setSystemRegister(0, 'hypervisor', 'sstatus', edit(sstatus));
  if (mode === 'step') {
    let stop: StopReason;
    do stop = engine.stepCpu(0, 1);
    while (stop.kind === 'step');
    return stop;
  }
  return engine.run({ maxInstructions: 100_000 });
}

describe('riscv64 FP state switch (FS, SD) under the hypervisor (engine only)', () => {
  let built: Built | undefined;
  const program = fpStateProgram();
  const image = (): Built => (built ??= buildSource(program.name, program.source()));
  after(() => built?.dispose());

  for (const [i, c] of CASES.entries()) {
    if (i === ON) continue;
    it(`${c.what} is an illegal instruction`, () => {
      const b = image();
      const at = b.bareSyms.get(`fault_${i}`)!;
      for (const mode of MODES) assertIllegal(runEngine(b.bare, mode, { caseIndex: i, maxInstructions: 10_000 }).stop, mode, at, c.what);
    });
  }

  it('setting FS turns FP on; a write makes FS Dirty and sets SD, in the guest and the hypervisor views', () => {
    const b = image();
    const results = b.bareSyms.get('results')!;
    for (const mode of MODES) {
      const { engine, stop } = runEngine(b.bare, mode, { caseIndex: ON, maxInstructions: 10_000 });
      assert.equal(stop.kind, 'poweroff', `${mode}: ${JSON.stringify(stop)}`);
      const [initial, fcsr0, afterRead, afterFflags, clean, afterFrm, fcsr, reads, fmv, fld, feq] = readDwords(engine, results, 11) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
      assert.deepEqual([fsOf(initial), initial & SD], [1n, 0n], `${mode}: FS Initial, SD clear`);
      assert.equal(fcsr0, 0n, `${mode}: fcsr starts 0`);
      assert.deepEqual([fsOf(afterRead), afterRead & SD], [1n, 0n], `${mode}: a read leaves FS Initial`);
      assert.deepEqual([fsOf(afterFflags), afterFflags & SD], [3n, SD], `${mode}: writing fflags makes FS Dirty and sets SD`);
      assert.deepEqual([fsOf(clean), clean & SD], [2n, 0n], `${mode}: FS Clean, SD clear`);
      assert.deepEqual([fsOf(afterFrm), afterFrm & SD], [3n, SD], `${mode}: writing frm makes FS Dirty`);
      assert.equal(fcsr, (3n << 5n) | 0x15n, `${mode}: fcsr`);
      assert.deepEqual([fsOf(reads), reads & SD], [2n, 0n], `${mode}: reading and storing f registers leave FS Clean`);
      assert.deepEqual([fsOf(fmv), fsOf(fld), fsOf(feq)], [3n, 3n, 3n], `${mode}: fmv.w.x, fld and feq.d make FS Dirty`);
      const hv = engine.systemRegisters(0).find((g) => g.id === 'hypervisor')!;
      const hs = hv.registers.find((r) => r.name === 'sstatus')!.value;
      assert.deepEqual([fsOf(hs), hs & SD], [3n, SD], `${mode}: the HS-level sstatus is Dirty too`);
    }
  });

  it('with the HS-level sstatus.FS Off, FP is illegal even when the guest has it on', () => {
    const b = image();
    for (const mode of ['run', 'step'] as const) {
      const stop = runWithHsStatus(b.bare, mode, ON, (s) => s & ~FS_MASK);
      assert.equal(stop.kind, 'panic', `${mode}: ${JSON.stringify(stop)}`);
      assert.match(stop.kind === 'panic' ? stop.reason : '', /scause 2 \(illegal instruction\)/, mode);
    }
  });

  it('the HS-level sstatus reads FS and SD as hvisor sets them (FS Dirty, XS read-only zero)', () => {
    const { engine } = launch(image().bare);
    const hv = engine.systemRegisters(0).find((g) => g.id === 'hypervisor')!;
    const hs = hv.registers.find((r) => r.name === 'sstatus')!.value;
    assert.deepEqual([fsOf(hs), hs & SD, hs & XS_MASK], [3n, SD, 0n], `sstatus 0x${hs.toString(16)}`);
    const guest = engine.systemRegisters(0).find((g) => g.id === 'guest')!;
    assert.equal(fsOf(guest.registers.find((r) => r.name === 'sstatus')!.value), 0n, 'the guest starts with FS Off');
  });
});
