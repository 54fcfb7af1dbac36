// The hvisor model: global state (the PerCpu array, the zone list, the event
// queues, the boot counters, the locks) and the operations that change it.
// Operations that take locks are resumable tasks (see task.ts). Architecture
// details live under arch/; this file keeps hvisor's own flow and names.

import { HvErrno, INVALID_ADDRESS, IPI_EVENT_NAMES, IpiEvent, MemFlags, PAGE_SIZE } from './consts';
import { MemType, type AnyHvZoneConfig } from './config/zone-config';
import { HvExecutor, type ResumeResult } from './executor';
import { FrameAllocator } from './frame';
import { LockRegistry, RwLock, SpinMutex } from './lock';
import { HvError, HvPanic, MemorySet } from './memory-set';
import { PerCpu, perCpuBase } from './percpu';
import type { HvStop } from './stop';
import type { HvEvent, HvEventKind } from './events';
import { point, type HvTask } from './task';
import type { TraceKind, TraceSink } from './trace';
import { Zone } from './zone';
import type { HvArch } from './arch/hv-arch';
import { hvErr, mmioRegionRegister, type MmioHandler } from './mmio';
import type { CpuCore } from '../isa/cpu-core';
import type { PhysicalMemory } from '../machine/memory';

/** The board constants hvisor is built with that its shared code uses. */
export interface HvBoard {
  readonly ncpus: number;
  /** Where the hypervisor's own memory starts (`__core_end`) and how big its frame pool is. */
  readonly coreEnd: number;
  readonly memPoolSize: number;
}

export interface HvDevices<C extends CpuCore> {
  readonly memory: PhysicalMemory;
  readonly cores: readonly C[];
}

/** The trace line kind of each hypervisor event. */
const TRACE_KIND: Readonly<Record<HvEventKind, TraceKind>> = {
  hypercall: 'hypercall', sbi: 'sbi', psci: 'psci', stage2: 'stage2', mmio: 'mmio', ipi: 'ipi', 'zone-start': 'zone', 'zone-shutdown': 'zone',
  'lock-wait': 'lock', deadlock: 'lock', 'would-panic': 'stop', 'guest-panic': 'stop',
};

/** Virtio regions trap to the root zone's virtio backend, which the model does not have yet. */
const virtioNotModelled: MmioHandler = (access, arg) =>
  hvErr(HvErrno.ENOSYS, `virtio device at 0x${arg.toString(16)} (offset 0x${access.address.toString(16)}): the virtio bridge is not modelled yet`);

export class Hvisor<C extends CpuCore = CpuCore, A extends HvArch<C> = HvArch<C>> {
  readonly perCpu: PerCpu[] = [];
  /** ZONE_LIST: the root zone is always first. */
  readonly zoneList: Zone[] = [];
  readonly locks = new LockRegistry();
  readonly zoneListLock = this.locks.register(new RwLock('ZONE_LIST'));
  /** PERCPU_EVENTS. */
  readonly events: number[][];
  /** ENTERED_CPUS and MASTER_CPU from the boot flow. */
  enteredCpus = 0;
  masterCpu = -1;
  stage2Levels: 3 | 4 = 3;
  stop: HvStop | undefined;
  readonly frames: FrameAllocator;
  readonly executor: HvExecutor;
  /** Event kinds the debugger stops on. */
  readonly stopOn = new Set<HvEventKind>();
  private parkingSet: MemorySet | undefined;
  /** The CPU whose hypervisor task is running (this_cpu_id() inside handlers). */
  currentCpu = 0;
  onStop: (stop: HvStop) => void = () => {};

  constructor(readonly board: HvBoard, readonly devices: HvDevices<C>, readonly arch: A, private readonly trace: TraceSink) {
    const poolStart = perCpuBase(board.coreEnd, board.ncpus);
    this.frames = new FrameAllocator(devices.memory, poolStart, poolStart + board.memPoolSize);
    this.events = Array.from({ length: board.ncpus }, () => []);
    this.executor = new HvExecutor(board.ncpus);
  }

  get memory(): PhysicalMemory {
    return this.devices.memory;
  }

  log(cpu: number, kind: TraceKind, text: string): void {
    this.trace({ cpu, icount: this.devices.cores[cpu]!.state.instret, kind, text });
  }

