// The floating-point encoding space against qemu-aarch64 as a Cortex-A57 (the
// CPU our ID registers describe: FP and Advanced SIMD without half-precision
// arithmetic): every word of the scalar FP groups (all bits but the register
// fields Rd and Rn swept) and the FP opcodes of the Advanced SIMD groups
// (three-same, two-register misc, scalar pairwise, across lanes, by element,
// fixed-point shifts, FMOV immediate) must decode in our core exactly when
// QEMU executes it. QEMU's verdict comes from one user program that runs every
// word and records, from a SIGILL handler, which ones are UNDEFINED.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireCommands } from '../../../scripts/external-tools.mjs';
import { decode } from '../../../engine/isa/aarch64/decode';

const CC = 'aarch64-linux-gnu-gcc';
const QEMU = 'qemu-aarch64';
requireCommands(CC, QEMU);

/** Every value of the bits in `free` (a mask) combined with `base`. */
function sweep(base: number, free: number): number[] {
  const bits: number[] = [];
  for (let b = 0; b < 32; b++) if ((free >>> b) & 1) bits.push(b);
  const out: number[] = [];
  for (let i = 0; i < 2 ** bits.length; i++) {
    let w = base;
    bits.forEach((b, j) => {
      if ((i >>> j) & 1) w |= 1 << b;
    });
    out.push(w >>> 0);
  }
  return out;
}

/** Rd = 0 (x0 or v0), Rn = 1, Rm = 2 where the field is a register. */
const REGS = 0x00000020;

function words(): number[] {
  // Scalar FP and the conversions: x0x1111x, every bit but Rd and Rn.
  const out: number[] = sweep(0x1e000000 | REGS, 0xa1fffc00);
  // Advanced SIMD three-same FP: 0 Q U 01110 a sz 1 Rm 11xxx 1 Rn Rd, and the scalar 01 U 11110 forms.
  for (const top of [0x0e200000, 0x5e200000]) out.push(...sweep(top | 0x0000c400 | REGS | (2 << 16), 0x60c03800));
  // Two-register misc FP (opcodes 0x0c-0x0f, 0x16-0x1f) and the FP scalar pairwise / across-lane opcodes.
  for (const top of [0x0e200800, 0x5e200800]) {
    for (const opcode of [0x0c, 0x0d, 0x0e, 0x0f, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f]) {
      out.push(...sweep(top | (opcode << 12) | REGS, 0x60c00000));
    }
  }
  for (const top of [0x0e300800, 0x5e300800]) {
    for (const opcode of [0x0c, 0x0d, 0x0f]) out.push(...sweep(top | (opcode << 12) | REGS, 0x60c00000));
  }
  // By element, FP opcodes: 0 Q U 01111 size L M Rm opcode H 0 Rn Rd (Rm's low bits fixed).
  for (const top of [0x0f000000, 0x5f000000]) {
    for (const opcode of [0x1, 0x5, 0x9]) out.push(...sweep(top | (opcode << 12) | REGS | (2 << 16), 0x60f00800));
  }
  // Shift by immediate, the fixed-point conversions: 0 Q U 011110 immh immb 111x0/11111 1 Rn Rd.
  for (const top of [0x0f000400, 0x5f000400]) {
    for (const opcode of [0x1c, 0x1f]) out.push(...sweep(top | (opcode << 11) | REGS, 0x607f0000));
  }
  // Modified immediate, cmode 1111: every op, Q, o2 and immediate bit.
  out.push(...sweep(0x0f00f400, 0x60070be0));
  return [...new Set(out)];
}

const SOURCE = (count: number, list: readonly number[]): string => `
  .text
  .globl _start
_start:
  // SIGILL (4): SA_SIGINFO | SA_RESTORER, the handler skips the word and marks it.
  adr x1, action
  mov x0, #4
  mov x2, #0
  mov x3, #8
  mov x8, #134
  svc #0
  b words
handler:
  ldr x3, [x2, #440]
  adr x4, words
  sub x5, x3, x4
  lsr x5, x5, #2
  adr x6, results
  mov w7, #1
  strb w7, [x6, x5]
  add x3, x3, #4
  str x3, [x2, #440]
  ret
restorer:
  mov x8, #139
  svc #0
  .balign 8
action:
  .quad handler, 0x04000004, restorer, 0
words:
${list.map((w) => `  .inst 0x${w.toString(16)}`).join('\n')}
  mov x0, #1
  adr x1, results
  ldr x2, =${count}
  mov x8, #64
  svc #0
  mov x0, #0
  mov x8, #93
  svc #0
  .ltorg
  .bss
results:
  .space ${count}
`;

test('every FP encoding decodes exactly when qemu-aarch64 (cortex-a57) executes it', (t) => {
  const list = words();
  const dir = mkdtempSync(join(tmpdir(), 'a64-fp-sweep-'));
  try {
    writeFileSync(join(dir, 'sweep.S'), SOURCE(list.length, list));
    const cc = spawnSync(CC, ['-nostdlib', '-static', '-no-pie', '-Wl,--build-id=none', '-o', join(dir, 'sweep'), join(dir, 'sweep.S')], { encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    const q = spawnSync(QEMU, ['-cpu', 'cortex-a57', join(dir, 'sweep')], { maxBuffer: 16 * 1024 * 1024, timeout: 300_000 });
    assert.equal(q.status, 0, `qemu-aarch64: ${q.error?.message ?? q.stderr?.toString()}`);
    assert.equal(q.stdout.length, list.length);
    const differ: string[] = [];
    list.forEach((w, i) => {
      const qemuRejects = q.stdout[i] === 1;
      const ours = decode(w);
      if (qemuRejects !== (ours === undefined)) differ.push(`0x${w.toString(16).padStart(8, '0')}: qemu ${qemuRejects ? 'UNDEFINED' : 'executes'}, ours ${ours ? ours.row.id : 'UNDEFINED'}`);
    });
    assert.deepEqual(differ.slice(0, 60), [], `${differ.length} of ${list.length} words differ`);
    const undefinedCount = [...q.stdout].filter((b) => b === 1).length;
    t.diagnostic(`${list.length} words: ${list.length - undefinedCount} execute, ${undefinedCount} are UNDEFINED`);
    assert.ok(undefinedCount > 10_000 && list.length - undefinedCount > 10_000, 'the sweep sees both kinds of word');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
