// The name of a board UART's terminal: the zones whose configs map it (the
// root zone and any zone it passes the UART through to), else the device.

import type { Launch } from '../engine/hv/config/launch';
import type { UartIdentity, ZoneView } from '../engine/api';
import type { UartDescription } from '../protocol/uart';

export function describeUarts(launch: Launch, engine: { readonly uart: UartIdentity; zones(): ZoneView[] }): UartDescription[] {
  const uart = engine.uart;
  // Firmware boots in the quick root zone, which the engine knows; the zones of a launch file may start later.
  const configs = launch.bios !== undefined
    ? engine.zones().map((z) => ({ id: z.id, name: z.name, hostRanges: z.memoryRegions.map((r) => [r.hpa, r.size] as const) }))
    : [launch.rootZone, ...launch.zones].map(({ config: c }) => ({ id: c.zoneId, name: c.name, hostRanges: c.memoryRegions.map((r) => [r.physicalStart, r.size] as const) }));
  const zones = configs
    .filter((c) => c.hostRanges.some(([start, size]) => start <= uart.base && uart.base < start + size))
    .map((c) => `${c.id} (${c.name})`);
  const owner = zones.length === 0 ? `${uart.name}@${uart.base.toString(16)}` : `${zones.length === 1 ? 'zone' : 'zones'} ${zones.join(', ')}`;
  return [{ uart: 0, name: `hvisor UART — ${owner}` }];
}
