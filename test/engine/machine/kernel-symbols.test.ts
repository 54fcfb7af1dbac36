// A raw kernel Image's symbols: System.map lines (and a bad one, reported
// once), Debian's own System.map against the kernel's addresses, and the
// symbol file found beside an Image.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSystemMap } from '../../../engine/machine/loaders/system-map';
import { loadKernelSymbols, symbolFileBeside } from '../../../engine/machine/loaders/kernel-symbols';
import { isLinuxImage } from '../../../engine/machine/loaders/linux-image';
import { SymbolTable } from '../../../engine/machine/loaders/symbol-table';
import { ImageError } from '../../../engine/machine/loaders/image-error';
import { debianBinary, LINUX } from '../../debian-binaries';

const MAP = `ffffffff80000000 T _start
ffffffff80000040 t pe_head_start
ffffffff80001000 T panic
ffffffff80001000 W panic_alias
ffffffff80001080 t helper
ffffffff80002000 D jiffies
ffffffff80002008 b counter
0000000000fb9400 A __pecoff_data_raw_size
                 U undefined_one
ffffffff80003000 T _end
`;

test('System.map lines become typed, bound symbols, each reaching the next', () => {
  const map = parseSystemMap(MAP, 'System.map');
  assert.equal(map.problem, undefined);
  const byName = new Map(map.symbols.map((s) => [s.name, s]));
  assert.deepEqual(byName.get('panic'), { name: 'panic', value: 0xffffffff80001000n, size: 0, type: 'func', binding: 'global', sectionIndex: 1 });
  assert.equal(byName.get('pe_head_start')!.binding, 'local');
  assert.equal(byName.get('panic_alias')!.binding, 'weak');
  assert.equal(byName.get('jiffies')!.type, 'object');
  assert.equal(byName.get('counter')!.binding, 'local');
  assert.equal(byName.get('__pecoff_data_raw_size')!.type, 'notype');
  assert.equal(byName.has('undefined_one'), false);
  const table = new SymbolTable(map.symbols);
  assert.equal(table.symbolize(0xffffffff80001000n), 'panic');
  assert.equal(table.symbolize(0xffffffff8000107en), 'panic+0x7e');
  assert.equal(table.symbolize(0xffffffff80001fffn), 'helper+0xf7f');
  assert.equal(table.symbolize(0xffffffff80002004n), 'jiffies+0x4');
  assert.equal(table.find('panic')!.value, 0xffffffff80001000n);
});

test('bad System.map lines are reported once, the first by file:line, the rest counted', () => {
  const text = MAP.replace('ffffffff80001080 t helper\n', 'ffffffff80001080 t helper\nnot a symbol line\nffffffff8000zzzz T broken\n');
  const map = parseSystemMap(text, 'build/System.map');
  assert.equal(map.problem, 'build/System.map:6: not a System.map line (ADDRESS TYPE NAME): "not a symbol line" (and 1 more bad line)');
  // The good lines around them still count.
  assert.equal(new SymbolTable(map.symbols).symbolize(0xffffffff80001084n), 'helper+0x4');
  const kernel = loadKernelSymbols({ path: 'build/System.map', bytes: new TextEncoder().encode(text) }, 'riscv64');
  assert.equal(kernel.problem, map.problem);
  assert.throws(() => loadKernelSymbols({ path: 'notes.txt', bytes: new TextEncoder().encode('hello\nworld\n') }, 'riscv64'), (e: unknown) => e instanceof ImageError && /notes\.txt: no symbols: neither an ELF nor a System\.map \(notes\.txt:1: .* \(and 1 more bad line\)\)/.test(e.message));
});

for (const arch of ['riscv64', 'aarch64'] as const) {
  test(`Debian's ${arch} System.map symbolizes kernel virtual addresses, and is found beside its Image`, () => {
    const dir = LINUX[arch];
    const image = readFileSync(debianBinary(join(dir, 'Image')));
    assert.equal(isLinuxImage(image, arch), true);
    assert.equal(isLinuxImage(image, arch === 'riscv64' ? 'aarch64' : 'riscv64'), false);
    const found = symbolFileBeside(join(dir, 'Image'), image, arch, (p) => readFileSync(p));
    assert.equal(found?.path, join(dir, 'System.map'));
    const kernel = loadKernelSymbols(found!, arch);
    assert.equal(kernel.problem, undefined);
    // nm's own line for panic, read from the file, is what the table answers.
    const line = readFileSync(join(dir, 'System.map'), 'utf8').split('\n').find((l) => / T panic$/.test(l))!;
    const panic = BigInt(`0x${line.split(' ')[0]}`);
    assert.equal(panic >> 32n, arch === 'riscv64' ? 0xffffffffn : 0xffff8000n);
    assert.equal(kernel.symbols.symbolize(panic), 'panic');
    assert.equal(kernel.symbols.symbolize(panic + 4n), 'panic+0x4');
    assert.equal(kernel.symbols.find('start_kernel')!.type, 'func');
    // Not an Image: nothing is looked for.
    assert.equal(symbolFileBeside(join(dir, 'initrd.cpio'), readFileSync(join(dir, 'initrd.cpio')), arch, (p) => readFileSync(p)), undefined);
  });
}

test("Debian's riscv64 vmlinux names the same functions as its System.map, with call frame information for them", () => {
  const dir = LINUX.riscv64;
  const vmlinux = loadKernelSymbols({ path: 'vmlinux', bytes: readFileSync(debianBinary(join(dir, 'vmlinux'))) }, 'riscv64');
  const map = loadKernelSymbols({ path: 'System.map', bytes: readFileSync(join(dir, 'System.map')) }, 'riscv64');
  for (const name of ['panic', 'mount_root_generic', 'kernel_init', 'start_kernel']) {
    const s = vmlinux.symbols.find(name)!;
    assert.equal(s.value, map.symbols.find(name)!.value, name);
    assert.equal(vmlinux.symbols.symbolize(s.value + 2n), `${name}+0x2`);
    // The CFI starts after the 8 bytes of ftrace NOPs gcc puts at the symbol; entries unwind by the frame pointers.
    assert.equal(vmlinux.debugInfo!.frameRowAt(s.value), undefined);
    assert.ok(vmlinux.debugInfo!.frameRowAt(s.value + 8n), `${name}: no CFI row`);
  }
  assert.throws(() => loadKernelSymbols({ path: 'vmlinux', bytes: readFileSync(join(dir, 'vmlinux')) }, 'aarch64'), /wrong architecture/);
});
