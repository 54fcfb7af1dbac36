// Guest call stacks in the engine against gdb-multiarch's backtrace: the
// bare-metal test program test/guests/dwarf/frames.c (gcc and clang, -O0
// and -O2, both arches) runs under qemu-system with its gdbstub, stopped in leaf at the bottom of
// a recursion; our engine runs the same ELF, stops at the same pc and must
// unwind the same frames (pc, function, file and line), then the assembly
// _start without call frame information, where the stack says it ends.
// Stepping out frame by frame through the recursion then lands, each time,
// on the caller's pc with the stack pointer at the left frame's CFA, so the
// stack is the one before less its innermost frame.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Engine, type GuestCallStack } from '../../../engine/api';
import { requireCommands } from '../../../scripts/external-tools.mjs';
import { freePort } from '../../oracle/free-port';
import { QEMU_BOARDS as BOARDS, type QemuBoard as Board } from '../../oracle/gdb-stops';

const SOURCE = resolve('test/guests/dwarf/frames.c');
const LINKER_SCRIPT = resolve('test/guests/dwarf/frames.ld');

let dir = '';
before(() => void (dir = mkdtempSync(join(tmpdir(), 'hvisor-call-stack-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

/** gdb's backtrace (`pc function file:line`, frame 0's pc as `-`) and pc with the program stopped at `breakAt` under qemu-system. */
async function gdbBacktrace(board: Board, elf: string, breakAt: string): Promise<{ bt: string[]; pc: bigint }> {
  requireCommands(board.qemu[0]!, 'gdb-multiarch');
  const p = await freePort();
  const qemu = spawn(board.qemu[0]!, [...board.qemu.slice(1), '-m', '512M', '-nographic', '-monitor', 'none', '-serial', 'none', '-kernel', elf, '-S', '-gdb', `tcp::${p}`], { stdio: 'ignore' });
  try {
    let out = '';
    for (let attempt = 0; attempt < 20 && !out.includes('@@bt'); attempt++) {
      await new Promise((r) => setTimeout(r, 200));
      out = execFileSync(
        'gdb-multiarch',
        ['-nx', '-batch', '-ex', `target remote 127.0.0.1:${p}`, '-ex', 'set $pc = _start', '-ex', `break ${breakAt}`, '-ex', 'continue', '-ex', 'echo @@bt\\n', '-ex', 'bt', '-ex', 'echo @@pc\\n', '-ex', 'p/x $pc', '-ex', 'kill', elf],
        { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] },
      );
    }
    const section = (name: string): string => out.split(`@@${name}\n`)[1]!.split('@@')[0]!;
    const bt = [...section('bt').matchAll(/^#\d+\s+(?:(0x[0-9a-f]+) in )?(\S+) \(.*\) at (\S+):(\d+)$/gm)].map((m) => `${m[1] ?? '-'} ${m[2]} ${basename(m[3]!)}:${m[4]}`);
    return { bt, pc: BigInt(/= (0x[0-9a-f]+)/.exec(section('pc'))![1]!) };
  } finally {
    qemu.kill('SIGKILL');
  }
}

const shown = (stack: GuestCallStack): string[] =>
  stack.frames.map((f, i) => `${i === 0 ? '-' : `0x${f.pc.toString(16).padStart(16, '0')}`} ${f.function} ${basename(f.file ?? '?')}:${f.line}`);

/** Builds frames.c for `board` with `compiler` at `optimization` into `elf`. */
function compile(board: Board, compiler: 'gcc' | 'clang', optimization: string, elf: string): void {
  const [command, ...driver] = compiler === 'gcc' ? [`${board.prefix}-gcc`] : ['clang', `--target=${board.prefix}`, '-fuse-ld=lld'];
  requireCommands(command!, ...(compiler === 'clang' ? ['ld.lld'] : []));
  execFileSync(command!, [...driver, '-g', optimization, '-nostdlib', '-static', '-ffreestanding', '-Wl,--build-id=none', '-T', LINKER_SCRIPT, `-Wl,-Ttext=${board.text}`, '-o', elf, SOURCE], { stdio: 'pipe' });
}

for (const board of BOARDS) {
  for (const [compiler, optimization] of [['gcc', '-O0'], ['gcc', '-O2'], ['clang', '-O0'], ['clang', '-O2']] as const) {
    describe(`${board.arch} ${compiler} ${optimization}: call stack of frames.c`, () => {
      test('stopped in leaf under the recursion, the frames match gdb\'s backtrace, then end at _start without call frame information; step out walks them back', async () => {
        const elf = join(dir, `${board.arch}-${compiler}${optimization}-frames.elf`);
        compile(board, compiler, optimization, elf);
        const gdb = await gdbBacktrace(board, elf, 'leaf');
        assert.ok(gdb.bt.length >= 4 && gdb.bt.at(-1)!.includes(' main '), `gdb's backtrace: ${gdb.bt.join(' | ')}`);

        const engine = Engine.launchQuick({ arch: board.arch, image: { path: elf, bytes: new Uint8Array(readFileSync(elf)) }, cpus: 1, onUart: () => {} });
        engine.setInstructionBreakpoints([gdb.pc]);
        assert.deepEqual(engine.run(), { kind: 'breakpoint', cpu: 0, pc: Number(gdb.pc) });
        engine.setInstructionBreakpoints([]);
        let stack = engine.guestFrames(0);
        const depth = gdb.bt.length;
        assert.deepEqual(shown(stack).slice(0, depth), gdb.bt);
        assert.equal(stack.frames.length, depth + 1);
        assert.equal(stack.frames[depth]!.function, '_start');
        assert.ok(stack.endsWithoutCfi);
        assert.match(stack.end, /^no call frame information for 0x/);
        assert.equal(engine.guestFrames(0, 3).frames.length, 3, 'the bound holds');

        // Every frame above main: each step out leaves one, even where ra points back into the function itself.
        for (let i = 0; i < depth - 1; i++) {
          const previous = stack;
          assert.equal(engine.stepOutProblem(0), undefined);
          assert.deepEqual(engine.stepOut(0), { kind: 'step', cpu: 0 });
          stack = engine.guestFrames(0);
          assert.equal(stack.frames[0]!.pc, previous.frames[1]!.pc, `step out ${i + 1} returns to the caller`);
          assert.equal(BigInt.asUintN(64, engine.target.stackPointer(0)), previous.frames[0]!.cfa, `step out ${i + 1} ends at the left frame's CFA`);
          assert.deepEqual(stack.frames.slice(1).map((f) => f.pc), previous.frames.slice(2).map((f) => f.pc));
        }
        assert.equal(stack.frames[0]!.function, 'main');
      });
    });
  }
}