  /** Trace an event and offer it as a stopping point. */
  *event(cpu: number, kind: HvEventKind, text: string): HvTask {
    this.log(cpu, TRACE_KIND[kind], text);
    const event: HvEvent = { kind, cpu, text };
    yield* point(event);
  }

  core(cpu: number): C {
    return this.devices.cores[cpu]!;
  }

  /** Run `body` in a frame named `name` on `cpu` (what a debugger shows). */
  frame<T>(cpu: number, name: string, body: HvTask<T>): HvTask<T> {
    return this.executor.frame(cpu, name, body);
  }

  // ---- boot (reference §6) -----------------------------------------------------

  /** Every CPU enters; the primary creates the root zone; then run_vm on each CPU. */
  boot(rootConfig: AnyHvZoneConfig): void {
    for (let cpu = 0; cpu < this.board.ncpus; cpu++) {
      const core = this.core(cpu);
      core.inHypervisor = true;
      if (this.masterCpu < 0) this.masterCpu = cpu;
      const pc = new PerCpu(cpu, this.arch.newArchCpu(this, cpu), this.locks.register(new SpinMutex(`ctrl_lock(${cpu})`)));
      this.perCpu.push(pc);
      this.enteredCpus++;
    }
    this.arch.primaryInitLate(this);
    this.stage2Levels = this.arch.stage2Levels(this);
    this.log(this.masterCpu, 'boot', `${this.enteredCpus} CPUs entered; stage 2 ${this.arch.stage2ModeName(this.stage2Levels)}`);
    const root = this.zoneCreate(rootConfig);
    this.zoneList.push(root);
    this.log(this.masterCpu, 'zone', `root zone ${root.id} "${root.name}" created with CPUs ${root.cpuSet.toArray().join(',')}`);
    // run_vm on every CPU; nothing contends at boot, so each finishes at once
    // and the machine starts with its boot CPU at the guest's entry.
    for (const pc of this.perCpu) {
      if (!pc.zone) this.log(pc.id, 'boot', `CPU ${pc.id} has no zone`);
      this.executor.start(pc.id, this.frame(pc.id, 'run_vm', pc.bootCpu ? this.run(pc.id) : this.idle(pc.id)));
      while (this.executor.busy(pc.id)) this.resume(pc.id, false);
    }
  }

  // ---- zones (reference §3.3) --------------------------------------------------

  newMemorySet(): MemorySet {
    return new MemorySet(this.arch.newStage2Table(this, this.stage2Levels));
  }

  /** zone_create: build the zone and point its CPUs' PerCpu at it; not yet in ZONE_LIST. */
  zoneCreate(config: AnyHvZoneConfig): Zone {
    if (this.zoneList.some((z) => z.id === config.zoneId)) throw new HvError(HvErrno.EINVAL, `zone ${config.zoneId} already exists`);
    const lock = this.locks.register(new RwLock(`zone(${config.zoneId})`));
    try {
      return this.buildZone(config, lock);
    } catch (e) {
      // The half-built zone is dropped, and its lock with it.
      this.locks.unregister(lock);
      throw e;
    }
  }

