// C debugging of a guest with paging on, over DAP: test/guests/dwarf/paged.c
// linked at high-half virtual addresses and loaded at zone 1's physical
// memory (p_paddr != p_vaddr), as zone 1 of each sample, with gcc -O0 and
// -O2 on both arches. Its boot code turns on stage-1 translation (Sv39 in
// VS-mode, TTBR1 at EL1) under the zone's stage 2 and calls into the high
// half, so everything the debugger reads of the C code goes through both
// translations: a breakpoint on a .c line binds at a virtual address and
// stops, the stack unwinds from the CPU's own registers through memory at
// high addresses, Locals and Globals show the values, a setVariable of a
// global lands in the physical byte under it, `&global` is the high address
// and a local's memory reference reads its bytes. The same ELF runs under
// qemu-system (which loads it at its physical addresses too) with its
// gdbstub, and gdb-multiarch's backtrace, info locals/args and prints at the
// same line are what the stack, Locals and Globals must show.
// test/guests/dwarf/paged-smp.c runs on both CPUs of zone 1, each with its
// own page table mapping one virtual window onto its own memory: stopped
// together, each thread unwinds from its own registers and reads the window
// through its own mapping.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireCommands } from '../../scripts/external-tools.mjs';
import { AARCH64_SAMPLE, SAMPLE, children, continueTo, launchOnEntry, startClient } from './dap-client';
import { freePort } from '../oracle/free-port';

const SOURCE = resolve('test/guests/dwarf/paged.c');
const SMP_SOURCE = resolve('test/guests/dwarf/paged-smp.c');
const LINKER_SCRIPT = resolve('test/guests/dwarf/paged.ld');
/** `sink = sum;` in inner, and the calls above it. */
const INNER_LINE = 25;
const OUTER_LINE = 32;
const MAIN_LINE = 36;
/** `mine->count++;` in tick, and its caller's loop. */
const TICK_LINE = 25;
const LOOP_LINE = 30;

