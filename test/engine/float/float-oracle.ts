// Runs floating-point cases through an oracle nobody here wrote: one
// instruction (or C operation) per case, in a C program generated at test
// time from the operations' bodies and built for qemu-aarch64, qemu-riscv64 or
// the host. A case is an operation index, a mode word (Arm's FPCR, RISC-V's
// frm, or a host rounding mode) and three 64-bit operands; the program reads
// the cases from stdin and writes each result and the flags it raised.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireCommands } from '../../../scripts/external-tools.mjs';
import { describeQemu } from '../../oracle/result-slots';
import type { LibOp } from './lib-adapters';
import type { Width } from './operands';

export type Target = 'aarch64' | 'riscv64' | 'host';

/** One instruction under test: its oracle program body and the library operation it must match. */
export interface OracleOp {
  readonly name: string;
  /** Operand format (the integer conversions from integers draw integers). */
  readonly width: Width;
  readonly arity: 1 | 2 | 3;
  readonly intIn?: boolean;
  /** Bits of the result compared (a register's low 16, 32 or all 64). */
  readonly mask: bigint;
  readonly body: string;
  readonly lib: LibOp;
}

export interface OracleCase {
  readonly op: number;
  readonly mode: number;
  readonly a: bigint;
  readonly b: bigint;
  readonly c: bigint;
}

export interface OracleResult {
  readonly r: bigint;
  /** FPSR (aarch64), fflags (riscv64) or the host's flags in fflags' bit order. */
  readonly flags: number;
}

const IO = `
typedef struct { uint32_t op, mode; uint64_t a, b, c; } In;
typedef struct { uint64_t r, flags; } Out;
static char inbuf[1 << 16], outbuf[1 << 16];
int main(void) {
  In in; Out out;
  setvbuf(stdin, inbuf, _IOFBF, sizeof inbuf);
  setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
  while (fread(&in, sizeof in, 1, stdin) == 1) {
    out.r = run(in.op, in.mode, in.a, in.b, in.c, &out.flags);
    fwrite(&out, sizeof out, 1, stdout);
  }
  return 0;
}
`;

/** An instruction case: the body leaves the result in %[r]; operands are in d0/d1/d2 (f0/f1/f2) and %[a], %[b], %[c]. */
function asmProgram(target: 'aarch64' | 'riscv64', bodies: readonly string[]): string {
  const [prologue, epilogue, clobbers] = target === 'aarch64'
    ? ['msr fpcr, %[m]\\n msr fpsr, xzr\\n fmov d0, %[a]\\n fmov d1, %[b]\\n fmov d2, %[c]\\n',
      '\\n mrs %[f], fpsr\\n msr fpcr, xzr', '"v0", "v1", "v2", "v3", "x9", "cc"']
    : ['fsrm %[m]\\n csrw fflags, zero\\n fmv.d.x f0, %[a]\\n fmv.d.x f1, %[b]\\n fmv.d.x f2, %[c]\\n',
      '\\n frflags %[f]\\n fsrmi 0', '"f0", "f1", "f2", "t0"'];
  const cases = bodies.map((body, i) =>
    `  case ${i}: __asm__ volatile("${prologue}${body.replace(/\n/g, '\\n ')}${epilogue}" : [r] "=&r"(r), [f] "=&r"(f) : [m] "r"(m), [a] "r"(a), [b] "r"(b), [c] "r"(c) : ${clobbers}); break;`);
  return `#include <stdint.h>
#include <stdio.h>
static uint64_t run(uint32_t op, uint64_t m, uint64_t a, uint64_t b, uint64_t c, uint64_t *flags) {
  uint64_t r = 0, f = 0;
  switch (op) {
${cases.join('\n')}
  }
  *flags = f;
  return r;
}
${IO}`;
}

