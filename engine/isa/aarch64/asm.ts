// The aarch64 assembler: GNU as syntax in, a linked image out, with the bytes
// aarch64-linux-gnu-as 2.40 followed by a link would produce.

import { Assembler } from '../../asm/assembler';
import type { AsmOptions, AsmResult } from '../../asm/program';
import { Aarch64Backend } from './asm-backend';

export type { AsmDiagnostic } from '../../asm/diagnostics';
export type { AsmLine, AsmOptions, AsmProgram, AsmResult, AsmSection, AsmSymbol } from '../../asm/program';

export function assembleAarch64(source: string, options: AsmOptions): AsmResult {
  const backend = new Aarch64Backend();
  const asm = new Assembler(options.fileName, backend);
  asm.run(source);
  backend.finish(asm);
  return asm.finish(options.base);
}
