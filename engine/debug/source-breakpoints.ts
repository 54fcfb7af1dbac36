// A source breakpoint's locations over every loaded image: an ELF binds
// the line in its own DWARF (line-binding.ts), so each zone's image gets
// its locations even where several images share file names; an assembled
// image binds the first of its lines at or after the one asked for.

import type { LoadedImage } from '../machine/loaders/image';
import { bindLine } from './line-binding';

export interface SourceBinding {
  /** Every address the breakpoint stops at, lowest image first. */
  readonly addresses: readonly bigint[];
  /** The line it really stops at: the first location's. */
  readonly line: number;
}

/** Every source file of the images: the assembled ones, and those an ELF's line tables name (read from their headers). */
export function sourceFiles(images: readonly LoadedImage[]): string[] {
  const files = new Set<string>();
  for (const image of images) {
    for (const l of image.lines) files.add(l.file);
    const info = image.debugInfo;
    for (const unit of info?.units() ?? []) for (const f of info!.lineFiles(unit)) files.add(f);
  }
  return [...files];
}

/** Where a breakpoint on `line` of the file `matches` accepts stops, or undefined where no image has code at or after it. */
export function bindSource(images: readonly LoadedImage[], matches: (file: string) => boolean, line: number): SourceBinding | undefined {
  const found: { address: bigint; line: number }[] = [];
  for (const image of images) {
    if (image.debugInfo) {
      found.push(...bindLine(image.debugInfo, matches, line));
      continue;
    }
    let best: { address: number; line: number } | undefined;
    for (const l of image.lines) {
      if (l.line < line || !matches(l.file)) continue;
      if (!best || l.line < best.line || (l.line === best.line && l.address < best.address)) best = l;
    }
    if (best) found.push({ address: BigInt(best.address), line: best.line });
  }
  const first = found[0];
  if (!first) return undefined;
  return { addresses: [...new Set(found.map((f) => f.address))], line: first.line };
}
