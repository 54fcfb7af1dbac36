// The engine's typed API: what the debug adapter, the CLI and the tests use.
// It knows nothing of VS Code or DAP.

import { Disassembler } from './isa/riscv64/disasm';
import { abiNames, parseRegister } from './isa/riscv64/registers';
import { Access, translate } from './isa/riscv64/mmu';
import type { Riscv64Core } from './isa/riscv64/core';
import type { Hart } from './isa/riscv64/hart';
import { buildRiscvVirtDtb } from './machine/fdt-riscv-virt';
import { QEMU_PLIC, QemuPlicBoard } from './machine/boards/qemu-plic';
import { ImageError } from './machine/loaders/image-error';
import { loadImage, type ImageSpec, type LoadedImage } from './machine/loaders/image';
import { Scheduler, type RunOptions, type StopReason } from './sched/scheduler';
import { Hvisor } from './hv/hvisor';
import { MemType, type HvZoneConfig } from './hv/config/zone-config';
import { handleTrap } from './hv/arch/riscv64/trap';
import type { TraceSink } from './hv/trace';
import type { Launch } from './hv/config/launch';
import { buildZoneDtb } from './hv/zone-dtb';
import { PER_CPU_SIZE } from './hv/consts';
import type { SymbolHit } from './machine/loaders/symbol-table';
import { IPI_EVENT_NAMES } from './hv/consts';
import type { LockState } from './hv/lock';
import type { MemoryRegion } from './hv/memory-set';
import type { S2Leaf } from './hv/arch/riscv64/s2pt';
import type { HvEventKind } from './hv/task';

export type { StopReason, RunOptions } from './sched/scheduler';
export type { TraceEvent, TraceSink } from './hv/trace';
export type { LockState } from './hv/lock';
export type { HvEvent, HvEventKind } from './hv/task';
export { ImageError } from './machine/loaders/image-error';

export type Arch = 'riscv64';

/** Guest RAM of the quick launch, as QEMU virt's `-m 256M`. */
export const QUICK_RAM = { base: 0x80000000, size: 256 * 1024 * 1024 } as const;
/** Where raw images and assembly load, as OpenSBI's next stage. */
export const QUICK_LOAD_ADDRESS = 0x80200000;
/** The DTB goes at the top of guest RAM, 2 MiB aligned (QEMU puts it near there too). */
const QUICK_DTB_ADDRESS = QUICK_RAM.base + QUICK_RAM.size - 0x200000;
/** The hypervisor's own memory: its image, 512 KiB per CPU, and its frame pool. */
const HV_IMAGE_SIZE = 0x100000;
const HV_POOL_SIZE = 8 * 1024 * 1024;
/** hvisor's qemu-plic board: its link address and the DRAM its zones' configs use. */
const HVISOR_LOAD_ADDRESS = 0x80200000;
const BOARD_DRAM = { base: 0x80000000, size: 0x80000000 } as const;

/** A byte the guest wrote to the UART, and the CPU whose code wrote it (-1 if none was running). */
export type UartSink = (byte: number, cpu: number) => void;

export interface LaunchOptions {
  readonly onUart: UartSink;
  readonly trace?: TraceSink;
  /** Reads an image named by the launch file. */
  readonly readFile: (path: string) => Uint8Array;
}

function buildMachine(cpus: number, dramSize: number, coreEnd: number, onUart: UartSink, trace: TraceSink | undefined): { board: QemuPlicBoard; hv: Hvisor; attach: (s: Scheduler) => void } {
  let hv: Hvisor | undefined;
  let scheduler: Scheduler | undefined;
  const board = new QemuPlicBoard({
    cpus,
    dramSize,
    onUartByte: (byte) => onUart(byte, scheduler?.running ?? -1),
    hs: { hsTrap: (core, trap) => hv!.startTrap(core.id, trap.interrupt ? 'interrupt' : 'trap', handleTrap(hv!, core, trap)) },
  });
  hv = new Hvisor(
    {
      ncpus: cpus,
      hartIdMap: board.cores.map((c) => c.id),
      aclintSswiBase: QEMU_PLIC.aclintSswiBase,
      plicBase: QEMU_PLIC.plicBase,
      hwIrqs: QEMU_PLIC.hwIrqs,
      coreEnd,
      memPoolSize: HV_POOL_SIZE,
    },
    { memory: board.memory, cores: board.cores, uart: board.uart },
    trace ?? (() => {}),
  );
  return { board, hv, attach: (s) => void (scheduler = s) };
}

