// The engine's typed API: what the debug adapter, the CLI and the tests use.
// It knows nothing of VS Code or DAP.

import { ImageError } from './machine/loaders/image-error';
import type { ImageSpec, LoadedImage } from './machine/loaders/image';
import { Scheduler, type RunOptions, type StopReason } from './sched/scheduler';
import type { Hvisor } from './hv/hvisor';
import type { TraceSink } from './hv/trace';
import type { Launch, LaunchImage } from './hv/config/launch';
import { symbolFileBeside, type SymbolFile } from './machine/loaders/kernel-symbols';
import { PER_CPU_SIZE, IPI_EVENT_NAMES } from './hv/consts';
import type { SymbolHit } from './machine/loaders/symbol-table';
import type { LockState } from './hv/lock';
import type { MemoryRegion } from './hv/memory-set';
import type { ArchCpuField, S2Leaf } from './hv/arch/hv-arch';
import type { HvEventKind } from './hv/events';
import type { CpuCore } from './isa/cpu-core';
import { ARCHES, type Arch, type RegisterGroup, type RegisterNode, type RegisterValue, type Target, type TargetFactory, type UartIdentity } from './target/target';
import { riscv64Target } from './target/riscv64';
import { aarch64Target } from './target/aarch64';
import { hex } from './hex';
import { LineTable, type SourceLocation } from './debug/line-table';
import { Stepper } from './debug/stepping';
import { guestCallStack, type GuestCallStack } from './debug/call-stack';
import { disassembleAround, walk } from './debug/disassembly';
import { loadBootFiles, type BootOptions } from './boot-files';
import { quickBootSite, zoneBootOptions, zoneBootSite } from './boot-sites';
import { asGuestPanic, panicBreakpoints } from './debug/guest-panic';

export type { StopReason, RunOptions } from './sched/scheduler';
export type { BootFile, BootOptions } from './boot-files';
export type { TraceEvent, TraceSink } from './hv/trace';
export type { LockState } from './hv/lock';
export type { HvEvent, HvEventKind } from './hv/events';
export { ImageError } from './machine/loaders/image-error';

export type { Arch, RegisterGroup, RegisterNode, RegisterValue, UartIdentity } from './target/target';
export type { ArchCpuField } from './hv/arch/hv-arch';
export type { SourceLocation } from './debug/line-table';
export type { GuestCallFrame, GuestCallStack } from './debug/call-stack';

/** The hypervisor's own memory: its image, 512 KiB per CPU, and its frame pool. */
const HV_IMAGE_SIZE = 0x100000;
const HV_POOL_SIZE = 8 * 1024 * 1024;

const TARGETS: Readonly<Record<Arch, TargetFactory>> = { riscv64: riscv64Target, aarch64: aarch64Target };

function targetFactory(arch: string): TargetFactory {
  if (!(ARCHES as readonly string[]).includes(arch)) throw new LaunchError(`unknown arch "${arch}" (supported: ${ARCHES.join(', ')})`);
  return TARGETS[arch as Arch];
}

/** A byte the guest wrote to the UART, and the CPU whose code wrote it (-1 if none was running). */
export type UartSink = (byte: number, cpu: number) => void;

export interface LaunchOptions {
  readonly onUart: UartSink;
  readonly trace?: TraceSink;
  /** Reads an image named by the launch file. */
  readonly readFile: (path: string) => Uint8Array;
}

function buildMachine(factory: TargetFactory, cpus: number, dramSize: number, coreEnd: number, onUart: UartSink, trace: TraceSink | undefined): { target: Target; attach: (s: Scheduler) => void } {
  let scheduler: Scheduler | undefined;
  const target = factory.create({
    cpus,
    dramSize,
    coreEnd,
    memPoolSize: HV_POOL_SIZE,
    onUartByte: (byte) => onUart(byte, scheduler?.running ?? -1),
    trace: trace ?? (() => {}),
  });
  return { target, attach: (s) => void (scheduler = s) };
}

