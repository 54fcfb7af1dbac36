// One emulated machine of a given architecture as the Engine sees it: the
// board with its CPUs, the hvisor model on top, and the architecture's view
// of registers, address translation and disassembly. The Engine's API is
// the same for every architecture; each Target supplies the parts that differ.

import type { AnyHvZoneConfig } from '../hv/config/zone-config';
import type { Hvisor } from '../hv/hvisor';
import type { CpuCore } from '../isa/cpu-core';
import type { PhysicalMemory } from '../machine/memory';
import type { ImageSpec, LoadedImage } from '../machine/loaders/image';

export type Arch = 'riscv64' | 'aarch64';
export const ARCHES: readonly Arch[] = ['riscv64', 'aarch64'];

export interface RegisterValue {
  readonly name: string;
  readonly value: bigint;
}

/** System registers (CSRs, sysregs) under one heading of the debugger's Registers scope. */
export interface RegisterGroup {
  readonly id: string;
  readonly label: string;
  readonly registers: readonly RegisterValue[];
}

/**
 * A register shown as a tree: FP/SIMD registers with their lane views,
 * control registers with their fields. `text` is what the debugger shows.
 */
export interface RegisterNode {
  readonly name: string;
  readonly text: string;
  /** The name setRegister and readRegister take for this node; absent where it cannot be written. */
  readonly setName?: string;
  /** An IEEE binary32 or binary64 lane: setVariable also takes a decimal value for it. */
  readonly float?: 32 | 64;
  readonly children?: readonly RegisterNode[];
}

/** An instruction as the disassembler prints it. */
export interface DecodedText {
  readonly size: number;
  readonly text: string;
}

/** Disassembles a run of instructions, carrying objdump's state from one to the next. */
export interface InstructionPrinter {
  /** Needs up to 4 bytes at va; undefined when the bytes do not hold a whole instruction. */
  next(bytes: readonly (number | undefined)[], va: number): DecodedText | undefined;
}

/** What run control asks of one instruction: how long it is and whether it calls. */
export interface InstructionFlow {
  readonly size: number;
  /** A call: a branch that writes the address of the instruction after it to a link register. */
  readonly call: boolean;
}

/** Where the quick launch puts things (one zone owning the whole machine). */
export interface QuickLayout {
  readonly ramBase: number;
  readonly ramSize: number;
  /** Where raw images and assembly load. */
  readonly loadAddress: number;
  readonly dtbAddress: number;
  /** Where firmware in flash starts and the DTB it expects goes, on boards with a flash to boot from. */
  readonly firmware?: { readonly entry: number; readonly dtbAddress: number };
}

/** The DRAM and hypervisor placement of hvisor's board for launch files. */
export interface BoardLayout {
  readonly dramBase: number;
  readonly dramSize: number;
  readonly hvisorLoadAddress: number;
}

export interface MachineOptions {
  readonly cpus: number;
  readonly dramSize: number;
  /** `__core_end`: where the hypervisor's per-CPU areas start. */
  readonly coreEnd: number;
  readonly memPoolSize: number;
  readonly onUartByte: (byte: number) => void;
  readonly trace: (event: import('../hv/trace').TraceEvent) => void;
}

/** A board UART: its device name and MMIO base. */
export interface UartIdentity {
  readonly name: string;
  readonly base: number;
}

/** What each architecture contributes before a machine exists. */
export interface TargetFactory {
  readonly arch: Arch;
  readonly maxCpus: number;
  readonly quick: QuickLayout;
  readonly board: BoardLayout;
  /** The hypervisor's frame pool size for this board's machines. */
  create(options: MachineOptions): Target;
}

export interface Target {
  readonly arch: Arch;
  readonly cores: readonly CpuCore[];
  readonly memory: PhysicalMemory;
  readonly hv: Hvisor;
  /** Instruction breakpoints (virtual addresses), shared by every CPU. */
  readonly breakpoints: Set<number>;
  /** Drop translated code (breakpoints changed). */
  clearCode(): void;
  uartInput(bytes: Uint8Array): void;
  /** The board UART uartInput feeds. */
  readonly uart: UartIdentity;
  loadImage(spec: ImageSpec): LoadedImage;
  /** Put firmware into the boot flash (boards that have one). */
  loadFirmware?(bytes: Uint8Array): void;
  /** The quick launch's root zone: every CPU, `ram` and the UART, entering at `entry`. */
  quickRootZone(cpus: number, entry: number): AnyHvZoneConfig;
  /** The quick launch's device tree: every CPU and the quick RAM. */
  quickDtb(): Uint8Array;
  /** A zone's device tree, as hvisor-tool would copy it to dtb_load_paddr. */
  zoneDtb(config: AnyHvZoneConfig): Uint8Array;
  /** "VS"/"VU" or "EL1"/"EL0" in the guest, "HS"/"EL2" in the hypervisor. */
  privilege(cpu: number): string;
  /** General registers under the names the debugger shows, then pc (and sp, PSTATE where the ISA has them). */
  registers(cpu: number): RegisterValue[];
  /** A general register, pc or sp by a name registers() uses or an alias (xN, fp, lr…). */
  readRegister(cpu: number, name: string): bigint | undefined;
  /** Set a register by a name registers() uses or an alias; false if the name is unknown. */
  setRegister(cpu: number, name: string, value: bigint): boolean;
  systemRegisters(cpu: number): RegisterGroup[];
  /** The FP/SIMD register file and its control registers, where the CPU has them. */
  fpRegisters?(cpu: number): RegisterNode[];
  /** Set a system register of a group; a message when it cannot be set. */
  setSystemRegister(cpu: number, group: string, name: string, value: bigint): string | undefined;
  /** Translate a guest virtual address as the CPU would, without side effects. */
  translate(cpu: number, va: number, access: 'read' | 'write' | 'execute'): number | undefined;
  /** The smallest instruction size; every instruction address is a multiple of it (2 with RVC, 4 on A64). */
  readonly instructionAlign: number;
  /** The largest instruction size: the bytes flowOf and the printer may need. */
  readonly maxInstructionSize: number;
  /** The register a call leaves its return address in, by a name readRegister takes. */
  readonly linkRegister: string;
  /** readRegister's name of each DWARF register number, for call frame information (undefined: none). */
  readonly dwarfRegisters: readonly (string | undefined)[];
  /** The DWARF number of the stack pointer (its value is stackPointer's). */
  readonly dwarfStackPointer: number;
  /** The stack pointer the CPU uses now (on A64, SP_EL0 or SP_ELx as PSTATE.SP selects). */
  stackPointer(cpu: number): bigint;
  /** The instruction in `bytes` (read at its address); undefined when they hold no whole, valid instruction. */
  flowOf(bytes: readonly (number | undefined)[]): InstructionFlow | undefined;
  newPrinter(symbolize: (address: number) => string | undefined, images: readonly LoadedImage[]): InstructionPrinter;
}
