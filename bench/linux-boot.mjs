// Debian's firmware and kernels, booted by QEMU and by our runner side by side on
// the same files: Linux from its Image with the busybox initramfs to the shell,
// then `poweroff`; U-Boot to its prompt, then `version` and `poweroff`. Each
// boot is timed from process start to power-off, with input typed when the
// prompt shows, as a person would. Instructions: QEMU's from the TCG plugin
// /work/shared/tools/qemu-icount.c (single-threaded TCG, a separate run), ours
// from --stats-json. Appends the table to BENCHMARKS.md.
//
// Usage: node bench/linux-boot.mjs [--only NAME[,NAME]] [--no-append]
// Needs `bash scripts/fetch-linux.sh` and `npm run build` first.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../scripts/build-guests.mjs';
import { requireCommands } from '../scripts/external-tools.mjs';
import { appendToBenchmarks, hostLine, today } from './benchmarks-file.mjs';

const CLI = join(ROOT, 'dist/cli.js');
const OUT = join(ROOT, 'out/bench');
const PLUGIN_SRC = join(ROOT, '..', 'shared', 'tools', 'qemu-icount.c');
const PLUGIN = join(OUT, 'libicount.so');
const LINUX = { aarch64: join(ROOT, 'samples/linux-aarch64/build'), riscv64: join(ROOT, 'samples/linux-riscv64/build') };
const U_BOOT = { aarch64: join(ROOT, '.cache/debian/u-boot/qemu_arm64/u-boot.bin'), riscv64: join(ROOT, '.cache/debian/u-boot/qemu-riscv64_smode/u-boot.bin') };
/** Past this, a boot is a failure, not a figure. */
const TIMEOUT_MS = 15 * 60 * 1000;

// busybox's ash prompts with its working directory: `/ # ` (bookworm) or `~ # ` (trixie).
const SHELL = { prompt: /[/~] # (\x1b\[6n)?$/, input: 'uname -m; echo $((6*7)); poweroff\n', expect: /\n42\r?\n/ };
const UBOOT = { prompt: /=> $/, input: 'version\npoweroff\n', expect: /U-Boot 20\d\d/ };

/** Each boot: the files, QEMU's command line, our runner's, and the dialogue. */
const BOOTS = [
  {
    name: 'linux-riscv64', arch: 'riscv64', files: [join(LINUX.riscv64, 'Image'), join(LINUX.riscv64, 'initrd.cpio')], talk: SHELL,
    qemu: ['qemu-system-riscv64', '-M', 'virt', '-m', '256M', '-smp', '1', '-nographic', '-bios', 'default', '-kernel', join(LINUX.riscv64, 'Image'), '-initrd', join(LINUX.riscv64, 'initrd.cpio'), '-append', 'console=ttyS0 rdinit=/init', '-no-reboot'],
    ours: ['--arch', 'riscv64', '--image', join(LINUX.riscv64, 'Image'), '--initrd', join(LINUX.riscv64, 'initrd.cpio'), '--append', 'console=ttyS0 rdinit=/init'],
  },
  {
    name: 'linux-aarch64', arch: 'aarch64', files: [join(LINUX.aarch64, 'Image'), join(LINUX.aarch64, 'initrd.cpio')], talk: SHELL,
    qemu: ['qemu-system-aarch64', '-M', 'virt,virtualization=on', '-cpu', 'cortex-a57', '-m', '256M', '-smp', '1', '-nographic', '-kernel', join(LINUX.aarch64, 'Image'), '-initrd', join(LINUX.aarch64, 'initrd.cpio'), '-append', 'console=ttyAMA0 rdinit=/init', '-no-reboot'],
    ours: ['--arch', 'aarch64', '--image', join(LINUX.aarch64, 'Image'), '--initrd', join(LINUX.aarch64, 'initrd.cpio'), '--append', 'console=ttyAMA0 rdinit=/init'],
  },
  {
    name: 'u-boot-riscv64', arch: 'riscv64', files: [U_BOOT.riscv64], talk: UBOOT,
    qemu: ['qemu-system-riscv64', '-M', 'virt', '-m', '256M', '-smp', '1', '-nographic', '-bios', 'default', '-kernel', U_BOOT.riscv64, '-no-reboot'],
    ours: ['--arch', 'riscv64', '--image', U_BOOT.riscv64],
  },
  {
    name: 'u-boot-aarch64', arch: 'aarch64', files: [U_BOOT.aarch64], talk: UBOOT,
    qemu: ['qemu-system-aarch64', '-M', 'virt', '-cpu', 'cortex-a57', '-m', '256M', '-smp', '1', '-nographic', '-bios', U_BOOT.aarch64, '-no-reboot'],
    ours: ['--arch', 'aarch64', '--bios', U_BOOT.aarch64],
  },
];

function fail(message) {
  console.error(`linux-boot: ${message}`);
  process.exit(1);
}

/** Runs argv, types `talk.input` once the output shows `talk.prompt`; resolves at exit. */
function converse(argv, talk) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let typed = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (b) => {
      out += b.toString('latin1');
      if (!typed && talk.prompt.test(out)) {
        typed = true;
        child.stdin.write(talk.input);
      }
    });
    child.stderr.on('data', (b) => (err += b.toString('utf8')));
    child.stdin.on('error', () => {});
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, seconds: Number(process.hrtime.bigint() - start) / 1e9, typed });
    });
  });
}

