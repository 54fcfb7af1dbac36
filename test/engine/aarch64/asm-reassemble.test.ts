// Compiled code survives disassembly and assembly: gcc -O2 output for
// kernel-style C (the .text of an object, relocations unapplied) is printed
// by the disassembler and assembled again, and every word must come back.
// Words outside the table print as `.inst`, which assembles to itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleAarch64 } from '../../../engine/isa/aarch64/asm';
import { decode } from '../../../engine/isa/aarch64/decode';
import { disassembleOne } from '../../../engine/isa/aarch64/disasm';
import { words } from './asm-oracle';
import { requireCommands } from '../../../scripts/external-tools.mjs';

const GCC = 'aarch64-linux-gnu-gcc';
const OBJCOPY = 'aarch64-linux-gnu-objcopy';
requireCommands(GCC, OBJCOPY);

const C = `
#include <stdint.h>
struct percpu { uint64_t id; uint64_t boot; struct percpu *next; uint32_t flags; uint8_t lock; };
extern void spin(volatile int *l);
static inline uint64_t mpidr(void) { uint64_t v; __asm__ volatile("mrs %0, mpidr_el1" : "=r"(v)); return v; }
uint64_t sum(const uint64_t *a, int n) { uint64_t s = 0; for (int i = 0; i < n; i++) s += a[i] * (i | 3); return s; }
int find(struct percpu *p, uint64_t id) { for (int k = 0; p; p = p->next, k++) if (p->id == id && (p->flags & 0x40)) return k; return -1; }
uint32_t mix(uint32_t x, uint32_t y) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return (x * 2654435761u) + (y >> 3) - (int8_t)y; }
int64_t divs(int64_t a, int64_t b, uint64_t c) { return a / (b | 1) + (int64_t)(c % 7) + (a < 0 ? -a : a); }
void boot(struct percpu *p, volatile int *l) { p->id = mpidr() & 0xff00ffffffull; p->boot = 1; __asm__ volatile("dsb ish; isb; tlbi vmalle1is; dc civac, %0; msr daifclr, #2" :: "r"(p)); spin(l); p->lock = 1; }
uint64_t bits(uint64_t x) { return ((x >> 12) & 0xfffff) | ((x & 0xff) << 40) | __builtin_clzll(x | 1) | __builtin_ctzll(x | 0x100); }
int cond(int a, int b) { return (a > b) + (a == 3 ? 7 : -2) + (b != 0 ? a : b) + (a <= 0); }
uint64_t table[64];
void fill(uint64_t v) { for (int i = 0; i < 64; i++) table[i] = v + i * 0x1000; }
`;

function compiled(): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'a64-reasm-'));
  try {
    writeFileSync(join(dir, 'k.c'), C);
    const cc = spawnSync(GCC, ['-O2', '-ffreestanding', '-fno-stack-protector', '-c', '-o', join(dir, 'k.o'), join(dir, 'k.c')], { encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    const cp = spawnSync(OBJCOPY, ['-O', 'binary', '--only-section=.text', join(dir, 'k.o'), join(dir, 'k.bin')], { encoding: 'utf8' });
    assert.equal(cp.status, 0, cp.stderr);
    return words(readFileSync(join(dir, 'k.bin')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('gcc -O2 code disassembles and assembles back to the same words', () => {
  const BASE = 0x40080000;
  const code = compiled();
  assert.ok(code.length > 100, `${code.length} words`);
  const lines = code.map((w, i) => {
    const pc = BASE + 4 * i;
    const d = disassembleOne(w, pc);
    if (d.mnemonic === '.inst') return `.inst ${d.operands}`;
    // Targets print as absolute addresses; as `.+offset` they need no symbols.
    if (!/\{(target|page)/.test(decode(w)!.row.syntax)) return d.text;
    return d.text.replace(/0x([0-9a-f]+)(?=\s*(\/\/.*)?$)/, (hex) => {
      const offset = BigInt(hex) - BigInt(pc);
      return offset < 0n ? `.-${-offset}` : `.+${offset}`;
    });
  });
  const result = assembleAarch64(`${lines.join('\n')}\n`, { fileName: 'gcc.S', base: BASE });
  assert.equal(result.errors.length, 0, result.errors.slice(0, 20).map((e) => `${lines[e.line - 1]}: ${e.message}`).join('\n'));
  const back = words(result.program!.sections[0]!.bytes);
  const bad = code.flatMap((w, i) => (back[i] === w ? [] : [`${lines[i]}: ${w.toString(16)} -> ${back[i]?.toString(16)}`]));
  assert.deepEqual(bad, []);
});
