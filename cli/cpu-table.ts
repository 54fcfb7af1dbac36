// The per-CPU table the runner prints on stderr when it stops.

import type { Engine } from '../engine/api';

export function formatCpuTable(engine: Engine): string {
  const rows = [['cpu', 'pc', 'priv', 'instructions', 'state', 'zone']];
  for (let id = 0; id < engine.cpuCount; id++) {
    const c = engine.cpu(id);
    rows.push([String(id), `0x${c.pc.toString(16).padStart(16, '0')}`, c.privilege, String(c.instructions), c.state, c.zone === undefined ? '-' : String(c.zone)]);
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n') + '\n';
}
