// Runs GNU binutils (aarch64-linux-gnu-as / objdump) as the oracle for the
// aarch64 disassembler tests: either assembled source (instructions as
// `.inst` words or as text) or a raw binary of words.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool, type OracleLine } from '../../oracle/binutils';
import { requireCommands } from '../../../scripts/external-tools.mjs';
export type { OracleLine };

const AS = 'aarch64-linux-gnu-as';
const OBJDUMP = 'aarch64-linux-gnu-objdump';
requireCommands(AS, OBJDUMP);

const LINE = /^ *([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$/;

export function parseObjdump(output: string): OracleLine[] {
  const lines: OracleLine[] = [];
  for (const line of output.split('\n')) {
    const m = LINE.exec(line);
    if (m) lines.push({ address: parseInt(m[1]!, 16), insn: parseInt(m[2]!, 16), text: m[3]! });
  }
  return lines;
}

function inTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'a64-oracle-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Assemble `source` (every extension objdump knows enabled) and list its .text. */
export function objdumpSource(source: string): OracleLine[] {
  return inTempDir((dir) => {
    writeFileSync(join(dir, 'in.s'), source);
    runTool(AS, ['-march=armv8.5-a+lse+crc', '-o', join(dir, 'in.o'), join(dir, 'in.s')]);
    return parseObjdump(runTool(OBJDUMP, ['-d', join(dir, 'in.o')]));
  });
}

/** Assemble words as `.inst` directives and list them; addresses symbolize as `.text+0x..`. */
export function objdumpWords(words: readonly number[]): OracleLine[] {
  return objdumpSource(`.text\n${words.map((w) => `.inst 0x${(w >>> 0).toString(16)}`).join('\n')}\n`);
}

/** Disassemble words from a raw little-endian binary (`-b binary -m aarch64`); addresses symbolize as `.data+0x..`. */
export function objdumpRaw(words: readonly number[]): OracleLine[] {
  return inTempDir((dir) => {
    const bytes = Buffer.alloc(words.length * 4);
    words.forEach((w, i) => bytes.writeUInt32LE(w >>> 0, i * 4));
    writeFileSync(join(dir, 'in.bin'), bytes);
    return parseObjdump(runTool(OBJDUMP, ['-D', '-b', 'binary', '-m', 'aarch64', join(dir, 'in.bin')]));
  });
}
