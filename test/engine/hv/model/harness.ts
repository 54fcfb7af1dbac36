// Launching register-level test guests under the hvisor model: assembly
// sources (test/fixtures/hv/*.S or strings) behind the shared prelude, zone
// configs generated both as the launch's JSON and as an HvZoneConfig in
// assembly, and helpers to run to a label and read registers and memory.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type StopReason, type TraceEvent } from '../../../../engine/api';
import { parseLaunch } from '../../../../engine/hv/config/launch';
import { assembleRiscv64 } from '../../../../engine/isa/riscv64/asm';

/** Every launch folder this test process writes, removed when it exits. */
const LAUNCH_FOLDERS = mkdtempSync(join(tmpdir(), 'hv-model-'));
process.on('exit', () => rmSync(LAUNCH_FOLDERS, { recursive: true, force: true }));

export const FIXTURES = 'test/fixtures/hv';
export const PRELUDE = readFileSync(join(FIXTURES, 'prelude.S'), 'utf8');

export const INVALID_ADDRESS = 0xffff_ffff_ffff_ffffn;
/** The qemu-plic root zone hvisor compiles in (reference §5.4). */
export const ROOT_ENTRY = 0x90000000;
export const ROOT_DTB = 0x8f000000;
/** Engine.launch puts hvisor at 0x80200000 and its per-CPU areas after a 1 MiB image. */
export const CORE_END = 0x80200000 + 0x100000;
export const PER_CPU_SIZE = 0x80000;

export const SBI = { SUCCESS: 0n, FAILED: -1n, NOT_SUPPORTED: -2n, INVALID_PARAM: -3n, ALREADY_AVAILABLE: -6n } as const;
export const ERRNO = { EPERM: 1n, EFAULT: 14n, EBUSY: 16n, EEXIST: 17n, EINVAL: 22n, ENOSYS: 38n } as const;

/** A signed 64-bit register value as an unsigned bigint, as the registers hold it. */
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

export interface MemoryRegionSpec {
  readonly type: 'ram' | 'io' | 'virtio' | number;
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
  readonly plic?: boolean;
}

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;
const TYPE_CODE = { ram: 0, io: 1, virtio: 2 } as const;

/** Zone 1 of the tests: CPUs 2 and 3, 16 MiB of RAM at 0x8a000000, the UART, the PLIC. */
export function zone1(overrides: Partial<ZoneSpec> = {}): ZoneSpec {
  return {
    id: 1,
    name: 'zone1',
    cpus: [2, 3],
    regions: [
      { type: 'ram', phys: 0x8a000000, size: 0x1000000 },
      { type: 'io', phys: 0x10000000, size: 0x1000 },
    ],
    irqs: [],
    entry: 0x8a000000,
    dtb: 0x8af00000,
    plic: true,
    ...overrides,
  };
}

export function zoneJson(z: ZoneSpec): string {
  return JSON.stringify({
    zone_id: z.id,
    name: z.name,
    cpus: z.cpus,
    memory_regions: z.regions.map((r) => ({
      type: typeof r.type === 'number' ? 'ram' : r.type,
      physical_start: hex(r.phys),
      virtual_start: hex(r.virt ?? r.phys),
      size: hex(r.size),
    })),
    interrupts: z.irqs ?? [],
    ivc_configs: [],
    kernel_filepath: 'null',
    dtb_filepath: 'null',
    kernel_load_paddr: hex(z.kernelLoad ?? z.entry),
    dtb_load_paddr: hex(z.dtb),
    entry_point: hex(z.entry),
    arch_config: z.plic === false
      ? { plic_base: '0x0', plic_size: '0x0', aplic_base: '0x0', aplic_size: '0x0' }
      : { plic_base: '0xc000000', plic_size: '0x4000000', aplic_base: '0xd000000', aplic_size: '0x8000' },
    pci_config: [],
  }, null, 2);
}

