// C variables in the engine against gdb-multiarch: the test program
// test/guests/dwarf/frame-values.c (gcc and clang at -O0 and -O2, and gcc's
// DWARF 4, on both arches) runs under qemu-system with its gdbstub and stops
// in turn in a list walk, in a function taking a struct pointer, an enum, a
// char, a float and a double, in one with twenty locals, and at the bottom of
// a recursion; our engine runs the same ELF to the same pcs. In every frame
// gdb shows (each caller at gdb's file and line), each argument and local
// gdb lists must be one the engine's DWARF reader finds (and no other), read
// from where the location lists put it in that frame, and equal to gdb's
// value: scalars by number, structs member by member with their bitfields,
// arrays element by element; gdb's <optimized out> must be unavailable in
// ours, never a number. Then the product's text: the Locals and Globals
// scopes as the engine formats them, and each expression gdb prints through
// the engine's C expressions, must read as gdb prints them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Engine } from '../../../engine/api';
import { globalsOf, locate } from '../../../engine/dwarf/scopes';
import { sizeOf } from '../../../engine/dwarf/types';
import { requireCommands } from '../../../scripts/external-tools.mjs';
import { cpuContext } from '../../../engine/debug/cpu-context';
import { FrameVariables } from '../../../engine/debug/c/frame-variables';
import { inspect } from '../../../engine/debug/inspect';
import { differences, frameVariables } from '../../oracle/frame-values';
import { gdbStops, QEMU_BOARDS, type GdbStop, type QemuBoard, type StopRequest } from '../../oracle/gdb-stops';

const SOURCE = resolve('test/guests/dwarf/frame-values.c');
const LINKER_SCRIPT = resolve('test/guests/dwarf/frames.ld');

/** The line of frame-values.c holding `text`, for a breakpoint gdb and the engine agree on. */
function lineOf(text: string): string {
  const i = readFileSync(SOURCE, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `frame-values.c has no line with '${text}'`);
  return `frame-values.c:${i + 1}`;
}

const GLOBALS = ['nodes', 'records', 'rounds'];
const STOPS: readonly StopRequest[] = [
  { at: lineOf('sink = total;'), print: ['p->next->key', '*p', 'head->name', '&nodes[1]', 'sizeof(struct node)', 'nodes[2].weight', ...GLOBALS] },
  { at: lineOf('sink = r->total;'), print: ['*r', 'r->corner[2]', '(long)records[1].total * 2', 'records[1].flags', 'records[0].word', 'c', 'initial', 'scale', 'ratio', 'scale * 2', 'ratio / 3 + scale', '(int)(scale * 10) - ratio', 'scale < ratio', '-ratio'] },
  { at: lineOf('sink = acc;'), print: ['spot', 'w', '*first', 'letter', 'hue', 'sizeof(union word)', ...GLOBALS] },
  { at: lineOf('sink = level;'), print: ['level', '*nodes[1].next', 'nodes[3].next', 'nodes[3]', 'records[1].corner[1].y', '&records[1].flags', 'nodes[0].next->next->name', 'records[1].flags.level', '(char)nodes[2].key', 'records[0].word.bytes[3]', '-records[1].word.f / 4'] },
];

/**
 * Whether ours and gdb both show a value as missing, in their own words: gdb's `<optimized out>` or
 * `<synthetic pointer>` against ours' reason in angle brackets (the Variables pane says why), or the
 * error a watch of such a value gives.
 */
function bothUnavailable(ours: string, gdb: string): boolean {
  if (!/^<[^>]*>$/.test(gdb)) return false;
  return /^<.*>$/.test(ours) || /^error: .*the value is (<optimized out>|unreadable)/.test(ours);
}