export interface QuickLaunch {
  readonly arch: Arch;
  /** The guest image; a firmware launch (`bios`) has none. */
  readonly image?: Omit<ImageSpec, 'address'>;
  /** Firmware for the boot flash: CPU 0 enters it at its start, the DTB at the RAM base (QEMU virt's -bios). */
  readonly bios?: { readonly path: string; readonly bytes: Uint8Array };
  readonly cpus: number;
  readonly onUart: UartSink;
  readonly trace?: TraceSink;
  /** An initrd, a command line, a device tree of the user's (the CLI's --initrd, --append, --dtb). */
  readonly boot?: BootOptions;
}

export class LaunchError extends Error {
  override readonly name = 'LaunchError';
}

export type CpuState = 'running' | 'wfi' | 'parked' | 'hypervisor' | 'stopped';

export interface CpuInfo {
  readonly id: number;
  readonly pc: bigint;
  /** VS/VU or EL1/EL0 while in the guest, HS or EL2 while the hypervisor model has the CPU. */
  readonly privilege: string;
  readonly instructions: number;
  readonly state: CpuState;
  readonly zone: number | undefined;
}

export interface DisassembledLine {
  readonly address: bigint;
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly symbol?: string;
  /** Nothing readable or decodable here: `bytes` and `text` are empty. */
  readonly invalid?: true;
}

/** A symbol of a loaded image, by name. */
export interface NamedSymbol {
  readonly name: string;
  readonly value: bigint;
  /** Bytes it covers (0 where the image does not say). */
  readonly size: number;
  /** A data object, a function, or neither (an ELF STT_NOTYPE). */
  readonly type: 'func' | 'object' | 'notype';
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
    /** Every field under hvisor's name. */
    readonly fields: readonly ArchCpuField[];
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
  /** Sv39x4/Sv48x4, or the VTCR_EL2 levels. */
  readonly stage2Mode: string;
  /** Queued event names per CPU. */
  readonly events: readonly (readonly string[])[];
}

/**
 * Decides whether a run stops at a user breakpoint or a hypervisor event
 * (true) or goes on (false). Only stops at `addresses` (guest virtual, as
 * the breakpoint's pc) and events of `events` reach it.
 */
export interface StopFilter {
  readonly addresses: ReadonlySet<number>;
  readonly events: ReadonlySet<HvEventKind>;
  decide(stop: StopReason & { kind: 'breakpoint' | 'event' }): boolean;
}

export class Engine {
  readonly scheduler: Scheduler;
  /** The loaded images' source lines. */
  readonly lines: LineTable;
  private readonly stepper: Stepper;
  private userBreakpoints: ReadonlySet<number> = new Set();
  /** Where a step over or out waits for the CPU; never a user breakpoint of its own. */
  private stepTarget: number | undefined;

  private constructor(readonly target: Target, readonly images: readonly LoadedImage[]) {
    const hv = target.hv;
    this.scheduler = new Scheduler(target.cores, {
      stop: () => hv.stop,
      resume: (cpu, single) => hv.resume(cpu, single),
      blockers: (cpu) => hv.blockers(cpu),
      describeWait: (cpu) => hv.describeWait(cpu),
    });
    this.lines = new LineTable(images, (a) => this.lookupSymbol(a));
    this.stepper = new Stepper(this);
  }

  get arch(): Arch {
    return this.target.arch;
  }

  get hv(): Hvisor {
    return this.target.hv;
  }

