// Shared harness for the per-instruction tests. A group is one assembly
// source, generated here at test time, that runs many cases and stores each
// result register into `results`. The same source is built twice: as a Linux
// user program run under qemu-riscv64 (the oracle; it writes `results` to
// stdout), and as a bare guest at 0x80200000 run in our Engine (it powers off
// through SBI SRST; the test reads `results` from guest memory). Every result
// word is compared, and our engine runs each group twice: translated blocks
// (engine.run) and single steps (engine.stepCpu), which must agree.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type StopReason } from '../../../../engine/api';

const CC = 'riscv64-linux-gnu-gcc';
const NM = 'riscv64-linux-gnu-nm';
const OBJDUMP = 'riscv64-linux-gnu-objdump';
const QEMU = 'qemu-riscv64';
const MARCH = 'rv64imac_zicsr_zifencei';
const BARE_BASE = 0x80200000;

const present = (cmd: string): boolean => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;

/** False when the oracle can run; otherwise why the tests are skipped. */
export const skipReason: string | false = (() => {
  const missing = [CC, NM, OBJDUMP, QEMU].filter((c) => !present(c));
  return missing.length ? `needs ${missing.join(', ')}` : false;
})();

// ---- values ----------------------------------------------------------------------

const M64 = (1n << 64n) - 1n;
export const u64 = (v: bigint): bigint => v & M64;
export const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
export const hex = (v: bigint): string => `0x${u64(v).toString(16)}`;

/** The corner values every operand set starts from. */
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
    // The low bits of a power-of-two LCG are weak; fold the high half in.
    return u64(this.state ^ (this.state >> 29n));
  }
  /** A value shaped like the interesting ones: full width, 32-bit, or small, of either sign. */
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

// ---- the program builder --------------------------------------------------------

export interface Slot {
  /** The case: instruction text and operands. */
  readonly what: string;
  /** Compare the value minus this symbol's address (for pc-relative results). */
  readonly rel?: string;
}

/** Register that points at the next result slot; cases must leave it alone. */
export const RESULT_PTR = 's11';
const SLOTS_PER_WINDOW = 256;

export class Program {
  private readonly body: string[] = [];
  private readonly dataLines: string[] = [];
  private readonly slotList: Slot[] = [];
  private labels = 0;

  /**
   * `blockBreak`: a jump after every that many results (0 = never). Single
   * stepping translates a block at every new pc, so short blocks make step
   * runs about three times faster; 0 keeps straight-line code in full
   * 64-instruction blocks instead.
   */
  constructor(readonly name: string, private readonly rvc: boolean, private readonly blockBreak = 4) {}

  /** Lines of code, in order. */
  text(...lines: string[]): void {
    for (const l of lines) this.body.push(l.endsWith(':') ? l : `  ${l}`);
  }

  /** Lines for .data. */
  data(...lines: string[]): void {
    this.dataLines.push(...lines);
  }

  /** A fresh label name. */
  label(hint = 'L'): string {
    return `.L${hint}_${this.labels++}`;
  }

  /** A fresh label that stays in the symbol table (for `rel` and engine tests). */
  symbol(hint: string): string {
    return `${hint}_${this.labels++}`;
  }

  li(reg: string, v: bigint): void {
    this.text(`li ${reg}, ${s64(v)}`);
  }

  /** Store `reg` as the next result. */
  save(reg: string, what: string, opts: { rel?: string } = {}): void {
    const i = this.slotList.length % SLOTS_PER_WINDOW;
    this.text(`sd ${reg}, ${i * 8}(${RESULT_PTR})`);
    // Offsets stay within a 12-bit immediate: move the window every 256 slots.
    if (i === SLOTS_PER_WINDOW - 1) this.text(`addi ${RESULT_PTR}, ${RESULT_PTR}, 1024`, `addi ${RESULT_PTR}, ${RESULT_PTR}, 1024`);
    this.slotList.push({ what, ...opts });
    if (this.blockBreak && this.slotList.length % this.blockBreak === 0) {
      const l = this.label('brk');
      this.text(`j ${l}`, `${l}:`);
    }
  }

  get slots(): readonly Slot[] {
    return this.slotList;
  }

