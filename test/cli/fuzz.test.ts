// The runner's inputs, mutated: ELF images (header fields, program headers,
// truncation, flipped bytes), launch files and zone configs (values of every
// JSON type, deleted keys, broken text) and assembly sources (deleted,
// repeated and corrupted lines) and command lines. With a fixed seed and a bounded count, every
// run must end in bounded time either as bad input (exit 2, one message per
// problem, no stack trace) or as a normal run stopped by the guest or the
// instruction limit; never a crash (exit 1), a signal or a hang.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildGuest, CLI, POWER_OFF } from './run-cli';
import { SeededRandom } from '../oracle/seeded-random';

const SEED = 0x5eed_2026;
const PER_KIND = 24;
/** A run of valid input stops at this many instructions at the latest. */
const LIMIT = '200000';
const TIMEOUT_MS = 30_000;

interface Outcome {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly timedOut: boolean;
}

function runAsync(args: readonly string[]): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      if (stderr.length < 20_000) stderr += s;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      done({ status, signal, stderr, timedOut });
    });
  });
}

/**
 * Runs the cases two at a time (the machine's cores) and lists every one that
 * broke the contract; a bad-input message must match `names` (the file).
 */
async function fuzz(cases: readonly { readonly name: string; readonly args: readonly string[] }[], names: RegExp): Promise<void> {
  const problems: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const c = cases[next++]!;
      const r = await runAsync([...c.args, '--max-instructions', LIMIT]);
      const problem = judge(r) ?? (r.status === 2 && !names.test(r.stderr) ? `exit 2 without naming ${names}` : undefined);
      if (problem) problems.push(`${c.name}: ${problem}\n${r.stderr.slice(0, 1500)}`);
    }
  };
  await Promise.all([worker(), worker()]);
  assert.deepEqual(problems, []);
}

function judge(r: Outcome): string | undefined {
  if (r.timedOut) return `no end after ${TIMEOUT_MS} ms`;
  if (r.signal) return `killed by ${r.signal}`;
  if (/\n\s+at .*:\d+:\d+\)?\n/.test(r.stderr)) return `a stack trace (exit ${r.status})`;
  switch (r.status) {
    case 2:
      return /^hvisor-debug: \S.*\n/.test(r.stderr) ? undefined : 'exit 2 without a message';
    case 0:
    case 3:
    case 4:
      return /^stopped: .+$/m.test(r.stderr) ? undefined : `exit ${r.status} without a stop line`;
    default:
      return `exit ${r.status}`;
  }
}

const work = mkdtempSync(join(tmpdir(), 'hvisor-fuzz-'));
const file = (name: string, bytes: Uint8Array | string): string => {
  const p = join(work, name);
  writeFileSync(p, bytes);
  return p;
};

// ---- ELF images ------------------------------------------------------------------------

/** Values that sit on the edges of the fields they land in. */
const CORNERS = [0n, 1n, 2n, 0x38n, 0x40n, 0x7fn, 0xffn, 0xffffn, 0x7fff_ffffn, 0xffff_ffffn, 0x8020_0000n, 0x1_0000_0000n, 0x7fff_ffff_ffff_ffffn, 0xffff_ffff_ffff_ffffn];

/** Offset and width of the ELF64 header fields and of each program header's. */
function elfFields(elf: Uint8Array): [number, 1 | 2 | 4 | 8][] {
  const header: [number, 1 | 2 | 4 | 8][] = [[4, 1], [5, 1], [6, 1], [16, 2], [18, 2], [20, 4], [24, 8], [32, 8], [40, 8], [52, 2], [54, 2], [56, 2], [58, 2], [60, 2], [62, 2]];
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const phoff = Number(view.getBigUint64(32, true));
  const phnum = view.getUint16(56, true);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * 56;
    header.push([at, 4], [at + 4, 4], [at + 8, 8], [at + 16, 8], [at + 24, 8], [at + 32, 8], [at + 40, 8], [at + 48, 8]);
  }
  return header;
}

