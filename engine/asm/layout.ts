// Placing sections in memory like this linker script would:
//
//   . = base;
//   .text   : { *(.text .text.*) }
//   . = ALIGN(8);  .rodata : { *(.rodata .rodata.* .srodata .srodata.*) }
//   . = ALIGN(8);  .data   : { *(.data .data.* .sdata .sdata.*) }
//   . = ALIGN(8);  .bss    : { *(.bss .bss.* .sbss .sbss.*) }
//   . = ALIGN(8);  <each other section, in order of creation>
//
// An output section starts at its members' largest alignment, each member at
// its own alignment, and the gaps between members are zero bytes.

import type { Section } from './sections';

export interface OutputSection {
  readonly name: string;
  readonly address: bigint;
  readonly size: number;
  readonly members: readonly { readonly section: Section; readonly offset: number }[];
}

const GROUPS: readonly { name: string; patterns: readonly string[] }[] = [
  { name: '.text', patterns: ['.text'] },
  { name: '.rodata', patterns: ['.rodata', '.srodata'] },
  { name: '.data', patterns: ['.data', '.sdata'] },
  { name: '.bss', patterns: ['.bss', '.sbss'] },
];

const matches = (name: string, pattern: string): boolean => name === pattern || name.startsWith(`${pattern}.`);

/** The output section a section belongs to. */
export function outputName(name: string): string {
  return GROUPS.find((g) => g.patterns.some((p) => matches(name, p)))?.name ?? name;
}

const alignUp = (value: bigint, bytes: number): bigint => {
  const b = BigInt(bytes);
  return ((value + b - 1n) / b) * b;
};

/** Group sections into output sections and give each its address. */
export function layoutSections(sections: readonly Section[], base: bigint): { outputs: OutputSection[]; start: Map<Section, bigint> } {
  const byOutput = new Map<string, Section[]>();
  const start = new Map<Section, bigint>();
  for (const s of [...sections].sort((a, b) => a.order - b.order)) {
    if (!s.alloc) {
      start.set(s, 0n);
      continue;
    }
    const name = outputName(s.name);
    const list = byOutput.get(name) ?? [];
    list.push(s);
    byOutput.set(name, list);
  }
  const names = [...GROUPS.map((g) => g.name), ...[...byOutput.keys()].filter((n) => !GROUPS.some((g) => g.name === n))];
  const outputs: OutputSection[] = [];
  let dot = base;
  names.forEach((name, index) => {
    const members = byOutput.get(name) ?? [];
    if (index > 0) dot = alignUp(dot, 8);
    const alignment = Math.max(1, ...members.map((m) => m.alignment));
    const address = alignUp(dot, alignment);
    let offset = 0;
    const placed: { section: Section; offset: number }[] = [];
    for (const section of members) {
      offset = Number(alignUp(BigInt(offset), section.alignment));
      placed.push({ section, offset });
      start.set(section, address + BigInt(offset));
      offset += section.size();
    }
    if (offset === 0) {
      // Empty output sections are dropped, but their symbols still need a home.
      for (const m of members) start.set(m, address);
      return;
    }
    outputs.push({ name, address, size: offset, members: placed });
    dot = address + BigInt(offset);
  });
  return { outputs, start };
}
