// Stepping by C line against gdb-multiarch under qemu-system: frames.c
// (gcc and clang, -O0 and -O2, both arches) and zone1.c (riscv64, whose -O2
// builds inline square, print_number and putc_uart into main) stopped at
// main's breakpoint, then the same sequence of step, next and finish in gdb
// and in the engine (stepLine into and over calls, stepOut). After each, the
// innermost frame's function, file and line and the depth of the stack must
// be gdb's: next steps over an inlined call as over a call, step enters it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Engine, type Arch } from '../../../engine/api';
import { requireCommands } from '../../../scripts/external-tools.mjs';
import { freePort } from '../../oracle/free-port';
import { QEMU_BOARDS as BOARDS, type QemuBoard as Board } from '../../oracle/gdb-stops';

type Step = 'step' | 'next' | 'finish';

interface Program {
  readonly source: string;
  readonly linkerScript: string;
  /** Whether the program's text goes at the board's RAM (else the linker script places it). */
  readonly atText: boolean;
  readonly arches: readonly Arch[];
  readonly steps: readonly Step[];
}

const PROGRAMS: readonly Program[] = [
  {
    // Into middle and down the recursion, over a recursive call and out of a
    // frame. (It stops short of stepping in main's one-line endless loop, which
    // at some builds' line tables runs for ever in gdb.)
    source: resolve('test/guests/dwarf/frames.c'),
    linkerScript: resolve('test/guests/dwarf/frames.ld'),
    atText: true,
    arches: ['riscv64', 'aarch64'],
    steps: ['step', 'step', 'step', 'step', 'next', 'step', 'finish'],
  },
  {
    // Round main's loop by next (over the inlined square and print_number),
    // then into them by step and out by finish.
    source: resolve('test/guests/dwarf/zone1.c'),
    linkerScript: resolve('test/guests/dwarf/zone1.ld'),
    atText: false,
    arches: ['riscv64'],
    steps: ['next', 'next', 'next', 'next', 'next', 'next', 'step', 'step', 'finish', 'step', 'step', 'step', 'finish', 'next', 'next', 'step', 'step', 'step', 'step', 'finish'],
  },
];

let dir = '';
before(() => void (dir = mkdtempSync(join(tmpdir(), 'hvisor-stepping-c-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

/** gdb's output for `commands` run on `elf` under qemu, from `_start` on; `until` is text that shows gdb got that far. */
async function gdbRun(board: Board, elf: string, commands: readonly string[], until: string): Promise<string> {
  requireCommands(board.qemu[0]!, 'gdb-multiarch');
  const p = await freePort();
  const qemu = spawn(board.qemu[0]!, [...board.qemu.slice(1), '-m', '512M', '-nographic', '-monitor', 'none', '-serial', 'none', '-kernel', elf, '-S', '-gdb', `tcp::${p}`], { stdio: 'ignore' });
  try {
    let out = '';
    for (let attempt = 0; attempt < 20 && !out.includes(until); attempt++) {
      await new Promise((r) => setTimeout(r, 200));
      out = execFileSync(
        'gdb-multiarch',
        ['-nx', '-batch', '-ex', `target remote 127.0.0.1:${p}`, '-ex', 'set $pc = _start', ...commands.flatMap((c) => ['-ex', c]), '-ex', 'kill', elf],
        { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] },
      );
    }
    return out;
  } finally {
    qemu.kill('SIGKILL');
  }
}

/**
 * main's breakpoint pc (where gdb's `break main` stops), then after a
 * breakpoint at that address (deleted once hit, as the engine's is) and each
 * of `steps`: `function file:line depth`
 * of gdb's innermost frame. The breakpoint is set at the address, as the
 * engine's is, because gdb shows a stop at `break main` outside an inlined
 * call starting there and a stop at an address inside it.
 */
async function gdbSteps(board: Board, elf: string, steps: readonly Step[]): Promise<{ stops: string[]; pc: bigint }> {
  const found = await gdbRun(board, elf, ['break main', 'continue', 'echo @@pc\\n', 'p/x $pc'], '@@pc');
  const pc = BigInt(/@@pc\n\$\d+ = (0x[0-9a-f]+)/.exec(found)![1]!);
  const commands = [`break *0x${pc.toString(16)}`, 'continue', 'delete', 'echo @@\\n', 'bt', ...steps.flatMap((s) => [s, 'echo @@\\n', 'bt'])];
  const out = await gdbRun(board, elf, commands, '@@');
  const stops = out.split('@@\n').slice(1).map((section) => {
    const frames = [...section.matchAll(/^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(.*\) at (\S+):(\d+)$/gm)];
    const top = frames[0]!;
    return `${top[1]} ${basename(top[2]!)}:${top[3]} depth ${frames.length}`;
  });
  return { stops, pc };
}

function compile(board: Board, program: Program, compiler: 'gcc' | 'clang', optimization: string, elf: string): void {
  const [command, ...driver] = compiler === 'gcc' ? [`${board.prefix}-gcc`] : ['clang', `--target=${board.prefix}`, '-fuse-ld=lld'];
  requireCommands(command!, ...(compiler === 'clang' ? ['ld.lld'] : []));
  execFileSync(command!, [...driver, '-g', optimization, '-nostdlib', '-static', '-ffreestanding', '-Wl,--build-id=none', '-T', program.linkerScript, ...(program.atText ? [`-Wl,-Ttext=${board.text}`] : []), '-o', elf, program.source], { stdio: 'pipe' });
}

for (const program of PROGRAMS) for (const board of BOARDS.filter((b) => program.arches.includes(b.arch))) {
  for (const [compiler, optimization] of [['gcc', '-O0'], ['gcc', '-O2'], ['clang', '-O0'], ['clang', '-O2']] as const) {
    describe(`${board.arch} ${compiler} ${optimization}: line steps in ${basename(program.source)}`, () => {
      test('step, next and finish stop where gdb\'s do', async () => {
        const elf = join(dir, `${board.arch}-${compiler}${optimization}-${basename(program.source, '.c')}.elf`);
        compile(board, program, compiler, optimization, elf);
        const gdb = await gdbSteps(board, elf, program.steps);
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
        for (const s of program.steps) {
          // In main, which nothing returns to, gdb's finish is not meaningful in the outermost frame; the engine refuses it too.
          if (s === 'finish') {
            if (engine.stepOutProblem(0) === undefined) engine.stepOut(0);
          }
          else engine.stepLine(0, s === 'next');
          ours.push(where());
        }
        assert.deepEqual(ours, gdb.stops);
      });
    });
  }
}
