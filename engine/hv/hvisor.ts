// The hvisor model: global state (the PerCpu array, the zone list, the event
// queues, the boot counters) and the operations that change it. Architecture
// details live under arch/; this file keeps hvisor's own flow and names.

import { HvErrno, INVALID_ADDRESS, IPI_EVENT_NAMES, IpiEvent, MemFlags, PAGE_SIZE, PER_CPU_SIZE } from './consts';
import { MemType, type HvZoneConfig } from './config';
import { FrameAllocator } from './frame';
import { HvError, MemorySet } from './memory-set';
import { PerCpu, perCpuBase } from './percpu';
import type { HvStop } from './stop';
import type { TraceKind, TraceSink } from './trace';
import { Zone } from './zone';
import { ArchCpu } from './arch/riscv64/cpu';
import { GStageMode, Stage2PageTable } from './arch/riscv64/s2pt';
import { archSendEvent, archCheckEvent } from './arch/riscv64/ipi';
import type { Riscv64Core } from '../isa/riscv64/core';
import type { PhysicalMemory } from '../machine/memory';
import type { Uart16550 } from '../machine/devices/uart16550';

/** The board constants hvisor is built with (platform/riscv64/qemu-plic/board.rs). */
export interface HvBoard {
  readonly ncpus: number;
  /** Logical CPU id → physical hart id. */
  readonly hartIdMap: readonly number[];
  readonly aclintSswiBase: number;
  readonly plicBase: number;
  /** Where the hypervisor's own memory starts (`__core_end`) and how big its frame pool is. */
  readonly coreEnd: number;
  readonly memPoolSize: number;
}

export interface HvDevices {
  readonly memory: PhysicalMemory;
  readonly cores: readonly Riscv64Core[];
  readonly uart: Uart16550;
}

/** The parking code every idle CPU runs at guest address 0: `wfi; j .-4`. */
const PARKING_CODE = [0x73, 0x00, 0x50, 0x10, 0x6f, 0xf0, 0xdf, 0xff];

export class Hvisor {
  readonly perCpu: PerCpu[] = [];
  /** ZONE_LIST: the root zone is always first. */
  readonly zoneList: Zone[] = [];
  /** PERCPU_EVENTS. */
  readonly events: number[][];
  enteredCpus = 0;
  /** MASTER_CPU: the first CPU to arrive. */
  masterCpu = -1;
  stage2Levels: 3 | 4 = 3;
  stop: HvStop | undefined;
  readonly frames: FrameAllocator;
  private parkingSet: MemorySet | undefined;
  onStop: (stop: HvStop) => void = () => {};

  constructor(readonly board: HvBoard, readonly devices: HvDevices, private readonly trace: TraceSink) {
    const poolStart = perCpuBase(board.coreEnd, board.ncpus);
    this.frames = new FrameAllocator(devices.memory, poolStart, poolStart + board.memPoolSize);
    this.events = Array.from({ length: board.ncpus }, () => []);
  }

  log(cpu: number, kind: TraceKind, text: string): void {
    this.trace({ cpu, icount: this.devices.cores[cpu]!.hart.instret, kind, text });
  }

  core(cpu: number): Riscv64Core {
    return this.devices.cores[cpu]!;
  }

  // ---- boot (reference §6) -----------------------------------------------------

  /** Every CPU enters; the primary creates the root zone; then run_vm on each CPU. */
  boot(rootConfig: HvZoneConfig): void {
    for (let cpu = 0; cpu < this.board.ncpus; cpu++) {
      const core = this.core(cpu);
      core.inHypervisor = true;
      if (this.masterCpu < 0) this.masterCpu = cpu;
      const arch = new ArchCpu(cpu, core, perCpuBase(this.board.coreEnd, cpu));
      this.perCpu.push(new PerCpu(cpu, arch));
      this.enteredCpus++;
    }
    this.stage2Levels = this.stage2ModeDetect();
    this.log(this.masterCpu, 'boot', `${this.enteredCpus} CPUs entered; G-stage ${this.stage2Levels === 4 ? 'Sv48x4' : 'Sv39x4'}`);
    const root = this.zoneCreate(rootConfig);
    this.zoneList.push(root);
    this.log(this.masterCpu, 'zone', `root zone ${root.id} "${root.name}" created with CPUs ${root.cpuSet.toArray().join(',')}`);
    for (const pc of this.perCpu) {
      if (!pc.zone) this.log(pc.id, 'boot', `CPU ${pc.id} has no zone`);
      this.runVm(pc.id);
    }
  }

