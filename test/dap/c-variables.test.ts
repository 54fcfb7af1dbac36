// C variables over DAP: test/guests/dwarf/values.c as zone 1 of each sample
// (riscv64 gcc -O0 and clang -O2, aarch64 gcc -O2), stopped in walk. A guest
// frame with DWARF shows Locals and Globals first; values expand lazily by
// reference (a pointer to its pointee, a struct to its members, an array to
// its elements in pages); setVariable writes through the location and
// answers the new value, refusing what has no storage; evaluate runs C
// expressions in the frame it names (a caller's too) and hands back
// expandable results; completions offer the frame's variables; conditions
// and logpoints read C locals.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireCommands } from '../../scripts/external-tools.mjs';
import { AARCH64_SAMPLE, SAMPLE, children, continueTo, launchOnEntry, startClient } from './dap-client';

const SOURCE = resolve('test/guests/dwarf/values.c');
const LINKER_SCRIPT = resolve('test/guests/dwarf/frames.ld');
/** `sink = sum + depth + tag;` in walk. */
const WALK_LINE = 79;

let dir = '';
before(() => void (dir = mkdtempSync(join(tmpdir(), 'hvisor-c-variables-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

const BUILDS = [
  { arch: 'riscv64', prefix: 'riscv64-linux-gnu', compiler: 'gcc', optimization: '-O0', text: '0x8a000000', sample: SAMPLE },
  { arch: 'riscv64', prefix: 'riscv64-linux-gnu', compiler: 'clang', optimization: '-O2', text: '0x8a000000', sample: SAMPLE },
  { arch: 'aarch64', prefix: 'aarch64-linux-gnu', compiler: 'gcc', optimization: '-O2', text: '0x60000000', sample: AARCH64_SAMPLE },
] as const;

function build(b: (typeof BUILDS)[number]): string {
  const elf = join(dir, `${b.arch}-${b.compiler}${b.optimization}.elf`);
  const [command, ...driver] = b.compiler === 'gcc' ? [`${b.prefix}-gcc`, '-Wl,--no-warn-rwx-segments'] : ['clang', `--target=${b.prefix}`, '-fuse-ld=lld'];
  requireCommands(command!, ...(b.compiler === 'clang' ? ['ld.lld'] : []));
  execFileSync(command!, [...driver, '-g', b.optimization, '-nostdlib', '-static', '-ffreestanding', '-Wl,--build-id=none', '-T', LINKER_SCRIPT, `-Wl,-Ttext=${b.text}`, '-o', elf, SOURCE], { stdio: 'pipe' });
  return elf;
}

async function scopes(dc: DebugClient, frameId: number): Promise<DebugProtocol.Scope[]> {
  return (await dc.scopesRequest({ frameId })).body.scopes;
}

async function scopeMap(dc: DebugClient, scope: DebugProtocol.Scope): Promise<Map<string, DebugProtocol.Variable>> {
  const vars = (await dc.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
  return new Map(vars.map((v) => [v.name, v]));
}

async function evaluate(dc: DebugClient, expression: string, frameId: number, context = 'watch'): Promise<DebugProtocol.EvaluateResponse['body']> {
  return (await dc.evaluateRequest({ expression, frameId, context })).body;
}

for (const b of BUILDS) {
  test(`${b.arch} ${b.compiler} ${b.optimization}: Locals and Globals of walk and main, lazy expansion, setVariable, evaluate in a frame, completions`, async () => {
    const elf = build(b);
    const dc = await startClient();
    try {
      await launchOnEntry(dc, { images: [{ path: 'root.S', zone: 0 }, { path: elf, zone: 1 }] }, [], b.sample);
      await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [{ line: WALK_LINE }] });
      const thread = (await continueTo(dc, 1)).body.threadId!;
      assert.equal(thread, 3, 'zone 1 runs on CPU 2 (thread 3)');
      const frames = (await dc.stackTraceRequest({ threadId: thread })).body.stackFrames;
      assert.match(frames[0]!.name, /^walk/);
      assert.match(frames[1]!.name, /^main/);
      const [walk, main] = [frames[0]!.id, frames[1]!.id];

      const walkScopes = await scopes(dc, walk);
      assert.deepEqual(walkScopes.map((s) => s.name), ['Locals', 'Globals', 'PerCpu', 'Registers', 'Zone', 'Locks', 'Hypervisor']);
      assert.equal(walkScopes[0]!.presentationHint, 'locals');
      const locals = await scopeMap(dc, walkScopes[0]!);
      assert.deepEqual([...locals.keys()].sort(), ['depth', 'list', 'p', 'sum', 'tag']);
      if (b.optimization === '-O0') {
        assert.equal(locals.get('depth')!.value, '0');
        assert.equal(locals.get('tag')!.value, "65 'A'");
        assert.equal(locals.get('sum')!.value, '60');
        assert.equal(locals.get('p')!.value, '0x0');
        assert.match(locals.get('list')!.value, /^0x[0-9a-f]+ <nodes>$/);
      }
      // Optimized code: each value is there or says why not (gdb's agreement is test/engine/debug/c-values.test.ts).
      for (const v of locals.values()) assert.match(v.value, /^(-?\d|0x|<|{|'|")/, `${v.name} = ${v.value}`);
      assert.equal(locals.get('depth')!.type, 'int');
      assert.equal(locals.get('list')!.type, 'node_t *');

      // head -> *head -> key, next: one level per request, with expressions that name each.
      const globals = await scopeMap(dc, walkScopes[1]!);
      const head = globals.get('head')!;
      assert.equal(head.type, 'node_t *');
      assert.match(head.value, /^0x[0-9a-f]+ <nodes>$/);
      const pointee = (await children(dc, head)).get('*head')!;
      assert.equal(pointee.value, `{key = 10, next = ${(await evaluate(dc, 'nodes[0].next', walk)).result.replace(/^\([^)]*\) /, '')}}`);
      const members = await children(dc, pointee);
      assert.deepEqual([...members.keys()], ['key', 'next']);
      assert.equal(members.get('key')!.evaluateName, 'head->key');
      assert.equal(members.get('next')!.evaluateName, 'head->next');
      assert.ok(members.get('key')!.memoryReference, 'a value in memory has a memory reference');

      // Globals: an array pages by start/count; a struct's members; a char pointer's string.
      const numbers = globals.get('numbers')!;
      assert.equal(numbers.indexedVariables, 16);
      const page = (await dc.variablesRequest({ variablesReference: numbers.variablesReference, filter: 'indexed', start: 14, count: 2 })).body.variables;
      assert.deepEqual(page.map((v) => `${v.name} = ${v.value} (${v.evaluateName})`), ['[14] = 15 (numbers[14])', '[15] = 16 (numbers[15])']);
      assert.equal(globals.get('greeting')!.value.replace(/^0x[0-9a-f]+ /, ''), '"hi there"');
      assert.equal(globals.get('mode')!.value, '(ACCESS_READ | ACCESS_WRITE)');
      const bits = (await children(dc, globals.get('shape')!)).get('bits')!;
      assert.equal(bits.value, "{low = 5, middle = -3, high = 1000, flag = 1 '\\001'}");

      // setVariable: through the location, the new value back, the pane invalidated; what has no storage is refused.
      const set = await dc.setVariableRequest({ variablesReference: numbers.variablesReference, name: '[2]', value: '300 + 3' });
      assert.equal(set.body.value, '303');
      assert.equal((await evaluate(dc, 'numbers[2]', walk)).result, '303');
      const key = await dc.setVariableRequest({ variablesReference: pointee.variablesReference, name: 'key', value: '12' });
      assert.equal(key.body.value, '12');
      assert.equal((await evaluate(dc, 'head->key', walk)).result, '12');
      const struct = await dc.setVariableRequest({ variablesReference: walkScopes[1]!.variablesReference, name: 'shape', value: '1' }).catch((e: Error) => e);
      assert.ok(struct instanceof Error && /shape cannot be set: a struct is set by its members or elements/.test(struct.message), String(struct));

      // Bad input is refused with a message naming it.
      const refused = async (name: string, value: string, reference = numbers.variablesReference): Promise<string> => {
        const r = await dc.setVariableRequest({ variablesReference: reference, name, value }).catch((e: Error) => e);
        assert.ok(r instanceof Error, `${name} = ${value} is refused`);
        return r.message;
      };
      assert.match(await refused('[99]', '1'), /numbers has no member or element named "\[99\]"/);
      assert.match(await refused('[1]', 'no_such_name'), /no register, PerCpu field or symbol named "no_such_name"/);
      assert.match(await refused('[1]', 'head->'), /expected a member name after "->"/);
      assert.match(await refused('key', 'shape', pointee.variablesReference), /struct shape cannot be converted to int/);

      // evaluate: C expressions, expandable results, a caller frame's own variables.
      const chain = await evaluate(dc, 'head->next->next', walk);
      assert.match(chain.result, /^\(struct node \*\) 0x[0-9a-f]+ <nodes\+32>$/);
      assert.ok(chain.variablesReference > 0);
      const last = (await dc.variablesRequest({ variablesReference: chain.variablesReference })).body.variables;
      assert.equal(last[0]!.value, '{key = 30, next = 0x0}');
      assert.equal((await evaluate(dc, 'sizeof(struct shape)', walk)).result, '48');
      assert.equal((await evaluate(dc, 'numbers[3] * 2 + zeros[0]', walk)).result, '8', 'arithmetic on C ints is an int, printed as gdb prints it');
      assert.equal((await evaluate(dc, 'head == &nodes[0]', walk)).result, '1');
      assert.equal((await evaluate(dc, '(head + 1)->key', walk)).result, '20');
      const mainScopes = await scopes(dc, main);
      assert.equal(mainScopes[0]!.name, 'Locals');
      const mainLocals = await scopeMap(dc, mainScopes[0]!);
      assert.equal(mainLocals.get('c')!.value, "65 'A'");
      assert.equal((await evaluate(dc, 'c', main)).result, "65 'A'");
      assert.equal((await evaluate(dc, 'uc', main)).result, "200 '\\310'");
      const inMain = await dc.evaluateRequest({ expression: 'depth', frameId: main, context: 'watch' }).catch((e: Error) => e);
      assert.ok(inMain instanceof Error && /"depth"/.test(inMain.message), 'walk\'s parameter is not main\'s');

      // The debug console assigns; completions offer the frame's variables.
      assert.equal((await evaluate(dc, 'zeros[3] = 9', walk, 'repl')).result, '9');
      assert.equal((await evaluate(dc, 'zeros[3]', walk)).result, '9');
      const completions = (await dc.completionsRequest({ text: 'de', column: 3, frameId: walk })).body.targets.map((t) => t.label);
      assert.ok(completions.includes('depth'), completions.join(' '));
    } finally {
      await dc.stop();
    }
  });
}

test('riscv64 gcc -O0: a condition and a logpoint on C locals', async () => {
  const elf = build(BUILDS[0]);
  const dc = await startClient();
  try {
    let logged = '';
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === 'console') logged += e.body.output;
    });
    await launchOnEntry(dc, { images: [{ path: 'root.S', zone: 0 }, { path: elf, zone: 1 }] });
    const set = await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [{ line: WALK_LINE, condition: 'depth == 2 && list->next->key == 20' }, { line: 73, logMessage: 'walk depth={depth} head={head->key}' }] });
    assert.deepEqual(set.body.breakpoints.map((x) => x.verified), [true, true]);
    const thread = (await continueTo(dc, 1)).body.threadId!;
    const frames = (await dc.stackTraceRequest({ threadId: thread })).body.stackFrames;
    const locals = await scopeMap(dc, (await scopes(dc, frames[0]!.id))[0]!);
    assert.equal(locals.get('depth')!.value, '2');
    await new Promise((r) => setTimeout(r, 100));
    assert.match(logged, /walk depth=0 head=10\n[^]*walk depth=1 head=10\n[^]*walk depth=2 head=10\n/);
  } finally {
    await dc.stop();
  }
});