  /**
   * One zone owning every CPU: the architecture's quick RAM (256 MiB, as
   * QEMU virt's `-m 256M`), the UART mapped through, the image loaded, CPU 0
   * entering it with the DTB (riscv64: VS-mode, a0 = hartid, a1 = DTB;
   * aarch64: EL1h, x0 = DTB), the other CPUs parked until HSM or PSCI starts them.
   */
  static launchQuick(options: QuickLaunch): Engine {
    const factory = targetFactory(options.arch);
    const quick = factory.quick;
    if (!Number.isInteger(options.cpus) || options.cpus < 1 || options.cpus > factory.maxCpus) {
      throw new LaunchError(`--cpus must be 1..${factory.maxCpus}, not ${options.cpus}`);
    }
    // The hypervisor's memory sits above the guest's RAM, where no zone maps it.
    const coreEnd = quick.ramBase + quick.ramSize + HV_IMAGE_SIZE;
    const dramSize = quick.ramSize + HV_IMAGE_SIZE + options.cpus * PER_CPU_SIZE + HV_POOL_SIZE;
    const { target, attach } = buildMachine(factory, options.cpus, dramSize, coreEnd, options.onUart, options.trace);
    if (options.bios) {
      if (options.image) throw new LaunchError('give firmware (--bios) or an image (--image), not both');
      if (options.boot) throw new LaunchError('--initrd, --append and --dtb go with an image (--image), not firmware (--bios)');
      const firmware = quick.firmware;
      if (!firmware || !target.loadFirmware) throw new LaunchError(`--bios: the ${options.arch} board has no flash to boot firmware from`);
      try {
        target.loadFirmware(options.bios.bytes);
      } catch (e) {
        throw new LaunchError(`${options.bios.path}: ${e instanceof Error ? e.message : String(e)}`);
      }
      target.memory.load(firmware.dtbAddress, target.quickDtb());
      target.hv.boot({ ...target.quickRootZone(options.cpus, firmware.entry), dtbLoadPaddr: firmware.dtbAddress });
      const engine = new Engine(target, []);
      attach(engine.scheduler);
      return engine;
    }
    if (!options.image) throw new LaunchError('a quick launch needs an image (--image) or firmware (--bios)');
    const image = loadGuestImage({ ...options.image, address: quick.loadAddress, movable: true }, target);
    const guestEnd = quick.ramBase + quick.ramSize;
    for (const [start, end] of image.extents) {
      if (start < quick.ramBase || end > guestEnd) {
        throw new LaunchError(`${options.image.path}: the image occupies 0x${start.toString(16)}..0x${end.toString(16)}, outside guest RAM 0x${quick.ramBase.toString(16)}..0x${guestEnd.toString(16)}`);
      }
      if (start < quick.dtbAddress + 0x200000 && quick.dtbAddress < end) {
        throw new LaunchError(`${options.image.path}: the image overlaps the device tree at 0x${quick.dtbAddress.toString(16)}`);
      }
    }
    if (image.entry < quick.ramBase || image.entry >= guestEnd) {
      throw new LaunchError(`${options.image.path}: entry point 0x${image.entry.toString(16)} is outside guest RAM`);
    }
    loadBootFiles(target.memory, quickBootSite(options.arch, quick, image, options.image.path, () => target.quickDtb()), options.boot ?? {});
    // The boot CPU enters the guest; the others park until they are started.
    target.hv.boot(target.quickRootZone(options.cpus, image.entry));
    const engine = new Engine(target, [image]);
    attach(engine.scheduler);
    return engine;
  }