/** A host case: the body is C that sets r from a, b, c (bits), in the rounding mode `mode` (0 RNE, 1 RTZ, 2 RDN, 3 RUP). */
function hostProgram(bodies: readonly string[]): string {
  const cases = bodies.map((body, i) => `  case ${i}: { ${body} } break;`);
  return `#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <immintrin.h>
static inline float F(uint64_t x) { uint32_t u = (uint32_t)x; float f; memcpy(&f, &u, 4); return f; }
static inline uint64_t BF(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline double D(uint64_t x) { double d; memcpy(&d, &x, 8); return d; }
static inline uint64_t BD(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static inline _Float16 H(uint64_t x) { uint16_t u = (uint16_t)x; _Float16 h; memcpy(&h, &u, 2); return h; }
static inline uint64_t BH(_Float16 h) { uint16_t u; memcpy(&u, &h, 2); return u; }
static const int MODES[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD };
static uint64_t run(uint32_t op, uint64_t mode, uint64_t a, uint64_t b, uint64_t c, uint64_t *flags) {
  uint64_t r = 0;
  fesetround(MODES[mode & 3]);
  feclearexcept(FE_ALL_EXCEPT);
  switch (op) {
${cases.join('\n')}
  }
  int e = fetestexcept(FE_ALL_EXCEPT);
  fesetround(FE_TONEAREST);
  *flags = ((e & FE_INEXACT) ? 1 : 0) | ((e & FE_UNDERFLOW) ? 2 : 0) | ((e & FE_OVERFLOW) ? 4 : 0) | ((e & FE_DIVBYZERO) ? 8 : 0) | ((e & FE_INVALID) ? 16 : 0);
  return r;
}
${IO}`;
}

const TOOLS: Record<Target, { cc: string; flags: string[]; run: (exe: string) => [string, string[]] }> = {
  aarch64: { cc: 'aarch64-linux-gnu-gcc', flags: ['-O1', '-static', '-march=armv8.2-a+fp16'], run: (exe) => ['qemu-aarch64', ['-cpu', 'max', exe]] },
  riscv64: { cc: 'riscv64-linux-gnu-gcc', flags: ['-O1', '-static', '-march=rv64gc_zfh', '-mabi=lp64d'], run: (exe) => ['qemu-riscv64', ['-cpu', 'rv64,Zfh=true', exe]] },
  host: { cc: 'gcc', flags: ['-O1', '-frounding-math', '-fsignaling-nans', '-ffp-contract=off'], run: (exe) => [exe, []] },
};

/** Build the program for `bodies` and run `cases` through it. */
export function runOracle(target: Target, bodies: readonly string[], cases: readonly OracleCase[]): OracleResult[] {
  const tool = TOOLS[target];
  requireCommands(tool.cc, ...(target === 'host' ? [] : [tool.run('')[0]]));
  const dir = mkdtempSync(join(tmpdir(), `float-${target}-`));
  try {
    const src = join(dir, 'cases.c'), exe = join(dir, 'cases');
    writeFileSync(src, target === 'host' ? hostProgram(bodies) : asmProgram(target, bodies));
    const cc = spawnSync(tool.cc, [...tool.flags, src, '-o', exe, '-lm'], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`${tool.cc} failed:\n${cc.stderr}`);
    const input = Buffer.alloc(cases.length * 32);
    cases.forEach((k, i) => {
      input.writeUInt32LE(k.op, i * 32);
      input.writeUInt32LE(k.mode >>> 0, i * 32 + 4);
      input.writeBigUInt64LE(BigInt.asUintN(64, k.a), i * 32 + 8);
      input.writeBigUInt64LE(BigInt.asUintN(64, k.b), i * 32 + 16);
      input.writeBigUInt64LE(BigInt.asUintN(64, k.c), i * 32 + 24);
    });
    const [cmd, args] = tool.run(exe);
    const run = spawnSync(cmd, args, { input, maxBuffer: 1 << 30 });
    if (run.status !== 0 || run.stdout.length !== cases.length * 16) {
      throw new Error(`${cmd} ${describeQemu({ status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr.toString() })}; ${run.stdout.length / 16} of ${cases.length} results`);
    }
    return cases.map((_, i) => ({ r: run.stdout.readBigUInt64LE(i * 16), flags: Number(run.stdout.readBigUInt64LE(i * 16 + 8)) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
