// Shared harness for the A64 instruction tests. A group is one assembly
// source, generated here at test time, that runs many cases and stores each
// result register into `results`. The same source is built twice: as a Linux
// user program run under qemu-aarch64 (the oracle; it writes `results` to
// stdout), and as a bare image run on a QemuGicv3Board at EL1 with the MMU
// off and HCR_EL2 = RW (stage 2 off); its final HVC leaves to the test's
// El2Handler and the test reads `results` from guest memory. Every result
// word is compared, and each group runs three ways on our core: translated
// blocks (core.run), single steps (core.step) and runs of a few hundred
// instructions at a time, which must all agree, instruction counts included.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QemuGicv3Board } from '../../../../engine/machine/boards/qemu-gicv3';
import { loadElf, parseElf } from '../../../../engine/machine/loaders/elf';
import type { Aarch64Core, El2Exit } from '../../../../engine/isa/aarch64/core';

const CC = 'aarch64-linux-gnu-gcc';
const NM = 'aarch64-linux-gnu-nm';
const QEMU = 'qemu-aarch64';
export const BARE_BASE = 0x40080000;
const DRAM_SIZE = 16 * 1024 * 1024;

const present = (cmd: string): boolean => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;

/** False when the oracle can run; otherwise why the tests are skipped. */
export const skipReason: string | false = (() => {
  const missing = [CC, NM, QEMU].filter((c) => !present(c));
  return missing.length ? `needs ${missing.join(', ')}` : false;
})();

// ---- values ------------------------------------------------------------------------

const M64 = (1n << 64n) - 1n;
export const u64 = (v: bigint): bigint => v & M64;
export const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
export const hex = (v: bigint): string => `0x${u64(v).toString(16)}`;

export const CORNERS: readonly bigint[] = [
  0n, 1n, -1n, 2n, -2n,
  -(1n << 63n), (1n << 63n) - 1n,
  -(1n << 31n), (1n << 31n) - 1n,
  0xffffffffn, 0x80000000n, 0x7fffffffn, 0x100000000n,
  0x123456789abcdef0n, 0xfedcba9876543210n, 0xffffffff00000000n, 0x8000000000000001n,
];

/** A 64-bit LCG (Knuth's MMIX constants): reproducible operands, never Math.random. */
export class Lcg {
  private state: bigint;
  constructor(seed: bigint) {
    this.state = u64(seed);
  }
  next(): bigint {
    this.state = u64(this.state * 6364136223846793005n + 1442695040888963407n);
    return u64(this.state ^ (this.state >> 29n));
  }
  /** Full width, 32-bit, small, of either sign. */
  shaped(): bigint {
    const v = this.next();
    switch (Number(v & 3n)) {
      case 0: return v;
      case 1: return BigInt.asIntN(32, v >> 8n);
      case 2: return BigInt.asIntN(12, v >> 20n);
      default: return BigInt.asUintN(32, v >> 16n);
    }
  }
}

// ---- the program builder ---------------------------------------------------------

export interface Slot {
  readonly what: string;
  /** Compare the value minus this symbol's address (for pc-relative results). */
  readonly rel?: string;
}

/** Register that points at the next result slot; cases must leave it alone. */
export const RESULT_PTR = 'x28';
const SLOTS_PER_WINDOW = 256;

export class Program {
  private readonly body: string[] = [];
  private readonly dataLines: string[] = [];
  private readonly slotList: Slot[] = [];
  private labels = 0;

  /** `blockBreak`: a branch after every that many results (0 = never), so blocks stay short. */
  constructor(readonly name: string, private readonly blockBreak = 4) {}

  text(...lines: string[]): void {
    for (const l of lines) this.body.push(l.endsWith(':') ? l : `  ${l}`);
  }

  data(...lines: string[]): void {
    this.dataLines.push(...lines);
  }

  label(hint = 'L'): string {
    return `.L${hint}_${this.labels++}`;
  }

