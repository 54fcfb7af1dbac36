// The riscv64 assembler: GNU as syntax in, a linked image out, with the bytes
// riscv64-linux-gnu-as 2.40 (-march=rv64imafdc_zicsr_zifencei, -mno-relax)
// followed by a no-relax link would produce.

import { assemble } from '../../asm/assembler';
import type { AsmOptions, AsmResult } from '../../asm/program';
import { Riscv64Backend } from './asm-backend';

export type { AsmDiagnostic } from '../../asm/diagnostics';
export type { AsmLine, AsmOptions, AsmProgram, AsmResult, AsmSection, AsmSymbol } from '../../asm/program';

export function assembleRiscv64(source: string, options: AsmOptions): AsmResult {
  return assemble(source, options, new Riscv64Backend());
}
