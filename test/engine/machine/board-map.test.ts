// Each board's table drives both its devices and the device tree a quick
// launch hands the guest: every device window the board creates is a node's
// reg in that tree, and those nodes say what QEMU virt's own tree says of the
// same devices (compared with its dumpdtb; dtc decodes ours without a warning).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type Arch } from '../../../engine/api';
import type { DeviceTree, FdtNode } from '../../../engine/machine/fdt';
import { parseDtb } from '../../../engine/machine/fdt-parse';
import { aarch64Target } from '../../../engine/target/aarch64';
import { riscv64Target } from '../../../engine/target/riscv64';
import { requireCommands } from '../../../scripts/external-tools.mjs';

requireCommands('dtc', 'qemu-system-aarch64', 'qemu-system-riscv64');

const dir = mkdtempSync(join(tmpdir(), 'hvisor-board-map-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SPIN = { aarch64: '_start: b _start\n', riscv64: '_start: j _start\n' } as const;

function quickLaunch(arch: Arch): { engine: Engine; tree: DeviceTree } {
  const engine = Engine.launchQuick({ arch, image: { path: 'spin.S', bytes: new TextEncoder().encode(SPIN[arch]) }, cpus: 1, onUart: () => {} });
  const quick = (arch === 'aarch64' ? aarch64Target : riscv64Target).quick;
  const raw = Uint8Array.from(engine.readPhysical(quick.dtbAddress, 0x10000).map((b) => b ?? 0));
  const file = join(dir, `${arch}.dtb`);
  writeFileSync(file, raw);
  const dtc = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' });
  assert.equal(dtc.status, 0, dtc.stderr);
  assert.equal(dtc.stderr, '', 'dtc warnings');
  return { engine, tree: parseDtb(raw, `${arch}.dtb`) };
}

function qemuDtb(command: string, machine: string): DeviceTree {
  const file = join(dir, `${command}.dtb`);
  const r = spawnSync(command, ['-M', `${machine},dumpdtb=${file}`, '-m', '256M', '-nographic'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return parseDtb(new Uint8Array(readFileSync(file)), file);
}

/** Every reg base in the tree, from nodes with two address cells (all of these boards' devices). */
function regBases(node: FdtNode, out: number[] = []): number[] {
  const reg = node.name === '' || node.name === 'cpus' ? undefined : node.property('reg');
  if (reg && reg.value.length % 16 === 0) {
    const cells = reg.cells();
    for (let i = 0; i < cells.length; i += 4) out.push(cells[i]! * 2 ** 32 + cells[i + 1]!);
  }
  for (const c of node.children) if (c.name !== 'cpus') regBases(c, out);
  return out;
}

const same = (ours: DeviceTree, qemu: DeviceTree, path: string, props: readonly string[]): void => {
  for (const prop of props) {
    const want = qemu.find(path)?.property(prop)?.value;
    assert.ok(want, `QEMU's tree has ${path} ${prop}`);
    assert.deepEqual(ours.find(path)?.property(prop)?.value, want, `${path} ${prop}`);
  }
};

test('aarch64: every device window of the qemu-gicv3 board is in the quick tree, as QEMU virt describes it', () => {
  const { engine, tree } = quickLaunch('aarch64');
  const bases = regBases(tree.root);
  for (const w of engine.target.memory.windows) assert.ok(bases.includes(w.base), `${w.device.name} at 0x${w.base.toString(16)} is described`);
  const qemu = qemuDtb('qemu-system-aarch64', 'virt,virtualization=on,gic-version=3');
  same(tree, qemu, '/flash@0', ['compatible', 'reg', 'bank-width']);
  same(tree, qemu, '/pl011@9000000', ['compatible', 'reg', 'interrupts']);
  same(tree, qemu, '/intc@8000000', ['compatible', 'interrupts']);
  assert.deepEqual(tree.find('/intc@8000000')!.property('reg')!.cells().slice(0, 6), qemu.find('/intc@8000000')!.property('reg')!.cells().slice(0, 6), 'distributor and redistributor bases');
});

test('riscv64: the qemu-plic board\'s UART and PLIC are in the quick tree, as QEMU virt describes them', () => {
  const { engine, tree } = quickLaunch('riscv64');
  const bases = regBases(tree.root);
  const described = engine.target.memory.windows.filter((w) => bases.includes(w.base)).map((w) => w.device.name);
  // The ACLINT stays hvisor's: guests reach the timer and IPIs through SBI.
  assert.deepEqual(engine.target.memory.windows.filter((w) => !bases.includes(w.base)).map((w) => w.device.name).sort(), ['aclint-mswi', 'aclint-mtimer', 'aclint-sswi'].sort());
  assert.equal(described.length, 2, `described: ${described.join(', ')}`);
  const qemu = qemuDtb('qemu-system-riscv64', 'virt,aclint=on');
  same(tree, qemu, '/soc/serial@10000000', ['compatible', 'reg', 'interrupts', 'clock-frequency']);
  same(tree, qemu, '/soc/plic@c000000', ['compatible', '#interrupt-cells', 'interrupt-controller']);
  assert.deepEqual(tree.find('/soc/plic@c000000')!.property('reg')!.cells().slice(0, 2), qemu.find('/soc/plic@c000000')!.property('reg')!.cells().slice(0, 2), 'PLIC base');
});
