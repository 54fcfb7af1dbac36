// Runs GNU binutils (riscv64-linux-gnu-as / ld / objdump) as the oracle for
// the disassembler tests: instructions go in as `.insn` directives, so the
// object carries our ISA in its attributes and objdump decodes nothing beyond it.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool, type OracleLine } from '../../oracle/binutils';
import { requireCommands } from '../../../scripts/external-tools.mjs';
export type { OracleLine };

export const MARCH = 'rv64imafdc_zicsr_zifencei_h';
const AS = 'riscv64-linux-gnu-as';
const LD = 'riscv64-linux-gnu-ld';
const OBJDUMP = 'riscv64-linux-gnu-objdump';
requireCommands(AS, LD, OBJDUMP);

/** Assemble `source` and return objdump's instruction lines for .text. */
export function objdump(source: string, objdumpArgs: readonly string[] = []): OracleLine[] {
  const dir = mkdtempSync(join(tmpdir(), 'disasm-oracle-'));
  try {
    const src = join(dir, 'in.s');
    const obj = join(dir, 'in.o');
    writeFileSync(src, source);
    runTool(AS, [`-march=${MARCH}`, '-o', obj, src]);
    return parseObjdump(runTool(OBJDUMP, ['-d', ...objdumpArgs, obj]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface LinkedListing {
  /** The linked executable. */
  readonly elf: Uint8Array;
  /** objdump -d's instruction lines, one list per entry of objdumpArgs. */
  readonly listings: OracleLine[][];
}

/**
 * Assemble `source` and link it with ld's default script (which defines
 * __global_pointer$), .text at `textAddress`; then list it with objdump -d.
 */
export function linkedListing(source: string, textAddress: number, objdumpArgs: readonly (readonly string[])[]): LinkedListing {
  const dir = mkdtempSync(join(tmpdir(), 'disasm-oracle-'));
  try {
    const src = join(dir, 'in.s');
    const obj = join(dir, 'in.o');
    const exe = join(dir, 'in.elf');
    writeFileSync(src, source);
    runTool(AS, [`-march=${MARCH}`, '-o', obj, src]);
    runTool(LD, [`-Ttext=0x${textAddress.toString(16)}`, '-o', exe, obj]);
    const listings = objdumpArgs.map((args) => parseObjdump(runTool(OBJDUMP, ['-d', ...args, exe])));
    return { elf: new Uint8Array(readFileSync(exe)), listings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** objdump's symbol table for `source`: [address, name] of every non-section symbol in .text. */
export function textSymbols(source: string): [number, string][] {
  const dir = mkdtempSync(join(tmpdir(), 'disasm-oracle-'));
  try {
    const src = join(dir, 'in.s');
    const obj = join(dir, 'in.o');
    writeFileSync(src, source);
    runTool(AS, [`-march=${MARCH}`, '-o', obj, src]);
    const out: [number, string][] = [];
    for (const line of runTool(OBJDUMP, ['-t', obj]).split('\n')) {
      const m = /^([0-9a-f]{16}) .{7} \.text\t[0-9a-f]+ (\S+)$/.exec(line);
      if (m && m[2] !== '.text') out.push([parseInt(m[1]!, 16), m[2]!]);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LINE = /^ *([0-9a-f]+):\t([0-9a-f]+) +\t(.*)$/;

export function parseObjdump(output: string): OracleLine[] {
  const lines: OracleLine[] = [];
  for (const line of output.split('\n')) {
    const m = LINE.exec(line);
    if (m) lines.push({ address: parseInt(m[1]!, 16), insn: parseInt(m[2]!, 16), text: m[3]! });
  }
  return lines;
}

/** Source line that emits one instruction of the given size verbatim. */
export function insnDirective(insn: number, size: 2 | 4): string {
  return `.insn ${size}, 0x${(insn >>> 0).toString(16)}`;
}
