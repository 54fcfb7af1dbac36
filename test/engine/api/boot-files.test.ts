// The quick launch's boot files (the CLI's --initrd, --append, --dtb): the
// initrd lands where QEMU's virt boards put it, /chosen names it and the
// command line (read back by dtc), the user's device tree replaces the
// generated one, and bad input is an error naming the file.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, ImageError, type Arch, type BootOptions } from '../../../engine/api';
import { DeviceTree } from '../../../engine/machine/fdt';
import { requireCommands } from '../../../scripts/external-tools.mjs';
import { debianBinary, LINUX } from '../../debian-binaries';

requireCommands('dtc');

const dir = mkdtempSync(join(tmpdir(), 'hvisor-boot-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const GUEST: Readonly<Record<Arch, Uint8Array>> = {
  riscv64: new TextEncoder().encode('.globl _start\n_start:\n  wfi\n  j _start\n'),
  aarch64: new TextEncoder().encode('.globl _start\n_start:\n  wfi\n  b _start\n'),
};
const DTB_AT: Readonly<Record<Arch, number>> = { riscv64: 0x8fe00000, aarch64: 0x4fe00000 };

function launch(arch: Arch, boot: BootOptions, image: { path: string; bytes: Uint8Array } = { path: 'guest.S', bytes: GUEST[arch] }): Engine {
  return Engine.launchQuick({ arch, image, cpus: 1, onUart: () => {}, boot });
}

/** The device tree the guest finds, decoded by dtc (any dtc warning fails). */
function guestDts(engine: Engine, arch: Arch): string {
  const header = engine.readPhysical(DTB_AT[arch], 8);
  const size = ((header[4]! << 24) | (header[5]! << 16) | (header[6]! << 8) | header[7]!) >>> 0;
  const file = join(dir, `guest-${arch}.dtb`);
  writeFileSync(file, Uint8Array.from(engine.readPhysical(DTB_AT[arch], size), (b) => b ?? 0));
  const r = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'dtc warnings');
  return r.stdout;
}

function chosen(dts: string): string {
  const m = /\n\tchosen \{\n([^}]*)\};/.exec(dts);
  assert.ok(m, `no /chosen in\n${dts}`);
  return m[1]!;
}

const INITRD = { path: 'initrd.cpio', bytes: new Uint8Array(0x3000).fill(0x5a) };

describe('--initrd and --append', () => {
  for (const [arch, start] of [['aarch64', 0x48000000], ['riscv64', 0x88200000]] as const) {
    test(`${arch}: the initrd at ${start.toString(16)} and /chosen naming it and the command line`, () => {
      const engine = launch(arch, { initrd: INITRD, bootargs: 'console=ttyS0 rdinit=/init' });
      assert.deepEqual(engine.readPhysical(start, 2), [0x5a, 0x5a]);
      assert.deepEqual(engine.readPhysical(start + 0x3000, 1), [0]);
      const c = chosen(guestDts(engine, arch));
      assert.match(c, /\t\tbootargs = "console=ttyS0 rdinit=\/init";\n/);
      assert.match(c, new RegExp(`\\t\\tlinux,initrd-start = <0x00 0x${start.toString(16)}>;\\n`));
      assert.match(c, new RegExp(`\\t\\tlinux,initrd-end = <0x00 0x${(start + 0x3000).toString(16)}>;\\n`));
      assert.match(c, /stdout-path = /, 'the generated /chosen keeps its stdout-path');
    });
  }

  test('riscv64: the Linux Image is entered at 0x80200000, the initrd 128 MiB past it', () => {
    const image = readFileSync(debianBinary(join(LINUX.riscv64, 'Image')));
    const engine = launch('riscv64', { initrd: INITRD }, { path: 'Image', bytes: image });
    assert.equal(engine.cpu(0).pc, 0x80200000n);
    assert.match(chosen(guestDts(engine, 'riscv64')), /linux,initrd-start = <0x00 0x88200000>;/);
  });

  test('aarch64: the Linux Image is entered at 0x40200000, as its header asks', () => {
    const image = readFileSync(debianBinary(join(LINUX.aarch64, 'Image')));
    const engine = launch('aarch64', { bootargs: 'console=ttyAMA0' }, { path: 'Image', bytes: image });
    assert.equal(engine.cpu(0).pc, 0x40200000n);
    assert.match(chosen(guestDts(engine, 'aarch64')), /bootargs = "console=ttyAMA0";/);
  });

  test('an initrd too big for the room below the device tree names the file and the room', () => {
    const big = { path: 'big.cpio', bytes: new Uint8Array(0x7e00001) };
    assert.throws(
      () => launch('aarch64', { initrd: big }),
      (e: unknown) => e instanceof ImageError && e.message === 'big.cpio: the initrd (0x7e00001 bytes) would occupy 0x48000000..0x4fe00001, which overlaps the device tree at 0x4fe00000..0x50000000; at most 0x7e00000 bytes fit there (--initrd)',
    );
    assert.doesNotThrow(() => launch('aarch64', { initrd: { path: 'fits.cpio', bytes: new Uint8Array(0x7e00000) } }));
  });

  test('an empty initrd is an error', () => {
    assert.throws(() => launch('riscv64', { initrd: { path: 'empty.cpio', bytes: new Uint8Array(0) } }), /^ImageError: empty.cpio: the initrd is empty \(--initrd\)$/);
  });

  test('without boot options the generated tree has no bootargs and no initrd', () => {
    const c = chosen(guestDts(launch('riscv64', {}), 'riscv64'));
    assert.doesNotMatch(c, /bootargs|initrd/);
  });
});

