// The root zone hvisor compiles in for the qemu-plic board (reference §5.4,
// platform/riscv64/qemu-plic/board.rs): what boots when a launch file names
// no root-zone config of its own.

import { INVALID_ADDRESS } from '../consts';
import { MemType, PciDevType, type HvZoneConfig } from './zone-config';
import { QEMU_PLIC_MAP as MAP } from '../../machine/boards/qemu-plic-map';

export const QEMU_PLIC_ROOT = {
  name: 'root-linux',
  entry: 0x90000000,
  kernelAddr: 0x90000000,
  dtbAddr: 0x8f000000,
  ram: { start: 0x83000000, size: 0x7d000000 },
  /** The UART's page. */
  serial: { start: MAP.uart.base, size: 0x1000 },
  virtio: { start: 0x10008000, size: 0x1000 },
  /** UART and PCIe INTB. */
  irqs: [MAP.uart.irq, 33],
  plic: { base: MAP.plic.base, size: MAP.plic.size },
} as const;

/**
 * hvisor's qemu-plic root config on a board of `cpus` CPUs: CPUs 0 and 1
 * (only CPU 0 when the board has one). Everything is identity-mapped, and the
 * image sizes are INVALID_ADDRESS because no tool loaded the images.
 */
export function qemuPlicRootZone(cpus: number): HvZoneConfig {
  const R = QEMU_PLIC_ROOT;
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
    archConfig: { arch: 'riscv64', plicBase: R.plic.base, plicSize: R.plic.size, aplicBase: 0, aplicSize: 0 },
    pciConfig: [{
      ecamBase: 0x30000000, ecamSize: 0x10000000, ioBase: 0x3000000, ioSize: 0x10000, pciIoBase: 0,
      mem32Base: 0x40000000, mem32Size: 0x40000000, pciMem32Base: 0x40000000,
      mem64Base: 0x400000000, mem64Size: 0x400000000, pciMem64Base: 0x400000000,
      busRangeBegin: 0, busRangeEnd: 0xff, domain: 0,
    }],
    allocPciDevs: [
      { domain: 0, bus: 0, device: 0, function: 0, devType: PciDevType.physical },
      { domain: 0, bus: 0, device: 1, function: 0, devType: PciDevType.physical },
    ],
  };
}