  /**
   * Boot a launch file: the memory map of hvisor's board for the launch's
   * arch (DRAM, hvisor's load address), the root zone from the launch or the
   * board constants, every image loaded where its zone expects it, and each
   * zone's device tree at its dtb_load_paddr, as hvisor-tool would leave them.
   * A launch with `bios` boots that firmware as launchQuick does.
   */
  static launch(launch: Launch, options: LaunchOptions): Engine {
    if (launch.bios !== undefined) {
      let bytes: Uint8Array;
      try {
        bytes = options.readFile(launch.bios);
      } catch (e) {
        throw new LaunchError(`${launch.bios}: ${e instanceof Error ? e.message : String(e)} (${launch.file}: bios)`);
      }
      return Engine.launchQuick({ arch: launch.arch, cpus: launch.cpus, bios: { path: launch.bios, bytes }, onUart: options.onUart, ...(options.trace ? { trace: options.trace } : {}) });
    }
    const factory = targetFactory(launch.arch);
    const layout = factory.board;
    const coreEnd = layout.hvisorLoadAddress + HV_IMAGE_SIZE;
    const hvEnd = coreEnd + launch.cpus * PER_CPU_SIZE + HV_POOL_SIZE;
    const { target, attach } = buildMachine(factory, launch.cpus, layout.dramSize, coreEnd, options.onUart, options.trace);
    const dramEnd = layout.dramBase + layout.dramSize;
    const images: LoadedImage[] = [];
    for (const [index, spec] of launch.images.entries()) {
      let bytes: Uint8Array;
      try {
        bytes = options.readFile(spec.path);
      } catch (e) {
        throw new LaunchError(`${spec.path}: ${e instanceof Error ? e.message : String(e)} (${launch.file}: images[${index}].path)`);
      }
      const symbols = imageSymbols(spec, bytes, launch.arch, options.readFile, `${launch.file}: images[${index}].symbols`);
      const image = loadGuestImage({ path: spec.path, bytes, address: spec.address, addressFrom: spec.addressFrom, ...(symbols ? { symbols } : {}) }, target);
      for (const [start, end] of image.extents) {
        if (start < hvEnd && layout.hvisorLoadAddress < end) {
          throw new LaunchError(`${spec.path}: the image occupies 0x${start.toString(16)}..0x${end.toString(16)}, which overlaps hvisor's own memory 0x${layout.hvisorLoadAddress.toString(16)}..0x${hvEnd.toString(16)}`);
        }
        for (const [i, earlier] of images.entries()) {
          for (const [s, e] of earlier.extents) {
            if (start < e && s < end) throw new LaunchError(`${spec.path}: the image occupies ${hex(start)}..${hex(end)}, which overlaps ${launch.images[i]!.path} at ${hex(s)}..${hex(e)}`);
          }
        }
      }
      images.push(image);
    }
    // Each zone's device tree (and initrd) goes where its config and entry say, clear of the images, hvisor and one another.
    const taken = [
      { what: `hvisor's own memory at ${hex(layout.hvisorLoadAddress)}..${hex(hvEnd)}`, range: [layout.hvisorLoadAddress, hvEnd] as const },
      ...images.flatMap((image, i) => image.extents.map((range) => ({ what: `${launch.images[i]!.path} at ${hex(range[0])}..${hex(range[1])}`, range }))),
    ];
    for (const [i, zone] of [launch.rootZone, ...launch.zones].entries()) {
      const entry = i === 0 ? 'rootZone' : `zones[${i - 1}]`;
      const boot = zoneBootOptions(launch.file, zone, entry, options.readFile);
      const zoneImages = images.filter((_, j) => launch.images[j]!.zone === zone.config.zoneId);
      const site = zoneBootSite({
        arch: launch.arch, launchFile: launch.file, zone, entry, images: zoneImages, taken, dram: [layout.dramBase, dramEnd],
        generatedDtb: () => target.zoneDtb(zone.config), hasInitrd: boot.initrd !== undefined,
      });
      taken.push(...loadBootFiles(target.memory, site, boot));
    }
    target.hv.boot(launch.rootZone.config);
    const engine = new Engine(target, images);
    attach(engine.scheduler);
    return engine;
  }

  get cpuCount(): number {
    return this.target.cores.length;
  }

  private core(cpu: number): CpuCore {
    const core = this.target.cores[cpu];
    if (!core) throw new RangeError(`there is no CPU ${cpu} (the machine has ${this.cpuCount})`);
    return core;
  }

  // ---- run control ----------------------------------------------------------------

