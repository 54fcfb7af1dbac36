// The linux-riscv64 and linux-aarch64 samples: Debian's kernel with a busybox
// initramfs boots to a shell in the root zone (launch.json) and in zone 1
// started by hypercall (launch-zone1.json); each boot is typed a command line
// at the shell's prompt and must power off. The
// HvZoneConfig that root-zone1.S builds to start zone 1 (launch-zone1.json)
// must stay the encoding of its zone1.json, which the launcher reads to place
// zone 1's boot files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, tempFile } from '../cli/run-cli';
import { LINUX, debianBinary } from '../debian-binaries';
import type { AsmOptions, AsmResult } from '../../engine/asm/program';
import { assembleAarch64 } from '../../engine/isa/aarch64/asm';
import { assembleRiscv64 } from '../../engine/isa/riscv64/asm';
import { encodeZoneConfig } from '../../engine/hv/config/binary';
import { parseZoneConfigJson } from '../../engine/hv/config/json';

interface Sample {
  readonly arch: 'riscv64' | 'aarch64';
  readonly assemble: (source: string, options: AsmOptions) => AsmResult;
  /** Where the board's root zone loads root-zone1.S. */
  readonly rootBase: number;
  /** CPUs in launch-zone1.json. */
  readonly boardCpus: number;
}

const SAMPLES: readonly Sample[] = [
  { arch: 'riscv64', assemble: assembleRiscv64, rootBase: 0x90000000, boardCpus: 3 },
  { arch: 'aarch64', assemble: assembleAarch64, rootBase: 0xa0400000, boardCpus: 3 },
];

/** Well above a boot to the shell and the command line (about 1.2e9 instructions). */
const MAX_INSTRUCTIONS = '4000000000';
const COMMANDS = 'uname -m; echo $((6*7)); poweroff\n';
// The shell's prompt (`~ # ` or `/ # `, its working directory); busybox's line editor then
// asks the terminal where the cursor is (ESC [6n).
const PROMPT = /[/~] # (\x1b\[6n)?$/;

interface Boot {
  readonly status: number | null;
  readonly out: string;
  readonly err: string;
  readonly typed: boolean;
}

/** Runs the CLI on `launch` with stdin a pipe, and types COMMANDS once the shell prompts, then closes it. */
function boot(launch: string, stats: string): Promise<Boot> {
  const child = spawn(process.execPath, [CLI, 'run', launch, '--max-instructions', MAX_INSTRUCTIONS, '--stats-json', stats]);
  let out = '';
  let err = '';
  let typed = false;
  child.stdout.setEncoding('latin1').on('data', (s: string) => {
    out += s;
    if (!typed && PROMPT.test(out)) {
      typed = true;
      child.stdin.end(COMMANDS);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, out, err, typed })));
}

for (const sample of SAMPLES) {
  const dir = `samples/linux-${sample.arch}`;

  // Linux powers off through SBI SRST, which the model obeys from any zone, or PSCI SYSTEM_OFF,
  // which powers the board off from the root zone. From zone 1, SYSTEM_OFF only shuts the zone
  // down and parks its CPU: the root zone's CPU sleeps on, and the run ends quiescent.
  const zone1Off = sample.arch === 'riscv64' ? 'stopped: power-off by CPU 2' : 'stopped: quiescent';
  const runs = [
    { where: 'the root zone', launch: 'launch.json', cpu: 0, end: 'stopped: power-off by CPU 0' },
    { where: 'zone 1, started by HvZoneStart', launch: 'launch-zone1.json', cpu: 2, end: zone1Off },
  ];
  for (const { where, launch, cpu, end } of runs) {
    test(`${sample.arch}: Debian's kernel boots to a busybox shell in ${where}, runs a command line and powers off`, { timeout: 1_800_000 }, async (t) => {
      for (const file of ['Image', 'initrd.cpio']) debianBinary(join(LINUX[sample.arch], file));
      const stats = tempFile(`${sample.arch}-${launch}.stats.json`, '');
      const r = await boot(`${dir}/${launch}`, stats);
      const tail = `\n--- the console's end ---\n${r.out.slice(-2000)}\n--- stderr ---\n${r.err.slice(-2000)}`;
      assert.ok(r.typed, `no shell prompt${tail}`);
      // The shell echoes the line after its prompt, then prints the answers.
      assert.match(r.out, new RegExp(`# (\\x1b\\[6n)?uname -m; echo \\$\\(\\(6\\*7\\)\\); poweroff\\r?\\n${sample.arch}\\r?\\n42\\r?\\n`), tail);
      assert.equal(r.status, 0, tail);
      assert.ok(r.err.includes(end), tail);
      const { instructions, cpus } = JSON.parse(readFileSync(stats, 'utf8')) as { instructions: number; cpus: { id: number; state: string }[] };
      if (end === 'stopped: quiescent') {
        assert.match(r.out, /reboot: Power down/, tail);
        assert.equal(cpus[cpu]?.state, 'parked', `zone 1's CPU ${cpu} is parked after its shutdown${tail}`);
      }
      t.diagnostic(`${instructions} guest instructions`);
    });
  }

  test(`${sample.arch}: root-zone1.S's HvZoneConfig holds exactly the binary encoding of zone1.json`, () => {
    const path = `${dir}/root-zone1.S`;
    const { program, errors } = sample.assemble(readFileSync(path, 'utf8'), { fileName: path, base: sample.rootBase });
    assert.deepEqual(errors, []);
    assert.ok(program);
    const symbol = program.symbols.get('zone1_config');
    assert.ok(symbol, 'root-zone1.S defines zone1_config');
    const section = program.sections.find((s) => symbol.address >= s.address && symbol.address < s.address + s.bytes.length);
    assert.ok(section, 'zone1_config lies in a section with contents');
    const offset = symbol.address - section.address;
    const actual = section.bytes.subarray(offset, offset + symbol.size);

    const jsonPath = `${dir}/zone1.json`;
    const parsed = parseZoneConfigJson(readFileSync(jsonPath, 'utf8'), jsonPath, { arch: sample.arch, boardCpus: sample.boardCpus });
    assert.deepEqual(parsed.errors.map(String), []);
    assert.ok(parsed.config);
    const expected = encodeZoneConfig(parsed.config);
    assert.equal(symbol.size, expected.length, `zone1_config is as large as the ${sample.arch} HvZoneConfig`);
    const differences: string[] = [];
    for (let at = 0; at < expected.length; at += 8) {
      const a = Buffer.from(actual.subarray(at, at + 8)).toString('hex');
      const e = Buffer.from(expected.subarray(at, at + 8)).toString('hex');
      if (a !== e) differences.push(`offset ${at}: root-zone1.S ${a}, zone1.json ${e}`);
    }
    assert.deepEqual(differences, []);
  });
}
