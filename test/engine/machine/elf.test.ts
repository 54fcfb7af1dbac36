// Parses and loads executables built here with the cross compilers and
// checks them against binutils' readelf; then breaks them field by field.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadElf, parseElf, PT_LOAD, type ElfArch } from '../../../engine/machine/loaders/elf';
import { ImageError } from '../../../engine/machine/loaders/image-error';
import { loadRaw } from '../../../engine/machine/loaders/raw';
import { SymbolTable } from '../../../engine/machine/loaders/symbol-table';
import { PhysicalMemory, Ram } from '../../../engine/machine/memory';
import { requireCommands } from '../../../scripts/external-tools.mjs';

const SOURCE = `
int counter = 5;
char buffer[4096];
const char message[] = "hello";
static int __attribute__((noinline)) twice(int x) { return x * 2; }
int helper(int x) { return twice(x) * 3 + counter; }
void _start(void) { for (int i = 0; i < 4096; i++) buffer[i] = (char)helper(message[i % 6]); for (;;) {} }
`;

const TOOLS: Record<ElfArch, string> = { riscv64: 'riscv64-linux-gnu', aarch64: 'aarch64-linux-gnu' };


requireCommands(...Object.values(TOOLS).flatMap((prefix) => [`${prefix}-gcc`, `${prefix}-readelf`]));

interface ReadelfView {
  entry: bigint;
  loads: { offset: number; vaddr: bigint; paddr: bigint; filesz: number; memsz: number; flags: string }[];
  symbols: { value: bigint; size: number; type: string; bind: string; ndx: string; name: string }[];
  sections: { index: number; name: string; addr: bigint; offset: number; size: number }[];
}

function readelf(arch: ElfArch, file: string): ReadelfView {
  const text = execFileSync(`${TOOLS[arch]}-readelf`, ['-h', '-l', '-s', '-S', '-W', file], { encoding: 'utf8' });
  const entry = BigInt(/Entry point address:\s+(0x[0-9a-f]+)/.exec(text)![1]!);
  const loads = [...text.matchAll(/^\s+LOAD\s+(0x\S+)\s+(0x\S+)\s+(0x\S+)\s+(0x\S+)\s+(0x\S+)\s+([RWE ]+?)\s+0x/gm)].map((m) => ({
    offset: Number(m[1]),
    vaddr: BigInt(m[2]!),
    paddr: BigInt(m[3]!),
    filesz: Number(m[4]),
    memsz: Number(m[5]),
    flags: m[6]!.replace(/ /g, ''),
  }));
  const symbols = [...text.matchAll(/^\s+(\d+): ([0-9a-f]+)\s+(\d+) (\w+)\s+(\w+)\s+\w+\s+(\w+) ?(.*)$/gm)]
    .filter((m) => m[1] !== '0' && ['FUNC', 'OBJECT', 'NOTYPE'].includes(m[4]!))
    .map((m) => ({ value: BigInt(`0x${m[2]}`), size: Number(m[3]), type: m[4]!, bind: m[5]!, ndx: m[6]!, name: m[7]! }));
  const sections = [...text.matchAll(/^\s+\[\s*(\d+)\] (\S+)\s+\S+\s+([0-9a-f]{16}) ([0-9a-f]+) ([0-9a-f]+)/gm)].map((m) => ({
    index: Number(m[1]),
    name: m[2]!,
    addr: BigInt(`0x${m[3]}`),
    offset: Number(`0x${m[4]}`),
    size: Number(`0x${m[5]}`),
  }));
  return { entry, loads, symbols, sections };
}

const flagString = (f: number): string => `${f & 4 ? 'R' : ''}${f & 2 ? 'W' : ''}${f & 1 ? 'E' : ''}`;

const built: Partial<Record<ElfArch, { file: string; bytes: Uint8Array; view: ReadelfView }>> = {};

