// The device tree an aarch64 zone's guest boots with, built from its config:
// its CPUs (by MPIDR), its RAM, the PL011 when the zone maps it, the GICv3
// hvisor emulates for it, the timer, PSCI and chosen/stdout-path. hvisor-tool
// copies such a DTB to dtb_load_paddr before HvZoneStart; the model writes it
// there at launch.

import type { Aarch64ArchZoneConfig, HvZoneConfig } from '../../config/zone-config';
import { MemType } from '../../config/zone-config';
import { ARM_VIRT_DEFAULTS, buildArmVirtDtb } from '../../../machine/fdt-arm-virt';

const UART = ARM_VIRT_DEFAULTS.uart;

/** `mpidrMap[cpu]` is logical CPU `cpu`'s MPIDR affinity (BOARD_MPIDR_MAPPINGS). */
export function buildAarch64ZoneDtb(config: HvZoneConfig<Aarch64ArchZoneConfig>, mpidrMap: readonly number[]): Uint8Array {
  const gic = config.archConfig.gic;
  if (gic.version !== 'v3') {
    throw new Error(`zone ${config.zoneId} (${config.name}): its config gives a GICv2, and GICv2 is not modelled; only GICv3 zones can run`);
  }
  const cpus: number[] = [];
  for (let cpu = 0; cpu < mpidrMap.length; cpu++) if (((config.cpus >> BigInt(cpu)) & 1n) === 1n) cpus.push(mpidrMap[cpu]!);
  const ram = config.memoryRegions.filter((r) => r.memType === MemType.ram).sort((a, b) => a.virtualStart - b.virtualStart);
  const mapsUart = config.memoryRegions.some((r) => r.memType === MemType.io && r.virtualStart <= UART.base && UART.base < r.virtualStart + r.size);
  return buildArmVirtDtb({
    cpus,
    memory: ram.map((r) => ({ base: r.virtualStart, size: r.size })),
    uart: mapsUart ? UART : false,
    gic: { gicdBase: gic.gicdBase, gicdSize: gic.gicdSize, gicrBase: gic.gicrBase, gicrSize: gic.gicrSize },
    model: `hvisor zone ${config.zoneId} (${config.name})`,
  }).toDtb();
}