let dir = '';
before(() => void (dir = mkdtempSync(join(tmpdir(), 'hvisor-c-paging-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Zone 1's physical memory in each sample, and the high half the guest maps it at. */
const BOARDS = [
  // QEMU's riscv64 virt board enters the image in S-mode through its default firmware, as hvisor does in VS-mode.
  { arch: 'riscv64', prefix: 'riscv64-linux-gnu', physical: 0x8a000000n, offset: 0xffffffc000000000n, sample: SAMPLE, qemu: ['qemu-system-riscv64', '-machine', 'virt', '-m', '512M'] },
  { arch: 'aarch64', prefix: 'aarch64-linux-gnu', physical: 0x60000000n, offset: 0xffffff8000000000n, sample: AARCH64_SAMPLE, qemu: ['qemu-system-aarch64', '-machine', 'virt', '-cpu', 'cortex-a57', '-m', '1G'] },
] as const;

type Board = (typeof BOARDS)[number];

function build(board: Board, optimization: string, source = SOURCE): { elf: string; symbols: Map<string, bigint> } {
  const elf = join(dir, `${board.arch}${optimization}-${basename(source, '.c')}.elf`);
  requireCommands(`${board.prefix}-gcc`, `${board.prefix}-nm`);
  execFileSync(`${board.prefix}-gcc`, [
    '-g', optimization, '-nostdlib', '-static', '-ffreestanding', '-Wl,--no-warn-rwx-segments', '-Wl,--build-id=none', '-T', LINKER_SCRIPT,
    `-Wl,--defsym=PHYS_BASE=0x${board.physical.toString(16)}`, `-Wl,--defsym=VIRT_OFFSET=0x${board.offset.toString(16)}`, '-o', elf, source,
  ], { stdio: 'pipe' });
  const nm = execFileSync(`${board.prefix}-nm`, [elf], { encoding: 'utf8' });
  const symbols = new Map([...nm.matchAll(/^([0-9a-f]+) \w (\w+)$/gm)].map((m) => [m[2]!, BigInt(`0x${m[1]}`)]));
  return { elf, symbols };
}


interface GdbView {
  /** `pc function file:line` of each frame, frame 0's pc as `-`. */
  readonly bt: string[];
  /** info args and info locals of inner, then of outer. */
  readonly inner: Map<string, string>;
  readonly outer: Map<string, string>;
  /** print of each of PRINTED. */
  readonly printed: string[];
}

const PRINTED = ['origin', '&origin', 'table', 'cursor', '*cursor'];

/** What gdb-multiarch shows stopped at inner's line under qemu-system (a hardware breakpoint: the line's address is mapped only once the guest turns translation on). */
async function gdbView(board: Board, elf: string): Promise<GdbView> {
  requireCommands(board.qemu[0], 'gdb-multiarch');
  const p = await freePort();
  const qemu = spawn(board.qemu[0], [...board.qemu.slice(1), '-nographic', '-monitor', 'none', '-serial', 'none', '-kernel', elf, '-S', '-gdb', `tcp::${p}`], { stdio: 'ignore' });
  try {
    const commands = [
      `target remote 127.0.0.1:${p}`, `hbreak paged.c:${INNER_LINE}`, 'continue', 'echo @@bt\\n', 'bt', 'echo @@inner\\n', 'info args', 'info locals',
      'echo @@print\\n', ...PRINTED.map((x) => `print ${x}`), 'up', 'echo @@outer\\n', 'info args', 'info locals', 'echo @@\\n', 'kill',
    ];
    let out = '';
    for (let attempt = 0; attempt < 20 && !out.includes('@@bt'); attempt++) {
      await new Promise((r) => setTimeout(r, 200));
      out = execFileSync('gdb-multiarch', ['-nx', '-batch', ...commands.flatMap((c) => ['-ex', c]), elf], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
    }
    const section = (name: string): string => out.split(`@@${name}\n`)[1]!.split('@@')[0]!;
    const values = (text: string): Map<string, string> => new Map([...text.matchAll(/^(\w+) = (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    const bt = [...section('bt').matchAll(/^#\d+\s+(?:(0x[0-9a-f]+) in )?(\S+) \(.*\)(?: at (\S+):(\d+))?$/gm)].map((m) => `${m[1] ? BigInt(m[1]).toString(16) : '-'} ${m[2]} ${m[3] ? basename(m[3]) : '-'}:${m[4] ?? 0}`);
    const printed = [...section('print').matchAll(/^\$\d+ = (.*)$/gm)].map((m) => m[1]!);
    return { bt, inner: values(section('inner')), outer: values(section('outer')), printed };
  } finally {
    qemu.kill('SIGKILL');
  }
}

async function scopeMap(dc: DebugClient, scope: DebugProtocol.Scope): Promise<Map<string, DebugProtocol.Variable>> {
  const vars = (await dc.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
  return new Map(vars.map((v) => [v.name, v]));
}

async function evaluate(dc: DebugClient, expression: string, frameId: number): Promise<string> {
  return (await dc.evaluateRequest({ expression, frameId, context: 'watch' })).body.result;
}

async function readMemory(dc: DebugClient, memoryReference: string, count: number): Promise<Buffer> {
  const response = (await dc.customRequest('readMemory', { memoryReference, count })) as DebugProtocol.ReadMemoryResponse;
  return Buffer.from(response.body?.data ?? '', 'base64');
}

const hex = (n: bigint): string => `0x${n.toString(16)}`;

/** A frame's function, without the offset and address the stack view adds. */
const frameName = (f: DebugProtocol.StackFrame): string => f.name.replace(/(\+0x[0-9a-f]+)? \(0x[0-9a-f]+\)$/, '');

for (const board of BOARDS) {
  for (const optimization of ['-O0', '-O2']) {
    test(`${board.arch} gcc ${optimization}: a high-half C guest under stage 1 and stage 2 binds, unwinds, shows and sets its values`, async () => {
      const { elf, symbols } = build(board, optimization);
      const gdb = await gdbView(board, elf);
      assert.equal(gdb.bt.length, 4, `gdb's backtrace: ${gdb.bt.join(' | ')}`);
      assert.equal(gdb.printed.length, PRINTED.length, `gdb's prints: ${gdb.printed.join(' | ')}`);
      const high = (name: string): bigint => {
        const a = symbols.get(name);
        assert.ok(a !== undefined && a >= board.offset, `${name} is linked in the high half`);
        return a;
      };
      const dc = await startClient();
      try {
        await launchOnEntry(dc, { images: [{ path: 'root.S', zone: 0 }, { path: elf, zone: 1 }] }, [], board.sample);
        const set = (await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [{ line: INNER_LINE }] })).body.breakpoints;
        assert.equal(set[0]!.verified, true, set[0]!.message);
        assert.equal(set[0]!.line, INNER_LINE);
        const stop = await continueTo(dc, 1);
        const thread = stop.body.threadId!;
        assert.equal(thread, 3, 'zone 1 runs on CPU 2 (thread 3)');

        const frames = (await dc.stackTraceRequest({ threadId: thread })).body.stackFrames;
        const shown = frames.map((f) => `${frameName(f)} ${f.source?.path ? basename(f.source.path) : '-'}:${f.line}`);
        assert.deepEqual(shown.slice(0, 3), [`inner paged.c:${INNER_LINE}`, `outer paged.c:${OUTER_LINE}`, `paged_main paged.c:${MAIN_LINE}`]);
        for (const f of frames.slice(0, 3)) assert.ok(BigInt(f.instructionPointerReference!) >= board.offset, `${f.name} runs at a high address`);
        const asGdb = frames.slice(0, 4).map((f, i) => `${i === 0 ? '-' : BigInt(f.instructionPointerReference!).toString(16)} ${frameName(f)} ${f.source?.path ? basename(f.source.path) : '-'}:${f.line}`);
        assert.deepEqual(asGdb, gdb.bt, 'the frames and their pcs are gdb\'s, down to the assembly _start that called paged_main');
        const [inner, outer] = [frames[0]!.id, frames[1]!.id];

        const scopes = (await dc.scopesRequest({ frameId: inner })).body.scopes;
        assert.deepEqual(scopes.slice(0, 2).map((s) => s.name), ['Locals', 'Globals']);
        const locals = await scopeMap(dc, scopes[0]!);
        assert.deepEqual([...locals.keys()].sort(), ['local', 'p', 'scale', 'sum']);
        assert.equal(locals.get('scale')!.value, '2');
        assert.equal(locals.get('sum')!.value, '0');
        assert.equal(await evaluate(dc, 'p->x', inner), '3');
        assert.equal(await evaluate(dc, 'p->tag', inner), '4660');
        assert.deepEqual(new Map([...locals].map(([name, v]) => [name, v.value])), gdb.inner, 'inner\'s Locals are gdb\'s info args and info locals');

        const globals = await scopeMap(dc, scopes[1]!);
        assert.equal(globals.get('origin')!.value, '{x = 3, y = -4, tag = 4660}');
        assert.equal(globals.get('table')!.value, '{1, 1, 2, 3, 5, 8}');
        assert.equal(globals.get('cursor')!.value, `${hex(high('table') + 8n)} <table+8>`);
        assert.equal((await children(dc, globals.get('cursor')!)).get('*cursor')!.value, '2');
        assert.equal(await evaluate(dc, '&origin', inner), `(struct point *) ${hex(high('origin'))} <origin>`);
        assert.equal(await evaluate(dc, '*cursor', inner), '2');
        const shownByUs = [globals.get('origin')!.value, await evaluate(dc, '&origin', inner), globals.get('table')!.value, await evaluate(dc, 'cursor', inner), await evaluate(dc, '*cursor', inner)];
        assert.deepEqual(shownByUs, gdb.printed, `${PRINTED.join(', ')} as gdb prints them`);

        // setVariable of a global writes through both translations: the physical byte under it changes.
        const physical = high('table') - board.offset + 8n;
        const written = await dc.setVariableRequest({ variablesReference: globals.get('table')!.variablesReference, name: '[2]', value: '0x1234567' });
        assert.equal(written.body.value, '19088743');
        assert.equal(await evaluate(dc, '*cursor', inner), '19088743');
        assert.deepEqual([...(await readMemory(dc, `pa:${hex(physical)}`, 4))], [0x67, 0x45, 0x23, 0x01]);

        // outer's struct lives on the stack at a high address; its memory reference reads its bytes.
        const outerLocals = await scopeMap(dc, (await dc.scopesRequest({ frameId: outer })).body.scopes[0]!);
        const here = outerLocals.get('here')!;
        assert.equal(here.value, '{x = 3, y = -4, tag = 4660}');
        assert.deepEqual(new Map([...outerLocals].map(([name, v]) => [name, v.value])), gdb.outer, 'outer\'s Locals are gdb\'s info args and info locals');
        assert.ok(here.memoryReference && BigInt(here.memoryReference.replace(/^cpu\d+:/, '')) >= board.offset, `here's memory reference ${here.memoryReference} is a high address`);
        const bytes = await readMemory(dc, here.memoryReference, 16);
        assert.equal(bytes.readInt32LE(0), 3);
        assert.equal(bytes.readInt32LE(4), -4);
        assert.equal(bytes.readBigInt64LE(8), 0x1234n);
        assert.equal(await evaluate(dc, 'here.y', outer), '-4');

        // The disassembly at the high pc carries its C lines; a line step and a step out move by the high half's lines.
        const disassembly = (await dc.customRequest('disassemble', { memoryReference: frames[0]!.instructionPointerReference!, instructionCount: 4, resolveSymbols: true })) as DebugProtocol.DisassembleResponse;
        const first = disassembly.body!.instructions[0]!;
        assert.equal(BigInt(first.address), BigInt(frames[0]!.instructionPointerReference!));
        assert.equal(first.line, INNER_LINE);
        assert.equal(basename(first.location?.path ?? ''), 'paged.c');
        // Back from the high pc too (riscv64's compressed instructions walk from a known boundary below it).
        const back = (await dc.customRequest('disassemble', { memoryReference: frames[0]!.instructionPointerReference!, instructionOffset: -4, instructionCount: 5 })) as DebugProtocol.DisassembleResponse;
        const lines = back.body!.instructions;
        assert.equal(BigInt(lines[4]!.address), BigInt(frames[0]!.instructionPointerReference!));
        assert.ok(lines.every((l) => l.presentationHint !== 'invalid' && BigInt(l.address) >= board.offset), lines.map((l) => `${l.address} ${l.instruction}`).join(' | '));
        assert.ok(lines.every((l, i) => i === 0 || BigInt(l.address) > BigInt(lines[i - 1]!.address)));
        const line = async (request: () => Promise<unknown>): Promise<string> => {
          await Promise.all([request(), dc.waitForEvent('stopped')]);
          const top = (await dc.stackTraceRequest({ threadId: thread, levels: 1 })).body.stackFrames[0]!;
          return `${frameName(top)}:${top.line} ${top.instructionPointerReference}`;
        };
        assert.match(await line(() => dc.nextRequest({ threadId: thread })), new RegExp(`^inner:${INNER_LINE + 1} `));
        // Out at the return address, whose line is the call's or (where the call ends its line) the next one's, as gdb's finish shows it.
        assert.match(await line(() => dc.stepOutRequest({ threadId: thread })), new RegExp(`^outer:(${OUTER_LINE}|${OUTER_LINE + 1}) ${frames[1]!.instructionPointerReference}$`));
      } finally {
        await dc.stop();
      }
    });
  }
}

for (const board of BOARDS) {
  for (const optimization of ['-O0', '-O2']) {
    test(`${board.arch} gcc ${optimization}: two CPUs with different mappings of one virtual address each read it through their own`, async () => {
      const { elf, symbols } = build(board, optimization, SMP_SOURCE);
      const window = board.offset + (board.arch === 'riscv64' ? 0xc0000000n : 0x80000000n);
      const own = [board.physical + 0x400000n, board.physical + 0x600000n];
      const dc = await startClient();
      try {
        await launchOnEntry(dc, { images: [{ path: 'root.S', zone: 0 }, { path: elf, zone: 1 }] }, [], board.sample);
        // A condition read through the stopping CPU's own mapping: only the second CPU stops.
        const set = (await dc.setBreakpointsRequest({ source: { path: SMP_SOURCE }, breakpoints: [{ line: TICK_LINE, condition: 'mine->id == 3' }] })).body.breakpoints;
        assert.equal(set[0]!.verified, true, set[0]!.message);
        assert.equal((await continueTo(dc, 1)).body.threadId, 4, 'CPU 3 (thread 4) stops, with the id it stored in its window');

        for (const [i, thread] of [3, 4].entries()) {
          const frames = (await dc.stackTraceRequest({ threadId: thread })).body.stackFrames;
          const top = frames[0]!.id;
          assert.equal(await evaluate(dc, 'window->id', top), String(i + 2), `thread ${thread} reads its own window`);
          assert.equal(await evaluate(dc, '&window->id', top), `(long *) ${hex(window)}`);
          assert.equal((await readMemory(dc, `cpu${i + 2}:${hex(window)}`, 8)).readBigInt64LE(0), BigInt(i + 2));
          assert.equal((await readMemory(dc, `pa:${hex(own[i]!)}`, 8)).readBigInt64LE(0), BigInt(i + 2));
          assert.ok(frames.some((f) => /^cpu_main/.test(f.name)), `thread ${thread} unwinds to cpu_main: ${frames.map((f) => f.name).join(' | ')}`);
          for (const f of frames.filter((x) => /^(tick|cpu_main)/.test(x.name))) assert.ok(BigInt(f.instructionPointerReference!) >= board.offset);
        }

        // The second CPU stopped in tick: its stack, its pointer's pointee through its mapping, a write that lands in its memory alone.
        const frames = (await dc.stackTraceRequest({ threadId: 4 })).body.stackFrames;
        assert.deepEqual(frames.slice(0, 2).map((f) => `${frameName(f)}:${f.line}`), [`tick:${TICK_LINE}`, `cpu_main:${LOOP_LINE}`]);
        const locals = await scopeMap(dc, (await dc.scopesRequest({ frameId: frames[0]!.id })).body.scopes[0]!);
        assert.equal(locals.get('mine')!.value, hex(window));
        const pointee = (await children(dc, locals.get('mine')!)).get('*mine')!;
        assert.match(pointee.value, /^\{id = 3, count = \d+\}$/);
        const before = await evaluate(dc, 'window->count', (await dc.stackTraceRequest({ threadId: 3 })).body.stackFrames[0]!.id);
        const written = await dc.setVariableRequest({ variablesReference: pointee.variablesReference, name: 'count', value: '100000' });
        assert.equal(written.body.value, '100000');
        assert.equal((await readMemory(dc, `pa:${hex(own[1]! + 8n)}`, 8)).readBigInt64LE(0), 100000n);
        assert.equal(await evaluate(dc, 'window->count', (await dc.stackTraceRequest({ threadId: 3 })).body.stackFrames[0]!.id), before, 'the first CPU\'s window is untouched');
        assert.ok(symbols.get('window')! >= board.offset);
      } finally {
        await dc.stop();
      }
    });
  }
}
