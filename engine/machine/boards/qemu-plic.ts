// hvisor's qemu-plic board (reference §5.4): QEMU virt with aclint=on. A
// 16550 UART, the PLIC, the ACLINT, 1–64 harts and one DRAM region that holds
// the guests' RAM followed by the hypervisor's own memory; where each sits is
// QEMU_PLIC_MAP's.

import { AclintMswi, AclintMtimer, AclintSswi } from '../devices/aclint';
import { Plic } from '../devices/plic';
import { Uart16550 } from '../devices/uart16550';
import type { IrqLine } from '../device';
import { PhysicalMemory, Ram } from '../memory';
import { CodeCache } from '../../isa/code-cache';
import { Riscv64Core, type HsTrapHandler, type Riscv64CodeCache } from '../../isa/riscv64/core';
import { IRQ } from '../../isa/riscv64/csr';
import { ReservationSet } from '../../isa/riscv64/hart';
import { ticksAt } from '../../isa/riscv64/timebase';
import type { Prepared } from '../../isa/riscv64/interpreter';
import type { Block } from '../../isa/riscv64/translator';
import { QEMU_PLIC_MAP as MAP } from './qemu-plic-map';

export const QEMU_PLIC = {
  maxCpus: 64,
} as const;

export interface QemuPlicOptions {
  readonly cpus: number;
  /** DRAM size in bytes, from dramBase. */
  readonly dramSize: number;
  readonly onUartByte: (byte: number) => void;
  readonly hs: HsTrapHandler;
}

const noLine: IrqLine = { set: () => {} };

export class QemuPlicBoard {
  readonly memory: PhysicalMemory;
  readonly uart: Uart16550;
  readonly plic: Plic;
  readonly mtimer: AclintMtimer;
  readonly cores: Riscv64Core[] = [];
  readonly code: Riscv64CodeCache;
  readonly reservations = new ReservationSet();
  /** Instruction breakpoints (virtual addresses), shared by every CPU. */
  readonly breakpoints = new Set<number>();

  constructor(options: QemuPlicOptions) {
    if (!Number.isInteger(options.cpus) || options.cpus < 1 || options.cpus > QEMU_PLIC.maxCpus) {
      throw new RangeError(`the qemu-plic board has 1 to ${QEMU_PLIC.maxCpus} CPUs, not ${options.cpus}`);
    }
    this.memory = new PhysicalMemory(new Ram(MAP.dram.base, options.dramSize));
    this.code = new CodeCache<Block, Prepared>(this.memory);
    for (let id = 0; id < options.cpus; id++) {
      this.cores.push(new Riscv64Core(id, this.memory, this.reservations, this.code, this.breakpoints, options.hs));
    }
    const line = (id: number, bit: number): IrqLine => ({ set: (level) => this.cores[id]!.setIrqLine(bit, level) });
    const contexts = this.cores.flatMap((_, id) => [noLine, line(id, IRQ.SEI)]);
    this.plic = new Plic({ ndev: MAP.plic.sources, contexts });
    this.uart = new Uart16550(options.onUartByte, this.plic.source(MAP.uart.irq));
    // The ACLINT's M-level lines have no M-mode software to take them.
    const machineLines = this.cores.map(() => noLine);
    const sswiLines = this.cores.map((_, id): IrqLine => ({ set: (level) => { if (level) this.cores[id]!.setIrqLine(IRQ.SSI, true); } }));
    this.mtimer = new AclintMtimer({ now: () => this.now() }, machineLines);
    const aclint = MAP.aclint;
    this.memory.addDevice(MAP.uart.base, MAP.uart.size, this.uart);
    this.memory.addDevice(MAP.plic.base, MAP.plic.size, this.plic);
    this.memory.addDevice(aclint.mswi.base, aclint.mswi.size, new AclintMswi(machineLines));
    this.memory.addDevice(aclint.mtimer.base, aclint.mtimer.size, this.mtimer);
    this.memory.addDevice(aclint.sswi.base, aclint.sswi.size, new AclintSswi(sswiLines));
  }

  /** Machine time in timebase ticks: the furthest any hart has got. */
  now(): number {
    let cycles = 0;
    for (const c of this.cores) cycles = Math.max(cycles, c.hart.cycles);
    return ticksAt(cycles);
  }
}
