// Semantics of the system rows. Most run in the system hooks (system.ts),
// which may raise exceptions, leave to the hypervisor, or change state that
// translated code depends on; such instructions always end a block. Barriers
// and the plain hints are no-ops here: the engine runs one CPU at a time and
// applies every system register write at once.

import type { Operands, Semantics } from './fragment';
import type { Row } from './table';

/** HINT #3 is WFI; every other hint (NOP, YIELD, WFE, SEV, SEVL, the unallocated ones) completes at once. */
export const HINT_WFI = 3;

const systemCall = (o: Operands): string => `next=c.sys.execute(c,${o.insn},${o.pc});if(c.fault){${o.fault}}`;

export function systemSemantics(row: Row): Semantics | undefined {
  switch (row.id) {
    case 'dsb': case 'dmb': case 'isb':
      return { kind: 'op', body: () => '' };
    case 'clrex':
      return { kind: 'op', body: () => 'c.monitor.release(c.id);' };
    case 'hint':
      return {
        kind: (v) => (v.imm === HINT_WFI ? 'system' : 'op'),
        body: (o) => {
          const imm = o.known('imm');
          if (imm !== undefined) return imm === HINT_WFI ? systemCall(o) : '';
          return `if(${o.k('imm')}===${HINT_WFI}){${systemCall(o)}}`;
        },
      };
    case 'svc': case 'hvc': case 'smc': case 'brk': case 'hlt': case 'udf':
    case 'msr.pstate': case 'sys': case 'sysl': case 'msr.reg': case 'mrs': case 'eret':
      return { kind: 'system', body: systemCall };
  }
  return undefined;
}
