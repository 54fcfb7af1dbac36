// The CFI flash bank of QEMU virt (Intel command set, two x16 devices on a
// 32-bit bus): its query table, identifiers, status register, word and
// buffered programming, block erase, lock commands, and code running from it
// in read-array mode.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CfiFlash, FLASH_STATUS } from '../../../engine/machine/devices/cfi-flash';
import { QEMU_GICV3_MAP } from '../../../engine/machine/boards/qemu-gicv3-map';
import { Engine } from '../../../engine/api';
import { assembleFor } from '../../../engine/machine/loaders/image';

const SECTOR = QEMU_GICV3_MAP.flash.sectorSize;
/** A command as a 32-bit bus write gives it to both devices. */
const both = (command: number): number => (command * 0x10001) | 0;

function bank(): CfiFlash {
  return new CfiFlash({ name: 'flash', size: QEMU_GICV3_MAP.flash.bankSize, sectorSize: SECTOR });
}

/** The query answer at CFI offset `i` (device-width words, 4 bytes apart on this bus). */
const query = (f: CfiFlash, i: number): number => f.read(4 * i, 4);

describe('CFI flash (Intel command set, 2 × x16 on a 32-bit bank)', () => {
  test('query mode: "QRY", the Intel command set, the geometry of each device, then back to the array', () => {
    const f = bank();
    f.write(0x55 * 4, 4, both(0x98));
    assert.deepEqual([0x10, 0x11, 0x12].map((i) => query(f, i)), [0x00510051, 0x00520052, 0x00590059], 'QRY on both devices');
    assert.equal(query(f, 0x13), 0x00010001, 'primary command set 0x0001');
    assert.equal(query(f, 0x15), 0x00310031, 'primary extended table at 0x31');
    assert.equal(query(f, 0x27), 0x00190019, 'each device holds 2^25 bytes: 32 MiB, 64 MiB for the bank');
    assert.equal(query(f, 0x2a), 0x000b000b, 'write buffer 2^11 bytes per device');
    assert.equal(query(f, 0x2c), 0x00010001, 'one erase-block region');
    assert.deepEqual([0x2d, 0x2e, 0x2f, 0x30].map((i) => query(f, i) & 0xffff), [0xff, 0x00, 0x00, 0x02], '256 blocks of 128 KiB per device');
    assert.deepEqual([0x31, 0x32, 0x33].map((i) => String.fromCharCode(query(f, i) & 0xff)).join(''), 'PRI');
    assert.equal(f.read(4 * 0x10, 1), 0x51, 'a byte read sees the low device');
    f.write(0, 4, both(0xff));
    assert.equal(f.read(0x40, 4), 0xffffffff, 'read-array mode: erased flash');
  });

  test("read identifier: Intel's manufacturer code and the device code, on both devices", () => {
    const f = bank();
    f.write(0, 4, both(0x90));
    assert.equal(f.read(0, 4), 0x00890089);
    assert.equal(f.read(4, 4), 0x00180018);
    f.write(0, 4, both(0xff));
    assert.equal(f.read(0, 4), 0xffffffff);
  });

  test('word program: status ready, the word reads back; programming clears bits and never sets them', () => {
    const f = bank();
    f.write(0x100, 4, both(0x40));
    f.write(0x100, 4, 0x12345678);
    assert.equal(f.read(0x100, 4), both(FLASH_STATUS.ready), 'status on both devices until read-array');
    f.write(0, 4, both(0xff));
    assert.equal(f.read(0x100, 4), 0x12345678);
    assert.equal(f.read(0x104, 4), 0xffffffff, 'the next word is still erased');
    f.write(0x100, 4, both(0x10));
    f.write(0x100, 4, 0xffff00ff | 0);
    f.write(0, 4, both(0xff));
    assert.equal(f.read(0x100, 4), 0x12340078);
  });

  test('buffered program: the word count (minus one) per device, the words, confirm', () => {
    const f = bank();
    const at = SECTOR + 0x80;
    f.write(at, 4, both(0xe8));
    assert.equal(f.read(at, 4) & 0x80, 0x80, 'buffer available');
    f.write(at, 4, both(3));
    for (let i = 0; i < 4; i++) f.write(at + 4 * i, 4, 0x11111111 * (i + 1));
    f.write(at, 4, both(0xd0));
    assert.equal(f.read(at, 4), both(FLASH_STATUS.ready));
    f.write(at, 4, both(0xff));
    assert.deepEqual([0, 1, 2, 3].map((i) => f.read(at + 4 * i, 4)), [0x11111111, 0x22222222, 0x33333333, 0x44444444]);
    assert.equal(f.read(at + 16, 4), 0xffffffff);
  });

  test('block erase: setup then confirm erases the 256 KiB block and only it', () => {
    const f = bank();
    f.load(SECTOR - 4, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    f.write(SECTOR + 8, 4, both(0x20));
    f.write(SECTOR + 8, 4, both(0xd0));
    assert.equal(f.read(0, 4), both(FLASH_STATUS.ready));
    f.write(0, 4, both(0xff));
    assert.equal(f.read(SECTOR - 4, 4), 0x04030201, 'the block before is untouched');
    assert.equal(f.read(SECTOR, 4), 0xffffffff, 'the erased block');
  });

  test('status register: a bad confirm reports a command-sequence error until clear status', () => {
    const f = bank();
    f.write(0, 4, both(0x20));
    f.write(0, 4, both(0x12));
    const bad = FLASH_STATUS.ready | FLASH_STATUS.eraseError | FLASH_STATUS.programError;
    assert.equal(f.read(0, 4), both(bad));
    f.write(0, 4, both(0x70));
    assert.equal(f.read(0, 2), bad, 'read status');
    f.write(0, 4, both(0x50));
    f.write(0, 4, both(0x70));
    assert.equal(f.read(0, 4), both(FLASH_STATUS.ready), 'cleared');
  });

  test('block lock and unlock complete (every block stays writable)', () => {
    const f = bank();
    f.write(0, 4, both(0x60));
    f.write(0, 4, both(0x01));
    assert.equal(f.read(0, 4), both(FLASH_STATUS.ready));
    f.write(0, 4, both(0x60));
    f.write(0, 4, both(0xd0));
    f.write(0, 4, both(0x40));
    f.write(0, 4, 0);
    f.write(0, 4, both(0xff));
    assert.equal(f.read(0, 4), 0);
  });

  test('instruction fetches read the array in read-array mode only', () => {
    const f = bank();
    f.load(0, Uint8Array.of(0x1f, 0x20, 0x03, 0xd5));
    assert.equal(f.fetch32(0), 0xd503201f);
    f.write(0, 4, both(0x70));
    assert.equal(f.fetch32(0), undefined);
    f.write(0, 4, both(0xff));
    assert.equal(f.fetch32(0), 0xd503201f);
  });

  test('an aarch64 guest runs from flash bank 0 (--bios): it reads the DTB at the RAM base and powers off by PSCI', () => {
    const source = `
        .text
        .globl _start
_start: mov     x1, #0x40000000
        ldr     w2, [x1]                // the DTB's magic, big-endian
        mov     x3, #0x09000000
        mov     w4, #'F'
        strb    w4, [x3]
        mov     w5, #0xfeed
        movk    w5, #0xd00d, lsl #16
        rev     w2, w2
        cmp     w2, w5
        b.ne    1f
        mov     w4, #'D'
        strb    w4, [x3]
1:      movz    x0, #0x0008
        movk    x0, #0x8400, lsl #16    // PSCI SYSTEM_OFF
        smc     #0
        b       .
`;
    const { program, errors } = assembleFor('aarch64', source, { fileName: 'flash.S', base: 0 });
    assert.deepEqual(errors, []);
    const bytes = program!.sections.find((s) => s.address === 0)!.bytes;
    const out: number[] = [];
    const engine = Engine.launchQuick({ arch: 'aarch64', bios: { path: 'flash.bin', bytes }, cpus: 1, onUart: (b) => out.push(b) });
    assert.equal(engine.cpu(0).pc, 0n, 'CPU 0 enters the flash at 0');
    assert.equal(engine.run({ maxInstructions: 10_000 }).kind, 'poweroff');
    assert.equal(String.fromCharCode(...out), 'FD');
  });
});
