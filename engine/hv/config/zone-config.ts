// A zone's configuration, as hvisor's HvZoneConfig carries it (reference §5.1,
// config ABI magic 5), in the form the model uses. The JSON reader, the binary
// encoder/decoder and the board root-zone constants produce and consume it.
//
// Addresses and sizes are numbers (the boards' address spaces fit in 2^53);
// the CPU bitmap and the two image sizes are bigints because they use all 64
// bits (the root zone's sizes are INVALID_ADDRESS).
//
// The fields the model's boot path does not need (IVC, image sizes, PCI) are
// optional: absent means what a zero-filled struct means, which is where
// hvisor-tool starts before it parses a file.

export const MemType = { ram: 0, io: 1, virtio: 2 } as const;
export type MemTypeName = keyof typeof MemType;

/** Limits of the fixed-size arrays in the struct (src/config.rs). */
export const CONFIG_MAX_MEMORY_REGIONS = 64;
export const CONFIG_MAX_INTERRUPTS = 1024;
export const CONFIG_NAME_MAXLEN = 32;
export const CONFIG_MAX_IVC_CONFIGS = 2;
export const CONFIG_PCI_BUS_MAXNUM = 4;
export const CONFIG_MAX_PCI_DEV = 32;

export type ConfigArch = 'riscv64' | 'aarch64';

export interface HvConfigMemoryRegion {
  readonly memType: number;
  readonly physicalStart: number;
  readonly virtualStart: number;
  readonly size: number;
}

/** One inter-VM communication channel (used by hvisor on aarch64 only). */
export interface HvIvcConfig {
  readonly ivcId: number;
  readonly peerId: number;
  readonly controlTableIpa: number;
  readonly sharedMemIpa: number;
  readonly rwSecSize: number;
  readonly outSecSize: number;
  readonly interruptNum: number;
  readonly maxPeers: number;
}

export interface HvPciConfig {
  readonly ecamBase: number;
  readonly ecamSize: number;
  readonly ioBase: number;
  readonly ioSize: number;
  readonly pciIoBase: number;
  readonly mem32Base: number;
  readonly mem32Size: number;
  readonly pciMem32Base: number;
  readonly mem64Base: number;
  readonly mem64Size: number;
  readonly pciMem64Base: number;
  readonly busRangeBegin: number;
  readonly busRangeEnd: number;
  readonly domain: number;
}

/** VpciDevType (src/pci/vpci_dev/mod.rs). */
export const PciDevType = { physical: 0, standardVdev: 1 } as const;

export interface HvPciDevConfig {
  readonly domain: number;
  readonly bus: number;
  readonly device: number;
  readonly function: number;
  readonly devType: number;
}

/** riscv64's HvArchZoneConfig. `arch` may be left out: riscv64 is the model's default. */
export interface Riscv64ArchZoneConfig {
  readonly arch?: 'riscv64';
  readonly plicBase: number;
  readonly plicSize: number;
  readonly aplicBase: number;
  readonly aplicSize: number;
}

export interface Gicv2Config {
  readonly version: 'v2';
  readonly gicdBase: number;
  readonly gicdSize: number;
  readonly giccBase: number;
  readonly giccSize: number;
  readonly giccOffset: number;
  readonly gichBase: number;
  readonly gichSize: number;
  readonly gicvBase: number;
  readonly gicvSize: number;
}

export interface Gicv3Config {
  readonly version: 'v3';
  readonly gicdBase: number;
  readonly gicdSize: number;
  readonly gicrBase: number;
  readonly gicrSize: number;
  readonly gitsBase: number;
  readonly gitsSize: number;
}

/** hvisor's GicConfig tagged union: tag 0 = GICv2, 1 = GICv3. */
export type GicConfig = Gicv2Config | Gicv3Config;

/** aarch64's HvArchZoneConfig. */
export interface Aarch64ArchZoneConfig {
  readonly arch: 'aarch64';
  readonly isAarch32: boolean;
  readonly gic: GicConfig;
}

export type HvArchZoneConfig = Riscv64ArchZoneConfig | Aarch64ArchZoneConfig;

/** The arch-specific part selected by an arch name. */
export type ArchZoneConfigOf<A extends ConfigArch> = A extends 'aarch64' ? Aarch64ArchZoneConfig : Riscv64ArchZoneConfig;

/**
 * HvZoneConfig. The type parameter is the arch-specific part; it defaults to
 * riscv64, the arch the model runs, so model code reads `archConfig.plicBase`
 * directly.
 */
export interface HvZoneConfig<A extends HvArchZoneConfig = Riscv64ArchZoneConfig> {
  readonly zoneId: number;
  /** At most CONFIG_NAME_MAXLEN bytes of UTF-8. */
  readonly name: string;
  /** Bitmap of logical CPU ids. */
  readonly cpus: bigint;
  /** At most CONFIG_MAX_MEMORY_REGIONS. */
  readonly memoryRegions: readonly HvConfigMemoryRegion[];
  /** Interrupt numbers owned by the zone, each below CONFIG_MAX_INTERRUPTS. */
  readonly interrupts: readonly number[];
  /** At most CONFIG_MAX_IVC_CONFIGS; absent = none. */
  readonly ivcConfigs?: readonly HvIvcConfig[];
  /** Guest-physical entry address. */
  readonly entryPoint: number;
  /** Host-physical address the kernel image was copied to. */
  readonly kernelLoadPaddr: number;
  /** Page-rounded size of the copied kernel; INVALID_ADDRESS for the root zone; absent = 0. */
  readonly kernelSize?: bigint;
  /** Host-physical address of the DTB (hvisor translates it to the guest's dtb_ipa). */
  readonly dtbLoadPaddr: number;
  /** Page-rounded size of the copied DTB; INVALID_ADDRESS for the root zone; absent = 0. */
  readonly dtbSize?: bigint;
  readonly archConfig: A;
  /** PCI host bridges, at most CONFIG_PCI_BUS_MAXNUM; absent = none. */
  readonly pciConfig?: readonly HvPciConfig[];
  /** PCI devices given to the zone, at most CONFIG_MAX_PCI_DEV; absent = none. */
  readonly allocPciDevs?: readonly HvPciDevConfig[];
}

/** A zone config of either arch. */
export type AnyHvZoneConfig = HvZoneConfig<HvArchZoneConfig>;

export function archOf(archConfig: HvArchZoneConfig): ConfigArch {
  return archConfig.arch === 'aarch64' ? 'aarch64' : 'riscv64';
}
