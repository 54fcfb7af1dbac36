// Where a guest's boot files go: in the quick launch, the one zone's RAM
// with the device tree in the top 2 MiB; in a launch file, the zone's RAM
// region that holds its kernel, with the device tree at dtb_load_paddr.

import type { BootFile, BootOptions, BootSite, Range } from './boot-files';
import type { LaunchZone } from './hv/config/launch';
import { MemType } from './hv/config/zone-config';
import type { LoadedImage } from './machine/loaders/image';
import { ImageError } from './machine/loaders/image-error';
import type { QuickLayout, Arch } from './target/target';
import { hex } from './hex';

/** The room the quick launch keeps for its device tree, at the top of RAM. */
export const QUICK_DTB_ROOM = 0x200000;

/** The lowest start and the highest end of an image's ranges. */
export function imageSpan(image: LoadedImage): Range | undefined {
  if (image.extents.length === 0) return undefined;
  return [Math.min(...image.extents.map((e) => e[0])), Math.max(...image.extents.map((e) => e[1]))];
}

export function quickBootSite(arch: Arch, quick: QuickLayout, image: LoadedImage, imagePath: string, generatedDtb: () => Uint8Array): BootSite {
  const kernel = imageSpan(image);
  return {
    arch,
    ram: { start: quick.ramBase, size: quick.ramSize, guestStart: quick.ramBase },
    ...(kernel ? { kernel } : {}),
    taken: image.extents.map((range) => ({ what: `${imagePath} at ${hex(range[0])}..${hex(range[1])}`, range })),
    dtbAddress: quick.dtbAddress,
    dtbRoom: QUICK_DTB_ROOM,
    dtbBounds: [quick.ramBase, quick.ramBase + quick.ramSize],
    dtbPlacedBy: { file: imagePath, attribute: 'the quick launch device tree address' },
    generatedDtb,
    names: { initrd: '--initrd', dtb: '--dtb' },
  };
}

/** A launch file zone's boot files, read with `read`; a file that cannot be read names the attribute that named it. */
export function zoneBootOptions(launchFile: string, zone: LaunchZone, entry: string, read: (path: string) => Uint8Array): BootOptions {
  const file = (path: string, from: string): BootFile => {
    try {
      return { path, bytes: read(path) };
    } catch (e) {
      throw new ImageError(path, `${e instanceof Error ? e.message : String(e)} (${from})`);
    }
  };
  const boot = zone.boot ?? {};
  const dtb = boot.dtb !== undefined ? file(boot.dtb, `${launchFile}: ${entry}.dtb`) : zone.files.dtb !== undefined ? file(zone.files.dtb, `${zone.file}: dtb_filepath`) : undefined;
  return {
    ...(boot.initrd !== undefined ? { initrd: file(boot.initrd, `${launchFile}: ${entry}.initrd`) } : {}),
    ...(boot.bootargs !== undefined ? { bootargs: boot.bootargs } : {}),
    ...(dtb ? { dtb } : {}),
  };
}

export interface ZoneSiteInputs {
  readonly arch: Arch;
  readonly launchFile: string;
  readonly zone: LaunchZone;
  /** `rootZone` or `zones[1]`: the zone's entry in the launch file. */
  readonly entry: string;
  /** The zone's images, loaded. */
  readonly images: readonly LoadedImage[];
  readonly taken: readonly { readonly what: string; readonly range: Range }[];
  readonly dram: Range;
  readonly generatedDtb: () => Uint8Array;
  readonly hasInitrd: boolean;
}

/**
 * Where a launch file zone's boot files go: the initrd in the RAM region
 * that holds kernel_load_paddr (the guest sees it at that region's
 * virtual_start), the device tree at dtb_load_paddr.
 */
export function zoneBootSite(inputs: ZoneSiteInputs): BootSite {
  const config = inputs.zone.config;
  const owner = inputs.zone.file ?? inputs.launchFile;
  const k = config.kernelLoadPaddr;
  const region = config.memoryRegions.find((m) => m.memType === MemType.ram && k >= m.physicalStart && k < m.physicalStart + m.size);
  if (inputs.hasInitrd && !region) {
    throw new ImageError(owner, `kernel_load_paddr ${hex(k)} lies in none of the zone's RAM regions, so its initrd has no RAM to go in (${inputs.launchFile}: ${inputs.entry}.initrd)`);
  }
  const kernel = inputs.images.map(imageSpan).find((r) => r !== undefined && k >= r[0] && k < r[1]);
  return {
    arch: inputs.arch,
    ...(region ? { ram: { start: region.physicalStart, size: region.size, guestStart: region.virtualStart } } : {}),
    ...(kernel ? { kernel } : {}),
    taken: inputs.taken,
    dtbAddress: config.dtbLoadPaddr,
    dtbBounds: inputs.dram,
    dtbPlacedBy: { file: owner, attribute: 'dtb_load_paddr' },
    generatedDtb: () => {
      try {
        return inputs.generatedDtb();
      } catch (e) {
        throw new ImageError(owner, e instanceof Error ? e.message : String(e));
      }
    },
    names: { initrd: `${inputs.launchFile}: ${inputs.entry}.initrd`, dtb: inputs.zone.boot?.dtb !== undefined ? `${inputs.launchFile}: ${inputs.entry}.dtb` : `${owner}: dtb_filepath` },
  };
}