  symbol(hint: string): string {
    return `${hint}_${this.labels++}`;
  }

  /** Load a 64-bit constant. */
  li(reg: string, v: bigint): void {
    this.text(`ldr ${reg}, =${hex(v)}`);
  }

  /** Store x register `reg` as the next result. */
  save(reg: string, what: string, opts: { rel?: string } = {}): void {
    const i = this.slotList.length % SLOTS_PER_WINDOW;
    this.text(`str ${reg}, [${RESULT_PTR}, #${i * 8}]`);
    if (i === SLOTS_PER_WINDOW - 1) this.text(`add ${RESULT_PTR}, ${RESULT_PTR}, #${SLOTS_PER_WINDOW * 8}`);
    this.slotList.push({ what, ...opts });
    if (this.blockBreak && this.slotList.length % this.blockBreak === 0) {
      const l = this.label('brk');
      // The literal pool goes after the branch, out of the path.
      this.text(`b ${l}`, '.ltorg', `${l}:`);
    }
  }

  /** Save NZCV as the next result. */
  saveFlags(what: string): void {
    this.text('mrs x27, nzcv');
    this.save('x27', `${what} nzcv`);
  }

  get slots(): readonly Slot[] {
    return this.slotList;
  }

  source(): string {
    const n = Math.max(1, this.slotList.length);
    return [
      `/* ${this.name}: generated by test/engine/aarch64/insn */`,
      '  .text',
      '  .globl _start',
      '_start:',
      '#ifdef BARE',
      // FP/SIMD on, a stack; the Linux user program has both already.
      '  mov x0, #(3 << 20)',
      '  msr cpacr_el1, x0',
      '  isb',
      '  adr x0, stack_top',
      '  mov sp, x0',
      '#else',
      // qemu-user: x26 = argc - 1 selects a case in programs that have several endings.
      '  ldr x26, [sp]',
      '  sub x26, x26, #1',
      '#endif',
      `  adr ${RESULT_PTR}, results`,
      ...this.body,
      'done:',
      '#ifdef BARE',
      '  hvc #0',
      '1: b 1b',
      '#else',
      '  mov x0, #1',
      '  adr x1, results',
      `  ldr x2, =${n * 8}`,
      '  mov x8, #64',
      '  svc #0',
      '  mov x0, #0',
      '  mov x8, #93',
      '  svc #0',
      '#endif',
      '  .ltorg',
      '  .data',
      '  .balign 4096',
      ...this.dataLines,
      '  .bss',
      '  .balign 16',
      '  .globl results',
      'results:',
      `  .space ${n * 8}`,
      '  .balign 16',
      '  .space 4096',
      'stack_top:',
      '',
    ].join('\n');
  }
}

// ---- building ------------------------------------------------------------------------

const BARE_LD = `ENTRY(_start)
SECTIONS {
  . = 0x${BARE_BASE.toString(16)};
  .text : { *(.text .text.*) }
  . = ALIGN(4096);
  .data : { *(.data .data.* .rodata .rodata.*) }
  .bss : { *(.bss .bss.* COMMON) }
  /DISCARD/ : { *(.comment .note .note.*) }
}
`;

