// Call stacks unwound by the engine's CFI reader against gdb-multiarch's
// backtrace of the same program stopped at the same place: the test program
// runs under qemu-user with its gdbstub, gdb stops it (in the recursion at
// riscv64 gcc -O0 and aarch64 clang -O0, in fold at -O2) and records bt, the
// registers and the stack; our unwinder starts from those registers and that
// memory and must give the same frames: pc, function, file and line.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { basename } from 'node:path';
import { DebugInfo } from '../../../engine/dwarf/debug-info';
import { functionAt, locate, localsAt } from '../../../engine/dwarf/scopes';
import { resolved, sizeOf } from '../../../engine/dwarf/types';
import { unwind } from '../../../engine/dwarf/unwind';
import type { ElfArch } from '../../../engine/machine/loaders/elf';
import { requireCommands } from '../../../scripts/external-tools.mjs';
import { BUILDS, built, cleanBuilds, type Built } from './builds';
import { freePort } from '../../oracle/free-port';

after(cleanBuilds);

const RISCV_GDB_NAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 'fp', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];

/** gdb's register name → DWARF register number. */
function dwarfRegister(arch: ElfArch, name: string): number | undefined {
  if (arch === 'riscv64') {
    const i = RISCV_GDB_NAMES.indexOf(name);
    return i >= 0 ? i : undefined;
  }
  if (name === 'sp') return 31;
  const m = /^x(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

interface Stop {
  bt: string[];
  /** Each frame's arguments as gdb's backtrace prints them ("n=1", "seed=<optimized out>, ..."). */
  args: string[];
  pc: bigint;
  registers: Map<number, bigint>;
  memory: Map<bigint, bigint>;
}


/** Runs the build under qemu-user's gdbstub, stops it where `breakAt` says, and records what gdb sees. */
async function stopUnderGdb(b: Built, breakAt: string): Promise<Stop> {
  const qemu = `qemu-${b.build.arch}`;
  requireCommands(qemu, 'gdb-multiarch');
  const p = await freePort();
  const child = spawn(qemu, ['-g', String(p), b.file], { stdio: 'ignore' });
  try {
    let out = '';
    for (let attempt = 0; attempt < 20; attempt++) {
      out = execFileSync(
        'gdb-multiarch',
        ['-nx', '-batch', '-ex', `target remote 127.0.0.1:${p}`, '-ex', `break ${breakAt}`, '-ex', 'continue', '-ex', 'echo @@bt\\n', '-ex', 'bt', '-ex', 'echo @@regs\\n', '-ex', 'info registers', '-ex', 'echo @@mem\\n', '-ex', 'x/128gx $sp', '-ex', 'kill', b.file],
        { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      if (out.includes('@@bt')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const section = (name: string): string => out.split(`@@${name}\n`)[1]!.split('@@')[0]!;
    const frames = [...section('bt').matchAll(/^#\d+\s+(?:(0x[0-9a-f]+) in )?(\S+) \((.*)\) at (\S+):(\d+)$/gm)];
    const bt = frames.map((m) => `${m[1] ?? '-'} ${m[2]} ${basename(m[4]!)}:${m[5]}`);
    const args = frames.map((m) => m[3]!);
    const registers = new Map<number, bigint>();
    let pc = 0n;
    for (const m of section('regs').matchAll(/^(\w+)\s+(0x[0-9a-f]+)/gm)) {
      if (m[1] === 'pc') pc = BigInt(m[2]!);
      const n = dwarfRegister(b.build.arch, m[1]!);
      if (n !== undefined) registers.set(n, BigInt(m[2]!));
    }
    const memory = new Map<bigint, bigint>();
    for (const m of section('mem').matchAll(/^(0x[0-9a-f]+):\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)/gm)) {
      memory.set(BigInt(m[1]!), BigInt(m[2]!));
      memory.set(BigInt(m[1]!) + 8n, BigInt(m[3]!));
    }
    return { bt, args, pc, registers, memory };
  } finally {
    child.kill('SIGKILL');
  }
}

const CASES = [
  { build: 'riscv64-O0', breakAt: 'depth if n == 0' },
  { build: 'aarch64-O2', breakAt: 'fold' },
  { build: 'aarch64-clang-O0', breakAt: 'depth if n == 0' },
  { build: 'riscv64-clang-O2', breakAt: 'fold' },
];

for (const c of CASES) {
  describe(`call stack of ${c.build}`, () => {
    test(`stopped at ${c.breakAt}, the frames match gdb's backtrace`, async () => {
      const b = built(BUILDS.find((x) => x.name === c.build)!);
      const stop = await stopUnderGdb(b, c.breakAt);
      assert.ok(stop.bt.length >= 2, `gdb's backtrace: ${stop.bt.join(' | ')}`);
      const dwarf = DebugInfo.fromElf(b.elf);
      const stack = unwind(dwarf, {
        pc: stop.pc,
        registers: stop.registers,
        stackPointer: b.build.arch === 'riscv64' ? 2 : 31,
        readMemory: (address, size) => (size === 8 ? stop.memory.get(address) : undefined),
        entry: b.elf.entry,
      });
      const ours = stack.frames.map((f, i) => `${i === 0 ? '-' : `0x${f.pc.toString(16).padStart(16, '0')}`} ${f.function} ${basename(f.file ?? '?')}:${f.line}`);
      assert.deepEqual(ours, stop.bt);
      assert.match(stack.end, /holds the entry point/);

      // Each frame's arguments, read through their locations in that frame, as gdb prints them.
      const read = (address: bigint, size: number): bigint | undefined => {
        let v = 0n;
        for (let i = 0; i < size; i++) {
          const a = address + BigInt(i);
          const word = stop.memory.get(a & ~7n);
          if (word === undefined) return undefined;
          v |= ((word >> ((a & 7n) * 8n)) & 0xffn) << BigInt(i * 8);
        }
        return v;
      };
      const ourArgs = stack.frames.map((f, i) => {
        const at = i === 0 ? f.pc : f.pc - 1n;
        const fn = functionAt(dwarf, at)!;
        const frame = { register: (n: number) => f.registers.get(n), readMemory: read, cfa: () => f.cfa };
        return localsAt(dwarf, fn, at)
          .filter((v) => v.kind === 'parameter')
          .map((v) => {
            const where = locate(dwarf, v, at, frame, fn);
            const size = sizeOf(v.type)!;
            const t = resolved(v.type);
            let raw: bigint | undefined;
            if (where.kind === 'memory') raw = read(where.address, size);
            else if (where.kind === 'register') raw = f.registers.get(where.register);
            else if (where.kind === 'value') raw = where.value;
            if (raw === undefined) return `${v.name}=<optimized out>`;
            raw &= (1n << BigInt(size * 8)) - 1n;
            const signed = t.kind === 'base' && t.encoding === 'signed' && raw >> BigInt(size * 8 - 1) ? raw - (1n << BigInt(size * 8)) : raw;
            return `${v.name}=${t.kind === 'pointer' ? `0x${raw.toString(16)}` : signed}`;
          })
          .join(', ');
      });
      assert.deepEqual(ourArgs, stop.args);
      assert.deepEqual(dwarf.messages, []);
    });
  });
}
