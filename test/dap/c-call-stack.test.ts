// Call stacks of a C guest over DAP: zone 1 of the riscv64-zones sample built
// from C (test/guests/dwarf/zone1.c, gcc -g -O0). Stopped in a nested
// function, the stack trace shows every guest frame by the image's call
// frame information, each caller at the line of its call, with its own frame
// id, and pages by startFrame/levels; a step out of a function whose own
// calls overwrote ra returns to its caller's line through the unwinder. The
// same for a recursion (test/guests/dwarf/frames.c) as zone 1 of both samples,
// whose stack ends at its assembly _start with a frame that says so, and
// whose caller frames show the registers the unwinder recovers for them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireCommands } from '../../scripts/external-tools.mjs';
import { AARCH64_SAMPLE, SAMPLE, continueTo, launchOnEntry, startClient } from './dap-client';
import { ZONE1_SOURCE, zone1Elf } from './zone1-guest';

const SOURCE = ZONE1_SOURCE;
const FRAMES = resolve('test/guests/dwarf/frames.c');
const FRAMES_LINKER_SCRIPT = resolve('test/guests/dwarf/frames.ld');
let dir = '';
let elf = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvisor-c-stack-'));
  elf = zone1Elf('-O0');
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** name (without its address), file and line of each frame. */
const shape = (frames: readonly DebugProtocol.StackFrame[]): string[] =>
  frames.map((f) => `${f.name.replace(/(\+0x[0-9a-f]+)? \(0x[0-9a-f]+\)$/, '')} ${f.source?.path ? basename(f.source.path) : '-'}:${f.line}`);

test('riscv64: a C guest stopped in putc_uart shows putc_uart, print_number and main at their lines; step out of print_number returns to main', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc, { images: [{ path: 'root.S', zone: 0 }, { path: elf, zone: 1 }] });
    await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [{ line: 11 }] });
    const hit = await continueTo(dc, 1);
    const cpu2 = hit.body.threadId!;
    assert.equal(cpu2, 3, 'zone 1 runs on CPU 2 (thread 3)');
    const trace = (await dc.stackTraceRequest({ threadId: cpu2 })).body;
    assert.deepEqual(shape(trace.stackFrames), ['putc_uart zone1.c:11', 'print_number zone1.c:26', 'main zone1.c:35']);
    assert.equal(trace.totalFrames, 3);
    const ids = trace.stackFrames.map((f) => f.id);
    assert.equal(new Set(ids).size, ids.length, `distinct frame ids: ${ids.join(', ')}`);
    assert.equal(ids[0], 3000, 'the innermost guest frame keeps its id');
    for (const f of trace.stackFrames) assert.match(f.instructionPointerReference ?? '', /^0x8a0[0-9a-f]{5}$/);

    const paged = (await dc.stackTraceRequest({ threadId: cpu2, startFrame: 1, levels: 1 })).body;
    assert.deepEqual(shape(paged.stackFrames), ['print_number zone1.c:26']);
    assert.equal(paged.totalFrames, 3);
    // A caller frame has scopes too (the CPU's registers).
    const scopes = await dc.scopesRequest({ frameId: ids[1]! });
    assert.ok(scopes.body.scopes.length > 0);

    // At line 27 print_number has called putc_uart, so ra points into print_number itself: only the unwinder knows its caller.
    await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [{ line: 27 }] });
    await continueTo(dc, cpu2);
    const inPrint = (await dc.stackTraceRequest({ threadId: cpu2 })).body.stackFrames;
    assert.deepEqual(shape(inPrint), ['print_number zone1.c:27', 'main zone1.c:35']);
    await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [] });
    const [, out] = await Promise.all([dc.stepOutRequest({ threadId: cpu2 }), dc.waitForEvent('stopped')]);
    assert.equal((out as DebugProtocol.StoppedEvent).body.reason, 'step');
    const back = (await dc.stackTraceRequest({ threadId: cpu2 })).body.stackFrames;
    // The return address is the first instruction of the loop's `round++`: the innermost frame shows the pc's own line.
    assert.deepEqual(shape(back), ['main zone1.c:32']);
    assert.equal(back[0]!.instructionPointerReference, inPrint[1]!.instructionPointerReference, 'the step out ends at the return address the unwinder found');
  } finally {
    await dc.stop();
  }
});

