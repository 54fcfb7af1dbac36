// Launching aarch64 register-level test guests under the hvisor model on the
// qemu-gicv3 board: A64 assembly (test/fixtures/hv-aarch64/*.S or strings)
// behind the shared prelude, loaded as the launch's `.S` images; zone configs
// written both as the launch's JSON and as an HvZoneConfig in assembly; and
// helpers to run to a label and read registers, memory and the trace.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type StopReason, type TraceEvent } from '../../../../engine/api';
import { parseLaunch } from '../../../../engine/hv/config/launch';
import { assembleAarch64 } from '../../../../engine/isa/aarch64/asm';

/** Every launch folder this test process writes, removed when it exits. */
const LAUNCH_FOLDERS = mkdtempSync(join(tmpdir(), 'hv-a64-'));
process.on('exit', () => rmSync(LAUNCH_FOLDERS, { recursive: true, force: true }));

export const FIXTURES = 'test/fixtures/hv-aarch64';
export const PRELUDE = readFileSync(join(FIXTURES, 'prelude.S'), 'utf8');

export const INVALID_ADDRESS = 0xffff_ffff_ffff_ffffn;
/** The qemu-gicv3 root zone hvisor compiles in (reference §5.4). */
export const ROOT_ENTRY = 0xa0400000;
export const ROOT_DTB = 0xa0000000;
export const GICD = 0x08000000;
export const GICR = 0x080a0000;

export const ERRNO = { EPERM: 1n, EFAULT: 14n, EBUSY: 16n, EEXIST: 17n, EINVAL: 22n, ENOSYS: 38n } as const;
export const PSCI_RET = { SUCCESS: 0n, NOT_SUPPORTED: -1n, ALREADY_ON: -4n } as const;

/** A signed 64-bit register value as an unsigned bigint, as the registers hold it. */
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
/** -errno as x0 holds it after a failed hypercall. */
export const errno = (e: bigint): bigint => u64(-e);

export interface MemoryRegionSpec {
  readonly type: 'ram' | 'io' | 'virtio';
  readonly phys: number;
  readonly virt?: number;
  readonly size: number;
}

/** One zone, written out both as hvisor-tool JSON (for the launch) and as an HvZoneConfig in assembly. */
export interface ZoneSpec {
  readonly id: number;
  readonly name: string;
  readonly cpus: readonly number[];
  readonly regions: readonly MemoryRegionSpec[];
  readonly irqs?: readonly number[];
  readonly entry: number;
  readonly kernelLoad?: number;
  readonly dtb: number;
  readonly isAarch32?: boolean;
}

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;
const TYPE_CODE = { ram: 0, io: 1, virtio: 2 } as const;
/** The board's GICv3 windows, which every zone's config names. */
const GIC = { gicdBase: GICD, gicdSize: 0x10000, gicrBase: GICR, gicrSize: 0xf60000, gitsBase: 0x8080000, gitsSize: 0x20000 } as const;

/** Zone 1 of the tests, as the aarch64-zones sample's: CPUs 2 and 3, 16 MiB of RAM at 0x60000000, the UART. */
export function zone1(overrides: Partial<ZoneSpec> = {}): ZoneSpec {
  return {
    id: 1,
    name: 'zone1',
    cpus: [2, 3],
    regions: [
      { type: 'ram', phys: 0x60000000, size: 0x1000000 },
      { type: 'io', phys: 0x09000000, size: 0x1000 },
    ],
    irqs: [],
    entry: 0x60000000,
    dtb: 0x60f00000,
    ...overrides,
  };
}

/** A root zone like the board's built-in one (RAM 0x50000000-0xc0000000, the UART), on other CPUs. */
export function rootZone(overrides: Partial<ZoneSpec> = {}): ZoneSpec {
  return {
    id: 0,
    name: 'root-linux',
    cpus: [0, 1],
    regions: [
      { type: 'ram', phys: 0x50000000, size: 0x70000000 },
      { type: 'io', phys: 0x09000000, size: 0x1000 },
    ],
    irqs: [33],
    entry: ROOT_ENTRY,
    dtb: ROOT_DTB,
    ...overrides,
  };
}

export function zoneJson(z: ZoneSpec): string {
  return JSON.stringify({
    zone_id: z.id,
    name: z.name,
    cpus: z.cpus,
    memory_regions: z.regions.map((r) => ({ type: r.type, physical_start: hex(r.phys), virtual_start: hex(r.virt ?? r.phys), size: hex(r.size) })),
    interrupts: z.irqs ?? [],
    ivc_configs: [],
    kernel_filepath: 'null',
    dtb_filepath: 'null',
    kernel_load_paddr: hex(z.kernelLoad ?? z.entry),
    dtb_load_paddr: hex(z.dtb),
    entry_point: hex(z.entry),
    arch_config: {
      gic_version: 'v3',
      gicd_base: hex(GIC.gicdBase), gicd_size: hex(GIC.gicdSize),
      gicr_base: hex(GIC.gicrBase), gicr_size: hex(GIC.gicrSize),
      gits_base: hex(GIC.gitsBase), gits_size: hex(GIC.gitsSize),
      is_aarch32: z.isAarch32 ?? false,
    },
    pci_config: [],
  }, null, 2);
}

