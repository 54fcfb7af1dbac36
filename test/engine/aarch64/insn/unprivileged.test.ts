// The unprivileged loads and stores (LDTR*, STTR*). Their values against
// qemu-aarch64 as every other load and store (at EL0 there, with the MMU off
// at EL1 here: both ordinary accesses, aligned since memory is Device here). Their permission checks with the MMU
// on against qemu-system-aarch64 (-M virt -cpu cortex-a57, which starts the
// image at EL1): one bare program maps pages with each AP setting, makes
// privileged and unprivileged accesses at EL1 and at EL0, and records every
// exception's ESR_EL1 and FAR_EL1 and the registers afterwards; our core runs
// it translated, single-stepped and in chunks, and all must agree.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { CORNERS, Lcg, MODES, Program, bareMachine, buildSource, hex, readDwords, runBare, runGroup } from './oracle';
import { requireCommands } from '../../../../scripts/external-tools.mjs';

const QEMU_SYSTEM = 'qemu-system-aarch64';
requireCommands(QEMU_SYSTEM);

test('ldtr/sttr family: every size and sign extension, offsets, sp base', () => {
  const p = new Program('unpriv-values');
  p.data('  .balign 64', 'cell:', '  .space 64');
  p.text('adr x10, cell');
  const rng = new Lcg(77n);
  for (const v of [...CORNERS.slice(0, 8), rng.shaped(), rng.shaped()]) {
    p.li('x5', v);
    p.text('stp x5, x5, [x10, #16]', 'str x5, [x10, #32]');
    p.text('ldtrb w1, [x10, #16]', 'ldtrsb x2, [x10, #17]', 'ldtrsb w3, [x10, #18]', 'ldtrh w4, [x10, #18]');
    p.save('x1', 'ldtrb');
    p.save('x2', 'ldtrsb x');
    p.save('x3', 'ldtrsb w');
    p.save('x4', 'ldtrh');
    p.text('ldtrsh x1, [x10, #20]', 'ldtrsh w2, [x10, #22]', 'ldtr w3, [x10, #-16 + 36]', 'ldtrsw x4, [x10, #20]');
    p.save('x1', 'ldtrsh x');
    p.save('x2', 'ldtrsh w');
    p.save('x3', 'ldtr w');
    p.save('x4', 'ldtrsw x');
    p.text('ldtr x1, [x10, #16]', 'ldtr x2, [x10, #255 - 231]');
    p.save('x1', 'ldtr x');
    p.save('x2', 'ldtr x, offset expression');
    p.text('stp xzr, xzr, [x10]', 'sttrb w5, [x10, #1]', 'sttrh w5, [x10, #2]', 'sttr w5, [x10, #4]', 'ldp x1, x2, [x10]');
    p.save('x1', 'sttrb/sttrh/sttr w: first word');
    p.save('x2', 'sttrb/sttrh/sttr w: second word');
    p.text('add x11, x10, #256', 'sttr x5, [x11, #-256]', 'sttr xzr, [x11, #-248]', 'ldp x1, x2, [x10]');
    p.save('x1', 'sttr x, negative offset');
    p.save('x2', 'sttr xzr');
  }
  // The stack pointer as base, with the offset range's ends.
  p.text('mov x12, sp', 'mov sp, x10', 'mov x5, #0x1234', 'sttr x5, [sp, #8]', 'ldtr x1, [sp, #8]', 'add x13, x10, #256', 'mov sp, x13',
    'ldtrb w2, [sp, #-256]', 'sub x13, x10, #240', 'mov sp, x13', 'ldtrh w3, [sp, #254]', 'mov sp, x12');
  p.save('x1', 'sttr/ldtr [sp, #8]');
  p.save('x2', 'ldtrb [sp, #-256]');
  p.save('x3', 'ldtrh [sp, #254]');
  runGroup(p);
});

// ---- permissions with the MMU on ----------------------------------------------------------

/**
 * Stage 1 with a 39-bit VA from level 1, identity-mapping the first 2 MiB of
 * RAM (the image) with 4 KiB pages at EL1-only read/write, except four data
 * pages: `el1rw` (AP 00), `allrw` (AP 01), `allro` (AP 11), `el1ro` (AP 10).
 * The exception handler stores ESR_EL1 and FAR_EL1, then skips the
 * instruction; an SVC instead returns to EL1 at `back_at_el1`.
 */
