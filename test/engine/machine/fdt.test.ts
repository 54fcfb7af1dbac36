// Device trees built here are decoded by dtc (device-tree-compiler) and by
// parseDtb; DTBs compiled by dtc are read back by parseDtb.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceTree, FdtNode } from '../../../engine/machine/fdt';
import { parseDtb } from '../../../engine/machine/fdt-parse';
import { buildRiscvVirtDtb, type RiscvVirtDtbOptions } from '../../../engine/machine/fdt-riscv-virt';
import { ImageError } from '../../../engine/machine/loaders/image-error';
import { requireCommands } from '../../../scripts/external-tools.mjs';

requireCommands('dtc');

const dir = mkdtempSync(join(tmpdir(), 'hvisor-fdt-'));
let counter = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

/** dtc's DTS rendering of a blob; fails the test on any dtc warning. */
function dtcDecode(dtb: Uint8Array): string {
  const file = join(dir, `t${counter++}.dtb`);
  writeFileSync(file, dtb);
  const r = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'dtc warnings');
  return r.stdout;
}

function dtcCompile(dts: string): Uint8Array {
  const file = join(dir, `s${counter++}.dts`);
  writeFileSync(file, dts);
  return new Uint8Array(execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', file]));
}

function sampleTree(): DeviceTree {
  const tree = new DeviceTree();
  tree.bootCpuId = 1;
  tree.reserve(0x80000000, 0x200000);
  tree.reserve(0x1_0000_0000n, 0x1000n);
  const root = tree.root;
  root.setU32('#address-cells', 2).setU32('#size-cells', 2).setStrings('compatible', ['acme,board', 'acme,family']);
  const a = root.addNode('node-a@1000');
  a.setCells('reg', [0, 0x1000, 0, 0x100]);
  a.setU64('big', 0x1122_3344_5566_7788n);
  a.setString('label', 'first');
  a.setEmpty('flag');
  a.setBytes('blob', new Uint8Array([0xde, 0xad, 0xbe]));
  a.setU32('small', 7);
  const b = root.addNode('node-b');
  b.setU32('peer', tree.phandle(a));
  b.setString('label', 'second');
  b.addNode('child').setStrings('names', ['x', 'yy', 'zzz']);
  return tree;
}

describe('DTB builder', () => {
  test('dtc decodes every property kind, the reservations and the boot cpu', () => {
    const dts = dtcDecode(sampleTree().toDtb());
    const lines = dts.split('\n').map((l) => l.trim());
    for (const want of [
      '/memreserve/\t0x0000000080000000 0x0000000000200000;',
      '/memreserve/\t0x0000000100000000 0x0000000000001000;',
      'compatible = "acme,board\\0acme,family";',
      'node-a@1000 {',
      'reg = <0x00 0x1000 0x00 0x100>;',
      'big = <0x11223344 0x55667788>;',
      'label = "first";',
      'flag;',
      'blob = [de ad be];',
      'small = <0x07>;',
      'phandle = <0x01>;',
      'peer = <0x01>;',
      'names = "x\\0yy\\0zzz";',
    ]) {
      assert.ok(lines.includes(want.trim()), `missing ${want}\n${dts}`);
    }
    const header = new DataView(sampleTree().toDtb().buffer);
    assert.equal(header.getUint32(0), 0xd00dfeed);
    assert.equal(header.getUint32(20), 17);
    assert.equal(header.getUint32(24), 16);
    assert.equal(header.getUint32(28), 1, 'boot_cpuid_phys');
  });

  test('the strings block holds each property name once', () => {
    const dtb = sampleTree().toDtb();
    const v = new DataView(dtb.buffer);
    const strings = new TextDecoder().decode(dtb.subarray(v.getUint32(12), v.getUint32(12) + v.getUint32(32)));
    assert.deepEqual(strings.split('\0').filter((s) => s === 'label'), ['label']);
    assert.equal(v.getUint32(4), dtb.length, 'totalsize');
  });

  test('phandles: allocated once, past any already present, found again', () => {
    const tree = new DeviceTree();
    const a = tree.root.addNode('a');
    const b = tree.root.addNode('b').setU32('phandle', 7);
    assert.equal(tree.phandle(a), 8);
    assert.equal(tree.phandle(a), 8);
    assert.equal(tree.phandle(b), 7);
    assert.equal(tree.byPhandle(8), a);
    assert.equal(tree.byPhandle(9), undefined);
  });

  test('node and property rules', () => {
    const node = new FdtNode('n');
    node.setU32('x', 1).setString('y', 'z').setU32('x', 2);
    assert.deepEqual(node.properties.map((p) => p.name), ['x', 'y'], 'replacing keeps the position');
    assert.equal(node.property('x')!.u32(), 2);
    assert.equal(node.remove('y'), true);
    assert.equal(node.remove('y'), false);
    node.addNode('c');
    assert.throws(() => node.addNode('c'), RangeError);
    assert.throws(() => new FdtNode('a/b'), RangeError);
    assert.throws(() => node.setCells('bad', [2 ** 32]), RangeError);
    assert.throws(() => node.setString('bad', 'a\0b'), RangeError);
    assert.throws(() => node.setU64('bad', -1n), RangeError);
  });
});

describe('DTB parser', () => {
  test('reads its own output back, byte for byte', () => {
    const dtb = sampleTree().toDtb();
    const tree = parseDtb(dtb, 'sample.dtb');
    assert.deepEqual(tree.toDtb(), dtb);
    assert.equal(tree.bootCpuId, 1);
    assert.deepEqual(tree.reservations, [
      { address: 0x80000000n, size: 0x200000n },
      { address: 0x1_0000_0000n, size: 0x1000n },
    ]);
    const a = tree.find('/node-a@1000')!;
    assert.deepEqual(a.property('reg')!.cells(), [0, 0x1000, 0, 0x100]);
    assert.equal(a.property('big')!.u64(), 0x1122_3344_5566_7788n);
    assert.equal(a.property('label')!.string(), 'first');
    assert.equal(a.property('flag')!.value.length, 0);
    assert.deepEqual([...a.property('blob')!.value], [0xde, 0xad, 0xbe]);
    assert.deepEqual(tree.find('/node-b/child')!.property('names')!.strings(), ['x', 'yy', 'zzz']);
    assert.equal(tree.byPhandle(tree.find('/node-b')!.property('peer')!.u32()), a);
    assert.equal(tree.find('/missing'), undefined);
    assert.equal(tree.find('/'), tree.root);
    assert.equal(tree.phandle(tree.find('/node-b')!), 2, 'allocation continues after parsed phandles');
  });

  test('reads a blob compiled by dtc', () => {
    const dtb = dtcCompile(`/dts-v1/;
/memreserve/ 0x1000 0x2000;
/ {
  #address-cells = <2>;
  #size-cells = <1>;
  intc: ic { interrupt-controller; #interrupt-cells = <1>; };
  dev@10 { reg = <0 0x10 0x4>; interrupt-parent = <&intc>; interrupts = <5>; compatible = "a", "b"; bytes = [01 02]; };
};
`);
    const tree = parseDtb(dtb, 'dtc.dtb');
    assert.deepEqual(tree.reservations, [{ address: 0x1000n, size: 0x2000n }]);
    const dev = tree.find('/dev@10')!;
    assert.deepEqual(dev.property('reg')!.cells(), [0, 0x10, 4]);
    assert.deepEqual(dev.property('compatible')!.strings(), ['a', 'b']);
    assert.deepEqual([...dev.property('bytes')!.value], [1, 2]);
    assert.equal(tree.byPhandle(dev.property('interrupt-parent')!.u32()), tree.find('/ic'));
    assert.equal(tree.root.property('#size-cells')!.u32(), 1);
  });

  const broken = (edit: (v: DataView, b: Uint8Array) => Uint8Array | void): Uint8Array => {
    const b = sampleTree().toDtb();
    return edit(new DataView(b.buffer), b) ?? b;
  };
  const rejects = (bytes: Uint8Array, message: RegExp): void => {
    assert.throws(
      () => parseDtb(bytes, 'bad.dtb'),
      (e: unknown) => e instanceof ImageError && e.fileName === 'bad.dtb' && message.test(e.message),
    );
  };

  test('rejects damaged blobs with a message naming the file', () => {
    rejects(new Uint8Array(10), /^bad\.dtb: truncated device-tree header \(10 bytes, need 40\)$/);
    rejects(broken((v) => v.setUint32(0, 0x12345678)), /bad device-tree magic 0x12345678, expected 0xd00dfeed/);
    rejects(broken((v) => v.setUint32(20, 15)), /unsupported device-tree version 15/);
    rejects(broken((_, b) => b.slice(0, b.length - 4)), /totalsize 0x[0-9a-f]+ runs past the end of the file/);
    rejects(broken((v) => v.setUint32(32, 0x10000)), /strings block .* lies outside the blob/);
    rejects(broken((v) => v.setUint32(8, v.getUint32(8) + 2)), /structure block .* lies outside the blob|not 4-byte aligned/);
    rejects(broken((v) => v.setUint32(v.getUint32(8), 7)), /unknown token 0x7 at 0x/);
    rejects(broken((v) => v.setUint32(v.getUint32(8) + v.getUint32(36) - 8, 4)), /: node \/ is not closed before FDT_END$/);
    rejects(broken((v) => v.setUint32(v.getUint32(8) + v.getUint32(36) - 4, 2)), /FDT_END_NODE without a node at 0x/);
    rejects(
      broken((v) => {
        // First property of the root: its name offset points past the strings block.
        v.setUint32(v.getUint32(8) + 8 + 8, 0xffff);
      }),
      /property name offset 0xffff at 0x[0-9a-f]+ is beyond the strings block/,
    );
  });
});

describe('riscv virt device tree', () => {
  const base: RiscvVirtDtbOptions = { harts: [0, 1], memory: [{ base: 0x80000000, size: 0x10000000 }] };
  const cells = (tree: DeviceTree, path: string, prop: string): number[] => tree.find(path)!.property(prop)!.cells();
  const str = (tree: DeviceTree, path: string, prop: string): string | undefined => tree.find(path)?.property(prop)?.string();

  test('QEMU virt shape: cpus, memory, soc with PLIC and UART, chosen', () => {
    const dtb = buildRiscvVirtDtb({ ...base, bootargs: 'console=ttyS0 earlycon' }).toDtb();
    const dts = dtcDecode(dtb);
    assert.match(dts, /timebase-frequency = <0x989680>;/);
    assert.match(dts, /riscv,isa = "rv64imafdc_zicsr_zifencei";/);
    const tree = parseDtb(dtb, 'virt.dtb');
    assert.deepEqual(tree.find('/')!.property('compatible')!.strings(), ['riscv-virtio']);
    assert.equal(tree.find('/cpus')!.property('timebase-frequency')!.u32(), 10_000_000);
    for (const h of [0, 1]) {
      const cpu = `/cpus/cpu@${h}`;
      assert.deepEqual(cells(tree, cpu, 'reg'), [h]);
      assert.equal(str(tree, cpu, 'status'), 'okay');
      assert.equal(str(tree, cpu, 'compatible'), 'riscv');
      assert.equal(str(tree, cpu, 'device_type'), 'cpu');
      assert.equal(str(tree, cpu, 'mmu-type'), 'riscv,sv48');
      assert.equal(str(tree, `${cpu}/interrupt-controller`, 'compatible'), 'riscv,cpu-intc');
    }
    assert.deepEqual(cells(tree, '/memory@80000000', 'reg'), [0, 0x80000000, 0, 0x10000000]);
    assert.equal(str(tree, '/memory@80000000', 'device_type'), 'memory');
    const intc0 = cells(tree, '/cpus/cpu@0/interrupt-controller', 'phandle')[0]!;
    const intc1 = cells(tree, '/cpus/cpu@1/interrupt-controller', 'phandle')[0]!;
    const plic = '/soc/plic@c000000';
    assert.deepEqual(tree.find(plic)!.property('compatible')!.strings(), ['sifive,plic-1.0.0', 'riscv,plic0']);
    assert.deepEqual(cells(tree, plic, 'reg'), [0, 0xc000000, 0, 0x600000]);
    assert.deepEqual(cells(tree, plic, 'riscv,ndev'), [0x5f]);
    assert.deepEqual(cells(tree, plic, 'interrupts-extended'), [intc0, 0xb, intc0, 0x9, intc1, 0xb, intc1, 0x9]);
    assert.deepEqual(cells(tree, plic, '#interrupt-cells'), [1]);
    assert.ok(tree.find(plic)!.property('interrupt-controller'));
    const serial = '/soc/serial@10000000';
    assert.equal(str(tree, serial, 'compatible'), 'ns16550a');
    assert.deepEqual(cells(tree, serial, 'reg'), [0, 0x10000000, 0, 0x100]);
    assert.deepEqual(cells(tree, serial, 'clock-frequency'), [0x384000]);
    assert.deepEqual(cells(tree, serial, 'interrupts'), [10]);
    assert.deepEqual(cells(tree, serial, 'interrupt-parent'), cells(tree, plic, 'phandle'));
    assert.equal(str(tree, '/chosen', 'stdout-path'), serial);
    assert.equal(str(tree, '/chosen', 'bootargs'), 'console=ttyS0 earlycon');
    assert.equal(tree.find('/soc/mswi@2000000'), undefined, 'no ACLINT unless asked');
  });

  test('a zone: other harts, two memory ranges, S-mode contexts only, sv39, reservations', () => {
    const tree = buildRiscvVirtDtb({
      harts: [2, 3],
      memory: [
        { base: 0x85000000, size: 0x4000000 },
        { base: 0x1_0000_0000n, size: 0x1000_0000n },
      ],
      mmuType: 'riscv,sv39',
      supervisorContextsOnly: true,
      reservations: [{ base: 0x85000000, size: 0x100000 }],
      plic: { ndev: 1023, size: 0x4000000 },
    });
    const parsed = parseDtb(tree.toDtb(), 'zone1.dtb');
    dtcDecode(tree.toDtb());
    assert.equal(parsed.bootCpuId, 2);
    assert.deepEqual(parsed.reservations, [{ address: 0x85000000n, size: 0x100000n }]);
    assert.equal(parsed.find('/cpus/cpu@0'), undefined);
    assert.equal(str(parsed, '/cpus/cpu@3', 'mmu-type'), 'riscv,sv39');
    assert.deepEqual(cells(parsed, '/memory@100000000', 'reg'), [1, 0, 0, 0x10000000]);
    const i2 = cells(parsed, '/cpus/cpu@2/interrupt-controller', 'phandle')[0]!;
    const i3 = cells(parsed, '/cpus/cpu@3/interrupt-controller', 'phandle')[0]!;
    assert.deepEqual(cells(parsed, '/soc/plic@c000000', 'interrupts-extended'), [i2, 9, i3, 9]);
    assert.deepEqual(cells(parsed, '/soc/plic@c000000', 'riscv,ndev'), [1023]);
    assert.deepEqual(cells(parsed, '/soc/plic@c000000', 'reg'), [0, 0xc000000, 0, 0x4000000]);
    assert.equal(str(parsed, '/chosen', 'bootargs'), undefined);
  });

  test('devices can be left out; mmu-type can be omitted; ACLINT nodes on request', () => {
    const noUart = parseDtb(buildRiscvVirtDtb({ ...base, uart: false }).toDtb(), 'a.dtb');
    assert.equal(noUart.find('/soc/serial@10000000'), undefined);
    assert.equal(str(noUart, '/chosen', 'stdout-path'), undefined);
    const noPlic = parseDtb(buildRiscvVirtDtb({ ...base, plic: false, mmuType: null }).toDtb(), 'b.dtb');
    assert.equal(noPlic.find('/soc/plic@c000000'), undefined);
    assert.equal(noPlic.find('/soc/serial@10000000')!.property('interrupts'), undefined);
    assert.equal(noPlic.find('/cpus/cpu@0')!.property('mmu-type'), undefined);
    const full = buildRiscvVirtDtb({ ...base, aclint: true, uart: { base: 0x10001000, irq: 12 } });
    dtcDecode(full.toDtb());
    const intcs = [0, 1].map((h) => cells(full, `/cpus/cpu@${h}/interrupt-controller`, 'phandle')[0]!);
    assert.deepEqual(cells(full, '/soc/mswi@2000000', 'interrupts-extended'), [intcs[0], 3, intcs[1], 3]);
    assert.deepEqual(cells(full, '/soc/sswi@2f00000', 'interrupts-extended'), [intcs[0], 1, intcs[1], 1]);
    assert.deepEqual(cells(full, '/soc/mtimer@200bff8', 'reg'), [0, 0x200bff8, 0, 8, 0, 0x2004000, 0, 0x7ff8]);
    assert.deepEqual(cells(full, '/soc/serial@10001000', 'interrupts'), [12]);
    assert.equal(str(full, '/chosen', 'stdout-path'), '/soc/serial@10001000');
  });

  test('output is deterministic', () => {
    const a = buildRiscvVirtDtb({ ...base, aclint: true }).toDtb();
    const b = buildRiscvVirtDtb({ ...base, aclint: true }).toDtb();
    assert.deepEqual(a, b);
  });
});

test('dtc decodes a QEMU-shaped blob the same way as dtc compiles its DTS', () => {
  const ours = buildRiscvVirtDtb({ harts: [0], memory: [{ base: 0x80000000, size: 0x8000000 }] }).toDtb();
  const dts = dtcDecode(ours);
  const recompiled = dtcCompile(dts);
  assert.deepEqual(parseDtb(recompiled, 'dtc.dtb').toDtb(), ours, 'same tree after a trip through dtc');
  assert.ok(readFileSync(join(dir, `s${counter - 1}.dts`), 'utf8').includes('plic@c000000'));
});
