// CoreMark's runs beside ours, for bench/coremark.mjs and
// test/bench-guests/coremark.test.ts: how QEMU's virt board boots a CoreMark
// ELF (scripts/build-coremark.mjs), where the guest's output is in QEMU's, and
// which lines of CoreMark's report do not depend on time.

/**
 * QEMU's command line for a CoreMark ELF: riscv64 under OpenSBI in S-mode,
 * aarch64 at EL1 (PSCI by hvc) or, with `el2`, at EL2 (PSCI by smc).
 */
export function qemuCommand(arch, elf, { el2 = false } = {}) {
  if (arch === 'riscv64') {
    return { command: 'qemu-system-riscv64', args: ['-M', 'virt', '-m', '256M', '-smp', '1', '-nographic', '-bios', 'default', '-kernel', elf] };
  }
  if (arch === 'aarch64') {
    return { command: 'qemu-system-aarch64', args: ['-M', el2 ? 'virt,virtualization=on' : 'virt', '-cpu', 'cortex-a57', '-m', '256M', '-nographic', '-kernel', elf] };
  }
  throw new Error(`coremark: unknown arch "${arch}"`);
}

/** The guest's bytes in QEMU's stdout: on riscv64, what follows OpenSBI's banner. */
export function qemuGuestOutput(arch, stdout) {
  if (arch !== 'riscv64') return stdout;
  const at = stdout.indexOf('Boot HART MEDELEG');
  const eol = at < 0 ? -1 : stdout.indexOf('\n', at);
  return eol < 0 ? undefined : stdout.slice(eol + 1);
}

/**
 * Lines that depend on time: ticks, seconds, the score, and CoreMark's verdict
 * (a run under 10 s on the guest's clock is too short to be a score).
 */
const TIMED = /^(Total ticks|Total time \(secs\)|Iterations\/Sec|CoreMark 1\.0) *:|^ERROR! Must execute for at least 10 secs|^(Errors detected|Correct operation validated)/;

/** CoreMark's report without the lines that depend on time: the same on every machine. */
export function untimedReport(out) {
  return out.split('\n').filter((line) => !TIMED.test(line));
}