const PERMISSIONS = String.raw`
  .text
  .globl _start
_start:
  adr x0, vectors
  msr vbar_el1, x0
  adr x28, results
  adr x0, stack_top
  mov sp, x0
  // Level 3: 512 pages from 0x40000000, AF, inner shareable, MAIR attribute 1, AP 00.
  adr x0, l3
  mov x1, #0x40000000
  mov x2, #512
  mov x3, #0x707
1:
  orr x4, x1, x3
  str x4, [x0], #8
  add x1, x1, #4096
  subs x2, x2, #1
  b.ne 1b
  adr x0, l3
  adr x1, allrw
  mov x2, #0x40
  bl set_ap
  adr x1, allro
  mov x2, #0xc0
  bl set_ap
  adr x1, el1ro
  mov x2, #0x80
  bl set_ap
  adr x0, l2
  adr x1, l3
  orr x1, x1, #3
  str x1, [x0]
  adr x0, l1
  adr x1, l2
  orr x1, x1, #3
  str x1, [x0, #8]
  mov x0, #0xff00
  msr mair_el1, x0
  ldr x0, =(25 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (2 << 32))
  msr tcr_el1, x0
  adr x0, l1
  msr ttbr0_el1, x0
  dsb sy
  tlbi vmalle1
  dsb sy
  isb
  mrs x0, sctlr_el1
  orr x0, x0, #1
  msr sctlr_el1, x0
  isb

  // Every data page starts with two known doublewords.
  ldr x20, =0x8877665544332211
  adr x1, el1rw
  str x20, [x1]
  str x20, [x1, #8]
  adr x1, allrw
  str x20, [x1]
  str x20, [x1, #8]

  // EL1: privileged accesses fill the TLBs; unprivileged ones still check EL0's permissions.
  ldr x21, =0x5a5a5a5a5a5a5a5a
  adr x10, el1rw
  adr x11, allrw
  adr x12, allro
  adr x13, el1ro
  ldr x5, [x10]
  str x5, [x28], #8
  mov x5, x21
  ldtr x5, [x10]
  str x5, [x28], #8
  sttr x21, [x10, #8]
  ldr x6, [x10, #8]
  str x6, [x28], #8
  ldtrb w5, [x11, #1]
  str x5, [x28], #8
  sttrh w21, [x11, #2]
  ldr x6, [x11]
  str x6, [x28], #8
  ldtrsw x5, [x12]
  str x5, [x28], #8
  mov x5, x21
  sttr w5, [x12]
  ldr x6, [x12]
  str x6, [x28], #8
  str x21, [x13]
  ldtrsh x5, [x13, #6]
  str x5, [x28], #8
  mov x5, x21
  ldtr w5, [x13]
  str x5, [x28], #8
  // An unaligned doubleword across allrw's end into allro: the read is allowed, the write faults and stores nothing.
  adr x14, allro
  sub x14, x14, #4
  ldtr x5, [x14]
  str x5, [x28], #8
  sttr x21, [x14]
  ldr x6, [x14, #-4]
  str x6, [x28], #8
  // allro is EL0-readable and el1ro is not, so an unaligned word across them faults on its second page.
  add x15, x12, #4094
  ldr x5, =0x4040404040404040
  ldtr w5, [x15]
  str x5, [x28], #8

  // EL0 (its code on a page EL0 may read, so it may run there): LDTR/STTR are ordinary accesses.
  adr x0, l3
  adr x1, el0_code
  mov x2, #0xc0
  bl set_ap
  dsb sy
  tlbi vmalle1
  dsb sy
  isb
  mov x7, x21
  adr x0, el0_code
  msr elr_el1, x0
  msr spsr_el1, xzr
  eret
  .balign 4096
el0_code:
  ldtr x5, [x11]
  sttrb w21, [x11, #8]
  ldtrh w6, [x11, #8]
  ldtr x7, [x10]
  mov x8, #0x77
  sttr x8, [x13]
  svc #0
  .balign 4096
back_at_el1:
  str x5, [x28], #8
  str x6, [x28], #8
  str x7, [x28], #8
  ldr x8, [x13]
  str x8, [x28], #8

  // Done: the MMU off, then out.
  mrs x0, sctlr_el1
  bic x0, x0, #1
  msr sctlr_el1, x0
  isb
#ifdef QEMU
  adr x1, results
  mov x2, #0x09000000
print:
  cmp x1, x28
  b.eq off
  ldr x4, [x1], #8
  mov x5, #60
digit:
  lsr x6, x4, x5
  and x6, x6, #15
  cmp x6, #10
  add x7, x6, #48
  add x8, x6, #87
  csel x6, x7, x8, lo
  str w6, [x2]
  subs x5, x5, #4
  b.pl digit
  mov w6, #10
  str w6, [x2]
  b print
off:
  ldr x0, =0x84000008
  hvc #0
  b .
#else
  hvc #0
  b .
#endif

// x0 = level 3 table, x1 = page, x2 = AP bits to set.
set_ap:
  ubfx x3, x1, #12, #9
  ldr x4, [x0, x3, lsl #3]
  orr x4, x4, x2
  str x4, [x0, x3, lsl #3]
  ret

handler:
  mrs x26, esr_el1
  str x26, [x28], #8
  mrs x27, far_el1
  str x27, [x28], #8
  lsr x26, x26, #26
  cmp x26, #0x15
  b.eq from_svc
  mrs x26, elr_el1
  add x26, x26, #4
  msr elr_el1, x26
  eret
from_svc:
  adr x26, back_at_el1
  msr elr_el1, x26
  mov x26, #0x3c5
  msr spsr_el1, x26
  eret

  .balign 2048
vectors:
  .rept 16
  b handler
  .balign 128
  .endr

  .data
  .balign 4096
l1: .space 4096
l2: .space 4096
l3: .space 4096
el1rw: .space 4096
allrw: .space 4096
allro: .space 4096
el1ro: .space 4096
results: .space 512
  .balign 16
  .space 4096
stack_top:
`;

