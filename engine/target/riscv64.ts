// The riscv64 machine: hvisor's qemu-plic board, harts in VS/VU-mode under the
// hvisor model, and the riscv64 views of registers, CSRs and disassembly.

import { Hvisor } from '../hv/hvisor';
import { MemType, type AnyHvZoneConfig, type HvZoneConfig } from '../hv/config/zone-config';
import { Riscv64HvArch, type RiscvHvisor } from '../hv/arch/riscv64/arch';
import { handleTrap } from '../hv/arch/riscv64/trap';
import { buildZoneDtb } from '../hv/arch/riscv64/zone-dtb';
import type { Riscv64Core } from '../isa/riscv64/core';
import { Disassembler } from '../isa/riscv64/disasm';
import { Access, translate } from '../isa/riscv64/mmu';
import { abiNames, parseRegister } from '../isa/riscv64/registers';
import { QEMU_PLIC, QemuPlicBoard } from '../machine/boards/qemu-plic';
import { QEMU_PLIC_MAP as MAP } from '../machine/boards/qemu-plic-map';
import { buildRiscvVirtDtb } from '../machine/fdt-riscv-virt';
import { loadImage, type ImageSpec, type LoadedImage } from '../machine/loaders/image';
import { fpRegisterTree, readFpRegister, writeFpRegister } from './riscv64-fp-registers';
import { riscv64Flow } from './riscv64-flow';
import type { InstructionFlow, InstructionPrinter, MachineOptions, RegisterGroup, RegisterNode, RegisterValue, Target, TargetFactory, UartIdentity } from './target';

/** The guest-view CSRs the debugger shows, by the number a guest instruction would use. */
const GUEST_CSRS: Readonly<Record<string, number>> = {
  sstatus: 0x100, stvec: 0x105, sscratch: 0x140, sepc: 0x141, scause: 0x142, stval: 0x143, satp: 0x180, stimecmp: 0x14d,
};
/** The HS-mode and hypervisor CSRs the model keeps on each hart. */
const HYPERVISOR_CSRS = [
  'hstatus', 'hedeleg', 'hideleg', 'hie', 'hvip', 'hgatp', 'htval', 'htinst', 'htimedelta', 'hcounteren', 'henvcfg',
  'sstatus', 'sie', 'stvec', 'sscratch', 'sepc', 'scause', 'stval', 'satp',
] as const;
type HypervisorCsr = (typeof HYPERVISOR_CSRS)[number];

const u64 = (value: bigint | number): bigint => BigInt.asUintN(64, BigInt(value));

export const riscv64Target: TargetFactory = {
  arch: 'riscv64',
  maxCpus: QEMU_PLIC.maxCpus,
  // QEMU virt's `-m 256M`, with images where OpenSBI's next stage goes and the DTB near the top.
  quick: { ramBase: MAP.dram.base, ramSize: 256 * 1024 * 1024, loadAddress: MAP.dram.base + 0x200000, dtbAddress: MAP.dram.base + 256 * 1024 * 1024 - 0x200000 },
  // hvisor's qemu-plic link address and the DRAM its zones' configs use.
  board: { dramBase: MAP.dram.base, dramSize: 0x80000000, hvisorLoadAddress: 0x80200000 },
  create: (options) => new Riscv64Target(options),
};

class Riscv64Target implements Target {
  readonly arch = 'riscv64';
  readonly board: QemuPlicBoard;
  readonly hv: RiscvHvisor;
  readonly instructionAlign = 2;
  readonly maxInstructionSize = 4;
  readonly linkRegister = 'ra';
  /** The psABI numbers x0-x31 as 0-31. */
  readonly dwarfRegisters = abiNames;
  readonly dwarfStackPointer = 2;

