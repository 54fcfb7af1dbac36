// The problems an image's DWARF (or symbol file) has, each said once: the
// reader finds them as it reads (lazily), and the session or the CLI asks for
// the new ones after each stop, so a malformed unit is named where the user sees it.

import type { LoadedImage } from '../machine/loaders/image';

export class DwarfReports {
  private readonly said = new Set<string>();

  /** Index every image's units by their headers, the check opening an image makes. */
  constructor(private readonly images: readonly LoadedImage[]) {
    for (const image of images) image.debugInfo?.units();
  }

  /** The messages not said before, each naming its file and saying what has no source information. */
  news(): string[] {
    const out: string[] = [];
    for (const image of this.images) {
      for (const m of image.problems ?? []) {
        if (this.said.has(m)) continue;
        this.said.add(m);
        out.push(m);
      }
      for (const m of image.debugInfo?.messages ?? []) {
        if (this.said.has(m)) continue;
        this.said.add(m);
        out.push(/no source information/.test(m) ? m : `${m}; no source information for that part of it`);
      }
    }
    return out;
  }
}