/** The zone as `label:` followed by its 3136-byte HvZoneConfig, field by field as the sample's root.S writes it. */
export function zoneConfigAsm(label: string, z: ZoneSpec): string {
  const lines = [
    '        .balign 8',
    `${label}:`,
    `        .word   ${z.id}                         // zone_id`,
    `        .skip   ${label} + ZC_CPUS - .`,
    `        .dword  ${hex(z.cpus.reduce((m, c) => m | (1n << BigInt(c)), 0n))}  // cpus`,
    `        .word   ${z.regions.length}             // num_memory_regions`,
    `        .skip   ${label} + ZC_MEMORY_REGIONS - .`,
  ];
  for (const r of z.regions) {
    lines.push(`        .word   ${TYPE_CODE[r.type]}`);
    lines.push('        .skip   MR_PHYSICAL_START - 4');
    lines.push(`        .dword  ${hex(r.phys)}, ${hex(r.virt ?? r.phys)}, ${hex(r.size)}`);
  }
  const words = new Array<number>(32).fill(0);
  for (const irq of z.irqs ?? []) words[irq >>> 5]! |= 1 << (irq & 31);
  lines.push(`        .skip   ${label} + ZC_INTERRUPTS_BITMAP - .`);
  lines.push(`        .word   ${words.map((w) => hex(w >>> 0)).join(', ')}`);
  lines.push(`        .skip   ${label} + ZC_ENTRY_POINT - .`);
  lines.push(`        .dword  ${hex(z.entry)}, ${hex(z.kernelLoad ?? z.entry)}, 0, ${hex(z.dtb)}, 0`);
  lines.push(`        .asciz  "${z.name}"`);
  lines.push(`        .skip   ${label} + ZC_ARCH_CONFIG - .`);
  lines.push(`        .byte   ${z.isAarch32 ? 1 : 0}                 // is_aarch32`);
  lines.push(`        .skip   ${label} + ZC_ARCH_CONFIG + AC_GIC_TAG - .`);
  lines.push('        .dword  1                                // GicConfig::Gicv3');
  lines.push(`        .dword  ${hex(GIC.gicdBase)}, ${hex(GIC.gicdSize)}, ${hex(GIC.gicrBase)}, ${hex(GIC.gicrSize)}, ${hex(GIC.gitsBase)}, ${hex(GIC.gitsSize)}`);
  lines.push(`        .skip   ${label} + ZC_SIZEOF - .`);
  return lines.join('\n') + '\n';
}

export interface GuestSpec {
  readonly cpus?: number;
  /** The root zone's program (prelude added), loaded at the root zone's kernel_load_paddr. */
  readonly root: string;
  /** A root-zone config of our own instead of the board's built-in one. */
  readonly rootZone?: ZoneSpec;
  /** Zones the launch knows, each with its program (prelude added), loaded at its kernel_load_paddr. */
  readonly zones?: readonly { readonly zone: ZoneSpec; readonly source: string }[];
}

export interface Guest {
  readonly engine: Engine;
  readonly trace: TraceEvent[];
  readonly uart: number[];
  /** The folder holding launch.json and the images. */
  readonly dir: string;
  /** A label's address; `zone` picks the image (0 = root). */
  sym(name: string, zone?: number): number;
}

/** Read a fixture guest (without the prelude). */
export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** A guest's source as the launch loads it: the prelude, then the program. */
export function withPrelude(source: string): string {
  return PRELUDE + source;
}

/** Write the launch folder (launch.json, zone configs, `.S` images) without booting it. */
export function writeLaunch(spec: GuestSpec): { dir: string; launchFile: string; symbols: Map<string, number> } {
  const dir = mkdtempSync(join(LAUNCH_FOLDERS, 'launch-'));
  const symbols = new Map<string, number>();
  const images: { path: string; zone: number }[] = [];
  const addImage = (file: string, source: string, zone: number, base: number): void => {
    const text = withPrelude(source);
    writeFileSync(join(dir, file), text);
    const { program, errors } = assembleAarch64(text, { fileName: file, base });
    assert.deepEqual(errors, [], `${file} assembles`);
    assert.ok(program);
    for (const [name, s] of program.symbols) symbols.set(`${zone}:${name}`, s.address);
    images.push({ path: file, zone });
  };
  const launch: Record<string, unknown> = { arch: 'aarch64', board: 'qemu-gicv3', cpus: spec.cpus ?? 4 };
  if (spec.rootZone) {
    writeFileSync(join(dir, 'root.json'), zoneJson(spec.rootZone));
    launch.rootZone = 'root.json';
  }
  const root = spec.rootZone;
  addImage('root.S', spec.root, 0, root ? root.kernelLoad ?? root.entry : ROOT_ENTRY);
  const zoneFiles: string[] = [];
  for (const { zone, source } of spec.zones ?? []) {
    const json = `zone${zone.id}.json`;
    writeFileSync(join(dir, json), zoneJson(zone));
    zoneFiles.push(json);
    addImage(`zone${zone.id}.S`, source, zone.id, zone.kernelLoad ?? zone.entry);
  }
  const launchFile = join(dir, 'launch.json');
  writeFileSync(launchFile, JSON.stringify({ ...launch, zones: zoneFiles, images }, null, 2));
  return { dir, launchFile, symbols };
}