  /** The whole source, for `gcc -x assembler-with-cpp` with or without -DBARE. */
  source(): string {
    const n = Math.max(1, this.slotList.length);
    return [
      `/* ${this.name}: generated by test/engine/riscv64/insn */`,
      '  .option norelax',
      `  .option ${this.rvc ? 'rvc' : 'norvc'}`,
      '  .text',
      '  .globl _start',
      '_start:',
      '#ifndef BARE',
      // qemu-user: s0 = argc - 1 selects a case in programs that have several endings.
      '  ld s0, 0(sp)',
      '  addi s0, s0, -1',
      '#endif',
      `  lla ${RESULT_PTR}, results`,
      ...this.body,
      'done:',
      '#ifdef BARE',
      '  li a7, 0x53525354',
      '  li a6, 0',
      '  li a0, 0',
      '  li a1, 0',
      '  ecall',
      '1: j 1b',
      '#else',
      '  li a0, 1',
      '  lla a1, results',
      `  li a2, ${n * 8}`,
      '  li a7, 64',
      '  ecall',
      '  li a0, 0',
      '  li a7, 93',
      '  ecall',
      '#endif',
      '  .data',
      '  .balign 4096',
      ...this.dataLines,
      '  .bss',
      '  .balign 8',
      '  .globl results',
      'results:',
      `  .space ${n * 8}`,
      '',
    ].join('\n');
  }
}

// ---- building -------------------------------------------------------------------