// frames.c as zone 1 of each sample (linked at the zone's RAM): a recursion under leaf, and _start in assembly below main.
const ZONES = [
  { arch: 'riscv64', gcc: 'riscv64-linux-gnu-gcc', text: '0x8a000000', sample: SAMPLE, saved: ['sp', 's0', 'pc'] },
  { arch: 'aarch64', gcc: 'aarch64-linux-gnu-gcc', text: '0x60000000', sample: AARCH64_SAMPLE, saved: ['sp', 'x29', 'pc'] },
] as const;

/** The Registers scope of a frame, by name. */
async function frameRegisters(dc: DebugClient, frameId: number): Promise<Map<string, DebugProtocol.Variable>> {
  const scope = (await dc.scopesRequest({ frameId })).body.scopes.find((s) => s.name === 'Registers')!;
  return new Map((await dc.variablesRequest({ variablesReference: scope.variablesReference })).body.variables.map((v) => [v.name, v]));
}

for (const zone of ZONES) {
  test(`${zone.arch}: a recursion's frames page by startFrame/levels, end at _start with a label frame, and step out leaves one frame at a time`, async () => {
    requireCommands(zone.gcc);
    const image = join(dir, `${zone.arch}-frames.elf`);
    execFileSync(zone.gcc, ['-g', '-O0', '-nostdlib', '-static', '-ffreestanding', '-Wl,--no-warn-rwx-segments', '-Wl,--build-id=none', '-T', FRAMES_LINKER_SCRIPT, `-Wl,-Ttext=${zone.text}`, '-o', image, FRAMES]);
    const dc = await startClient();
    try {
      await launchOnEntry(dc, { images: [{ path: 'root.S', zone: 0 }, { path: image, zone: 1 }] }, [], zone.sample);
      await dc.setBreakpointsRequest({ source: { path: FRAMES }, breakpoints: [{ line: 10 }] });
      const cpu2 = (await continueTo(dc, 1)).body.threadId!;
      assert.equal(cpu2, 3, 'zone 1 runs on CPU 2 (thread 3)');
      await dc.setBreakpointsRequest({ source: { path: FRAMES }, breakpoints: [] });
      const trace = (await dc.stackTraceRequest({ threadId: cpu2 })).body;
      assert.deepEqual(shape(trace.stackFrames), [
        'leaf frames.c:10', 'walk frames.c:15', 'walk frames.c:16', 'walk frames.c:16', 'walk frames.c:16', 'middle frames.c:20', 'main frames.c:25', '_start -:0',
        '(no call-frame information beyond this point) -:0',
      ]);
      assert.equal(trace.stackFrames[8]!.presentationHint, 'label');
      assert.equal(trace.totalFrames, 9);
      const page = (await dc.stackTraceRequest({ threadId: cpu2, startFrame: 5, levels: 2 })).body;
      assert.deepEqual(shape(page.stackFrames), ['middle frames.c:20', 'main frames.c:25']);
      assert.deepEqual(page.stackFrames.map((f) => f.id), trace.stackFrames.slice(5, 7).map((f) => f.id));

      // Out of leaf (ra still good), then out of walk(0), whose call to leaf overwrote ra: the unwinder's caller frame.
      // A caller frame's Registers scope holds the registers as that frame will have them once the callee returns: read-only.
      let previous: DebugProtocol.StackFrame[] = trace.stackFrames;
      for (let i = 0; i < 2; i++) {
        const recovered = await frameRegisters(dc, previous[1]!.id);
        assert.deepEqual(recovered.get('sp')!.presentationHint, { attributes: ['readOnly'] });
        const out = (await Promise.all([dc.stepOutRequest({ threadId: cpu2 }), dc.waitForEvent('stopped')]))[1] as DebugProtocol.StoppedEvent;
        assert.equal(out.body.reason, 'step');
        const now: DebugProtocol.StackFrame[] = (await dc.stackTraceRequest({ threadId: cpu2 })).body.stackFrames;
        assert.equal(now[0]!.instructionPointerReference, previous[1]!.instructionPointerReference);
        assert.match(now[0]!.name, /^walk/);
        assert.deepEqual(shape(now.slice(1)), shape(previous.slice(2)));
        const actual = await frameRegisters(dc, now[0]!.id);
        for (const name of zone.saved) assert.equal(recovered.get(name)?.value, actual.get(name)?.value, `${name} of the caller frame before step out ${i + 1}`);
        previous = now;
      }
    } finally {
      await dc.stop();
    }
  });
}
