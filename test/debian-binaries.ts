// Debian's own kernels, initramfs and U-Boot, as scripts/fetch-linux.sh lays them
// out (setup runs it). A test that needs one and finds it missing fails and says
// how to get it; it never skips.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** A Linux sample's build folder: Image, vmlinux, System.map and initrd.cpio. */
export const LINUX = {
  aarch64: resolve('samples/linux-aarch64/build'),
  riscv64: resolve('samples/linux-riscv64/build'),
} as const;

/** Debian's u-boot-qemu builds for the two boards. */
export const U_BOOT = {
  aarch64: resolve('.cache/debian/u-boot/qemu_arm64/u-boot.bin'),
  riscv64: resolve('.cache/debian/u-boot/qemu-riscv64_smode/u-boot.bin'),
} as const;

/** `path`, or a failure naming the file and the script that fetches it. */
export function debianBinary(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`bash scripts/fetch-linux.sh\` (scripts/setup.sh runs it)`);
  return path;
}
