// The debug sections of one ELF file, each looked up by name on first use
// and kept as a view into the file's bytes (nothing copied).

import type { ElfImage } from '../machine/loaders/elf';

export type DwarfSectionName =
  | '.debug_info'
  | '.debug_abbrev'
  | '.debug_line'
  | '.debug_str'
  | '.debug_line_str'
  | '.debug_str_offsets'
  | '.debug_addr'
  | '.debug_ranges'
  | '.debug_rnglists'
  | '.debug_loc'
  | '.debug_loclists'
  | '.debug_frame'
  | '.eh_frame';

export interface DwarfSections {
  /** The section's bytes, or undefined when the file has none (or they run past the file, with a message). */
  get(name: DwarfSectionName): Uint8Array | undefined;
  /** The section's load address (.eh_frame's pc-relative pointers need it). */
  address(name: DwarfSectionName): bigint;
  /** Problems met while looking sections up. */
  readonly messages: readonly string[];
}

export function elfSections(elf: ElfImage): DwarfSections {
  const cache = new Map<DwarfSectionName, Uint8Array | undefined>();
  const messages: string[] = [];
  return {
    messages,
    get(name) {
      if (cache.has(name)) return cache.get(name);
      const header = elf.section(name);
      let data: Uint8Array | undefined;
      if (header) {
        try {
          data = elf.sectionData(header);
        } catch (e) {
          messages.push(`${elf.fileName}: ${name}: ${(e as Error).message}`);
        }
      }
      cache.set(name, data);
      return data;
    },
    address: (name) => elf.section(name)?.addr ?? 0n,
  };
}
