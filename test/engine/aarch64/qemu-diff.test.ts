// Differential test: every aarch64 guest program (test/guests/aarch64) at
// -O0/-O2/-Os runs under QEMU (virt with EL2 and a GICv3, no firmware: the
// guest drops from EL2 to EL1 itself) and under our headless runner (EL1
// under the hvisor model); the runner's stdout must equal QEMU's serial
// output byte for byte, and the runner must exit 0 (PSCI SYSTEM_OFF). The
// running and comparing is test/oracle/qemu-diff.ts's.
// Needs dist/cli.js (scripts/test.mjs is run after `npm run build`).
import { describeQemuDiff } from '../../oracle/qemu-diff';

const QEMU = 'qemu-system-aarch64';

describeQemuDiff({
  arch: 'aarch64',
  qemu: QEMU,
  /**
   * virtualization=on enters the ELF at EL2 and makes PSCI use the SMC
   * conduit, as under hvisor; gic-version=3 matches the qemu-gicv3 board.
   * Single-threaded TCG: QEMU 7.2's MTTCG sometimes hangs at SYSTEM_OFF while
   * other vCPUs sit in WFI, and the output does not depend on it.
   */
  qemuArgs(program, elf, manifest) {
    const cpu = program.qemuCpu ?? manifest.qemuCpu;
    if (cpu === undefined) throw new Error(`programs.json gives ${program.name} no qemuCpu`);
    return [
      '-M', 'virt,virtualization=on,gic-version=3',
      '-cpu', cpu,
      '-smp', String(program.cpus),
      '-m', '256M',
      '-accel', 'tcg,thread=single',
      '-nographic', '-monitor', 'none', '-serial', 'stdio',
      '-kernel', elf,
    ];
  },
  // No firmware: all of QEMU's output is the guest's.
  guestOutput: (out) => out,
  qemuEnd: 'to SYSTEM_OFF',
  compiler: 'aarch64-linux-gnu-gcc',
});