let dir = '';
after(() => rmSync(dir, { recursive: true, force: true }));

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvisor-elf-'));
  writeFileSync(join(dir, 't.c'), SOURCE);
  for (const arch of Object.keys(TOOLS) as ElfArch[]) {
    const gcc = `${TOOLS[arch]}-gcc`;
    const file = join(dir, `${arch}.elf`);
    execFileSync(gcc, ['-nostdlib', '-static', '-O1', '-o', file, join(dir, 't.c')]);
    built[arch] = { file, bytes: new Uint8Array(readFileSync(file)), view: readelf(arch, file) };
  }
});

function get(arch: ElfArch) {
  const b = built[arch];
  assert.ok(b, `${TOOLS[arch]}-gcc is needed for this test`);
  return b;
}

function memoryFor(base: number, size: number): PhysicalMemory {
  return new PhysicalMemory(new Ram(base, size));
}

for (const arch of Object.keys(TOOLS) as ElfArch[]) {
  describe(`${arch} executable against readelf`, () => {
    test('entry and PT_LOAD segments', () => {
      const { bytes, view } = get(arch);
      const image = parseElf(bytes, 'guest.elf', arch);
      assert.equal(image.entry, view.entry);
      assert.deepEqual(
        image.segments.map((s) => ({ offset: s.offset, vaddr: s.vaddr, paddr: s.paddr, filesz: s.filesz, memsz: s.memsz, flags: flagString(s.flags) })),
        view.loads,
      );
      for (const s of image.segments) assert.deepEqual(s.data, bytes.subarray(s.offset, s.offset + s.filesz));
      assert.ok(view.loads.length >= 2);
    });

    test('symbols', () => {
      const { bytes, view } = get(arch);
      const image = parseElf(bytes, 'guest.elf', arch);
      const ndx = (n: number): string => (n === 0 ? 'UND' : n === 0xfff1 ? 'ABS' : String(n));
      assert.deepEqual(
        image.symbols.map((s) => ({ value: s.value, size: s.size, type: s.type.toUpperCase(), bind: s.binding.toUpperCase(), ndx: ndx(s.sectionIndex), name: s.name })),
        view.symbols,
      );
      for (const name of ['helper', 'twice', '_start', 'message', 'counter', 'buffer']) assert.ok(image.findSymbol(name), name);
    });

    test('section headers', () => {
      const { bytes, view } = get(arch);
      const image = parseElf(bytes, 'guest.elf', arch);
      assert.equal(image.sections.length, view.sections.length + 1, "readelf rows plus the null section");
      assert.deepEqual(
        image.sections.filter((s) => s.index > 0).map((s) => ({ index: s.index, name: s.name, addr: s.addr, offset: s.offset, size: s.size })),
        view.sections.filter((s) => s.index > 0),
      );
      const text = image.sections.find((s) => s.name === '.text')!;
      assert.equal(text.allocated, true);
      assert.equal(text.flags & 0x4, 0x4, 'SHF_EXECINSTR');
    });

    test('load places file bytes and zero-fills to memsz', () => {
      const { bytes, view } = get(arch);
      const image = parseElf(bytes, 'guest.elf', arch);
      const lo = Number(view.loads[0]!.paddr) & ~0xfff;
      const last = view.loads[view.loads.length - 1]!;
      const hi = (Number(last.paddr) + last.memsz + 0xfff) & ~0xfff;
      const memory = memoryFor(lo, hi - lo);
      memory.ram.u8.fill(0xaa);
      const bssPage = (Number(last.paddr) + last.filesz - lo) >>> 12;
      memory.ram.codePages[bssPage] = 1;
      const invalidated: number[] = [];
      memory.onCodeWrite((page) => invalidated.push(page));
      loadElf(image, memory);
      for (const s of view.loads) {
        const at = Number(s.paddr) - lo;
        assert.deepEqual(memory.ram.u8.subarray(at, at + s.filesz), bytes.subarray(s.offset, s.offset + s.filesz));
        assert.ok(memory.ram.u8.subarray(at + s.filesz, at + s.memsz).every((b) => b === 0), 'bss is zeroed');
      }
      assert.ok(last.memsz - last.filesz >= 4096, 'the data segment has a bss tail');
      assert.equal(memory.ram.u8[Number(last.paddr) + last.memsz - lo], 0xaa, 'nothing written past memsz');
      assert.deepEqual(invalidated, [bssPage], 'stores over translated code are reported');
    });

    test('symbolize', () => {
      const image = parseElf(get(arch).bytes, 'guest.elf', arch);
      const sym = (n: string): bigint => image.findSymbol(n)!.value;
      assert.equal(image.symbolize(sym('helper')), 'helper');
      assert.equal(image.symbolize(sym('helper') + 4n), 'helper+0x4');
      assert.equal(image.symbolize(sym('twice')), 'twice');
      assert.equal(image.symbolize(Number(sym('buffer') + 100n)), 'buffer+0x64');
      assert.equal(image.symbolize(sym('message') + 6n), undefined, 'past a sized symbol');
      assert.equal(image.symbolize(0x10n), undefined);
      assert.deepEqual(image.lookup(sym('_start') + 2n), { name: '_start', value: sym('_start'), offset: 2n });
    });

    test('the loaded symbol table finds symbols by name, with the address and size readelf lists', () => {
      const { bytes, view } = get(arch);
      const image = parseElf(bytes, 'guest.elf', arch);
      const table = new SymbolTable(image.symbols, image.sections.map((s) => ({ addr: s.addr, size: s.size, allocated: s.allocated })));
      for (const name of ['helper', 'twice', '_start', 'message', 'counter', 'buffer']) {
        const listed = view.symbols.find((s) => s.name === name)!;
        const found = table.find(name);
        assert.deepEqual(found && { value: found.value, size: found.size }, { value: listed.value, size: listed.size }, name);
      }
      assert.equal(table.find('no_such_symbol'), undefined);
      assert.equal(table.find(''), undefined);
    });
  });
}

