// A sweep of the Advanced SIMD, structure load/store and cryptographic
// encoding spaces against qemu-aarch64 on a Cortex-A57 (the CPU this core
// reports, which has the same AES, SHA1, SHA2 and PMULL): pseudo-random words
// from each space run in a Linux program whose SIGILL/SIGSEGV/SIGBUS handler
// notes the signal and steps over the word. Every word QEMU executes (or
// faults on for its memory access) must decode in our table, and every word
// it rejects with SIGILL must not. Words objdump names as floating-point
// instructions are left out: the FP rows are another table's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from '../../../../engine/isa/aarch64/decode';
import { Lcg } from './oracle';
import { objdumpRaw } from '../objdump-oracle';
import { requireCommands } from '../../../../scripts/external-tools.mjs';

const CC = 'aarch64-linux-gnu-gcc';
const QEMU = 'qemu-aarch64';
requireCommands(CC, QEMU);

const SIGILL = 4;

/** Each word sits in a slot that first points sp at the middle of a scratch area (post-indexed stores move it). */
const SLOT_BYTES = 16;

const HARNESS_C = `
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <ucontext.h>
extern const uint32_t words_start[];
extern void run_words(void);
extern const uint32_t word_count;
static uint8_t status[1 << 20];
static uint8_t altstack[1 << 16];
static void on_signal(int sig, siginfo_t *info, void *ctx) {
  (void)info;
  ucontext_t *uc = ctx;
  uint64_t pc = uc->uc_mcontext.pc;
  uint64_t slot = (pc - (uint64_t)words_start) / ${SLOT_BYTES};
  if (slot < word_count) status[slot] = (uint8_t)sig;
  uc->uc_mcontext.pc = pc + 4;
}
int main(void) {
  stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
  sigaltstack(&ss, 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigaction(SIGILL, &sa, 0);
  sigaction(SIGSEGV, &sa, 0);
  sigaction(SIGBUS, &sa, 0);
  run_words();
  write(1, status, word_count);
  return 0;
}
`;

function wordsSource(words: readonly number[]): string {
  // Every general register but x16 (the slots' scratch pointer) is zero, so stray accesses fault.
  const zero = Array.from({ length: 31 }, (_, i) => i).filter((i) => i !== 16).map((i) => `  mov x${i}, #0`);
  return [
    '  .text',
    '  .globl run_words',
    'run_words:',
    '  stp x29, x30, [sp, #-16]!',
    '  stp x19, x20, [sp, #-16]!',
    '  adrp x19, saved_sp',
    '  mov x20, sp',
    '  str x20, [x19, :lo12:saved_sp]',
    ...zero,
    ...Array.from({ length: 32 }, (_, i) => `  movi v${i}.2d, #0`),
    '  b words_start',
    '  .balign 16',
    '  .globl words_start',
    'words_start:',
    ...words.flatMap((w) => ['  adrp x16, scratch_mid', '  add x16, x16, :lo12:scratch_mid', '  mov sp, x16', `  .inst 0x${(w >>> 0).toString(16)}`]),
    '  adrp x19, saved_sp',
    '  ldr x20, [x19, :lo12:saved_sp]',
    '  mov sp, x20',
    '  ldp x19, x20, [sp], #16',
    '  ldp x29, x30, [sp], #16',
    '  ret',
    '  .section .rodata',
    '  .globl word_count',
    `word_count: .word ${words.length}`,
    '  .bss',
    '  .balign 16',
    'saved_sp: .space 16',
    'scratch: .space 32768',
    'scratch_mid: .space 32768',
    '',
  ].join('\n');
}

/** QEMU's verdict on each word: the signal it raised (0 for none). */
function qemuStatus(words: readonly number[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'a64-sweep-'));
  try {
    writeFileSync(join(dir, 'h.c'), HARNESS_C);
    writeFileSync(join(dir, 'w.S'), wordsSource(words));
    const build = spawnSync(CC, ['-O1', '-static', '-o', join(dir, 'sweep'), join(dir, 'h.c'), join(dir, 'w.S')], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    const r = spawnSync(QEMU, ['-cpu', 'cortex-a57', join(dir, 'sweep')], { maxBuffer: 16 << 20, timeout: 120_000 });
    assert.equal(r.status, 0, `qemu-aarch64 exited ${r.status} ${r.signal ?? ''}: ${r.stderr?.toString()}`);
    assert.equal(r.stdout.length, words.length);
    return new Uint8Array(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Floating-point mnemonics: another table's rows. */
const FLOATING = /^(f|scvtf|ucvtf|bf)/;

function sweep(name: string, seed: bigint, count: number, make: (r: number) => number): void {
  test(`${name}: what qemu-aarch64 accepts decodes, what it rejects is UNDEFINED`, (t) => {
    const rng = new Lcg(seed);
    const words = Array.from({ length: count }, () => make(Number(rng.next() & 0xffffffffn)) >>> 0);
    const status = qemuStatus(words);
    const objdump = objdumpRaw(words);
    let executed = 0;
    const accepted: string[] = [];
    const rejected: string[] = [];
    let compared = 0;
    words.forEach((w, i) => {
      const text = objdump[i]!.text;
      if (FLOATING.test(text)) return;
      compared++;
      const theirs = status[i] !== SIGILL;
      if (theirs) executed++;
      const ours = decode(w) !== undefined;
      const line = `  ${w.toString(16).padStart(8, '0')}  ${text}`;
      if (theirs && !ours) accepted.push(line);
      if (!theirs && ours) rejected.push(line);
    });
    const show = (l: string[]): string => [...new Set(l)].slice(0, 40).join('\n');
    assert.equal(accepted.length + rejected.length, 0,
      `${accepted.length} words qemu-aarch64 executes that we do not decode:\n${show(accepted)}\n` +
      `${rejected.length} words it rejects that we decode:\n${show(rejected)}`);
    t.diagnostic(`${compared} of ${count} words compared (the rest are floating point), ${executed} of them executed by qemu-aarch64`);
  });
}

// Data processing, scalar FP and Advanced SIMD: bits 27..25 = 111 (bit 28 either way).
sweep('Advanced SIMD data processing', 21n, 60000, (r) => (r & ~0x0e000000) | 0x0e000000);
// The vector half only (bit 28 = 0, bit 31 = 0), where most integer instructions are.
sweep('Advanced SIMD vector', 22n, 60000, (r) => (r & ~0x9e000000) | 0x0e000000);
// Structure loads and stores: 0 Q 00110 x L x ...
sweep('structure loads and stores', 23n, 30000, (r) => (r & ~0xbe000000) | 0x0c000000);
