// Differential test: every riscv64 guest program (test/guests/riscv64) at
// -O0/-O2/-Os runs under QEMU with OpenSBI and under our headless runner; the
// runner's stdout must equal QEMU's serial output after the OpenSBI banner,
// byte for byte, and the runner must exit 0 (SRST power-off). The running and
// comparing is test/oracle/qemu-diff.ts's.
// Needs dist/cli.js (scripts/test.mjs is run after `npm run build`).
import { describeQemuDiff } from '../../oracle/qemu-diff';

const BANNER_LAST_LINE = 'Boot HART MEDELEG';

describeQemuDiff({
  arch: 'riscv64',
  qemu: 'qemu-system-riscv64',
  qemuArgs: (program, elf) => ['-M', 'virt', '-bios', 'default', '-nographic', '-smp', String(program.cpus), '-m', '256M', '-kernel', elf],
  // The guest's bytes: everything after the line that ends OpenSBI's banner.
  guestOutput(out) {
    const text = out.toString('latin1');
    const at = text.indexOf(BANNER_LAST_LINE);
    if (at < 0) return undefined;
    const eol = text.indexOf('\n', at);
    return eol < 0 ? undefined : out.subarray(eol + 1);
  },
  qemuEnd: "to power-off with OpenSBI's banner",
  compiler: 'riscv64-linux-gnu-gcc',
});