export interface QuickLaunch {
  readonly arch: Arch;
  readonly image: Omit<ImageSpec, 'address'>;
  readonly cpus: number;
  readonly onUart: UartSink;
  readonly trace?: TraceSink;
}

export class LaunchError extends Error {
  override readonly name = 'LaunchError';
}

export type CpuState = 'running' | 'wfi' | 'parked' | 'hypervisor' | 'stopped';

export interface CpuInfo {
  readonly id: number;
  readonly pc: bigint;
  /** VS or VU while in the guest, HS while the hypervisor model has the CPU. */
  readonly privilege: 'VS' | 'VU' | 'HS';
  readonly instructions: number;
  readonly state: CpuState;
  readonly zone: number | undefined;
}

export interface RegisterValue {
  readonly name: string;
  readonly value: bigint;
}

export interface DisassembledLine {
  readonly address: bigint;
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly symbol?: string;
}

export interface PerCpuView {
  readonly id: number;
  readonly cpuOnEntry: bigint;
  readonly dtbIpa: bigint;
  readonly bootCpu: boolean;
  readonly zone: number | undefined;
  readonly ctrlLock: LockState;
  readonly archCpu: {
    readonly cpuid: number;
    readonly powerOn: boolean;
    readonly init: boolean;
    readonly sstc: boolean;
    readonly stackTop: number;
    readonly hstatus: bigint;
    readonly sstatus: bigint;
    readonly sepc: bigint;
    readonly x: readonly bigint[];
  };
}

export interface ZoneView {
  readonly id: number;
  readonly name: string;
  readonly cpus: readonly number[];
  readonly cpuNum: number;
  readonly isErr: boolean;
  readonly irqs: readonly number[];
  readonly memoryRegions: readonly MemoryRegion[];
  readonly stage2Root: number;
  readonly mmio: readonly { readonly start: number; readonly size: number; readonly handler: string; readonly arg: number }[];
  readonly lock: LockState;
}

export interface HypervisorView {
  readonly zoneList: readonly number[];
  readonly enteredCpus: number;
  readonly masterCpu: number;
  readonly stage2Mode: 'Sv39x4' | 'Sv48x4';
  /** Queued event names per CPU. */
  readonly events: readonly (readonly string[])[];
}

/** The guest-view CSRs the debugger shows, by the number a guest instruction would use. */
const GUEST_CSRS: Readonly<Record<string, number>> = {
  sstatus: 0x100, stvec: 0x105, sscratch: 0x140, sepc: 0x141, scause: 0x142, stval: 0x143, satp: 0x180, stimecmp: 0x14d,
};
/** The HS-mode and hypervisor CSRs the model keeps on each hart. */
const HYPERVISOR_CSRS = [
  'hstatus', 'hedeleg', 'hideleg', 'hie', 'hvip', 'hgatp', 'htval', 'htinst', 'htimedelta', 'hcounteren', 'henvcfg',
  'sstatus', 'sie', 'stvec', 'sscratch', 'sepc', 'scause', 'stval', 'satp',
] as const;

export class Engine {
  readonly scheduler: Scheduler;

  private constructor(readonly board: QemuPlicBoard, readonly hv: Hvisor, readonly images: readonly LoadedImage[]) {
    this.scheduler = new Scheduler(board.cores, {
      stop: () => hv.stop,
      resume: (cpu, single) => hv.resume(cpu, single),
      blockers: (cpu) => hv.blockers(cpu),
      describeWait: (cpu) => hv.describeWait(cpu),
    });
  }

