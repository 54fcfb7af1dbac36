// Where a guest's boot files go: in the quick launch, the one zone's RAM
// with the device tree in the top 2 MiB; in a launch file, the zone's RAM
// region that holds its kernel, with the device tree at dtb_load_paddr.

import type { BootSite, Range } from './boot-files';
import type { LoadedImage } from './machine/loaders/image';
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
    generatedDtb,
    names: { initrd: '--initrd', dtb: '--dtb' },
  };
}
