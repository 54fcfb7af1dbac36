// The root zone hvisor compiles in for the qemu-gicv3 board (reference §5.4,
// platform/aarch64/qemu-gicv3/board.rs): what boots when an aarch64 launch
// file names no root-zone config of its own.

import { INVALID_ADDRESS } from '../consts';
import { MemType, PciDevType, type Aarch64ArchZoneConfig, type HvZoneConfig } from './zone-config';
import { QEMU_GICV3_MAP as MAP } from '../../machine/boards/qemu-gicv3-map';

export const QEMU_GICV3_ROOT = {
  name: 'root-linux',
  entry: 0xa0400000,
  kernelAddr: 0xa0400000,
  dtbAddr: 0xa0000000,
  ram: { start: 0x50000000, size: 0x70000000 },
  serial: { start: MAP.uart.base, size: MAP.uart.size },
  virtio: { start: MAP.virtio.base, size: MAP.virtio.size },
  /** UART, virtio wake-up, virtio-mmio, PCIe INTx, IVC. */
  irqs: [MAP.uart.irq, 64, 77, 79, 35, 36, 37, 38, 65],
  gic: { gicdBase: MAP.gicd.base, gicdSize: MAP.gicd.size, gicrBase: MAP.gicr.base, gicrSize: MAP.gicr.size, gitsBase: MAP.gits.base, gitsSize: MAP.gits.size },
} as const;

/**
 * hvisor's qemu-gicv3 root config on a board of `cpus` CPUs: CPUs 0 and 1
 * (only CPU 0 when the board has one), everything identity-mapped.
 */
export function qemuGicv3RootZone(cpus: number): HvZoneConfig<Aarch64ArchZoneConfig> {
  const R = QEMU_GICV3_ROOT;
  const identity = (memType: number, r: { readonly start: number; readonly size: number }) => ({ memType, physicalStart: r.start, virtualStart: r.start, size: r.size });
  return {
    zoneId: 0,
    name: R.name,
    cpus: cpus >= 2 ? 0b11n : 0b1n,
    memoryRegions: [identity(MemType.ram, R.ram), identity(MemType.io, R.serial), identity(MemType.io, R.virtio)],
    interrupts: [...R.irqs],
    ivcConfigs: [],
    entryPoint: R.entry,
    kernelLoadPaddr: R.kernelAddr,
    kernelSize: INVALID_ADDRESS,
    dtbLoadPaddr: R.dtbAddr,
    dtbSize: INVALID_ADDRESS,
    archConfig: { arch: 'aarch64', isAarch32: false, gic: { version: 'v3', ...R.gic } },
    pciConfig: [{
      ecamBase: 0x4010000000, ecamSize: 0x10000000, ioBase: 0x3eff0000, ioSize: 0x10000, pciIoBase: 0,
      mem32Base: 0x10000000, mem32Size: 0x2eff0000, pciMem32Base: 0x10000000,
      mem64Base: 0x8000000000, mem64Size: 0x8000000000, pciMem64Base: 0x8000000000,
      busRangeBegin: 0, busRangeEnd: 0xff, domain: 0,
    }],
    allocPciDevs: [
      { domain: 0, bus: 0, device: 0, function: 0, devType: PciDevType.physical },
      { domain: 0, bus: 0, device: 1, function: 0, devType: PciDevType.physical },
      { domain: 0, bus: 0, device: 5, function: 0, devType: PciDevType.standardVdev },
    ],
  };
}