  /**
   * One zone owning every CPU: guest RAM at 0x80000000 (256 MiB), the UART
   * mapped through, the image loaded, CPU 0 entering it in VS-mode with
   * a0 = hartid and a1 = the DTB, the other CPUs parked until HSM hart_start.
   */
  static launchQuick(options: QuickLaunch): Engine {
    if (options.arch !== 'riscv64') throw new LaunchError(`unknown arch "${options.arch}" (supported: riscv64)`);
    if (!Number.isInteger(options.cpus) || options.cpus < 1 || options.cpus > QEMU_PLIC.maxCpus) {
      throw new LaunchError(`--cpus must be 1..${QEMU_PLIC.maxCpus}, not ${options.cpus}`);
    }
    // The hypervisor's memory sits above the guest's 256 MiB, where no zone maps it.
    const coreEnd = QUICK_RAM.base + QUICK_RAM.size + HV_IMAGE_SIZE;
    const dramSize = QUICK_RAM.size + HV_IMAGE_SIZE + options.cpus * PER_CPU_SIZE + HV_POOL_SIZE;
    const { board, hv, attach } = buildMachine(options.cpus, dramSize, coreEnd, options.onUart, options.trace);
    const image = loadGuestImage({ ...options.image, address: QUICK_LOAD_ADDRESS }, board);
    const guestEnd = QUICK_RAM.base + QUICK_RAM.size;
    for (const [start, end] of image.extents) {
      if (start < QUICK_RAM.base || end > guestEnd) {
        throw new LaunchError(`${options.image.path}: the image occupies 0x${start.toString(16)}..0x${end.toString(16)}, outside guest RAM 0x${QUICK_RAM.base.toString(16)}..0x${guestEnd.toString(16)}`);
      }
      if (start < QUICK_DTB_ADDRESS + 0x200000 && QUICK_DTB_ADDRESS < end) {
        throw new LaunchError(`${options.image.path}: the image overlaps the device tree at 0x${QUICK_DTB_ADDRESS.toString(16)}`);
      }
    }
    if (image.entry < QUICK_RAM.base || image.entry >= guestEnd) {
      throw new LaunchError(`${options.image.path}: entry point 0x${image.entry.toString(16)} is outside guest RAM`);
    }
    const dtb = buildRiscvVirtDtb({
      harts: board.cores.map((c) => c.id),
      memory: [{ base: QUICK_RAM.base, size: QUICK_RAM.size }],
      plic: false,
    }).toDtb();
    board.memory.load(QUICK_DTB_ADDRESS, dtb);
    const root: HvZoneConfig = {
      zoneId: 0,
      name: 'root',
      cpus: (1n << BigInt(options.cpus)) - 1n,
      memoryRegions: [
        { memType: MemType.ram, physicalStart: QUICK_RAM.base, virtualStart: QUICK_RAM.base, size: QUICK_RAM.size },
        { memType: MemType.io, physicalStart: QEMU_PLIC.uartBase, virtualStart: QEMU_PLIC.uartBase, size: 0x1000 },
      ],
      interrupts: [QEMU_PLIC.uartIrq],
      entryPoint: image.entry,
      kernelLoadPaddr: image.entry,
      dtbLoadPaddr: QUICK_DTB_ADDRESS,
      archConfig: { plicBase: QEMU_PLIC.plicBase, plicSize: QEMU_PLIC.plicSize, aplicBase: 0, aplicSize: 0 },
    };
    // The boot CPU enters the guest; the others park until HSM hart_start wakes them.
    hv.boot(root);
    const engine = new Engine(board, hv, [image]);
    attach(engine.scheduler);
    return engine;
  }

  /**
   * Boot a launch file: hvisor's qemu-plic memory map (DRAM 0x80000000..
   * 0x100000000, hvisor at 0x80200000), the root zone from the launch or the
   * board constants, every image loaded where its zone expects it, and each
   * zone's device tree at its dtb_load_paddr, as hvisor-tool would leave them.
   */
  static launch(launch: Launch, options: LaunchOptions): Engine {
    const coreEnd = HVISOR_LOAD_ADDRESS + HV_IMAGE_SIZE;
    const hvEnd = coreEnd + launch.cpus * PER_CPU_SIZE + HV_POOL_SIZE;
    const { board, hv, attach } = buildMachine(launch.cpus, BOARD_DRAM.size, coreEnd, options.onUart, options.trace);
    const dramEnd = BOARD_DRAM.base + BOARD_DRAM.size;
    const images: LoadedImage[] = [];
    for (const spec of launch.images) {
      let bytes: Uint8Array;
      try {
        bytes = options.readFile(spec.path);
      } catch (e) {
        throw new LaunchError(`${spec.path}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const image = loadGuestImage({ path: spec.path, bytes, address: spec.address }, board);
      for (const [start, end] of image.extents) {
        if (start < hvEnd && HVISOR_LOAD_ADDRESS < end) {
          throw new LaunchError(`${spec.path}: the image occupies 0x${start.toString(16)}..0x${end.toString(16)}, which overlaps hvisor's own memory 0x${HVISOR_LOAD_ADDRESS.toString(16)}..0x${hvEnd.toString(16)}`);
        }
      }
      images.push(image);
    }
    for (const zone of [launch.rootZone, ...launch.zones]) {
      const config = zone.config;
      const dtb = buildZoneDtb(config, board.cores.map((c) => c.id));
      const at = config.dtbLoadPaddr;
      if (at < BOARD_DRAM.base || at + dtb.length > dramEnd) {
        throw new LaunchError(`${zone.file ?? launch.file}: dtb_load_paddr 0x${at.toString(16)} is outside DRAM 0x${BOARD_DRAM.base.toString(16)}..0x${dramEnd.toString(16)}`);
      }
      for (const image of images) {
        for (const [start, end] of image.extents) {
          if (start < at + dtb.length && at < end) throw new LaunchError(`${zone.file ?? launch.file}: the device tree at 0x${at.toString(16)} overlaps an image at 0x${start.toString(16)}..0x${end.toString(16)}`);
        }
      }
      board.memory.load(at, dtb);
    }
    hv.boot(launch.rootZone.config);
    const engine = new Engine(board, hv, images);
    attach(engine.scheduler);
    return engine;
  }

