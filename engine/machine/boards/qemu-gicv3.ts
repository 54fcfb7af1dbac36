// hvisor's qemu-gicv3 board (reference §5.4): QEMU virt with a GICv3. A
// PL011 UART, the GIC distributor and one redistributor frame per CPU, the
// generic timer (its PPIs wired to each CPU's redistributor), 1..maxCpus
// aarch64 cores, and one DRAM region from 0x40000000.

import { Pl011, PL011_WINDOW_SIZE } from '../devices/pl011';
import { GenericTimer } from '../devices/generic-timer';
import { Gicv3 } from '../devices/gicv3/gic';
import { GIC_MAX_CPUS, GICD_BASE, GICD_SIZE, GICR_BASE, GICR_FRAME_SIZE, PPI_MAINTENANCE, PPI_PHYS_TIMER, PPI_VIRT_TIMER } from '../devices/gicv3/registers';
import { PhysicalMemory, Ram } from '../memory';
import { CodeCache } from '../../isa/code-cache';
import type { Prepared } from '../../isa/aarch64/interpreter';
import type { Block } from '../../isa/aarch64/translator';
import { Aarch64Core, type Aarch64CodeCache, type El2Handler } from '../../isa/aarch64/core';
import { ExclusiveMonitor } from '../../isa/aarch64/exclusive-monitor';
import { ticksAt } from '../../isa/aarch64/timebase';

/** The redistributor window ends where the UART's page begins. */
const GICR_WINDOW_END = 0x09000000;

export const QEMU_GICV3 = {
  uartBase: 0x09000000,
  uartSize: PL011_WINDOW_SIZE,
  uartIrq: 33,
  gicdBase: GICD_BASE,
  gicdSize: GICD_SIZE,
  gicrBase: GICR_BASE,
  gicrStride: GICR_FRAME_SIZE,
  dramBase: 0x40000000,
  /** As many redistributor frames as fit below the UART, within what the GIC model supports. */
  maxCpus: Math.min(Math.floor((GICR_WINDOW_END - GICR_BASE) / GICR_FRAME_SIZE), GIC_MAX_CPUS),
  timerPpis: { virt: PPI_VIRT_TIMER, phys: PPI_PHYS_TIMER },
  maintenancePpi: PPI_MAINTENANCE,
} as const;

export interface QemuGicv3Options {
  readonly cpus: number;
  /** DRAM size in bytes, from dramBase. */
  readonly dramSize: number;
  readonly onUartByte: (byte: number) => void;
  readonly el2: El2Handler;
}

export class QemuGicv3Board {
  readonly memory: PhysicalMemory;
  readonly uart: Pl011;
  readonly gic: Gicv3;
  readonly timer: GenericTimer;
  readonly cores: Aarch64Core[] = [];
  readonly code: Aarch64CodeCache;
  readonly monitor = new ExclusiveMonitor();
  /** Instruction breakpoints (virtual addresses), shared by every CPU. */
  readonly breakpoints = new Set<number>();

  constructor(options: QemuGicv3Options) {
    if (!Number.isInteger(options.cpus) || options.cpus < 1 || options.cpus > QEMU_GICV3.maxCpus) {
      throw new RangeError(`the qemu-gicv3 board has 1 to ${QEMU_GICV3.maxCpus} CPUs, not ${options.cpus}`);
    }
    this.memory = new PhysicalMemory(new Ram(QEMU_GICV3.dramBase, options.dramSize));
    this.code = new CodeCache<Block, Prepared>(this.memory);
    const ids = Array.from({ length: options.cpus }, (_, id) => id);
    this.gic = new Gicv3({
      cpus: ids.map((id) => ({
        irq: { set: (level) => this.cores[id]?.setIrq(level) },
        virq: { set: (level) => this.cores[id]?.setVirq(level) },
      })),
    });
    this.timer = new GenericTimer(
      { now: () => this.now() },
      ids.map((id) => ({ phys: this.gic.ppi(id, PPI_PHYS_TIMER), virt: this.gic.ppi(id, PPI_VIRT_TIMER) })),
    );
    const board = {
      memory: this.memory, code: this.code, breakpoints: this.breakpoints, monitor: this.monitor, gic: this.gic, timer: this.timer,
      now: () => this.now(),
      flushAllTlbs: () => {
        for (const core of this.cores) core.translationChanged();
      },
      // Each core caches the earliest deadline of all timers, so a change on one CPU concerns them all.
      timerChanged: () => {
        for (const core of this.cores) core.interruptsChanged();
      },
      sendEvent: () => {
        for (const core of this.cores) core.state.event = 1;
      },
    };
    for (const id of ids) this.cores.push(new Aarch64Core(id, board, options.el2));
    this.uart = new Pl011(options.onUartByte, this.gic.spi(QEMU_GICV3.uartIrq));
    this.memory.addDevice(QEMU_GICV3.uartBase, QEMU_GICV3.uartSize, this.uart);
    this.memory.addDevice(GICD_BASE, GICD_SIZE, this.gic.distributor);
    this.memory.addDevice(GICR_BASE, this.gic.redistributors.size, this.gic.redistributors);
  }

  /** Machine time in counter ticks: the furthest any CPU has got. */
  now(): number {
    let cycles = 0;
    for (const c of this.cores) cycles = Math.max(cycles, c.state.cycles);
    return ticksAt(cycles);
  }
}
