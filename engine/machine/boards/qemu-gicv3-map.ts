// hvisor's qemu-gicv3 board as one table: QEMU virt's memory map with a
// GICv3, every device the model has named once with its base, size,
// interrupt and what its device-tree node needs. The board builds its
// devices from it, the generated device trees describe them from it, and the
// root zones map them from it.

import { GICD_SIZE, GICR_FRAME_SIZE, PPI_MAINTENANCE, PPI_PHYS_TIMER, PPI_VIRT_TIMER } from '../devices/gicv3/registers';

/** One 256 KiB erase block of a flash bank (both x16 devices together). */
const FLASH_SECTOR_SIZE = 0x40000;

export const QEMU_GICV3_MAP = {
  /** Two CFI flash banks (Intel command set, two x16 devices per 32-bit bank); firmware runs from bank 0. */
  flash: { base: 0x00000000, bankSize: 0x04000000, banks: 2, sectorSize: FLASH_SECTOR_SIZE, bankWidth: 4 },
  /** The GIC distributor; its maintenance interrupt is a PPI. */
  gicd: { base: 0x08000000, size: GICD_SIZE, maintenancePpi: PPI_MAINTENANCE },
  /** The ITS window hvisor's root config passes through; the model has no ITS. */
  gits: { base: 0x08080000, size: 0x20000 },
  /** The redistributor window, one frame per CPU. */
  gicr: { base: 0x080a0000, size: 0xf60000, frameSize: GICR_FRAME_SIZE },
  /** The PL011 on SPI 1 (INTID 33), clocked at 24 MHz. */
  uart: { base: 0x09000000, size: 0x1000, irq: 33, clockFrequency: 24_000_000 },
  /** virtio-mmio transports: hvisor's root config maps the first four; the model has none. */
  virtio: { base: 0x0a000000, size: 0x4000 },
  dram: { base: 0x40000000 },
  /** The generic timer's PPIs; the DT lists them secure, non-secure physical, virtual, hypervisor. */
  timer: { securePpi: 29, physPpi: PPI_PHYS_TIMER, virtPpi: PPI_VIRT_TIMER, hypPpi: 26 },
  cpuCompatible: 'arm,cortex-a57',
} as const;

/** The flash banks' bases, in order. */
export const flashBanks = (): number[] => Array.from({ length: QEMU_GICV3_MAP.flash.banks }, (_, i) => QEMU_GICV3_MAP.flash.base + i * QEMU_GICV3_MAP.flash.bankSize);