function mutateElf(rng: SeededRandom, elf: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(elf);
  const view = new DataView(copy.buffer);
  const fields = elfFields(elf);
  for (let n = 1 + rng.below(3); n > 0; n--) {
    switch (rng.below(4)) {
      case 0: {
        const [at, width] = rng.pick(fields);
        const v = rng.pick(CORNERS);
        if (width === 1) view.setUint8(at, Number(v & 0xffn));
        else if (width === 2) view.setUint16(at, Number(v & 0xffffn), true);
        else if (width === 4) view.setUint32(at, Number(v & 0xffff_ffffn), true);
        else view.setBigUint64(at, v, true);
        break;
      }
      case 1:
        if (rng.below(4) === 0) return copy.subarray(0, rng.below(copy.length));
        break;
      default:
        copy[rng.below(Math.min(copy.length, 256))] = rng.below(256);
    }
  }
  return copy;
}

test('mutated ELF images of both arches: exit 2 with a message, or a bounded run', async () => {
  const elves = {
    riscv64: readFileSync(buildGuest('fuzz-hello', `
.globl _start
_start:
  li a0, 'h'
  li a7, 1
  ecall
${POWER_OFF}
`)),
    aarch64: readFileSync(buildGuest('fuzz-hello-a64', `
        .globl _start
_start: mov     x1, #0x09000000
        mov     w2, #'h'
        strb    w2, [x1]
        ldr     x0, =0x84000008
        smc     #0
`, 0x40080000, 'aarch64')),
  };
  const rng = new SeededRandom(SEED);
  const cases = Array.from({ length: PER_KIND }, (_, i) => {
    const arch = i % 2 === 0 ? 'riscv64' : 'aarch64';
    // Now and then the other arch's board, which must refuse the machine.
    const board = i % 7 === 6 ? (arch === 'riscv64' ? 'aarch64' : 'riscv64') : arch;
    return { name: `${arch} elf ${i}`, args: ['run', '--arch', board, '--image', file(`m${i}.elf`, mutateElf(rng, elves[arch])), '--cpus', String(1 + rng.below(4))] };
  });
  await fuzz(cases, /m\d+\.elf: /);
});

// ---- launch files and zone configs -------------------------------------------------------

const JSON_VALUES: readonly unknown[] = [null, true, 0, -1, 1.5, 65, 2 ** 53, '', 'x', '0x', '0xffffffffffffffffff', '-0x10', [], [1], {}, { a: 1 }, '0x8a000000', 'zone1.S', '../..'];

/** Replaces, deletes or adds one value somewhere in a JSON tree. */
function mutateJson(rng: SeededRandom, value: unknown): unknown {
  if (Array.isArray(value)) {
    const copy = [...value];
    if (copy.length === 0 || rng.below(4) === 0) copy.push(rng.pick(JSON_VALUES));
    else if (rng.below(3) === 0) copy.splice(rng.below(copy.length), 1);
    else {
      const i = rng.below(copy.length);
      copy[i] = mutateJson(rng, copy[i]);
    }
    return copy;
  }
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = { ...value };
    const keys = Object.keys(copy);
    const key = rng.pick(keys);
    switch (rng.below(5)) {
      case 0:
        delete copy[key];
        break;
      case 1:
        copy[key] = rng.pick(JSON_VALUES);
        break;
      case 2:
        copy[`${key}_`] = rng.pick(JSON_VALUES);
        break;
      default:
        copy[key] = mutateJson(rng, copy[key]);
    }
    return copy;
  }
  return rng.pick(JSON_VALUES);
}

/** JSON text that no longer parses: cut short, or with a character changed. */
function breakText(rng: SeededRandom, text: string): string {
  const at = rng.below(text.length);
  return rng.below(2) === 0 ? text.slice(0, at) : text.slice(0, at) + rng.pick(['{', '}', ',', '"', ':', '\u0000', '\n', ']']) + text.slice(at + 1);
}

