// riscv64 events: IPIs go through the ACLINT SSWI setssip register of the
// target hart (src/arch/riscv64/ipi.rs, feature `aclint`).

import { IpiEvent } from '../../consts';
import type { RiscvHvisor } from './arch';

const VSSIP = 1n << 2n;

/** Raise the target's SSIP through its ACLINT setssip word (the event id is unused on riscv). */
export function archSendEvent(hv: RiscvHvisor, cpu: number, _ipiId: number): void {
  const board = hv.arch.board;
  hv.memory.write(board.aclintSswiBase + 4 * board.hartIdMap[cpu]!, 4, 1n);
}

/** arch_check_events: SEND_IPI raises the guest's software interrupt; others panic as hvisor does. */
export function archCheckEvent(hv: RiscvHvisor, cpu: number, event: number): boolean {
  const core = hv.core(cpu);
  switch (event) {
    case IpiEvent.SEND_IPI:
      core.hart.hvip |= VSSIP;
      core.interruptsChanged();
      return true;
    case IpiEvent.UPDATE_HART_LINE: {
      const zone = hv.zoneOf(cpu);
      const vplic = zone ? hv.arch.vplics.get(zone.id) : undefined;
      if (vplic) vplic.updateHartLine(cpu);
      return true;
    }
    default:
      hv.panic(cpu, `arch_check_events cannot handle event ${event} (src/arch/riscv64/ipi.rs)`);
      return true;
  }
}
