// hvisor's global constants (reference §0), under hvisor's names.

export const INVALID_ADDRESS = 0xffff_ffff_ffff_ffffn;
export const PER_CPU_SIZE = 512 * 1024;
export const PAGE_SIZE = 4096;
export const CONFIG_MAGIC_VERSION = 5;
export const MAX_WAIT_TIMES = 100_000_000;

/** hvisor's errno values; a failing hypercall returns the negated value. */
export const HvErrno = {
  EPERM: 1, ENOENT: 2, EIO: 5, E2BIG: 7, ENOMEM: 12, EFAULT: 14, EBUSY: 16, EEXIST: 17, ENODEV: 19,
  EINVAL: 22, ERANGE: 34, ENOSYS: 38,
} as const;

/** Inter-CPU event ids (src/event.rs). */
/** SGI_IPI_ID: the interrupt id shared code passes to send_event (the SGI on GICv3; riscv64 ignores it). */
export const SGI_IPI_ID = 7;

export const IpiEvent = {
  WAKEUP: 0, SHUTDOWN: 1, VIRTIO_INJECT_IRQ: 2, WAKEUP_VIRTIO_DEVICE: 3, CLEAR_INJECT_IRQ: 4,
  UPDATE_HART_LINE: 5, SEND_IPI: 6,
} as const;

export const IPI_EVENT_NAMES: Readonly<Record<number, string>> = {
  0: 'WAKEUP', 1: 'SHUTDOWN', 2: 'VIRTIO_INJECT_IRQ', 3: 'WAKEUP_VIRTIO_DEVICE', 4: 'CLEAR_INJECT_IRQ',
  5: 'UPDATE_HART_LINE', 6: 'SEND_IPI',
};

/** MemFlags (src/memory/mod.rs). */
export const MemFlags = {
  READ: 1 << 0, WRITE: 1 << 1, EXECUTE: 1 << 2, DMA: 1 << 3, IO: 1 << 4, COMMUNICATION: 1 << 5,
  LOADABLE: 1 << 6, ROOTSHARED: 1 << 7, NO_HUGEPAGES: 1 << 8, USER: 1 << 9,
} as const;
