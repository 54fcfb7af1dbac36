// A C line with code in several places is one breakpoint with a location in
// each: zone1.c built by gcc -O2 inlines putc_uart, so its line 11 has code
// in print_number's loop and in the call at its end (where gdb-multiarch's
// break zone1.c:11 puts its two locations). The breakpoint stops at both,
// each stop naming the one breakpoint, and the stack shows the inlined
// functions as frames of their own above the ones they are inlined into.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { continueTo, launchOnEntry, startClient } from './dap-client';
import { ZONE1_SOURCE, zone1Elf } from './zone1-guest';

const SOURCE = ZONE1_SOURCE;
let elf = '';

before(() => void (elf = zone1Elf('-O2')));

test('riscv64 -O2: a breakpoint on an inlined line stops at each of its locations and every stop names it', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc, { images: [{ path: 'root.S', zone: 0 }, { path: elf, zone: 1 }] });
    // Line 10 has no code of its own: the breakpoint moves to line 11.
    const set = await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [{ line: 10 }] });
    const bp = set.body.breakpoints[0]!;
    assert.deepEqual([bp.verified, bp.line], [true, 11]);
    // The first round prints "1\n": the digit in print_number's loop, then the newline after it.
    const pcs: string[] = [];
    let thread = 1;
    for (let i = 0; i < 2; i++) {
      const stop = await continueTo(dc, thread);
      thread = stop.body.threadId!;
      assert.equal(stop.body.reason, 'breakpoint');
      assert.deepEqual(stop.body.hitBreakpointIds, [bp.id]);
      const frames = (await dc.stackTraceRequest({ threadId: thread })).body.stackFrames;
      const frame = frames[0]!;
      assert.equal(frame.source?.path, SOURCE);
      assert.equal(frame.line, 11);
      // As gdb's backtrace: print_number is inlined into main, and putc_uart into print_number where its inlined
      // code covers the pc (the digit's location starts just before it), each a frame at the line of its call.
      assert.deepEqual(
        frames.filter((f) => !f.name.startsWith('_start')).map((f) => `${f.name.replace(/ .*/, '')}:${f.line}`),
        [['print_number:11', 'main:35'], ['putc_uart:11', 'print_number:27', 'main:35']][i],
      );
      pcs.push(frame.instructionPointerReference!);
      // The Disassembly view interleaves the source: the instruction carries the .c file and line.
      const insn = (await dc.disassembleRequest({ memoryReference: frame.instructionPointerReference!, instructionCount: 1 })).body!.instructions[0]!;
      assert.equal(insn.location?.path, SOURCE);
      assert.equal(insn.line, 11);
    }
    assert.deepEqual(pcs, ['0x8a000064', '0x8a00006e']);
    assert.equal(bp.instructionReference, '0x8a000064');
  } finally {
    await dc.stop();
  }
});
