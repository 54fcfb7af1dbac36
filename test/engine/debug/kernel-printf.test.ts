// A kernel printf format filled from 64-bit argument slots, against the host
// C library's snprintf on the conversions the two share; the kernel's %p
// extensions that name a symbol, against the names themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelPrintf } from '../../../engine/debug/kernel-printf';
import { requireCommands } from '../../../scripts/external-tools.mjs';

type Arg = { readonly c: string; readonly value: bigint } | { readonly s: string };

const int = (v: number | bigint): Arg => ({ c: 'int', value: BigInt(v) });
const long = (v: bigint): Arg => ({ c: 'long', value: v });
const str = (s: string): Arg => ({ s });

const CASES: readonly [string, readonly Arg[]][] = [
  ['VFS: Unable to mount root fs on %s', [str('unknown-block(0,0)')]],
  ['%d|%i|%u|%x|%X|%o|%c|%%', [int(-42), int(7), int(-1), int(0xbeef), int(0xbeef), int(8), int(65)]],
  ['[%5d][%-5d][%05d][%+d][% d][%.3d][%8.3x][%#x][%#o][%#X]', [int(42), int(42), int(-42), int(3), int(3), int(7), int(255), int(255), int(8), int(0xab)]],
  ['%ld %lu %lx %llx %zu %zd', [long(-5000000000n), long(0xffffffffffffffffn), long(0xffff800008cb8fe8n), long(1n << 40n), long(12345n), long(-1n)]],
  ['%hhd %hhu %hd %hx', [int(0x1ff), int(-1), int(0x18000), int(-1)]],
  ['[%*d][%-*d][%.*s][%10s][%-10s|]', [int(6), int(12), int(4), int(12), int(3), str('abcdef'), str('right'), str('left')]],
  ['Attempted to kill init! exitcode=0x%08x', [int(0x100)]],
  ['%s %s %s %s %s %s %s %s %d', [str('a'), str('b'), str('c'), str('d'), str('e'), str('f'), str('g'), str('h'), int(9)]],
];

function hostSnprintf(): string[] {
  requireCommands('gcc');
  const dir = mkdtempSync(join(tmpdir(), 'kernel-printf-'));
  try {
    const calls = CASES.map(([format, args]) => {
      const list = args.map((a) => ('s' in a ? JSON.stringify(a.s) : `(${a.c})${a.value}${a.c === 'long' ? 'L' : ''}`));
      return `  snprintf(b, sizeof b, ${JSON.stringify(format)}${list.map((x) => `, ${x}`).join('')}); puts(b);`;
    });
    writeFileSync(join(dir, 'p.c'), `#include <stdio.h>\nint main(void) {\n  char b[512];\n${calls.join('\n')}\n  return 0;\n}\n`);
    const cc = spawnSync('gcc', ['-w', '-o', join(dir, 'p'), join(dir, 'p.c')], { encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    const run = spawnSync(join(dir, 'p'), { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    return run.stdout.split('\n').slice(0, CASES.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("kernel printf prints as the host C library's snprintf", () => {
  const expected = hostSnprintf();
  CASES.forEach(([format, args], i) => {
    // Strings live at made-up addresses; the slots hold those addresses.
    const strings = new Map<bigint, string>();
    const slots = args.map((a, j) => {
      if (!('s' in a)) return a.value;
      const at = 0x1000n * BigInt(j + 1);
      strings.set(at, a.s);
      return at;
    });
    const got = kernelPrintf(format, { slot: (k) => slots[k], string: (a) => strings.get(a), symbol: () => undefined });
    assert.equal(got, expected[i], format);
  });
});

test('%pS names the symbol, another %p extension prints the pointer, and a missing argument shows as ?', () => {
  const args = { slot: (k: number) => [0xffffffff80a660fan, 0xffffffff80001000n][k], string: () => undefined, symbol: (a: bigint) => (a === 0xffffffff80a660fan ? 'panic' : undefined) };
  assert.equal(kernelPrintf('at %pS from %pK: %d', args), 'at panic from 0xffffffff80001000: ?');
  assert.equal(kernelPrintf('%s', { slot: () => 0n, string: () => undefined, symbol: () => undefined }), '(null)');
});
