// The C samples over DAP (samples/riscv64-c and samples/aarch64-c at -O0, as
// their launch.json loads them, and at -O2 through O2/launch.json): breakpoints on .c lines of the root zone and
// of zone 1 bind and stop the CPU that runs them; the stack shows C frames
// with their file and line; next, stepIn and stepOut move by line; and the
// disassembly carries the .c lines; Locals and Globals hold the frame's C
// variables with their values, setVariable writes one, and evaluate takes C
// expressions, answering with gdb's texts. stepIn stops where gdb-multiarch's
// `break FUNC` on the same ELF does (past the prologue, as its `step` does).
// A run to power-off delivers every line the guest printed before it ends.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { children, collectOutput, continueTo, launchOnEntry, scopeVariables, startClient } from './dap-client';
import { C_SAMPLES, elf, ensureCSamples } from '../samples/c-samples';
import { requireCommands } from '../../scripts/external-tools.mjs';

before(() => ensureCSamples());

/** The 1-based line of the only line in `file` that contains `text`. */
function lineOf(file: string, text: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
  assert.equal(at.length, 1, `"${text}" is on exactly one line of ${file}: ${at.join(', ')}`);
  return at[0]!;
}

/** gdb-multiarch's answers to `commands` on an ELF alone, without running it. */
function gdb(path: string, ...commands: string[]): string {
  requireCommands('gdb-multiarch');
  return execFileSync('gdb-multiarch', ['-nx', '-batch', ...commands.flatMap((c) => ['-ex', c]), path], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Where gdb-multiarch's `break FUNC` puts its breakpoint in an ELF: the address and line its `step` into FUNC stops at. */
function gdbBreak(path: string, func: string): { address: bigint; file: string; line: number } {
  const out = gdb(path, `break ${func}`);
  const m = /^Breakpoint 1 at (0x[0-9a-f]+): file (.+), line (\d+)\.$/m.exec(out);
  assert.ok(m, `gdb-multiarch's break ${func} in ${path}: ${out}`);
  return { address: BigInt(m[1]!), file: m[2]!, line: Number(m[3]) };
}

/** name (without its address), file and line of each frame. */
const shape = (frames: readonly DebugProtocol.StackFrame[]): string[] =>
  frames.map((f) => `${f.name.replace(/(\+0x[0-9a-f]+)? \(0x[0-9a-f]+\)$/, '')} ${f.source?.path ? basename(f.source.path) : '-'}:${f.line}`);

async function evaluate(dc: DebugClient, frameId: number, expression: string): Promise<string> {
  return (await dc.evaluateRequest({ expression, frameId, context: 'watch' })).body.result;
}

async function frames(dc: DebugClient, threadId: number): Promise<DebugProtocol.StackFrame[]> {
  return (await dc.stackTraceRequest({ threadId })).body.stackFrames;
}

type Step = 'next' | 'stepIn' | 'stepOut';
/** One step by line of one thread; returns its stop. */
async function step(dc: DebugClient, kind: Step, threadId: number): Promise<DebugProtocol.StoppedEvent> {
  const request = kind === 'next' ? dc.nextRequest({ threadId }) : kind === 'stepIn' ? dc.stepInRequest({ threadId }) : dc.stepOutRequest({ threadId });
  const [, stop] = await Promise.all([request, dc.waitForEvent('stopped')]);
  return stop as DebugProtocol.StoppedEvent;
}

for (const arch of ['riscv64', 'aarch64'] as const) {
  const dir = C_SAMPLES[arch];
  const ROOT_C = join(dir, 'root.c');
  const ZONE1_C = join(dir, 'zone1.c');

  test(`${arch}-c: a breakpoint in root.c stops a root CPU in count with C frames; next, stepIn and stepOut move by line; disassembly has the lines`, async () => {
    const increment = lineOf(ROOT_C, 'counter = counter + 1;');
    const unlock = lineOf(ROOT_C, 'spin_unlock(&counter_lock);');
    const unlockBody = lineOf(ROOT_C, '__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);');
    const countCall = lineOf(ROOT_C, 'count(&cpus[0]);');
    const dc = await startClient();
    try {
      await launchOnEntry(dc, {}, [], dir);
      const set = await dc.setBreakpointsRequest({ source: { path: ROOT_C }, breakpoints: [{ line: increment }] });
      assert.deepEqual(set.body.breakpoints.map((b) => [b.verified, b.line]), [[true, increment]]);
      const hit = await continueTo(dc, 1);
      assert.equal(hit.body.reason, 'breakpoint');
      assert.equal(hit.body.threadId, 1, 'CPU 0 counts first: CPU 1 has only just been started');
      await dc.setBreakpointsRequest({ source: { path: ROOT_C }, breakpoints: [] });
      const stack = await frames(dc, 1);
      assert.deepEqual(shape(stack).slice(0, 2), [`count root.c:${increment}`, `main root.c:${countCall}`]);
      assert.equal(stack[0]!.source?.path, ROOT_C);
      assert.equal(stack[0]!.instructionPointerReference, set.body.breakpoints[0]!.instructionReference);

      const dis = await dc.disassembleRequest({ memoryReference: stack[0]!.instructionPointerReference!, instructionCount: 1 });
      const insn = dis.body!.instructions[0]!;
      assert.equal(insn.location?.path, ROOT_C);
      assert.equal(insn.line, increment);

      // Locals: count's argument and its loop counter; Globals: the unit's globals, read through CPU 0.
      const locals = await scopeVariables(dc, 1, 'Locals');
      assert.deepEqual([...locals.keys()], ['me', 'round']);
      assert.equal(locals.get('round')!.value, '0');
      assert.equal(locals.get('round')!.type, 'int');
      assert.match(locals.get('me')!.value, /^0x[0-9a-f]+ <cpus>$/);
      const me = await children(dc, locals.get('me')!);
      assert.equal(me.get('*me')!.value, `{${arch === 'riscv64' ? 'hartid' : 'cpu'} = 0, state = CPU_COUNTING, increments = 0}`);
      const globals = await scopeVariables(dc, 1, 'Globals');
      assert.equal(globals.get('counter')!.value, '0');
      assert.equal(globals.get('counter_lock')!.value, '{locked = 1}', 'CPU 0 holds the lock');
      assert.equal(globals.get('cpus')!.type, 'struct cpu_record [2]');
      assert.match(globals.get('cpus')!.value, /^\{\{.*state = CPU_COUNTING.*\}, \{.*state = CPU_PARKED.*\}\}$/);
      assert.ok(globals.get('zone1_config')!.memoryReference, 'a global in memory has a memory reference');
      // setVariable writes round in CPU 0's stack frame; evaluate reads it back, with C expressions around it.
      const localsRef = (await dc.scopesRequest({ frameId: stack[0]!.id })).body.scopes.find((x) => x.name === 'Locals')!.variablesReference;
      const set5 = await dc.setVariableRequest({ variablesReference: localsRef, name: 'round', value: '5' });
      assert.equal(set5.body.value, '5');
      assert.equal(await evaluate(dc, stack[0]!.id, 'round'), '5');
      assert.equal(await evaluate(dc, stack[0]!.id, 'counter'), '0');
      assert.equal(await evaluate(dc, stack[0]!.id, 'me->state'), 'CPU_COUNTING');
      assert.equal(await evaluate(dc, stack[0]!.id, 'cpus[1].state'), 'CPU_PARKED');
      assert.equal(await evaluate(dc, stack[0]!.id, 'zone1_config.memory_regions[1].size'), '4096');
      // Arithmetic on the program's values has C's types, and reads as gdb's `print` does.
      assert.equal(await evaluate(dc, stack[0]!.id, 'round * 2 + 1'), '11');
      assert.equal(await evaluate(dc, stack[0]!.id, 'counter + 1'), '1');
      assert.equal(await evaluate(dc, stack[0]!.id, 'cpus[1].state == 0'), '1');
      assert.equal(await evaluate(dc, stack[0]!.id, 'cpus[1].state == CPU_PARKED'), '1');
      assert.equal(await evaluate(dc, stack[0]!.id, 'me->state != CPU_COUNTING'), '0');
      assert.equal(await evaluate(dc, stack[0]!.id, 'me->state == cpus[1].state'), '0');
      // Addresses, sizes and enumerators, as gdb prints them from the ELF alone.
      const statics = ['&counter', '&cpus[1]', 'sizeof(cpus)', 'CPU_DONE', '(int)CPU_DONE', 'CPU_DONE + 1'];
      const printed = gdb(elf(arch, 'root', 'O0'), ...statics.map((x) => `print ${x}`)).trim().split('\n').map((l) => l.replace(/^\$\d+ = /, ''));
      assert.equal(printed.length, statics.length, printed.join('\n'));
      for (const [i, x] of statics.entries()) assert.equal(await evaluate(dc, stack[0]!.id, x), printed[i], `${x}: gdb prints ${printed[i]}`);

      // next: the increment's line is done, the unlock's is next.
      assert.equal((await step(dc, 'next', 1)).body.reason, 'step');
      assert.deepEqual(shape(await frames(dc, 1)).slice(0, 2), [`count root.c:${unlock}`, `main root.c:${countCall}`]);
      // stepIn: into spin_unlock, past its prologue at its body's line, where gdb's `step` ends.
      const gdbUnlock = gdbBreak(elf(arch, 'root', 'O0'), 'spin_unlock');
      assert.deepEqual([basename(gdbUnlock.file), gdbUnlock.line], ['root.c', unlockBody]);
      await step(dc, 'stepIn', 1);
      const unlockStack = await frames(dc, 1);
      assert.deepEqual(shape(unlockStack).slice(0, 3), [`spin_unlock root.c:${unlockBody}`, `count root.c:${unlock}`, `main root.c:${countCall}`]);
      assert.equal(BigInt(unlockStack[0]!.instructionPointerReference!), gdbUnlock.address);
      // stepOut: back in count, past the call.
      await step(dc, 'stepOut', 1);
      const out = shape(await frames(dc, 1));
      assert.match(out[0]!, /^count root\.c:\d+$/);
      assert.ok(Number(out[0]!.split(':')[1]) > unlock - 1, `stepOut returns to count at or after line ${unlock}: ${out[0]}`);
      assert.equal(out[1], `main root.c:${countCall}`);
    } finally {
      await dc.stop();
    }
  });

  test(`${arch}-c: a breakpoint in zone1.c stops CPU 2 in zone 1's main; stepIn enters sum_of_squares`, async () => {
    const call = lineOf(ZONE1_C, 'total = sum_of_squares(numbers, 4);');
    const first = lineOf(ZONE1_C, 'int sum = 0;');
    const dc = await startClient();
    try {
      await launchOnEntry(dc, {}, [], dir);
      const set = await dc.setBreakpointsRequest({ source: { path: ZONE1_C }, breakpoints: [{ line: call }] });
      assert.deepEqual(set.body.breakpoints.map((b) => [b.verified, b.line]), [[true, call]]);
      const hit = await continueTo(dc, 1);
      assert.equal(hit.body.reason, 'breakpoint');
      assert.equal(hit.body.threadId, 3, 'zone 1 runs on CPU 2 (thread 3)');
      await dc.setBreakpointsRequest({ source: { path: ZONE1_C }, breakpoints: [] });
      const stack = await frames(dc, 3);
      assert.equal(shape(stack)[0], `main zone1.c:${call}`);
      assert.equal(stack[0]!.source?.path, ZONE1_C);

      // main's locals: the greeting struct, the array and the total it has not computed yet.
      const id = arch === 'riscv64' ? 'hartid' : 'cpu';
      const dtb = arch === 'riscv64' ? '0x8af00000' : '0x60f00000';
      const locals = await scopeVariables(dc, 3, 'Locals');
      assert.deepEqual([...locals.keys()], arch === 'riscv64' ? ['hartid', 'dtb', 'g', 'numbers', 'total'] : ['dtb', 'g', 'numbers', 'total']);
      if (arch === 'riscv64') assert.equal(locals.get('hartid')!.value, '2');
      assert.equal(locals.get('numbers')!.value, '{1, 2, 3, 4}');
      assert.equal(locals.get('numbers')!.type, 'int [4]');
      const g = await children(dc, locals.get('g')!);
      assert.equal(g.get(id)!.value, '2');
      assert.equal(await evaluate(dc, stack[0]!.id, 'numbers[2]'), '3');
      assert.equal(await evaluate(dc, stack[0]!.id, `g.${id}`), '2');
      assert.equal(BigInt(await evaluate(dc, stack[0]!.id, 'g.dtb')), BigInt(dtb));
      assert.match(await evaluate(dc, stack[0]!.id, 'g.zone'), /"zone1"$/);

      // Into sum_of_squares, past its prologue at its first statement's line, where gdb's `step` ends.
      const gdbSum = gdbBreak(elf(arch, 'zone1', 'O0'), 'sum_of_squares');
      assert.deepEqual([basename(gdbSum.file), gdbSum.line], ['zone1.c', first]);
      await step(dc, 'stepIn', 3);
      const sumStack = await frames(dc, 3);
      assert.deepEqual(shape(sumStack).slice(0, 2), [`sum_of_squares zone1.c:${first}`, `main zone1.c:${call}`]);
      assert.equal(BigInt(sumStack[0]!.instructionPointerReference!), gdbSum.address);
      // The loop's line, then stepOut back to main's call line, the call not yet finished (it still stores total).
      await step(dc, 'next', 3);
      assert.equal(shape(await frames(dc, 3))[0], `sum_of_squares zone1.c:${first + 2}`);
      await step(dc, 'stepOut', 3);
      assert.deepEqual(shape(await frames(dc, 3)).slice(0, 1), [`main zone1.c:${call}`]);
    } finally {
      await dc.stop();
    }
  });
}

for (const arch of ['riscv64', 'aarch64'] as const) {
  const dir = C_SAMPLES[arch];
  const ZONE1_C = join(dir, 'zone1.c');

  test(`${arch}-c at -O2 (O2/launch.json): a zone1.c breakpoint stops CPU 2 in main at its line, and the run ends with the sample's output`, async () => {
    const line = lineOf(ZONE1_C, 'put_str("[zone1] 1*1 + 2*2 + 3*3 + 4*4 = ");');
    const dc = await startClient();
    const output = collectOutput(dc);
    try {
      await launchOnEntry(dc, {}, [], join(dir, 'O2'));
      const set = await dc.setBreakpointsRequest({ source: { path: ZONE1_C }, breakpoints: [{ line }] });
      assert.deepEqual(set.body.breakpoints.map((b) => [b.verified, b.line]), [[true, line]]);
      const hit = await continueTo(dc, 1);
      assert.equal(hit.body.reason, 'breakpoint');
      assert.equal(hit.body.threadId, 3, 'zone 1 runs on CPU 2 (thread 3)');
      assert.equal(shape(await frames(dc, 3))[0], `main zone1.c:${line}`);
      await dc.setBreakpointsRequest({ source: { path: ZONE1_C }, breakpoints: [] });
      await Promise.all([dc.continueRequest({ threadId: 3 }), dc.waitForEvent('terminated')]);
      assert.match(output.text(), /^\[zone 0\] \[root\] counter = 2000 /m);
      assert.match(output.text(), /^\[zone 1\] \[zone1\] 1\*1 \+ 2\*2 \+ 3\*3 \+ 4\*4 = 30$/m);
      assert.match(output.text(), /^\[zone 0\] \[root\] powering off$/m);
    } finally {
      await dc.stop();
    }
  });
}