  constructor(options: MachineOptions) {
    let hv: RiscvHvisor | undefined;
    this.board = new QemuPlicBoard({
      cpus: options.cpus,
      dramSize: options.dramSize,
      onUartByte: options.onUartByte,
      hs: { hsTrap: (core, trap) => hv!.startTrap(core.id, trap.interrupt ? 'interrupt' : 'trap', handleTrap(hv!, core, trap)) },
    });
    const board = this.board;
    const arch = new Riscv64HvArch(
      { hartIdMap: board.cores.map((c) => c.id), aclintSswiBase: MAP.aclint.sswi.base, plicBase: MAP.plic.base, hwIrqs: MAP.hwIrqs, uart: board.uart },
      board.memory,
    );
    hv = new Hvisor({ ncpus: options.cpus, coreEnd: options.coreEnd, memPoolSize: options.memPoolSize }, { memory: board.memory, cores: board.cores }, arch, options.trace);
    this.hv = hv;
  }

  get cores(): readonly Riscv64Core[] {
    return this.board.cores;
  }
  get memory() {
    return this.board.memory;
  }
  get breakpoints(): Set<number> {
    return this.board.breakpoints;
  }

  clearCode(): void {
    this.board.code.clear();
  }

  uartInput(bytes: Uint8Array): void {
    this.board.uart.pushInput(bytes);
  }

  get uart(): UartIdentity {
    return { name: this.board.uart.name, base: MAP.uart.base };
  }

  loadImage(spec: ImageSpec): LoadedImage {
    return loadImage(spec, this.board.memory, 'riscv64');
  }

  quickRootZone(cpus: number, entry: number): HvZoneConfig {
    const q = riscv64Target.quick;
    return {
      zoneId: 0,
      name: 'root',
      cpus: (1n << BigInt(cpus)) - 1n,
      memoryRegions: [
        { memType: MemType.ram, physicalStart: q.ramBase, virtualStart: q.ramBase, size: q.ramSize },
        { memType: MemType.io, physicalStart: MAP.uart.base, virtualStart: MAP.uart.base, size: 0x1000 },
      ],
      interrupts: [MAP.uart.irq],
      entryPoint: entry,
      kernelLoadPaddr: entry,
      dtbLoadPaddr: q.dtbAddress,
      archConfig: { plicBase: MAP.plic.base, plicSize: MAP.plic.size, aplicBase: 0, aplicSize: 0 },
    };
  }

  quickDtb(): Uint8Array {
    const q = riscv64Target.quick;
    // The PLIC window is hvisor's virtual PLIC (the zone's plicBase), each hart's M then S context, as a root zone's guest expects.
    const plic = { base: MAP.plic.base, size: MAP.plic.size, ndev: MAP.plic.sources };
    return buildRiscvVirtDtb({ harts: this.cores.map((c) => c.id), memory: [{ base: q.ramBase, size: q.ramSize }], plic }).toDtb();
  }

  zoneDtb(config: AnyHvZoneConfig): Uint8Array {
    if (config.archConfig.arch === 'aarch64') throw new Error(`zone ${config.zoneId} has an aarch64 config on a riscv64 machine`);
    return buildZoneDtb(config as HvZoneConfig, this.cores.map((c) => c.id));
  }

  privilege(cpu: number): string {
    const core = this.cores[cpu]!;
    return core.inHypervisor ? 'HS' : core.hart.priv ? 'VS' : 'VU';
  }

  /** x0..x31 under their ABI names, then pc. */
  registers(cpu: number): RegisterValue[] {
    const h = this.cores[cpu]!.hart;
    const out: RegisterValue[] = abiNames.map((name, r) => ({ name, value: h.getReg(r) }));
    out.push({ name: 'pc', value: h.getPc() });
    return out;
  }

  readRegister(cpu: number, name: string): bigint | undefined {
    const h = this.cores[cpu]!.hart;
    if (name === 'pc') return h.getPc();
    const r = parseRegister(name === 'fp' ? 's0' : name);
    return r === undefined ? readFpRegister(h, name) : h.getReg(r);
  }