  /**
   * Run until something stops the machine. A stop at one of the stop filter's
   * breakpoint addresses or event kinds goes to the filter first; when it
   * says not to stop, the run goes on (conditional breakpoints, hit counts, logpoints).
   */
  run(options: RunOptions = {}): StopReason {
    for (;;) {
      const stop = asGuestPanic(this, this.scheduler.run(options), this.panicAt);
      if (!stop) continue;
      const f = this.stopFilter;
      // A step's own target is never the filter's to decide here: the stepper
      // decides, asking userBreakpointStops about a user breakpoint there.
      if (!f || (stop.kind === 'breakpoint' && stop.pc === this.stepTarget)) return stop;
      if (stop.kind === 'breakpoint' && f.addresses.has(stop.pc) && !f.decide(stop)) continue;
      if (stop.kind === 'event' && f.events.has(stop.event.kind) && !f.decide(stop)) continue;
      return stop;
    }
  }

  private stopFilter: StopFilter | undefined;

  /** Consult `filter` at user breakpoints and events it names; undefined stops at every one. */
  setStopFilter(filter: StopFilter | undefined): void {
    this.stopFilter = filter;
  }

  /** Execute `count` instructions on one CPU while every other CPU stays frozen. */
  stepCpu(cpu: number, count = 1): StopReason {
    this.core(cpu);
    return this.scheduler.stepCpu(cpu, count);
  }

  /** One instruction of `cpu`; with `over`, a call runs until it returns. */
  stepInstruction(cpu: number, over = false): StopReason {
    this.core(cpu);
    return this.stepper.stepInstruction(cpu, over);
  }

  /** Run `cpu` until it leaves its source line; with `over`, calls run until they return. */
  stepLine(cpu: number, over: boolean): StopReason {
    this.core(cpu);
    return this.stepper.stepLine(cpu, over);
  }

  /** Run `cpu` until its current function (or hypervisor frame) returns; throws what stepOutProblem says. */
  stepOut(cpu: number): StopReason {
    this.core(cpu);
    return this.stepper.stepOut(cpu);
  }

  /** Why `cpu` cannot step out of its current function, or undefined when it can. */
  stepOutProblem(cpu: number): string | undefined {
    this.core(cpu);
    return this.stepper.stepOutProblem(cpu);
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
    this.target.uartInput(bytes);
  }

  /** The board UART uartInput feeds and onUart hears: its device name and MMIO base. */
  get uart(): UartIdentity {
    return this.target.uart;
  }

  // ---- state --------------------------------------------------------------------

  cpu(cpu: number): CpuInfo {
    const core = this.core(cpu);
    const st = core.state;
    const zone = this.hv.zoneOf(cpu)?.id;
    const halted = this.hv.stop?.cpu === cpu;
    const state: CpuState = halted ? 'stopped' : core.inHypervisor ? 'hypervisor' : this.hv.isParked(cpu) ? 'parked' : st.wfi ? 'wfi' : 'running';
    return { id: cpu, pc: BigInt.asUintN(64, BigInt(st.pc)), privilege: this.target.privilege(cpu), instructions: st.instret, state, zone };
  }

  instructionCount(cpu: number): number {
    return this.core(cpu).state.instret;
  }

  totalInstructions(): number {
    return this.scheduler.totalInstructions();
  }

  /** The general registers under the names the architecture's tools use, then pc (and sp, PSTATE on aarch64). */
  registers(cpu: number): RegisterValue[] {
    this.core(cpu);
    return this.target.registers(cpu);
  }

  /** A register by a name registers() shows or an alias (xN, fp…); undefined if there is none. */
  readRegister(cpu: number, name: string): bigint | undefined {
    this.core(cpu);
    return this.target.readRegister(cpu, name);
  }

  /** Set a register by a name registers() shows or an alias (xN, fp…). */
  setRegister(cpu: number, name: string, value: bigint): void {
    this.core(cpu);
    if (!this.target.setRegister(cpu, name, value)) throw new RangeError(`unknown register "${name}"`);
  }

  /** Physical bytes; undefined where nothing is mapped (MMIO is never read here, to avoid side effects). */
  readPhysical(address: number, length: number): (number | undefined)[] {
    return this.target.memory.readBytes(address, length);
  }

  writePhysical(address: number, bytes: Uint8Array): void {
    this.target.memory.load(address, bytes);
  }

