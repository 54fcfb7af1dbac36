// The aarch64 virt device tree: dtc decodes it without warnings, parseDtb reads
// it back, the nodes we model match the ones QEMU's own virt DTB carries, and
// QEMU boots a bare-metal guest with it.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceTree } from '../../../engine/machine/fdt';
import { parseDtb } from '../../../engine/machine/fdt-parse';
import { armVirtGic, buildArmVirtDtb, gicInterruptCells, GIC_LEVEL_HIGH, type ArmVirtDtbOptions } from '../../../engine/machine/fdt-arm-virt';
import { QEMU_GICV3_MAP } from '../../../engine/machine/boards/qemu-gicv3-map';
import { requireCommands } from '../../../scripts/external-tools.mjs';

const QEMU = 'qemu-system-aarch64';
const AS = 'aarch64-linux-gnu-as';
const LD = 'aarch64-linux-gnu-ld';

requireCommands('dtc', QEMU, AS, LD);

const dir = mkdtempSync(join(tmpdir(), 'hvisor-fdt-arm-'));
let counter = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

function save(dtb: Uint8Array): string {
  const file = join(dir, `t${counter++}.dtb`);
  writeFileSync(file, dtb);
  return file;
}

/** dtc's DTS rendering of a blob; fails the test on any dtc warning. */
function dtcDecode(dtb: Uint8Array): string {
  const r = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', save(dtb)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'dtc warnings');
  return r.stdout;
}

const cells = (tree: DeviceTree, path: string, prop: string): number[] | undefined => tree.find(path)?.property(prop)?.cells();
const strs = (tree: DeviceTree, path: string, prop: string): string[] | undefined => tree.find(path)?.property(prop)?.strings();

const QEMU_VIRT: ArmVirtDtbOptions = {
  cpus: [0, 1, 2, 3],
  memory: [{ base: 0x40000000, size: 0x10000000 }],
  gic: armVirtGic(4),
};