  setRegister(cpu: number, name: string, value: bigint): boolean {
    const h = this.cores[cpu]!.hart;
    if (name === 'pc') {
      h.setPc(value);
      return true;
    }
    const r = parseRegister(name === 'fp' ? 's0' : name);
    if (r === undefined) return writeFpRegister(h, name, value);
    h.setReg(r, u64(value));
    return true;
  }

  fpRegisters(cpu: number): RegisterNode[] {
    return fpRegisterTree(this.cores[cpu]!.hart);
  }

  /** The CSRs the guest sees (with V=1 the s-CSR names reach the vs-CSR state), then the hypervisor's own. */
  systemRegisters(cpu: number): RegisterGroup[] {
    const h = this.cores[cpu]!.hart;
    const v = (name: string, value: bigint | number): RegisterValue => ({ name, value: u64(value) });
    return [
      {
        id: 'guest', label: 'supervisor CSRs (as the guest sees them)',
        registers: [
          v('sstatus', h.vsstatus), v('stvec', h.vstvec), v('sscratch', h.vsscratch), v('sepc', h.vsepc), v('scause', h.vscause),
          v('stval', h.vstval), v('satp', h.vsatp), v('stimecmp', h.vstimecmp), v('instret', h.instret),
        ],
      },
      { id: 'hypervisor', label: 'hypervisor CSRs', registers: HYPERVISOR_CSRS.map((name) => v(name, h[name])) },
    ];
  }

  /**
   * The guest view goes through the same write path as a guest CSR
   * instruction (vs-CSR state, WARL masks); the hypervisor view writes the
   * HS and hypervisor CSRs the model keeps.
   */
  setSystemRegister(cpu: number, group: string, name: string, value: bigint): string | undefined {
    const core = this.cores[cpu]!;
    const v = u64(value);
    if (group === 'guest') {
      const number = GUEST_CSRS[name];
      if (number === undefined) return `"${name}" is not a CSR the guest sees`;
      core.system.writeAsGuest(core.hart, number, v);
      return undefined;
    }
    if (group !== 'hypervisor') return `unknown register group "${group}"`;
    if (!HYPERVISOR_CSRS.includes(name as HypervisorCsr)) return `"${name}" is not a hypervisor CSR`;
    core.hart[name as HypervisorCsr] = v;
    core.translationChanged();
    core.interruptsChanged();
    return undefined;
  }

  translate(cpu: number, va: number, access: 'read' | 'write' | 'execute'): number | undefined {
    const h = this.cores[cpu]!.hart;
    const kind = access === 'read' ? Access.read : access === 'write' ? Access.write : Access.execute;
    const r = translate({ memory: h.memory, priv: h.priv, vsatp: h.vsatp, hgatp: h.hgatp, vsstatus: h.vsstatus, sstatus: h.sstatus, updatesAccessed: false }, va, kind);
    return typeof r === 'number' ? r : undefined;
  }

  stackPointer(cpu: number): bigint {
    return this.cores[cpu]!.hart.getReg(2);
  }

  flowOf(bytes: readonly (number | undefined)[]): InstructionFlow | undefined {
    return riscv64Flow(bytes);
  }

  /** objdump's text, with its lui/auipc address tracking and gp-relative addresses. */
  newPrinter(symbolize: (address: number) => string | undefined, images: readonly LoadedImage[]): InstructionPrinter {
    const gp = images.find((i) => i.globalPointer !== undefined)?.globalPointer;
    const disassembler = new Disassembler(symbolize, gp === undefined ? {} : { globalPointer: gp });
    return {
      next: (bytes, va) => {
        if (bytes[0] === undefined || bytes[1] === undefined) return undefined;
        const low = bytes[0] | (bytes[1] << 8);
        const size = (low & 3) === 3 ? 4 : 2;
        if (size === 4 && (bytes[2] === undefined || bytes[3] === undefined)) return undefined;
        const raw = size === 2 ? low : (low | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
        return { size, text: disassembler.next(raw, va).text };
      },
    };
  }
}