test('mutated launch files and zone configs: exit 2 naming the file, or a bounded run', async () => {
  const rng = new SeededRandom(SEED ^ 0x1234);
  const cases: { name: string; args: string[] }[] = [];
  for (const arch of ['riscv64', 'aarch64'] as const) {
    const sample = resolve(`samples/${arch}-zones`);
    const launch = JSON.parse(readFileSync(join(sample, 'launch.json'), 'utf8')) as unknown;
    const zone = JSON.parse(readFileSync(join(sample, 'zone1.json'), 'utf8')) as unknown;
    for (let i = 0; i < PER_KIND / 2; i++) {
      const dir = mkdtempSync(join(work, `${arch}-${i}-`));
      for (const name of ['root.S', 'zone1.S']) copyFileSync(join(sample, name), join(dir, name));
      const mutateZone = i % 2 === 1;
      const launchText = JSON.stringify(mutateZone ? launch : mutateJson(rng, launch), null, 2);
      const zoneText = JSON.stringify(mutateZone ? mutateJson(rng, zone) : zone, null, 2);
      const broken = rng.below(5) === 0;
      writeFileSync(join(dir, 'launch.json'), broken && !mutateZone ? breakText(rng, launchText) : launchText);
      writeFileSync(join(dir, 'zone1.json'), broken && mutateZone ? breakText(rng, zoneText) : zoneText);
      cases.push({ name: `${arch} ${mutateZone ? 'zone config' : 'launch file'} ${i}`, args: ['run', join(dir, 'launch.json')] });
    }
  }
  // The launch file, a zone config, or an image whose path the mutation changed.
  await fuzz(cases, /^hvisor-debug: \S+: /m);
});

// ---- assembly sources ------------------------------------------------------------------------

const JUNK = ['(', ')', ',', '%', '"', "'", '\\', '0x', '9999999999999999999999', '-', '<<', '.', ':', '#', '[', ']', '!', '{', '}', 'x99', '\t'];

function mutateSource(rng: SeededRandom, source: string): string {
  const lines = source.split('\n');
  for (let n = 1 + rng.below(4); n > 0; n--) {
    const i = rng.below(lines.length);
    const line = lines[i]!;
    switch (rng.below(6)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, line);
        break;
      case 2: {
        const at = rng.below(line.length + 1);
        lines[i] = line.slice(0, at) + rng.pick(JUNK) + line.slice(at);
        break;
      }
      case 3:
        lines[i] = line.slice(0, rng.below(line.length + 1));
        break;
      case 4:
        lines[i] = `  .word ${'('.repeat(rng.below(400))}1${')'.repeat(rng.below(400))}`;
        break;
      default:
        lines[i] = line.replace(/\b(\d+|0x[0-9a-f]+)\b/i, rng.pick(['-1', '0xffffffffffffffff', '4096', '1 << 70', '07', 'undefined_symbol']));
    }
  }
  return lines.join('\n');
}

test('mutated assembly sources: exit 2 naming the line, or a bounded run', async () => {
  const rng = new SeededRandom(SEED ^ 0xabcd);
  const cases: { name: string; args: string[] }[] = [];
  for (const arch of ['riscv64', 'aarch64'] as const) {
    const source = readFileSync(resolve(`samples/${arch}-zones/root.S`), 'utf8');
    for (let i = 0; i < PER_KIND / 2; i++) {
      cases.push({ name: `${arch} source ${i}`, args: ['run', '--arch', arch, '--image', file(`${arch}-${i}.S`, mutateSource(rng, source)), '--cpus', '2'] });
    }
  }
  await fuzz(cases, /(riscv64|aarch64)-\d+\.S(:\d+:\d+)?: /);
});

// ---- command lines ------------------------------------------------------------------------------

test('mutated command lines: exit 2 naming the option, or a bounded run', async () => {
  const rng = new SeededRandom(SEED ^ 0x77);
  const image = file('cmd.S', '.globl _start\n_start: j _start\n');
  const values = ['', '0', '1', '64', '65', '-1', '1e3', '0x10', ' 4', '4 ', '99999999999999999999', 'riscv64', 'aarch64', 'mips', image, '/dev/null', '/nonexistent', work, '--trace'];
  const flags = ['--arch', '--image', '--cpus', '--max-instructions', '--quantum', '--stats-json', '--trace', '--help', '-x', 'run'];
  const cases = Array.from({ length: PER_KIND / 2 }, (_, i) => {
    const args = ['run', '--arch', rng.pick(['riscv64', 'aarch64']), '--image', image];
    for (let n = 1 + rng.below(3); n > 0; n--) {
      const flag = rng.pick(flags);
      const at = 1 + rng.below(args.length);
      args.splice(at, rng.below(3) === 0 ? 1 : 0, flag, ...(rng.below(4) === 0 ? [] : [rng.pick(values)]));
    }
    return { name: `command line ${i}: ${args.join(' ')}`, args };
  });
  // The option, or the file an option names.
  await fuzz(cases, /^hvisor-debug: (\S+: |.*(--|option|command|arch))/);
});
