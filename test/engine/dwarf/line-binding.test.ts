// Lines and breakpoints against gdb-multiarch, for every line of the test
// program's files. The statement rows: the first line at or after N that has
// them, at its lowest address, is where "info line FILE:N" says the line
// starts (for a line without code too: "is at address ... but contains no
// code"). The breakpoints: the engine's locations of a breakpoint on each
// line (engine/debug/line-binding.ts) are those "break FILE:N" lists in
// "info breakpoints", address and line; and over two images built from one
// file, each image's own.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { basename, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DebugInfo } from '../../../engine/dwarf/debug-info';
import { statementLines } from '../../../engine/dwarf/source-lines';
import { bindLine } from '../../../engine/debug/line-binding';
import { bindSource } from '../../../engine/debug/source-breakpoints';
import { parseElf } from '../../../engine/machine/loaders/elf';
import type { LoadedImage } from '../../../engine/machine/loaders/image';
import { requireCommands } from '../../../scripts/external-tools.mjs';
import { BUILDS, built, cleanBuilds, gdb, PREFIX } from './builds';

after(cleanBuilds);

for (const build of BUILDS) {
  describe(`line binding of ${build.name}`, () => {
    test('every line of each file with statement rows binds where gdb says', () => {
      const b = built(build);
      const lines = statementLines(DebugInfo.fromElf(b.elf));
      // shapes.h has rows only where its inline function keeps lines of its own (at -O0).
      const files = [...new Set(lines.map((l) => basename(l.file)))].sort();
      assert.deepEqual(files.filter((f) => f === 'shapes.c'), ['shapes.c']);
      for (const file of files) {
        const rows = lines.filter((l) => basename(l.file) === file);
        const last = Math.max(...rows.map((r) => r.line));
        const numbers = Array.from({ length: last }, (_, i) => i + 1);
        const ours = numbers.map((n) => {
          const at = Math.min(...rows.filter((r) => r.line >= n).map((r) => r.line));
          const address = Math.min(...rows.filter((r) => r.line === at).map((r) => r.address));
          return `${file}:${n} 0x${address.toString(16)}`;
        });
        const theirs = gdb(b, numbers.map((n) => `info line ${file}:${n}`)).map((text, i) => {
          const m = /(?:starts at|is at) address (0x[0-9a-f]+)/.exec(text);
          return `${file}:${numbers[i]} ${m ? m[1] : text}`;
        });
        assert.deepEqual(ours, theirs);
      }
    });
  });
}

/** gdb's locations of each breakpoint in `info breakpoints`, as "0xaddr:line" lists by breakpoint number. */
function gdbLocations(text: string): string[][] {
  const out: string[][] = [];
  for (const row of text.split('\n')) {
    const m = /^(\d+)(?:\.\d+)?\s.*?(0x[0-9a-f]+) in \S+ at \S+:(\d+)$/.exec(row.trim());
    if (!m) continue;
    const n = Number(m[1]);
    (out[n - 1] ??= []).push(`0x${BigInt(m[2]!).toString(16)}:${m[3]}`);
  }
  return out;
}

for (const build of BUILDS) {
  describe(`breakpoint locations of ${build.name}`, () => {
    test('every line of shapes.c and shapes.h binds where gdb-multiarch\'s break FILE:N puts its locations', () => {
      const b = built(build);
      const info = DebugInfo.fromElf(b.elf);
      const rows = statementLines(info);
      for (const name of ['shapes.c', 'shapes.h']) {
        const path = rows.find((l) => basename(l.file) === name)?.file;
        // shapes.h has rows only where its inline function keeps lines of its own.
        if (path === undefined) continue;
        const last = Math.max(...rows.filter((l) => l.file === path).map((l) => l.line));
        const numbers = Array.from({ length: last }, (_, i) => i + 1);
        const ours = numbers.map((n) => `${name}:${n} ${bindLine(info, (f) => f === path, n).map((l) => `0x${l.address.toString(16)}:${l.line}`).join(' ')}`);
        const listed = gdbLocations(gdb(b, [...numbers.map((n) => `break ${name}:${n}`), 'info breakpoints']).at(-1)!);
        const theirs = numbers.map((n, i) => `${name}:${n} ${(listed[i] ?? []).join(' ')}`);
        assert.deepEqual(ours, theirs);
      }
    });
  });
}