describe('--dtb', () => {
  function dtcCompile(name: string, dts: string): Uint8Array {
    const file = join(dir, `${name}.dts`);
    writeFileSync(file, dts);
    return new Uint8Array(execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', file]));
  }
  const USER_DTS = '/dts-v1/;\n/ {\n\t#address-cells = <2>;\n\t#size-cells = <2>;\n\tmodel = "mine";\n\tmemory@80000000 {\n\t\tdevice_type = "memory";\n\t\treg = <0x00 0x80000000 0x00 0x10000000>;\n\t};\n};\n';

  test("the user's tree replaces the generated one, byte for byte without other options", () => {
    const bytes = dtcCompile('user', USER_DTS);
    const engine = launch('riscv64', { dtb: { path: 'user.dtb', bytes } });
    assert.deepEqual(engine.readPhysical(DTB_AT.riscv64, bytes.length), [...bytes]);
  });

  test('--initrd and --append are written into its /chosen, which it did not have', () => {
    const engine = launch('aarch64', { dtb: { path: 'user.dtb', bytes: dtcCompile('user2', USER_DTS) }, initrd: INITRD, bootargs: 'quiet' });
    const dts = guestDts(engine, 'aarch64');
    assert.match(dts, /model = "mine";/);
    const c = chosen(dts);
    assert.match(c, /bootargs = "quiet";/);
    assert.match(c, /linux,initrd-start = <0x00 0x48000000>;/);
  });

  test('a tree with one address cell gets one-cell initrd addresses', () => {
    const dts = USER_DTS.replace('#address-cells = <2>', '#address-cells = <1>').replace('reg = <0x00 0x80000000', 'reg = <0x80000000');
    const engine = launch('riscv64', { dtb: { path: 'one.dtb', bytes: dtcCompile('one', dts) }, initrd: INITRD });
    assert.match(chosen(guestDts(engine, 'riscv64')), /linux,initrd-start = <0x88200000>;\n\t\tlinux,initrd-end = <0x88203000>;/);
  });

  const bad: [string, string, Uint8Array, RegExp][] = [
    ['not a device tree', 'notes.txt', new TextEncoder().encode('this is not a device tree, only some text long enough for a header'), /^ImageError: notes\.txt: bad device-tree magic 0x74686973, expected 0xd00dfeed$/],
    ['truncated header', 'cut.dtb', new Uint8Array([0xd0, 0x0d, 0xfe, 0xed, 0, 0]), /^ImageError: cut\.dtb: truncated device-tree header \(6 bytes, need 40\)$/],
    ['empty', 'empty.dtb', new Uint8Array(0), /^ImageError: empty\.dtb: truncated device-tree header \(0 bytes, need 40\)$/],
  ];
  for (const [name, path, bytes, message] of bad) {
    test(`bad input: ${name}`, () => {
      assert.throws(() => launch('riscv64', { dtb: { path, bytes } }), message);
    });
  }

  test('a truncated blob (totalsize past the end) names the file', () => {
    const bytes = dtcCompile('whole', USER_DTS);
    assert.throws(() => launch('riscv64', { dtb: { path: 'half.dtb', bytes: bytes.subarray(0, bytes.length >> 1) } }), /^ImageError: half\.dtb: totalsize 0x[0-9a-f]+ runs past the end of the file/);
  });

  test('a tree larger than the 2 MiB kept for it is an error', () => {
    const tree = new DeviceTree();
    tree.root.setBytes('blob', new Uint8Array(0x200000));
    assert.throws(() => launch('riscv64', { dtb: { path: 'huge.dtb', bytes: tree.toDtb() } }), /^ImageError: huge\.dtb: the device tree takes 0x2000[0-9a-f]{2} bytes, and 0x200000 are kept for it at 0x8fe00000 \(--dtb\)$/);
  });
});
