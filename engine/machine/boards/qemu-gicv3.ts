// hvisor's qemu-gicv3 board (reference §5.4): QEMU virt with a GICv3. Two
// CFI flash banks, a PL011 UART, the GIC distributor and one redistributor
// frame per CPU, the generic timer (its PPIs wired to each CPU's
// redistributor), 1..maxCpus aarch64 cores, and one DRAM region; where each
// sits is QEMU_GICV3_MAP's.

import { CfiFlash } from '../devices/cfi-flash';
import { Pl011 } from '../devices/pl011';
import { GenericTimer } from '../devices/generic-timer';
import { Gicv3 } from '../devices/gicv3/gic';
import { GIC_MAX_CPUS } from '../devices/gicv3/registers';
import { PhysicalMemory, Ram } from '../memory';
import { CodeCache } from '../../isa/code-cache';
import type { Prepared } from '../../isa/aarch64/interpreter';
import type { Block } from '../../isa/aarch64/translator';
import { Aarch64Core, type Aarch64CodeCache, type El2Handler } from '../../isa/aarch64/core';
import { ExclusiveMonitor } from '../../isa/aarch64/exclusive-monitor';
import { ticksAt } from '../../isa/aarch64/timebase';
import { flashBanks, QEMU_GICV3_MAP as MAP } from './qemu-gicv3-map';

export const QEMU_GICV3 = {
  /** As many redistributor frames as fit in the window, within what the GIC model supports. */
  maxCpus: Math.min(Math.floor(MAP.gicr.size / MAP.gicr.frameSize), GIC_MAX_CPUS),
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
  /** The flash banks, from address 0. */
  readonly flash: CfiFlash[];
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
    this.memory = new PhysicalMemory(new Ram(MAP.dram.base, options.dramSize));
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
      ids.map((id) => ({ phys: this.gic.ppi(id, MAP.timer.physPpi), virt: this.gic.ppi(id, MAP.timer.virtPpi) })),
    );
    const board = {
      memory: this.memory, code: this.code, breakpoints: this.breakpoints, monitor: this.monitor, gic: this.gic, timer: this.timer,
      now: () => this.now(),
      flushAllTlbs: (va?: number) => {
        for (const core of this.cores) {
          if (va === undefined) core.translationChanged();
          else core.translationChangedAt(va);
        }
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
    this.uart = new Pl011(options.onUartByte, this.gic.spi(MAP.uart.irq));
    this.flash = flashBanks().map((base, i) => {
      const bank = new CfiFlash({ name: `flash${i}`, size: MAP.flash.bankSize, sectorSize: MAP.flash.sectorSize });
      this.memory.addDevice(base, bank.size, bank);
      return bank;
    });
    this.memory.addDevice(MAP.uart.base, MAP.uart.size, this.uart);
    this.memory.addDevice(MAP.gicd.base, MAP.gicd.size, this.gic.distributor);
    this.memory.addDevice(MAP.gicr.base, this.gic.redistributors.size, this.gic.redistributors);
  }

  /** Machine time in counter ticks: the furthest any CPU has got. */
  now(): number {
    let cycles = 0;
    for (const c of this.cores) cycles = Math.max(cycles, c.state.cycles);
    return ticksAt(cycles);
  }
}
