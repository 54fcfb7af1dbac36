// Inlined frames against gdb-multiarch's backtrace under qemu-system:
// zone1.c built by gcc -O2 inlines putc_uart into print_number and both into
// main. Stopped at each location of a breakpoint on putc_uart's line, the
// engine's frames (function, file and line; the inlined function above the
// one it is inlined into, at the call's line) must be gdb's, and the inlined
// frames share the registers of the real frame. Step out of an inlined
// call stops where gdb's finish does.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Engine } from '../../../engine/api';
import { bindSource } from '../../../engine/debug/source-breakpoints';
import { requireCommands } from '../../../scripts/external-tools.mjs';
import { freePort } from '../../oracle/free-port';

const SOURCE = resolve('test/guests/dwarf/zone1.c');
const LINKER_SCRIPT = resolve('test/guests/dwarf/zone1.ld');

let dir = '';
before(() => void (dir = mkdtempSync(join(tmpdir(), 'hvisor-inlined-'))));
after(() => rmSync(dir, { recursive: true, force: true }));


/** gdb's backtrace (`function file:line`) at the `hit`th stop of a breakpoint on `line`, and the pc there. */
async function gdbBacktrace(elf: string, line: number, hit: number, then: readonly string[] = []): Promise<{ bt: string[]; pc: bigint }> {
  requireCommands('qemu-system-riscv64', 'gdb-multiarch');
  const p = await freePort();
  const qemu = spawn('qemu-system-riscv64', ['-machine', 'virt', '-bios', 'none', '-m', '512M', '-nographic', '-monitor', 'none', '-serial', 'none', '-kernel', elf, '-S', '-gdb', `tcp::${p}`], { stdio: 'ignore' });
  try {
    let out = '';
    for (let attempt = 0; attempt < 20 && !out.includes('@@bt'); attempt++) {
      await new Promise((r) => setTimeout(r, 200));
      out = execFileSync(
        'gdb-multiarch',
        ['-nx', '-batch', '-ex', `target remote 127.0.0.1:${p}`, '-ex', 'set $pc = _start', '-ex', `break zone1.c:${line}`, ...Array.from({ length: hit }, () => ['-ex', 'continue']).flat(), ...then.flatMap((c) => ['-ex', c]), '-ex', 'echo @@bt\\n', '-ex', 'bt', '-ex', 'echo @@pc\\n', '-ex', 'p/x $pc', '-ex', 'kill', elf],
        { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] },
      );
    }
    const section = (name: string): string => out.split(`@@${name}\n`)[1]!.split('@@')[0]!;
    const bt = [...section('bt').matchAll(/^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(.*\) at (\S+):(\d+)$/gm)].map((m) => `${m[1]} ${basename(m[2]!)}:${m[3]}`);
    return { bt, pc: BigInt(/= (0x[0-9a-f]+)/.exec(section('pc'))![1]!) };
  } finally {
    qemu.kill('SIGKILL');
  }
}

test('riscv64 gcc -O2: at both locations of putc_uart\'s line, the inlined frames match gdb\'s backtrace', async () => {
  requireCommands('riscv64-linux-gnu-gcc');
  const elf = join(dir, 'zone1-O2.elf');
  execFileSync('riscv64-linux-gnu-gcc', ['-g', '-O2', '-nostdlib', '-static', '-ffreestanding', '-Wl,--no-warn-rwx-segments', '-Wl,--build-id=none', '-T', LINKER_SCRIPT, '-o', elf, SOURCE]);
  const engine = Engine.launchQuick({ arch: 'riscv64', image: { path: elf, bytes: new Uint8Array(readFileSync(elf)) }, cpus: 1, onUart: () => {} });
  const binding = bindSource(engine.images, (f) => f === SOURCE, 11)!;
  assert.equal(binding.addresses.length, 2);
  engine.setInstructionBreakpoints(binding.addresses);
  // The first round prints "1\n": the digit from print_number's loop, then the newline.
  for (const hit of [1, 2]) {
    const gdb = await gdbBacktrace(elf, 11, hit);
    assert.ok(gdb.bt.length >= 2, `gdb's backtrace: ${gdb.bt.join(' | ')}`);
    const stop = engine.run();
    assert.deepEqual(stop, { kind: 'breakpoint', cpu: 0, pc: Number(gdb.pc) });
    const frames = engine.guestFrames(0).frames.filter((f) => f.function !== '_start');
    assert.deepEqual(frames.map((f) => `${f.function} ${basename(f.file ?? '?')}:${f.line}`), gdb.bt);
    assert.ok(frames[0]!.inlined);
    assert.ok(frames.slice(0, -1).every((f) => f.registers === frames.at(-1)!.registers || f.cfa === frames.at(-1)!.cfa), 'inlined frames share the real frame');
    assert.equal(new Set(frames.map((f) => f.scope)).size, frames.length, 'each frame names its own scope');
  }
  // Out of the inlined putc_uart, as gdb's finish: where its code ends, in print_number.
  const gdb = await gdbBacktrace(elf, 11, 2, ['finish']);
  assert.equal(engine.stepOutProblem(0), undefined);
  assert.deepEqual(engine.stepOut(0), { kind: 'step', cpu: 0 });
  assert.equal(engine.cpu(0).pc, gdb.pc);
  const frames = engine.guestFrames(0).frames.filter((f) => f.function !== '_start');
  assert.deepEqual(frames.map((f) => `${f.function} ${basename(f.file ?? '?')}:${f.line}`), gdb.bt);
});