function run(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr}`);
  return r.stdout;
}

export interface Built {
  readonly user: string;
  readonly bare: string;
  readonly userSyms: ReadonlyMap<string, bigint>;
  readonly bareSyms: ReadonlyMap<string, bigint>;
  dispose(): void;
}

function symbols(elf: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const line of run(NM, [elf]).split('\n')) {
    const m = /^([0-9a-f]+) \S (\S+)$/.exec(line);
    if (m) out.set(m[2]!, BigInt(`0x${m[1]!}`));
  }
  return out;
}

export function buildSource(name: string, source: string): Built {
  const dir = mkdtempSync(join(tmpdir(), `a64-${name}-`));
  const src = join(dir, `${name}.S`);
  const ld = join(dir, 'bare.ld');
  const user = join(dir, `${name}-user.elf`);
  const bare = join(dir, `${name}-bare.elf`);
  writeFileSync(src, source);
  writeFileSync(ld, BARE_LD);
  const common = ['-march=armv8.1-a', '-nostdlib', '-static', '-no-pie', '-Wl,--build-id=none'];
  try {
    run(CC, [...common, '-o', user, src]);
    run(CC, [...common, '-DBARE', `-T${ld}`, '-o', bare, src]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { user, bare, userSyms: symbols(user), bareSyms: symbols(bare), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---- running ---------------------------------------------------------------------------

export interface QemuRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export function runQemu(elf: string, caseIndex = 0): QemuRun {
  const args = [elf, ...Array.from({ length: caseIndex }, () => 'x')];
  const r = spawnSync(QEMU, args, { maxBuffer: 64 * 1024 * 1024, timeout: 30_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? Buffer.alloc(0), stderr: r.stderr?.toString('utf8') ?? '' };
}

export type Mode = 'run' | 'step' | 'chunked';
export const MODES: readonly Mode[] = ['run', 'step', 'chunked'];
const CHUNK = 997;

/** Records EL2 exits; the bare programs end with HVC #0. */
export class ExitLog {
  readonly exits: { kind: El2Exit['kind']; esr: bigint; elr: bigint }[] = [];
  el2Exit(core: Aarch64Core, exit: El2Exit): void {
    this.exits.push({ kind: exit.kind, esr: core.readSysreg('esr_el2')!, elr: core.readSysreg('elr_el2')! });
  }
}

export interface BareMachine {
  readonly board: QemuGicv3Board;
  readonly core: Aarch64Core;
  readonly log: ExitLog;
  readonly uart: number[];
}

/** A one-CPU (or more) board with `elf` loaded and CPU 0 at its entry, EL1h, interrupts masked, HCR_EL2 = RW. */
export function bareMachine(elf: string, cpus = 1): BareMachine {
  const log = new ExitLog();
  const uart: number[] = [];
  const board = new QemuGicv3Board({ cpus, dramSize: DRAM_SIZE, onUartByte: (b) => uart.push(b), el2: log });
  const image = parseElf(new Uint8Array(readFileSync(elf)), elf, 'aarch64');
  loadElf(image, board.memory);
  const core = board.cores[0]!;
  core.writeSysreg('hcr_el2', 1n << 31n);
  core.writeSysreg('spsr_el2', 0x3c5n);
  core.writeSysreg('elr_el2', image.entry);
  core.returnToGuest();
  return { board, core, log, uart };
}

/** Run CPU 0 until it leaves to EL2 (or `max` instructions), in one of the modes. */
export function runBare(m: BareMachine, mode: Mode, max = 5_000_000): void {
  const core = m.core;
  let stuck = 0;
  while (!core.inHypervisor && core.state.instret < max && stuck < 100) {
    const before = core.state.instret;
    if (mode === 'run') core.run(max);
    else if (mode === 'step') core.step();
    else core.run(Math.min(max, core.state.instret + CHUNK));
    if (core.state.wfi) break;
    stuck = core.state.instret === before ? stuck + 1 : 0;
  }
}

export function readDwords(board: QemuGicv3Board, address: bigint, count: number): bigint[] {
  const bytes = board.memory.readBytes(Number(address), count * 8);
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    let v = 0n;
    for (let k = 7; k >= 0; k--) {
      const b = bytes[i * 8 + k];
      assert.ok(b !== undefined, `guest memory at ${hex(address + BigInt(i * 8 + k))} is not mapped`);
      v = (v << 8n) | BigInt(b);
    }
    out.push(v);
  }
  return out;
}

function dwordsOf(buf: Buffer): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i + 8 <= buf.length; i += 8) out.push(buf.readBigUInt64LE(i));
  return out;
}

const describeQemu = (r: QemuRun): string => `${r.signal ? `signal ${r.signal}` : `exit ${r.status}`}${r.stderr ? `: ${r.stderr.trim()}` : ''}`;

function normalize(slots: readonly Slot[], values: readonly bigint[], syms: ReadonlyMap<string, bigint>): bigint[] {
  return values.map((v, i) => {
    const rel = slots[i]?.rel;
    if (rel === undefined) return v;
    const at = syms.get(rel);
    assert.ok(at !== undefined, `no symbol ${rel} in the image`);
    return u64(v - at);
  });
}

export function mismatches(slots: readonly Slot[], a: readonly bigint[], b: readonly bigint[], names: [string, string], limit = 40): string[] {
  const out: string[] = [];
  let total = 0;
  for (let i = 0; i < slots.length; i++) {
    if (a[i] === b[i]) continue;
    total++;
    if (out.length < limit) {
      const fmt = (v: bigint | undefined): string => (v === undefined ? 'missing' : hex(v));
      out.push(`#${i} ${slots[i]!.what}: ${names[0]} ${fmt(a[i])}, ${names[1]} ${fmt(b[i])}`);
    }
  }
  if (total > out.length) out.push(`... and ${total - out.length} more`);
  return out;
}

