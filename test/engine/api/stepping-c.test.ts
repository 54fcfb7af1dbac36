// Stepping by C line against gdb-multiarch under qemu-system: frames.c
// (gcc and clang, -O0 and -O2, both arches) stopped at main's breakpoint,
// then the same sequence of step, next and finish in gdb and in the engine
// (stepLine into and over calls, stepOut). After each, the innermost frame's
// function, file and line and the depth of the stack must be gdb's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Engine, type Arch } from '../../../engine/api';
import { requireCommands } from '../../../scripts/external-tools.mjs';

const SOURCE = resolve('test/guests/dwarf/frames.c');
const LINKER_SCRIPT = resolve('test/guests/dwarf/frames.ld');

interface Board {
  readonly arch: Arch;
  readonly prefix: string;
  readonly text: string;
  readonly qemu: readonly string[];
}

const BOARDS: readonly Board[] = [
  { arch: 'riscv64', prefix: 'riscv64-linux-gnu', text: '0x80200000', qemu: ['qemu-system-riscv64', '-machine', 'virt', '-bios', 'none'] },
  { arch: 'aarch64', prefix: 'aarch64-linux-gnu', text: '0x40080000', qemu: ['qemu-system-aarch64', '-machine', 'virt', '-cpu', 'cortex-a57'] },
];

/**
 * Into middle and down the recursion, over a recursive call and out of a
 * frame. (It stops short of stepping in main's one-line endless loop, which
 * at some builds' line tables runs for ever in gdb.)
 */
const STEPS = ['step', 'step', 'step', 'step', 'next', 'step', 'finish'] as const;

let dir = '';
before(() => void (dir = mkdtempSync(join(tmpdir(), 'hvisor-stepping-c-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

let port = 23000 + (process.pid % 20000);

/** After `break main` and each of STEPS: `function file:line depth` of gdb's innermost frame; and main's breakpoint pc. */
async function gdbSteps(board: Board, elf: string): Promise<{ stops: string[]; pc: bigint }> {
  requireCommands(board.qemu[0]!, 'gdb-multiarch');
  const p = port++;
  const qemu = spawn(board.qemu[0]!, [...board.qemu.slice(1), '-m', '512M', '-nographic', '-monitor', 'none', '-serial', 'none', '-kernel', elf, '-S', '-gdb', `tcp::${p}`], { stdio: 'ignore' });
  try {
    const commands = ['echo @@\\n', 'bt', ...STEPS.flatMap((s) => [s, 'echo @@\\n', 'bt'])];
    let out = '';
    for (let attempt = 0; attempt < 20 && !out.includes('@@pc'); attempt++) {
      await new Promise((r) => setTimeout(r, 200));
      out = execFileSync(
        'gdb-multiarch',
        ['-nx', '-batch', '-ex', `target remote 127.0.0.1:${p}`, '-ex', 'set $pc = _start', '-ex', 'break main', '-ex', 'continue', '-ex', 'echo @@pc\\n', '-ex', 'p/x $pc', ...commands.flatMap((c) => ['-ex', c]), '-ex', 'kill', elf],
        { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] },
      );
    }
    const pc = BigInt(/@@pc\n\$\d+ = (0x[0-9a-f]+)/.exec(out)![1]!);
    const stops = out.split('@@\n').slice(1).map((section) => {
      const frames = [...section.matchAll(/^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(.*\) at (\S+):(\d+)$/gm)];
      const top = frames[0]!;
      return `${top[1]} ${basename(top[2]!)}:${top[3]} depth ${frames.length}`;
    });
    return { stops, pc };
  } finally {
    qemu.kill('SIGKILL');
  }
}

function compile(board: Board, compiler: 'gcc' | 'clang', optimization: string, elf: string): void {
  const [command, ...driver] = compiler === 'gcc' ? [`${board.prefix}-gcc`] : ['clang', `--target=${board.prefix}`, '-fuse-ld=lld'];
  requireCommands(command!, ...(compiler === 'clang' ? ['ld.lld'] : []));
  execFileSync(command!, [...driver, '-g', optimization, '-nostdlib', '-static', '-ffreestanding', '-Wl,--build-id=none', '-T', LINKER_SCRIPT, `-Wl,-Ttext=${board.text}`, '-o', elf, SOURCE], { stdio: 'pipe' });
}

for (const board of BOARDS) {
  for (const [compiler, optimization] of [['gcc', '-O0'], ['gcc', '-O2'], ['clang', '-O0'], ['clang', '-O2']] as const) {
    describe(`${board.arch} ${compiler} ${optimization}: line steps in frames.c`, () => {
      test('step, next and finish stop where gdb\'s do', async () => {
        const elf = join(dir, `${board.arch}-${compiler}${optimization}-frames.elf`);
        compile(board, compiler, optimization, elf);
        const gdb = await gdbSteps(board, elf);
        const engine = Engine.launchQuick({ arch: board.arch, image: { path: elf, bytes: new Uint8Array(readFileSync(elf)) }, cpus: 1, onUart: () => {} });
        engine.setInstructionBreakpoints([gdb.pc]);
        assert.deepEqual(engine.run(), { kind: 'breakpoint', cpu: 0, pc: Number(gdb.pc) });
        engine.setInstructionBreakpoints([]);
        const where = (): string => {
          // The engine's stack goes on to the assembly _start, which gdb's backtrace leaves out past main.
          const frames = engine.guestFrames(0).frames.filter((f) => f.function !== '_start');
          const top = frames[0]!;
          return `${top.function} ${basename(top.file ?? '?')}:${top.line} depth ${frames.length}`;
        };
        const ours = [where()];
        for (const s of STEPS) {
          if (s === 'finish') engine.stepOut(0);
          else engine.stepLine(0, s === 'next');
          ours.push(where());
        }
        assert.deepEqual(ours, gdb.stops);
      });
    });
  }
}