  get cpuCount(): number {
    return this.board.cores.length;
  }

  private core(cpu: number): Riscv64Core {
    const core = this.board.cores[cpu];
    if (!core) throw new RangeError(`there is no CPU ${cpu} (the machine has ${this.cpuCount})`);
    return core;
  }

  // ---- run control ----------------------------------------------------------------

  run(options: RunOptions = {}): StopReason {
    return this.scheduler.run(options);
  }

  /** Execute `count` instructions on one CPU while every other CPU stays frozen. */
  stepCpu(cpu: number, count = 1): StopReason {
    this.core(cpu);
    return this.scheduler.stepCpu(cpu, count);
  }

  /** The flag another thread sets to pause a running machine. */
  get pauseBuffer(): SharedArrayBuffer {
    return this.scheduler.pauseFlag.buffer as SharedArrayBuffer;
  }

  pause(): void {
    Atomics.store(this.scheduler.pauseFlag, 0, 1);
  }

  /** Queue bytes on the UART's receive side. */
  uartInput(bytes: Uint8Array): void {
    this.board.uart.pushInput(bytes);
  }

  // ---- state --------------------------------------------------------------------

  cpu(cpu: number): CpuInfo {
    const core = this.core(cpu);
    const h = core.hart;
    const zone = this.hv.zoneOf(cpu)?.id;
    const halted = this.hv.stop?.cpu === cpu;
    const state: CpuState = halted ? 'stopped' : core.inHypervisor ? 'hypervisor' : this.hv.isParked(cpu) ? 'parked' : h.wfi ? 'wfi' : 'running';
    return { id: cpu, pc: h.getPc(), privilege: core.inHypervisor ? 'HS' : h.priv ? 'VS' : 'VU', instructions: h.instret, state, zone };
  }

  instructionCount(cpu: number): number {
    return this.core(cpu).hart.instret;
  }

  totalInstructions(): number {
    return this.scheduler.totalInstructions();
  }

  /** x0..x31 under their ABI names, then pc. */
  registers(cpu: number): RegisterValue[] {
    const h = this.core(cpu).hart;
    const out: RegisterValue[] = abiNames.map((name, r) => ({ name, value: h.getReg(r) }));
    out.push({ name: 'pc', value: h.getPc() });
    return out;
  }

  /** Set a register by ABI name, xN or `pc`. */
  setRegister(cpu: number, name: string, value: bigint): void {
    const h = this.core(cpu).hart;
    if (name === 'pc') {
      h.setPc(value);
      return;
    }
    const r = parseRegister(name);
    if (r === undefined) throw new RangeError(`unknown register "${name}"`);
    h.setReg(r, BigInt.asUintN(64, value));
  }

  /** Physical bytes; undefined where nothing is mapped (MMIO is never read here, to avoid side effects). */
  readPhysical(address: number, length: number): (number | undefined)[] {
    return this.board.memory.readBytes(address, length);
  }

  writePhysical(address: number, bytes: Uint8Array): void {
    this.board.memory.load(address, bytes);
  }

  /** Translate a guest virtual address as the CPU would, without touching A/D bits. */
  translate(cpu: number, va: number, access: 'read' | 'write' | 'execute' = 'read'): number | undefined {
    const h = this.core(cpu).hart;
    const kind = access === 'read' ? Access.read : access === 'write' ? Access.write : Access.execute;
    const r = translate(peekContext(h), va, kind);
    return typeof r === 'number' ? r : undefined;
  }