  /** stage2_mode_detect: the deepest G-stage mode the harts accept, at most Sv48x4. */
  private stage2ModeDetect(): 3 | 4 {
    const h = this.core(this.masterCpu).hart;
    return h.supportsGStageMode(GStageMode.Sv57x4) ? 4 : h.supportsGStageMode(GStageMode.Sv48x4) ? 4 : 3;
  }

  private runVm(cpu: number): void {
    if (this.perCpu[cpu]!.bootCpu) this.run(cpu);
    else this.idle(cpu);
  }

  // ---- zones (reference §3.3) --------------------------------------------------

  newMemorySet(): MemorySet {
    return new MemorySet(new Stage2PageTable(this.devices.memory, this.frames, this.stage2Levels));
  }

  zoneCreate(config: HvZoneConfig): Zone {
    if (this.zoneList.some((z) => z.id === config.zoneId)) throw new HvError(HvErrno.EINVAL, `zone ${config.zoneId} already exists`);
    const zone = new Zone(config.zoneId, config.name, this.newMemorySet(), this.board.ncpus);
    for (const r of config.memoryRegions) {
      if (r.memType === MemType.ram) {
        zone.gpm.insert({ start: r.virtualStart, hpa: r.physicalStart, size: r.size, flags: MemFlags.READ | MemFlags.WRITE | MemFlags.EXECUTE });
      } else if (r.memType === MemType.io) {
        zone.gpm.insert({ start: r.virtualStart, hpa: r.physicalStart, size: r.size, flags: MemFlags.READ | MemFlags.WRITE | MemFlags.IO });
      } else {
        zone.mmio.push({ start: r.physicalStart, size: r.size, handlerName: 'mmio_virtio_handler', arg: r.physicalStart });
      }
    }
    for (let cpu = 0; cpu < this.board.ncpus; cpu++) {
      if (((config.cpus >> BigInt(cpu)) & 1n) === 0n) continue;
      if (this.perCpu[cpu]!.zone) throw new HvError(HvErrno.EBUSY, `CPU ${cpu} already belongs to zone ${this.perCpu[cpu]!.zone!.id}`);
      zone.cpuSet.setBit(cpu);
      zone.cpuNum++;
    }
    for (const irq of config.interrupts) zone.irqBitmap[irq >>> 5]! |= 1 << (irq & 31);
    let dtbIpa = INVALID_ADDRESS;
    for (const r of config.memoryRegions) {
      if (config.dtbLoadPaddr >= r.physicalStart && config.dtbLoadPaddr < r.physicalStart + r.size) {
        dtbIpa = BigInt(r.virtualStart + config.dtbLoadPaddr - r.physicalStart);
      }
    }
    const first = zone.cpuSet.firstCpu();
    for (const cpu of zone.cpuSet.iter()) {
      const pc = this.perCpu[cpu]!;
      pc.zone = zone;
      if (cpu === first) pc.bootCpu = true;
      pc.cpuOnEntry = BigInt(config.entryPoint);
      pc.dtbIpa = dtbIpa;
    }
    return zone;
  }

  // ---- vCPU entry and parking (ArchCpu::run / idle) --------------------------------

  /** activate_gpm: hgatp from the zone's stage-2 root, then hfence.gvma. */
  activateGpm(cpu: number): void {
    const zone = this.perCpu[cpu]!.zone;
    if (!zone) {
      this.panic(cpu, 'activate_gpm on a CPU without a zone (hvisor unwraps None and panics)');
      return;
    }
    const core = this.core(cpu);
    core.hart.hgatp = zone.gpm.pt.hgatp();
    core.translationChanged();
  }