async function qemuBoot(boot) {
  const timed = await converse(boot.qemu, boot.talk);
  if (!timed.typed || !boot.talk.expect.test(timed.out)) fail(`${boot.name}: QEMU did not answer (exit ${timed.code}): ${timed.out.slice(-400)}`);
  const counted = await converse([...boot.qemu, '-accel', 'tcg,thread=single', '-plugin', PLUGIN, '-d', 'plugin'], boot.talk);
  const m = /insns: (\d+)/.exec(counted.err + counted.out);
  if (!m) fail(`${boot.name}: QEMU's instruction count is missing: ${counted.err.slice(-400)}`);
  return { seconds: timed.seconds, instructions: Number(m[1]) };
}

async function ourBoot(boot) {
  const dir = mkdtempSync(join(os.tmpdir(), 'linux-boot-'));
  const stats = join(dir, 'stats.json');
  try {
    const r = await converse([process.execPath, CLI, 'run', ...boot.ours, '--max-instructions', '20000000000', '--stats-json', stats], boot.talk);
    if (r.code !== 0 || !boot.talk.expect.test(r.out)) fail(`${boot.name}: our runner exited ${r.code}${r.typed ? '' : ' before the prompt'}: ${r.out.slice(-400)}\n${r.err.slice(-400)}`);
    const s = JSON.parse(readFileSync(stats, 'utf8'));
    return { seconds: r.seconds, instructions: s.instructions };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmtInt = (n) => n.toLocaleString('en-US');

async function main() {
  let values;
  try {
    ({ values } = parseArgs({ options: { only: { type: 'string' }, 'no-append': { type: 'boolean' } } }));
  } catch (e) {
    fail(`${e.message}\nusage: node bench/linux-boot.mjs [--only NAME[,NAME]] [--no-append]`);
  }
  const only = values.only?.split(',');
  const boots = BOOTS.filter((b) => !only || only.includes(b.name));
  if (boots.length === 0) fail(`--only names none of ${BOOTS.map((b) => b.name).join(', ')}`);
  requireCommands('qemu-system-riscv64', 'qemu-system-aarch64', 'gcc');
  if (!existsSync(CLI)) fail(`${CLI} is missing: run npm run build`);
  for (const b of boots) for (const f of b.files) if (!existsSync(f)) fail(`${f} is missing: run bash scripts/fetch-linux.sh`);
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(PLUGIN) || statSync(PLUGIN).mtimeMs < statSync(PLUGIN_SRC).mtimeMs) {
    const r = spawnSync('gcc', ['-O2', '-shared', '-fPIC', '-o', PLUGIN, PLUGIN_SRC], { encoding: 'utf8' });
    if (r.error || r.status !== 0) fail(`building the QEMU plugin failed: ${r.stderr ?? r.error}`);
  }
  const rows = [];
  for (const boot of boots) {
    const qemu = await qemuBoot(boot);
    const ours = await ourBoot(boot);
    rows.push({ boot, qemu, ours });
    console.log(`${boot.name}: QEMU ${qemu.seconds.toFixed(2)} s ${fmtInt(qemu.instructions)} insns; ours ${ours.seconds.toFixed(2)} s ${fmtInt(ours.instructions)} insns`);
  }
  const lines = [
    '| boot | ours: instructions | ours: s | ours: MIPS | QEMU: instructions | QEMU: s | wall time, ours/QEMU |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(({ boot, qemu, ours }) =>
      `| ${boot.name} | ${fmtInt(ours.instructions)} | ${ours.seconds.toFixed(2)} | ${(ours.instructions / ours.seconds / 1e6).toFixed(1)} | ${fmtInt(qemu.instructions)} | ${qemu.seconds.toFixed(2)} | ${(ours.seconds / qemu.seconds).toFixed(1)}× |`),
  ];
  const command = `node bench/linux-boot.mjs ${process.argv.slice(2).join(' ')}`.trim();
  const entry = `### ${today()}: \`${command}\`\n\n${hostLine()}\n\n${lines.join('\n')}\n`;
  console.log(entry);
  if (!values['no-append']) {
    appendToBenchmarks('## Debian firmware and Linux boots', [
      'Debian\'s U-Boot (u-boot-qemu) and kernels (bookworm arm64 6.1, trixie riscv64 6.12) with a busybox-static',
      'initramfs, from `bash scripts/fetch-linux.sh`, each on 1 CPU with 256 MiB, from process start to power-off:',
      'Linux to the shell, then `uname -m; echo $((6*7)); poweroff`; U-Boot to its prompt, then `version` and',
      '`poweroff`, typed when the prompt shows. Ours runs the guest in hvisor\'s root zone (VS-mode or EL1 under',
      'the model); QEMU runs it on the bare board (with OpenSBI on riscv64). Instructions: ours are the guest\'s',
      'and the model\'s SBI/PSCI work is not counted; QEMU\'s count includes OpenSBI\'s.',
    ].join('\n'), entry);
  }
}

await main();