/**
 * Build and run a group everywhere; fail with every mismatching case (QEMU
 * against each mode, and the modes against each other, instruction counts
 * included).
 */
export function runGroup(p: Program): void {
  const built = buildSource(p.name, p.source());
  try {
    const slots = p.slots;
    const q = runQemu(built.user);
    assert.ok(q.status === 0, `${p.name}: qemu-aarch64 did not exit 0 (${describeQemu(q)})`);
    const raw = dwordsOf(q.stdout);
    assert.equal(raw.length, slots.length, `${p.name}: qemu-aarch64 wrote ${q.stdout.length} bytes, expected ${slots.length * 8}`);
    const expected = normalize(slots, raw, built.userSyms);
    const resultsAt = built.bareSyms.get('results');
    assert.ok(resultsAt !== undefined, 'no `results` symbol in the bare image');
    const ours = {} as Record<Mode, bigint[]>;
    const retired = {} as Record<Mode, number>;
    const problems: string[] = [];
    for (const mode of MODES) {
      const m = bareMachine(built.bare);
      runBare(m, mode);
      retired[mode] = m.core.state.instret;
      const exit = m.log.exits[0];
      const hvc = exit !== undefined && exit.kind === 'sync' && Number(exit.esr >> 26n) === 0x16;
      if (!hvc) {
        problems.push(`${mode}: the guest did not end with HVC: ${exit ? `exit ${exit.kind} ESR_EL2 ${hex(exit.esr)} ELR_EL2 ${hex(exit.elr)}` : `pc ${hex(m.core.getPc())}`}` +
          ` (ESR_EL1 ${hex(m.core.readSysreg('esr_el1')!)} ELR_EL1 ${hex(m.core.readSysreg('elr_el1')!)} FAR_EL1 ${hex(m.core.readSysreg('far_el1')!)})`);
      }
      ours[mode] = normalize(slots, readDwords(m.board, resultsAt, slots.length), built.bareSyms);
      const differ = mismatches(slots, expected, ours[mode], ['qemu', mode]);
      if (differ.length) problems.push(`${mode} against qemu-aarch64:\n  ${differ.join('\n  ')}`);
    }
    for (const mode of MODES.slice(1)) {
      const paths = mismatches(slots, ours.run, ours[mode], ['run', mode]);
      if (paths.length) problems.push(`run against ${mode}:\n  ${paths.join('\n  ')}`);
      if (retired[mode] !== retired.run) problems.push(`${mode} retired ${retired[mode]} instructions, run ${retired.run}`);
    }
    if (problems.length) assert.fail(`${p.name}: ${slots.length} results\n${problems.join('\n')}`);
  } finally {
    built.dispose();
  }
}