  private buildZone(config: AnyHvZoneConfig, lock: RwLock): Zone {
    const zone = new Zone(config.zoneId, config.name, this.newMemorySet(), this.board.ncpus, lock);
    try {
      for (const r of config.memoryRegions) {
        if (r.memType === MemType.ram) {
          zone.gpm.insert({ start: r.virtualStart, hpa: r.physicalStart, size: r.size, flags: MemFlags.READ | MemFlags.WRITE | MemFlags.EXECUTE });
        } else if (r.memType === MemType.io) {
          zone.gpm.insert({ start: r.virtualStart, hpa: r.physicalStart, size: r.size, flags: MemFlags.READ | MemFlags.WRITE | MemFlags.IO });
        } else if (r.memType === MemType.virtio) {
          mmioRegionRegister(zone, r.physicalStart, r.size, 'mmio_virtio_handler', virtioNotModelled, r.physicalStart);
        } else {
          throw new HvPanic(`pt_init: memory region type ${r.memType} is neither ram, io nor virtio`);
        }
      }
    } catch (e) {
      if (e instanceof HvError) throw new HvPanic(`pt_init fails (${e.message}) and zone_create unwraps it`);
      throw e;
    }
    for (let cpu = 0; cpu < this.board.ncpus; cpu++) {
      if (((config.cpus >> BigInt(cpu)) & 1n) === 0n) continue;
      if (this.perCpu[cpu]!.zone) throw new HvError(HvErrno.EBUSY, `CPU ${cpu} already belongs to zone ${this.perCpu[cpu]!.zone!.id}`);
      zone.cpuSet.setBit(cpu);
      zone.cpuNum++;
    }
    for (const irq of config.interrupts) zone.irqBitmap[irq >>> 5]! |= 1 << (irq & 31);
    this.arch.zoneIrqchipInit(this, zone, config);
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

  /** arch_irqchip_reset for a zone being torn down (reference §3.6). */
  irqchipReset(zone: Zone): void {
    const reason = this.arch.irqchipReset(this, zone);
    if (reason) this.panic(this.currentCpu, `arch_irqchip_reset: ${reason}`);
  }

  /** find_zone, under ZONE_LIST's read lock. */
  *findZone(cpu: number, id: number): HvTask<Zone | undefined> {
    yield* this.zoneListLock.read(cpu);
    const zone = this.zoneList.find((z) => z.id === id);
    this.zoneListLock.unlockRead(cpu);
    return zone;
  }

  *addZone(cpu: number, zone: Zone): HvTask {
    yield* this.zoneListLock.write(cpu);
    this.zoneList.push(zone);
    this.zoneListLock.unlockWrite(cpu);
  }

  *removeZone(cpu: number, id: number): HvTask {
    yield* this.zoneListLock.write(cpu);
    const i = this.zoneList.findIndex((z) => z.id === id);
    if (i >= 0) {
      const [zone] = this.zoneList.splice(i, 1);
      this.locks.unregister(zone!.lock);
    }
    this.zoneListLock.unlockWrite(cpu);
  }

  /** The CPU's zone is the root zone (ZONE_LIST[0]). */
  isRootZone(cpu: number): boolean {
    return this.perCpu[cpu]?.zone !== undefined && this.perCpu[cpu]!.zone === this.zoneList[0];
  }

  // ---- vCPU entry and parking (ArchCpu::run / idle) --------------------------------

  /** activate_gpm: under the zone's read lock, point stage 2 at the zone's table and flush. */
  *activateGpm(cpu: number): HvTask {
    const zone = this.perCpu[cpu]!.zone;
    if (!zone) {
      this.panic(cpu, 'activate_gpm on a CPU without a zone (hvisor unwraps None and panics)');
      return;
    }
    yield* zone.lock.read(cpu);
    this.arch.activateStage2(this, cpu, zone.gpm.pt);
    zone.lock.unlockRead(cpu);
  }

  /** ArchCpu::run: enter the zone's guest at cpu_on_entry with the DTB. Never returns to its caller. */
  *run(cpu: number): HvTask {
    const pc = this.perCpu[cpu]!;
    pc.archCpu.powerOn = true;
    this.arch.resetForRun(this, cpu);
    yield* this.frame(cpu, 'activate_gpm', this.activateGpm(cpu));
    if (this.stop) return;
    this.log(cpu, 'boot', `enter guest at 0x${pc.cpuOnEntry.toString(16)} (zone ${pc.zone!.id})`);
    this.core(cpu).returnToGuest();
  }

  /** ArchCpu::idle: park in the wfi loop at guest address 0 through the parking stage-2 set. */
  *idle(cpu: number): HvTask {
    this.perCpu[cpu]!.archCpu.powerOn = false;
    const parking = this.parkingMemorySet();
    this.arch.resetForIdle(this, cpu);
    this.arch.activateStage2(this, cpu, parking.pt);
    yield* point();
    this.core(cpu).returnToGuest();
  }

  private parkingMemorySet(): MemorySet {
    if (!this.parkingSet) {
      const page = this.frames.alloc();
      this.devices.memory.load(page, this.arch.parkingCode);
      this.parkingSet = this.newMemorySet();
      this.parkingSet.insert({ start: 0, hpa: page, size: PAGE_SIZE, flags: MemFlags.READ | MemFlags.WRITE | MemFlags.EXECUTE });
    }
    return this.parkingSet;
  }

  /** Whether the CPU sits in the parking loop. */
  isParked(cpu: number): boolean {
    return this.parkingSet !== undefined && this.arch.isStage2Active(this, cpu, this.parkingSet.pt);
  }

  // ---- events (src/event.rs) ------------------------------------------------------

  *sendEvent(from: number, cpu: number, ipiId: number, event: number): HvTask {
    yield* this.event(from, 'ipi', `send_event(cpu=${cpu}, ${IPI_EVENT_NAMES[event] ?? event})`);
    this.postEvent(cpu, ipiId, event);
  }

  /** send_event's effect: queue the event (SHUTDOWN first empties the queue) and raise the IPI. */
  postEvent(cpu: number, ipiId: number, event: number): void {
    const queue = this.events[cpu]!;
    if (event === IpiEvent.SHUTDOWN) queue.length = 0;
    queue.push(event);
    this.arch.sendEvent(this, cpu, ipiId);
  }

  /** check_events: handle one queued event; false if there was none. */
  *checkEvents(cpu: number): HvTask<boolean> {
    const event = this.events[cpu]!.shift();
    if (event === undefined) return false;
    this.log(cpu, 'event', `check_events: ${IPI_EVENT_NAMES[event] ?? event}`);
    switch (event) {
      case IpiEvent.WAKEUP:
        yield* this.frame(cpu, 'arch_cpu.run()', this.run(cpu));
        return true;
      case IpiEvent.SHUTDOWN:
        yield* this.frame(cpu, 'arch_cpu.idle()', this.idle(cpu));
        return true;
      default:
        return this.arch.checkEvent(this, cpu, event);
    }
  }

  // ---- running hypervisor tasks (the scheduler's HypervisorHost) ---------------------

  /** A trap reached HS-mode on `cpu`: its handling becomes the CPU's task. */
  startTrap(cpu: number, name: string, task: HvTask): void {
    this.executor.start(cpu, this.frame(cpu, name, task));
  }

  resume(cpu: number, single: boolean): ResumeResult {
    this.currentCpu = cpu;
    const wasWaiting = this.executor.waitingOn[cpu];
    const r = this.executor.resume(cpu, single, (e) => this.stopOn.has(e.kind));
    if (r.kind === 'wait' && wasWaiting !== r.lock) {
      const text = this.describeWait(cpu);
      this.log(cpu, 'lock', text);
      if (this.stopOn.has('lock-wait')) return { kind: 'event', event: { kind: 'lock-wait', cpu, text } };
    }
    if (r.kind === 'done' && this.core(cpu).inHypervisor && !this.stop) {
      this.panic(cpu, 'the hypervisor model finished a trap without returning to the guest (a model bug)');
    }
    return r;
  }

  blockers(cpu: number): readonly number[] {
    return this.executor.waitingOn[cpu]?.blockers(cpu) ?? [];
  }

  describeWait(cpu: number): string {
    const lock = this.executor.waitingOn[cpu];
    if (!lock) return 'waits for nothing';
    const holders = lock.blockers(cpu);
    return `waits for ${lock.name} held by ${holders.map((c) => `CPU ${c}`).join(' and ') || 'nobody'}`;
  }

  // ---- stops ------------------------------------------------------------------------

  /** Where hvisor would panic or hang: the CPU stops here with hvisor's reason. */
  panic(cpu: number, reason: string): void {
    this.halt({ kind: 'panic', cpu, reason: `hvisor would panic: ${reason}`, frames: [...this.executor.frames[cpu]!] });
  }

  /** Where hvisor would loop forever (`loop {}` in a handler): the CPU stops here with hvisor's reason. */
  hang(cpu: number, reason: string): void {
    this.halt({ kind: 'panic', cpu, reason: `hvisor would hang: ${reason}`, frames: [...this.executor.frames[cpu]!] });
  }

  powerOff(cpu: number, reason: string): void {
    this.halt({ kind: 'poweroff', cpu, reason, frames: [...this.executor.frames[cpu]!] });
  }

  private halt(stop: HvStop): void {
    if (this.stop) return;
    this.stop = stop;
    this.log(stop.cpu, 'stop', stop.reason);
    this.onStop(stop);
  }

  /** get_cpu_data(id): any CPU's PerCpu, by plain index as hvisor does. */
  getCpuData(id: number): PerCpu {
    return this.perCpu[id]!;
  }

  /** this_cpu_data(): the PerCpu of the CPU whose hypervisor code is running. */
  thisCpuData(): PerCpu {
    return this.perCpu[this.currentCpu]!;
  }

  zoneOf(cpu: number): Zone | undefined {
    return this.perCpu[cpu]?.zone;
  }

}