describe('aarch64 virt device tree', () => {
  test('QEMU virt shape, as dtc renders it', () => {
    const dts = dtcDecode(buildArmVirtDtb({ ...QEMU_VIRT, flash: QEMU_GICV3_MAP.flash, bootargs: 'console=ttyAMA0 earlycon' }).toDtb());
    for (const want of [
      'compatible = "linux,dummy-virt";',
      'cpu@3 {',
      'enable-method = "psci";',
      'compatible = "arm,psci-1.0\\0arm,psci-0.2\\0arm,psci";',
      'method = "smc";',
      'cpu_on = <0xc4000003>;',
      'cpu_off = <0x84000002>;',
      'reg = <0x00 0x40000000 0x00 0x10000000>;',
      'compatible = "arm,gic-v3";',
      '#interrupt-cells = <0x03>;',
      'reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0x80000>;',
      'interrupts = <0x01 0x09 0x04>;',
      'interrupts = <0x01 0x0d 0x04 0x01 0x0e 0x04 0x01 0x0b 0x04 0x01 0x0a 0x04>;',
      'compatible = "arm,pl011\\0arm,primecell";',
      'interrupts = <0x00 0x01 0x04>;',
      'clock-frequency = <0x16e3600>;',
      'stdout-path = "/pl011@9000000";',
      'bootargs = "console=ttyAMA0 earlycon";',
      'flash@0 {',
      'bank-width = <0x04>;',
      'reg = <0x00 0x00 0x00 0x4000000 0x00 0x4000000 0x00 0x4000000>;',
      'compatible = "cfi-flash";',
    ]) {
      assert.ok(dts.split('\n').some((l) => l.trim() === want), `missing ${want}\n${dts}`);
    }
  });

  test('parsed back: cpus, memory, GIC, timer, PL011, and every phandle resolves', () => {
    const tree = parseDtb(buildArmVirtDtb(QEMU_VIRT).toDtb(), 'virt.dtb');
    assert.equal(tree.bootCpuId, 0);
    assert.deepEqual(cells(tree, '/', '#address-cells'), [2]);
    assert.deepEqual(cells(tree, '/', '#size-cells'), [2]);
    assert.deepEqual(cells(tree, '/cpus', '#address-cells'), [1]);
    for (const n of [0, 1, 2, 3]) {
      assert.deepEqual(cells(tree, `/cpus/cpu@${n}`, 'reg'), [n]);
      assert.deepEqual(strs(tree, `/cpus/cpu@${n}`, 'device_type'), ['cpu']);
      assert.deepEqual(strs(tree, `/cpus/cpu@${n}`, 'compatible'), ['arm,cortex-a57']);
    }
    assert.deepEqual(strs(tree, '/memory@40000000', 'device_type'), ['memory']);

    const gic = tree.byPhandle(cells(tree, '/', 'interrupt-parent')![0]!);
    assert.equal(gic, tree.find('/intc@8000000'), 'root interrupt-parent is the GIC');
    assert.ok(gic!.property('interrupt-controller'));
    assert.deepEqual(cells(tree, '/intc@8000000', '#redistributor-regions'), [1]);

    assert.ok(tree.find('/timer')!.property('always-on'));
    assert.deepEqual(strs(tree, '/timer', 'compatible'), ['arm,armv8-timer', 'arm,armv7-timer']);

    const uart = '/pl011@9000000';
    assert.deepEqual(cells(tree, uart, 'reg'), [0, 0x09000000, 0, 0x1000]);
    assert.deepEqual(strs(tree, uart, 'clock-names'), ['uartclk', 'apb_pclk']);
    for (const clk of cells(tree, uart, 'clocks')!) {
      const node = tree.byPhandle(clk);
      assert.equal(node, tree.find('/apb-pclk'));
      assert.deepEqual(node!.property('compatible')!.strings(), ['fixed-clock']);
      assert.equal(node!.property('clock-frequency')!.u32(), 24_000_000);
    }
    assert.ok(tree.find(strs(tree, '/chosen', 'stdout-path')![0]!), 'stdout-path names a node');
    assert.equal(tree.find('/chosen')!.property('bootargs'), undefined);
  });

  test('matches the nodes QEMU virt itself generates', () => {
    const qemuFile = join(dir, 'qemu.dtb');
    const r = spawnSync(QEMU, ['-M', `virt,virtualization=on,gic-version=3,dumpdtb=${qemuFile}`, '-cpu', 'cortex-a57', '-smp', '4', '-m', '256M'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const qemu = parseDtb(new Uint8Array(readFileSync(qemuFile)), 'qemu.dtb');
    // QEMU describes its whole redistributor window; give ours the same to compare reg.
    const ours = buildArmVirtDtb({ ...QEMU_VIRT, gic: { ...armVirtGic(4), gicrSize: 0xf60000 }, flash: QEMU_GICV3_MAP.flash });
    const plain: [string, string[]][] = [
      ['/', ['#address-cells', '#size-cells', 'compatible']],
      ['/psci', ['compatible', 'method', 'cpu_on', 'cpu_off', 'cpu_suspend', 'migrate']],
      ['/memory@40000000', ['device_type', 'reg']],
      ['/intc@8000000', ['compatible', '#interrupt-cells', 'interrupt-controller', 'reg', '#redistributor-regions', 'interrupts']],
      ['/timer', ['compatible', 'interrupts', 'always-on']],
      ['/apb-pclk', ['compatible', '#clock-cells', 'clock-frequency', 'clock-output-names']],
      ['/pl011@9000000', ['compatible', 'reg', 'interrupts', 'clock-names']],
      ['/flash@0', ['compatible', 'reg', 'bank-width']],
      ['/cpus', ['#address-cells', '#size-cells']],
      ...[0, 1, 2, 3].map((n): [string, string[]] => [`/cpus/cpu@${n}`, ['device_type', 'compatible', 'reg', 'enable-method']]),
    ];
    for (const [path, props] of plain) {
      for (const prop of props) {
        const want = qemu.find(path)?.property(prop)?.value;
        assert.ok(want, `QEMU's DTB has ${path} ${prop}`);
        assert.deepEqual(ours.find(path)?.property(prop)?.value, want, `${path} ${prop}`);
      }
    }
    // Phandles differ in value; what they point at must not.
    const target = (tree: DeviceTree, path: string, prop: string): (string | undefined)[] =>
      tree.find(path)!.property(prop)!.cells().map((p) => tree.byPhandle(p)?.name);
    assert.deepEqual(target(ours, '/', 'interrupt-parent'), target(qemu, '/', 'interrupt-parent'));
    assert.deepEqual(target(ours, '/pl011@9000000', 'clocks'), target(qemu, '/pl011@9000000', 'clocks'));
    assert.equal(ours.find('/chosen')!.property('stdout-path')!.string(), qemu.find('/chosen')!.property('stdout-path')!.string());
  });

  test('the UART can be moved or left out; CPUs need not start at 0', () => {
    const none = parseDtb(buildArmVirtDtb({ ...QEMU_VIRT, uart: false }).toDtb(), 'a.dtb');
    assert.equal(none.find('/pl011@9000000'), undefined);
    assert.equal(none.find('/apb-pclk'), undefined);
    assert.equal(none.find('/chosen')!.property('stdout-path'), undefined);

    const moved = buildArmVirtDtb({ cpus: [0x100, 0x101], memory: QEMU_VIRT.memory, gic: armVirtGic(2), uart: { base: 0x09040000, size: 0x1000, irq: 40 }, model: 'm' });
    dtcDecode(moved.toDtb());
    assert.equal(moved.bootCpuId, 0x100);
    assert.deepEqual(cells(moved, '/cpus/cpu@101', 'reg'), [0x101]);
    assert.deepEqual(cells(moved, '/pl011@9040000', 'interrupts'), [0, 8, GIC_LEVEL_HIGH]);
    assert.deepEqual(strs(moved, '/chosen', 'stdout-path'), ['/pl011@9040000']);
    assert.deepEqual(strs(moved, '/', 'model'), ['m']);
  });

  test('rejects what the binding cannot express', () => {
    assert.throws(() => buildArmVirtDtb({ ...QEMU_VIRT, cpus: [0x1_0000_0000] }), RangeError, 'Aff3');
    assert.throws(() => buildArmVirtDtb({ ...QEMU_VIRT, cpus: [0x8000_0000] }), RangeError, 'MPIDR RES1 bit');
    assert.throws(() => gicInterruptCells(7, GIC_LEVEL_HIGH), RangeError, 'an SGI');
    assert.throws(() => gicInterruptCells(1020, GIC_LEVEL_HIGH), RangeError, 'a special INTID');
    assert.deepEqual(gicInterruptCells(16, GIC_LEVEL_HIGH), [1, 0, 4]);
    assert.deepEqual(gicInterruptCells(1019, GIC_LEVEL_HIGH), [0, 987, 4]);
  });

  test('output is deterministic', () => {
    assert.deepEqual(buildArmVirtDtb(QEMU_VIRT).toDtb(), buildArmVirtDtb(QEMU_VIRT).toDtb());
  });

  // A bare-metal ELF: power off by PSCI SYSTEM_OFF over SMC if a DTB sits at
  // the start of RAM (where QEMU puts it for a non-Linux kernel), else spin.
  const POWER_OFF = `
  .global _start
_start:
  ldr x1, =0x40000000
  ldr w2, [x1]
  ldr w3, =0xedfe0dd0
  cmp w2, w3
  b.ne .
  ldr w0, =0x84000008
  smc #0
  b .
`;

  test('QEMU boots a guest with it (-dtb) and the guest powers off by PSCI', () => {
    writeFileSync(join(dir, 'off.S'), POWER_OFF);
    execFileSync(AS, ['-o', join(dir, 'off.o'), join(dir, 'off.S')]);
    execFileSync(LD, ['-Ttext=0x40080000', '-e', '_start', '-o', join(dir, 'off.elf'), join(dir, 'off.o')]);
    const dtb = save(buildArmVirtDtb({ ...QEMU_VIRT, bootargs: 'console=ttyAMA0' }).toDtb());
    const r = spawnSync(
      QEMU,
      ['-M', 'virt,virtualization=on,gic-version=3', '-cpu', 'cortex-a57', '-smp', '4', '-m', '256M', '-nographic', '-monitor', 'none', '-serial', 'none', '-dtb', dtb, '-kernel', join(dir, 'off.elf')],
      { encoding: 'utf8', timeout: 20_000 },
    );
    assert.equal(r.error, undefined, 'QEMU did not power off in time');
    assert.equal(r.status, 0, r.stderr);
  });
});