function runQemuSystem(elf: string): bigint[] {
  const r = spawnSync(QEMU_SYSTEM, ['-M', 'virt', '-cpu', 'cortex-a57', '-m', '256M', '-nographic', '-monitor', 'none', '-serial', 'stdio', '-kernel', elf],
    { encoding: 'utf8', timeout: 30_000, input: '' });
  assert.ok(!r.error, `${QEMU_SYSTEM} could not run (${r.error?.message})`);
  assert.equal(r.status, 0, `${QEMU_SYSTEM} exited with ${r.status}: ${r.stderr}`);
  return r.stdout.split(/\r?\n/).filter((l) => /^[0-9a-f]{16}$/.test(l)).map((l) => BigInt(`0x${l}`));
}

test('ldtr/sttr with the MMU on: EL0 permissions at EL1, ordinary accesses at EL0, as qemu-system-aarch64', () => {
  const qemuBuild = buildSource('unpriv-qemu', `#define QEMU 1\n${PERMISSIONS}`);
  let expected: bigint[];
  try {
    expected = runQemuSystem(qemuBuild.bare);
  } finally {
    qemuBuild.dispose();
  }
  assert.ok(expected.length > 20, `qemu-system-aarch64 printed ${expected.length} results`);
  const built = buildSource('unpriv', PERMISSIONS);
  try {
    const at = built.bareSyms.get('results')!;
    const retired: number[] = [];
    for (const mode of MODES) {
      const m = bareMachine(built.bare);
      runBare(m, mode);
      const exit = m.log.exits[0];
      assert.ok(exit && Number(exit.esr >> 26n) === 0x16, `${mode}: ended with HVC (pc ${hex(m.core.getPc())})`);
      // The results run from `results` up to x28.
      const count = Number((m.core.getX(28) - at) / 8n);
      const ours = readDwords(m.board, at, count);
      const show = (v: readonly bigint[]): string => v.map(hex).join(' ');
      assert.equal(show(ours), show(expected), `${mode}: results against qemu-system-aarch64`);
      retired.push(m.core.state.instret);
    }
    assert.ok(retired.every((n) => n === retired[0]), `instruction counts agree across modes: ${retired.join(', ')}`);
  } finally {
    built.dispose();
  }
});
