// The runner's contract: stdout is the guest's UART and nothing else, and the
// exit status says how the run ended. Bad input never crashes it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildGuest, CLI, POWER_OFF, runCli, tempFile } from './run-cli';

const hello = buildGuest('hello', `
.globl _start
_start:
  li a0, 'h'
  li a7, 1
  ecall
  li a0, '\\n'
  li a7, 1
  ecall
${POWER_OFF}
`);

test('power-off exits 0 with only the UART bytes on stdout', () => {
  const r = runCli(['run', '--arch', 'riscv64', '--image', hello]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'h\r\n');
  assert.match(r.stderr, /power-off by CPU 0/);
  assert.match(r.stderr, /^cpu\s+pc\s+priv\s+instructions\s+state\s+zone\s+boot_cpu\s+power_on\s+cpu_on_entry\s+dtb_ipa\s+hypervisor$/m);
  assert.match(r.stderr, /^0\s+0x[0-9a-f]{16}\s+HS\s+\d+\s+stopped\s+0\s+true\s+true\s+0x80200000\s+0x8fe00000\s+trap > sbi_vs_handler$/m);
});

test('the instruction limit exits 3', () => {
  // A loop that counts: a branch to itself alone would be quiescent.
  const spin = buildGuest('spin', `.globl _start\n_start: addi a0, a0, 1\n j _start\n`);
  const r = runCli(['run', '--arch', 'riscv64', '--image', spin, '--max-instructions', '100000']);
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /instruction limit/);
  assert.match(r.stderr, /^0\s+0x0000000080200000\s+VS\s+100000\s+running/m);
});

test('a machine where every CPU waits for nothing is quiescent and exits 0', () => {
  const sleeper = buildGuest('sleeper', `.globl _start\n_start: wfi\n j _start\n`);
  const r = runCli(['run', '--arch', 'riscv64', '--image', sleeper, '--cpus', '3']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /quiescent/);
  assert.match(r.stderr, /^1\s+0x000000000000000[04]\s+VS\s+\d+\s+parked/m);
});

test('an illegal instruction is a hypervisor stop (exit 4), never an engine exception', () => {
  const bad = buildGuest('illegal', `.globl _start\n_start: nop\n .word 0xffffffff\n`);
  const r = runCli(['run', '--arch', 'riscv64', '--image', bad]);
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stderr, /hvisor would panic: unhandled trap from the guest: scause 2 \(illegal instruction\), sepc 0x80200002, stval 0xffffffff/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});

test('aarch64: PSCI SYSTEM_OFF exits 0 after the PL011 output; the CPU table shows EL2 in the hypervisor', () => {
  const src = tempFile('hello-a64.S', `
        .globl _start
_start: mov     x1, #0x09000000
        mov     w2, #'h'
        strb    w2, [x1]
        mov     w2, #'\\n'
        strb    w2, [x1]
        ldr     x0, =0x84000008
        smc     #0
`);
  const r = runCli(['run', '--arch', 'aarch64', '--image', src]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'h\n');
  assert.match(r.stderr, /power-off by CPU 0 \(PSCI SYSTEM_OFF/);
  assert.match(r.stderr, /^0\s+0x[0-9a-f]{16}\s+EL2\s+\d+\s+stopped\s+-\s+true\s+true\s+0x40080000\s+0x4fe00000\s+trap > handle_smc > handle_psci_smc > psci_emulate_system_off$/m);
});

test('aarch64: a guest whose exception vector faults again and again stops with the reason (exit 4), never hangs', () => {
  const src = tempFile('vector-loop.S', `
        .globl _start
_start: ldr     x0, =0x40100000         // zeroed RAM: every vector slot is udf #0
        msr     vbar_el1, x0
        isb
        udf     #1
`);
  const r = runCli(['run', '--arch', 'aarch64', '--image', src, '--max-instructions', '1000000']);
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stderr, /CPU 0 takes exception class 0x0 \(ESR_EL1 0x2000000\) at 0x40100200 over and over without completing an instruction/);
});