const BARE_LD = `ENTRY(_start)
SECTIONS {
  . = 0x${BARE_BASE.toString(16)};
  .text : { *(.text .text.*) }
  . = ALIGN(4096);
  .data : { *(.data .data.* .sdata .sdata.* .rodata .rodata.*) }
  .bss : { *(.bss .bss.* .sbss .sbss.* COMMON) }
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
  /** `objdump -d -M no-aliases` of the bare image. */
  disassembly(): string;
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

/** Build both images of `source` (user program and bare guest) in a fresh directory. */
export function buildSource(name: string, source: string): Built {
  const dir = mkdtempSync(join(tmpdir(), `insn-${name}-`));
  const src = join(dir, `${name}.S`);
  const ld = join(dir, 'bare.ld');
  const user = join(dir, `${name}-user.elf`);
  const bare = join(dir, `${name}-bare.elf`);
  writeFileSync(src, source);
  writeFileSync(ld, BARE_LD);
  const common = [`-march=${MARCH}`, '-mabi=lp64', '-nostdlib', '-static', '-no-pie', '-Wl,--no-relax', '-Wl,--build-id=none'];
  try {
    run(CC, [...common, '-o', user, src]);
    run(CC, [...common, '-DBARE', `-T${ld}`, '-o', bare, src]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    user,
    bare,
    userSyms: symbols(user),
    bareSyms: symbols(bare),
    disassembly: () => run(OBJDUMP, ['-d', '-M', 'no-aliases', bare]),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// ---- running ----------------------------------------------------------------------

export interface QemuRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Run the user program; `caseIndex` arrives in s0 (as argc - 1). */
export function runQemu(elf: string, caseIndex = 0): QemuRun {
  const args = [elf, ...Array.from({ length: caseIndex }, () => 'x')];
  const r = spawnSync(QEMU, args, { maxBuffer: 64 * 1024 * 1024, timeout: 30_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? Buffer.alloc(0), stderr: r.stderr?.toString('utf8') ?? '' };
}

/**
 * How CPU 0 runs: `run` is one engine.run (translated blocks); `step` is
 * engine.stepCpu(0, 1) until the end (the interpreter); `chunked` is
 * engine.run with a budget of CHUNK instructions at a time, so runs stop and
 * resume at arbitrary points (partial blocks, loops left early).
 */
export type Mode = 'run' | 'step' | 'chunked';
export const MODES: readonly Mode[] = ['run', 'step', 'chunked'];
const MODE_NAMES: Readonly<Record<Mode, string>> = {
  run: 'engine.run, translated blocks',
  step: 'engine.stepCpu(0, 1), interpreter',
  chunked: 'engine.run 997 instructions at a time',
};
const CHUNK = 997;

export interface EngineRun {
  readonly engine: Engine;
  readonly stop: StopReason;
  readonly uart: string;
}

export interface EngineOptions {
  readonly cpus?: number;
  /** Set in s0 before the guest starts, as argc - 1 is under qemu-user. */
  readonly caseIndex?: number;
  readonly maxInstructions?: number;
}

export function launch(elf: string, options: EngineOptions = {}): { engine: Engine; uart: () => string } {
  const bytes: number[] = [];
  const engine = Engine.launchQuick({
    arch: 'riscv64',
    image: { path: elf, bytes: new Uint8Array(readFileSync(elf)) },
    cpus: options.cpus ?? 1,
    onUart: (b) => bytes.push(b),
  });
  engine.setRegister(0, 's0', BigInt(options.caseIndex ?? 0));
  return { engine, uart: () => String.fromCharCode(...bytes) };
}

/**
 * Run CPU 0 to its end: translated blocks (`run`) or one `stepCpu(0, 1)` at a
 * time (`step`), which goes through the interpreter.
 */
export function runEngine(elf: string, mode: Mode, options: EngineOptions = {}): EngineRun {
  const { engine, uart } = launch(elf, options);
  const max = options.maxInstructions ?? 5_000_000;
  let stop: StopReason;
  if (mode === 'run') {
    stop = engine.run({ maxInstructions: max });
  } else if (mode === 'chunked') {
    do stop = engine.run({ maxInstructions: Math.min(max, engine.totalInstructions() + CHUNK) });
    while (stop.kind === 'limit' && engine.totalInstructions() < max);
  } else {
    let n = 0;
    do stop = engine.stepCpu(0, 1);
    while (stop.kind === 'step' && ++n < max);
    if (stop.kind === 'step') stop = { kind: 'limit' };
  }
  return { engine, stop, uart: uart() };
}

/** `count` little-endian dwords of guest physical memory. */
export function readDwords(engine: Engine, address: bigint, count: number): bigint[] {
  const bytes = engine.readPhysical(Number(address), count * 8);
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

/** Values adjusted for the slots that compare pc-relative. */
function normalize(slots: readonly Slot[], values: readonly bigint[], syms: ReadonlyMap<string, bigint>): bigint[] {
  return values.map((v, i) => {
    const rel = slots[i]?.rel;
    if (rel === undefined) return v;
    const at = syms.get(rel);
    assert.ok(at !== undefined, `no symbol ${rel} in the image`);
    return u64(v - at);
  });
}

/** Readable list of the slots where `a` and `b` differ (at most `limit`). */
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

export interface GroupResult {
  readonly built: Built;
  /** QEMU's results, pc-relative slots normalized. */
  readonly expected: readonly bigint[];
  /** Ours by mode, normalized. */
  readonly ours: Readonly<Record<Mode, readonly bigint[]>>;
}

/**
 * Build and run a group everywhere; fail with every mismatching case (QEMU
 * against each engine mode, and the modes against each other, including how
 * many instructions they retired). `inspect` may check more before the
 * build directory goes away.
 */
export function runGroup(p: Program, inspect?: (r: GroupResult) => void): void {
  const built = buildSource(p.name, p.source());
  try {
    const slots = p.slots;
    const q = runQemu(built.user);
    assert.ok(q.status === 0, `${p.name}: qemu-riscv64 did not exit 0 (${describeQemu(q)})`);
    const raw = dwordsOf(q.stdout);
    assert.equal(raw.length, slots.length, `${p.name}: qemu-riscv64 wrote ${q.stdout.length} bytes, expected ${slots.length * 8}`);
    const expected = normalize(slots, raw, built.userSyms);
    const resultsAt = built.bareSyms.get('results');
    assert.ok(resultsAt !== undefined, 'no `results` symbol in the bare image');
    const ours = {} as Record<Mode, bigint[]>;
    const retired = {} as Record<Mode, number>;
    const problems: string[] = [];
    for (const mode of MODES) {
      const t0 = Date.now();
      const r = runEngine(built.bare, mode);
      if (process.env.INSN_DEBUG) console.error(`${p.name} ${mode}: ${r.engine.instructionCount(0)} instructions in ${Date.now() - t0} ms`);
      retired[mode] = r.engine.instructionCount(0);
      if (r.stop.kind !== 'poweroff') {
        problems.push(`${mode}: the guest did not power off: ${JSON.stringify(r.stop)} at pc 0x${r.engine.cpu(0).pc.toString(16)}`);
      }
      ours[mode] = normalize(slots, readDwords(r.engine, resultsAt, slots.length), built.bareSyms);
      const differ = mismatches(slots, expected, ours[mode], ['qemu', mode]);
      if (differ.length) problems.push(`${mode} (${MODE_NAMES[mode]}) against qemu-riscv64:\n  ${differ.join('\n  ')}`);
    }
    for (const mode of MODES.slice(1)) {
      const paths = mismatches(slots, ours.run, ours[mode], ['run', mode]);
      if (paths.length) problems.push(`run against ${mode}:\n  ${paths.join('\n  ')}`);
      if (retired[mode] !== retired.run) problems.push(`${mode} retired ${retired[mode]} instructions, run ${retired.run}`);
    }
    if (problems.length) assert.fail(`${p.name}: ${slots.length} results\n${problems.join('\n')}`);
    inspect?.({ built, expected, ours });
  } finally {
    built.dispose();
  }
}
