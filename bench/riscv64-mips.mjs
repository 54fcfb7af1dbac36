// riscv64 guest MIPS: our headless runner against QEMU TCG on the same
// bare-metal guest (bench/guests/mips.c), on 1 hart and on 4 harts.
//
//   node bench/riscv64-mips.mjs [--rounds N] [--repeat N] [--qemu-only] [--no-append]
//
// The measuring and the report are bench/mips-benchmark.mjs's; QEMU boots the
// guest with OpenSBI, whose start-up the empty guest's count takes away.
import { join } from 'node:path';
import { buildGuest, ROOT } from '../scripts/build-guests.mjs';
import { BENCH_OUT, runMipsBenchmark } from './mips-benchmark.mjs';

await runMipsBenchmark({
  arch: 'riscv64',
  // 576 rounds are about 1.0e9 guest instructions at -O2.
  defaultRounds: 576,
  build(rounds) {
    const src = (f) => join(ROOT, 'bench/guests', f);
    const elves = {
      one: join(BENCH_OUT, `mips-1hart-r${rounds}.elf`),
      four: join(BENCH_OUT, `mips-4hart-r${rounds}.elf`),
      empty: join(BENCH_OUT, 'empty.elf'),
    };
    const extraDeps = [src('mips-work.h')];
    buildGuest({ sources: [src('mips.c')], opt: 'O2', defines: ['NCPUS=1', `ROUNDS=${rounds}`], out: elves.one, extraDeps });
    buildGuest({ sources: [src('mips.c')], opt: 'O2', defines: ['NCPUS=4', `ROUNDS=${rounds}`], out: elves.four, extraDeps });
    buildGuest({ sources: [src('empty.c')], opt: 'O2', out: elves.empty });
    return elves;
  },
  runnerImages: (rounds) => `out/bench/mips-{1,4}hart-r${rounds}.elf`,
  qemu: 'qemu-system-riscv64',
  qemuArgs: (elf, smp) => ['-M', 'virt', '-bios', 'default', '-nographic', '-smp', String(smp), '-m', '256M', '-kernel', elf],
  // The guest's bytes follow the line that ends OpenSBI's banner.
  guestOutput(stdout) {
    const at = stdout.indexOf('Boot HART MEDELEG');
    const eol = at < 0 ? -1 : stdout.indexOf('\n', at);
    return eol < 0 ? undefined : stdout.slice(eol + 1);
  },
  intro:
    'A bare-metal guest (`bench/guests/mips.c`, -O2: LCG fill + shell sort, sieve, bitwise CRC-32, integer\n' +
    'matrix multiply; about 1e9 instructions) on 1 hart and the same rounds split over 4 harts started with SBI HSM.\n' +
    'Instructions and seconds are net of an empty guest (firmware start-up, process start). QEMU counts come from\n' +
    'the icount TCG plugin (single-threaded TCG); QEMU times from runs without the plugin (MTTCG on 4 harts).\n' +
    'Ours counts retired guest instructions (`--stats-json`). 4-hart rows are aggregate MIPS. Run with\n' +
    '`npm run bench` or `node bench/riscv64-mips.mjs`.\n',
});
