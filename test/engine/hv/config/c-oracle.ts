// The C compiler as the oracle for the binary HvZoneConfig: a C source that
// includes test/fixtures/configs/hv-zone-config.h is compiled with the
// riscv64 or aarch64 cross gcc, each object placed in its own section, and
// objcopy dumps the sections' bytes. Offsets and sizes come back as arrays of
// u64 from offsetof/sizeof; initialised structs come back as the exact bytes
// the compiler lays out, padding included.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigArch, HvArchZoneConfig, HvZoneConfig } from '../../../../engine/hv/config/zone-config';
import type { ZoneInfo } from '../../../../engine/hv/config/binary';
import { requireCommands } from '../../../../scripts/external-tools.mjs';

const PREFIX: Record<ConfigArch, string> = { riscv64: 'riscv64-linux-gnu-', aarch64: 'aarch64-linux-gnu-' };
const HEADER_DIR = join(process.cwd(), 'test', 'fixtures', 'configs');

/** Throws, naming the package, unless the cross compiler and objcopy for `arch` are installed. */
export function requireCompiler(arch: ConfigArch): void {
  requireCommands(`${PREFIX[arch]}gcc`, `${PREFIX[arch]}objcopy`);
}

/** One object of the C source: its declaration (type and initialiser) goes into a section of its own. */
export interface CObject {
  readonly type: string;
  /** Element count, for an array. */
  readonly length?: number;
  readonly init: string;
}

/** Compiles the objects for `arch` and returns each one's bytes, in order. */
export function compileObjects(arch: ConfigArch, objects: readonly CObject[]): Uint8Array[] {
  const dir = mkdtempSync(join(tmpdir(), 'hv-config-'));
  try {
    const source = [
      '#include <stddef.h>',
      '#include "hv-zone-config.h"',
      ...objects.map((o, i) => `__attribute__((used, section(".oracle${i}"))) const ${o.type} object${i}${o.length ? `[${o.length}]` : ''} = ${o.init};`),
      '',
    ].join('\n');
    writeFileSync(join(dir, 'oracle.c'), source);
    execFileSync(`${PREFIX[arch]}gcc`, ['-c', '-O0', '-std=c11', '-Wall', '-Werror', '-I', HEADER_DIR, '-o', join(dir, 'oracle.o'), join(dir, 'oracle.c')]);
    const dumps = objects.flatMap((_, i) => ['--dump-section', `.oracle${i}=${join(dir, `s${i}.bin`)}`]);
    execFileSync(`${PREFIX[arch]}objcopy`, [...dumps, join(dir, 'oracle.o'), join(dir, 'copy.o')]);
    return objects.map((_, i) => new Uint8Array(readFileSync(join(dir, `s${i}.bin`))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compiles C constant expressions (offsetof, sizeof) and returns their values. */
export function evaluate(arch: ConfigArch, expressions: readonly string[]): number[] {
  const [bytes] = compileObjects(arch, [{ type: 'unsigned long long', length: expressions.length, init: `{ ${expressions.join(', ')} }` }]);
  const view = new DataView(bytes!.buffer, bytes!.byteOffset, bytes!.byteLength);
  return expressions.map((_, i) => Number(view.getBigUint64(8 * i, true)));
}

// ---- C initialisers for the model's configs -------------------------------------------

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function u64(value: number | bigint): string {
  return `${BigInt(value)}ULL`;
}

/** `.snake_name = value` for every numeric field of a model object. */
function fields(obj: object): string {
  return Object.entries(obj)
    .filter((e): e is [string, number | bigint] => typeof e[1] === 'number' || typeof e[1] === 'bigint')
    .map(([k, v]) => `.${snake(k)} = ${u64(v)}`)
    .join(', ');
}

/** An initialiser list, or undefined for an empty one (the member is then left out, so it is zero). */
function list(items: readonly string[]): string | undefined {
  return items.length ? `{ ${items.join(', ')} }` : undefined;
}

function bytesOf(text: string): string | undefined {
  return list([...new TextEncoder().encode(text)].map((b) => `0x${b.toString(16)}`));
}

/** A designated initialiser for `struct zone_config`, written from field names only. */
export function zoneConfigInitializer(c: HvZoneConfig<HvArchZoneConfig>): CObject {
  const words = new Array<number>(32).fill(0);
  for (const irq of c.interrupts) words[Math.floor(irq / 32)] = (words[Math.floor(irq / 32)]! | 2 ** (irq % 32)) >>> 0;
  const a = c.archConfig;
  let arch: string;
  if (a.arch === 'aarch64') {
    const { version, ...payload } = a.gic;
    arch = `{ .is_aarch32 = ${a.isAarch32 ? 1 : 0}, .gic = { .tag = ${version === 'v2' ? 0 : 1}, .u.${version} = { ${fields(payload)} } } }`;
  } else {
    arch = `{ .plic_base = ${u64(a.plicBase)}, .plic_size = ${u64(a.plicSize)}, .aplic_base = ${u64(a.aplicBase)}, .aplic_size = ${u64(a.aplicSize)} }`;
  }
  const members: [string, string | undefined][] = [
    ['zone_id', `${c.zoneId}U`],
    ['cpus', u64(c.cpus)],
    ['num_memory_regions', `${c.memoryRegions.length}U`],
    ['memory_regions', list(c.memoryRegions.map((r) => `{ ${fields(r)} }`))],
    ['interrupts_bitmap', list(words.map((w) => `${w}U`))],
    ['num_ivc_configs', `${(c.ivcConfigs ?? []).length}U`],
    ['ivc_configs', list((c.ivcConfigs ?? []).map((x) => `{ ${fields(x)} }`))],
    ['entry_point', u64(c.entryPoint)],
    ['kernel_load_paddr', u64(c.kernelLoadPaddr)],
    ['kernel_size', u64(c.kernelSize ?? 0n)],
    ['dtb_load_paddr', u64(c.dtbLoadPaddr)],
    ['dtb_size', u64(c.dtbSize ?? 0n)],
    ['name', bytesOf(c.name)],
    ['arch_config', arch],
    ['num_pci_bus', `${(c.pciConfig ?? []).length}ULL`],
    ['pci_config', list((c.pciConfig ?? []).map((x) => `{ ${fields(x)} }`))],
    ['num_pci_devs', `${(c.allocPciDevs ?? []).length}ULL`],
    ['alloc_pci_devs', list((c.allocPciDevs ?? []).map((x) => `{ ${fields(x)} }`))],
  ];
  const init = members.flatMap(([name, value]) => (value === undefined ? [] : [`.${name} = ${value}`])).join(',\n  ');
  return { type: 'struct zone_config', init: `{ ${init} }` };
}

export function zoneInfoInitializer(info: ZoneInfo): CObject {
  const name = bytesOf(info.name);
  return { type: 'struct zone_info', init: `{ .zone_id = ${info.zoneId}U, .cpus = ${u64(info.cpus)}, ${name ? `.name = ${name}, ` : ''}.is_err = ${info.isErr ? 1 : 0} }` };
}