  readVirtual(cpu: number, va: number, length: number): (number | undefined)[] {
    const out: (number | undefined)[] = [];
    for (let i = 0; i < length; i++) {
      const pa = this.translate(cpu, va + i);
      out.push(pa === undefined ? undefined : this.board.memory.readBytes(pa, 1)[0]);
    }
    return out;
  }

  /**
   * Disassemble `count` instructions from a guest virtual address of `cpu`,
   * carrying objdump's lui/auipc address tracking from one instruction to the next.
   */
  disassemble(cpu: number, address: number, count: number): DisassembledLine[] {
    const out: DisassembledLine[] = [];
    const gp = this.images.find((i) => i.globalPointer !== undefined)?.globalPointer;
    const disassembler = new Disassembler((a) => this.symbolize(a), gp === undefined ? {} : { globalPointer: gp });
    let va = address;
    for (let i = 0; i < count; i++) {
      const bytes = this.readVirtual(cpu, va, 4);
      if (bytes[0] === undefined || bytes[1] === undefined) break;
      const low = bytes[0] | (bytes[1] << 8);
      const size = (low & 3) === 3 ? 4 : 2;
      if (size === 4 && (bytes[2] === undefined || bytes[3] === undefined)) break;
      const raw = size === 2 ? low : (low | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
      const d = disassembler.next(raw, va);
      const symbol = this.lookupSymbol(va);
      out.push({
        address: BigInt.asUintN(64, BigInt(va)),
        bytes: Uint8Array.from(bytes.slice(0, size) as number[]),
        text: d.text,
        ...(symbol && symbol.offset === 0n ? { symbol: symbol.name } : {}),
      });
      va += size;
    }
    return out;
  }

  /** "name" or "name+0xoff" for an address in any loaded image. */
  symbolize(address: number): string | undefined {
    for (const image of this.images) {
      const name = image.symbols.symbolize(address);
      if (name !== undefined) return name;
    }
    return undefined;
  }

  lookupSymbol(address: number): SymbolHit | undefined {
    for (const image of this.images) {
      const hit = image.symbols.lookup(address);
      if (hit) return hit;
    }
    return undefined;
  }

  // ---- the hypervisor's state --------------------------------------------------------

  /** PerCpu of `cpu`, under hvisor's names (reference §1.1). */
  perCpu(cpu: number): PerCpuView {
    this.core(cpu);
    const pc = this.hv.perCpu[cpu]!;
    const arch = pc.archCpu;
    return {
      id: pc.id,
      cpuOnEntry: pc.cpuOnEntry,
      dtbIpa: pc.dtbIpa,
      bootCpu: pc.bootCpu,
      zone: pc.zone?.id,
      ctrlLock: pc.ctrlLock.state(),
      archCpu: {
        cpuid: arch.cpuid, powerOn: arch.powerOn, init: arch.init, sstc: arch.sstc, stackTop: arch.stackTop,
        hstatus: arch.hstatus, sstatus: arch.sstatus, sepc: arch.sepc, x: arch.x,
      },
    };
  }

  /** The zones in ZONE_LIST order (root first). */
  zones(): ZoneView[] {
    return this.hv.zoneList.map((z) => ({
      id: z.id,
      name: z.name,
      cpus: z.cpuSet.toArray(),
      cpuNum: z.cpuNum,
      isErr: z.isErr,
      irqs: z.irqs(),
      memoryRegions: z.gpm.regions.map((r) => ({ ...r })),
      stage2Root: z.gpm.pt.root,
      mmio: z.mmio.map((m) => ({ start: m.start, size: m.size, handler: m.handlerName, arg: m.arg })),
      lock: z.lock.state(),
    }));
  }

  /** A zone's stage-2 mappings, walked from its page table (empty for an unknown zone). */
  stage2(zoneId: number): S2Leaf[] {
    return this.hv.zoneList.find((z) => z.id === zoneId)?.gpm.pt.leaves() ?? [];
  }

  /**
   * The CPU's CSRs in two groups: what its guest sees (with V=1 the s-CSR
   * names reach the vs-CSR state) and the hypervisor's own.
   */
  csrs(cpu: number): { readonly guest: RegisterValue[]; readonly hypervisor: RegisterValue[] } {
    const h = this.core(cpu).hart;
    const v = (name: string, value: bigint | number): RegisterValue => ({ name, value: BigInt.asUintN(64, BigInt(value)) });
    return {
      guest: [
        v('sstatus', h.vsstatus), v('stvec', h.vstvec), v('sscratch', h.vsscratch), v('sepc', h.vsepc), v('scause', h.vscause),
        v('stval', h.vstval), v('satp', h.vsatp), v('stimecmp', h.vstimecmp), v('instret', h.instret),
      ],
      hypervisor: [
        v('hstatus', h.hstatus), v('hedeleg', h.hedeleg), v('hideleg', h.hideleg), v('hie', h.hie), v('hvip', h.hvip),
        v('hgatp', h.hgatp), v('htval', h.htval), v('htinst', h.htinst), v('htimedelta', h.htimedelta),
        v('hcounteren', h.hcounteren), v('henvcfg', h.henvcfg),
        v('sstatus', h.sstatus), v('sie', h.sie), v('stvec', h.stvec), v('sscratch', h.sscratch), v('sepc', h.sepc),
        v('scause', h.scause), v('stval', h.stval), v('satp', h.satp),
      ],
    };
  }

  /**
   * Set a CSR from the debugger. The guest view goes through the same write
   * path as a guest CSR instruction (vs-CSR state, WARL masks); the
   * hypervisor view writes the HS and hypervisor CSRs the model keeps.
   */
  setCsr(cpu: number, view: 'guest' | 'hypervisor', name: string, value: bigint): void {
    const core = this.core(cpu);
    const h = core.hart;
    const v = BigInt.asUintN(64, value);
    if (view === 'guest') {
      const number = GUEST_CSRS[name];
      if (number === undefined) throw new RangeError(`"${name}" is not a CSR the guest sees`);
      core.system.writeAsGuest(h, number, v);
      return;
    }
    if (!HYPERVISOR_CSRS.includes(name as (typeof HYPERVISOR_CSRS)[number])) throw new RangeError(`"${name}" is not a hypervisor CSR`);
    h[name as (typeof HYPERVISOR_CSRS)[number]] = v;
    core.translationChanged();
    core.interruptsChanged();
  }

  /** Every lock the hypervisor has, with owner, readers and waiters. */
  locks(): LockState[] {
    return this.hv.locks.all.map((l) => l.state());
  }

  /** What `cpu` is doing inside the hypervisor, outermost frame first (empty in the guest). */
  hypervisorFrames(cpu: number): readonly string[] {
    this.core(cpu);
    const stop = this.hv.stop;
    if (stop && stop.cpu === cpu) return stop.frames;
    return [...this.hv.executor.frames[cpu]!];
  }

  /** Global hypervisor state: boot counters and per-CPU event queues. */
  hypervisor(): HypervisorView {
    return {
      zoneList: this.hv.zoneList.map((z) => z.id),
      enteredCpus: this.hv.enteredCpus,
      masterCpu: this.hv.masterCpu,
      stage2Mode: this.hv.stage2Levels === 4 ? 'Sv48x4' : 'Sv39x4',
      events: this.hv.events.map((q) => q.map((e) => IPI_EVENT_NAMES[e] ?? String(e))),
    };
  }

  /** Stop when the hypervisor model reaches one of these events. */
  setHypervisorEventStops(kinds: Iterable<HvEventKind>): void {
    this.hv.stopOn.clear();
    for (const k of kinds) this.hv.stopOn.add(k);
  }

  /** Replace the instruction breakpoints (guest virtual addresses, all CPUs). */
  setInstructionBreakpoints(addresses: Iterable<bigint>): void {
    const bps = this.board.breakpoints;
    bps.clear();
    for (const a of addresses) bps.add(Number(BigInt.asIntN(64, a)));
    this.board.code.clear();
  }
}

function peekContext(h: Hart) {
  return { memory: h.memory, priv: h.priv, vsatp: h.vsatp, hgatp: h.hgatp, vsstatus: h.vsstatus, sstatus: h.sstatus, updatesAccessed: false };
}

function loadGuestImage(spec: ImageSpec, board: QemuPlicBoard): LoadedImage {
  try {
    return loadImage(spec, board.memory);
  } catch (e) {
    if (e instanceof ImageError) throw e;
    throw new LaunchError(`${spec.path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
