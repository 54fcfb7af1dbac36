// C values in the engine against gdb-multiarch: test/guests/dwarf/values.c
// (structs, unions, enums, arrays, bitfields, chars, floats, strings,
// function pointers, a pointer chain) built by gcc at -O0 and -O2 and by
// clang, runs under qemu-system with its gdbstub to the first stop in walk;
// our engine runs the same ELF to the same pc. The Locals of walk and of its
// caller main (gdb's `info args` and `info locals` after `up`), walk's again
// further on where optimized code has reused the parameters' registers (entry
// values from main's call site), the Globals,
// and `print` of C expressions must read as gdb prints them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Engine, type Arch } from '../../../engine/api';
import { FrameVariables } from '../../../engine/debug/c/frame-variables';
import { cpuContext, frameContext } from '../../../engine/debug/cpu-context';
import { inspect } from '../../../engine/debug/inspect';
import { requireCommands } from '../../../scripts/external-tools.mjs';
import { freePort } from '../../oracle/free-port';

const SOURCE = resolve('test/guests/dwarf/values.c');
const LINKER_SCRIPT = resolve('test/guests/dwarf/frames.ld');
/** `sink = sum + depth + tag;` in walk. */
const SUM_LINE = 79;

interface Board {
  readonly arch: Arch;
  readonly prefix: string;
  readonly text: string;
  readonly qemu: readonly string[];
}

const RISCV64: Board = { arch: 'riscv64', prefix: 'riscv64-linux-gnu', text: '0x80200000', qemu: ['qemu-system-riscv64', '-machine', 'virt', '-bios', 'none'] };
const AARCH64: Board = { arch: 'aarch64', prefix: 'aarch64-linux-gnu', text: '0x40080000', qemu: ['qemu-system-aarch64', '-machine', 'virt', '-cpu', 'cortex-a57'] };

const BUILDS: readonly { board: Board; compiler: 'gcc' | 'clang'; optimization: string }[] = [
  { board: RISCV64, compiler: 'gcc', optimization: '-O0' },
  { board: RISCV64, compiler: 'gcc', optimization: '-O2' },
  { board: RISCV64, compiler: 'clang', optimization: '-O2' },
  { board: AARCH64, compiler: 'gcc', optimization: '-O2' },
  { board: AARCH64, compiler: 'clang', optimization: '-O0' },
];