describe('breakpoint locations over several images', () => {
  test('two images built from the same file each bind the line in their own DWARF, where gdb puts it in each', () => {
    requireCommands('riscv64-linux-gnu-gcc');
    const dir = mkdtempSync(join(tmpdir(), 'hvisor-two-images-'));
    try {
      const source = resolve('test/guests/dwarf/frames.c');
      const images = ['0x80200000', '0x80400000'].map((text, i) => {
        const file = join(dir, `frames-${i}.elf`);
        execFileSync('riscv64-linux-gnu-gcc', ['-g', '-O2', '-nostdlib', '-static', '-ffreestanding', '-Wl,--build-id=none', '-T', resolve('test/guests/dwarf/frames.ld'), `-Wl,-Ttext=${text}`, '-o', file, source], { stdio: 'pipe' });
        const bytes = new Uint8Array(readFileSync(file));
        const elf = parseElf(bytes, file, 'riscv64');
        return { file, loaded: { lines: [], debugInfo: DebugInfo.fromElf(elf) } as unknown as LoadedImage, built: { build: BUILDS[1]!, file, bytes, elf } };
      });
      for (const line of [10, 15, 20, 25]) {
        const bound = bindSource(images.map((i) => i.loaded), (f) => f === source, line)!;
        const theirs = images.flatMap((i) => gdbLocations(gdb(i.built, [`break frames.c:${line}`, 'info breakpoints']).at(-1)!)[0] ?? []);
        assert.deepEqual(bound.addresses.map((a) => `0x${a.toString(16)}`), theirs.map((t) => t.replace(/:\d+$/, '')), `frames.c:${line}`);
        assert.equal(bound.line, Number(theirs[0]!.replace(/^.*:/, '')));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('breakpoint locations in frames.c', () => {
  test('every line of frames.c binds where gdb puts it, for gcc and clang at -O0 and -O2 on both arches', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hvisor-frames-lines-'));
    try {
      const source = resolve('test/guests/dwarf/frames.c');
      for (const arch of ['riscv64', 'aarch64'] as const) {
        for (const [compiler, optimization] of [['gcc', '-O0'], ['gcc', '-O2'], ['clang', '-O0'], ['clang', '-O2']] as const) {
          const [command, ...driver] = compiler === 'gcc' ? [`${PREFIX[arch]}-gcc`] : ['clang', `--target=${PREFIX[arch]}`, '-fuse-ld=lld'];
          requireCommands(command!, ...(compiler === 'clang' ? ['ld.lld'] : []));
          const file = join(dir, `${arch}-${compiler}${optimization}.elf`);
          execFileSync(command!, [...driver, '-g', optimization, '-nostdlib', '-static', '-ffreestanding', '-Wl,--build-id=none', '-T', resolve('test/guests/dwarf/frames.ld'), '-o', file, source], { stdio: 'pipe' });
          const bytes = new Uint8Array(readFileSync(file));
          const elf = parseElf(bytes, file, arch);
          const info = DebugInfo.fromElf(elf);
          const numbers = Array.from({ length: 26 }, (_, i) => i + 1);
          const ours = numbers.map((n) => `frames.c:${n} ${bindLine(info, (f) => f === source, n).map((l) => `0x${l.address.toString(16)}:${l.line}`).join(' ')}`);
          const b = { build: { name: file, arch, compiler, flags: [optimization] }, file, bytes, elf };
          const listed = gdbLocations(gdb(b, [...numbers.map((n) => `break frames.c:${n}`), 'info breakpoints']).at(-1)!);
          assert.deepEqual(ours, numbers.map((n, i) => `frames.c:${n} ${(listed[i] ?? []).join(' ')}`), `${arch} ${compiler} ${optimization}`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
