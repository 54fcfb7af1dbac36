// Linux Image headers: Debian's own arm64 and riscv64 kernels are recognised
// and placed as their headers ask, with their image_size kept free; headers
// no boot loader could honour are errors naming the field.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { linuxImageAddress, linuxImageAddressFits, linuxImageHeader } from '../../../engine/machine/loaders/linux-image';
import { loadImage } from '../../../engine/machine/loaders/image';
import { ImageError } from '../../../engine/machine/loaders/image-error';
import { PhysicalMemory, Ram } from '../../../engine/machine/memory';
import { debianBinary, LINUX } from '../../debian-binaries';

/** The first `length` bytes of a file (the Images are tens of MiB). */
function head(path: string, length: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const bytes = new Uint8Array(length);
    readSync(fd, bytes, 0, length, 0);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** A header by hand: arm64's or riscv64's magic, text_offset, image_size, flags. */
function handMade(arch: 'aarch64' | 'riscv64', textOffset: bigint, imageSize: bigint, flags = 0n, length = 64): Uint8Array {
  const bytes = new Uint8Array(length);
  const v = new DataView(bytes.buffer);
  v.setBigUint64(8, textOffset, true);
  v.setBigUint64(16, imageSize, true);
  v.setBigUint64(24, flags, true);
  if (arch === 'aarch64') v.setUint32(0x38, 0x644d5241, true);
  else {
    bytes.set(new TextEncoder().encode('RISCV'), 0x30);
    bytes.set([0x52, 0x53, 0x43, 0x05], 0x38);
  }
  return bytes;
}

describe("Debian's kernels", () => {
  test('arm64 (bookworm 6.1): text_offset 0, image_size beyond the file, placed at 0x40200000 above the 0x40080000 default', () => {
    const bytes = head(debianBinary(join(LINUX.aarch64, 'Image')), 64);
    const header = linuxImageHeader(bytes, 'aarch64', 'Image');
    assert.ok(header);
    assert.equal(header.textOffset, 0);
    assert.equal(header.imageSize, 0x2010000);
    assert.equal(linuxImageAddress(header, 0x40080000), 0x40200000);
    assert.equal(linuxImageAddress(header, 0x40000000), 0x40000000);
    assert.equal(linuxImageHeader(bytes, 'riscv64', 'Image'), undefined, 'not a riscv64 Image');
  });

  test('riscv64 (trixie 6.12): text_offset 2 MiB, placed at 0x80200000', () => {
    const bytes = head(debianBinary(join(LINUX.riscv64, 'Image')), 64);
    const header = linuxImageHeader(bytes, 'riscv64', 'Image');
    assert.ok(header);
    assert.equal(header.textOffset, 0x200000);
    assert.equal(header.imageSize, 0x1e6c000);
    assert.equal(linuxImageAddress(header, 0x80200000), 0x80200000);
    assert.equal(linuxImageAddress(header, 0x80200001), 0x80400000);
    assert.equal(linuxImageHeader(bytes, 'aarch64', 'Image'), undefined, 'not an arm64 Image');
  });

  test('loading the arm64 Image: at 0x40200000, entered there, occupying image_size', () => {
    const path = debianBinary(join(LINUX.aarch64, 'Image'));
    const memory = new PhysicalMemory(new Ram(0x40000000, 0x10000000));
    // Its first 2 MiB: the header's image_size covers them as it covers the whole file.
    const bytes = head(path, 0x200000);
    const image = loadImage({ path, bytes, address: 0x40080000, movable: true }, memory, 'aarch64');
    assert.equal(image.entry, 0x40200000);
    assert.deepEqual(image.extents, [[0x40200000, 0x40200000 + 0x2010000]]);
    assert.deepEqual(memory.readBytes(0x40200038, 4), [0x41, 0x52, 0x4d, 0x64]);
  });
});

describe('placement', () => {
  test('a fixed address must lie text_offset past a 2 MiB boundary', () => {
    const header = { textOffset: 0x80000, boundaryOffset: 0x80000, imageSize: 0x100000 };
    assert.equal(linuxImageAddressFits(header, 0x40080000), true);
    assert.equal(linuxImageAddressFits(header, 0x40200000), false);
    const memory = new PhysicalMemory(new Ram(0x40000000, 0x10000000));
    assert.throws(
      () => loadImage({ path: 'Image', bytes: handMade('aarch64', 0x80000n, 0x100000n), address: 0x40200000, addressFrom: 'zone1.json: kernel_load_paddr' }, memory, 'aarch64'),
      (e: unknown) => e instanceof ImageError && e.message === 'Image: a Linux aarch64 Image starts text_offset 0x80000 past a 2 MiB aligned address, and 0x40200000 is not one; the address is zone1.json: kernel_load_paddr',
    );
  });

  test('a riscv64 Image starts 2 MiB aligned, whatever its text_offset', () => {
    const header = linuxImageHeader(handMade('riscv64', 0x1000n, 0x100000n), 'riscv64', 'Image');
    assert.deepEqual(header, { textOffset: 0x1000, boundaryOffset: 0, imageSize: 0x100000 });
    assert.equal(linuxImageAddress(header, 0x80001000), 0x80200000);
    const memory = new PhysicalMemory(new Ram(0x80000000, 0x1000000));
    assert.throws(
      () => loadImage({ path: 'Image', bytes: handMade('riscv64', 0x200000n, 0x100000n), address: 0x80300000, addressFrom: 'launch.json: images[0].address' }, memory, 'riscv64'),
      (e: unknown) => e instanceof ImageError && e.message === 'Image: a Linux riscv64 Image starts at a 2 MiB aligned address, and 0x80300000 is not one; the address is launch.json: images[0].address',
    );
  });

  test('image_size past the end of RAM is an error, though the file fits', () => {
    const memory = new PhysicalMemory(new Ram(0x80000000, 0x400000));
    assert.throws(
      () => loadImage({ path: 'Image', bytes: handMade('riscv64', 0x200000n, 0x800000n), address: 0x80200000, movable: true }, memory, 'riscv64'),
      /^ImageError: Image: Linux Image with its image_size \(0x80200000-0x80a00000\) does not fit in RAM \(0x80000000-0x80400000\)$/,
    );
  });

  test('an arm64 header with image_size 0 (before Linux 3.17) is placed at text_offset 0x80000, whatever the field says', () => {
    const header = linuxImageHeader(handMade('aarch64', 0x1234n, 0n), 'aarch64', 'old');
    assert.deepEqual(header, { textOffset: 0x80000, boundaryOffset: 0x80000, imageSize: 64 });
  });
});

describe('bad headers', () => {
  const cases: [string, Uint8Array, 'aarch64' | 'riscv64', string][] = [
    ['big-endian arm64', handMade('aarch64', 0n, 0x1000n, 1n), 'aarch64', 'flags bit 0 says the kernel is big-endian; the board runs little-endian'],
    ['text_offset not page aligned', handMade('aarch64', 0x80010n, 0x100000n), 'aarch64', 'text_offset 0x80010 is not a multiple of 4 KiB'],
    ['image_size smaller than the file', handMade('riscv64', 0x200000n, 0x20n, 0n, 0x1000), 'riscv64', 'image_size 0x20 is smaller than the file (0x1000 bytes)'],
    ['huge text_offset', handMade('riscv64', 1n << 40n, 0x1000n), 'riscv64', 'text_offset 0x10000000000 is beyond any RAM'],
    ['huge image_size', handMade('aarch64', 0n, 1n << 50n), 'aarch64', 'image_size 0x4000000000000 is beyond any RAM'],
  ];
  for (const [name, bytes, arch, problem] of cases) {
    test(name, () => {
      assert.throws(() => linuxImageHeader(bytes, arch, 'bad.Image'), (e: unknown) => e instanceof ImageError && e.message === `bad.Image: Linux ${arch} Image header: ${problem}`);
    });
  }

  test('no magic, or too short for a header: a plain raw binary', () => {
    assert.equal(linuxImageHeader(new Uint8Array(64), 'aarch64', 'raw'), undefined);
    assert.equal(linuxImageHeader(new Uint8Array(64), 'riscv64', 'raw'), undefined);
    assert.equal(linuxImageHeader(handMade('aarch64', 0n, 0x1000n).subarray(0, 60), 'aarch64', 'short'), undefined);
  });

  test('only the new riscv64 magic, or only the old one, is enough', () => {
    const onlyNew = handMade('riscv64', 0x200000n, 0x1000n);
    onlyNew.fill(0, 0x30, 0x38);
    assert.ok(linuxImageHeader(onlyNew, 'riscv64', 'new'));
    const onlyOld = handMade('riscv64', 0x200000n, 0x1000n);
    onlyOld.fill(0, 0x38, 0x3c);
    assert.ok(linuxImageHeader(onlyOld, 'riscv64', 'old'));
  });
});
