// The device tree a zone's guest boots with, built from its config: its CPUs,
// its RAM, the UART when the zone maps it, the (virtual) PLIC and
// chosen/stdout-path. hvisor-tool copies such a DTB to dtb_load_paddr before
// HvZoneStart; the model writes it there at launch.

import type { HvZoneConfig } from '../../config/zone-config';
import { MemType } from '../../config/zone-config';
import { buildRiscvVirtDtb } from '../../../machine/fdt-riscv-virt';
import { QEMU_PLIC_MAP } from '../../../machine/boards/qemu-plic-map';

const UART = QEMU_PLIC_MAP.uart;

export function buildZoneDtb(config: HvZoneConfig, hartIdMap: readonly number[]): Uint8Array {
  const cpus: number[] = [];
  for (let cpu = 0; cpu < hartIdMap.length; cpu++) if (((config.cpus >> BigInt(cpu)) & 1n) === 1n) cpus.push(hartIdMap[cpu]!);
  const ram = config.memoryRegions.filter((r) => r.memType === MemType.ram);
  const mapsUart = config.memoryRegions.some((r) => r.memType === MemType.io && r.virtualStart <= UART.base && UART.base < r.virtualStart + r.size);
  const plic = config.archConfig.plicSize > 0 ? { base: config.archConfig.plicBase, size: config.archConfig.plicSize, ndev: QEMU_PLIC_MAP.plic.sources } : false;
  return buildRiscvVirtDtb({
    harts: cpus,
    memory: ram.map((r) => ({ base: r.virtualStart, size: r.size })),
    uart: mapsUart ? { base: UART.base, size: UART.size, irq: UART.irq } : false,
    plic,
    model: `hvisor zone ${config.zoneId} (${config.name})`,
  }).toDtb();
}
