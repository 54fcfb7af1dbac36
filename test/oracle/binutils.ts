// What the binutils oracles for both ISAs share: running a tool, and the
// shape of an instruction line objdump prints.

import { spawnSync } from 'node:child_process';

export interface OracleLine {
  readonly address: number;
  /** The instruction as objdump shows it in the hex column. */
  readonly insn: number;
  /** Everything after the hex column. */
  readonly text: string;
}

/** Run a tool and return its stdout; a failure throws with its stderr. */
export function runTool(cmd: string, args: readonly string[]): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}