let dir = '';
before(() => void (dir = mkdtempSync(join(tmpdir(), 'hvisor-c-variables-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Builds frame-values.c with `flags` (debug format and optimization, space-separated). */
function compile(board: QemuBoard, compiler: 'gcc' | 'clang', flags: string, elf: string): void {
  const [command, ...driver] = compiler === 'gcc' ? [`${board.prefix}-gcc`] : ['clang', `--target=${board.prefix}`, '-fuse-ld=lld'];
  requireCommands(command!, ...(compiler === 'clang' ? ['ld.lld'] : []));
  execFileSync(command!, [...driver, '-g', ...flags.split(' '), '-nostdlib', '-static', '-ffreestanding', '-Wl,--build-id=none', '-T', LINKER_SCRIPT, `-Wl,-Ttext=${board.text}`, '-o', elf, SOURCE], { stdio: 'pipe' });
}

/** Every difference between gdb's frames, arguments, locals and printed globals at `stop` and the engine stopped at the same pc; the variables gdb could not read go to `unread`, and those ours shows differently by design (a missing value's reason, float arithmetic refused) to `otherwise`. */
function compareStop(engine: Engine, stop: GdbStop, unread: string[], otherwise: string[]): string[] {
  const out: string[] = [];
  const variables = new FrameVariables(engine);
  const stack = engine.guestFrames(0).frames;
  for (const gdbFrame of stop.frames) {
    const where = `${stop.at} #${gdbFrame.index} ${gdbFrame.function}`;
    const frame = stack[gdbFrame.index];
    if (!frame || frame.function !== gdbFrame.function) {
      out.push(`${where}: ours is ${frame?.function ?? 'no frame'}`);
      continue;
    }
    if (gdbFrame.pc !== undefined && frame.pc !== gdbFrame.pc) out.push(`${where}: ours at 0x${frame.pc.toString(16)}, gdb at 0x${gdbFrame.pc.toString(16)}`);
    // The innermost frame at its pc's line (the last statement row there, where rows share an address); a caller at the line of its call.
    if ((frame.line !== gdbFrame.line || basename(frame.file ?? '') !== basename(gdbFrame.file))) out.push(`${where}: ours at ${frame.file}:${frame.line}, gdb at ${gdbFrame.file}:${gdbFrame.line}`);
    const ours = frameVariables(engine, 0, stack, gdbFrame.index);
    if (!ours) {
      out.push(`${where}: no DWARF function in ours`);
      continue;
    }
    const theirs = [...gdbFrame.args.map((v) => ({ ...v, kind: 'parameter' })), ...gdbFrame.locals.map((v) => ({ ...v, kind: 'local' }))];
    // The Locals scope the Variables pane shows for this frame, each value as the engine formats it.
    const scopes = variables.scopes(0, gdbFrame.index);
    const shown = new Map(scopes ? variables.children(scopes.locals.handle).map((v) => [v.name, v.value]) : []);
    if (!scopes) out.push(`${where}: no Locals scope in ours`);
    for (const v of theirs) {
      const mine = ours.variables.find((o) => o.name === v.name && o.kind === v.kind);
      if (!mine) out.push(`${where}: gdb's ${v.kind} ${v.name} = ${v.text} is not among ours`);
      // gdb failing to read a variable (an expression it does not evaluate) is no oracle for it.
      else if (v.value.kind === 'missing' && v.value.text.startsWith('<error')) unread.push(`${where} ${v.name}: gdb ${v.text}, ours ${shown.get(v.name)}`);
      else {
        out.push(...differences(mine.type, mine.bytes, v.value, `${where} ${v.name}`).map((d) => (mine.location.kind === 'unavailable' ? `${d} (ours: ${mine.location.reason})` : d)));
        const text = shown.get(v.name);
        if (scopes && text !== v.text) {
          if (bothUnavailable(text ?? '', v.text)) otherwise.push(`${where} ${v.name}: ours ${text}, gdb ${v.text}`);
          else out.push(`${where} ${v.name}: ours shows ${text}, gdb ${v.text}`);
        }
      }
    }
    for (const o of ours.variables) if (!theirs.some((v) => v.name === o.name && v.kind === o.kind)) out.push(`${where}: our ${o.kind} ${o.name} is not among gdb's`);
  }
  const pc = stack[0]!.pc;
  const info = engine.images.map((i) => i.debugInfo).find((d) => d?.unitAt(pc));
  const unit = info?.unitAt(pc);
  for (const p of stop.prints.filter((x) => GLOBALS.includes(x.expression))) {
    const g = info && unit && globalsOf(info, unit).find((v) => v.name === p.expression);
    if (!info || !g) {
      out.push(`${stop.at} global ${p.expression}: not among ours`);
      continue;
    }
    const location = locate(info, g, pc, { register: () => undefined, readMemory: () => undefined });
    const size = sizeOf(g.type) ?? 0;
    const bytes = location.kind === 'memory' ? engine.readVirtual(0, Number(location.address), size) : Array<undefined>(size).fill(undefined);
    out.push(...differences(g.type, bytes, p.value, `${stop.at} global ${p.expression}`));
  }
  // The Globals scope of the innermost frame shows each global as gdb prints it.
  const globalsScope = variables.scopes(0, 0);
  const globalsShown = new Map(globalsScope ? variables.children(globalsScope.globals.handle).map((v) => [v.name, v.value]) : []);
  for (const p of stop.prints.filter((x) => GLOBALS.includes(x.expression))) {
    if (globalsShown.get(p.expression) !== p.text) out.push(`${stop.at} Globals ${p.expression}: ours shows ${globalsShown.get(p.expression)}, gdb ${p.text}`);
  }
  // Each expression printed in the innermost frame, as the engine's C expressions evaluate and format it.
  for (const p of stop.prints) {
    let ours: string;
    try {
      ours = inspect(cpuContext(engine, 0), p.expression, 'watch', false).result;
    } catch (e) {
      ours = `error: ${(e as Error).message}`;
    }
    if (p.value.kind === 'missing' && p.value.text === '<error>') unread.push(`${stop.at} print ${p.expression}: gdb cannot evaluate it, ours ${ours}`);
    else if (ours !== p.text) {
      if (bothUnavailable(ours, p.text)) otherwise.push(`${stop.at} print ${p.expression}: ours ${ours}, gdb ${p.text}`);
      else out.push(`${stop.at} print ${p.expression}: ours ${ours}, gdb ${p.text}`);
    }
  }
  return out;
}

for (const board of QEMU_BOARDS) {
  // DWARF 5 from both compilers, and gcc's DWARF 4 (GNU call sites and entry values) as older toolchains write it.
  for (const [compiler, optimization] of [['gcc', '-O0'], ['gcc', '-O2'], ['gcc', '-gdwarf-4 -O2'], ['clang', '-O0'], ['clang', '-O2']] as const) {
    describe(`${board.arch} ${compiler} ${optimization}: C variables of frame-values.c`, () => {
      test("at each stop, every frame's arguments and locals and the printed globals match gdb's", async (t) => {
        const elf = join(dir, `${board.arch}-${compiler}${optimization.replace(/ /g, '')}-values.elf`);
        compile(board, compiler, optimization, elf);
        const stops = await gdbStops(board, elf, STOPS);
        assert.equal(stops.length, STOPS.length);
        const recursion = stops[3]!.frames.filter((f) => f.function === 'depth_sum').length;
        assert.equal(recursion, 4, `gdb's backtrace at the bottom of depth_sum: ${stops[3]!.frames.map((f) => f.function).join(' ')}`);
        const engine = Engine.launchQuick({ arch: board.arch, image: { path: elf, bytes: new Uint8Array(readFileSync(elf)) }, cpus: 1, onUart: () => {} });
        const diffs: string[] = [];
        const unread: string[] = [];
        const otherwise: string[] = [];
        let compared = 0;
        for (const stop of stops) {
          engine.setInstructionBreakpoints([stop.pc]);
          assert.deepEqual(engine.run(), { kind: 'breakpoint', cpu: 0, pc: Number(stop.pc) }, `the engine reaches ${stop.at}`);
          diffs.push(...compareStop(engine, stop, unread, otherwise));
          compared += stop.frames.reduce((n, f) => n + f.args.length + f.locals.length, 0);
        }
        assert.ok(compared >= 25, `gdb showed ${compared} arguments and locals`);
        for (const u of unread) t.diagnostic(`not compared, gdb cannot read it: ${u}`);
        for (const u of otherwise) t.diagnostic(`not the same text, by design: ${u}`);
        assert.deepEqual(diffs, []);
      });
    });
  }
}