/** C expressions printed in walk's frame; each names only what every build keeps (globals, and the parameters gdb can read). */
const EXPRESSIONS = [
  'head', '*head', 'head->next->key', 'head->next->next->next', 'nodes[1]', 'nodes', '&nodes[1]', 'head + 1', '(head + 2)->key', '*(head + 1)',
  'shape', 'shape.name', 'shape.bits', 'shape.bits.middle', 'shape.word', 'shape.word.bytes[2]', 'shape.area', 'shape.label', 'shape.color',
  'sizeof(struct shape)', 'sizeof shape', 'sizeof(node_t)', 'sizeof numbers', 'numbers', 'numbers[3]', 'zeros', 'message', 'message[1]',
  'mode', 'unnamed_color', 'ratio', 'precise', 'letters', 'ready', 'big', 'negative', 'opaque', 'greeting', '*greeting', 'counter',
  '(node_t *)&nodes[2]', '((struct node *)&nodes[2])->key', '(long)negative', '(unsigned char)300', '(char)65', '(unsigned short)negative',
  '&nodes[2] - &nodes[0]', 'head == &nodes[0]', 'head != &nodes[0]', '&shape.bits', 's1', 'odd_mode', '(enum access)2', '(enum color)5',
  'numbers[3] * 2', 'negative + 1', 'big + 1', 'counter << 2', '-counter', '~negative', 'counter > 3', 'letters[0] + letters[3]', 'sizeof(long) * counter',
  // Floating-point arithmetic: float in float precision, double in double, the usual arithmetic conversions, casts both ways.
  'ratio * 2', 'ratio * 3', 'ratio + precise', 'precise / 3', 'counter / 2.0', '-ratio', '+ratio', '!ratio', '!0.0', '-0.0', '-ratio * 0',
  'ratio < 1.5', 'ratio == 0.1f', 'ratio == 0.1', 'ratio && 0', 'ratio > 0 || 0', '1.0/3 > 1.0f/3', '(int)(precise * 1e12)', '(int)-2.7',
  '1 ? 1 : 2.5', '0 ? 1 : 2.5f', 'counter ? ratio : 2', '1.5 + 2', '1.5f', '2e-3', '1.', '.5', '0x1.8p1', '1e-45f', 'sizeof(1.5f)', 'sizeof(ratio * 2)',
  '1.0/0', '-1.0/0', '1e300 * 1e300', '(float)1e300', 'shape.scale * numbers[3]', 'shape.word.f * 2', '(float)precise', '(double)ratio',
  '(char)65.7', '(unsigned char)300.5', '(long)1e19', '(int)1e10', '(unsigned long)-1.5', '(_Bool)0.5', 'big * 1.0', 'big * 1.0f', '(float)big', 'negative * 0.5f',
  '1 + 16777217.0f', '(float)1/3', 'numbers[1.5]', '(long)(precise * 4e10)', '(enum color)5.5', 'ratio + (enum color)5', '1.000000059604644775390625001f', '3.4028235677973366e38f', '0x1.000001000000001p0f', '(float)0x1000001000000001', 'ratio * letters[0]', '1.5 ? ratio : 2',
  // What C refuses on floating-point values, gdb refuses too.
  'ratio % 2', 'ratio & 1', '~ratio', 'ratio << 1', 'head + 1.5',
];
/** An expression gdb refuses (it prints no `$N = `) and ours refuses (it throws) reads the same. */
const REFUSED = 'refused';

let dir = '';
before(() => void (dir = mkdtempSync(join(tmpdir(), 'hvisor-c-values-'))));
after(() => rmSync(dir, { recursive: true, force: true }));


function compile(board: Board, compiler: 'gcc' | 'clang', optimization: string, elf: string): void {
  const [command, ...driver] = compiler === 'gcc' ? [`${board.prefix}-gcc`, '-Wl,--no-warn-rwx-segments'] : ['clang', `--target=${board.prefix}`, '-fuse-ld=lld'];
  requireCommands(command!, ...(compiler === 'clang' ? ['ld.lld'] : []));
  execFileSync(command!, [...driver, '-g', optimization, '-nostdlib', '-static', '-ffreestanding', '-Wl,--build-id=none', '-T', LINKER_SCRIPT, `-Wl,-Ttext=${board.text}`, '-o', elf, SOURCE], { stdio: 'pipe' });
}

interface GdbView {
  readonly pc: bigint;
  readonly walk: string[];
  readonly main: string[];
  /** main's f, which gdb's info locals leaves out where it is a constant of the DWARF (DW_AT_const_value bytes). */
  readonly f: string;
  readonly prints: string[];
  /** At `sink = sum + depth + tag;`, where optimized builds have reused the parameters' registers (gdb reads them as entry values from main's call site). */
  readonly pcAtSum: bigint;
  readonly walkAtSum: string[];
}

