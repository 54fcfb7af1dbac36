// The aarch64 machine: hvisor's qemu-gicv3 board (PL011, GICv3, generic
// timer), CPUs at EL1/EL0 under the hvisor model at EL2, and the aarch64
// views of registers, system registers and disassembly.

import { Hvisor } from '../hv/hvisor';
import { MemType, type AnyHvZoneConfig, type Aarch64ArchZoneConfig, type Gicv3Config, type HvZoneConfig } from '../hv/config/zone-config';
import { Aarch64HvArch, type ArmHvisor } from '../hv/arch/aarch64/arch';
import { handleEl2Exit } from '../hv/arch/aarch64/trap';
import { buildAarch64ZoneDtb } from '../hv/arch/aarch64/zone-dtb';
import type { Aarch64Core } from '../isa/aarch64/core';
import { disassembleOne } from '../isa/aarch64/disasm';
import { Access, translate } from '../isa/aarch64/mmu';
import { QEMU_GICV3, QemuGicv3Board } from '../machine/boards/qemu-gicv3';
import { flashBanks, QEMU_GICV3_MAP as MAP } from '../machine/boards/qemu-gicv3-map';
import { armVirtGic, buildArmVirtDtb } from '../machine/fdt-arm-virt';
import { loadImage, type ImageSpec, type LoadedImage } from '../machine/loaders/image';
import { fpRegisterTree, readFpRegister, writeFpRegister } from './aarch64-fp-registers';
import { aarch64Flow } from './aarch64-flow';
import type { InstructionFlow, InstructionPrinter, MachineOptions, RegisterGroup, RegisterNode, RegisterValue, Target, TargetFactory, UartIdentity } from './target';

/** The CPUs' PARange (ID_AA64MMFR0_EL1): 48-bit physical addresses. */
const PA_BITS = 48;

/** The Registers scope's system-register groups, in order. */
const GROUPS = [
  ['el1', 'EL1 system registers (the guest\'s)'],
  ['el0', 'EL0 system registers'],
  ['timer', 'generic timer'],
  ['gic', 'GIC CPU interface'],
  ['el2', 'EL2 registers (the hypervisor\'s)'],
  ['id', 'ID registers'],
] as const;

/** Registers whose read has an effect (acknowledging an interrupt); the debugger never reads them. */
const READ_SENSITIVE = /^ic[cv]_(iar|hppir)[01]_el1$/;

/** Register aliases GNU tools accept. */
const ALIASES: Readonly<Record<string, string>> = { fp: 'x29', lr: 'x30', cpsr: 'pstate' };

const u64 = (value: bigint): bigint => BigInt.asUintN(64, value);

function quickGic(cpus: number): Gicv3Config {
  const g = armVirtGic(cpus);
  return { version: 'v3', gicdBase: g.gicdBase, gicdSize: g.gicdSize, gicrBase: g.gicrBase, gicrSize: g.gicrSize, gitsBase: 0, gitsSize: 0 };
}

export const aarch64Target: TargetFactory = {
  arch: 'aarch64',
  // The zone configs' CPU bitmap is 64 bits wide.
  maxCpus: Math.min(QEMU_GICV3.maxCpus, 64),
  // QEMU virt's `-m 256M` at 0x40000000, images where a kernel Image goes, the DTB near the top;
  // firmware runs from flash at 0 and finds the DTB at the RAM base, as QEMU's -bios leaves it.
  quick: {
    ramBase: MAP.dram.base, ramSize: 256 * 1024 * 1024, loadAddress: MAP.dram.base + 0x80000, dtbAddress: MAP.dram.base + 256 * 1024 * 1024 - 0x200000,
    firmware: { entry: MAP.flash.base, dtbAddress: MAP.dram.base },
  },
  // hvisor's qemu-gicv3 link address and the 2 GiB of DRAM its zones' configs use.
  board: { dramBase: MAP.dram.base, dramSize: 0x80000000, hvisorLoadAddress: 0x40400000 },
  create: (options) => new Aarch64Target(options),
};

