// Semantics of the system rows. Most run in the system hooks (system.ts),
// which may raise exceptions, leave to the hypervisor, or change state that
// translated code depends on; such instructions always end a block. Barriers
// and NOP are no-ops here: the engine runs one CPU at a time and applies
// every system register write at once.

import type { Operands, Semantics } from './fragment';
import type { Row } from './table';

/** The hints with an effect: they run in the system hooks; every other hint (NOP, the unallocated ones) completes at once. */
export const HINT = { YIELD: 1, WFE: 2, WFI: 3, SEV: 4, SEVL: 5 } as const;
const SYSTEM_HINTS: ReadonlySet<number> = new Set(Object.values(HINT));

const systemCall = (o: Operands): string => `next=c.sys.execute(c,${o.insn},${o.pc});if(c.fault){${o.fault}}`;

export function systemSemantics(row: Row): Semantics | undefined {
  switch (row.id) {
    case 'dsb': case 'dmb': case 'isb':
      return { kind: 'op', body: () => '' };
    case 'clrex':
      return { kind: 'op', body: () => 'c.monitor.release(c.id);' };
    case 'hint':
      return {
        kind: (v) => (SYSTEM_HINTS.has(v.imm ?? 0) ? 'system' : 'op'),
        body: (o) => {
          const imm = o.known('imm');
          if (imm !== undefined) return SYSTEM_HINTS.has(imm) ? systemCall(o) : '';
          return `if(${o.k('imm')}>=${HINT.YIELD}&&${o.k('imm')}<=${HINT.SEVL}){${systemCall(o)}}`;
        },
      };
    case 'svc': case 'hvc': case 'smc': case 'brk': case 'hlt': case 'udf':
    case 'msr.pstate': case 'sys': case 'sysl': case 'msr.reg': case 'mrs': case 'eret':
      return { kind: 'system', body: systemCall };
  }
  return undefined;
}
