// aarch64 guest MIPS: our headless runner against QEMU TCG on the same
// bare-metal guest (bench/guests/aarch64/mips.c, the twin of the riscv64 one),
// on 1 CPU and on 4 CPUs.
//
//   node bench/aarch64-mips.mjs [--rounds N] [--repeat N] [--qemu-only] [--no-append]
//
// The measuring and the report are bench/mips-benchmark.mjs's; QEMU runs virt
// with EL2 and a GICv3 on a Cortex-A57, no firmware.
import { join } from 'node:path';
import { buildGuest, ROOT } from '../scripts/build-guests.mjs';
import { BENCH_OUT, runMipsBenchmark } from './mips-benchmark.mjs';

const GUEST_OUT = join(BENCH_OUT, 'aarch64');

await runMipsBenchmark({
  arch: 'aarch64',
  // 718 rounds are about 1.0e9 guest instructions at -O2.
  defaultRounds: 718,
  build(rounds) {
    const src = (f) => join(ROOT, 'bench/guests', f);
    const elves = {
      one: join(GUEST_OUT, `mips-1cpu-r${rounds}.elf`),
      four: join(GUEST_OUT, `mips-4cpu-r${rounds}.elf`),
      empty: join(GUEST_OUT, 'empty.elf'),
    };
    // ARMv8.0 atomics (ldxr/stxr): QEMU's Cortex-A57 has no LSE.
    const cflags = ['-mgeneral-regs-only', '-march=armv8-a'];
    const arch = 'aarch64';
    const mips = src('aarch64/mips.c');
    const extraDeps = [src('mips-work.h')];
    buildGuest({ arch, sources: [mips], opt: 'O2', defines: ['NCPUS=1', `ROUNDS=${rounds}`], cflags, out: elves.one, extraDeps });
    buildGuest({ arch, sources: [mips], opt: 'O2', defines: ['NCPUS=4', `ROUNDS=${rounds}`], cflags, out: elves.four, extraDeps });
    buildGuest({ arch, sources: [src('empty.c')], opt: 'O2', cflags, out: elves.empty });
    return elves;
  },
  runnerImages: (rounds) => `out/bench/aarch64/mips-{1,4}cpu-r${rounds}.elf`,
  qemu: 'qemu-system-aarch64',
  qemuArgs: (elf, smp) => [
    '-M', 'virt,virtualization=on,gic-version=3', '-cpu', 'cortex-a57', '-smp', String(smp), '-m', '256M',
    '-nographic', '-monitor', 'none', '-serial', 'stdio', '-kernel', elf,
  ],
  // No firmware: all of stdout is the guest's, but for the plugin's count.
  guestOutput: (stdout) => stdout.replace(/insns: \d+\n/, ''),
  // QEMU 7.2's MTTCG now and then hangs at SYSTEM_OFF while other vCPUs wait in
  // WFI: such a run is killed and tried again.
  qemuHangs: { timeoutMs: 120_000, attempts: 3 },
  intro:
    'The aarch64 twin of the riscv64 guest (`bench/guests/aarch64/mips.c`, -O2 -march=armv8-a: LCG fill + shell\n' +
    'sort, sieve, bitwise CRC-32, integer matrix multiply; about 1e9 instructions) on 1 CPU and the same rounds split\n' +
    'over 4 CPUs started with PSCI CPU_ON. QEMU: `-M virt,virtualization=on,gic-version=3 -cpu cortex-a57`.\n' +
    'Instructions and seconds are net of an empty guest (start-up, process start). QEMU counts come from the icount\n' +
    'TCG plugin (single-threaded TCG); QEMU times from runs without the plugin (MTTCG on 4 CPUs). Ours counts retired\n' +
    'guest instructions (`--stats-json`). 4-CPU rows are aggregate MIPS. Run with `node bench/aarch64-mips.mjs`.\n',
});