  /** Translate a guest virtual address as the CPU would, without touching A/D bits. */
  translate(cpu: number, va: number, access: 'read' | 'write' | 'execute' = 'read'): number | undefined {
    this.core(cpu);
    return this.target.translate(cpu, va, access);
  }

  readVirtual(cpu: number, va: number, length: number): (number | undefined)[] {
    const out: (number | undefined)[] = [];
    for (let i = 0; i < length; i++) {
      const pa = this.translate(cpu, va + i);
      out.push(pa === undefined ? undefined : this.target.memory.readBytes(pa, 1)[0]);
    }
    return out;
  }

  /**
   * Disassemble `count` instructions from a guest virtual address of `cpu`,
   * as objdump prints them (carrying its address tracking from one instruction to the next).
   */
  disassemble(cpu: number, address: number, count: number): DisassembledLine[] {
    this.core(cpu);
    const out: DisassembledLine[] = [];
    for (const line of walk(this, cpu, address)) {
      if (out.length >= count || line.invalid) break;
      out.push(line);
    }
    return out;
  }

  /**
   * Exactly `count` lines starting `offset` instructions after `address`
   * (before it when negative), unreadable or undecodable ones marked invalid.
   */
  disassembleAround(cpu: number, address: number, offset: number, count: number): DisassembledLine[] {
    this.core(cpu);
    return disassembleAround(this, cpu, address, offset, count);
  }

  /**
   * An address operand's name as objdump -d prints it: after the nearest
   * symbol at or below it in any loaded image ("name+0x1000" even past the
   * symbol's end), or below every symbol, the lowest ("name-0x10").
   */
  objdumpName(address: number): string | undefined {
    let best: SymbolHit | undefined;
    for (const image of this.images) {
      const hit = image.symbols.nearest(address);
      if (!hit) continue;
      const better = !best || (hit.offset >= 0n && (best.offset < 0n || hit.offset < best.offset)) || (hit.offset < 0n && best.offset < 0n && hit.offset > best.offset);
      if (better) best = hit;
    }
    if (!best) return undefined;
    return best.offset === 0n ? best.name : best.offset > 0n ? `${best.name}+0x${best.offset.toString(16)}` : `${best.name}-0x${(-best.offset).toString(16)}`;
  }

  /** "name" or "name+0xoff" for an address in any loaded image. */
  symbolize(address: bigint | number): string | undefined {
    for (const image of this.images) {
      const name = image.symbols.symbolize(address);
      if (name !== undefined) return name;
    }
    return undefined;
  }

  /** Every defined symbol's name in the loaded images. */
  symbolNames(): string[] {
    return [...new Set(this.images.flatMap((i) => i.symbols.names()))];
  }

  /** A symbol by name, from the first loaded image that defines it. */
  findSymbol(name: string): NamedSymbol | undefined {
    for (const image of this.images) {
      const s = image.symbols.find(name);
      if (s) return { name: s.name, value: s.value, size: s.size, type: s.type };
    }
    return undefined;
  }

  /** The source line the instruction at `pc` comes from, in an assembled image. */
  sourceAt(pc: bigint | number): SourceLocation | undefined {
    return this.lines.at(pc);
  }

  /** `cpu`'s guest call stack by call frame information, innermost first, at most `max` frames (call-stack.ts); inlined calls a step stopped at the start of show as their calls. */
  guestFrames(cpu: number, max?: number): GuestCallStack {
    this.core(cpu);
    return guestCallStack(this, cpu, max, this.stepper.hiddenInlinedCalls(cpu));
  }

