// hvisor's qemu-plic board as one table: QEMU virt (aclint=on) as hvisor's
// riscv64 platform sees it, every device the model has named once with its
// base, size, interrupt and what its device-tree node needs. The board builds
// its devices from it, the generated device trees describe them from it, and
// the root zones map them from it.

import { ACLINT_MSWI_SIZE, ACLINT_MTIME_OFFSET, ACLINT_MTIMER_SIZE, ACLINT_SSWI_SIZE } from '../devices/aclint';
import { PLIC_WINDOW_SIZE } from '../devices/plic';

export const QEMU_PLIC_MAP = {
  /** ACLINT: machine software interrupts, the machine timer (mtime at mtimer + ACLINT_MTIME_OFFSET), supervisor software interrupts (hvisor's IPIs). */
  aclint: {
    mswi: { base: 0x02000000, size: ACLINT_MSWI_SIZE },
    mtimer: { base: 0x02004000, size: ACLINT_MTIMER_SIZE, mtime: 0x02004000 + ACLINT_MTIME_OFFSET },
    sswi: { base: 0x02f00000, size: ACLINT_SSWI_SIZE },
  },
  /** The PLIC: sources 1..1023, an M and an S context per hart. */
  plic: { base: 0x0c000000, size: PLIC_WINDOW_SIZE, sources: 1023 },
  /** The 16550 on PLIC source 10, clocked at 3.6864 MHz. */
  uart: { base: 0x10000000, size: 0x100, irq: 10, clockFrequency: 0x384000 },
  /** Sources hvisor routes to a zone through the physical PLIC (HW_IRQS): the UART and two PCIe INTx lines. */
  hwIrqs: [10, 33, 34],
  dram: { base: 0x80000000 },
} as const;