describe('bad ELF input', () => {
  const NAME = 'broken.elf';
  const mutate = (edit: (v: DataView, b: Uint8Array) => void): Uint8Array => {
    const b = get('riscv64').bytes.slice();
    edit(new DataView(b.buffer), b);
    return b;
  };
  const rejects = (bytes: Uint8Array, message: string | RegExp, arch: ElfArch = 'riscv64'): void => {
    assert.throws(
      () => parseElf(bytes, NAME, arch),
      (e: unknown) => {
        assert.ok(e instanceof ImageError, String(e));
        assert.equal(e.fileName, NAME);
        if (typeof message === 'string') assert.equal(e.message, `${NAME}: ${message}`);
        else assert.match(e.message, message);
        return true;
      },
    );
  };
  const loadHeaders = (): number[] => {
    const b = get('riscv64').bytes;
    const v = new DataView(b.buffer, b.byteOffset);
    const phoff = Number(v.getBigUint64(32, true));
    const out: number[] = [];
    for (let i = 0; i < v.getUint16(56, true); i++) if (v.getUint32(phoff + 56 * i, true) === PT_LOAD) out.push(phoff + 56 * i);
    return out;
  };
  const phIndex = (h: number): number => (h - 64) / 56;

  test('truncated header', () => rejects(get('riscv64').bytes.slice(0, 20), 'truncated ELF header (20 bytes, need 64)'));
  test('bad magic', () => rejects(mutate((_, b) => (b[1] = 0x46)), 'bad ELF magic (e_ident[0..3] is 7f 46 4c 46, expected 7f 45 4c 46)'));
  test('not ELFCLASS64', () => rejects(mutate((_, b) => (b[4] = 1)), 'not a 64-bit ELF file (EI_CLASS is 1, expected 2 = ELFCLASS64)'));
  test('not little-endian', () => rejects(mutate((_, b) => (b[5] = 2)), 'not little-endian (EI_DATA is 2, expected 1 = ELFDATA2LSB)'));
  test('bad EI_VERSION', () => rejects(mutate((_, b) => (b[6] = 0)), 'unknown ELF version (EI_VERSION is 0, expected 1)'));
  test('not ET_EXEC', () => rejects(mutate((v) => v.setUint16(16, 3, true)), 'not an executable (e_type is 3 = ET_DYN, expected 2 = ET_EXEC)'));
  test('wrong machine', () => {
    rejects(get('riscv64').bytes, 'wrong architecture (e_machine is 243 = EM_RISCV, expected 183 = EM_AARCH64 for aarch64)', 'aarch64');
    rejects(mutate((v) => v.setUint16(18, 62, true)), 'wrong architecture (e_machine is 62 = EM_X86_64, expected 243 = EM_RISCV for riscv64)');
  });
  test('wrong e_phentsize', () => rejects(mutate((v) => v.setUint16(54, 32, true)), 'e_phentsize is 32, expected 56'));
  test('truncated program headers', () => {
    const len = get('riscv64').bytes.length;
    rejects(
      mutate((v) => v.setBigUint64(32, BigInt(len - 100), true)),
      new RegExp(`^${NAME}: truncated program headers: \\d+ entries at 0x${(len - 100).toString(16)} \\(0x[0-9a-f]+-0x[0-9a-f]+\\) runs past the end of the file \\(0x${len.toString(16)} bytes\\)$`),
    );
  });
  test('truncated section headers', () => {
    const b = get('riscv64').bytes;
    const v = new DataView(b.buffer, b.byteOffset);
    const shoff = Number(v.getBigUint64(40, true));
    const count = v.getUint16(60, true);
    const cut = shoff + 64 * count - 1;
    rejects(
      b.slice(0, cut),
      `truncated section headers: ${count} entries at 0x${shoff.toString(16)} (0x${shoff.toString(16)}-0x${(shoff + 64 * count).toString(16)}) runs past the end of the file (0x${cut.toString(16)} bytes)`,
    );
  });
  test('bad e_shstrndx', () => rejects(mutate((v) => v.setUint16(62, 200, true)), /: e_shstrndx 200 is not a section \(there are \d+\)$/));
  test('segment file range beyond the file', () => {
    const h = loadHeaders()[1]!;
    const len = get('riscv64').bytes.length;
    const filesz = Number(new DataView(get('riscv64').bytes.buffer).getBigUint64(h + 32, true));
    rejects(
      mutate((v) => v.setBigUint64(h + 8, BigInt(len - 2), true)),
      `segment ${phIndex(h)} file range (0x${(len - 2).toString(16)}-0x${(len - 2 + filesz).toString(16)}) runs past the end of the file (0x${len.toString(16)} bytes)`,
    );
  });
  test('filesz > memsz', () => {
    const h = loadHeaders()[0]!;
    const memsz = Number(new DataView(get('riscv64').bytes.buffer).getBigUint64(h + 40, true));
    rejects(
      mutate((v) => v.setBigUint64(h + 32, BigInt(memsz + 1), true)),
      `segment ${phIndex(h)}: p_filesz 0x${(memsz + 1).toString(16)} exceeds p_memsz 0x${memsz.toString(16)}`,
    );
  });
  test('overlapping PT_LOAD segments', () => {
    const [h0, h1] = loadHeaders() as [number, number];
    const v0 = new DataView(get('riscv64').bytes.buffer);
    const p0 = v0.getBigUint64(h0 + 24, true);
    const m0 = v0.getBigUint64(h0 + 40, true);
    const m1 = v0.getBigUint64(h1 + 40, true);
    rejects(
      mutate((v) => v.setBigUint64(h1 + 24, p0 + 0x10n, true)),
      `segments ${phIndex(h0)} and ${phIndex(h1)} overlap in physical memory (0x${p0.toString(16)}-0x${(p0 + m0).toString(16)} and 0x${(p0 + 0x10n).toString(16)}-0x${(p0 + 0x10n + m1).toString(16)})`,
    );
  });
  test('huge size field', () => {
    const h = loadHeaders()[0]!;
    rejects(mutate((v) => v.setBigUint64(h + 40, 1n << 60n, true)), `segment ${phIndex(h)} p_memsz 0x1000000000000000 is too large`);
  });
  test('segment outside RAM: checked before anything is written', () => {
    const { bytes, view } = get('riscv64');
    const image = parseElf(bytes, NAME, 'riscv64');
    const first = view.loads[0]!;
    const last = view.loads[view.loads.length - 1]!;
    const base = Number(first.paddr) & ~0xfff;
    const memory = memoryFor(base, 0x1000);
    const idx = phIndex(loadHeaders()[1]!);
    assert.throws(
      () => loadElf(image, memory),
      new ImageError(NAME, `segment ${idx} (0x${last.paddr.toString(16)}-0x${(last.paddr + BigInt(last.memsz)).toString(16)}) does not fit in RAM (0x${base.toString(16)}-0x${(base + 0x1000).toString(16)})`),
    );
    assert.ok(memory.ram.u8.every((b) => b === 0), 'no partial load');
  });
});