/** The zone as `label:` followed by its 3080-byte HvZoneConfig, field by field as root.S of the sample does. */
export function zoneConfigAsm(label: string, z: ZoneSpec): string {
  const lines = [
    '        .balign 8',
    `${label}:`,
    `        .word   ${z.id}                         # zone_id`,
    `        .skip   ${label} + ZC_CPUS - .`,
    `        .dword  ${hex(z.cpus.reduce((m, c) => m | (1n << BigInt(c)), 0n))}  # cpus`,
    `        .word   ${z.regions.length}             # num_memory_regions`,
    `        .skip   ${label} + ZC_MEMORY_REGIONS - .`,
  ];
  for (const r of z.regions) {
    lines.push(`        .word   ${typeof r.type === 'number' ? r.type : TYPE_CODE[r.type]}`);
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
  lines.push(z.plic === false ? '        .dword  0, 0, 0, 0' : '        .dword  0xc000000, 0x4000000, 0xd000000, 0x8000');
  lines.push(`        .skip   ${label} + ZC_SIZEOF - .`);
  return lines.join('\n') + '\n';
}

export interface GuestSpec {
  readonly cpus?: number;
  /** The root zone's program (prelude added), loaded at 0x90000000. */
  readonly root: string;
  /** Zones the launch knows, each with its program (prelude added), loaded at its kernel_load_paddr. */
  readonly zones?: readonly { readonly zone: ZoneSpec; readonly source: string }[];
}

export interface Guest {
  readonly engine: Engine;
  readonly trace: TraceEvent[];
  readonly uart: number[];
  /** A label's address; `zone` picks the image (0 = root). */
  sym(name: string, zone?: number): number;
}

/** Read a fixture guest (without the prelude). */
export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function launchGuests(spec: GuestSpec): Guest {
  const dir = mkdtempSync(join(LAUNCH_FOLDERS, 'launch-'));
  const symbols = new Map<string, number>();
  const images: { path: string; zone: number }[] = [];
  const addImage = (file: string, source: string, zone: number, base: number): void => {
    const text = PRELUDE + source;
    writeFileSync(join(dir, file), text);
    const { program, errors } = assembleRiscv64(text, { fileName: file, base });
    assert.deepEqual(errors, [], `${file} assembles`);
    assert.ok(program);
    for (const [name, s] of program.symbols) symbols.set(`${zone}:${name}`, s.address);
    images.push({ path: file, zone });
  };
  addImage('root.S', spec.root, 0, ROOT_ENTRY);
  const zoneFiles: string[] = [];
  for (const { zone, source } of spec.zones ?? []) {
    const json = `zone${zone.id}.json`;
    writeFileSync(join(dir, json), zoneJson(zone));
    zoneFiles.push(json);
    addImage(`zone${zone.id}.S`, source, zone.id, zone.kernelLoad ?? zone.entry);
  }
  const launchFile = join(dir, 'launch.json');
  writeFileSync(launchFile, JSON.stringify({ arch: 'riscv64', board: 'qemu-plic', cpus: spec.cpus ?? 4, zones: zoneFiles, images }));
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

/** Run (all CPUs, or only `cpus`) until `cpu` reaches `label`; fails on any other stop. */
export function runTo(g: Guest, label: string, options: { cpu?: number; zone?: number; cpus?: readonly number[] } = {}): void {
  const address = g.sym(label, options.zone ?? 0);
  g.engine.setInstructionBreakpoints([BigInt(address)]);
  const stop = runFor(g, options.cpus);
  g.engine.setInstructionBreakpoints([]);
  assert.deepEqual(stop, { kind: 'breakpoint', cpu: options.cpu ?? 0, pc: address }, `run to ${label}`);
}

export function reg(g: Guest, cpu: number, name: string): bigint {
  const r = g.engine.registers(cpu).find((x) => x.name === name);
  if (!r) throw new Error(`no register ${name}`);
  return r.value;
}

/** a0 and a1 of `cpu`, as the guest sees them after an ecall. */
export function ret(g: Guest, cpu = 0): [bigint, bigint] {
  return [reg(g, cpu, 'a0'), reg(g, cpu, 'a1')];
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