  lookupSymbol(address: bigint | number): SymbolHit | undefined {
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
      archCpu: { cpuid: arch.cpuid, powerOn: arch.powerOn, fields: arch.fields() },
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

  /** The CPU's system registers (CSRs or sysregs), grouped as the debugger shows them. */
  systemRegisters(cpu: number): RegisterGroup[] {
    this.core(cpu);
    return this.target.systemRegisters(cpu);
  }

  /** The FP/SIMD registers as trees (empty where the target shows none). */
  fpRegisters(cpu: number): RegisterNode[] {
    this.core(cpu);
    return this.target.fpRegisters?.(cpu) ?? [];
  }

  /** Set a system register of a group from systemRegisters(). */
  setSystemRegister(cpu: number, group: string, name: string, value: bigint): void {
    this.core(cpu);
    const error = this.target.setSystemRegister(cpu, group, name, value);
    if (error) throw new RangeError(error);
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
      stage2Mode: this.hv.arch.stage2ModeName(this.hv.stage2Levels),
      events: this.hv.events.map((q) => q.map((e) => IPI_EVENT_NAMES[e] ?? String(e))),
    };
  }

  /** Stop when the hypervisor model reaches one of these events. */
  setHypervisorEventStops(kinds: Iterable<HvEventKind>): void {
    this.hv.stopOn.clear();
    for (const k of kinds) this.hv.stopOn.add(k);
    // A guest panic is caught at its kernel's panic function, as at a breakpoint.
    this.panicAt = this.hv.stopOn.has('guest-panic') ? panicBreakpoints(this) : new Map();
    this.applyBreakpoints();
  }

  /** Where `panic` starts in the images (breakpoint keys), while guest panics stop a run. */
  private panicAt: ReadonlyMap<number, readonly LoadedImage[]> = new Map();

  /** Replace the user's instruction breakpoints (guest virtual addresses, all CPUs). */
  setInstructionBreakpoints(addresses: Iterable<bigint>): void {
    this.userBreakpoints = new Set([...addresses].map(breakpointKey));
    this.applyBreakpoints();
  }

  /** Whether the user has a breakpoint at `address`. */
  isUserBreakpoint(address: bigint | number): boolean {
    return this.userBreakpoints.has(breakpointKey(address));
  }

  /**
   * Whether a stop at the step target is also a stop at a user breakpoint
   * there: the stop filter decides for one with a condition, hit condition or
   * log message, as it would for any other run.
   */
  userBreakpointStops(stop: StopReason & { kind: 'breakpoint' }): boolean {
    if (!this.isUserBreakpoint(stop.pc)) return false;
    const f = this.stopFilter;
    return !f || !f.addresses.has(stop.pc) || f.decide(stop);
  }

  /** Where run control stops a run besides the user's breakpoints (undefined: nowhere); a run stops there as at a breakpoint. */
  setStepTarget(address: bigint | undefined): void {
    this.stepTarget = address === undefined ? undefined : breakpointKey(address);
    this.applyBreakpoints();
  }

  private applyBreakpoints(): void {
    const bps = this.target.breakpoints;
    bps.clear();
    for (const a of this.userBreakpoints) bps.add(a);
    for (const a of this.panicAt.keys()) bps.add(a);
    if (this.stepTarget !== undefined) bps.add(this.stepTarget);
    this.target.clearCode();
  }
}

/** Breakpoint addresses as the cores compare them: the 64-bit pattern as a signed number. */
function breakpointKey(address: bigint | number): number {
  return Number(BigInt.asIntN(64, BigInt(address)));
}

/** The symbol file the launch names for an image, else the one beside a Linux Image. */
function imageSymbols(spec: LaunchImage, bytes: Uint8Array, arch: Arch, readFile: (path: string) => Uint8Array, from: string): SymbolFile | undefined {
  if (spec.symbols === undefined) return symbolFileBeside(spec.path, bytes, arch, readFile);
  try {
    return { path: spec.symbols, bytes: readFile(spec.symbols) };
  } catch (e) {
    throw new LaunchError(`${spec.symbols}: ${e instanceof Error ? e.message : String(e)} (${from})`);
  }
}

function loadGuestImage(spec: ImageSpec, target: Target): LoadedImage {
  try {
    return target.loadImage(spec);
  } catch (e) {
    if (e instanceof ImageError) throw e;
    throw new LaunchError(`${spec.path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