test('raw loader: placement and range check', () => {
  const memory = memoryFor(0x80000000, 0x2000);
  loadRaw(new Uint8Array([1, 2, 3]), 0x80001ffd, memory, 'blob.bin');
  assert.deepEqual([...memory.ram.u8.subarray(0x1ffd)], [1, 2, 3]);
  loadRaw(new Uint8Array(0), 0x80002000n, memory, 'empty.bin');
  assert.throws(() => loadRaw(new Uint8Array(4), 0x80001ffe, memory, 'blob.bin'), {
    name: 'ImageError',
    message: 'blob.bin: raw image (0x80001ffe-0x80002002) does not fit in RAM (0x80000000-0x80002000)',
  });
  assert.throws(() => loadRaw(new Uint8Array(4), 0x7ffffffc, memory, 'low.bin'), /low\.bin: raw image \(0x7ffffffc-0x80000000\) does not fit/);
});

test('symbol table: size-0 symbols reach the next symbol or their section end; preference on shared addresses', () => {
  const sym = (name: string, value: number, size: number, type: 'func' | 'object' | 'notype' = 'func', binding: 'local' | 'global' | 'weak' = 'global', sectionIndex = 1) => ({
    name,
    value: BigInt(value),
    size,
    type,
    binding,
    sectionIndex,
  });
  const table = new SymbolTable(
    [
      sym('entry', 0x1000, 0),
      sym('alias_weak', 0x1000, 0, 'func', 'weak'),
      sym('label', 0x1004, 0, 'notype'),
      sym('next', 0x1010, 0, 'func', 'local'),
      sym('data', 0x2000, 8, 'object', 'global', 2),
      sym('undef', 0x3000, 0, 'func', 'global', 0),
    ],
    [
      { addr: 0n, size: 0, allocated: false },
      { addr: 0x1000n, size: 0x20, allocated: true },
      { addr: 0x2000n, size: 0x100, allocated: true },
    ],
  );
  assert.equal(table.symbolize(0x1000), 'entry');
  assert.equal(table.symbolize(0x1008), 'entry+0x8', 'notype labels do not split functions');
  assert.equal(table.symbolize(0x100f), 'entry+0xf');
  assert.equal(table.symbolize(0x101f), 'next+0xf');
  assert.equal(table.symbolize(0x1020), undefined, 'section end');
  assert.equal(table.symbolize(0x2007), 'data+0x7');
  assert.equal(table.symbolize(0x2008), undefined);
  assert.equal(table.symbolize(0x3000), undefined, 'undefined symbols are not addresses');
  assert.equal(new SymbolTable([]).symbolize(0), undefined);
  // By name: the global of two same-named symbols; never an undefined or mapping symbol.
  const named = new SymbolTable([sym('dup', 0x1000, 0, 'func', 'local'), sym('dup', 0x1010, 4), sym('$x', 0x1000, 0, 'notype', 'local'), sym('ext', 0, 0, 'func', 'global', 0)]);
  assert.equal(named.find('dup')?.value, 0x1010n);
  assert.equal(named.find('$x'), undefined);
  assert.equal(named.find('ext'), undefined);
  assert.equal(table.find('data')?.size, 8);
});