test('bad input exits 2 with a message naming the file and the problem', async (t) => {
  const elf = readFileSync(hello);
  const cases: [string, string[], RegExp][] = [
    ['missing file', ['--image', '/nonexistent/guest.elf'], /\/nonexistent\/guest\.elf: no such file/],
    ['truncated ELF', ['--image', tempFile('truncated.elf', elf.subarray(0, 40))], /truncated\.elf: .*(truncated|too short|beyond)/i],
    ['wrong machine', ['--image', tempFile('arm.elf', Uint8Array.from(elf).fill(183, 18, 19))], /arm\.elf: .*machine/i],
    ['corrupt program headers', ['--image', tempFile('phoff.elf', withPhoff(elf, 0xfffff0))], /phoff\.elf: .*program header/i],
    ['image outside RAM', ['--image', buildGuest('high', `.globl _start\n_start: j _start\n`, 0x90000000)], /high\.elf: .*outside (guest )?RAM/],
    ['empty image', ['--image', tempFile('empty.bin', new Uint8Array(0))], /empty\.bin: the image is empty/],
    ['ELF without program headers', ['--image', tempFile('nophdr.elf', withPhnum(elf, 0))], /nophdr\.elf: no loadable \(PT_LOAD\) program headers/],
    ['a device, which would never end', ['--image', '/dev/zero'], /\/dev\/zero: not a regular file/],
    ['a folder', ['--image', tmpdir()], /: not a regular file/],
    ['--stats-json in a missing folder', ['--image', hello, '--stats-json', '/nonexistent-dir/x.json'], /--stats-json \/nonexistent-dir\/x\.json: no such file or folder/],
    ['--stats-json naming a folder', ['--image', hello, '--stats-json', tmpdir()], /--stats-json .*: is a folder/],
  ];
  for (const [name, args, message] of cases) {
    await t.test(name, () => {
      const r = runCli(['run', '--arch', 'riscv64', ...args]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }
  await t.test('unknown arch', () => {
    const r = runCli(['run', '--arch', 'mips', '--image', hello]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown arch "mips"/);
  });
  await t.test('CPU count out of range', () => {
    const r = runCli(['run', '--arch', 'riscv64', '--image', hello, '--cpus', '65']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--cpus must be an integer from 1 to 64/);
  });
  await t.test('--cpus with a launch file, which gives its own', () => {
    const r = runCli(['run', 'samples/riscv64-zones/launch.json', '--cpus', '2']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--cpus is for --image runs; samples\/riscv64-zones\/launch\.json gives the CPU count in its cpus attribute/);
  });
  await t.test('--help says what each exit status means', () => {
    const r = runCli(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /exit status: 0 power-off, or no CPU can make progress; 2 bad input; 3 the instruction\nlimit; 4 where hvisor would panic/);
  });
  await t.test('unknown option', () => {
    const r = runCli(['run', '--arch', 'riscv64', '--image', hello, '--fast']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown option "--fast"/);
  });
});

function withPhnum(elf: Uint8Array, phnum: number): Uint8Array {
  const copy = Uint8Array.from(elf);
  new DataView(copy.buffer).setUint16(56, phnum, true);
  return copy;
}

test('a launch file whose images overlap exits 2 naming both', () => {
  tempFile('twice.S', '.globl _start\n_start: j _start\n');
  const launch = tempFile('twice.json', JSON.stringify({ arch: 'riscv64', board: 'qemu-plic', cpus: 1, images: [{ path: 'twice.S', zone: 0 }, { path: 'twice.S', zone: 0 }] }));
  const r = runCli(['run', launch]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /twice\.S: the image occupies 0x[0-9a-f]+\.\.0x[0-9a-f]+, which overlaps .*twice\.S at/);
});

test('bad launch files exit 2 naming the file and the attribute or line', async (t) => {
  tempFile('spin.S', '.globl _start\n_start: j _start\n');
  const board = { arch: 'riscv64', board: 'qemu-plic', cpus: 1 };
  const cases: [string, string, RegExp][] = [
    ['no images', JSON.stringify(board), /no-images\.json: images: required attribute is missing/],
    ['no image for the root zone', JSON.stringify({ ...board, images: [] }), /no-root-image\.json: images: no image for the root zone \(zone 0\)/],
    ['text that is not JSON', '{\n  "arch": "riscv64",\n}', /not-json\.json: not valid JSON at line 3, column 1: /],
    ['a zone config that is missing', JSON.stringify({ ...board, zones: ['nowhere.json'], images: [{ path: 'spin.S', zone: 0 }] }), /missing-zone\.json: zones\[0\]: cannot read .*nowhere\.json: no such file or folder/],
    ['a zone config that is a device', JSON.stringify({ ...board, zones: ['/dev/zero'], images: [{ path: 'spin.S', zone: 0 }] }), /device-zone\.json: zones\[0\]: cannot read \/dev\/zero: not a regular file/],
    ['an image that is missing', JSON.stringify({ ...board, images: [{ path: 'nowhere.S', zone: 0 }] }), /^hvisor-debug: \S*nowhere\.S: no such file or folder \(\S*missing-image\.json: images\[0\]\.path\)$/m],
    ['an unknown arch', JSON.stringify({ ...board, arch: 'mips', images: [{ path: 'spin.S', zone: 0 }] }), /bad-arch\.json: arch: must be one of "riscv64", "aarch64", not "mips"/],
    ['an image address outside RAM', JSON.stringify({ ...board, images: [{ path: 'spin.S', zone: 0, address: '0x1000' }] }), /spin\.S: .*does not fit in RAM .*; the address is \S*low-address\.json: images\[0\]\.address$/m],
  ];
  const names = ['no-images', 'no-root-image', 'not-json', 'missing-zone', 'device-zone', 'missing-image', 'bad-arch', 'low-address'];
  for (const [i, [name, text, message]] of cases.entries()) {
    await t.test(name, () => {
      const r = runCli(['run', tempFile(`${names[i]}.json`, text)]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  }
  await t.test('thousands of problems: the first 20 and a count of the rest', () => {
    const source = runCli(['run', '--arch', 'riscv64', '--image', tempFile('many-errors.S', 'foo\n'.repeat(5000))]);
    assert.equal(source.status, 2, source.stderr);
    assert.match(source.stderr, /many-errors\.S:20:1: unknown instruction `foo`\n\.\.\. and 4980 more errors\n$/);
    const zone = JSON.parse(readFileSync('samples/riscv64-zones/zone1.json', 'utf8')) as Record<string, unknown>;
    tempFile('many-irqs.json', JSON.stringify({ ...zone, interrupts: Array.from({ length: 2000 }, (_, i) => i) }));
    const launch = runCli(['run', tempFile('many-problems.json', JSON.stringify({ ...board, cpus: 4, zones: ['many-irqs.json'], images: [{ path: 'spin.S', zone: 0 }] }))]);
    assert.equal(launch.status, 2, launch.stderr);
    assert.equal(launch.stderr.split('\n').length, 22, launch.stderr);
    assert.match(launch.stderr, /^hvisor-debug: \.\.\. and \d+ more problems$/m);
  });
  await t.test('a launch file that is a device', () => {
    const r = runCli(['run', '/dev/zero']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /\/dev\/zero: not a regular file/);
  });
});

function withPhoff(elf: Uint8Array, phoff: number): Uint8Array {
  const copy = Uint8Array.from(elf);
  new DataView(copy.buffer).setBigUint64(32, BigInt(phoff), true);
  return copy;
}

test('stdin reaches the guest through SBI getchar', () => {
  const echo = buildGuest('echo', `
.globl _start
_start:
1: li a7, 2
  ecall
  bltz a0, 2f
  li a7, 1
  ecall
  j 1b
2:
${POWER_OFF}
`);
  const r = runCli(['run', '--arch', 'riscv64', '--image', echo], 'abc');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'abc');
});

test('output that cannot be written: --stats-json on a full device exits 2 naming it', () => {
  const spin = tempFile('stats-spin.S', '.globl _start\n_start: j _start\n');
  const r = runCli(['run', '--arch', 'riscv64', '--image', spin, '--stats-json', '/dev/full']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^hvisor-debug: --stats-json \/dev\/full: no space left on the device$/m);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('stdin that never ends (/dev/zero) is refused with exit 2 instead of read for ever', () => {
  const spin = tempFile('stdin-spin.S', '.globl _start\n_start: j _start\n');
  const zero = openSync('/dev/zero', 'r');
  try {
    const r = spawnSync(process.execPath, [CLI, 'run', '--arch', 'riscv64', '--image', spin], { stdio: [zero, 'pipe', 'pipe'], encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^hvisor-debug: stdin: more than 16 MiB of input/m);
  } finally {
    closeSync(zero);
  }
});

test('a reader that goes away (`| head -c 1`) leaves the run its exit status and prints no stack trace', async () => {
  const chatter = buildGuest('chatter', `.globl _start\n_start: li a0, 'A'\n li a7, 1\n1: ecall\n j 1b\n`);
  const child = spawn(process.execPath, [CLI, 'run', '--arch', 'riscv64', '--image', chatter, '--max-instructions', '3000000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdout.once('data', () => child.stdout.destroy());
  const status = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  assert.equal(status, 3, stderr);
  assert.match(stderr, /instruction limit/);
  assert.doesNotMatch(stderr, /\n\s+at |EPIPE/);
});
