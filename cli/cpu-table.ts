// The per-CPU table the runner prints on stderr when it stops: where each CPU
// is, and its PerCpu fields under hvisor's names.

import type { Engine } from '../engine/api';
import { INVALID_ADDRESS } from '../engine/hv/consts';
const address = (v: bigint): string => (v === INVALID_ADDRESS ? 'INVALID_ADDRESS' : `0x${v.toString(16)}`);

export function formatCpuTable(engine: Engine): string {
  const rows = [['cpu', 'pc', 'priv', 'instructions', 'state', 'zone', 'boot_cpu', 'power_on', 'cpu_on_entry', 'dtb_ipa', 'hypervisor']];
  for (let id = 0; id < engine.cpuCount; id++) {
    const c = engine.cpu(id);
    const p = engine.perCpu(id);
    const frames = engine.hypervisorFrames(id);
    rows.push([
      String(id), `0x${c.pc.toString(16).padStart(16, '0')}`, c.privilege, String(c.instructions), c.state,
      c.zone === undefined ? '-' : String(c.zone), String(p.bootCpu), String(p.archCpu.powerOn),
      address(p.cpuOnEntry), address(p.dtbIpa), frames.length ? frames.join(' > ') : '-',
    ]);
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n') + '\n';
}
