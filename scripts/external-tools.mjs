// Every program and file from outside the project that the build, the tests,
// the benchmarks and `npm start` use, with the Debian package that provides it.
// scripts/setup.sh installs exactly these packages (it asks this module for
// them), and the tests require every entry: a missing one is a failure that
// names its package, never a skipped test.
//
// Node, npm, python3, make, g++ and git come with every machine of this kind;
// so do the essential packages (coreutils, tar, dpkg), which are not listed.
//
// scripts/tools.mjs prints the packages and checks the installation from the shell.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const binutils = (arch, pkg) =>
  ['as', 'ld', 'nm', 'objcopy', 'objdump', 'readelf'].map((tool) => ({ command: `${arch}-linux-gnu-${tool}`, package: pkg, use: `${arch} assembler, disassembler and ELF oracle` }));

/** Files that commands need and that come in packages of their own. */
export const EXTERNAL_FILES = {
  riscv64Libc: { path: '/usr/riscv64-linux-gnu/include/bits/libc-header-start.h', package: 'libc6-dev-riscv64-cross', use: 'the C library for riscv64 layout oracles and qemu-user programs' },
  aarch64Libc: { path: '/usr/aarch64-linux-gnu/include/bits/libc-header-start.h', package: 'libc6-dev-arm64-cross', use: 'the C library for aarch64 layout oracles and qemu-user programs' },
  virtioRom: { path: '/usr/lib/ipxe/qemu/efi-virtio.rom', package: 'ipxe-qemu', use: 'the option ROM of virt\'s network device' },
  openSbi: { path: '/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin', package: 'qemu-system-data', use: 'OpenSBI for -bios default' },
};

/** Commands run by tests, benchmarks and scripts, looked up on PATH, with the files each needs. */
export const EXTERNAL_COMMANDS = [
  { command: 'riscv64-linux-gnu-gcc', package: 'gcc-riscv64-linux-gnu', use: 'riscv64 test guests and C oracles', needs: [EXTERNAL_FILES.riscv64Libc] },
  ...binutils('riscv64', 'binutils-riscv64-linux-gnu'),
  { command: 'aarch64-linux-gnu-gcc', package: 'gcc-aarch64-linux-gnu', use: 'aarch64 test guests and C oracles', needs: [EXTERNAL_FILES.aarch64Libc] },
  ...binutils('aarch64', 'binutils-aarch64-linux-gnu'),
  { command: 'qemu-system-riscv64', package: 'qemu-system-misc', use: 'execution oracle for riscv64 guests', needs: [EXTERNAL_FILES.openSbi, EXTERNAL_FILES.virtioRom] },
  { command: 'qemu-system-aarch64', package: 'qemu-system-arm', use: 'execution oracle for aarch64 guests', needs: [EXTERNAL_FILES.virtioRom] },
  { command: 'qemu-riscv64', package: 'qemu-user', use: 'per-instruction oracle for riscv64' },
  { command: 'qemu-aarch64', package: 'qemu-user', use: 'per-instruction oracle for aarch64' },
  { command: 'cpio', package: 'cpio', use: 'the Linux samples\' busybox initramfs (scripts/fetch-linux.sh)' },
  { command: 'dtc', package: 'device-tree-compiler', use: 'device tree oracle' },
  { command: 'script', package: 'bsdutils', use: 'a terminal for the runner\'s raw-mode test' },
  { command: 'clang', package: 'clang', use: 'C test programs for the DWARF reader as clang emits it (indexed strings, addresses and lists)' },
  { command: 'ld.lld', package: 'lld', use: 'linking clang\'s cross-built test programs' },
  { command: 'llvm-dwarfdump', package: 'llvm', use: 'DWARF oracle for clang\'s indexed location lists' },
  { command: 'gdb-multiarch', package: 'gdb-multiarch', use: 'debugger oracle for the DWARF of C guests: types, lines, frames' },
  { command: 'gcc', package: 'gcc', use: 'host C programs: the benchmarks\' QEMU instruction-count plugin' },
  { command: 'chromium', package: 'chromium', use: 'the end-to-end test\'s browser' },
  { command: 'rg', package: 'ripgrep', use: 'code-server\'s search, installed offline' },
  { command: 'krb5-config', package: 'libkrb5-dev', use: 'building code-server\'s native modules' },
];

/** The Debian packages to install, each once, in a stable order. */
export function packages() {
  const all = [...EXTERNAL_COMMANDS, ...Object.values(EXTERNAL_FILES)];
  return [...new Set(all.map((t) => t.package))];
}

function onPath(command) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}

const setupSays = (what, pkg, use) => `${what}: Debian package ${pkg} (${use}); scripts/setup.sh installs it`;

/** What of `commands` (by default every listed one) is missing, a line each naming its package. */
export function missing(commands = EXTERNAL_COMMANDS.map((t) => t.command)) {
  const lines = [];
  for (const command of commands) {
    const tool = EXTERNAL_COMMANDS.find((t) => t.command === command);
    if (!tool) throw new Error(`${command} is not listed in scripts/external-tools.mjs`);
    if (!onPath(command)) lines.push(setupSays(`${command} is not installed`, tool.package, tool.use));
    for (const f of tool.needs ?? []) {
      const line = setupSays(`${f.path} is missing`, f.package, f.use);
      if (!existsSync(f.path) && !lines.includes(line)) lines.push(line);
    }
  }
  return lines;
}

/** Throws unless every one of `commands` is installed; the message names each missing one and its package. */
export function requireCommands(...commands) {
  const lines = missing(commands);
  if (lines.length) throw new Error(lines.join('\n'));
}