export function launchGuests(spec: GuestSpec): Guest {
  const { dir, launchFile, symbols } = writeLaunch(spec);
  const { launch, errors } = parseLaunch(readFileSync(launchFile, 'utf8'), launchFile, (p) => readFileSync(p, 'utf8'));
  assert.deepEqual(errors.map((e) => e.toString()), []);
  assert.ok(launch);
  const trace: TraceEvent[] = [];
  const uart: number[] = [];
  const engine = Engine.launch(launch, { onUart: (b) => uart.push(b), trace: (e) => trace.push(e), readFile: (p) => readFileSync(p) });
  return {
    engine,
    trace,
    uart,
    dir,
    sym(name: string, zone = 0): number {
      const a = symbols.get(`${zone}:${name}`);
      if (a === undefined) throw new Error(`no label ${name} in zone ${zone}'s image`);
      return a;
    },
  };
}

/** Guard against a run that never stops: far more instructions than any of these guests needs. */
const BUDGET = 20_000_000;

export function runFor(g: Guest, cpus?: readonly number[]): StopReason {
  const e = g.engine;
  return e.run({ maxInstructions: e.totalInstructions() + BUDGET, ...(cpus ? { cpus: new Set(cpus) } : {}) });
}

/** What a CPU shows when a run ends somewhere unexpected: its pc, state, and EL1's fault registers. */
export function whereIs(g: Guest, cpu: number): string {
  const c = g.engine.cpu(cpu);
  const el1 = g.engine.systemRegisters(cpu).find((x) => x.id === 'el1')?.registers ?? [];
  const pick = (n: string): string => hex(el1.find((r) => r.name === n)?.value ?? 0n);
  return `CPU ${cpu}: pc ${hex(c.pc)} ${c.state} ${c.privilege}; esr_el1 ${pick('esr_el1')} far_el1 ${pick('far_el1')} elr_el1 ${pick('elr_el1')}`;
}

/** Run (all CPUs, or only `cpus`) until `cpu` reaches `label`; fails on any other stop. */
export function runTo(g: Guest, label: string, options: { cpu?: number; zone?: number; cpus?: readonly number[] } = {}): void {
  const address = g.sym(label, options.zone ?? 0);
  const cpu = options.cpu ?? 0;
  g.engine.setInstructionBreakpoints([BigInt(address)]);
  const stop = runFor(g, options.cpus);
  g.engine.setInstructionBreakpoints([]);
  assert.deepEqual(stop, { kind: 'breakpoint', cpu, pc: address }, `run to ${label}: ${whereIs(g, cpu)}\n${traceText(g).split('\n').slice(-5).join('\n')}`);
}

export function reg(g: Guest, cpu: number, name: string): bigint {
  const v = g.engine.readRegister(cpu, name);
  if (v === undefined) throw new Error(`no register ${name}`);
  return v;
}

/** x0 of `cpu`: what an hvc or smc returned. */
export function x0(g: Guest, cpu = 0): bigint {
  return reg(g, cpu, 'x0');
}

/** A system register by its group and name, as Engine.systemRegisters shows it. */
export function sysreg(g: Guest, cpu: number, group: string, name: string): bigint {
  const r = g.engine.systemRegisters(cpu).find((x) => x.id === group)?.registers.find((x) => x.name === name);
  if (!r) throw new Error(`no ${name} in group ${group}`);
  return r.value;
}

export function bytesAt(g: Guest, address: number, length: number): Uint8Array {
  const raw = g.engine.readPhysical(address, length);
  assert.ok(raw.every((b) => b !== undefined), `0x${address.toString(16)}..+${length} is RAM`);
  return Uint8Array.from(raw as number[]);
}

export function u64At(g: Guest, address: number): bigint {
  return new DataView(bytesAt(g, address, 8).buffer).getBigUint64(0, true);
}

export function u32At(g: Guest, address: number): number {
  return new DataView(bytesAt(g, address, 4).buffer).getUint32(0, true);
}

export function traceText(g: Guest): string {
  return g.trace.map((e) => `cpu${e.cpu} ${e.kind}: ${e.text}`).join('\n');
}
