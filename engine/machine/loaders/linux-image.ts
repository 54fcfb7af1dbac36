// The 64-byte header at the start of a Linux arm64 or riscv64 `Image`: where
// the kernel wants to sit and how much memory it takes once running. A boot
// loader places an arm64 Image `text_offset` bytes past a 2 MiB aligned
// address and a riscv64 Image at a 2 MiB aligned address (its text_offset
// says how far into RAM that usually is), and leaves `image_size` bytes from
// there free (the kernel's BSS and early page tables lie beyond the file's end).

import type { ElfArch } from './elf';
import { hex, ImageError } from './image-error';

export interface LinuxImageHeader {
  readonly textOffset: number;
  /** How far past a 2 MiB boundary the kernel starts: arm64's text_offset, 0 on riscv64. */
  readonly boundaryOffset: number;
  /** Bytes the kernel occupies from its load address, at least the file's length. */
  readonly imageSize: number;
}

/** Both architectures' 64-bit kernels sit past a 2 MiB aligned base. */
export const KERNEL_BASE_ALIGN = 0x200000;
const HEADER_SIZE = 64;
const PAGE = 0x1000;
/** "ARM\x64" at 0x38. */
const ARM64_MAGIC = 0x644d5241;
/** "RSC\x05" at 0x38; older kernels have only "RISCV\0\0\0" at 0x30. */
const RISCV_MAGIC2 = 0x05435352;
const RISCV_MAGIC = 0x5643534952n;
/** What arm64 kernels before image_size existed assume. */
const ARM64_LEGACY_TEXT_OFFSET = 0x80000;

/** Whether `bytes` start with a Linux Image header for `arch` (its magic says so). */
export function isLinuxImage(bytes: Uint8Array, arch: ElfArch): boolean {
  if (bytes.length < HEADER_SIZE) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (arch === 'aarch64') return view.getUint32(0x38, true) === ARM64_MAGIC;
  return view.getUint32(0x38, true) === RISCV_MAGIC2 || view.getBigUint64(0x30, true) === RISCV_MAGIC;
}

/**
 * The header of a Linux Image for `arch`, undefined when the bytes carry
 * none (a raw binary of some other kind). A header with values no boot
 * loader could honour is an ImageError naming the field.
 */
export function linuxImageHeader(bytes: Uint8Array, arch: ElfArch, fileName: string): LinuxImageHeader | undefined {
  if (!isLinuxImage(bytes, arch)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u64 = (at: number): bigint => view.getBigUint64(at, true);
  const fail = (problem: string): never => {
    throw new ImageError(fileName, `Linux ${arch} Image header: ${problem}`);
  };
  let textOffset = u64(8);
  let imageSize = u64(16);
  if (arch === 'aarch64') {
    const flags = u64(24);
    // Before image_size existed it is zero and text_offset's byte order was unspecified.
    if (imageSize === 0n) textOffset = BigInt(ARM64_LEGACY_TEXT_OFFSET);
    else if ((flags & 1n) !== 0n) fail('flags bit 0 says the kernel is big-endian; the board runs little-endian');
  }
  if (textOffset % BigInt(PAGE) !== 0n) fail(`text_offset ${hex(textOffset)} is not a multiple of 4 KiB`);
  if (textOffset >= 1n << 32n) fail(`text_offset ${hex(textOffset)} is beyond any RAM`);
  if (imageSize === 0n) imageSize = BigInt(bytes.length);
  if (imageSize < BigInt(bytes.length)) fail(`image_size ${hex(imageSize)} is smaller than the file (${hex(bytes.length)} bytes)`);
  if (imageSize >= 1n << 40n) fail(`image_size ${hex(imageSize)} is beyond any RAM`);
  const boundaryOffset = arch === 'aarch64' ? Number(textOffset) : 0;
  return { textOffset: Number(textOffset), boundaryOffset, imageSize: Number(imageSize) };
}

/** The lowest address at or above `from` where the header lets the kernel start. */
export function linuxImageAddress(header: LinuxImageHeader, from: number): number {
  const offset = header.boundaryOffset % KERNEL_BASE_ALIGN;
  const base = Math.ceil((from - offset) / KERNEL_BASE_ALIGN) * KERNEL_BASE_ALIGN;
  return base + offset;
}

/** Whether `address` is where the header allows the kernel to start. */
export function linuxImageAddressFits(header: LinuxImageHeader, address: number): boolean {
  return linuxImageAddress(header, address) === address;
}