class Aarch64Target implements Target {
  readonly arch = 'aarch64';
  readonly board: QemuGicv3Board;
  readonly hv: ArmHvisor;
  readonly instructionAlign = 4;
  readonly maxInstructionSize = 4;
  readonly linkRegister = 'x30';
  /** The AAPCS64 DWARF numbers: x0-x30 as 0-30, sp as 31. */
  readonly dwarfRegisters = [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp'];
  readonly dwarfStackPointer = 31;

  constructor(options: MachineOptions) {
    let hv: ArmHvisor | undefined;
    this.board = new QemuGicv3Board({
      cpus: options.cpus,
      dramSize: options.dramSize,
      onUartByte: options.onUartByte,
      el2: { el2Exit: (core, exit) => hv!.startTrap(core.id, exit.kind === 'irq' ? 'irq' : 'trap', handleEl2Exit(hv!, core, exit)) },
    });
    const board = this.board;
    const arch = new Aarch64HvArch({ mpidrMap: board.cores.map((c) => c.id), gic: board.gic, gicLayout: quickGic(options.cpus), paBits: PA_BITS });
    hv = new Hvisor({ ncpus: options.cpus, coreEnd: options.coreEnd, memPoolSize: options.memPoolSize }, { memory: board.memory, cores: board.cores }, arch, options.trace);
    this.hv = hv;
  }

  get cores(): readonly Aarch64Core[] {
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
    return loadImage(spec, this.board.memory, 'aarch64');
  }

  loadFirmware(bytes: Uint8Array): void {
    const bank = this.board.flash[0]!;
    if (bytes.length > bank.size) throw new RangeError(`${bytes.length} bytes do not fit flash bank 0 (${bank.size} bytes)`);
    bank.load(0, bytes);
  }

  quickRootZone(cpus: number, entry: number): HvZoneConfig<Aarch64ArchZoneConfig> {
    const q = aarch64Target.quick;
    return {
      zoneId: 0,
      name: 'root',
      cpus: (1n << BigInt(cpus)) - 1n,
      memoryRegions: [
        { memType: MemType.ram, physicalStart: q.ramBase, virtualStart: q.ramBase, size: q.ramSize },
        { memType: MemType.io, physicalStart: MAP.uart.base, virtualStart: MAP.uart.base, size: MAP.uart.size },
        // The flash banks as normal, executable memory (firmware runs from bank 0), as QEMU maps a ROM device.
        ...flashBanks().map((base) => ({ memType: MemType.ram, physicalStart: base, virtualStart: base, size: MAP.flash.bankSize })),
      ],
      interrupts: [MAP.uart.irq],
      entryPoint: entry,
      kernelLoadPaddr: entry,
      dtbLoadPaddr: q.dtbAddress,
      archConfig: { arch: 'aarch64', isAarch32: false, gic: quickGic(cpus) },
    };
  }

  quickDtb(): Uint8Array {
    const q = aarch64Target.quick;
    return buildArmVirtDtb({ cpus: this.cores.map((c) => c.id), memory: [{ base: q.ramBase, size: q.ramSize }], gic: armVirtGic(this.cores.length), flash: MAP.flash }).toDtb();
  }

  zoneDtb(config: AnyHvZoneConfig): Uint8Array {
    if (config.archConfig.arch !== 'aarch64') throw new Error(`zone ${config.zoneId} has a riscv64 config on an aarch64 machine`);
    return buildAarch64ZoneDtb(config as HvZoneConfig<Aarch64ArchZoneConfig>, this.cores.map((c) => c.id));
  }

  privilege(cpu: number): string {
    const core = this.cores[cpu]!;
    return core.inHypervisor ? 'EL2' : core.state.el === 1 ? 'EL1' : 'EL0';
  }

  /** x0..x30, sp, pc and PSTATE (SPSR format). */
  registers(cpu: number): RegisterValue[] {
    const core = this.cores[cpu]!;
    const out: RegisterValue[] = Array.from({ length: 31 }, (_, r) => ({ name: `x${r}`, value: core.getX(r) }));
    out.push({ name: 'sp', value: core.getSp() }, { name: 'pc', value: core.getPc() }, { name: 'pstate', value: core.getPstate() });
    return out;
  }

  readRegister(cpu: number, name: string): bigint | undefined {
    const core = this.cores[cpu]!;
    const n = ALIASES[name] ?? name;
    const x = /^([xw])(\d+)$/.exec(n);
    if (x && Number(x[2]) < 31) return x[1] === 'w' ? core.getX(Number(x[2])) & 0xffff_ffffn : core.getX(Number(x[2]));
    if (n === 'sp') return core.getSp();
    if (n === 'pc') return core.getPc();
    if (n === 'pstate') return core.getPstate();
    return readFpRegister(core, n);
  }

  setRegister(cpu: number, name: string, value: bigint): boolean {
    const core = this.cores[cpu]!;
    const n = ALIASES[name] ?? name;
    const x = /^x(\d+)$/.exec(n);
    if (x && Number(x[1]) < 31) core.setX(Number(x[1]), u64(value));
    else if (n === 'sp') core.setSp(u64(value));
    else if (n === 'pc') core.setPc(u64(value));
    else if (n === 'pstate') core.setPstate(u64(value));
    else return writeFpRegister(core, n, value);
    return true;
  }

  fpRegisters(cpu: number): RegisterNode[] {
    return fpRegisterTree(this.cores[cpu]!);
  }

  systemRegisters(cpu: number): RegisterGroup[] {
    const core = this.cores[cpu]!;
    const names = core.sysregNames().filter((r) => !READ_SENSITIVE.test(r.name));
    return GROUPS.map(([id, label]) => ({
      id, label,
      registers: names.filter((r) => r.group === id).map((r) => ({ name: r.name, value: core.readSysreg(r.name) ?? 0n })),
    })).filter((g) => g.registers.length > 0);
  }

  setSystemRegister(cpu: number, group: string, name: string, value: bigint): string | undefined {
    const core = this.cores[cpu]!;
    const known = core.sysregNames().find((r) => r.name === name);
    if (!known || known.group !== group) return `"${name}" is not a register of the ${group} group`;
    if (!core.writeSysreg(name, u64(value))) return `${name} cannot be written`;
    core.translationChanged();
    core.interruptsChanged();
    return undefined;
  }

  translate(cpu: number, va: number, access: 'read' | 'write' | 'execute'): number | undefined {
    const core = this.cores[cpu]!;
    const r = (name: string): bigint => core.readSysreg(name) ?? 0n;
    const regs = {
      el: core.state.el, sctlr: r('sctlr_el1'), tcr: r('tcr_el1'), ttbr0: r('ttbr0_el1'), ttbr1: r('ttbr1_el1'), mair: r('mair_el1'),
      hcr: r('hcr_el2'), vttbr: r('vttbr_el2'), vtcr: r('vtcr_el2'),
    };
    const kind = access === 'read' ? Access.read : access === 'write' ? Access.write : Access.execute;
    const result = translate(this.board.memory, regs, va, kind, { setFlags: false });
    return result.ok ? result.pa : undefined;
  }

  stackPointer(cpu: number): bigint {
    return this.cores[cpu]!.getSp();
  }

  flowOf(bytes: readonly (number | undefined)[]): InstructionFlow | undefined {
    return aarch64Flow(bytes);
  }

  /** objdump's text for each 32-bit word. */
  newPrinter(symbolize: (address: number) => string | undefined): InstructionPrinter {
    return {
      next: (bytes, va) => {
        if (bytes.length < 4 || bytes.slice(0, 4).some((b) => b === undefined)) return undefined;
        const word = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
        return { size: 4, text: disassembleOne(word, va, symbolize).text };
      },
    };
  }
}
