// `disassemble` over DAP prints root.S's code as GNU objdump does, forwards and
// (walking from a known boundary) backwards, padding what it cannot read; on
// aarch64 backwards lists what forwards does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { parseObjdump, MARCH, type OracleLine } from '../engine/riscv64/objdump-oracle';
import { AARCH64_SAMPLE, launchOnEntry, SAMPLE, startClient } from './dap-client';

/**
 * root.S through GNU as and ld, laid out as the engine's assembler lays it out
 * (sections back to back), and the names of root.S's own labels.
 */
function gnuListing(): { lines: OracleLine[]; labels: Set<string> } {
  const dir = mkdtempSync(join(tmpdir(), 'dap-objdump-'));
  try {
    const run = (cmd: string, args: string[]): string => {
      const r = spawnSync(cmd, args, { encoding: 'utf8' });
      assert.equal(r.status, 0, `${cmd}: ${r.stderr}`);
      return r.stdout;
    };
    run('riscv64-linux-gnu-as', [`-march=${MARCH}`, '-o', join(dir, 'root.o'), resolve(SAMPLE, 'root.S')]);
    run('riscv64-linux-gnu-ld', ['--no-relax', '-Ttext=0x90000000', '-Tdata=0x90000450', '-Tbss=0x900011b0', '-e', '_start', '-o', join(dir, 'root.elf'), join(dir, 'root.o')]);
    const labels = new Set(run('riscv64-linux-gnu-nm', [join(dir, 'root.o')]).split('\n').flatMap((l) => {
      const m = /^[0-9a-f]+ [tdbTDB] (\S+)$/.exec(l);
      return m ? [m[1]!] : [];
    }));
    return { lines: parseObjdump(run('riscv64-linux-gnu-objdump', ['-d', join(dir, 'root.elf')])), labels };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('disassemble matches objdump -d of root.S, forwards and backwards', async () => {
  const { lines: expected, labels } = gnuListing();
  // objdump also names addresses after .equ constants and ld's own symbols
  // (<UART>, <__DATA_BEGIN__>), which a loaded image does not carry: such
  // annotations are left out on both sides; everything else must match.
  const normalise = (objdump: string, ours: string): [string, string] => {
    const m = / <([^>]+)>$/.exec(objdump);
    if (!m || labels.has(m[1]!)) return [objdump, ours];
    return [objdump.slice(0, m.index), ours.replace(/ <[^>]+>$/, '')];
  };
  assert.ok(expected.length > 200);
  const dc = await startClient();
  try {
    await launchOnEntry(dc);
    const forward = (await dc.customRequest('disassemble', { memoryReference: '0x90000000', instructionCount: expected.length, resolveSymbols: true })) as DebugProtocol.DisassembleResponse;
    const got = forward.body!.instructions;
    assert.equal(got.length, expected.length);
    const mismatches = expected.flatMap((e, i) => {
      const g = got[i]!;
      const [want, have] = normalise(e.text, g.instruction);
      return BigInt(g.address) === BigInt(e.address) && want === have ? [] : [`0x${e.address.toString(16)}: objdump "${e.text}", ours ${g.address} "${g.instruction}"`];
    });
    assert.deepEqual(mismatches.slice(0, 10), []);
    assert.equal(got[0]!.symbol, '_start');
    assert.equal(got[0]!.line, 81);

    // Backwards from the middle of the code: the 12 instructions before it, as objdump lists them.
    const at = expected[100]!;
    const back = (await dc.customRequest('disassemble', { memoryReference: `0x${at.address.toString(16)}`, instructionOffset: -12, instructionCount: 24 })) as DebugProtocol.DisassembleResponse;
    const b = back.body!.instructions;
    assert.equal(b.length, 24);
    assert.deepEqual(b.map((x, i) => normalise(expected[88 + i]!.text, x.instruction)[1]), expected.slice(88, 112).map((e) => normalise(e.text, '')[0]));
    assert.equal(BigInt(b[12]!.address), BigInt(at.address));

    // Across the start of the code (RAM below it is mapped, so it decodes), and where nothing is mapped: padded with invalid entries.
    const edge = (await dc.customRequest('disassemble', { memoryReference: 'cpu0:0x90000000', instructionOffset: -4, instructionCount: 8 })) as DebugProtocol.DisassembleResponse;
    assert.equal(edge.body!.instructions.length, 8);
    assert.equal(edge.body!.instructions[4]!.instruction, expected[0]!.text);
    const far = (await dc.customRequest('disassemble', { memoryReference: '0x0', instructionCount: 4 })) as DebugProtocol.DisassembleResponse;
    assert.deepEqual(far.body!.instructions.map((i) => i.presentationHint), ['invalid', 'invalid', 'invalid', 'invalid']);
  } finally {
    await dc.stop();
  }
});

test('aarch64: disassemble backwards lists what forwards lists, with exactly the lines asked for, and pads with invalid lines 4 bytes apart', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc, {}, [], AARCH64_SAMPLE);
    const disassemble = async (memoryReference: string, instructionOffset: number, instructionCount: number): Promise<DebugProtocol.DisassembledInstruction[]> =>
      ((await dc.customRequest('disassemble', { memoryReference, instructionOffset, instructionCount })) as DebugProtocol.DisassembleResponse).body!.instructions;
    const forward = await disassemble('0xa0400000', 0, 40);
    assert.equal(forward.length, 40);
    assert.equal(forward[0]!.symbol, '_start');
    assert.equal(forward[0]!.line, 82);
    const back = await disassemble(forward[30]!.address, -20, 25);
    assert.deepEqual(back.map((i) => [i.address, i.instruction]), forward.slice(10, 35).map((i) => [i.address, i.instruction]));
    const far = await disassemble('0x10', -8, 6);
    assert.deepEqual(far.map((i) => i.presentationHint), Array(6).fill('invalid'));
    assert.deepEqual(far.map((i) => BigInt(i.address)), [-16n, -12n, -8n, -4n, 0n, 4n].map((a) => BigInt.asUintN(64, a)));
  } finally {
    await dc.stop();
  }
});

test('continue does not block the adapter, and pause stops the machine', async () => {
  const dc = await startClient();
  try {
    await launchOnEntry(dc, { cwd: resolve('test/dap/fixtures/spin'), arch: 'riscv64', board: 'qemu-plic', cpus: 2, images: [{ path: 'spin.S', zone: 0 }], zones: [] });
    // Wait for the guest's line, so the pause lands after it has run whatever the machine's load.
    const running = dc.waitForEvent('output');
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await running as DebugProtocol.OutputEvent).body.output, '[zone 0] spinning\n');
    // The adapter answers while the guest runs.
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads.length, 2);
    const [, stop] = await Promise.all([dc.pauseRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal((stop as DebugProtocol.StoppedEvent).body.reason, 'pause');
    const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    assert.match(frames[0]!.name, /^spin \(/);
    const count = (await dc.evaluateRequest({ expression: 'instret', frameId: frames[0]!.id })).body.result;
    assert.ok(BigInt(count) > 0n);
  } finally {
    await dc.stop();
  }
});
