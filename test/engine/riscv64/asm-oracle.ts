// GNU binutils as the oracle for the assembler tests. Each source is
// assembled by riscv64-linux-gnu-as and linked by riscv64-linux-gnu-ld with a
// linker script that mirrors the assembler's section layout; the tests then
// compare the linked sections and symbols with the assembler's output.
//
// gas runs with -mno-relax and ld with --no-relax. With relaxation on, gas
// leaves every pc-relative reference and alignment to the linker (R_RISCV_ALIGN
// padding, call -> jal rewriting), so the linked bytes would be the linker's
// choice rather than the assembler's. Without it, gas decides every size
// itself (branch relaxation, compression) and the linker only fills in
// values, which is exactly what an assembler that produces a linked image
// has to reproduce.
//
// -march is the core's rv64imafdc_zicsr_zifencei (rv64gc) plus the
// hypervisor extension (_h), so the table's H rows can be assembled.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkerScript, parseElf, sh, type LinkedElf } from '../../oracle/gas-image';
import { requireCommands } from '../../../scripts/external-tools.mjs';

export const MARCH = 'rv64imafdc_zicsr_zifencei_h';
const AS = 'riscv64-linux-gnu-as';
const LD = 'riscv64-linux-gnu-ld';
const OBJDUMP = 'riscv64-linux-gnu-objdump';

requireCommands(AS, LD, OBJDUMP);

export interface LinkedImage extends LinkedElf {
  /** gas's DWARF line table (`as -g`): the first address of each run of one source line. */
  readonly lines: readonly { readonly address: number; readonly line: number }[];
}

export interface OracleInput {
  readonly name: string;
  readonly source: string;
  readonly base: number;
  /** Allocated sections beyond .text/.rodata/.data/.bss, in layout order. */
  readonly extraSections: readonly string[];
}

export type OracleOutput = { readonly ok: true; readonly image: LinkedImage } | { readonly ok: false; readonly stderr: string };

/** Assemble and link every input with one shell, to keep process start-up cost down. */
export function gasLink(inputs: readonly OracleInput[]): OracleOutput[] {
  const dir = mkdtempSync(join(tmpdir(), 'asm-oracle-'));
  try {
    const script: string[] = [];
    inputs.forEach((input, i) => {
      writeFileSync(join(dir, `${i}.S`), input.source);
      writeFileSync(join(dir, `${i}.ld`), linkerScript(input.base, input.extraSections));
      const p = (ext: string): string => sh(join(dir, `${i}.${ext}`));
      script.push(
        `{ ${AS} -g -march=${MARCH} -mno-relax -o ${p('o')} ${p('S')} && ${LD} --no-relax -T ${p('ld')} -o ${p('elf')} ${p('o')}` +
          ` && ${OBJDUMP} --dwarf=decodedline ${p('elf')} > ${p('lines')}; } 2> ${p('err')}`,
      );
    });
    spawnSync('sh', ['-c', script.join('\n')], { stdio: 'ignore' });
    return inputs.map((_, i) => {
      const stderr = readFileSync(join(dir, `${i}.err`), 'utf8');
      let elf: Uint8Array;
      let lines: string;
      try {
        elf = readFileSync(join(dir, `${i}.elf`));
        lines = readFileSync(join(dir, `${i}.lines`), 'utf8');
      } catch {
        return { ok: false, stderr };
      }
      return { ok: true, image: { ...parseElf(elf), lines: parseDecodedLines(lines) } };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows of `objdump --dwarf=decodedline`: `file  line  0xaddress ...`. */
function parseDecodedLines(text: string): { address: number; line: number }[] {
  const rows: { address: number; line: number }[] = [];
  for (const l of text.split('\n')) {
    const m = /^\S+\s+(\d+)\s+(0x[0-9a-f]+)/.exec(l);
    if (m) rows.push({ line: Number(m[1]), address: Number(m[2]) });
  }
  return rows;
}