  /** ArchCpu::run: enter the zone's guest at cpu_on_entry with a0 = hartid, a1 = dtb_ipa. */
  run(cpu: number): void {
    const pc = this.perCpu[cpu]!;
    const arch = pc.archCpu;
    arch.powerOn = true;
    arch.init = true;
    arch.initInterrupt();
    arch.resetRegs(pc.cpuOnEntry, BigInt(this.board.hartIdMap[cpu]!), pc.dtbIpa, perCpuBase(this.board.coreEnd, cpu));
    this.activateGpm(cpu);
    if (this.stop) return;
    this.log(cpu, 'boot', `enter guest at 0x${pc.cpuOnEntry.toString(16)} (zone ${pc.zone!.id})`);
    arch.core.returnToGuest();
  }

  /** ArchCpu::idle: park in the wfi loop at guest address 0 through the parking stage-2 set. */
  idle(cpu: number): void {
    const pc = this.perCpu[cpu]!;
    const arch = pc.archCpu;
    arch.powerOn = false;
    const parking = this.parkingMemorySet();
    arch.resetRegs(0n, BigInt(cpu), pc.dtbIpa, perCpuBase(this.board.coreEnd, cpu));
    arch.resetInterrupt();
    const core = arch.core;
    core.hart.hgatp = parking.pt.hgatp();
    core.translationChanged();
    arch.core.returnToGuest();
  }

  private parkingMemorySet(): MemorySet {
    if (!this.parkingSet) {
      const page = this.frames.alloc();
      this.devices.memory.load(page, Uint8Array.from(PARKING_CODE));
      this.parkingSet = this.newMemorySet();
      this.parkingSet.insert({ start: 0, hpa: page, size: PAGE_SIZE, flags: MemFlags.READ | MemFlags.WRITE | MemFlags.EXECUTE });
    }
    return this.parkingSet;
  }

  /** Whether the CPU sits in the parking loop. */
  isParked(cpu: number): boolean {
    return this.parkingSet !== undefined && this.core(cpu).hart.hgatp === this.parkingSet.pt.hgatp();
  }

  // ---- events (src/event.rs) ------------------------------------------------------

  sendEvent(from: number, cpu: number, ipiId: number, event: number): void {
    const queue = this.events[cpu]!;
    if (event === IpiEvent.SHUTDOWN) queue.length = 0;
    queue.push(event);
    this.log(from, 'ipi', `send_event(cpu=${cpu}, ${IPI_EVENT_NAMES[event] ?? event})`);
    archSendEvent(this, cpu, ipiId);
  }

  /** check_events: handle one queued event; false if there was none. */
  checkEvents(cpu: number): boolean {
    const event = this.events[cpu]!.shift();
    if (event === undefined) return false;
    this.log(cpu, 'event', `check_events: ${IPI_EVENT_NAMES[event] ?? event}`);
    switch (event) {
      case IpiEvent.WAKEUP:
        this.run(cpu);
        return true;
      case IpiEvent.SHUTDOWN:
        this.idle(cpu);
        return true;
      default:
        return archCheckEvent(this, cpu, event);
    }
  }

  // ---- stops ------------------------------------------------------------------------

  /** Where hvisor would panic or hang: the CPU stops here with hvisor's reason. */
  panic(cpu: number, reason: string): void {
    this.halt({ kind: 'panic', cpu, reason: `hvisor would panic: ${reason}` });
  }

  powerOff(cpu: number, reason: string): void {
    this.halt({ kind: 'poweroff', cpu, reason });
  }

  private halt(stop: HvStop): void {
    if (this.stop) return;
    this.stop = stop;
    this.log(stop.cpu, 'stop', stop.reason);
    this.onStop(stop);
  }

  zoneOf(cpu: number): Zone | undefined {
    return this.perCpu[cpu]?.zone;
  }

  /** Address of a CPU's PerCpu struct (sscratch points at its ArchCpu). */
  perCpuAddress(cpu: number): number {
    return this.board.coreEnd + cpu * PER_CPU_SIZE;
  }
}