/** gdb at the first stop in walk under qemu-system: walk's args and locals, main's locals, and each expression printed. */
async function gdbView(board: Board, elf: string): Promise<GdbView> {
  requireCommands(board.qemu[0]!, 'gdb-multiarch');
  const p = await freePort();
  const qemu = spawn(board.qemu[0]!, [...board.qemu.slice(1), '-m', '512M', '-nographic', '-monitor', 'none', '-serial', 'none', '-kernel', elf, '-S', '-gdb', `tcp::${p}`], { stdio: 'ignore' });
  try {
    const commands = [
      'set width 0', 'set height 0', `target remote 127.0.0.1:${p}`, 'set $pc = _start', 'break walk', 'continue',
      'echo @@pc\\n', 'p/x $pc', 'echo @@walk\\n', 'info args', 'info locals', 'echo @@main\\n', 'up', 'info locals', 'echo @@f\\n', 'print f', 'down',
      ...EXPRESSIONS.flatMap((e) => ['echo @@print\\n', `print ${e}`]),
      'delete', `break values.c:${SUM_LINE}`, 'continue', 'echo @@pc79\\n', 'p/x $pc', 'echo @@walk79\\n', 'info args', 'info locals', 'echo @@end\\n', 'kill',
    ];
    let out = '';
    for (let attempt = 0; attempt < 20 && !out.includes('@@end'); attempt++) {
      await new Promise((r) => setTimeout(r, 200));
      out = execFileSync('gdb-multiarch', ['-nx', '-batch', ...commands.flatMap((c) => ['-ex', c]), elf], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
    }
    const section = (name: string): string => out.split(`@@${name}\n`)[1]!.split('@@')[0]!;
    const assignments = (text: string): string[] => text.split('\n').filter((l) => /^[A-Za-z_]\w* = /.test(l)).sort();
    const prints = out.split('@@print\n').slice(1, EXPRESSIONS.length + 1).map((s) => {
      const line = s.split('@@')[0]!.trim().split('\n')[0]!;
      return /^\$\d+ = /.test(line) ? line.replace(/^\$\d+ = /, '') : REFUSED;
    });
    return {
      pc: BigInt(/= (0x[0-9a-f]+)/.exec(section('pc'))![1]!), pcAtSum: BigInt(/= (0x[0-9a-f]+)/.exec(section('pc79'))![1]!), walkAtSum: assignments(section('walk79')), walk: assignments(section('walk')), main: assignments(section('main')), f: /^\$\d+ = (.*)$/m.exec(section('f'))![1]!, prints };
  } finally {
    qemu.kill('SIGKILL');
  }
}

for (const { board, compiler, optimization } of BUILDS) {
  describe(`${board.arch} ${compiler} ${optimization}: C values of values.c`, () => {
    test('Locals of walk and main, and printed expressions, read as gdb prints them', async () => {
      const elf = join(dir, `${board.arch}-${compiler}${optimization}-values.elf`);
      compile(board, compiler, optimization, elf);
      const gdb = await gdbView(board, elf);

      const engine = Engine.launchQuick({ arch: board.arch, image: { path: elf, bytes: new Uint8Array(readFileSync(elf)) }, cpus: 1, onUart: () => {} });
      engine.setInstructionBreakpoints([gdb.pc]);
      assert.deepEqual(engine.run(), { kind: 'breakpoint', cpu: 0, pc: Number(gdb.pc) });
      const variables = new FrameVariables(engine);
      const shown = (frame: number): string[] => {
        const scopes = variables.scopes(0, frame);
        assert.ok(scopes, `frame ${frame} has DWARF`);
        return variables.children(scopes.locals.handle).map((v) => `${v.name} = ${v.value}`).sort();
      };
      assert.equal(variables.scopes(0, 0)!.function, 'walk');
      assert.deepEqual(shown(0), gdb.walk, 'walk: info args and info locals');
      assert.deepEqual(variables.children(variables.scopes(0, 0)!.locals.handle).filter((v) => v.parameter).map((v) => v.name), ['list', 'depth', 'tag'], 'the parameters, in order');
      assert.equal(variables.scopes(0, 1)!.function, 'main');
      const main = shown(1);
      assert.deepEqual(main.filter((l) => !l.startsWith('f = ')), gdb.main.filter((l) => !l.startsWith('f = ')), 'main: info locals');
      assert.ok(main.includes(`f = ${gdb.f}`), `main's f reads as gdb prints it: ${gdb.f}`);

      const ctx = cpuContext(engine, 0);
      const ours = EXPRESSIONS.map((e) => {
        try {
          return inspect(ctx, e, 'watch', false).result;
        } catch {
          return REFUSED;
        }
      });
      assert.deepEqual(EXPRESSIONS.map((e, i) => `${e} = ${ours[i]}`), EXPRESSIONS.map((e, i) => `${e} = ${gdb.prints[i]}`));

      engine.setInstructionBreakpoints([gdb.pcAtSum]);
      assert.deepEqual(engine.run(), { kind: 'breakpoint', cpu: 0, pc: Number(gdb.pcAtSum) });
      variables.reset();
      // An entry value the caller's call site does not give says so, where gdb says only <optimized out>.
      const unknownEntry = /<the value on entry to the function \(DW_OP_entry_value\) is not known in this frame[^>]*>/;
      assert.deepEqual(shown(0).map((l) => l.replace(unknownEntry, '<optimized out>')), gdb.walkAtSum, `walk at line ${SUM_LINE}: info args and info locals`);
    });
  });
}

/** The engine stopped at the first instruction of walk after its prologue (the line table's second row for it, as gdb's `break walk`). */
function stoppedInWalk(board: Board, compiler: 'gcc' | 'clang', optimization: string): Engine {
  const elf = join(dir, `${board.arch}-${compiler}${optimization}-writes.elf`);
  compile(board, compiler, optimization, elf);
  const engine = Engine.launchQuick({ arch: board.arch, image: { path: elf, bytes: new Uint8Array(readFileSync(elf)) }, cpus: 1, onUart: () => {} });
  engine.setInstructionBreakpoints([engine.findSymbol('walk')!.value]);
  assert.equal(engine.run().kind, 'breakpoint');
  engine.setInstructionBreakpoints([]);
  return engine;
}

describe('writing C values', () => {
  test('riscv64 gcc -O0: locals, members, elements, bitfields, floats and pointers are written through their locations; a caller frame evaluates and writes its own variables', () => {
    const engine = stoppedInWalk(RISCV64, 'gcc', '-O0');
    // Past the prologue, where the parameters are in their stack slots.
    engine.stepLine(0, true);
    const variables = new FrameVariables(engine);
    const scopes = variables.scopes(0, 0)!;
    const value = (e: string, frame = 0): string => inspect(frame === 0 ? cpuContext(engine, 0) : contextOf(engine, variables, frame), e, 'watch', false).result;

    assert.equal(variables.set(scopes.locals.handle, 'depth', '40 + 2').value, '42');
    assert.equal(value('depth'), '42');
    // A C variable named like a register is the variable; $name is the register.
    assert.equal(value('s1'), '77');
    assert.equal(inspect(cpuContext(engine, 0), '$s1', 'watch', true).value, engine.readRegister(0, 's1'));
    // The pointee of a pointer, then its member.
    const list = variables.children(scopes.locals.handle).find((v) => v.name === 'list')!;
    assert.equal(list.evaluateName, 'list');
    const [pointee] = variables.children(list.handle);
    assert.equal(pointee!.name, '*list');
    assert.equal(pointee!.evaluateName, '*list');
    const key = variables.children(pointee!.handle).find((v) => v.name === 'key')!;
    assert.equal(key.evaluateName, 'list->key');
    assert.equal(variables.set(pointee!.handle, 'key', '11').value, '11');
    assert.equal(value('nodes[0].key'), '11');
    // An array's elements, paged.
    const numbers = variables.children(scopes.globals.handle).find((v) => v.name === 'numbers')!;
    assert.equal(numbers.indexedChildren, 16);
    assert.deepEqual(variables.children(numbers.handle, 3, 2).map((v) => `${v.name}=${v.value} ${v.evaluateName}`), ['[3]=4 numbers[3]', '[4]=5 numbers[4]']);
    assert.equal(variables.set(numbers.handle, '[3]', '-40').value, '-40');
    assert.equal(value('numbers[3] + numbers[4]'), '-35');
    // Assignment in the debug console, through members, a bitfield and a pointer.
    const repl = (e: string): string => inspect(cpuContext(engine, 0), e, 'repl', false).result;
    assert.equal(repl('shape.bits.middle = -7'), '-7');
    assert.equal(value('shape.bits'), "{low = 5, middle = -7, high = 1000, flag = 1 '\\001'}");
    assert.equal(repl('head->next->key = 99'), '99');
    assert.equal(value('nodes[1].key'), '99');
    assert.equal(repl('message[0] = 74'), "74 'J'");
    assert.equal(value('message'), `"Jello, world", '\\000' <repeats 19 times>`);
    assert.equal(variables.set(scopes.globals.handle, 'ratio', '2.5').value, '2.5');
    // Floating-point expressions, written through the location in the target's type.
    assert.equal(variables.set(scopes.globals.handle, 'ratio', 'ratio * 2 + 0.1').value, '5.0999999');
    assert.equal(repl('precise = ratio / 4'), '1.2749999761581421');
    assert.equal(repl('shape.scale = counter / 4.0'), '1.75');
    assert.equal(value('shape.scale * 2'), '3.5');
    assert.equal(repl('shape.word.f = 1.0f / 3'), '0.333333343');
    assert.equal(value('shape.word.u'), String(0x3eaaaaab));
    assert.equal(repl('numbers[2] = -2.9'), '-2', 'an int takes the value truncated toward zero');
    assert.equal(variables.set(numbers.handle, '[5]', 'shape.scale * 10').value, '17');
    assert.equal(repl('head = &nodes[2]'), '(node_t *) 0x' + (engine.findSymbol('nodes')!.value + 32n).toString(16) + ' <nodes+32>');
    assert.equal(value('head->key'), '30');
    assert.throws(() => variables.set(scopes.globals.handle, 'shape', '1'), /shape cannot be set: a struct is set by its members or elements/);
    assert.throws(() => repl('nodes[0] = 1'), /cannot be cast to|a struct/);

    // main, the caller: its own locals, its registers as recovered, and writes into its stack frame.
    const frames = engine.guestFrames(0).frames;
    const bits = (e: string, frame: number): bigint => inspect(contextOf(engine, variables, frame), e, 'watch', true).value;
    assert.equal(bits('$pc', 1), frames[1]!.pc);
    assert.equal(bits('$sp', 1), frames[0]!.cfa);
    assert.equal(value('c', 1), "65 'A'");
    assert.throws(() => value('depth', 1), /no register, PerCpu field or symbol named "depth"/);
    const main = variables.scopes(0, 1)!;
    assert.equal(variables.set(main.locals.handle, 'round', '5').value, '5');
    assert.equal(value('round', 1), '5');
    assert.equal(variables.set(main.locals.handle, 'f', '0.5').value, '0.5');
    assert.equal(variables.set(main.locals.handle, 'f', 'f * 3 - round').value, '-3.5');
    assert.equal(value('(int)(f * 2)', 1), '-7');
  });

  test('riscv64 gcc -O2: a value with no storage is refused with the reason; a caller\'s variable in a register its callee keeps is written there', () => {
    const engine = stoppedInWalk(RISCV64, 'gcc', '-O2');
    const variables = new FrameVariables(engine);
    const main = variables.scopes(0, 1)!;
    // c is a constant of the DWARF at -O2.
    assert.throws(() => variables.set(main.locals.handle, 'c', '66'), /c cannot be set: it has no storage: the compiler computes its value/);
    const local = variables.children(main.locals.handle).find((v) => v.name === 'local')!;
    assert.match(local.readOnly ?? '', /set by its members/);
    const name = variables.children(local.handle).find((v) => v.name === 'name')!;
    assert.match(variables.children(name.handle)[0]!.readOnly ?? '', /optimized out|pieces/);
    // round lives in a callee-saved register that walk leaves alone: writing main's round writes the CPU's register.
    const round = variables.children(main.locals.handle).find((v) => v.name === 'round')!;
    assert.equal(round.readOnly, undefined);
    assert.equal(variables.set(main.locals.handle, 'round', '6').value, '6');
    assert.equal(variables.children(variables.scopes(0, 1)!.locals.handle).find((v) => v.name === 'round')!.value, '6');
  });
});

function contextOf(engine: Engine, variables: FrameVariables, frame: number): ReturnType<typeof cpuContext> {
  const found = variables.frame(0, frame)!;
  return frameContext(engine, 0, found.frame, found.scope);
}
