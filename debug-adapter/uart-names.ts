// The name of a board UART's terminal: the zones whose configs map it (the
// root zone and any zone it passes the UART through to), else the device.

import type { Launch } from '../engine/hv/config/launch';
import type { UartIdentity } from '../engine/api';
import type { UartDescription } from '../protocol/uart';

export function describeUarts(launch: Launch, uart: UartIdentity): UartDescription[] {
  const zones = [launch.rootZone, ...launch.zones]
    .map((z) => z.config)
    .filter((c) => c.memoryRegions.some((r) => r.physicalStart <= uart.base && uart.base < r.physicalStart + r.size))
    .map((c) => `${c.zoneId} (${c.name})`);
  const owner = zones.length === 0 ? `${uart.name}@${uart.base.toString(16)}` : `${zones.length === 1 ? 'zone' : 'zones'} ${zones.join(', ')}`;
  return [{ uart: 0, name: `hvisor UART — ${owner}` }];
}
