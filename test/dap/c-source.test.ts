// Source-level debugging of a C guest: zone 1 of the riscv64-zones sample
// built from C (test/guests/dwarf/zone1.c, gcc -g -O0) and loaded as the
// zone's ELF image. Breakpoints on .c lines bind through the DWARF line
// table (a line without code moves to the next that has code), stops show
// the .c file and line, and disassembly carries them.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { continueTo, launchOnEntry, startClient } from './dap-client';
import { ZONE1_SOURCE, zone1Elf } from './zone1-guest';

const SOURCE = ZONE1_SOURCE;
let elf = '';

before(() => void (elf = zone1Elf('-O0')));

test('riscv64: breakpoints on zone1.c lines bind and stop CPU 2 there; frames and disassembly show the .c file and line', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc, { images: [{ path: 'root.S', zone: 0 }, { path: elf, zone: 1 }] });
    // Line 33 is blank: the breakpoint moves to line 34, the loop's first statement. Line 15 is in square().
    const set = await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [{ line: 33 }, { line: 15 }] });
    assert.deepEqual(
      set.body.breakpoints.map((b) => [b.verified, b.line]),
      [
        [true, 34],
        [true, 15],
      ],
    );
    const top = async (threadId: number): Promise<DebugProtocol.StackFrame> => (await dc.stackTraceRequest({ threadId })).body.stackFrames[0]!;

    const first = await continueTo(dc, 1);
    assert.equal(first.body.reason, 'breakpoint');
    const cpu2 = first.body.threadId!;
    assert.equal(cpu2, 3, 'zone 1 runs on CPU 2 (thread 3)');
    let frame = await top(cpu2);
    assert.equal(frame.source?.path, SOURCE);
    assert.equal(frame.line, 34);
    assert.equal(frame.instructionPointerReference, set.body.breakpoints[0]!.instructionReference);

    await continueTo(dc, cpu2);
    frame = await top(cpu2);
    assert.equal(frame.source?.path, SOURCE);
    assert.equal(frame.line, 15);
    assert.match(frame.name, /^square/);

    const dis = await dc.disassembleRequest({ memoryReference: frame.instructionPointerReference!, instructionCount: 1 });
    const insn = dis.body!.instructions[0]!;
    assert.equal(insn.location?.path, SOURCE);
    assert.equal(insn.line, 15);
  } finally {
    await dc.stop();
  }
});
